import { describe, expect, it } from 'vitest';
import { cookieValue, refusal } from '../../src/dashboard/requestGuard.js';

const token = 'run-token-123';
const request = (over: { host?: string; origin?: string; path?: string; cookie?: string }) => ({
  host: 'host' in over ? over.host : '127.0.0.1:8080',
  origin: over.origin,
  url: new URL(over.path ?? `/?token=${token}`, 'http://127.0.0.1'),
  cookie: over.cookie,
});

describe('refusal', () => {
  it.each([
    ['the token in the query', {}, undefined],
    ['the token in the cookie', { path: '/api/credentials', cookie: `a=b; credinject_dashboard=${token}` }, undefined],
    ['localhost', { host: 'localhost:8080' }, undefined],
    ['[::1]', { host: '[::1]:8080' }, undefined],
    ['a same-origin fetch', { origin: 'http://127.0.0.1:8080' }, undefined],
    ['no token', { path: '/api/credentials' }, 'token'],
    ['a wrong token', { path: '/?token=run-token-124' }, 'token'],
    ['a token of another length', { path: '/?token=x' }, 'token'],
    ['a rebinding name for 127.0.0.1', { host: 'evil.example:8080' }, 'Host'],
    ['another port', { host: '127.0.0.1:9090' }, 'Host'],
    ['no Host header', { host: undefined }, 'Host'],
    ['a foreign origin', { origin: 'http://evil.example' }, 'origins'],
  ])('%s', (_, over, refused) => {
    const answer = refusal(request(over), 8080, token);
    if (refused === undefined) expect(answer).toBeUndefined();
    else expect(answer).toContain(refused);
  });
});

describe('cookieValue', () => {
  it.each([
    [undefined, undefined],
    ['a=1', undefined],
    ['a=1; credinject_dashboard=x=y', 'x=y'],
  ])('reads %s', (header, value) => {
    expect(cookieValue(header, 'credinject_dashboard')).toBe(value);
  });
});
