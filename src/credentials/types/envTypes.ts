import { z } from 'zod';
import type { CredentialType, EnvSource } from '../credentialType.js';

const required = z.string().min(1);
const optional = z.string().optional();

/** Env vars for every key of `mapping` the credential actually has. */
function envFromKeys(keys: readonly string[], mapping: Record<string, string[]>, prefix = ''): EnvSource[] {
  return Object.entries(mapping).flatMap(([key, names]) => (keys.includes(key) ? names.map((name) => ({ name: prefix + name, key })) : []));
}

export const aws: CredentialType = {
  name: 'aws',
  schema: z.strictObject({ access_key_id: required, secret_access_key: required, session_token: optional, region: optional }),
  envFromKeys: true,
  envPrefix: false,
  renderFormats: ['aws-credentials', 'env-file', 'template'],
  inject: ({ credential }) => ({
    env: envFromKeys(credential.keys, {
      access_key_id: ['AWS_ACCESS_KEY_ID'],
      secret_access_key: ['AWS_SECRET_ACCESS_KEY'],
      session_token: ['AWS_SESSION_TOKEN'],
      region: ['AWS_DEFAULT_REGION', 'AWS_REGION'],
    }),
  }),
};

export const accessKey: CredentialType = {
  name: 'access-key',
  schema: z.strictObject({ access_key_id: required, secret_access_key: required }),
  envFromKeys: true,
  envPrefix: true,
  renderFormats: ['env-file', 'template'],
  inject: ({ credential, envPrefix }) => ({
    env: envFromKeys(credential.keys, { access_key_id: ['ACCESS_KEY_ID'], secret_access_key: ['SECRET_ACCESS_KEY'] }, envPrefix),
  }),
};

export const password: CredentialType = {
  name: 'password',
  schema: z.strictObject({ username: required, password: required }),
  envFromKeys: true,
  envPrefix: true,
  renderFormats: ['netrc', 'git-credentials', 'pgpass', 'env-file', 'template'],
  inject: ({ credential, envPrefix }) => ({
    env: envFromKeys(credential.keys, { username: ['USERNAME'], password: ['PASSWORD'] }, envPrefix),
  }),
};

export const azure: CredentialType = {
  name: 'azure',
  schema: z.strictObject({ account_name: optional, account_key: optional, connection_string: optional }),
  checkValues: (data) => {
    const hasKeyPair = Boolean(data['account_name']) && Boolean(data['account_key']);
    if (hasKeyPair || Boolean(data['connection_string'])) return [];
    return [{ rule: 'no-auth', message: 'type azure needs connection_string, or account_name with account_key' }];
  },
  envFromKeys: true,
  envPrefix: false,
  renderFormats: ['env-file', 'template'],
  inject: ({ credential }) => ({
    env: envFromKeys(credential.keys, {
      account_name: ['AZURE_STORAGE_ACCOUNT'],
      account_key: ['AZURE_STORAGE_KEY'],
      connection_string: ['AZURE_STORAGE_CONNECTION_STRING'],
    }),
  }),
};

export const huggingface: CredentialType = {
  name: 'huggingface',
  schema: z.strictObject({ token: required }),
  envFromKeys: true,
  envPrefix: false,
  renderFormats: ['huggingface-token', 'env-file', 'template'],
  inject: () => ({ env: [{ name: 'HF_TOKEN', key: 'token' }, { name: 'HUGGING_FACE_HUB_TOKEN', key: 'token' }] }),
};
