/** The simulated clock: all counts, Date headers and rate-limit windows read it, never Date.now(). */
export interface SimClock {
  /** The simulated now. */
  now(): Date;
  /** The simulated now in epoch milliseconds. */
  nowMs(): number;
  /** Jumps to a date (backwards is allowed, for tests that replay a day). */
  set(date: Date | string | number): void;
  /** Moves forward by `ms` milliseconds. */
  advance(ms: number): void;
}

/** Makes a clock that starts at `start` and only moves when told to. */
export function createClock(start: Date | string | number): SimClock {
  let current = toMs(start);
  return {
    now: () => new Date(current),
    nowMs: () => current,
    set(date) {
      current = toMs(date);
    },
    advance(ms) {
      if (!Number.isFinite(ms)) throw new RangeError(`advance needs a finite number of ms, got ${ms}`);
      current += ms;
    },
  };
}

/** Reads a date given as Date, ISO string or epoch ms, refusing invalid ones. */
export function toMs(date: Date | string | number): number {
  const ms = date instanceof Date ? date.getTime() : typeof date === 'number' ? date : Date.parse(date);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid date: ${String(date)}`);
  return ms;
}

/** ISO 8601 without milliseconds, the way GitHub writes timestamps. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
