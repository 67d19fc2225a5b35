import type { AgentOutput } from '../../contract/agentPlan.js';

/** The credential's files as kubelet put them in the Secret volume: key → raw bytes. */
export type SecretFiles = ReadonlyMap<string, Buffer>;

/** What a renderer returns: the file content, or a message that names keys and never a value. */
export type RenderResult = { ok: true; content: string } | { ok: false; message: string };

/** What the engine's plan adds for formats that need more than the files (see `AgentOutput`). */
export type RenderSettings = Pick<AgentOutput, 'login' | 'env' | 'template'>;

/** Turns one credential's Secret files into the text of one file format. Pure: no I/O. */
export type Renderer = (files: SecretFiles, credential: string, settings: RenderSettings) => RenderResult;

/** A successful render. */
export function rendered(content: string): RenderResult {
  return { ok: true, content };
}

/** A failed render; `message` must name keys only, never quote a value. */
export function renderFailed(message: string): RenderResult {
  return { ok: false, message };
}

/** The key decoded as UTF-8, or undefined when the key is absent or holds only whitespace. */
export function textOf(files: SecretFiles, key: string): string | undefined {
  const bytes = files.get(key);
  if (bytes === undefined) return undefined;
  const text = bytes.toString('utf8');
  return text.trim() === '' ? undefined : text;
}

/**
 * A value that must fit on one line (tokens, key ids, URLs): surrounding whitespace is dropped
 * because `kubectl create secret --from-file` keeps the file's trailing newline, which would end
 * up inside an HTTP header or an INI line.
 */
export function singleLine(text: string): { ok: true; value: string } | { ok: false } {
  const value = text.trim();
  return /[\r\n]/.test(value) ? { ok: false } : { ok: true, value };
}
