import type { HeaderBag } from './budget.js';
import type { GitHubClient } from './client.js';

/**
 * GitHub's clock as seen from ours: the local (injected) clock plus the offset of the last answer's
 * `Date` header. Rate-limit resets (`x-ratelimit-reset`, `GET /rate_limit`) are on GitHub's clock;
 * compared with a local clock that is off (a drifting machine, a simulator's movable clock) a spent
 * window would look reset too early, or not for days. A class because concurrent answers update it.
 */
export class ServerClock {
  readonly #localNow: () => number;
  #offsetMs = 0;

  constructor(localNow: () => number) {
    this.#localNow = localNow;
  }

  /**
   * Takes the offset from an answer's `Date` header, if it has one. The header has whole seconds and
   * was written before the answer arrived, so GitHub's clock is up to a second (plus the latency)
   * ahead of what this says: resets then look a little later than they are, never earlier.
   */
  observe(headers: HeaderBag): void {
    const value = headers['date'];
    const served = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(served)) this.#offsetMs = served - this.#localNow();
  }

  /** How far GitHub's clock is ahead of ours, in ms (negative: behind); 0 until an answer had a Date. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** GitHub's now, epoch ms. */
  now(): number {
    return this.#localNow() + this.#offsetMs;
  }

  /** An instant on GitHub's clock (a reset time), as the local clock will show it. */
  toLocal(githubMs: number): number {
    return githubMs - this.#offsetMs;
  }

  /** An instant on the local clock, as GitHub's clock will show it. */
  toGitHub(localMs: number): number {
    return localMs + this.#offsetMs;
  }
}

/**
 * GitHub's clock, from the Date header of the free `GET /rate_limit`, so the horizon and recheck
 * times are on the clock that stamps the stored rows. Falls back to the local clock.
 */
export async function githubClock(client: GitHubClient): Promise<() => Date> {
  try {
    const { servedAt } = await client.rest('GET /rate_limit');
    if (servedAt) {
      const offset = servedAt.getTime() - Date.now();
      return () => new Date(Date.now() + offset);
    }
  } catch {
    // No Date to read: the local clock will do.
  }
  return () => new Date();
}
