import { describe, expect, it } from 'vitest';
import { renderGitCredentials } from '../../../src/agent/render/gitCredentials.js';
import { golden, plannedOutput, renderPlanned, secretFiles, withKeys } from './fixtures.js';

describe('renderGitCredentials', () => {
  it.each([
    ['login-password', 'user and password percent-encoded, host:port from the annotation'],
    ['login-token', 'a token with host as a key, user "user"'],
  ])('renders %s (%s) like the golden file', (fixture) => {
    const result = renderPlanned(renderGitCredentials, fixture, 'git-credentials');
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden(`${fixture}.git-credentials`, result.content));
  });

  const files = secretFiles('login-password');
  const settings = plannedOutput('login-password', 'git-credentials');
  it.each([
    ['the password is missing', withKeys(files, { password: undefined }), 'missing key "password"'],
    ['the password spans lines', withKeys(files, { password: 'FAKE\nhost=evil' }), 'key "password" must be a single line'],
    ['the user name spans lines', withKeys(files, { username: 'FAKE\nx' }), 'key "username" must be a single line'],
  ])('fails when %s, quoting no value', (_case, changed, message) => {
    const result = renderGitCredentials(changed, settings.credential, settings);
    expect(result).toEqual({ ok: false, message });
  });
});
