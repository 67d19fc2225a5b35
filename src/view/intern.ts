/**
 * One copy of each repeated string the informers keep: namespaces, Secret names and key names
 * arrive as a fresh string in every object (JSON.parse does not share values), and 50,000 Pods
 * name the same hundred namespaces and the same few thousand Secrets. Only an optimisation: when
 * the table grows past `limit` (names of a churning cluster that are gone) it starts over, and a
 * string interned before and after is merely two equal copies.
 */
export type Interner = (value: string) => string;

export function createInterner(limit = 200_000): Interner {
  let table = new Map<string, string>();
  return (value) => {
    const known = table.get(value);
    if (known !== undefined) return known;
    if (table.size >= limit) table = new Map();
    table.set(value, value);
    return value;
  };
}

/** Interns every element of an array this module's caller owns, in place. */
export function internAll(values: string[], intern: Interner): string[] {
  for (let i = 0; i < values.length; i++) values[i] = intern(values[i]!);
  return values;
}
