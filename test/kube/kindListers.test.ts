import { afterEach, describe, expect, it } from 'vitest';
import { resourceLister, resourcePath, secretResource, type ListPage } from '../../src/kube/kindListers.js';
import { startFakeApiServer } from './fakeApiServer.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('resourceLister', () => {
  it('hands on the API server\'s continue token, so a caller that pages reads every object', async () => {
    const fake = await startFakeApiServer('/api/v1/secrets');
    closers.push(() => fake.close());
    for (const name of ['a', 'b', 'c']) fake.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ml' } });
    const list = resourceLister(fake.api(), secretResource);
    const names: string[] = [];
    let page: ListPage = { limit: 2 };
    for (;;) {
      const answer = await list(page);
      names.push(...answer.items.map((item) => item.metadata?.name ?? ''));
      if (!answer.metadata?._continue) break;
      page = { limit: 2, _continue: answer.metadata._continue };
    }
    expect(names).toEqual(['a', 'b', 'c']);
  });

  it('escapes the names in a path', () => {
    expect(resourcePath(secretResource, 'ml', 'a/b')).toBe('/api/v1/namespaces/ml/secrets/a%2Fb');
    expect(resourcePath({ apiVersion: 'apps/v1', plural: 'deployments' })).toBe('/apis/apps/v1/deployments');
  });
});
