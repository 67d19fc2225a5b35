import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDataTarget, readSecretVolume } from '../../src/agent/secretVolume.js';
import { publishVolume } from './kubeletVolume.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credinject-volume-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const asText = (files: Map<string, Buffer>): Record<string, string> =>
  Object.fromEntries([...files].map(([key, value]) => [key, value.toString()]));

describe('readSecretVolume', () => {
  it('reads every key of the version ..data points to, and names that version', async () => {
    const version = await publishVolume(dir, { token: 'fake-1', 'ca.crt': 'fake-ca' });
    const result = await readSecretVolume(dir);
    expect(result.ok && result.volume.dataTarget).toBe(version);
    expect(result.ok && asText(result.volume.files)).toEqual({ token: 'fake-1', 'ca.crt': 'fake-ca' });
  });

  it('reads the new version after kubelet swaps ..data, including added and removed keys', async () => {
    await publishVolume(dir, { token: 'fake-1', old: 'x' });
    const version = await publishVolume(dir, { token: 'fake-2', added: 'y' });
    const result = await readSecretVolume(dir);
    expect(result.ok && result.volume.dataTarget).toBe(version);
    expect(result.ok && asText(result.volume.files)).toEqual({ token: 'fake-2', added: 'y' });
  });

  it('keeps binary values byte for byte', async () => {
    const bytes = Buffer.from([0, 255, 10, 13, 128]);
    await publishVolume(dir, {});
    await writeFile(join(dir, '..data', 'blob'), bytes);
    const result = await readSecretVolume(dir);
    expect(result.ok && result.volume.files.get('blob')).toEqual(bytes);
  });

  it('reads keys that the Secret volume\'s items put at nested paths, by their path', async () => {
    const version = await publishVolume(dir, { token: 'fake', 'certs/ca.crt': 'fake-ca', 'certs/client/tls.crt': 'fake-cert' });
    const result = await readSecretVolume(dir);
    expect(result.ok && result.volume.dataTarget).toBe(version);
    expect(result.ok && asText(result.volume.files)).toEqual({ token: 'fake', 'certs/ca.crt': 'fake-ca', 'certs/client/tls.crt': 'fake-cert' });
  });

  it('follows nested keys across a swap that adds a directory', async () => {
    await publishVolume(dir, { 'certs/ca.crt': 'fake-1' });
    await publishVolume(dir, { 'certs/ca.crt': 'fake-2', 'more/key': 'k' });
    const result = await readSecretVolume(dir);
    expect(result.ok && asText(result.volume.files)).toEqual({ 'certs/ca.crt': 'fake-2', 'more/key': 'k' });
  });

  it('ignores the writer bookkeeping entries that start with ..', async () => {
    await publishVolume(dir, { token: 'fake' });
    await writeFile(join(dir, '..data', '..hidden'), 'x');
    const result = await readSecretVolume(dir);
    expect(result.ok && [...result.volume.files.keys()]).toEqual(['token']);
  });

  it.each([
    ['there is no ..data link', async () => {}, 'has no ..data link: not a Secret volume'],
    ['..data dangles', async () => symlink('..gone', join(dir, '..data')), 'points to ..gone, which does not exist'],
  ])('fails with a message when %s', async (_case, arrange, message) => {
    await arrange();
    const result = await readSecretVolume(dir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});

describe('readDataTarget', () => {
  it('is the timestamped dir ..data points to', async () => {
    const version = await publishVolume(dir, { a: '1' });
    expect(await readDataTarget(dir)).toBe(version);
  });

  it.each([
    ['there is no ..data', async () => {}],
    ['..data is a plain directory', async () => mkdir(join(dir, '..data'))],
  ])('is undefined when %s', async (_case, arrange) => {
    await arrange();
    expect(await readDataTarget(dir)).toBeUndefined();
  });
});
