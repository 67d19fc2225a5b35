import { z } from 'zod';
import type { CredentialProblem } from '../credentialInfo.js';
import type { CredentialType } from '../credentialType.js';
import { looksLikeSshPrivateKey } from '../formatChecks.js';

const privateKeys = ['id_rsa', 'id_ecdsa', 'id_ed25519'] as const;
const otherKeys = ['known_hosts', 'config'];
const allowed = [...privateKeys, ...otherKeys, '*.pub'];

function checkKeys(data: Readonly<Record<string, string>>): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  const present = privateKeys.filter((key) => key in data);
  if (present.length === 0) {
    problems.push({ rule: 'missing-key', message: `type ssh needs at least one private key: ${privateKeys.join(', ')}` });
  }
  for (const key of present) {
    if (!looksLikeSshPrivateKey(data[key] ?? '')) {
      problems.push({ key, rule: 'not-private-key', message: `key "${key}" is not an SSH private key (PEM or OpenSSH format)` });
    }
  }
  for (const key of Object.keys(data)) {
    const known = (privateKeys as readonly string[]).includes(key) || otherKeys.includes(key) || /^[A-Za-z0-9._-]+\.pub$/.test(key);
    if (!known) problems.push({ key, rule: 'unknown-key', message: `unknown key "${key}": type ssh accepts ${allowed.join(', ')}` });
  }
  return problems;
}

export const ssh: CredentialType = {
  name: 'ssh',
  // Open shape: `*.pub` cannot be a zod key, so the closed-ness is checked in checkValues.
  schema: z.record(z.string(), z.string()),
  checkValues: checkKeys,
  envPrefix: false,
  defaultMountPath: () => '/root/.ssh',
  renderFormats: [],
  // 0400: ssh refuses private keys that others can read.
  inject: () => ({ env: [], files: { access: 'owner-only' } }),
};
