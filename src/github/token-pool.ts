import { assumedWindow, mergeWindow, parseRateHeaders, spendable, toResourceBudget, windowAt } from './budget.js';
import type { HeaderBag, RateWindow, TokenBudget } from './budget.js';
import { ServerClock } from './clock.js';
import { BudgetExhaustedError, GitHubAuthError } from './errors.js';
import type { RateResource } from './errors.js';

/** What to do when every token has spent its share: refuse with BudgetExhaustedError, or wait for the reset. */
export type BudgetPolicy = 'throw' | 'wait';

/** The pool's answer to "which token may send this request now?". */
export type Choice =
  | { kind: 'send'; index: number; token: string | null; release: () => void }
  /** Every token has spent its share until `until` (epoch ms on the local clock, `now`). */
  | { kind: 'wait'; until: number }
  /** Budget is left, but requests in flight have reserved it: wait for one to finish. */
  | { kind: 'busy' };

interface Entry {
  token: string | null;
  label: string;
  dropped: boolean;
  windows: Map<string, RateWindow>;
  inflight: Record<RateResource, number>;
}

export interface TokenPoolOptions {
  tokens: readonly string[];
  budgetShare: number;
  policy: BudgetPolicy;
  /** The local clock, epoch ms (injected in tests). GitHub's clock is derived from it and the answers' Date. */
  now: () => number;
}

/**
 * The tokens of one client and what each has left, per resource, from the `x-ratelimit-*` headers of
 * every answer. A class because it guards state shared by concurrent requests: windows, in-flight
 * reservations, dropped tokens and the secondary-limit pause. Windows stay on GitHub's clock, as the
 * headers give them, and are compared with GitHub's now; only waits turn into local time.
 */
export class TokenPool {
  readonly share: number;
  readonly #entries: Entry[];
  readonly #policy: BudgetPolicy;
  /** GitHub's clock, kept from the Date header of every answer. */
  readonly #clock: ServerClock;
  #pausedUntil = 0;
  #releaseWaiters: Array<() => void> = [];

  constructor(options: TokenPoolOptions) {
    this.share = options.budgetShare;
    this.#policy = options.policy;
    this.#clock = new ServerClock(options.now);
    const tokens: Array<string | null> = options.tokens.length > 0 ? [...options.tokens] : [null];
    this.#entries = tokens.map((token, index) => ({
      token,
      label: token === null ? 'unauthenticated' : `token #${index + 1}`,
      dropped: false,
      windows: new Map(),
      inflight: { core: 0, graphql: 0 },
    }));
  }

  get authenticated(): boolean {
    return this.#entries[0]?.token !== null;
  }

  /** `token #2` (counting from 1, as in GITHUB_TOKENS), never the token itself. */
  label(index: number): string {
    return this.#entries[index]?.label ?? `token #${index + 1}`;
  }

  /** Indexes of the tokens not dropped. */
  live(): number[] {
    return this.#entries.flatMap((e, i) => (e.dropped ? [] : [i]));
  }

  /** Epoch ms on the local clock before which no request may start (a secondary rate limit is being waited out). */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Holds every request of this client until `until`: secondary limits are per user, not per request. */
  pause(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }

  /**
   * Picks the live token with the most budget left for `resource` and reserves one unit on it.
   * Free requests (`/rate_limit`) skip the budget check; `pinned` asks for one given token.
   * Throws GitHubAuthError when no token is left, BudgetExhaustedError when the share is spent
   * and the policy is `throw`.
   */
  choose(resource: RateResource, options: { free: boolean; pinned: number | null }): Choice {
    const now = this.#clock.now();
    const candidates = options.pinned === null ? this.live() : this.live().filter((i) => i === options.pinned);
    if (candidates.length === 0) throw this.authError();
    if (!this.authenticated && resource === 'graphql') {
      throw new GitHubAuthError('GitHub GraphQL needs a token: set GITHUB_TOKEN or GITHUB_TOKENS');
    }
    if (options.free) return this.#reserve(candidates[0] as number, resource);

    let best: number | null = null;
    let bestRoom = 0;
    let onlyInflightBlocks = false;
    let earliestReset = Number.POSITIVE_INFINITY;
    for (const i of candidates) {
      const entry = this.#entries[i] as Entry;
      const window = this.#windowOf(entry, resource, now);
      const free = spendable(window, this.share);
      const room = free - entry.inflight[resource];
      if (room > bestRoom) {
        best = i;
        bestRoom = room;
      } else if (room <= 0) {
        if (free > 0) onlyInflightBlocks = true;
        earliestReset = Math.min(earliestReset, window.resetAt);
      }
    }
    if (best !== null) return this.#reserve(best, resource);
    if (onlyInflightBlocks) return { kind: 'busy' };
    if (this.#policy === 'throw') {
      const resetAt = Number.isFinite(earliestReset) ? new Date(earliestReset) : null;
      const share = `${Math.round(this.share * 100)}%`;
      throw new BudgetExhaustedError(
        resource,
        resetAt,
        `this run may spend ${share} of the hourly GitHub ${resource} budget and has spent it` +
          (resetAt ? ` (next reset ${resetAt.toISOString()})` : '') +
          ': run again after the reset, or raise the budget share',
      );
    }
    // GitHub: retry only after x-ratelimit-reset; Octokit adds one second to be past it.
    return { kind: 'wait', until: this.#clock.toLocal(earliestReset) + 1000 };
  }

  /** Resolves when any in-flight request releases its reservation. */
  whenReleased(): Promise<void> {
    return new Promise((resolve) => this.#releaseWaiters.push(resolve));
  }

  /**
   * Folds an answer into what is known: its Date into GitHub's clock, its rate headers into the
   * token's window. Returns how much `used` grew, if known.
   */
  record(index: number, headers: HeaderBag, requested: RateResource): number | null {
    this.#clock.observe(headers);
    const entry = this.#entries[index];
    const parsed = parseRateHeaders(headers);
    if (!entry || !parsed) return null;
    const resource = parsed.resource ?? requested;
    const { window, usedDelta } = mergeWindow(entry.windows.get(resource), parsed.window);
    entry.windows.set(resource, window);
    return resource === requested ? usedDelta : null;
  }

  /** Sets a window from an authoritative source (`GET /rate_limit` body; `resetAt` on GitHub's clock). */
  setWindow(index: number, resource: RateResource, window: RateWindow): void {
    this.#entries[index]?.windows.set(resource, window);
  }

  /**
   * A rate-limited answer without usable headers: treat the token as spent until its known reset,
   * else until `fallbackResetAt` (epoch ms on the local clock).
   */
  markExhausted(index: number, resource: RateResource, fallbackResetAt: number): void {
    const entry = this.#entries[index];
    if (!entry) return;
    const known = entry.windows.get(resource);
    const resetAt = known && known.resetAt > this.#clock.now() ? known.resetAt : this.#clock.toGitHub(fallbackResetAt);
    const limit = known?.limit ?? 5000;
    entry.windows.set(resource, { limit, used: limit, remaining: 0, resetAt });
  }

  /** Never uses the token again (it answered 401); returns how many are left. */
  drop(index: number): number {
    const entry = this.#entries[index];
    if (entry) entry.dropped = true;
    return this.live().length;
  }

  /** The error for "no token left", telling the user what to fix. */
  authError(): GitHubAuthError {
    return new GitHubAuthError(
      'GitHub rejected every configured token (401 Bad credentials): check GITHUB_TOKEN / GITHUB_TOKENS',
    );
  }

  /**
   * Units this run may still spend on `resource` under the budget share, summed over live tokens.
   * Tokens of one user share one budget; two tokens whose headers report the very same window
   * (limit, used, reset) are taken for one user and counted once.
   */
  remainingShare(resource: RateResource): number {
    if (!this.authenticated && resource === 'graphql') return 0;
    const now = this.#clock.now();
    const seen = new Set<string>();
    let total = 0;
    for (const i of this.live()) {
      const entry = this.#entries[i] as Entry;
      const known = entry.windows.get(resource);
      const window = this.#windowOf(entry, resource, now);
      if (known && now < known.resetAt) {
        const key = `${known.limit}/${known.used}/${known.resetAt}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      total += Math.max(0, spendable(window, this.share) - entry.inflight[resource]);
    }
    return total;
  }

  /** Per-token budgets for `budget()`, reset times on GitHub's clock. */
  snapshot(): TokenBudget[] {
    const now = this.#clock.now();
    return this.#entries.map((e, index) => ({
      index,
      label: e.label,
      dropped: e.dropped,
      core: toResourceBudget(e.windows.get('core'), now),
      graphql: toResourceBudget(e.windows.get('graphql'), now),
    }));
  }

  #windowOf(entry: Entry, resource: RateResource, now: number): RateWindow {
    const known = entry.windows.get(resource);
    return windowAt(known ?? assumedWindow(resource, entry.token !== null, now), now);
  }

  #reserve(index: number, resource: RateResource): Choice {
    const entry = this.#entries[index] as Entry;
    entry.inflight[resource]++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      entry.inflight[resource]--;
      const waiters = this.#releaseWaiters;
      this.#releaseWaiters = [];
      for (const wake of waiters) wake();
    };
    return { kind: 'send', index, token: entry.token, release };
  }
}
