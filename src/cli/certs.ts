import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateServingMaterial, type ServingMaterial } from '../server/tls/certificates.js';
import { isDnsSubdomain } from '../contract/names.js';
import { program } from './programName.js';

const usage = `usage: ${program} certs --hosts H1,H2,... [--out-dir DIR]

Makes a development CA and a serving certificate for the hosts (DNS names or IPs), signed with
SHA-256. Prints them as PEM, or writes ca.crt, tls.crt and tls.key into DIR.
For production use cert-manager or serve --self-signed.

  --hosts H1,H2,...   DNS names (a leading *. allowed) and IP addresses of the serving certificate
  --out-dir DIR       write ca.crt, tls.crt (0644) and tls.key (0600) there instead of printing

examples:
  ${program} certs --hosts credinject.credinject-system.svc --out-dir ./tls
  ${program} certs --hosts localhost,127.0.0.1
`;

/** A DNS-1123 subdomain, optionally with a leading wildcard label. */
const isDnsName = (host: string): boolean => isDnsSubdomain(host.startsWith('*.') ? host.slice(2) : host);

/** The host list, or why it is not one. */
export function parseHosts(text: string): { hosts: string[] } | { error: string } {
  const hosts = text.split(',').map((h) => h.trim()).filter(Boolean);
  if (hosts.length === 0) return { error: '--hosts needs at least one host' };
  const bad = hosts.filter((h) => isIP(h) === 0 && !isDnsName(h));
  return bad.length > 0 ? { error: `not a DNS name or IP address: ${bad.join(', ')}` } : { hosts: [...new Set(hosts)] };
}

/** PEM with a comment line before each block; PEM readers skip text between blocks. */
export function pemBundle(material: ServingMaterial): string {
  return `# ca.crt (the caBundle, base64 of this block)\n${material.ca.cert}# tls.crt\n${material.serving.cert}# tls.key\n${material.serving.key}`;
}

export interface CertsIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** `credinject certs`: a dev CA bundle and serving cert/key, reusing the server's TLS module. */
export async function run(argv: string[], io: CertsIo = process): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: { hosts: { type: 'string' }, 'out-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    io.stderr.write(`credinject certs: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const parsed = parseHosts(values.hosts ?? '');
  if ('error' in parsed) {
    io.stderr.write(`credinject certs: ${parsed.error}\n\n${usage}`);
    return 2;
  }
  const material = await generateServingMaterial(parsed.hosts);
  const dir = values['out-dir'];
  if (dir === undefined) {
    io.stdout.write(pemBundle(material));
    return 0;
  }
  await mkdir(dir, { recursive: true });
  const files: [string, string, number][] = [
    ['ca.crt', material.ca.cert, 0o644],
    ['tls.crt', material.serving.cert, 0o644],
    ['tls.key', material.serving.key, 0o600],
  ];
  for (const [name, content, mode] of files) {
    await writeFile(join(dir, name), content, { mode });
    io.stdout.write(`wrote ${join(dir, name)}\n`);
  }
  return 0;
}
