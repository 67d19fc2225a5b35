import { readSecretLine } from './login.js';
import { type RenderResult, type RenderSettings, type SecretFiles, renderFailed, rendered } from './renderer.js';

/**
 * Render the token file `huggingface_hub` reads (`HF_TOKEN_PATH`, by default `$HF_HOME/token`):
 * the token alone, without a newline, as `huggingface-cli login` writes it.
 */
export function renderHuggingfaceToken(files: SecretFiles, _credential: string, { login }: RenderSettings): RenderResult {
  const token = readSecretLine(files, login);
  return 'error' in token ? renderFailed(token.error) : rendered(token.value);
}
