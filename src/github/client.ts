import { GraphqlResponseError } from '@octokit/graphql';
import type { Logger } from '../log/logger.js';
import { emptySpend } from './budget.js';
import type { BudgetSnapshot, HeaderBag } from './budget.js';
import { normalizeApiUrl } from './endpoints.js';
import { graphqlErrorsOf, isTooLarge, toGitHubError } from './error-mapping.js';
import { GitHubAuthError, GitHubGraphqlError, GraphqlTooLargeError } from './errors.js';
import type { GraphqlError, RateResource } from './errors.js';
import { createOctokit } from './octokit.js';
import { realSleep, Semaphore } from './pacing.js';
import { TokenPool } from './token-pool.js';
import type { BudgetPolicy } from './token-pool.js';
import { RequestContext } from './transport.js';
import { defaultUserAgent } from './user-agent.js';

export interface GitHubClientOptions {
  /** REST base: `https://api.github.com`, `https://HOST/api/v3` (GHES) or a simulator's `http://127.0.0.1:PORT`. */
  apiUrl: string;
  /** Personal access tokens; each request goes to the one with the most budget left. Empty: unauthenticated (60 req/h). */
  tokens: readonly string[];
  /** Requests on the wire at once (default 2). GitHub asks for serial requests; keep this small. */
  concurrency?: number;
  /** Share of each token's hourly budget this run may use, 0 < s ≤ 1 (default 1). */
  budgetShare?: number;
  /** When every token has spent its share: `throw` BudgetExhaustedError or `wait` for the reset.
   *  Default `throw` when budgetShare < 1, `wait` when it is 1 (the primary limit itself). */
  whenBudgetSpent?: BudgetPolicy;
  /** Retries of 5xx/network failures, and of rate-limit answers (default 3). */
  retries?: number;
  /** Per-attempt timeout in ms (default 30 s; GitHub cuts GraphQL queries off at ~10 s). */
  timeoutMs?: number;
  /** Minimum gap between GraphQL requests, as plugin-throttling spaces them (default 1,000 ms). */
  graphqlSpacingMs?: number;
  logger: Logger;
  /** Default `greenshoots/<version>`. */
  userAgent?: string;
  /** Epoch ms; injected so waits can run on a simulated clock. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A GraphQL answer: `data` even when some aliases failed (then `errors` says which, by `path`). */
export interface GraphqlResult<T> {
  data: T;
  errors: GraphqlError[];
  /** The answer's `Date` header. */
  servedAt: Date | null;
  /** Points charged: `rateLimit { cost }` when the query asks for it, else the growth of `x-ratelimit-used`. */
  cost: number | null;
  status: number;
}

/** A REST answer; `notModified` (status 304, `data` null) when the `etag` still matches. */
export interface RestResult<T> {
  status: number;
  data: T | null;
  etag: string | null;
  link: string | null;
  servedAt: Date | null;
  notModified: boolean;
  headers: Record<string, string>;
}

export interface RestRequestOptions {
  /** Sent as `If-None-Match`: a 304 answer is free. */
  etag?: string | null;
  /** e.g. `application/vnd.github.star+json` for `starred_at`. */
  accept?: string;
}

export interface GitHubClient {
  /** GraphQL POST; returns data even when some aliases failed (partial errors), plus errors, cost and server Date. */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResult<T>>;
  /** REST request (GET) with optional conditional request; a 304 comes back as `{ notModified: true }`, not thrown. */
  rest<T>(route: string, params?: Record<string, unknown>, opts?: RestRequestOptions): Promise<RestResult<T>>;
  /** Per-token budgets (by index, per resource) and what this run spent and waited. */
  budget(): BudgetSnapshot;
  /** Units this run may still spend on `resource` under budgetShare, over all live tokens. */
  remainingShare(resource: RateResource): number;
  /** Asks `GET /rate_limit` (free) for every live token, so `remainingShare` is exact before optional work. */
  refreshBudget(): Promise<BudgetSnapshot>;
}

// @octokit/graphql takes variables spread among its own options: these names cannot be variables.
const RESERVED_VARIABLES = ['method', 'baseUrl', 'url', 'headers', 'request', 'query', 'mediaType', 'operationName'];

/** Builds the GitHub client: one Octokit with the retry and throttling plugins over a token pool. */
export function createGitHubClient(o: GitHubClientOptions): GitHubClient {
  const budgetShare = o.budgetShare ?? 1;
  const concurrency = o.concurrency ?? 2;
  const retries = o.retries ?? 3;
  if (!(budgetShare > 0 && budgetShare <= 1)) throw new RangeError(`budgetShare must be in (0, 1], got ${budgetShare}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`retries must be a non-negative integer, got ${retries}`);

  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? realSleep;
  const logger = o.logger;
  const pool = new TokenPool({ tokens: o.tokens, budgetShare, policy: o.whenBudgetSpent ?? (budgetShare < 1 ? 'throw' : 'wait'), now });
  const spend = emptySpend();
  if (o.tokens.length === 0) {
    logger.warn('no GitHub token: unauthenticated requests get 60 per hour and no GraphQL; set GITHUB_TOKEN or GITHUB_TOKENS');
  }
  const octokit = createOctokit({
    pool,
    slots: new Semaphore(concurrency),
    spend,
    logger,
    now,
    sleep,
    timeoutMs: o.timeoutMs ?? 30_000,
    baseUrl: normalizeApiUrl(o.apiUrl),
    userAgent: o.userAgent ?? defaultUserAgent(),
    retries,
    graphqlSpacingMs: o.graphqlSpacingMs ?? 1000,
  });

  const budget = (): BudgetSnapshot => ({ budgetShare, tokens: pool.snapshot(), spend: { ...spend } });

  async function rest<T>(route: string, params: Record<string, unknown> = {}, opts: RestRequestOptions = {}): Promise<RestResult<T>> {
    const ctx = new RequestContext();
    const headers: Record<string, string> = { ...(params['headers'] as Record<string, string> | undefined) };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.accept) headers['accept'] = opts.accept;
    try {
      const res = await octokit.request(route, { ...params, headers, request: { greenshoots: ctx } });
      const flat = flatHeaders(res.headers);
      return { status: res.status, data: res.data as T, etag: flat['etag'] ?? null, link: flat['link'] ?? null, servedAt: dateOf(flat), notModified: false, headers: flat };
    } catch (err) {
      if (ctx.response?.status === 304) {
        const flat = flatHeaders(ctx.response.headers);
        return { status: 304, data: null, etag: flat['etag'] ?? opts.etag ?? null, link: flat['link'] ?? null, servedAt: dateOf(flat), notModified: true, headers: flat };
      }
      throw toGitHubError(err, { kind: 'rest', what: route, repo: repoOf(params) });
    }
  }

  async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResult<T>> {
    const clash = Object.keys(variables).find((name) => RESERVED_VARIABLES.includes(name));
    if (clash) throw new RangeError(`GraphQL variable name "${clash}" is reserved by @octokit/graphql: rename it`);
    const ctx = new RequestContext();
    let data: unknown;
    let errors: GraphqlError[] = [];
    try {
      data = await octokit.graphql<T>(query, { ...variables, request: { greenshoots: ctx } });
    } catch (err) {
      if (!(err instanceof GraphqlResponseError)) throw toGitHubError(err, { kind: 'graphql', what: 'GraphQL query', repo: null });
      // HTTP 200 with `errors`: @octokit/graphql throws, but `data` holds what the other aliases answered.
      errors = graphqlErrorsOf(err.response);
      const status = ctx.response?.status ?? 200;
      if (isTooLarge(errors)) {
        throw new GraphqlTooLargeError(status, errors, `GraphQL query too large for GitHub (${errors[0]?.type ?? errors[0]?.message}): ask for fewer repos per query`, { cause: err });
      }
      if (typeof err.data !== 'object' || err.data === null) {
        throw new GitHubGraphqlError(status, errors, `GraphQL query failed: ${errors[0]?.message ?? err.message}`, { cause: err });
      }
      data = err.data;
    }
    const headers = ctx.response ? flatHeaders(ctx.response.headers) : {};
    const reported = rateLimitCost(data);
    if (reported !== null) {
      // The query's own rateLimit { cost } beats the header difference (which concurrent requests blur).
      spend.graphqlPoints += reported - ctx.pointsCounted;
      ctx.pointsCounted = reported;
    }
    return { data: data as T, errors, servedAt: dateOf(headers), cost: reported ?? ctx.usedDelta, status: ctx.response?.status ?? 200 };
  }

  async function refreshBudget(): Promise<BudgetSnapshot> {
    for (const index of pool.live()) {
      const ctx = new RequestContext(index);
      try {
        const res = await octokit.request('GET /rate_limit', { request: { greenshoots: ctx } });
        for (const resource of ['core', 'graphql'] as const) {
          const r = res.data.resources[resource];
          if (r) pool.setWindow(index, resource, { limit: r.limit, used: r.used, remaining: r.remaining, resetAt: r.reset * 1000 });
        }
      } catch (err) {
        // A dropped token is already logged; the others still count.
        if (err instanceof GitHubAuthError && pool.live().length > 0) continue;
        throw toGitHubError(err, { kind: 'rest', what: 'GET /rate_limit', repo: null });
      }
    }
    return budget();
  }

  return { rest, graphql, budget, remainingShare: (resource) => pool.remainingShare(resource), refreshBudget };
}

function flatHeaders(headers: HeaderBag): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = String(value);
  return flat;
}

function dateOf(headers: Record<string, string>): Date | null {
  const date = headers['date'] ? new Date(headers['date']) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function repoOf(params: Record<string, unknown>): string | null {
  const { owner, repo } = params;
  return typeof owner === 'string' && typeof repo === 'string' ? `${owner}/${repo}` : null;
}

function rateLimitCost(data: unknown): number | null {
  if (typeof data !== 'object' || data === null || !('rateLimit' in data)) return null;
  const rateLimit = data.rateLimit;
  if (typeof rateLimit !== 'object' || rateLimit === null || !('cost' in rateLimit)) return null;
  return typeof rateLimit.cost === 'number' ? rateLimit.cost : null;
}
