import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * The Kubernetes API calls credinject makes, over node's http: JSON in, JSON out, with the
 * connection's keep-alive agent. It replaces client-node in `serve` because client-node's config
 * module alone loads its whole generated API (about 70 MB of RSS), for the dozen calls we make.
 */

/** Where to send a request and how to authenticate it (kube/clusterConnection.ts makes one). */
export interface Connection {
  /** The API server's URL, no trailing slash. */
  readonly server: string;
  prepare(): Promise<{ agent: Agent; headers: Record<string, string> }>;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. `/api/v1/namespaces/ml/secrets/aws` (see resourcePath). */
  path: string;
  query?: Query;
  body?: unknown;
  /** How a PATCH body is read: a JSON merge patch (the default), an RFC 6902 JSON patch, or a server-side apply. */
  patch?: 'merge' | 'json' | 'apply';
  signal?: AbortSignal;
}

/**
 * A non-2xx answer. `code` and `body` (the API's Status, as text) are what describeApiError reads;
 * the message is its one line, never a whole body or a header.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(statusLine(code, body));
  }
}

/** The HTTP status of a failed call, if the API server answered. */
export const apiStatus = (err: unknown): number | undefined => (err instanceof ApiError ? err.code : undefined);

export interface KubeApi {
  readonly server: string;
  /** One call; resolves the parsed answer, rejects with ApiError on a non-2xx status. */
  call<T = unknown>(call: ApiCall): Promise<T>;
  /** A GET whose 200 answer is read as a stream (a watch); rejects with ApiError on another status. */
  stream(path: string, query: Query, signal: AbortSignal): Promise<IncomingMessage>;
}

export interface KubeApiOptions {
  /** A call (not a stream) that has no answer within this is aborted. 30 s, as kubectl's default request timeout is unbounded but our writers must not hang. */
  timeoutMs?: number;
}

// An apply body is YAML, and JSON is YAML.
const contentTypes = { merge: 'application/merge-patch+json', json: 'application/json-patch+json', apply: 'application/apply-patch+yaml' } as const;

export function kubeApi(connection: Connection, options: KubeApiOptions = {}): KubeApi {
  const timeoutMs = options.timeoutMs ?? 30_000;

  function url(path: string, query: Query | undefined): URL {
    const target = new URL(connection.server + path);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) target.searchParams.set(key, String(value));
    return target;
  }

  /** Sends a request; resolves the response once its headers are in. */
  async function send(method: string, target: URL, body: string | undefined, contentType: string | undefined, signal: AbortSignal): Promise<IncomingMessage> {
    const { agent, headers } = await connection.prepare();
    signal.throwIfAborted();
    const all: Record<string, string> = { ...headers, accept: 'application/json' };
    if (contentType) all['content-type'] = contentType;
    if (body !== undefined) all['content-length'] = String(Buffer.byteLength(body));
    const request = target.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = request(target, { method, headers: all, agent, signal }, resolve);
      req.on('error', reject);
      // TCP keep-alive probes find a peer that vanished without a FIN (client-node does the same).
      req.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
      req.end(body);
    });
  }

  return {
    server: connection.server,
    async call<T>(call: ApiCall): Promise<T> {
      const signal = call.signal ? AbortSignal.any([call.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      const body = call.body === undefined ? undefined : JSON.stringify(call.body);
      const contentType = body === undefined ? undefined : call.method === 'PATCH' ? contentTypes[call.patch ?? 'merge'] : 'application/json';
      const res = await send(call.method, url(call.path, call.query), body, contentType, signal);
      const text = await readText(res);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) throw new ApiError(status, text);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    async stream(path, query, signal) {
      const res = await send('GET', url(path, query), undefined, undefined, signal);
      if (res.statusCode === 200) return res;
      throw new ApiError(res.statusCode ?? 0, await readText(res).catch(() => ''));
    },
  };
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `HTTP 404 NotFound: secrets "x" not found`: the code, and the Status's reason and message when the body is one. */
export function statusLine(code: number, body: string): string {
  let status: { message?: unknown; reason?: unknown } | undefined;
  try {
    status = JSON.parse(body) as typeof status;
  } catch {
    status = undefined;
  }
  const message = typeof status?.message === 'string' ? status.message : undefined;
  const reason = typeof status?.reason === 'string' ? status.reason : undefined;
  return `HTTP ${code}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`;
}
