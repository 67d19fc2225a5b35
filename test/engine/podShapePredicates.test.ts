import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetadataSchema, PodSpecSchema, metadataWellShaped, podSpecWellShaped } from '../../src/engine/podShape.js';

/** A value for a field: mostly the right type, sometimes anything at all (the slips zod must word). */
const either = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: fc.anything() }, fc.constant(null), fc.constant(undefined));
const fields = (shape: Record<string, fc.Arbitrary<unknown>>) => fc.record(shape, { requiredKeys: [] });
const named = fields({ name: either(fc.string()) });
const mount = fields({ name: either(fc.string()), mountPath: either(fc.string()) });
const container = fields({ name: either(fc.string()), env: either(fc.array(either(named))), volumeMounts: either(fc.array(either(mount))), restartPolicy: either(fc.string()) });
const integer = fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 60));
const podSpec = either(
  fields({
    containers: either(fc.array(either(container), { maxLength: 3 })),
    initContainers: either(fc.array(either(container), { maxLength: 2 })),
    volumes: either(fc.array(either(named), { maxLength: 2 })),
    imagePullSecrets: either(fc.array(either(named), { maxLength: 2 })),
    securityContext: either(fields({ fsGroup: either(integer), runAsUser: either(integer), runAsGroup: either(integer) })),
    restartPolicy: either(fc.string()),
    os: either(fields({ name: either(fc.string()) })),
  }),
);
const requestKey = fc.constantFrom('credinject.dev/inject', 'credinject.dev/agent', 'mount-path.credinject.dev/hf', 'env.credinject.dev/aws', 'example.com/other');
const metadata = either(fields({ annotations: either(fc.dictionary(requestKey, either(fc.string()))) }));

/** Every pod spec and metadata in the recorded reviews, wherever it sits. */
function recorded(): { specs: unknown[]; metadatas: unknown[] } {
  const dir = new URL('../fixtures/admission/', import.meta.url);
  const specs: unknown[] = [];
  const metadatas: unknown[] = [];
  const walk = (value: unknown, key: string): void => {
    if (typeof value !== 'object' || value === null) return;
    if (key === 'metadata') metadatas.push(value);
    if (key === 'spec' && 'containers' in value) specs.push(value);
    for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) walk(JSON.parse(readFileSync(new URL(file, dir), 'utf8')), '');
  return { specs, metadatas };
}

describe('the shape predicates in front of zod', () => {
  it('never pass what zod would refuse: a pass means zod has nothing to say', () => {
    fc.assert(fc.property(podSpec, (spec) => !podSpecWellShaped(spec) || PodSpecSchema.safeParse(spec).success), { numRuns: 3000 });
    fc.assert(fc.property(metadata, (meta) => !metadataWellShaped(meta) || MetadataSchema.safeParse(meta).success), { numRuns: 3000 });
  });

  it('pass every recorded pod spec and metadata, so a real review never reaches zod', () => {
    const { specs, metadatas } = recorded();
    expect(specs.length).toBeGreaterThan(5);
    for (const spec of specs) expect(podSpecWellShaped(spec)).toBe(true);
    for (const meta of metadatas) expect(metadataWellShaped(meta)).toBe(true);
  });

  it('refuse the slips zod words', () => {
    expect(podSpecWellShaped({ containers: [{ name: 'app', env: 'oops' }] })).toBe(false);
    expect(podSpecWellShaped({ containers: [{ volumeMounts: [{ name: 'v' }] }] })).toBe(false);
    expect(podSpecWellShaped({ securityContext: { fsGroup: '2000' } })).toBe(false);
    expect(podSpecWellShaped([])).toBe(false);
    expect(metadataWellShaped({ annotations: { 'credinject.dev/inject': true } })).toBe(false);
    expect(metadataWellShaped({ annotations: 'credinject.dev/inject=x' })).toBe(false);
    expect(metadataWellShaped({ annotations: { 'example.com/other': 5 } })).toBe(true);
  });
});
