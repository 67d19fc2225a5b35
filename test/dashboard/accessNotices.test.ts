import { describe, expect, it } from 'vitest';
import { accessNotices } from '../../src/dashboard/accessNotices.js';

describe('accessNotices', () => {
  it.each([
    ['no denial', [], []],
    [
      'Secrets refused in one namespace',
      [{ namespace: 'team-b', resource: 'secrets', message: 'forbidden' }],
      [{ namespace: 'team-b', resources: ['secrets'], text: 'forbidden to list secrets in namespace team-b: its credentials are not shown' }],
    ],
    [
      'user kinds refused: In use leaves them out',
      [
        { namespace: 'team-a', resource: 'pods', message: 'forbidden' },
        { namespace: 'team-a', resource: 'deployments', message: 'forbidden' },
      ],
      [{ namespace: 'team-a', resources: ['deployments', 'pods'], text: 'forbidden to list deployments, pods in namespace team-a: "In use" leaves out deployments, pods' }],
    ],
    [
      'cluster-wide lists come first',
      [
        { namespace: 'team-a', resource: 'secrets', message: 'forbidden' },
        { namespace: '*', resource: 'namespaces', message: 'forbidden' },
      ],
      [
        { namespace: '*', resources: ['namespaces'], text: 'forbidden to list namespaces across all namespaces: copies of cluster credentials that are missing cannot be told' },
        { namespace: 'team-a', resources: ['secrets'], text: 'forbidden to list secrets in namespace team-a: its credentials are not shown' },
      ],
    ],
  ])('%s', (_, denied, notices) => {
    expect(accessNotices(denied)).toEqual(notices);
  });
});
