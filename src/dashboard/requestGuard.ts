import { timingSafeEqual } from 'node:crypto';

/** The name of the cookie the page sets so its own requests (assets, API, events) carry the token. */
export const tokenCookie = 'credinject_dashboard';

const loopbackHosts = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * A request is answered only when its Host header names the loopback address we listen on (a
 * DNS-rebinding page reaches 127.0.0.1 under its own name) and it carries this run's token, in the
 * query (`?token=`) or in the cookie set by the first page load. Pure, so it is tested as a table.
 */
export function refusal(
  request: { host: string | undefined; origin: string | undefined; url: URL; cookie: string | undefined },
  port: number,
  token: string,
): string | undefined {
  const allowedHosts = loopbackHosts.map((host) => `${host}:${port}`);
  if (!request.host || !allowedHosts.includes(request.host.toLowerCase())) return 'the Host header must be the loopback address this dashboard listens on';
  if (request.origin !== undefined && !allowedHosts.some((host) => request.origin === `http://${host}`)) return 'requests from other origins are refused';
  const given = request.url.searchParams.get('token') ?? cookieValue(request.cookie, tokenCookie);
  if (!given || !sameToken(given, token)) return 'a valid token is required: open the URL credinject dashboard printed';
  return undefined;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
