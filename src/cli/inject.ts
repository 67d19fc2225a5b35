import { parseArgs } from 'node:util';
import { injectObject } from '../engine/injectObject.js';
import { InjectionOptions } from '../engine/options.js';
import { describeObject, formatManifests, ManifestError, parseManifests, readSource } from '../manifests/manifests.js';
import { fileView } from '../view/fileView.js';
import { flagUsageLines, injectionFlags, injectionInputFromFlags } from './serveFlags.js';
import { program } from './programName.js';

const help = `usage: ${program} inject -f <file|dir|-> [--credentials <file|dir>] [-n <namespace>]

Prints the manifests with credentials injected, as the webhook would at admission.
  -f, --filename      manifests to inject (multi-document YAML or a List, or a directory of
                      .yaml/.yml/.json files); - for stdin
  --credentials       credential Secrets to resolve against (default: those in -f)
  -n, --namespace     namespace of objects that name none (default "default")
The agent flags are serve's, so offline output matches the webhook run with the same flags:
${flagUsageLines(injectionFlags).join('\n')}
Exit 1, printing nothing on stdout, when any object would be denied.

examples:
  ${program} inject -f examples/workloads.yaml --credentials examples/credentials.yaml
  ${program} inject -f k8s/ --credentials secrets/ | kubectl apply -f -
  helm template my-app ./chart | ${program} inject -f - --credentials secrets.yaml -n ml
`;

function namespaceOf(object: unknown, fallback: string): string {
  return (object as { metadata?: { namespace?: string } } | null)?.metadata?.namespace ?? fallback;
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        filename: { type: 'string', short: 'f' },
        credentials: { type: 'string' },
        namespace: { type: 'string', short: 'n', default: 'default' },
        ...Object.fromEntries(injectionFlags.map((flag) => [flag.name, { type: flag.type }])),
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`credinject inject: ${(err as Error).message}\n\n${help}`);
    return 2;
  }
  if (args.help) return process.stdout.write(help), 0;
  if (!args.filename) return process.stderr.write(`credinject inject: -f is required\n\n${help}`), 2;
  const { input, flagOf } = injectionInputFromFlags(args);
  const options = InjectionOptions.safeParse(input);
  if (!options.success) {
    const problems = options.error.issues.map((issue) => `credinject inject: ${flagOf[issue.path.join('.')] ?? issue.path.join('.')}: ${issue.message}\n`);
    return process.stderr.write(problems.join('')), 2;
  }
  try {
    const objects = parseManifests(await readSource(args.filename), args.filename);
    const secretObjects = args.credentials ? parseManifests(await readSource(args.credentials), args.credentials) : objects;
    const { credentials } = fileView(secretObjects, args.namespace);
    const results = objects.map((object) => ({ object, result: injectObject(object, namespaceOf(object, args.namespace), credentials, options.data) }));
    for (const { object, result } of results) {
      for (const warning of result.warnings) process.stderr.write(`Warning: ${describeObject(object)}: ${warning}\n`);
    }
    const denied = results.filter(({ result }) => result.denial);
    for (const { object, result } of denied) process.stderr.write(`credinject: ${describeObject(object)} denied: ${result.denial?.message}\n`);
    if (denied.length > 0) return 1;
    process.stdout.write(formatManifests(results.map(({ result }) => result.object)));
    return 0;
  } catch (err) {
    if (err instanceof ManifestError) return process.stderr.write(`credinject inject: ${err.message}\n`), 1;
    throw err;
  }
}
