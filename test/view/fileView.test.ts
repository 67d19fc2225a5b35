import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/manifests/manifests.js';
import { fileView } from '../../src/view/fileView.js';
import { fixtureView } from '../admission/reviews.js';

describe('file view', () => {
  it('holds the credential Secrets of the file by namespace, with key names and no values', () => {
    const view = fixtureView();
    const aws = view.credentials.get('ml', 'aws-s3');
    expect(aws?.keys).toEqual(['access_key_id', 'region', 'secret_access_key']);
    expect(JSON.stringify(aws)).not.toContain('AKIAFIXTURE');
    expect(view.credentials.get('other', 'aws-s3')?.keys).toEqual(['access_key_id', 'secret_access_key']);
  });

  it('is ready at once: there is nothing to sync', () => {
    expect(fixtureView().informerHealth()).toEqual({});
  });

  it('indexes Pods and workloads of the file as users, and skips Secrets without the label', () => {
    const objects = parseManifests(`
apiVersion: v1
kind: Secret
metadata: {name: plain}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ml, annotations: {credinject.dev/inject: "aws-s3"}}
spec: {template: {metadata: {}, spec: {containers: [{name: a, image: b}]}}}
`, 'test.yaml');
    const view = fileView(objects);
    expect(view.credentials.size()).toBe(0);
    expect(view.usage.usersOf('ml', 'aws-s3').users).toEqual(['Deployment/web']);
  });

  it('flattens a kind: List', () => {
    const objects = parseManifests('apiVersion: v1\nkind: List\nitems:\n- {kind: Secret, apiVersion: v1, metadata: {name: a}}\n', 'test.yaml');
    expect(objects).toHaveLength(1);
  });

  it('reports broken YAML by position without quoting it', () => {
    expect(() => parseManifests('a: [SECRET-MARKER', 'test.yaml')).toThrow(/test.yaml: document 1, line \d+: invalid YAML/);
    try {
      parseManifests('a: [SECRET-MARKER', 'test.yaml');
    } catch (err) {
      expect((err as Error).message).not.toContain('SECRET-MARKER');
    }
  });

  it('reports and skips a Pod of the wrong shape instead of failing, and still indexes the others', () => {
    const objects = parseManifests(`
apiVersion: v1
kind: Pod
metadata: {name: slip, namespace: ml, annotations: {credinject.dev/inject: true}}
spec: {containers: [{name: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: good, namespace: ml, annotations: {credinject.dev/inject: aws-s3}}
spec: {containers: [{name: a, env: oops}]}
---
apiVersion: v1
kind: Pod
metadata: {name: fine, namespace: ml, annotations: {credinject.dev/inject: aws-s3}}
spec: {containers: [{name: a}]}
`, 'test.yaml');
    const view = fileView(objects);
    expect(view.problems).toEqual([
      'Pod/slip: metadata.annotations["credinject.dev/inject"] must be a string (quote the value in YAML); not counted as a user of any credential',
      'Pod/good: spec.containers[0].env must be a list; not counted as a user of any credential',
    ]);
    expect(view.usage.usersOf('ml', 'aws-s3').users).toEqual(['Pod/fine']);
  });
});
