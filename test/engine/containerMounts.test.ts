import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { applied, container, podRequesting } from '../fixtures/pods.js';
import { credentialSecret, exampleSecret, exampleSecrets } from '../fixtures/secrets.js';

const files = credentialSecret('app-files', 'generic', { 'settings.ini': 'x' }, { metadata: { annotations: { 'credinject.dev/mount-path': '/etc/app' } } });
const credentials = staticCredentials([...exampleSecrets(), files], 'default');
const plan = (pod: V1Pod, lookup = credentials) => planAdmission({ object: pod, namespace: 'default', operation: 'CREATE' }, lookup, defaultInjectionOptions);

function withUserMount(path: string): V1Pod {
  const pod = podRequesting('app-files', { containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'config', mountPath: path }] }] });
  pod.spec!.volumes = [{ name: 'config', emptyDir: {} }];
  return pod;
}

describe('mount paths are compared as the runtime resolves them', () => {
  it.each(['/etc/app', '/etc//app', '/etc/./app', '/etc/app/', '//etc/app', '/etc/x/../app'])('a user mount at %s collides with a credential at /etc/app', (path) => {
    expect(plan(withUserMount(path)).denial?.message).toBe(
      'credential "app-files" mounts at /etc/app, where container "app" already mounts volume "config"; set mount-path.credinject.dev/app-files',
    );
  });

  it.each(['/etc//app', '/etc/./app/'])('a pod override %s is written normalised, and collides with a Secret mount at /etc/app', (path) => {
    const other = credentialSecret('more-files', 'generic', { 'b.ini': 'y' }, { metadata: { annotations: { 'credinject.dev/mount-path': '/etc/more' } } });
    const lookup = staticCredentials([files, other], 'default');
    const pod = podRequesting('app-files, more-files', { annotations: { 'mount-path.credinject.dev/more-files': path } });
    expect(plan(pod, lookup).denial?.message).toBe('credentials "app-files" and "more-files" both mount at /etc/app in container "app"; set mount-path.credinject.dev/more-files');
    const alone = podRequesting('more-files', { annotations: { 'mount-path.credinject.dev/more-files': path } });
    expect(container(applied(alone, plan(alone, lookup).patch), 'app').volumeMounts).toEqual([{ name: 'credinject-more-files', mountPath: '/etc/app', readOnly: true }]);
  });

  it('a Secret mount path written /etc//creds/ is used as /etc/creds', () => {
    const secret = credentialSecret('gcp-x', 'gcp', exampleSecret('gcp-sa').stringData!, { metadata: { annotations: { 'credinject.dev/mount-path': '/etc//creds/' } } });
    const pod = podRequesting('gcp-x');
    const injected = applied(pod, plan(pod, staticCredentials([secret], 'default')).patch);
    expect(container(injected, 'app').volumeMounts?.[0]?.mountPath).toBe('/etc/creds');
  });
});

describe('mount paths that are refused', () => {
  it.each([
    ['/', 'must not be "/"'],
    ['/var/run/../../etc', 'must not contain ".."'],
    ['relative', 'must be an absolute path'],
    ['/with:colon', 'must not contain ":"'],
  ])('a pod override %j is denied: it %s', (path, message) => {
    const pod = podRequesting('gcp-sa', { annotations: { 'mount-path.credinject.dev/gcp-sa': path } });
    expect(plan(pod).denial).toEqual({ reason: 'InvalidAnnotation', message: `mount-path.credinject.dev/gcp-sa ${message}` });
  });
});
