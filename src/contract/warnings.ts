/**
 * The longest admission warning we send. The API server may cut warnings over 256 characters and
 * kubectl prints each on one line, so every warning is kept short; longer texts end in "…".
 */
export const maxWarningLength = 120;

/** A warning cut to `maxWarningLength`. */
export function shortWarning(text: string): string {
  return text.length <= maxWarningLength ? text : `${text.slice(0, maxWarningLength - 1)}…`;
}
