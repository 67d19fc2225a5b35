import { z } from 'zod';
import type { CredentialProblem } from '../credentialInfo.js';
import type { CredentialType } from '../credentialType.js';

const keyPattern = /^RCLONE_CONFIG_[A-Z0-9_]+$/;
const typeKey = /^RCLONE_CONFIG_([A-Z0-9_]+?)_TYPE$/;

/**
 * The remote a set of rclone keys configures. Remote names may hold `_`, so the remote is read from
 * the one key every rclone remote has, `RCLONE_CONFIG_<REMOTE>_TYPE`, and every key must share it.
 */
export function rcloneRemote(keys: readonly string[]): { remote?: string; problems: CredentialProblem[] } {
  const problems: CredentialProblem[] = [];
  for (const key of keys) {
    if (!keyPattern.test(key)) {
      problems.push({ key, rule: 'not-rclone-key', message: `key "${key}" must be RCLONE_CONFIG_<REMOTE>_<PARAM> in upper case` });
    }
  }
  const remotes = [...new Set(keys.flatMap((key) => typeKey.exec(key)?.[1] ?? []))];
  if (remotes.length === 0) {
    problems.push({ rule: 'missing-key', message: 'type rclone needs RCLONE_CONFIG_<REMOTE>_TYPE (e.g. RCLONE_CONFIG_MYS3_TYPE=s3)' });
    return { problems };
  }
  if (remotes.length > 1) {
    problems.push({ rule: 'two-remotes', message: `one remote per Secret: found ${remotes.join(' and ')}; split them into separate credentials` });
    return { problems };
  }
  const remote = remotes[0] as string;
  for (const key of keys) {
    if (keyPattern.test(key) && !key.startsWith(`RCLONE_CONFIG_${remote}_`)) {
      problems.push({ key, rule: 'two-remotes', message: `key "${key}" is not for remote ${remote}; one remote per Secret` });
    }
  }
  return { remote, problems };
}

export const rclone: CredentialType = {
  name: 'rclone',
  schema: z.record(z.string(), z.string()),
  checkValues: (data) => rcloneRemote(Object.keys(data)).problems,
  envPrefix: false,
  renderFormats: ['rclone-conf'],
  inject: ({ credential }) => ({ env: credential.keys.map((key) => ({ name: key, key })) }),
};
