import type { V1Container, V1EnvVar, V1Volume } from '@kubernetes/client-node';
import fc from 'fast-check';
import jsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { isAgentContainer } from '../../src/engine/agentSidecar.js';
import { keys } from '../../src/contract/keys.js';
import { checkReferences } from '../../src/engine/checkReferences.js';
import { credentialVolumeName } from '../../src/engine/credentialVolumeName.js';
import type { Decision } from '../../src/contract/decision.js';
import { injectObject } from '../../src/engine/injectObject.js';
import { type InjectionOptions, defaultInjectionOptions, type SidecarMode } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { renderTargets } from '../../src/engine/renderTargets.js';
import {
  credentials,
  generatedPod,
  generatedWorkload,
  hostilePod,
  hostileWorkload,
  laterContainer,
  namespace,
  normalizePath,
  type GeneratedPod,
  type PodShape,
  templateOf,
} from './arbitraries.js';

/** Runs of the main property; the others run fewer, each still over hundreds of objects. */
const mainRuns = 1000;
const otherRuns = 400;
/** A property runs for seconds, more on a busy machine: well past vitest's 5 s default. */
const propertyTimeout = 120_000;

type Json = Record<string, unknown>;
type Template = { metadata?: Json; spec: PodShape };

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Env vars credinject sets to a path of its own (rendered files, gcp key file). */
/** Env vars with fixed values credinject sets: file paths, and what points tools at rendered files. */
const pathEnvNames = new Set(['GOOGLE_APPLICATION_CREDENTIALS', ...Object.values(renderTargets).flatMap((target) => target.env('/dir').map((variable) => variable.name))]);

function options(mode: SidecarMode): InjectionOptions {
  return { ...defaultInjectionOptions, sidecarMode: mode };
}

function applied<T>(object: T, patch: Decision['patch']): T {
  return jsonPatch.applyPatch(structuredClone(object), patch, true).newDocument;
}

function isLabel(name: string): boolean {
  return name.length <= 63 && dnsLabel.test(name);
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

/**
 * What the API server would reject after our patch (ADMISSION-NOTES, "How the patch is applied"),
 * plus two mounts at one directory spelled differently (`/a`, `/a/`, `//a`, `/./a`), which it accepts
 * but the runtime cannot honour.
 */
function specViolations(spec: PodShape, mode: SidecarMode): string[] {
  const problems: string[] = [];
  const volumes = spec.volumes ?? [];
  const volumeNames = volumes.map((volume) => volume.name);
  const all: V1Container[] = [...(spec.initContainers ?? []), ...spec.containers];
  for (const name of duplicates(volumeNames)) problems.push(`duplicate volume ${name}`);
  for (const name of duplicates(all.map((item) => item.name))) problems.push(`duplicate container ${name}`);
  for (const name of [...volumeNames, ...all.map((item) => item.name)]) if (!isLabel(name)) problems.push(`not a DNS-1123 label: ${name}`);
  for (const volume of volumes) {
    const mode = volume.secret?.defaultMode;
    if (mode !== undefined && !(Number.isInteger(mode) && mode >= 0 && mode <= 0o777)) problems.push(`volume ${volume.name} has defaultMode ${mode}`);
  }
  for (const item of all) {
    for (const name of duplicates((item.env ?? []).map((variable) => variable.name))) problems.push(`container ${item.name}: duplicate env ${name}`);
    const mounts = item.volumeMounts ?? [];
    for (const path of duplicates(mounts.map((mount) => mount.mountPath))) problems.push(`container ${item.name}: two mounts at ${path}`);
    for (const path of duplicates(mounts.map((mount) => normalizePath(mount.mountPath)))) problems.push(`container ${item.name}: two mounts at ${path} (spelled differently)`);
    for (const mount of mounts) if (!volumeNames.includes(mount.name)) problems.push(`container ${item.name}: mount of missing volume ${mount.name}`);
  }
  if (mode === 'legacy') {
    for (const item of spec.initContainers ?? []) if (item.restartPolicy === 'Always') problems.push(`legacy mode: init container ${item.name} has restartPolicy Always`);
  }
  return problems;
}

function injectedNames(template: Template): Set<string> {
  const value = (template.metadata?.['annotations'] as Record<string, string> | undefined)?.[keys.injected] ?? '';
  return new Set(value.split(',').filter((name) => name !== ''));
}

function isCredinjectEnv(variable: V1EnvVar, injected: ReadonlySet<string>): boolean {
  const secret = variable.valueFrom?.secretKeyRef?.name;
  if (secret !== undefined) return injected.has(secret);
  return pathEnvNames.has(variable.name) && typeof variable.value === 'string';
}

const isOurVolume = (name: string) => name.startsWith('credinject-');

/** Set `object[key]` to `items`, dropping the key when `items` is empty and `original` had none. */
function setList(object: Json, key: string, items: unknown[], original: Json | undefined): void {
  if (items.length === 0 && original?.[key] === undefined) delete object[key];
  else object[key] = items;
}

/**
 * A template with everything credinject may add taken out (property c): its env entries, volumes
 * named `credinject-*` and their mounts, its image pull secrets, the agent containers and its status
 * annotations. Containers are matched to the original by name, since the agent goes first.
 */
function withoutCredinject(template: Template, original: Template, injected: ReadonlySet<string>): Template {
  const copy = structuredClone(template);
  const originals = new Map([...(original.spec.initContainers ?? []), ...original.spec.containers].map((item) => [item.name, item]));
  const strip = (item: V1Container): V1Container => {
    const before = originals.get(item.name);
    const result = { ...item } as V1Container & Json;
    const ownEnv = new Set((before?.env ?? []).map((variable) => variable.name));
    if (item.env) setList(result, 'env', item.env.filter((variable) => ownEnv.has(variable.name) || !isCredinjectEnv(variable, injected)), before as Json | undefined);
    if (item.volumeMounts) setList(result, 'volumeMounts', item.volumeMounts.filter((mount) => !isOurVolume(mount.name)), before as Json | undefined);
    return result;
  };
  const spec = copy.spec as PodShape & Json;
  const originalSpec = original.spec as PodShape & Json;
  spec.containers = spec.containers.filter((item) => !isAgentContainer(item.name)).map(strip);
  if (spec.initContainers) setList(spec, 'initContainers', spec.initContainers.filter((item) => !isAgentContainer(item.name)).map(strip), originalSpec);
  if (spec.volumes) setList(spec, 'volumes', spec.volumes.filter((volume: V1Volume) => !isOurVolume(volume.name)), originalSpec);
  if (spec.imagePullSecrets) {
    const own = new Set((original.spec.imagePullSecrets ?? []).map((ref) => ref.name));
    setList(spec, 'imagePullSecrets', spec.imagePullSecrets.filter((ref) => own.has(ref.name) || !injected.has(ref.name)), originalSpec);
  }
  const annotations = copy.metadata?.['annotations'] as Record<string, string> | undefined;
  if (annotations) {
    delete annotations[keys.status];
    delete annotations[keys.injected];
  }
  return copy;
}

/** Property (c) for one template: nothing but credinject's additions changed. */
function expectOnlyCredinjectAdded(result: Template, original: Template): void {
  expect(withoutCredinject(result, original, injectedNames(result))).toStrictEqual(withoutCredinject(original, original, new Set()));
}

/** Property (f): every annotation and label key survives with its value, and no prototype is touched. */
function expectKeysIntact(result: Json | undefined, original: Json | undefined): void {
  for (const field of ['annotations', 'labels']) {
    const before = original?.[field] as Record<string, string> | undefined;
    const after = result?.[field] as Record<string, string> | undefined;
    for (const key of Object.keys(before ?? {})) {
      if (key === keys.status || key === keys.injected) continue;
      expect(Object.hasOwn(after ?? {}, key), `${field} key ${JSON.stringify(key)} kept`).toBe(true);
      expect(after?.[key]).toBe(before?.[key]);
    }
    if (after) expect(Object.getPrototypeOf(after)).toBe(Object.prototype);
  }
}

function expectDenialShape(decision: Decision): void {
  expect(decision.denial?.message.trim()).not.toBe('');
  expect(decision.patch).toStrictEqual([]);
}

function expectShortWarnings(decision: Decision): void {
  for (const warning of decision.warnings) {
    expect(warning.length).toBeGreaterThan(0);
    expect(warning.length).toBeLessThanOrEqual(120);
  }
}

function isRequestKey(key: string): boolean {
  return (
    [keys.inject, keys.containers, keys.render, keys.agent].includes(key as never) ||
    [keys.mountPathFor, keys.envPrefixFor, keys.envFor, keys.keysFor, keys.modeFor].some((prefix) => key.startsWith(prefix))
  );
}

/** A workload as the mutating webhook should leave it: its request annotations copied into the template, nothing else. */
function withWorkloadAnnotationsCopied<T extends Json>(workload: T): T {
  const copy = structuredClone(workload);
  const own = Object.entries(((copy['metadata'] as Json | undefined)?.['annotations'] ?? {}) as Record<string, string>).filter(([key]) => isRequestKey(key));
  if (own.length === 0) return copy;
  const template = templateOf(copy);
  template.metadata = template.metadata ?? {};
  template.metadata['annotations'] = Object.fromEntries([...Object.entries((template.metadata['annotations'] ?? {}) as Record<string, string>), ...own]);
  return copy;
}

/** Everything of a workload but its pod template. */
function outsideTemplate(workload: Json): Json {
  const copy = structuredClone(workload);
  const spec = copy['spec'] as Json;
  if (copy['kind'] === 'CronJob') ((spec['jobTemplate'] as Json)['spec'] as Json)['template'] = null;
  else spec['template'] = null;
  return copy;
}

describe('planAdmission on generated Pods', () => {
  it(`leaves a patch that applies, is valid, adds only credinject's fields and is idempotent (${mainRuns} pods)`, () => {
    fc.assert(
      fc.property(generatedPod, ({ pod, mode }) => {
        const decision = planAdmission({ object: pod, namespace, operation: 'CREATE' }, credentials, options(mode));
        if (decision.denial) {
          expectDenialShape(decision); // (e)
          return;
        }
        expectShortWarnings(decision);
        const patched = applied(pod, decision.patch); // (a)
        expect(specViolations(patched.spec, mode)).toStrictEqual([]); // (b)
        expectOnlyCredinjectAdded(patched, pod); // (c)
        expectKeysIntact(patched.metadata, pod.metadata); // (f)
        const again = planAdmission({ object: patched, namespace, operation: 'CREATE' }, credentials, options(mode)); // (d)
        expect(again.denial).toBeUndefined();
        expect(again.patch).toStrictEqual([]);
      }),
      { numRuns: mainRuns },
    );
  }, propertyTimeout);

  it('agrees with injectObject and with the validating webhook (checkReferences)', () => {
    fc.assert(
      fc.property(generatedPod, ({ pod, mode }) => {
        const decision = planAdmission({ object: pod, namespace, operation: 'CREATE' }, credentials, options(mode));
        const offline = injectObject(pod, namespace, credentials, options(mode));
        expect(offline.denial).toStrictEqual(decision.denial);
        expect(checkReferences({ object: pod, namespace, operation: 'CREATE' }, credentials, options(mode))).toStrictEqual(decision.denial);
        if (decision.denial) return;
        const patched = applied(pod, decision.patch);
        expect(offline.object).toStrictEqual(patched);
        expect(offline.warnings).toStrictEqual(decision.warnings);
        expect(checkReferences({ object: patched, namespace, operation: 'CREATE' }, credentials, options(mode))).toBeUndefined();
      }),
      { numRuns: otherRuns },
    );
  }, propertyTimeout);
});

/** Per-credential annotation values of a pod, by credential name. */
function perCredential(pod: GeneratedPod['pod'], prefix: string): Map<string, string> {
  const annotations = (pod.metadata['annotations'] ?? {}) as Record<string, string>;
  return new Map(Object.entries(annotations).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}

/** `NAME=key` pairs of a mapping as the generator writes them (always well-formed when accepted). */
function mappedPairs(text: string): [string, string][] {
  return text.split(',').map((entry) => entry.split('=').map((part) => part.trim()) as [string, string]);
}

describe('planAdmission shapes what goes in (mappings, subsets, modes, agent settings)', () => {
  it('an accepted pod gets from a mapped or subset credential exactly those names and keys; modes land on its volume; agent requests as asked', () => {
    const seen = { mapped: 0, subset: 0, mode: 0, agent: 0, deniedShape: 0 };
    fc.assert(
      fc.property(generatedPod, ({ pod, mode }) => {
        const decision = planAdmission({ object: pod, namespace, operation: 'CREATE' }, credentials, options(mode));
        const shapeKeys = [keys.envFor, keys.keysFor, keys.modeFor].flatMap((prefix) => [...perCredential(pod, prefix).keys()].map((name) => `${prefix}${name}`));
        if (decision.denial) {
          if ([...shapeKeys, keys.agent].some((key) => decision.denial?.message.includes(key))) seen.deniedShape++;
          return;
        }
        const patched = applied(pod, decision.patch);
        const injected = injectedNames(patched);
        const all = [...(patched.spec.initContainers ?? []), ...patched.spec.containers].filter((item) => !isAgentContainer(item.name));
        const originalEnv = new Map([...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((item) => [item.name, new Set((item.env ?? []).map((variable) => variable.name))]));
        const subsets = perCredential(pod, keys.keysFor);
        for (const [credential, text] of perCredential(pod, keys.envFor)) {
          if (!injected.has(credential)) continue;
          const pairs = mappedPairs(text).filter(([, key]) => !subsets.has(credential) || subsets.get(credential)!.split(',').map((k) => k.trim()).includes(key));
          for (const item of all) {
            const own = originalEnv.get(item.name) ?? new Set();
            const added = (item.env ?? []).filter((variable) => variable.valueFrom?.secretKeyRef?.name === credential && !own.has(variable.name));
            for (const variable of added) expect(pairs).toContainEqual([variable.name, variable.valueFrom?.secretKeyRef?.key]);
            if (added.length > 0) seen.mapped++;
          }
        }
        for (const [credential, text] of subsets) {
          if (!injected.has(credential)) continue;
          const listed = text.split(',').map((key) => key.trim());
          for (const item of all) {
            for (const variable of item.env ?? []) {
              const ref = variable.valueFrom?.secretKeyRef;
              if (ref?.name === credential && !(originalEnv.get(item.name)?.has(variable.name) ?? false)) expect(listed).toContain(ref.key);
            }
          }
          const volume = patched.spec.volumes?.find((candidate) => candidate.name === credentialVolumeName(credential, undefined));
          for (const item of volume?.secret?.items ?? []) expect(listed).toContain(item.key);
          if (volume?.secret?.items) seen.subset++;
        }
        for (const [credential, text] of perCredential(pod, keys.modeFor)) {
          const volume = patched.spec.volumes?.find((candidate) => candidate.name === credentialVolumeName(credential, undefined));
          // Mounted in the app: a rendered-only credential's Secret volume is the agent's input; the mode goes on what it renders.
          const mountedInApp = all.some((item) => (item.volumeMounts ?? []).some((mount) => mount.name === volume?.name));
          if (!injected.has(credential) || !volume?.secret || !mountedInApp) continue;
          expect(volume.secret.defaultMode).toBe(Number.parseInt(text, 8));
          seen.mode++;
        }
        const agentText = (pod.metadata['annotations'] as Record<string, string> | undefined)?.[keys.agent];
        const agent = (patched.spec.initContainers ?? []).find((item) => isAgentContainer(item.name));
        if (agentText !== undefined && agent) {
          for (const [name, value] of mappedPairs(agentText)) if (name === 'cpu' || name === 'memory') expect(agent.resources?.requests?.[name]).toBe(value);
          if (agentText.includes('init-only')) expect(patched.spec.containers.some((item) => isAgentContainer(item.name))).toBe(false);
          seen.agent++;
        }
      }),
      { numRuns: mainRuns },
    );
    // The generator must reach every new annotation, accepted and denied.
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
  }, propertyTimeout);
});

/** The pod with `later` appended to its containers or init containers, as another webhook's patch would. */
function withContainer<T extends { spec: PodShape }>(pod: T, later: { container: V1Container; init: boolean }): T {
  const copy = structuredClone(pod);
  if (later.init) copy.spec.initContainers = [...(copy.spec.initContainers ?? []), structuredClone(later.container)];
  else copy.spec.containers = [...copy.spec.containers, structuredClone(later.container)];
  return copy;
}

/** App containers in name order: where a later webhook appends one next to the legacy sidecar is its business. */
function containersByName<T extends { spec: PodShape }>(pod: T): T {
  const copy = structuredClone(pod);
  copy.spec.containers.sort((a, b) => a.name.localeCompare(b.name));
  return copy;
}

describe('planAdmission on reinvocation (reinvocationPolicy: IfNeeded)', () => {
  const reinvoked = generatedPod.chain((generated) => laterContainer(generated.pod.spec).map((later) => ({ ...generated, later })));

  it('injects a container another webhook added after us exactly as if it had been there from the start', () => {
    fc.assert(
      fc.property(reinvoked, ({ pod, mode, later }) => {
        const first = planAdmission({ object: pod, namespace, operation: 'CREATE' }, credentials, options(mode));
        fc.pre(first.denial === undefined);
        const changed = withContainer(applied(pod, first.patch), later);
        const second = planAdmission({ object: changed, namespace, operation: 'CREATE' }, credentials, options(mode));
        const scratch = planAdmission({ object: withContainer(pod, later), namespace, operation: 'CREATE' }, credentials, options(mode));
        expect(second.denial).toStrictEqual(scratch.denial);
        if (second.denial) return;
        const result = applied(changed, second.patch);
        expect(specViolations(result.spec, mode)).toStrictEqual([]);
        expect(containersByName(result)).toStrictEqual(containersByName(applied(withContainer(pod, later), scratch.patch)));
        const third = planAdmission({ object: result, namespace, operation: 'CREATE' }, credentials, options(mode));
        expect(third.patch).toStrictEqual([]);
      }),
      { numRuns: otherRuns },
    );
  }, propertyTimeout);
});

describe('planAdmission on generated workloads', () => {
  it('only copies workload annotations into the template, denies like the offline injection, and is idempotent', () => {
    fc.assert(
      fc.property(generatedWorkload, ({ workload, mode }) => {
        const decision = planAdmission({ object: workload, namespace, operation: 'CREATE' }, credentials, options(mode));
        expect(injectObject(workload, namespace, credentials, options(mode)).denial).toStrictEqual(decision.denial);
        expect(checkReferences({ object: workload, namespace, operation: 'CREATE' }, credentials, options(mode))).toStrictEqual(decision.denial);
        if (decision.denial) {
          expectDenialShape(decision);
          return;
        }
        expectShortWarnings(decision);
        const patched = applied(workload, decision.patch);
        const expected = withWorkloadAnnotationsCopied(workload);
        expect(patched).toStrictEqual(expected);
        expectKeysIntact(patched['metadata'] as Json, workload.metadata);
        expectKeysIntact(templateOf(patched).metadata, templateOf(expected).metadata);
        expect(specViolations(templateOf(patched).spec, mode)).toStrictEqual([]);
        const again = planAdmission({ object: patched, namespace, operation: 'CREATE' }, credentials, options(mode));
        expect(again).toMatchObject({ patch: [] });
        expect(again.denial).toBeUndefined();
        const update = planAdmission({ object: patched, oldObject: patched, namespace, operation: 'UPDATE' }, credentials, options(mode));
        expect(update).toStrictEqual({ patch: [], warnings: [] });
      }),
      { numRuns: otherRuns },
    );
  }, propertyTimeout);
});

describe('injectObject on generated workloads', () => {
  it('injects the template validly, is idempotent, and a Pod from the injected template passes the webhook unchanged', () => {
    fc.assert(
      fc.property(generatedWorkload, ({ workload, mode }) => {
        const result = injectObject(workload, namespace, credentials, options(mode));
        if (result.denial) {
          expect(result.denial.message.trim()).not.toBe('');
          expect(result.object).toStrictEqual(workload);
          return;
        }
        const expected = withWorkloadAnnotationsCopied(workload);
        const injected = result.object as Json;
        expect(outsideTemplate(injected)).toStrictEqual(outsideTemplate(expected));
        const template = templateOf(injected);
        expect(specViolations(template.spec, mode)).toStrictEqual([]);
        expectOnlyCredinjectAdded(template, templateOf(expected));
        expectKeysIntact(template.metadata, templateOf(expected).metadata);

        const twice = injectObject(injected, namespace, credentials, options(mode));
        expect(twice.denial).toBeUndefined();
        expect(twice.object).toStrictEqual(injected);

        const workloadAgain = planAdmission({ object: injected, namespace, operation: 'CREATE' }, credentials, options(mode));
        expect(workloadAgain.denial).toBeUndefined();
        expect(workloadAgain.patch).toStrictEqual([]);

        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...structuredClone(template.metadata), generateName: 'trainer-', namespace }, spec: structuredClone(template.spec) };
        const admitted = planAdmission({ object: pod, namespace, operation: 'CREATE' }, credentials, options(mode));
        expect(admitted.denial).toBeUndefined();
        expect(admitted.patch).toStrictEqual([]);
      }),
      { numRuns: otherRuns },
    );
  }, propertyTimeout);
});

/**
 * Hostile shapes: whatever field holds a value of the wrong type, every entry answers with a denial
 * (never a throw, never a patch) or, where the field was one the engine accepts, with a patch that
 * applies; and the three entries agree.
 */
function expectDenialOrPatch(object: unknown, mode: SidecarMode): Decision {
  const decision = planAdmission({ object, namespace, operation: 'CREATE' }, credentials, options(mode));
  expect(injectObject(object, namespace, credentials, options(mode)).denial).toStrictEqual(decision.denial);
  expect(checkReferences({ object, namespace, operation: 'CREATE' }, credentials, options(mode))).toStrictEqual(decision.denial);
  expect(planAdmission({ object, oldObject: object, namespace, operation: 'UPDATE' }, credentials, options(mode)).patch).toBeDefined();
  if (decision.denial) expectDenialShape(decision);
  else expect(() => applied(object, decision.patch)).not.toThrow();
  return decision;
}

describe('planAdmission on hostile shapes', () => {
  it('denies or patches a Pod with fields of the wrong type, never throws', () => {
    let denied = 0;
    fc.assert(
      fc.property(hostilePod, ({ pod, mode }) => {
        if (expectDenialOrPatch(pod, mode).denial?.reason === 'InvalidObject') denied++;
      }),
      { numRuns: otherRuns },
    );
    // The generator must actually reach the shape check, not only fields the engine ignores.
    expect(denied).toBeGreaterThan(otherRuns / 4);
  }, propertyTimeout);

  it('denies or patches a workload with fields of the wrong type, never throws', () => {
    fc.assert(
      fc.property(hostileWorkload, ({ workload, mode }) => {
        expectDenialOrPatch(workload, mode);
      }),
      { numRuns: otherRuns },
    );
  }, propertyTimeout);
});

describe('credential volume names', () => {
  const secretName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?){0,3}$/);
  const suffix = fc.constantFrom(undefined, 'rendered' as const);
  type Volume = [credential: string, suffix: 'rendered' | undefined];
  // Random pairs, and pairs that look alike: `x` rendered next to `x-rendered`, `a-b` next to `a.b`.
  const pair = fc.oneof(
    fc.tuple(fc.tuple(secretName, suffix), fc.tuple(secretName, suffix)),
    secretName.map((name): [Volume, Volume] => [[name, 'rendered'], [`${name}-rendered`, undefined]]),
    secretName.map((name): [Volume, Volume] => [[name.replace(/\./g, '-'), undefined], [name, undefined]]),
  );

  it('are DNS-1123 labels of at most 63 characters', () => {
    fc.assert(
      fc.property(secretName, suffix, (name, kind) => {
        expect(isLabel(credentialVolumeName(name, kind))).toBe(true);
      }),
      { numRuns: otherRuns },
    );
  }, propertyTimeout);

  it('differ for different credentials or purposes, so two credentials never claim one volume', () => {
    fc.assert(
      fc.property(pair, ([[a, s], [b, t]]) => {
        fc.pre(a !== b || s !== t);
        expect(credentialVolumeName(a, s)).not.toBe(credentialVolumeName(b, t));
      }),
      { numRuns: otherRuns },
    );
  }, propertyTimeout);
});
