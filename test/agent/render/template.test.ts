import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/agent/render/template.js';
import { golden, plannedOutputs, secretFiles, withKeys } from './fixtures.js';

describe('renderTemplate', () => {
  const { outputs } = plannedOutputs('template-app', 'template');

  it('plans one output per file of the annotation, in its order', () => {
    expect(outputs.map((output) => output.path)).toEqual(['/var/run/credinject/rendered/clearml/clearml.conf', '/var/run/credinject/rendered/clearml/db-url']);
  });

  it.each(outputs.map((output) => [output.path.split('/').pop() ?? '', output] as const))('renders %s like the golden file, values unescaped', (file, output) => {
    const result = renderTemplate(secretFiles('template-app'), output.credential, output);
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden(`template-app-${file}`, result.content));
  });

  it('fails naming a key the Secret no longer has, quoting no value', () => {
    const [output] = outputs;
    const result = renderTemplate(withKeys(secretFiles('template-app'), { SECRET: undefined }), output!.credential, output!);
    expect(result).toEqual({ ok: false, message: 'the template uses key "SECRET", which the Secret does not have' });
  });

  it('fails without a template in the plan', () => {
    expect(renderTemplate(secretFiles('template-app'), 'c', {})).toEqual({ ok: false, message: 'the plan holds no template' });
  });
});
