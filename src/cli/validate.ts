import type { V1Secret } from '@kubernetes/client-node';
import { parseArgs } from 'node:util';
import { isCredentialSecret } from '../credentials/staticCredentials.js';
import { credentialWarnings, validateCredential } from '../credentials/validateCredential.js';
import { ManifestError, parseManifests, readSource } from '../manifests/manifests.js';

const help = `usage: credinject validate -f <file|->

Checks every credential Secret (label credinject.dev/type) against its type's data contract.
Exit 1 when any credential is invalid, or when the input holds none.
`;

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { filename: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (err) {
    process.stderr.write(`credinject validate: ${(err as Error).message}\n\n${help}`);
    return 2;
  }
  if (args.help) return process.stdout.write(help), 0;
  if (!args.filename) return process.stderr.write(`credinject validate: -f is required\n\n${help}`), 2;
  try {
    const secrets = parseManifests(await readSource(args.filename), args.filename).filter(isCredentialSecret) as V1Secret[];
    if (secrets.length === 0) return process.stderr.write(`credinject validate: no credential Secrets in ${args.filename}\n`), 1;
    let invalid = 0;
    for (const secret of secrets) {
      const name = `${secret.metadata?.name ?? '<unnamed>'} (${secret.metadata?.labels?.['credinject.dev/type']})`;
      const problems = validateCredential(secret);
      const warnings = credentialWarnings(secret).map((warning) => `         warning: ${warning}\n`).join('');
      if (problems.length === 0) {
        process.stdout.write(`ok       ${name}\n${warnings}`);
        continue;
      }
      invalid += 1;
      process.stdout.write(`invalid  ${name}\n`);
      for (const problem of problems) process.stdout.write(`         ${problem.key ?? '-'}: ${problem.message}\n`);
    }
    process.stdout.write(`${secrets.length - invalid} valid, ${invalid} invalid\n`);
    return invalid > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof ManifestError) return process.stderr.write(`credinject validate: ${err.message}\n`), 1;
    throw err;
  }
}
