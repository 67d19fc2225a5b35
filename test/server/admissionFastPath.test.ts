import { describe, expect, it } from 'vitest';
import { fastPathWebhook, parseJsonBody } from '../../src/server/admissionFastPath.js';

const json = (length = '10'): Record<string, string> => ({ 'content-type': 'application/json', 'content-length': length });

describe('fastPathWebhook: which requests skip the framework', () => {
  it.each<[string, string, string, Record<string, string>, string | undefined]>([
    ['the API server at /mutate', 'POST', '/mutate?timeout=10s', json(), 'mutate'],
    ['the API server at /validate', 'POST', '/validate?timeout=30s', json(), 'validate'],
    ['no query', 'POST', '/mutate', json(), 'mutate'],
    ['charset=utf-8', 'POST', '/mutate', { ...json(), 'content-type': 'application/json; charset=utf-8' }, 'mutate'],
    ['Content-Encoding identity', 'POST', '/mutate', { ...json(), 'content-encoding': 'Identity' }, 'mutate'],
    ['exactly the limit', 'POST', '/mutate', json('100'), 'mutate'],
    ['over the limit', 'POST', '/mutate', json('101'), undefined],
    ['gzip', 'POST', '/mutate', { ...json(), 'content-encoding': 'gzip' }, undefined],
    ['chunked', 'POST', '/mutate', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, undefined],
    ['no length', 'POST', '/mutate', { 'content-type': 'application/json' }, undefined],
    ['a length that is not a number', 'POST', '/mutate', json('1e3'), undefined],
    ['another charset', 'POST', '/mutate', { ...json(), 'content-type': 'application/json; charset=latin1' }, undefined],
    ['another type', 'POST', '/mutate', { ...json(), 'content-type': 'text/plain' }, undefined],
    ['no type', 'POST', '/mutate', { 'content-length': '10' }, undefined],
    ['GET', 'GET', '/mutate', json(), undefined],
    ['a trailing slash', 'POST', '/mutate/', json(), undefined],
    ['another case', 'POST', '/Mutate', json(), undefined],
    ['another path', 'POST', '/mutatex', json(), undefined],
  ])('%s', (_name, method, url, headers, expected) => {
    expect(fastPathWebhook(method, url, headers, 100)).toBe(expected);
  });
});

describe('parseJsonBody', () => {
  it.each<[string, Buffer, { value: unknown } | undefined]>([
    ['an object', Buffer.from('{"a":1}'), { value: { a: 1 } }],
    ['null', Buffer.from('null'), { value: null }],
    ['an empty body, as body-parser reads it', Buffer.alloc(0), { value: {} }],
    ['a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[1]')]), { value: [1] }],
    ['only a byte order mark', Buffer.from([0xef, 0xbb, 0xbf]), { value: {} }],
    ['not JSON', Buffer.from('{"SECRET'), undefined],
  ])('%s', (_name, body, expected) => {
    expect(parseJsonBody(body)).toEqual(expected);
  });
});
