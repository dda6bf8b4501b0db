import { Writable } from 'node:stream';
import { createGitHubClient } from '../../src/github/index.js';
import type { GitHubClient, GitHubClientOptions } from '../../src/github/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { Logger } from '../../src/log/logger.js';

/** A simulated clock: `sleep` moves time forward at once, so waits of minutes take no real time. */
export interface SimulatedClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every sleep asked for, in ms, in order. */
  sleeps: number[];
}

/** Starts at a fixed instant; concurrent sleepers move time to the latest wake-up, not the sum. */
export function simulatedClock(start = Date.parse('2026-11-28T10:00:00Z')): SimulatedClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    async sleep(ms) {
      sleeps.push(ms);
      const wakeAt = t + Math.max(0, ms);
      // Yield first, as a real timer would; sleepers started in the same tick then share one advance.
      await new Promise((resolve) => setImmediate(resolve));
      t = Math.max(t, wakeAt);
    },
  };
}

/** A debug-level logger whose lines are kept in memory, to read back in assertions. */
export function capturedLogger(): { logger: Logger; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  const text = (): string => chunks.join('');
  const lines = (): Array<Record<string, unknown>> =>
    text()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, text, lines };
}

/** `x-ratelimit-*` headers as GitHub sends them; `resetIn` seconds after `now`. */
export function rateHeaders(options: {
  now: number;
  remaining: number;
  limit?: number;
  used?: number;
  resetIn?: number;
  resource?: 'core' | 'graphql';
}): Record<string, string> {
  const limit = options.limit ?? 5000;
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(options.remaining),
    'x-ratelimit-used': String(options.used ?? limit - options.remaining),
    'x-ratelimit-reset': String(Math.floor(options.now / 1000) + (options.resetIn ?? 3000)),
    'x-ratelimit-resource': options.resource ?? 'core',
    'content-type': 'application/json; charset=utf-8',
  };
}

/** A client on a simulated clock with captured logs; `over` replaces any option. */
export function makeClient(over: Partial<GitHubClientOptions> = {}): {
  client: GitHubClient;
  clock: SimulatedClock;
  log: ReturnType<typeof capturedLogger>;
} {
  const clock = simulatedClock();
  const log = capturedLogger();
  const client = createGitHubClient({
    apiUrl: 'https://api.github.com',
    tokens: ['tok-a'],
    logger: log.logger,
    now: clock.now,
    sleep: clock.sleep,
    ...over,
  });
  return { client, clock, log };
}
