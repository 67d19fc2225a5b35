import { describe, expect, it } from 'vitest';
import { renderHuggingfaceToken } from '../../../src/agent/render/huggingfaceToken.js';
import { golden, plannedOutput, renderPlanned, secretFiles, withKeys } from './fixtures.js';

describe('renderHuggingfaceToken', () => {
  it('renders the token alone, without the trailing newline of --from-file', () => {
    const result = renderPlanned(renderHuggingfaceToken, 'huggingface-token', 'huggingface-token');
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden('huggingface-token.txt', result.content));
    expect(result.content).not.toMatch(/\s/);
  });

  it('renders a generic credential\'s token key', () => {
    const result = renderPlanned(renderHuggingfaceToken, 'login-token', 'huggingface-token');
    expect(result).toEqual({ ok: true, content: 'hf_faketoken000000000000000000000000' });
  });

  const settings = plannedOutput('huggingface-token', 'huggingface-token');
  it.each([
    ['the token is missing', withKeys(secretFiles('huggingface-token'), { token: undefined }), 'missing key "token"'],
    ['the token spans lines', withKeys(secretFiles('huggingface-token'), { token: 'FAKE\nFAKE' }), 'key "token" must be a single line'],
  ])('fails when %s, quoting no value', (_case, files, message) => {
    expect(renderHuggingfaceToken(files, settings.credential, settings)).toEqual({ ok: false, message });
  });
});
