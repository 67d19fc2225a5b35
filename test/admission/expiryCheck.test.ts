import { describe, expect, it } from 'vitest';
import { checkExpiry, defaultExpiryPolicy } from '../../src/admission/expiryCheck.js';
import { mutate } from '../../src/admission/mutate.js';
import type { Decision } from '../../src/contract/decision.js';
import type { CredentialInfo } from '../../src/credentials/credentialInfo.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { fixtureView, requestOf } from './reviews.js';

const day = 24 * 60 * 60 * 1000;
const now = new Date('2026-12-02T12:00:00.000Z');
const iso = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

function info(name: string, expiresAt?: string): CredentialInfo {
  return {
    name,
    namespace: 'ml',
    type: 'tls',
    secretType: 'kubernetes.io/tls',
    keys: ['tls.crt', 'tls.key'],
    labels: {},
    annotations: {},
    problems: [],
    ...(expiresAt ? { expiresAt, expiryKey: 'tls.crt' } : {}),
  };
}

const lookup = (...infos: CredentialInfo[]) => ({ get: (_: string, name: string) => infos.find((i) => i.name === name) });
const injecting = (...names: string[]): Decision => ({ patch: [{ op: 'add', path: '/x', value: 1 }], warnings: ['kept'], injected: names.map((name) => ({ name, type: 'tls' })) });

describe('checkExpiry', () => {
  it.each([
    ['a credential expiring in 5 days', iso(5 * day), ['kept', `credential "db" expires in 5d (key "tls.crt", ${iso(5 * day)})`]],
    ['an expired credential', iso(-3 * day), ['kept', `credential "db" expired 3d ago (key "tls.crt", ${iso(-3 * day)}); renew it`]],
    ['a credential valid beyond the window', iso(30 * day), ['kept']],
    ['a credential without expiry', undefined, ['kept']],
  ])('warns about %s', (_, expiresAt, warnings) => {
    const decision = checkExpiry(injecting('db'), 'ml', lookup(info('db', expiresAt)), defaultExpiryPolicy, now);
    expect(decision.warnings).toEqual(warnings);
    expect(decision.denial).toBeUndefined();
    expect(decision.patch).toHaveLength(1);
  });

  it('denies an expired credential with --deny-expired, naming it, its key and date', () => {
    const decision = checkExpiry(injecting('fresh', 'db'), 'ml', lookup(info('fresh', iso(60 * day)), info('db', iso(-1 * day))), { ...defaultExpiryPolicy, denyExpired: true }, now);
    expect(decision.patch).toEqual([]);
    expect(decision.denial).toEqual({ reason: 'CredentialExpired', message: `credential "db" expired 24h ago (key "tls.crt", ${iso(-1 * day)}): renew it before the pod can start` });
  });

  it('only warns about an expiring credential with --deny-expired', () => {
    const decision = checkExpiry(injecting('db'), 'ml', lookup(info('db', iso(2 * day))), { ...defaultExpiryPolicy, denyExpired: true }, now);
    expect(decision.denial).toBeUndefined();
    expect(decision.warnings).toHaveLength(2);
  });

  it('follows the operator window; 0 turns the warning off', () => {
    const credentials = lookup(info('db', iso(20 * day)));
    expect(checkExpiry(injecting('db'), 'ml', credentials, { warningMs: 30 * day, denyExpired: false }, now).warnings).toHaveLength(2);
    expect(checkExpiry(injecting('db'), 'ml', credentials, { warningMs: 0, denyExpired: false }, now).warnings).toEqual(['kept']);
  });

  it('leaves denials and decisions that injected nothing alone', () => {
    const denied: Decision = { patch: [], warnings: [], denial: { reason: 'Conflict', message: 'x' }, injected: [{ name: 'db', type: 'tls' }] };
    const expired = lookup(info('db', iso(-1 * day)));
    expect(checkExpiry(denied, 'ml', expired, defaultExpiryPolicy, now)).toBe(denied);
    const nothing: Decision = { patch: [], warnings: [] };
    expect(checkExpiry(nothing, 'ml', expired, defaultExpiryPolicy, now)).toBe(nothing);
  });
});

describe('mutate with expiring credentials', () => {
  const expiringView = (expiresAt: string) => {
    const view = fixtureView();
    view.credentials.set({ ...view.credentials.get('ml', 'aws-s3')!, expiresAt, expiryKey: 'session_token' });
    return view;
  };

  it('warns when a Pod is injected with a credential that expires within the window', () => {
    const decision = mutate(requestOf('pod-create'), expiringView(iso(5 * day)), defaultInjectionOptions, defaultExpiryPolicy, () => now);
    expect(decision.patch.length).toBeGreaterThan(0);
    expect(decision.warnings).toContain(`credential "aws-s3" expires in 5d (key "session_token", ${iso(5 * day)})`);
  });

  it('denies the Pod with --deny-expired once the credential has expired', () => {
    const decision = mutate(requestOf('pod-create'), expiringView(iso(-1)), defaultInjectionOptions, { ...defaultExpiryPolicy, denyExpired: true }, () => now);
    expect(decision.denial?.reason).toBe('CredentialExpired');
    expect(decision.denial?.message).toContain('"aws-s3"');
  });

  it('does not judge workloads: their pods are judged when they are created', () => {
    const decision = mutate(requestOf('deployment-create'), expiringView(iso(-1)), defaultInjectionOptions, { ...defaultExpiryPolicy, denyExpired: true }, () => now);
    expect(decision.denial).toBeUndefined();
  });
});
