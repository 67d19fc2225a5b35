import type { Server } from 'node:http';

/**
 * Stops accepting, lets requests in flight finish, then resolves. Connections that go idle while we
 * wait are closed as they do (keep-alive would hold `close()` open); after `timeoutMs` whatever is
 * left is cut, so a stuck client cannot block the exit past the pod's grace period.
 */
export function closeGracefully(server: Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections' | 'listening'>, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
  });
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
