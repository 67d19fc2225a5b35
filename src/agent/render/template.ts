import { fillTemplate, parseTemplate } from '../../credentials/rules/template.js';
import { type RenderResult, type RenderSettings, type SecretFiles, renderFailed, rendered } from './renderer.js';

/**
 * Render one of the owner's templates (`credinject.dev/templates`, handed over in the plan) with the
 * Secret's values, as stored: exact key names, no escaping. The webhook refused templates naming
 * keys the Secret lacks; a key gone since (a Secret written before the webhook ran) fails here.
 */
export function renderTemplate(files: SecretFiles, _credential: string, { template }: RenderSettings): RenderResult {
  if (template === undefined) return renderFailed('the plan holds no template');
  const parsed = parseTemplate(template);
  if (!parsed.ok) return renderFailed(`the template does not parse: ${parsed.message}`);
  const filled = fillTemplate(parsed.tokens, (key) => files.get(key)?.toString('utf8'));
  return filled.ok ? rendered(filled.text) : renderFailed(`the template uses key "${filled.missingKey}", which the Secret does not have`);
}
