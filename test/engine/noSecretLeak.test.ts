import { createHash } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeCredential } from '../../src/credentials/describeCredential.js';
import { keyDigests } from '../../src/credentials/keyDigests.js';
import { credentialTypes } from '../../src/credentials/registry.js';
import { decodeSecretData } from '../../src/credentials/secretData.js';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { credentialDenial, validateCredential } from '../../src/credentials/validateCredential.js';
import { keys } from '../../src/contract/keys.js';
import { checkReferences } from '../../src/engine/checkReferences.js';
import { injectObject } from '../../src/engine/injectObject.js';
import { defaultInjectionOptions, type InjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { applied } from '../fixtures/pods.js';
import { forbiddenStrings, invalidMarkedCases, type MarkedCase, marker, validMarkedCases } from '../fixtures/engine/markedSecrets.js';

/**
 * The product rule (docs/architecture.md, "From Secret to cache"): Secret values are never logged, echoed in a denial, or kept longer than a request
 * needs. Every value of these Secrets carries a marker; nothing the credential and engine layers
 * return about them — problems, denials, warnings, cached descriptions, patches — may contain it.
 */

const namespace = 'team-a';
const allCases = [...validMarkedCases, ...invalidMarkedCases];
const lookup = staticCredentials(
  allCases.map((row) => row.secret),
  namespace,
);
const legacy: InjectionOptions = { ...defaultInjectionOptions, sidecarMode: 'legacy' };

function nameOf(secret: V1Secret): string {
  return secret.metadata?.name ?? '';
}

/** Assert that no forbidden string of `secret` appears in `output` (serialised when not a string). */
function expectNoLeak(output: unknown, secret: V1Secret): void {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  for (const forbidden of forbiddenStrings(secret)) expect(text, `output must not contain ${JSON.stringify(forbidden)}`).not.toContain(forbidden);
}

/** Formats that need more than the type's keys: the owner's templates, or a host. */
const needsOwnerSetup = new Set(['template', 'netrc', 'git-credentials', 'pgpass']);

/** The render annotation value asking for every format the case renders (see `MarkedCase.render`). */
function renderAll(secret: V1Secret): string | undefined {
  const row = allCases.find((candidate) => candidate.secret === secret);
  const type = credentialTypes.get(secret.metadata?.labels?.[keys.typeLabel] ?? '');
  const formats = row?.render ?? (type?.renderFormats ?? []).filter((format) => !needsOwnerSetup.has(format));
  return formats.length > 0 ? formats.map((format) => `${nameOf(secret)}:${format}`).join(',') : undefined;
}

/** A pod asking for one credential (rendered in every format it has), into an app and an init container. */
function podUsing(secret: V1Secret, env: { name: string; value: string }[] = []) {
  const annotations: Record<string, string> = { [keys.inject]: nameOf(secret), [keys.containers]: 'app, setup' };
  const render = renderAll(secret);
  if (render) annotations[keys.render] = render;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'trainer-', namespace, annotations },
    spec: {
      initContainers: [{ name: 'setup', image: 'busybox', env }],
      containers: [{ name: 'app', image: 'trainer:1', env }],
    },
  };
}

function deploymentUsing(secret: V1Secret) {
  const pod = podUsing(secret);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'trainer', namespace, annotations: pod.metadata.annotations },
    spec: { selector: { matchLabels: { app: 'trainer' } }, template: { metadata: { labels: { app: 'trainer' } }, spec: pod.spec } },
  };
}

/** Env names injection gives the app container: the pod then sets them all itself, to draw the override warning. */
function injectedEnvNames(secret: V1Secret): string[] {
  const pod = podUsing(secret);
  const result = injectObject(pod, namespace, lookup, defaultInjectionOptions);
  expect(result.denial).toBeUndefined();
  const app = (result.object as ReturnType<typeof podUsing>).spec.containers.find((container) => container.name === 'app');
  return (app?.env ?? []).map((variable) => variable.name);
}

describe('validation of a marked credential', () => {
  it.each(validMarkedCases)('finds $case valid', ({ secret }) => {
    expect(validateCredential(secret)).toStrictEqual([]);
  });

  it.each(invalidMarkedCases)('finds $case invalid by rule $rule, without quoting a value', ({ secret, rule }) => {
    const problems = validateCredential(secret);
    expect(problems.map((problem) => problem.rule)).toContain(rule);
    expectNoLeak(problems, secret);
  });

  it.each(invalidMarkedCases)('denies $case with a message that quotes no value', ({ secret }) => {
    const denial = credentialDenial(nameOf(secret), validateCredential(secret));
    expect(denial.message).toContain(nameOf(secret));
    expectNoLeak(denial, secret);
  });
});

describe('the description of a marked credential (what the webhook cache keeps)', () => {
  it.each<MarkedCase>(allCases)('holds no value of $case', ({ secret }) => {
    const info = describeCredential(secret);
    expect(info.name).toBe(nameOf(secret));
    expectNoLeak(info, secret);
  });

  it('holds no value in the static lookup built from every case', () => {
    const all = JSON.stringify(lookup.all());
    expect(all).not.toContain(marker);
  });
});

describe('admission of a pod using an invalid marked credential', () => {
  it.each(invalidMarkedCases)('denies a pod using $case and names it, quoting no value', ({ secret }) => {
    const decision = planAdmission({ object: podUsing(secret), namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions);
    expect(decision.denial?.message).toContain(`"${nameOf(secret)}"`);
    expectNoLeak(decision, secret);
  });

  it.each(invalidMarkedCases)('denies a Deployment using $case at apply time, quoting no value', ({ secret }) => {
    const decision = planAdmission({ object: deploymentUsing(secret), namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions);
    expect(decision.denial).toBeDefined();
    expectNoLeak(decision, secret);
    const offline = injectObject(deploymentUsing(secret), namespace, lookup, defaultInjectionOptions);
    expect(offline.denial).toBeDefined();
    expectNoLeak(offline.denial, secret);
  });

  it.each(invalidMarkedCases)('fails the validating check of a pod using $case, quoting no value', ({ secret }) => {
    const denial = checkReferences({ object: podUsing(secret), namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions);
    expect(denial).toBeDefined();
    expectNoLeak(denial, secret);
  });

  it('lists every invalid credential of one pod in one denial, quoting no value', () => {
    const pod = podUsing(invalidMarkedCases[0]!.secret);
    pod.metadata.annotations = { [keys.inject]: invalidMarkedCases.map((row) => nameOf(row.secret)).join(', ') };
    const decision = planAdmission({ object: pod, namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions);
    for (const row of invalidMarkedCases) expect(decision.denial?.message).toContain(`"${nameOf(row.secret)}"`);
    expect(JSON.stringify(decision)).not.toContain(marker);
  });
});

describe('admission of a pod using a valid marked credential', () => {
  it.each(validMarkedCases)('injects $case by reference: the patch holds no value', ({ secret }) => {
    for (const options of [defaultInjectionOptions, legacy]) {
      const decision = planAdmission({ object: podUsing(secret), namespace, operation: 'CREATE' }, lookup, options);
      expect(decision.denial).toBeUndefined();
      expect(decision.patch.length).toBeGreaterThan(0);
      expectNoLeak(decision, secret);
    }
  });

  it.each(validMarkedCases)('warns about env vars the pod keeps over $case, quoting no value', ({ secret }) => {
    const names = injectedEnvNames(secret);
    const pod = podUsing(
      secret,
      names.map((name) => ({ name, value: 'set-by-the-pod' })),
    );
    const decision = planAdmission({ object: pod, namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions);
    expect(decision.denial).toBeUndefined();
    if (names.length > 0) expect(decision.warnings.join('\n')).toContain('keeps its own');
    expectNoLeak(decision, secret);
    expect(checkReferences({ object: pod, namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions)).toBeUndefined();
  });

  it.each(validMarkedCases)('lets a Deployment using $case through with no value in the patch', ({ secret }) => {
    const decision = planAdmission({ object: deploymentUsing(secret), namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions);
    expect(decision.denial).toBeUndefined();
    expectNoLeak(decision, secret);
    expectNoLeak(injectObject(deploymentUsing(secret), namespace, lookup, defaultInjectionOptions), secret);
  });
});

describe('shaping a marked credential (env mapping, key subset, mode, agent settings)', () => {
  const keysOf = (secret: V1Secret): string[] => [...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})];
  /** Good and bad shapes for one credential: each either injects by reference or denies naming keys only. */
  const shapes = (secret: V1Secret): Record<string, string>[] => {
    const name = nameOf(secret);
    const [first = 'none', second = first] = keysOf(secret);
    return [
      { [`${keys.envFor}${name}`]: `MAPPED_ONE=${first}, MAPPED_TWO=${second}` },
      { [`${keys.envFor}${name}`]: `MAPPED=${first}, MAPPED=${second}` },
      { [`${keys.envFor}${name}`]: 'MAPPED=not-a-key-of-it' },
      { [`${keys.envFor}${name}`]: `1BAD=${first}` },
      { [`${keys.keysFor}${name}`]: first },
      { [`${keys.keysFor}${name}`]: `${first}, not-a-key-of-it` },
      { [`${keys.modeFor}${name}`]: '0400' },
      { [`${keys.modeFor}${name}`]: '0666' },
      { [keys.agent]: 'mode=init-only, cpu=2' },
      { [keys.agent]: 'mode=init-only, cpu=50m, memory=64Mi' },
    ];
  };

  it.each<MarkedCase>(allCases)('answers every shape of $case with no value in the denial, warnings or patch', ({ secret }) => {
    for (const extra of shapes(secret)) {
      const pod = podUsing(secret);
      Object.assign(pod.metadata.annotations, extra);
      const decision = planAdmission({ object: pod, namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions);
      expectNoLeak(decision, secret);
      expectNoLeak(checkReferences({ object: pod, namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions) ?? {}, secret);
      expectNoLeak(injectObject(pod, namespace, lookup, defaultInjectionOptions), secret);
    }
  });

  it('denies the bad shapes of a valid env credential naming the annotation and keys only', () => {
    const secret = validMarkedCases.find((row) => row.case === 'aws')!.secret;
    const messages = shapes(secret).map((extra) => {
      const pod = podUsing(secret);
      Object.assign(pod.metadata.annotations, extra);
      return planAdmission({ object: pod, namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions).denial?.message ?? '';
    });
    expect(messages.join('\n')).toContain(`${keys.envFor}m-aws names env var MAPPED twice`);
    expect(messages.join('\n')).toContain(`${keys.envFor}m-aws maps key "not-a-key-of-it", which credential "m-aws" does not have (it has`);
    expect(messages.join('\n')).toContain(`${keys.keysFor}m-aws names key "not-a-key-of-it"`);
    expect(messages.join('\n')).not.toContain(marker);
  });
});

describe('the versions a Pod records (credinject.dev/versions)', () => {
  const digestKey = Buffer.alloc(32, 9);
  const secretOf = new Map(validMarkedCases.map((row) => [nameOf(row.secret), row.secret]));
  const withDigests = {
    get(ns: string, name: string) {
      const info = lookup.get(ns, name);
      const secret = secretOf.get(name);
      return info && secret ? { ...info, digests: keyDigests({ ...secret, metadata: { ...secret.metadata, namespace } }, digestKey) } : info;
    },
  };
  /** Unkeyed hashes of each value, as Reloader writes them: none may appear, whole or cut. */
  const unkeyed = (secret: V1Secret): string[] =>
    [...decodeSecretData(secret).values.values()].flatMap((value) => ['sha1', 'sha256', 'md5'].map((algorithm) => createHash(algorithm).update(value).digest('hex')));

  it.each(validMarkedCases)('of a pod using $case name it, with no value and no unkeyed hash of one', ({ secret }) => {
    const decision = planAdmission({ object: podUsing(secret), namespace, operation: 'CREATE' }, withDigests, defaultInjectionOptions);
    expect(decision.denial).toBeUndefined();
    const versions = applied(podUsing(secret), decision.patch).metadata.annotations[keys.versions] ?? '';
    expect(versions).toMatch(new RegExp(`^${nameOf(secret)}=[0-9a-f]{16}$`));
    expectNoLeak(decision, secret);
    const digest = versions.split('=')[1]!;
    expect(unkeyed(secret).some((hash) => hash.startsWith(digest))).toBe(false);
  });

  it('are not recorded offline (no digest key)', () => {
    const secret = validMarkedCases[0]!.secret;
    const decision = planAdmission({ object: podUsing(secret), namespace, operation: 'CREATE' }, lookup, defaultInjectionOptions);
    expect(JSON.stringify(decision.patch)).not.toContain(keys.versions);
  });
});
