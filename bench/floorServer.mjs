// The admission benchmark's floor: a bare node:https server on the same certificate that reads each
// body fully and answers a constant AdmissionReview (the very bytes credinject answered for the
// benchmark review, patch included), so the difference to credinject is its work, not the wire.
// With --parse it also does the least work any webhook must do: JSON.parse the review and
// JSON.stringify an answer of the same size for its uid (the "parse floor").
// Usage: node bench/floorServer.mjs <cert.pem> <key.pem> <response.json> [--parse]; prints {"port":N}.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const [certFile, keyFile, responseFile, mode] = process.argv.slice(2);
const parse = mode === '--parse';
if (!certFile || !keyFile || !responseFile) {
  process.stderr.write('usage: node bench/floorServer.mjs <cert.pem> <key.pem> <response.json>\n');
  process.exit(2);
}
const answer = readFileSync(responseFile);
const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(answer.length) };
const template = JSON.parse(answer.toString('utf8'));

// Same TLS floor and keep-alive as credinject's webhook server (src/server/start.ts).
const constant = (req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(answer);
  });
};
const parsing = (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const text = JSON.stringify({ ...template, response: { ...template.response, uid: review.request.uid } });
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
};
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' }, parse ? parsing : constant);
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
