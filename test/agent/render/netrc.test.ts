import { describe, expect, it } from 'vitest';
import { renderNetrc } from '../../../src/agent/render/netrc.js';
import { golden, plannedOutput, renderPlanned, secretFiles, withKeys } from './fixtures.js';

describe('renderNetrc', () => {
  it.each([
    ['netrc-wandb', 'a generic credential naming its password key, host from the annotation, login "user"'],
    ['login-token', 'a generic credential with host and token keys'],
  ])('renders %s (%s) like the golden file', (fixture) => {
    const result = renderPlanned(renderNetrc, fixture, 'netrc');
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden(`${fixture}.netrc`, result.content));
  });

  const token = secretFiles('login-token');
  const settings = plannedOutput('login-token', 'netrc');
  it.each([
    ['the token is missing', withKeys(token, { token: undefined }), 'missing key "token"'],
    ['the token spans lines', withKeys(token, { token: 'FAKE\nmachine evil' }), 'key "token" must be a single line'],
    ['the token holds a space', withKeys(token, { token: 'FAKE VALUE' }), 'key "token" holds whitespace, a quote, a backslash or a leading "#"'],
    ['the token holds a quote', withKeys(token, { token: 'FAKE"VALUE' }), 'key "token" holds whitespace'],
    ['the token holds a backslash', withKeys(token, { token: 'FAKE\\VALUE' }), 'key "token" holds whitespace'],
    ['the token starts with #, a comment to curl', withKeys(token, { token: '#FAKEVALUE' }), 'key "token" holds whitespace'],
    ['the host key has a port', withKeys(token, { host: 'huggingface.co:443' }), 'netrc matches host names only'],
    ['the host key is a URL', withKeys(token, { host: 'https://huggingface.co/FAKE' }), 'key "host" is not a host name'],
    ['the host key is missing', withKeys(token, { host: undefined }), 'missing key "host"'],
  ])('fails when %s, quoting no value', (_case, files, message) => {
    const result = renderNetrc(files, settings.credential, settings);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
    expect(JSON.stringify(result)).not.toContain('FAKE');
  });

  it('fails without login settings in the plan', () => {
    expect(renderNetrc(token, 'c', {})).toEqual({ ok: false, message: 'the plan names no password key' });
  });
});
