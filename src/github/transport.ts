import type { Logger } from '../log/logger.js';
import type { HeaderBag, RunSpend } from './budget.js';
import { isFreeRoute, resourceOf } from './endpoints.js';
import { GitHubAuthError } from './errors.js';
import type { RateResource } from './errors.js';
import type { Semaphore } from './pacing.js';
import type { TokenPool } from './token-pool.js';

/**
 * State of one logical request across its attempts. It rides in `options.request.greenshoots`; the
 * retry and throttling plugins re-send the same options object, so every attempt sees the same one.
 * A class (not a plain object) so Octokit's deep merge of request options copies it by reference.
 */
export class RequestContext {
  attempts = 0;
  serverFailures = 0;
  /** Backoff to sleep before the next attempt, set when an attempt failed with 5xx or no answer. */
  backoffMs = 0;
  /** The last answer (also for errors), for `status`, `Date` and rate headers. */
  response: { status: number; headers: HeaderBag } | null = null;
  tokenIndex: number | null = null;
  /** Growth of `x-ratelimit-used` on the last answer, and the points counted for it in the run spend. */
  usedDelta: number | null = null;
  pointsCounted = 0;

  constructor(readonly pinned: number | null = null) {}
}

/** The context of a request's options, if it has one. */
export function contextOf(options: { request?: unknown }): RequestContext | null {
  const request = options.request as { greenshoots?: unknown } | undefined;
  return request?.greenshoots instanceof RequestContext ? request.greenshoots : null;
}

export interface TransportDeps {
  pool: TokenPool;
  slots: Semaphore;
  spend: RunSpend;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
}

/** The request options Octokit hands to a `request` hook (route template in `url`, not yet expanded). */
interface Options {
  method: string;
  url: string;
  baseUrl: string;
  headers: Record<string, string | number | undefined>;
  request?: Record<string, unknown>;
  [param: string]: unknown;
}
/** An answer as Octokit's `request` resolves it. */
interface Answer {
  status: number;
  url: string;
  headers: HeaderBag;
  data: unknown;
}
/** Octokit's bare request method, as the innermost hook receives it. */
interface Send {
  (options: Options): Promise<Answer>;
  endpoint: { parse(options: Options): { url: string; method: string } };
}

/** What `octokit.auth()` resolves to: a description, never a token. */
export interface PoolAuthentication {
  type: 'token-pool';
  tokens: number;
}

interface FailureLike {
  status?: unknown;
  message?: unknown;
  response?: { status: number; headers: HeaderBag };
}

/**
 * An Octokit `authStrategy` whose hook wraps every attempt. Octokit registers the auth hook first, so it
 * is innermost: inside plugin-request-log, plugin-retry and plugin-throttling, and each of their retries
 * passes here. (before-after-hook binds every other wrap hook to the original options, so only the
 * innermost one can change the headers.) Per attempt it waits out secondary-limit pauses and backoff on
 * the injected clock, caps concurrency, puts the chosen token's Authorization on a copy of the options,
 * records rate headers and spend, logs, and moves the request to the next token when one answers 401.
 */
export function tokenPoolAuthStrategy(deps: TransportDeps): () => (() => Promise<PoolAuthentication>) & { hook: (request: Send, options: Options) => Promise<Answer> } {
  const describe = async (): Promise<PoolAuthentication> => ({ type: 'token-pool', tokens: deps.pool.live().length });
  return () => Object.assign(describe, { hook: (request: Send, options: Options) => sendAttempt(deps, request, options) });
}

async function sendAttempt(deps: TransportDeps, request: Send, options: Options): Promise<Answer> {
  const { pool, slots, spend, logger, now, sleep } = deps;
  const ctx = contextOf(options) ?? new RequestContext();
  const resource = resourceOf(options.url);
  const free = isFreeRoute(options.url);
  if (ctx.attempts > 0) spend.retries++;
  ctx.attempts++;
  if (ctx.backoffMs > 0) {
    await sleep(ctx.backoffMs);
    ctx.backoffMs = 0;
  }

  for (;;) {
    while (now() < pool.pausedUntil) await sleep(pool.pausedUntil - now());
    await slots.acquire();
    let choice;
    try {
      choice = pool.choose(resource, { free, pinned: ctx.pinned });
    } catch (err) {
      slots.release();
      throw err;
    }
    if (choice.kind === 'busy') {
      slots.release();
      await pool.whenReleased();
      continue;
    }
    if (choice.kind === 'wait') {
      slots.release();
      spend.rateLimitWaits++;
      logger.warn({ resource, until: new Date(choice.until).toISOString() }, 'GitHub budget spent on every token: waiting for the reset');
      await sleep(choice.until - now());
      continue;
    }
    if (now() < pool.pausedUntil) {
      // A secondary limit began while this request waited for a slot.
      choice.release();
      slots.release();
      continue;
    }

    const { url, method } = request.endpoint.parse(options);
    const headers: Record<string, string | number | undefined> = { ...options.headers };
    if (choice.token !== null) headers['authorization'] = `token ${choice.token}`;
    const started = performance.now();
    let response: Answer | null = null;
    let failure: FailureLike | null = null;
    let thrown: unknown = null;
    try {
      // A fresh timeout per attempt; Octokit turns the abort into a RequestError 500, which plugin-retry retries.
      response = await request({ ...options, headers, request: { ...options.request, signal: AbortSignal.timeout(deps.timeoutMs) } });
    } catch (err) {
      thrown = err;
      failure = typeof err === 'object' && err !== null ? (err as FailureLike) : { message: String(err) };
      // Pause before the slot goes to the next waiter; plugin-throttling's handler, which runs later,
      // then lengthens the pause for repeated limits.
      const pauseMs = secondaryPauseMs(failure);
      if (pauseMs !== null) pool.pause(now() + pauseMs);
    } finally {
      choice.release();
      slots.release();
    }
    const durationMs = Math.round(performance.now() - started);
    const answer = response ?? failure?.response ?? null;
    const status = answer?.status ?? null;
    ctx.tokenIndex = choice.index;
    ctx.response = answer ? { status: answer.status, headers: answer.headers } : null;
    ctx.usedDelta = answer ? pool.record(choice.index, answer.headers, resource) : null;
    const cost = countSpend(deps, ctx, resource, free, status);

    const fields = {
      method,
      route: options.url,
      path: url.replace(options.baseUrl, ''),
      status,
      resource,
      cost,
      remaining: numberHeader(answer?.headers, 'x-ratelimit-remaining'),
      credential: pool.label(choice.index),
      attempt: ctx.attempts,
      durationMs,
    };
    if (failure === null) {
      logger.debug(fields, 'github request');
      return response as Answer;
    }
    if (status === 401 && choice.token !== null) {
      const left = pool.drop(choice.index);
      logger.warn({ ...fields, tokensLeft: left }, `GitHub rejected ${pool.label(choice.index)} (401 Bad credentials): dropped for this run`);
      if (left === 0) throw pool.authError();
      if (ctx.pinned !== null) throw new GitHubAuthError(`GitHub rejected ${pool.label(choice.index)} (401 Bad credentials)`, { cause: thrown });
      continue; // the same request, on the next token
    }
    const serverSide = status === null || status >= 500;
    if (serverSide) {
      // plugin-retry's schedule ((n+1)² s: 1, 4, 9 …), slept here on the injected clock; plugin-retry
      // itself runs with retryAfterBaseValue 0 so its Bottleneck timer does not wait a second time.
      ctx.serverFailures++;
      ctx.backoffMs = ctx.serverFailures ** 2 * 1000;
    }
    const level = serverSide || status === 403 || status === 429 ? 'warn' : 'debug';
    logger[level]({ ...fields, error: String(failure.message ?? '') }, 'github request failed');
    throw thrown;
  }
}

/**
 * How long a secondary-limit answer asks everyone to wait: 403/429 whose message says so (the test
 * plugin-throttling uses) — `retry-after` seconds, or at least a minute without it.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-secondary-rate-limit
 */
function secondaryPauseMs(failure: FailureLike): number | null {
  const status = failure.response?.status;
  if ((status !== 403 && status !== 429) || !/\bsecondary rate\b/i.test(String(failure.message ?? ''))) return null;
  const retryAfter = Number(failure.response?.headers['retry-after']);
  return (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 60) * 1000;
}

/** Counts an answer in the run spend; returns the cost logged for it. */
function countSpend(deps: TransportDeps, ctx: RequestContext, resource: RateResource, free: boolean, status: number | null): number | null {
  const { spend } = deps;
  if (status === null || free) return 0;
  if (resource === 'core') {
    // 304 answers to conditional requests are not charged to the primary budget.
    if (status === 304) {
      spend.notModified++;
      return 0;
    }
    spend.restRequests++;
    return 1;
  }
  spend.graphqlRequests++;
  // Corrected by the caller when the query asked for rateLimit { cost }.
  ctx.pointsCounted = ctx.usedDelta ?? (status < 400 ? 1 : 0);
  spend.graphqlPoints += ctx.pointsCounted;
  return ctx.usedDelta;
}

function numberHeader(headers: HeaderBag | undefined, name: string): number | null {
  const value = headers?.[name];
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
