import { type RenderResult, type SecretFiles, renderFailed, rendered, singleLine, textOf } from './renderer.js';

/** Secret key → setting name in the profile, in the order they are written. */
const settings = [
  ['access_key_id', 'aws_access_key_id', true],
  ['secret_access_key', 'aws_secret_access_key', true],
  ['session_token', 'aws_session_token', false],
  // AWS documents `region` as a `config` file setting, but the AWS CLI (botocore) and the SDKs
  // (e.g. JS v3) merge the credentials file's profile over the config file's, so one file is
  // enough and the app needs no AWS_CONFIG_FILE. AWS_REGION from env injection still wins.
  ['region', 'region', false],
] as const;

/** Render an `aws` credential as a shared credentials file with one `[default]` profile. */
export function renderAwsCredentials(files: SecretFiles, _credential: string): RenderResult {
  const lines = ['[default]'];
  for (const [key, setting, required] of settings) {
    const text = textOf(files, key);
    if (text === undefined) {
      if (required) return renderFailed(`missing key "${key}"`);
      continue;
    }
    const line = singleLine(text);
    if (!line.ok) return renderFailed(`key "${key}" must be a single line`);
    lines.push(`${setting} = ${line.value}`);
  }
  return rendered(`${lines.join('\n')}\n`);
}
