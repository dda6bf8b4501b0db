import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from '../log/logger.js';
import { resourceOf } from './endpoints.js';
import { createSpacedGroup } from './pacing.js';
import { contextOf, tokenPoolAuthStrategy } from './transport.js';
import type { TransportDeps } from './transport.js';

export interface OctokitDeps extends TransportDeps {
  baseUrl: string;
  userAgent: string;
  retries: number;
  /** Minimum gap between GraphQL requests (plugin-throttling's write limiter uses 1,000 ms). */
  graphqlSpacingMs: number;
}

// plugin-throttling shares its limiters between every Octokit with the same `throttle.id`; one id per
// client keeps two clients in one process (and tests) from queueing behind each other.
let clientCount = 0;

/**
 * One Octokit (REST + GraphQL) with, from the inside out: the token-pool auth strategy (token choice,
 * concurrency, waits on the injected clock, logging), plugin-retry (5xx and network errors) and
 * plugin-throttling (rate-limit answers), in the order the `octokit` package uses: `plugin(retry, throttling)`.
 *
 * Both plugins still decide *whether* to retry; the *waiting* happens in the transport on the injected
 * clock, so their own Bottleneck timers are set to zero (`retryAfterBaseValue: 0`) — otherwise every
 * retry would also sleep on real timers and tests with a simulated clock could not run fast.
 */
export function createOctokit(deps: OctokitDeps): InstanceType<typeof Octokit> {
  const { pool, spend, logger, now, sleep, retries } = deps;
  const ClientOctokit = Octokit.plugin(retry, throttling);
  const write = createSpacedGroup(deps.graphqlSpacingMs, now, sleep);

  return new ClientOctokit({
    baseUrl: deps.baseUrl,
    authStrategy: tokenPoolAuthStrategy(deps),
    userAgent: deps.userAgent,
    log: octokitLog(logger),
    retry: {
      retries,
      retryAfterBaseValue: 0,
      // plugin-retry's list plus 429: rate-limit answers are plugin-throttling's to handle, with waits.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      id: `greenshoots-${++clientCount}`,
      retryAfterBaseValue: 0,
      // GitHub: "If the retry-after header is not present, wait at least one minute."
      // https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-secondary-rate-limit
      fallbackSecondaryRateRetryAfter: 60,
      // Only `key(id).schedule(options, fn)` is called on it; see createSpacedGroup.
      write: write as unknown as NonNullable<ThrottlingOptions['write']>,
      onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
        // "If your request continues to fail due to a secondary rate limit, wait for an exponentially
        // increasing amount of time between retries" (same doc). Secondary limits are per user, so the
        // whole client pauses, not just this request.
        const waitMs = retryAfter * 1000 * 2 ** retryCount;
        pool.pause(now() + waitMs);
        spend.secondaryWaits++;
        const retrying = retryCount < retries;
        logger.warn(
          { route: `${options.method} ${options.url}`, retryAfterS: retryAfter, waitS: waitMs / 1000, retryCount, retrying },
          'GitHub secondary rate limit: pausing all requests',
        );
        return retrying;
      },
      onRateLimit: (retryAfter, options, _octokit, retryCount) => {
        // The primary budget ran out under us (another process on the same user). The transport already
        // read remaining=0 from the headers; for a GraphQL RATE_LIMITED answer without them, mark it here.
        // retryAfter is computed on the real clock, so it only serves when no reset time is known.
        const ctx = contextOf(options);
        if (ctx?.tokenIndex != null) pool.markExhausted(ctx.tokenIndex, resourceOf(options.url), now() + retryAfter * 1000);
        const retrying = retryCount < retries;
        logger.warn({ route: `${options.method} ${options.url}`, retryCount, retrying }, 'GitHub primary rate limit answered');
        return retrying;
      },
    },
  });
}

/**
 * Octokit's own log calls, routed to pino as plain messages. debug/info/error come from
 * plugin-request-log and duplicate the transport's lines (which carry more), so they go to trace;
 * messages only, never the options object, which holds request headers.
 */
function octokitLog(logger: Logger): { debug: (m: string) => void; info: (m: string) => void; warn: (m: string) => void; error: (m: string) => void } {
  const trace = (message: string): void => logger.trace({ source: 'octokit' }, String(message));
  return {
    debug: trace,
    info: trace,
    warn: (message) => logger.warn({ source: 'octokit' }, String(message)),
    error: trace,
  };
}
