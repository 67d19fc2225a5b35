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

/** JSON lines with ISO time and the level as a word, as log pipelines expect. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'credinject' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
