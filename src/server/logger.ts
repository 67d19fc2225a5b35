import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Every path where Secret data could sit in a log object. Handlers never log objects they were sent,
 * this is the second line of defence. pino's `*` matches one level, hence the explicit depths.
 */
export const redactedPaths = [
  'data',
  'stringData',
  '*.data',
  '*.stringData',
  '*.*.data',
  '*.*.stringData',
  'object',
  'oldObject',
  'request.object',
  'request.oldObject',
  'review.request.object',
  'review.request.oldObject',
  'body',
  'req.body',
  'err.body',
  'error.body',
  'patch',
];

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * stdout written asynchronously (pino's sonic-boom, `sync: false`): a request's audit line is
 * appended to a buffer and written with the lines around it, never a write(2) of its own in the
 * answer's way. pino flushes it synchronously when the process exits; `flushLogger` on shutdown.
 */
export function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}

/** JSON lines with ISO time and the level as a word, as log pipelines expect. */
const lineFormat = {
  base: { service: 'credinject' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label: string) => ({ level: label }) },
};

/** The server's logger, with the redaction paths. */
export function createLogger(level: LogLevel, destination: DestinationStream = stdoutDestination()): Logger {
  return pino({ level, ...lineFormat, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}

/**
 * The audit line's logger: the same format and level into the same destination, without the
 * redaction paths, which cost five times the rest of the line (bench/engine.mjs measures both).
 * Safe because it is only given AuditRecords, whose fields are names, counts and flags, never an
 * object (test/server/audit.test.ts checks every field of every fixture's record).
 */
export function createAuditLogger(level: LogLevel, destination: DestinationStream): Logger {
  return pino({ level, ...lineFormat }, destination);
}

/** Resolves once every line logged so far has been written (immediately for a destination without a buffer). */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}
