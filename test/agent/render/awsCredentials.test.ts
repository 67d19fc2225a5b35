import { describe, expect, it } from 'vitest';
import { renderAwsCredentials } from '../../../src/agent/render/awsCredentials.js';
import { golden, secretFiles, secretName, withKeys } from './fixtures.js';

describe('renderAwsCredentials', () => {
  it.each(['aws-credentials-minimal', 'aws-credentials-full'])('renders %s like the golden file', (fixture) => {
    const result = renderAwsCredentials(secretFiles(fixture), secretName(fixture));
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden(`${fixture}.ini`, result.content));
  });

  const full = secretFiles('aws-credentials-full');
  it.each([
    ['access_key_id is missing', withKeys(full, { access_key_id: undefined }), 'missing key "access_key_id"'],
    ['secret_access_key is missing', withKeys(full, { secret_access_key: undefined }), 'missing key "secret_access_key"'],
    ['secret_access_key is empty', withKeys(full, { secret_access_key: '' }), 'missing key "secret_access_key"'],
    ['session_token spans lines', withKeys(full, { session_token: 'FAKEVALUE\n[evil]' }), 'key "session_token" must be a single line'],
    ['region spans lines', withKeys(full, { region: 'eu-west-1\nFAKEVALUE' }), 'key "region" must be a single line'],
  ])('fails when %s, quoting no value', (_case, files, message) => {
    const result = renderAwsCredentials(files, 'c');
    expect(result).toEqual({ ok: false, message });
  });
});
