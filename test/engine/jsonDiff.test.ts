import jsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { jsonDiff } from '../../src/engine/jsonDiff.js';

describe('jsonDiff', () => {
  it.each([
    ['equal objects', { a: 1 }, { a: 1 }, []],
    ['a new key, escaped', { m: {} }, { m: { 'a/b~c': 1 } }, [{ op: 'add', path: '/m/a~1b~0c', value: 1 }]],
    ['a missing array, added whole', { s: {} }, { s: { env: [1, 2] } }, [{ op: 'add', path: '/s/env', value: [1, 2] }]],
    ['appends by index', { l: [1] }, { l: [1, 2, 3] }, [{ op: 'add', path: '/l/1', value: 2 }, { op: 'add', path: '/l/2', value: 3 }]],
    ['a changed scalar', { a: 1 }, { a: 2 }, [{ op: 'replace', path: '/a', value: 2 }]],
    ['a removed key', { a: 1, b: 2 }, { a: 1 }, [{ op: 'remove', path: '/b' }]],
    ['a shortened array, from the end', { l: [1, 2, 3] }, { l: [1] }, [{ op: 'remove', path: '/l/2' }, { op: 'remove', path: '/l/1' }]],
    ['an object turned array', { a: {} }, { a: [] }, [{ op: 'replace', path: '/a', value: [] }]],
  ])('diffs %s', (_case, before, after, expected) => {
    const ops = jsonDiff(before, after);
    expect(ops).toEqual(expected);
    expect(jsonPatch.applyPatch(structuredClone(before), ops, true, false).newDocument).toEqual(after);
  });

  it('agrees with fast-json-patch compare on what applying gives', () => {
    const before = { metadata: { annotations: { x: '1' } }, spec: { containers: [{ name: 'a', env: [{ name: 'E', value: '1' }] }, { name: 'b' }] } };
    const after = { metadata: { annotations: { x: '1', 'credinject.dev/status': 'injected' } }, spec: { containers: [{ name: 'a', env: [{ name: 'E', value: '1' }, { name: 'F', value: '2' }] }, { name: 'b', env: [] }] } };
    const ours = jsonPatch.applyPatch(structuredClone(before), jsonDiff(before, after), true, false).newDocument;
    const theirs = jsonPatch.applyPatch(structuredClone(before), jsonPatch.compare(before, after), true, false).newDocument;
    expect(ours).toEqual(theirs);
  });
});
