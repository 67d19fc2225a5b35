/**
 * The file mode of `mode.credinject.dev/<credential>`: octal, `0400`, `0440`, `640`, within 0000–0777
 * (what the API server takes as a Secret volume's `defaultMode`).
 */
export function parseFileMode(text: string): number | undefined {
  const trimmed = text.trim();
  return /^0?[0-7]{3}$/.test(trimmed) ? Number.parseInt(trimmed, 8) : undefined;
}

/** A mode as users write it: `0400`. */
export function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

/** What `parseFileMode` asks, for messages. */
export const fileModeRule = 'must be an octal file mode from 0000 to 0777, e.g. "0400" or "0440"';
