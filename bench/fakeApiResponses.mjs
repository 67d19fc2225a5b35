// What both stand-in API servers (fakeApiServer.mjs, rotationApiServer.mjs) answer alike: a 404
// Status, a watch held open silently (a quiet cluster), and one page of a list (limit/continue).

/** A stand-in kube-apiserver's watches and lists, and how it stops. */
export function fakeApi() {
  const watches = new Set();
  return {
    notFound(res) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"kind":"Status","apiVersion":"v1","status":"Failure","code":404}');
    },
    /** Holds a `?watch=true` request open without sending an event; true when it was one. */
    holdWatch(url, res) {
      if (url.searchParams.get('watch') !== 'true') return false;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      watches.add(res);
      res.on('close', () => watches.delete(res));
      return true;
    },
    /** One page of `total` items made by `itemAt(i)`, paged by the request's limit and continue. */
    listPage(url, res, apiVersion, kind, total, itemAt) {
      const limit = Math.max(1, Number(url.searchParams.get('limit') ?? total));
      const from = Number(url.searchParams.get('continue') ?? 0);
      const to = Math.min(total, from + limit);
      const items = [];
      for (let i = from; i < to; i++) items.push(itemAt(i));
      const body = JSON.stringify({ apiVersion, kind: `${kind}List`, metadata: { resourceVersion: '5000', ...(to < total ? { continue: String(to) } : {}) }, items });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
    },
    /** Listens on 127.0.0.1, prints {"port":N}, and on SIGTERM drops the watches and closes. */
    serve(server) {
      server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
      process.once('SIGTERM', () => {
        for (const res of watches) res.destroy();
        server.close();
        server.closeAllConnections();
      });
    },
  };
}
