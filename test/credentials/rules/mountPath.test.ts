import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mountPathProblem, normalMountPath } from '../../../src/credentials/rules/mountPath.js';

/** The normal form by its definition: drop empty and `.` segments, resolve `..`. */
function resolved(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

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
