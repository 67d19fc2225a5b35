import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mountPathProblem, normalMountPath } from '../../../src/credentials/rules/mountPath.js';

/** The normal form as Node's own path module computes it, without a trailing `/`. */
const resolved = (path: string): string => posix.normalize(path).replace(/(.)\/$/, '$1');

describe('normalMountPath', () => {
  it.each([
    ['/etc/app', '/etc/app'],
    ['/etc//app/', '/etc/app'],
    ['/etc/./app', '/etc/app'],
    ['/a/../etc', '/etc'],
    ['/.hidden/x..', '/.hidden/x..'],
    ['/', '/'],
  ])('%s is %s', (path, normal) => expect(normalMountPath(path)).toBe(normal));

  it('agrees with the definition on any path, normal already or not', () => {
    const segment = fc.oneof(fc.constantFrom('', '.', '..', '.a', 'a..', 'etc'), fc.stringMatching(/^[a-z.]{1,4}$/));
    const path = fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(fc.property(path, (p) => normalMountPath(p) === resolved(p)), { numRuns: 2000 });
  });
});

describe('mountPathProblem', () => {
  it.each([
    ['etc/app', 'must be an absolute path'],
    ['/etc:/x', 'must not contain ":"'],
    ['/a/../b', 'must not contain ".."'],
    ['//', 'must not be "/"'],
  ])('%s %s', (path, problem) => expect(mountPathProblem(path)).toBe(problem));

  it('accepts an absolute directory', () => expect(mountPathProblem('/var/run/credinject/aws')).toBeUndefined());
});
