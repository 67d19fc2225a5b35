import { describe, expect, it } from 'vitest';
import { mirrorCopies } from '../../src/mirror/mirrorCopies.js';
import { mirrorDataHash } from '../../src/mirror/mirrorSecret.js';

const data = { token: Buffer.from('t').toString('base64') };
const source = { namespace: 'credinject-system', name: 'hf', data, selector: 'team=ml' };
const older = { token: Buffer.from('older').toString('base64') };
// The annotation is keyed (describe holds no key) and may still be the old unkeyed one: the data decide.
const mirror = (namespace: string, held: Record<string, string>, from = 'credinject-system/hf', hash = 'hmac-sha256:anything') => ({
  namespace,
  labels: { 'credinject.dev/mirror': 'true' },
  annotations: { 'credinject.dev/mirrored-from': from, 'credinject.dev/mirror-hash': hash },
  data: held,
});
const ml = (name: string) => ({ name, labels: { team: 'ml' } });

describe('mirrorCopies', () => {
  it.each([
    ['a mirror with the source data', [mirror('a', data)], 'up to date'],
    ['a mirror with the source data re-encoded', [mirror('a', { token: `${data.token}\n` })], 'up to date'],
    ['a mirror with the source data and the old unkeyed hash', [mirror('a', data, undefined, mirrorDataHash(data))], 'up to date'],
    ['a mirror with older data', [mirror('a', older)], 'outdated'],
    ['a mirror with older data that claims the source hash', [mirror('a', older, undefined, mirrorDataHash(data))], 'outdated'],
    ['no Secret of the name', [], 'pending'],
    ['a Secret of the name that is not a mirror', [{ namespace: 'a' }], 'conflict'],
    ['a mirror of another source', [mirror('a', data, 'elsewhere/hf')], 'conflict'],
  ])('says %s is %s', (_, sameName, state) => {
    expect(mirrorCopies({ source, namespaces: [ml('a')], sameName })).toEqual([{ namespace: 'a', state }]);
  });

  it('covers only selected namespaces, never its own or kube-system, in name order', () => {
    const namespaces = [ml('z'), ml('credinject-system'), ml('kube-system'), { name: 'web', labels: { team: 'web' } }, ml('b')];
    expect(mirrorCopies({ source, namespaces, sameName: [] }).map((c) => c.namespace)).toEqual(['b', 'z']);
  });

  it('reaches nowhere with a selector that does not parse', () => {
    expect(mirrorCopies({ source: { ...source, selector: 'a=(' }, namespaces: [ml('a')], sameName: [] })).toEqual([]);
  });
});
