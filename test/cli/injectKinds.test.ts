import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../fixtures/runCli.js';

const credentials = ['--credentials', 'examples/credentials.yaml'];

function deployment(apiVersion: string): string {
  return JSON.stringify({
    apiVersion,
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { 'credinject.dev/inject': 'aws-s3' } },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  });
}

describe('credinject inject touches exactly the kinds the webhooks are registered for', () => {
  it.each([['example.com/v1'], ['apps/v1beta1'], ['v1']])('leaves a %s Deployment (not ours) untouched', (apiVersion) => {
    const input = deployment(apiVersion);
    const { code, stdout } = runCli(['inject', '-f', '-', ...credentials], input);
    expect(code).toBe(0);
    expect(parseAllDocuments(stdout).map((d) => d.toJS())).toEqual([JSON.parse(input)]);
  });

  it('injects into the pod template of an apps/v1 Deployment', () => {
    const { code, stdout } = runCli(['inject', '-f', '-', ...credentials], deployment('apps/v1'));
    expect(code).toBe(0);
    const [injected] = parseAllDocuments(stdout).map((d) => d.toJS());
    expect(injected.spec.template.metadata.annotations['credinject.dev/status']).toBe('injected');
    expect(injected.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).toContain('AWS_ACCESS_KEY_ID');
  });

  it('leaves a Pod of another group alone', () => {
    const pod = JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Pod', metadata: { name: 'p', annotations: { 'credinject.dev/inject': 'aws-s3' } }, spec: { containers: [{ name: 'c' }] } });
    const { code, stdout } = runCli(['inject', '-f', '-', ...credentials], pod);
    expect(code).toBe(0);
    expect(parseAllDocuments(stdout)[0]!.toJS()).toEqual(JSON.parse(pod));
  });
});
