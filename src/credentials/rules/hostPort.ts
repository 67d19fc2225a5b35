import { isDnsSubdomain } from '../../contract/names.js';

const ipv6 = /^\[[0-9A-Fa-f:.]+\]$/;

/**
 * A host as login files name it (`credinject.dev/host`, or a Secret's `host` key): a DNS name, an
 * IPv4 address or a bracketed IPv6 address, with an optional `:port`. No scheme, user or path: those
 * would be written into the file as part of the host. Shared by the Secret's validation and the agent.
 */
export function parseHostPort(text: string): { host: string; port?: string } | undefined {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, host = '', port] = match;
  // Host names compare case-insensitively; DNS-1123 is the lower-case spelling.
  if (!isDnsSubdomain(host.toLowerCase()) && !ipv6.test(host)) return undefined;
  if (port === undefined) return { host };
  const number = Number(port);
  return number >= 1 && number <= 65535 ? { host, port: String(number) } : undefined;
}
