import type { V1Secret } from '@kubernetes/client-node';
import { parseArgs } from 'node:util';
import { keys } from '../contract/keys.js';
import { parseDuration } from '../contract/parseDuration.js';
import { describeCredential } from '../credentials/describeCredential.js';
import { defaultExpiryWarningMs, expiryState, expiryStatus } from '../credentials/expiry.js';
import { isCredentialSecret } from '../credentials/staticCredentials.js';
import { credentialWarnings } from '../credentials/validateCredential.js';
import { ManifestError, parseManifests, readSource } from '../manifests/manifests.js';
import { program } from './programName.js';

const help = `usage: ${program} validate -f <file|dir|-> [--expiry-warning D] [--deny-expired]

Checks every credential Secret (label credinject.dev/type) against its type's data contract, and
reads the expiry of its certificates and tokens.
Exit 1 when any credential is invalid (or expired, with --deny-expired), or when the input holds none.

  -f, --filename F         a YAML/JSON file of Secrets, a directory of them, or - for stdin
  --expiry-warning D       say "expires in ..." within D (7d; 168h, 0 for never)
  --deny-expired           an expired credential fails the check, as the webhook's --deny-expired

examples:
  ${program} validate -f examples/credentials.yaml
  ${program} validate -f secrets/ --deny-expired        # in CI, before kubectl apply
  kubectl get secret -n ml -l credinject.dev/type -o yaml | ${program} validate -f -
`;

export interface ValidateIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now(): Date;
}

const processIo: ValidateIo = { stdout: process.stdout, stderr: process.stderr, now: () => new Date() };

export async function run(argv: string[], io: ValidateIo = processIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        filename: { type: 'string', short: 'f' },
        'expiry-warning': { type: 'string' },
        'deny-expired': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    io.stderr.write(`credinject validate: ${(err as Error).message}\n\n${help}`);
    return 2;
  }
  if (args.help) return io.stdout.write(help), 0;
  if (!args.filename) return io.stderr.write(`credinject validate: -f is required\n\n${help}`), 2;
  const warningMs = args['expiry-warning'] === undefined ? defaultExpiryWarningMs : parseDuration(args['expiry-warning']);
  if (Number.isNaN(warningMs)) return io.stderr.write(`credinject validate: --expiry-warning must be a duration such as 7d or 168h\n`), 2;
  try {
    const secrets = parseManifests(await readSource(args.filename), args.filename).filter(isCredentialSecret) as V1Secret[];
    if (secrets.length === 0) return io.stderr.write(`credinject validate: no credential Secrets in ${args.filename}\n`), 1;
    const now = io.now();
    let invalid = 0;
    let expired = 0;
    for (const secret of secrets) {
      const name = `${secret.metadata?.name ?? '<unnamed>'} (${secret.metadata?.labels?.[keys.typeLabel]})`;
      const info = describeCredential(secret);
      if (info.problems.length > 0) {
        invalid += 1;
        io.stdout.write(`invalid  ${name}\n`);
        for (const problem of info.problems) io.stdout.write(`         ${problem.key ?? '-'}: ${problem.message}\n`);
        continue;
      }
      const isExpired = expiryState(info.expiresAt, now, warningMs).state === 'expired';
      if (isExpired) expired += 1;
      const status = expiryStatus(info.expiresAt, now, warningMs);
      const expiry = status ? `  ${status} (key "${info.expiryKey}", ${info.expiresAt})` : '';
      const warnings = credentialWarnings(secret).map((warning) => `         warning: ${warning}\n`).join('');
      io.stdout.write(`${(isExpired ? 'expired' : 'ok').padEnd(9)}${name}${expiry}\n${warnings}`);
    }
    const valid = secrets.length - invalid - expired;
    io.stdout.write(`${valid} valid, ${invalid} invalid${expired > 0 ? `, ${expired} expired` : ''}\n`);
    return invalid > 0 || (expired > 0 && args['deny-expired']) ? 1 : 0;
  } catch (err) {
    if (err instanceof ManifestError) return io.stderr.write(`credinject validate: ${err.message}\n`), 1;
    throw err;
  }
}
