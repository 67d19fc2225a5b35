import { describe, expect, it } from 'vitest';
import { renderFormats } from '../../../src/contract/agentPlan.js';
import { loadRenderer } from '../../../src/agent/render/index.js';

describe('loadRenderer', () => {
  it.each(renderFormats)('has a renderer for %s that fails cleanly on an empty volume', async (format) => {
    const render = await loadRenderer(format);
    const result = render(new Map(), 'c', {});
    expect(result.ok).toBe(false);
  });
});
