// Reading wrk's report (Debian's wrk 4.x): requests, duration, throughput and errors.

const unitSeconds = { us: 1e-6, ms: 1e-3, s: 1, m: 60 };

/** { requests, seconds, rps, non2xx, socketErrors } of wrk's stdout; throws when it is not a wrk report. */
export function parseWrkOutput(text) {
  const done = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(text);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (!done || !rps) throw new Error(`not a wrk report: ${text.slice(0, 300)}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { requests: Number(done[1]), seconds: Number(done[2]) * unitSeconds[done[3]], rps: Number(rps[1]), non2xx, socketErrors };
}
