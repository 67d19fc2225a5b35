import type { CredentialType } from './credentialType.js';
import { kubernetes, oci } from './types/cluster.js';
import { dockerRegistry } from './types/dockerRegistry.js';
import { accessKey, aws, azure, huggingface, password } from './types/envTypes.js';
import { gcp } from './types/gcp.js';
import { generic } from './types/generic.js';
import { rclone } from './types/rclone.js';
import { ssh } from './types/ssh.js';
import { tls } from './types/tls.js';

const all = [dockerRegistry, aws, accessKey, password, gcp, azure, huggingface, kubernetes, oci, ssh, rclone, generic, tls];

/** Every credential type by its `credinject.dev/type` label value. */
export const credentialTypes: ReadonlyMap<string, CredentialType> = new Map(all.map((type) => [type.name, type]));

export const credentialTypeNames: readonly string[] = all.map((type) => type.name);
