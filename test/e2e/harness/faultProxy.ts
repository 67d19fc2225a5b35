/**
 * A TCP proxy on 127.0.0.1 in front of the API server that can stall connections the way a broken
 * middlebox or a frozen peer does: TCP stays up, no byte moves. TLS passes through untouched (the
 * API server's certificate names 127.0.0.1, whatever the port).
 *
 * - `stallOpen()`: the connections open now stop moving bytes; new ones flow.
 * - `stallAll()`: those and every new one (accepted, then nothing): an API server that accepts and
 *   never answers.
 * - `resume()`: stalled connections flush what they held back and flow again.
 */
import { connect, createServer, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
  stalled: boolean;
  held: { to: Socket; chunk: Buffer }[];
}

export interface FaultProxy {
  port: number;
  stallOpen(): void;
  stallAll(): void;
  resume(): void;
  /** Connections open now. */
  connections(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let stallNew = false;
  const forward = (pair: Pair, to: Socket) => (chunk: Buffer) => {
    if (pair.stalled) pair.held.push({ to, chunk });
    else to.write(chunk);
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream, stalled: stallNew, held: [] };
    pairs.add(pair);
    client.on('data', forward(pair, upstream));
    upstream.on('data', forward(pair, client));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    stallOpen() {
      for (const pair of pairs) pair.stalled = true;
    },
    stallAll() {
      stallNew = true;
      for (const pair of pairs) pair.stalled = true;
    },
    resume() {
      stallNew = false;
      for (const pair of pairs) {
        pair.stalled = false;
        for (const { to, chunk } of pair.held.splice(0)) to.write(chunk);
      }
    },
    connections: () => pairs.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) {
          pair.client.destroy();
          pair.upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
