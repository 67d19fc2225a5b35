import { z } from 'zod';
import type { CredentialProblem } from '../credentialInfo.js';
import type { CredentialType } from '../credentialType.js';
import { isPemPrivateKey, parseJsonQuietly } from '../formatChecks.js';

const keyFile = 'service-account.json';

function checkServiceAccount(text: string): CredentialProblem[] {
  const parsed = parseJsonQuietly(text);
  const problem = (message: string): CredentialProblem[] => [{ key: keyFile, rule: 'not-service-account', message }];
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return problem(`key "${keyFile}" is not a JSON object`);
  const account = parsed.value as Record<string, unknown>;
  if (account['type'] !== 'service_account') {
    return problem(`key "${keyFile}" is not a service-account key (its "type" must be "service_account"); create a key with gcloud iam service-accounts keys create`);
  }
  if (typeof account['client_email'] !== 'string' || account['client_email'] === '') return problem(`key "${keyFile}" has no "client_email"`);
  if (typeof account['private_key'] !== 'string' || !isPemPrivateKey(account['private_key'])) {
    return problem(`key "${keyFile}" has no PEM "private_key"`);
  }
  return [];
}

export const gcp: CredentialType = {
  name: 'gcp',
  schema: z.strictObject({ [keyFile]: z.string().min(1) }),
  checkValues: (data) => (data[keyFile] ? checkServiceAccount(data[keyFile]) : []),
  envPrefix: false,
  renderFormats: [],
  inject: ({ mountPath }) => ({
    env: [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `${mountPath}/${keyFile}` }],
    files: { keys: [keyFile], access: 'readable' },
  }),
};
