/** Placeholder until the `inject` command lands: says so instead of pretending. */
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('credinject inject: not built yet\n');
  return 2;
}
