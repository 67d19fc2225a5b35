import { beforeAll, describe, expect, it } from 'vitest';
import { credentialExpiry, expiryState, expiryStatus } from '../../src/credentials/expiry.js';
import { describeCredential } from '../../src/credentials/describeCredential.js';
import { certificateUntil, jwtWithExp } from '../fixtures/expiringMaterial.js';
import { credentialSecret, exampleSecret } from '../fixtures/secrets.js';

const day = 24 * 60 * 60 * 1000;
const now = new Date('2026-12-02T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
// Certificates hold whole seconds.
const second = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();

let expired: { cert: string; key: string };
let expiring: { cert: string; key: string };
let valid: { cert: string; key: string };

beforeAll(async () => {
  [expired, expiring, valid] = await Promise.all([certificateUntil(at(-2 * day)), certificateUntil(at(5 * day)), certificateUntil(at(300 * day))]);
});

describe('credentialExpiry', () => {
  it.each([
    ['a kubernetes CA', () => ({ server: 'https://k8s', ca_certificate: valid.cert, token: 'opaque' }), 300 * day, 'ca_certificate'],
    ['the earlier of CA and client certificate', () => ({ ca_certificate: valid.cert, client_certificate: expiring.cert, client_key: expiring.key }), 5 * day, 'client_certificate'],
    ['a tls chain: its earliest certificate', () => ({ 'tls.crt': `${valid.cert}\n${expired.cert}`, 'tls.key': valid.key }), -2 * day, 'tls.crt'],
    ['a CA in a credential of another type', () => ({ username: 'u', password: 'p', 'ca.crt': expiring.cert }), 5 * day, 'ca.crt'],
    ['a ServiceAccount token (JWT exp)', () => ({ server: 'https://k8s', ca_certificate: valid.cert, token: jwtWithExp(at(-1 * day).getTime() / 1000) }), -1 * day, 'token'],
  ])('reads %s', (_, data, offset, key) => {
    expect(credentialExpiry(new Map(Object.entries(data())))).toEqual({ expiresAt: second(at(offset)), key });
  });

  it.each([
    ['plain keys', { access_key_id: 'AKIA', secret_access_key: 'x' }],
    ['a dotted host name, not a JWT', { CLEARML_API_HOST: 'api.clear.ml' }],
    ['a JWT without exp', { token: jwtWithExp(undefined) }],
    ['a JWT-shaped value without alg in its header', { token: jwtWithExp(1, { typ: 'JWT' }) }],
    ['a non-numeric exp', { token: `${jwtWithExp(undefined).split('.')[0]}.${Buffer.from('{"exp":"soon"}').toString('base64url')}.x` }],
    ['a broken PEM certificate', { 'ca.crt': '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----' }],
  ])('finds nothing in %s', (_, data) => {
    expect(credentialExpiry(new Map(Object.entries(data)))).toBeUndefined();
  });

  it('decodes Buffer values as the Secret decoder gives them', () => {
    expect(credentialExpiry(new Map([['ca.crt', Buffer.from(valid.cert)]]))?.key).toBe('ca.crt');
  });
});

describe('expiryStatus', () => {
  it.each([
    ['expired two days ago', -2 * day, 'expired'],
    ['expiring this instant', 0, 'expired'],
    ['expiring in 5 days', 5 * day, 'expires in 5d'],
    ['expiring in 3 hours', 3 * 60 * 60 * 1000, 'expires in 3h'],
    ['expiring at the end of the window', 7 * day, 'expires in 7d'],
    ['expiring after the window', 8 * day, undefined],
  ])('%s: %s', (_, offset, status) => {
    expect(expiryStatus(at(offset).toISOString(), now)).toBe(status);
  });

  it('follows the window it is given', () => {
    expect(expiryStatus(at(20 * day).toISOString(), now, 30 * day)).toBe('expires in 20d');
    expect(expiryState(at(20 * day).toISOString(), now, 0)).toEqual({ state: 'valid' });
  });

  it('is undefined without an expiry', () => {
    expect(expiryStatus(undefined, now)).toBeUndefined();
  });
});

describe('the credential projection', () => {
  it('keeps the expiry and its key, never the certificate or token', () => {
    const token = jwtWithExp(at(3 * day).getTime() / 1000);
    const info = describeCredential(credentialSecret('ci-cluster', 'kubernetes', { server: 'https://k8s.example', ca_certificate: valid.cert, token }));
    expect(info).toMatchObject({ expiresAt: second(at(3 * day)), expiryKey: 'token', problems: [] });
    const kept = JSON.stringify(info);
    expect(kept).not.toContain(token.split('.')[1]);
    expect(kept).not.toContain(valid.cert.split('\n')[1]);
  });

  it('reads base64 data as well as stringData', () => {
    const secret = exampleSecret('postgres-mtls');
    secret.data = { 'ca.crt': Buffer.from(expiring.cert).toString('base64') };
    delete secret.stringData?.['ca.crt'];
    expect(describeCredential(secret)).toMatchObject({ expiryKey: 'ca.crt', expiresAt: second(at(5 * day)) });
  });

  it('has no expiry for a credential without dates', () => {
    expect(describeCredential(exampleSecret('aws-s3')).expiresAt).toBeUndefined();
  });
});
