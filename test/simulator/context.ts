/** What every handler shares: the world, its clock, and the books kept about clients. */
import type { Budgets } from './budget.js';
import type { SimClock } from './clock.js';
import type { Faults } from './faults.js';
import type { Stats } from './stats.js';
import type { TokenConfig } from './auth.js';
import type { WorldState } from './world/state.js';

export interface SimContext {
  /** The base URL clients use, known once the server listens. */
  url: string;
  clock: SimClock;
  state: WorldState;
  faults: Faults;
  stats: Stats;
  budgets: Budgets;
  tokens: Record<string, TokenConfig> | undefined;
}

/** A handler's answer before the server adds the common headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const DOCS = 'https://docs.github.com/rest';

/** GitHub's REST error body. */
export function errorReply(status: number, message: string, documentationUrl = DOCS, headers?: Record<string, string>): Reply {
  return { status, body: { message, documentation_url: documentationUrl, status: String(status) }, ...(headers ? { headers } : {}) };
}
