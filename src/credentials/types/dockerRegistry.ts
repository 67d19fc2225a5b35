import { z } from 'zod';
import type { CredentialProblem } from '../credentialInfo.js';
import type { CredentialType } from '../credentialType.js';
import { parseJsonQuietly } from '../formatChecks.js';

const configKey = '.dockerconfigjson';

function checkDockerConfig(text: string): CredentialProblem[] {
  const parsed = parseJsonQuietly(text);
  if (!parsed.ok) return [{ key: configKey, rule: 'not-json', message: `key "${configKey}" is not valid JSON; create it with kubectl create secret docker-registry` }];
  const auths = (parsed.value as { auths?: unknown } | null)?.auths;
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths) || Object.keys(auths).length === 0) {
    return [{ key: configKey, rule: 'no-auths', message: `key "${configKey}" has no "auths" registry entries` }];
  }
  return [];
}

export const dockerRegistry: CredentialType = {
  name: 'docker-registry',
  secretType: 'kubernetes.io/dockerconfigjson',
  schema: z.strictObject({ [configKey]: z.string().min(1) }),
  checkValues: (data) => (data[configKey] ? checkDockerConfig(data[configKey]) : []),
  envPrefix: false,
  renderFormats: ['docker-config', 'template'],
  inject: () => ({ env: [], imagePullSecret: true }),
};
