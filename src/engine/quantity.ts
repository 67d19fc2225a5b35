/**
 * Kubernetes resource quantities as credinject takes them (`10m`, `0.5`, `64Mi`, `1G`): the forms
 * the agent's requests and the operator's bounds are written in. client-node has a parser
 * (`quantityToScalar`) but does not export it from its package entry, and it returns bigint for
 * some suffixes; comparing bounds needs one number.
 */
export const quantityPattern = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/;

const factors: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** The quantity in base units (cores, bytes), or undefined when it is not one of our forms. */
export function quantityValue(text: string): number | undefined {
  const match = quantityPattern.exec(text);
  if (!match) return undefined;
  return Number(text.slice(0, text.length - (match[2]?.length ?? 0))) * (factors[match[2] ?? ''] ?? 1);
}
