/** Waits `ms` milliseconds (the default `sleep`; tests inject a simulated one). */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Caps how many requests are on the wire at once; waiters are served first come, first served. */
export class Semaphore {
  readonly #max: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(max: number) {
    this.#max = max;
  }

  /** Resolves once a slot is held; pair every call with one `release()`. */
  acquire(): Promise<void> {
    if (this.#active < this.#max) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Gives the slot back, or hands it straight to the next waiter. */
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }
}

/** The one method plugin-throttling calls on its `write` group: `write.key(id).schedule(options, fn)`. */
export interface SpacedGroup {
  key(id?: string): { schedule<R>(options: object, fn: () => R | Promise<R>): Promise<R> };
}

/**
 * Starts jobs at least `minGapMs` apart on the injected clock. plugin-throttling sends GraphQL through
 * its `write` group (Bottleneck, `minTime: 1000`) so queries go out ≥ 1 s apart, as GitHub's best
 * practices ask for POSTs; Bottleneck waits on real timers, so this stand-in keeps the same spacing
 * but lets tests with a simulated clock run at full speed.
 */
export function createSpacedGroup(minGapMs: number, now: () => number, sleep: (ms: number) => Promise<void>): SpacedGroup {
  let nextStart = Number.NEGATIVE_INFINITY;
  const limiter = {
    async schedule<R>(_options: object, fn: () => R | Promise<R>): Promise<R> {
      // Reserve the slot synchronously so concurrent callers line up one gap apart.
      const start = Math.max(now(), nextStart);
      nextStart = start + minGapMs;
      const wait = start - now();
      if (wait > 0) await sleep(wait);
      return fn();
    },
  };
  return { key: () => limiter };
}
