import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifests, readSource } from '../../src/manifests/manifests.js';
import { runCli } from '../fixtures/runCli.js';

/** A "billion laughs" document: nine levels of nine aliases each, about 387 million strings expanded. */
function aliasBomb(): string {
  let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  let previous = 'a';
  for (let level = 0; level < 9; level++) {
    const name = `l${level}`;
    text += `  ${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]\n`;
    previous = name;
  }
  return text;
}

describe('parseManifests', () => {
  it('refuses a YAML alias bomb with a ManifestError naming the document', () => {
    const text = `apiVersion: v1\nkind: Secret\nmetadata: {name: fine}\n---\n${aliasBomb()}`;
    expect(() => parseManifests(text, 'bomb.yaml')).toThrow(ManifestError);
    expect(() => parseManifests(text, 'bomb.yaml')).toThrow(/^bomb.yaml: document 2: too many YAML aliases/);
  });

  it('still reads the few aliases real manifests use', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: &labels {app: a}}\nspec: {containers: [{name: a, env: &env [{name: X, value: "1"}]}, {name: b, env: *env}]}\n';
    expect(parseManifests(text, 'ok.yaml')[0]).toMatchObject({ spec: { containers: [{ env: [{ name: 'X' }] }, { env: [{ name: 'X' }] }] } });
  });

  it.each(['inject', 'validate'])('makes %s exit 1 with the reason, not an internal error', (command) => {
    const { code, stderr } = runCli([command, '-f', '-'], aliasBomb());
    expect(code).toBe(1);
    expect(stderr).toMatch(/^credinject \w+: -: document 1: too many YAML aliases/);
    expect(stderr).not.toContain('internal error');
  });

  const hf = (name: string, namespace?: string) =>
    `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}, labels: {credinject.dev/type: huggingface}}\nstringData: {token: t}\n`;

  it('refuses two documents defining one Secret, naming both', () => {
    const text = [hf('a'), hf('hf'), hf('hf')].join('---\n');
    expect(() => parseManifests(text, 'creds.yaml')).toThrow('creds.yaml: document 2 and document 3 both define Secret/hf; keep one (either would silently replace the other)');
  });

  it('finds the duplicate inside a List too, and names the namespace', () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf', namespace: 'ml' } }] });
    expect(() => parseManifests(`${hf('hf', 'ml')}---\n${list}`, 'f.yaml')).toThrow('f.yaml: document 1 and document 2 (item 1) both define Secret/hf in namespace ml');
  });

  it('keeps objects that differ in namespace, kind or apiVersion, and unnamed ones', () => {
    const text = [hf('hf', 'a'), hf('hf', 'b'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hf, namespace: a}\n', 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: p-}\n', 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: p-}\n'].join('---\n');
    expect(parseManifests(text, 'f.yaml')).toHaveLength(5);
  });

  it('makes validate and inject refuse a file that defines one credential twice', () => {
    const text = `${hf('hf')}---\n${hf('hf')}`;
    for (const args of [['validate', '-f', '-'], ['inject', '-f', 'examples/workloads.yaml', '--credentials', '-']]) {
      const { code, stderr } = runCli(args, text);
      expect(code).toBe(1);
      expect(stderr).toContain('-: document 1 and document 2 both define Secret/hf');
    }
  });
});

describe('readSource of a directory (-f <dir>)', () => {
  it('reads its .yaml, .yml and .json files in name order, as one stream, and nothing below it', async () => {
    const { mkdtemp, mkdir, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'credinject-dir-'));
    try {
      await writeFile(join(dir, 'b.yaml'), 'kind: ConfigMap\nmetadata: {name: b}\n---\nkind: ConfigMap\nmetadata: {name: c}');
      await writeFile(join(dir, 'a.json'), '{"kind": "ConfigMap", "metadata": {"name": "a"}}');
      await writeFile(join(dir, 'd.yml'), 'kind: ConfigMap\nmetadata: {name: d}\n');
      await writeFile(join(dir, 'notes.txt'), 'kind: ConfigMap\nmetadata: {name: txt}\n');
      await mkdir(join(dir, 'nested'));
      await writeFile(join(dir, 'nested', 'e.yaml'), 'kind: ConfigMap\nmetadata: {name: e}\n');
      const objects = parseManifests(await readSource(dir), dir) as { metadata: { name: string } }[];
      expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c', 'd']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says so when a directory holds no manifest file', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'credinject-dir-'));
    try {
      await expect(readSource(dir)).rejects.toThrow(`${dir} holds no .yaml, .yml or .json file`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
