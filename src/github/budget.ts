import type { RateResource } from './errors.js';

/** One token's primary rate-limit window for one resource, as the last answer's headers told it. */
export interface RateWindow {
  limit: number;
  used: number;
  remaining: number;
  /** Epoch milliseconds on GitHub's clock when the window resets (`x-ratelimit-reset` is epoch seconds). */
  resetAt: number;
}

/** Response headers as Octokit gives them. */
export type HeaderBag = Readonly<Record<string, string | number | undefined>>;

/** What one token has left of one resource, as reported by `budget()`. */
export interface ResourceBudget {
  limit: number;
  remaining: number;
  used: number;
  /** On GitHub's clock, as `x-ratelimit-reset` and `GET /rate_limit` say it (the clock that stamps stored rows). */
  resetAt: Date;
}

/** One token of the pool, named by its position in the configured list (`token #1` is index 0). */
export interface TokenBudget {
  index: number;
  label: string;
  /** True once the token answered 401: it is never used again in this process. */
  dropped: boolean;
  /** Null until an answer on that resource carried `x-ratelimit-*` headers. */
  core: ResourceBudget | null;
  graphql: ResourceBudget | null;
}

/** What this client spent and waited for since it was created. */
export interface RunSpend {
  /** REST answers that counted against `core` (everything but 304 and `/rate_limit`). */
  restRequests: number;
  /** Conditional requests answered 304: free, https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate */
  notModified: number;
  /** GraphQL points: `rateLimit { cost }` when the query asked for it, else the change of `x-ratelimit-used`. */
  graphqlPoints: number;
  graphqlRequests: number;
  /** Times the client waited for a primary window to reset. */
  rateLimitWaits: number;
  /** Times a secondary rate limit made the client pause. */
  secondaryWaits: number;
  /** Attempts after the first, for any reason (5xx, network, rate limits). */
  retries: number;
}

/** Budgets of every token and the run's spend, from `GitHubClient.budget()`. */
export interface BudgetSnapshot {
  budgetShare: number;
  tokens: TokenBudget[];
  spend: RunSpend;
}

/** A zeroed spend record. */
export function emptySpend(): RunSpend {
  return { restRequests: 0, notModified: 0, graphqlPoints: 0, graphqlRequests: 0, rateLimitWaits: 0, secondaryWaits: 0, retries: 0 };
}

function headerNumber(headers: HeaderBag, name: string): number | null {
  const value = headers[name];
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * The window an answer reports in its `x-ratelimit-*` headers, and which resource it is for
 * (`x-ratelimit-resource`: core, graphql, search …). Null when the headers are absent
 * (GitHub Enterprise Server with rate limiting off, some error pages).
 */
export function parseRateHeaders(headers: HeaderBag): { resource: string | null; window: RateWindow } | null {
  const limit = headerNumber(headers, 'x-ratelimit-limit');
  const remaining = headerNumber(headers, 'x-ratelimit-remaining');
  const reset = headerNumber(headers, 'x-ratelimit-reset');
  if (limit === null || remaining === null || reset === null) return null;
  const used = headerNumber(headers, 'x-ratelimit-used') ?? limit - remaining;
  const resource = headers['x-ratelimit-resource'];
  return {
    resource: typeof resource === 'string' && resource !== '' ? resource : null,
    window: { limit, used, remaining, resetAt: reset * 1000 },
  };
}

/**
 * Folds a newer answer into what was known. Answers to concurrent requests arrive out of order,
 * so within one window the highest `used` wins; an answer from an older window is ignored.
 * `usedDelta` is how much `used` grew (the cost of that request, if nothing else ran meanwhile).
 */
export function mergeWindow(prev: RateWindow | undefined, next: RateWindow): { window: RateWindow; usedDelta: number | null } {
  if (!prev) return { window: next, usedDelta: null };
  // x-ratelimit-reset is whole seconds; treat answers within a second as the same window.
  if (Math.abs(next.resetAt - prev.resetAt) < 1000) {
    const window = next.used >= prev.used ? next : prev;
    return { window, usedDelta: next.used - prev.used >= 0 ? next.used - prev.used : null };
  }
  if (next.resetAt > prev.resetAt) return { window: next, usedDelta: null };
  return { window: prev, usedDelta: null };
}

/** The window as it stands at `now` (GitHub's clock): once the reset time has passed the whole limit is back. */
export function windowAt(window: RateWindow, now: number): RateWindow {
  if (now < window.resetAt) return window;
  // The next window starts with the next request; until an answer says, assume a full hour from now.
  return { limit: window.limit, used: 0, remaining: window.limit, resetAt: now + 3_600_000 };
}

/**
 * Units this window may still spend under `budgetShare`: the cap is `floor(share × limit)` of the
 * hour, counted from what the headers say is already used (by this run or anything else on the token).
 */
export function spendable(window: RateWindow, share: number): number {
  const cap = Math.floor(share * window.limit);
  return Math.max(0, Math.min(window.remaining, cap - window.used));
}

/** A `budget()` entry for one window at `now` (GitHub's clock). */
export function toResourceBudget(window: RateWindow | undefined, now: number): ResourceBudget | null {
  if (!window) return null;
  const w = windowAt(window, now);
  return { limit: w.limit, remaining: w.remaining, used: w.used, resetAt: new Date(w.resetAt) };
}

/** GitHub's limits before any answer told us otherwise (REST 5,000/h with a token, 60 without; GraphQL needs a token); `now` on GitHub's clock. */
export function assumedWindow(resource: RateResource, authenticated: boolean, now: number): RateWindow {
  const limit = authenticated ? 5000 : resource === 'core' ? 60 : 0;
  return { limit, used: 0, remaining: limit, resetAt: now + 3_600_000 };
}
