/**
 * Primary rate-limit budgets, per user (all of a user's tokens share them) and per resource.
 * As on GitHub, a window opens at the first charged request and resets one hour later
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
 */
import type { SimClock } from './clock.js';

export type Resource = 'core' | 'graphql';

export interface BudgetState {
  resource: Resource;
  limit: number;
  used: number;
  remaining: number;
  /** Epoch seconds at which the window resets. */
  reset: number;
}

export interface Budgets {
  /** The budget as it stands now (rolling over an expired window first). */
  peek(user: string, resource: Resource): BudgetState;
  /** Charges `amount`; returns the state after charging. */
  charge(user: string, resource: Resource, amount: number): BudgetState;
  /** Forgets every window (tests only). */
  clear(): void;
}

const HOUR_MS = 3_600_000;

/** Makes the budget book with `limits` per resource, `limitFor` overriding it per user. */
export function createBudgets(clock: SimClock, limits: Record<Resource, number>, limitFor?: (user: string, r: Resource) => number | undefined): Budgets {
  const windows = new Map<string, { used: number; resetAt: number }>();

  const current = (user: string, resource: Resource) => {
    const key = `${resource}\u0000${user}`;
    const now = clock.nowMs();
    let w = windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { used: 0, resetAt: now + HOUR_MS };
      windows.set(key, w);
    }
    return w;
  };

  const describe = (user: string, resource: Resource, w: { used: number; resetAt: number }): BudgetState => {
    const limit = limitFor?.(user, resource) ?? limits[resource];
    return { resource, limit, used: w.used, remaining: Math.max(0, limit - w.used), reset: Math.floor(w.resetAt / 1000) };
  };

  return {
    peek(user, resource) {
      const key = `${resource}\u0000${user}`;
      const w = windows.get(key);
      // An untouched budget reports a window starting now, without opening it.
      if (!w || clock.nowMs() >= w.resetAt) return describe(user, resource, { used: 0, resetAt: clock.nowMs() + HOUR_MS });
      return describe(user, resource, w);
    },
    charge(user, resource, amount) {
      const w = current(user, resource);
      w.used += amount;
      return describe(user, resource, w);
    },
    clear: () => windows.clear(),
  };
}
