import type { CredentialProblem } from '../credentialInfo.js';

const keyPattern = /^RCLONE_CONFIG_[A-Z0-9_]+$/;
// Lazy `+?`: RCLONE_CONFIG_MY_S3_TYPE is remote MY_S3.
const typeKey = /^RCLONE_CONFIG_([A-Z0-9_]+?)_TYPE$/;

/**
 * The remote a set of rclone keys configures, written once for the Secret webhook and the agent's
 * `rclone.conf` renderer. Remote names may hold `_`, so the remote is read from the one key every
 * rclone remote has, `RCLONE_CONFIG_<REMOTE>_TYPE`, and every key must share it. Zod-free: the agent
 * sidecar loads it.
 */
export function rcloneRemote(keys: readonly string[]): { remote?: string; problems: CredentialProblem[] } {
  const problems: CredentialProblem[] = [];
  for (const key of keys) {
    if (!keyPattern.test(key)) {
      problems.push({ key, rule: 'not-rclone-key', message: `key "${key}" is not RCLONE_CONFIG_<REMOTE>_<PARAM> in upper case` });
    }
  }
  const remotes = [...new Set(keys.flatMap((key) => typeKey.exec(key)?.[1] ?? []))];
  if (remotes.length === 0) {
    problems.push({ rule: 'missing-key', message: 'missing key RCLONE_CONFIG_<REMOTE>_TYPE (e.g. RCLONE_CONFIG_MYS3_TYPE=s3)' });
    return { problems };
  }
  if (remotes.length > 1) {
    problems.push({ rule: 'two-remotes', message: `one remote per credential: found ${remotes.join(' and ')}; split them into separate credentials` });
    return { problems };
  }
  const remote = remotes[0] as string;
  for (const key of keys) {
    if (keyPattern.test(key) && !key.startsWith(`RCLONE_CONFIG_${remote}_`)) {
      problems.push({ key, rule: 'two-remotes', message: `key "${key}" is not for remote ${remote}; one remote per credential` });
    }
  }
  return { remote, problems };
}

/** The parameter a key sets for its remote, lower-cased as rclone maps env to config (`URL` → `url`). */
export function rcloneParam(key: string, remote: string): string {
  return key.slice(`RCLONE_CONFIG_${remote}_`.length).toLowerCase();
}
