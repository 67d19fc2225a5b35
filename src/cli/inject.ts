import { parseArgs } from 'node:util';
import { checkExpiry, type ExpiryPolicy } from '../admission/expiryCheck.js';
import { parseDuration } from '../contract/parseDuration.js';
import { defaultExpiryWarningMs } from '../credentials/expiry.js';
import { injectObject } from '../engine/injectObject.js';
import { InjectionOptions } from '../engine/options.js';
import { describeObject, formatManifests, ManifestError, parseManifests, readSource } from '../manifests/manifests.js';
import { fileView } from '../view/fileView.js';
import { flagUsageLines, injectionFlags, injectionInputFromFlags } from './serveFlags.js';
import { program } from './programName.js';

const help = `usage: ${program} inject -f <file|dir|-> [--credentials <file|dir>] [-n <namespace>]
         [--expiry-warning D] [--deny-expired]

Prints the manifests with credentials injected, as the webhook would at admission.
  -f, --filename      manifests to inject (multi-document YAML or a List, or a directory of
                      .yaml/.yml/.json files); - for stdin
  --credentials       credential Secrets to resolve against (default: those in -f)
  -n, --namespace     namespace of objects that name none (default "default")
  --expiry-warning D  warn on stderr about an injected credential that expires within D (7d; 168h,
                      0 for never) or has expired, as the webhook warns at admission
  --deny-expired      an expired credential is a denial, as the webhook's --deny-expired
The agent flags are serve's, so offline output matches the webhook run with the same flags:
${flagUsageLines(injectionFlags).join('\n')}
Exit 1, printing nothing on stdout, when any object would be denied.

examples:
  ${program} inject -f examples/workloads.yaml --credentials examples/credentials.yaml
  ${program} inject -f k8s/ --credentials secrets/ | kubectl apply -f -
  helm template my-app ./chart | ${program} inject -f - --credentials secrets.yaml -n ml
`;

export interface InjectIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now(): Date;
}

const processIo: InjectIo = { stdout: process.stdout, stderr: process.stderr, now: () => new Date() };

function namespaceOf(object: unknown, fallback: string): string {
  return (object as { metadata?: { namespace?: string } } | null)?.metadata?.namespace ?? fallback;
}

export async function run(argv: string[], io: InjectIo = processIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        filename: { type: 'string', short: 'f' },
        credentials: { type: 'string' },
        namespace: { type: 'string', short: 'n', default: 'default' },
        ...Object.fromEntries(injectionFlags.map((flag) => [flag.name, { type: flag.type }])),
        'expiry-warning': { type: 'string' },
        'deny-expired': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    io.stderr.write(`credinject inject: ${(err as Error).message}\n\n${help}`);
    return 2;
  }
  if (args.help) return io.stdout.write(help), 0;
  if (!args.filename) return io.stderr.write(`credinject inject: -f is required\n\n${help}`), 2;
  const { input, flagOf } = injectionInputFromFlags(args);
  const options = InjectionOptions.safeParse(input);
  if (!options.success) {
    const problems = options.error.issues.map((issue) => `credinject inject: ${flagOf[issue.path.join('.')] ?? issue.path.join('.')}: ${issue.message}\n`);
    return io.stderr.write(problems.join('')), 2;
  }
  const warningMs = args['expiry-warning'] === undefined ? defaultExpiryWarningMs : parseDuration(args['expiry-warning']);
  if (Number.isNaN(warningMs)) return io.stderr.write(`credinject inject: --expiry-warning must be a duration such as 7d or 168h\n`), 2;
  const expiry: ExpiryPolicy = { warningMs, denyExpired: args['deny-expired'] };
  try {
    const objects = parseManifests(await readSource(args.filename), args.filename);
    const secretObjects = args.credentials ? parseManifests(await readSource(args.credentials), args.credentials) : objects;
    const { credentials } = fileView(secretObjects, args.namespace);
    const now = io.now();
    const results = objects.map((object) => {
      const namespace = namespaceOf(object, args.namespace);
      const injection = injectObject(object, namespace, credentials, options.data);
      // The webhook's expiry check over what went in: a pod template here becomes the Pod it warns about.
      const { warnings, denial } = checkExpiry({ patch: [], ...injection }, namespace, credentials, expiry, now);
      return { object, result: { ...injection, warnings, denial } };
    });
    for (const { object, result } of results) {
      for (const warning of result.warnings) io.stderr.write(`Warning: ${describeObject(object)}: ${warning}\n`);
    }
    const denied = results.filter(({ result }) => result.denial);
    for (const { object, result } of denied) io.stderr.write(`credinject: ${describeObject(object)} denied: ${result.denial?.message}\n`);
    if (denied.length > 0) return 1;
    io.stdout.write(formatManifests(results.map(({ result }) => result.object)));
    return 0;
  } catch (err) {
    if (err instanceof ManifestError) return io.stderr.write(`credinject inject: ${err.message}\n`), 1;
    throw err;
  }
}
