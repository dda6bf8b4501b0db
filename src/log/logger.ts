import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear in a log record: tokens and secret URLs. */
export const REDACT_PATHS = [
  'token',
  'tokens',
  '*.token',
  '*.tokens',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'request.headers.authorization',
  'databaseUrl',
  '*.databaseUrl',
  'webhookUrl',
  '*.webhookUrl',
  'slackWebhookUrl',
  '*.slackWebhookUrl',
  'webhookUrls',
  '*.webhookUrls',
  'slackWebhookUrls',
  '*.slackWebhookUrls',
  'webhookSecret',
  '*.webhookSecret',
];

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Human-readable lines (pino-pretty) instead of JSON; default: when stderr is a terminal. */
  pretty?: boolean;
  /** Where log lines go; default stderr, so stdout stays clean for command output. */
  destination?: NodeJS.WritableStream;
}

/** Makes the one root logger of a process. Logs go to stderr: stdout carries command output. */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: undefined,
  };
  if (options.destination) return pino(base, options.destination as pino.DestinationStream);
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(base, pino.destination(2));
}
