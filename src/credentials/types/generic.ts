import { z } from 'zod';
import { keys as annotationKeys } from '../../contract/keys.js';
import type { CredentialType } from '../credentialType.js';
import { envNamePattern, isEnvPrefix } from '../formatChecks.js';

export const generic: CredentialType = {
  name: 'generic',
  schema: z.record(z.string(), z.string()),
  checkValues: (data, annotations) => {
    // With a mount path the keys become file names, and with the owner's env mapping only mapped
    // keys become env (under the mapping's names): then any Secret key is fine, lower case too.
    if (annotations[annotationKeys.mountPath] || annotations[annotationKeys.env] !== undefined) return [];
    const prefix = annotations[annotationKeys.envPrefix] ?? '';
    // A bad prefix is reported once, as the prefix's problem, not as every key's.
    if (!isEnvPrefix(prefix)) return [];
    return Object.keys(data)
      .filter((key) => !envNamePattern.test(prefix + key))
      .map((key) => ({
        key,
        rule: 'not-env-name',
        message: `key "${key}" is not a valid env var name (letters, digits, _; not starting with a digit); rename it, map keys to env names with ${annotationKeys.env}, or set ${annotationKeys.mountPath} to inject files`,
      }));
  },
  envFromKeys: true,
  envPrefix: true,
  renderFormats: ['netrc', 'git-credentials', 'pgpass', 'huggingface-token', 'env-file', 'template'],
  // A mount path means files, unless the agent renders the credential: then it places the rendered files.
  inject: ({ credential, envPrefix, explicitMountPath, rendered }) =>
    explicitMountPath && !rendered
      ? { env: [], files: { access: 'readable' } }
      : { env: credential.keys.map((key) => ({ name: envPrefix + key, key })) },
};
