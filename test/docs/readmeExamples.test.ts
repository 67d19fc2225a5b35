import type { V1Container, V1Pod, V1PodSpec, V1Secret } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { validateCredential } from '../../src/credentials/validateCredential.js';
import { injectObject } from '../../src/engine/injectObject.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';

/**
 * The README's marked examples (`<!-- readme-example: name -->` before a yaml block) run through the
 * engine against their own Secrets and examples/credentials.yaml, so an example cannot rot: each must
 * be injected without denial and do what the README says it does.
 */

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const examples = new Map([...readme.matchAll(/<!-- readme-example: ([a-z0-9-]+) -->\n```yaml\n([\s\S]*?)```/g)].map((match) => [match[1]!, parseAllDocuments(match[2]!).map((document) => document.toJS() as Record<string, unknown>)]));
const shipped = parseAllDocuments(readFileSync(new URL('../../examples/credentials.yaml', import.meta.url), 'utf8')).map((document) => document.toJS() as V1Secret);

function injected(name: string): { spec: V1PodSpec; warnings: string[] } {
  const documents = examples.get(name);
  if (!documents) throw new Error(`README has no example "${name}"`);
  const secrets = documents.filter((document) => document['kind'] === 'Secret') as V1Secret[];
  for (const secret of secrets) expect(validateCredential(secret), `Secret ${secret.metadata?.name}`).toEqual([]);
  const [workload] = documents.filter((document) => document['kind'] !== 'Secret');
  const result = injectObject(workload, 'default', staticCredentials([...shipped, ...secrets], 'default'), defaultInjectionOptions);
  expect(result.denial).toBeUndefined();
  const object = result.object as V1Pod & { spec: { template?: { spec: V1PodSpec } } };
  return { spec: object.spec.template?.spec ?? (object.spec as V1PodSpec), warnings: result.warnings };
}

const app = (spec: V1PodSpec): V1Container => spec.containers.find((container) => !container.name.startsWith('credinject'))!;
const envOf = (spec: V1PodSpec) => Object.fromEntries((app(spec).env ?? []).map((variable) => [variable.name, variable.value ?? variable.valueFrom?.secretKeyRef]));

describe('README examples', () => {
  it('has the marked examples this test checks', () => {
    expect([...examples.keys()]).toEqual(['clearml-env', 'wandb-netrc-hf-token', 'postgres-mtls']);
  });

  it('clearml-env: only the mapped keys, under the ClearML names', () => {
    const { spec, warnings } = injected('clearml-env');
    expect(envOf(spec)).toEqual({
      CLEARML_API_ACCESS_KEY: { name: 'clearml-keys', key: 'access' },
      CLEARML_API_SECRET_KEY: { name: 'clearml-keys', key: 'secret' },
    });
    expect(warnings).toEqual([]);
  });

  it('wandb-netrc-hf-token: NETRC and HF_TOKEN_PATH, one run-once agent with the requests asked', () => {
    const { spec, warnings } = injected('wandb-netrc-hf-token');
    expect(envOf(spec)).toMatchObject({ NETRC: '/var/run/credinject/wandb/netrc', HF_TOKEN_PATH: '/var/run/credinject/hf-token/token' });
    expect(spec.initContainers?.map((container) => container.name)).toEqual(['credinject-agent-init']);
    expect(spec.initContainers?.[0]?.resources?.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    expect(spec.containers.map((container) => container.name)).toEqual(['train']);
    expect(warnings).toEqual([]);
  });

  it('postgres-mtls: the tls files group-readable at /etc/pg-tls where the PGSSL* env points, and PGPASSFILE', () => {
    const { spec, warnings } = injected('postgres-mtls');
    const volume = spec.volumes?.find((candidate) => candidate.secret?.secretName === 'postgres-mtls');
    expect(volume?.secret?.defaultMode).toBe(0o440);
    expect(volume?.secret?.items?.map((item) => item.key).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    expect(volume?.secret?.items?.every((item) => item.mode === undefined || item.mode <= 0o440)).toBe(true);
    expect(app(spec).volumeMounts).toContainEqual(expect.objectContaining({ name: volume?.name, mountPath: '/etc/pg-tls' }));
    const env = envOf(spec);
    for (const name of ['PGSSLCERT', 'PGSSLKEY', 'PGSSLROOTCERT']) expect(String(env[name])).toMatch(/^\/etc\/pg-tls\/(tls\.crt|tls\.key|ca\.crt)$/);
    expect(env['PGPASSFILE']).toBe('/var/run/credinject/postgres/pgpass');
    expect(warnings).toEqual([]);
  });
});
