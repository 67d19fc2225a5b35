/** Placeholder until the `serve` command lands: says so instead of pretending. */
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('credinject serve: not built yet\n');
  return 2;
}
