/**
 * A local GitHub-compatible simulator (REST + GraphQL on loopback) for end-to-end tests and
 * benchmarks: a deterministic world of repos whose activity follows a controllable clock.
 */
import type { AddressInfo } from 'node:net';
import type { TokenConfig } from './auth.js';
import { createBudgets, type Resource } from './budget.js';
import { createClock, type SimClock } from './clock.js';
import type { SimContext } from './context.js';
import { createFaults, type Faults } from './faults.js';
import { createSimulatorServer } from './server.js';
import { createStats, type Stats } from './stats.js';
import { createWorldState, type WorldState } from './world/state.js';
import { truth } from './admin.js';

export type { TokenConfig } from './auth.js';
export type { SimClock } from './clock.js';
export type { Faults, FaultKind, FaultSpec, InjectedFault, RandomFault } from './faults.js';
export type { Stats, StatsSnapshot, UserStats } from './stats.js';
export type { RepoOverrides, SeriesOverride, WorldState } from './world/state.js';
export { extractRepoNames } from './repos-from.js';

export interface SimulatorOptions {
  /** Port to listen on (default 0: a free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Seed of every generated value and of probabilistic faults (default 1). */
  seed?: number;
  /** The simulated clock's start, and the date series' base counts refer to (default 2026-11-01T00:00:00Z). */
  start?: Date | string;
  /** owner/name of the repos in the world (default: a dozen CNCF repos). */
  repos?: readonly string[];
  /** When given, only these tokens are accepted (others get 401); else any token is its own user. */
  tokens?: Record<string, TokenConfig>;
  /** Budgets per hour: REST requests (`core`, 5,000), GraphQL points (`graphql`, 5,000), unauthenticated REST (60). */
  limits?: { core?: number; graphql?: number; unauthenticated?: number };
}

export interface Simulator {
  /** Base URL to use as GITHUB_API_URL, e.g. http://127.0.0.1:41234 (GraphQL at `${url}/graphql`). */
  url: string;
  clock: SimClock;
  state: WorldState;
  faults: Faults;
  stats: Stats;
  /** The counts a correct collector should have seen for a repo at the simulated now. */
  truth(fullName: string): ReturnType<typeof truth>;
  /** Forgets every rate-limit window (all budgets full again). */
  resetBudgets(): void;
  /** Stops listening and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

export const DEFAULT_START = '2026-11-01T00:00:00Z';
export const DEFAULT_REPOS = [
  'kubernetes/kubernetes', 'prometheus/prometheus', 'etcd-io/etcd', 'envoyproxy/envoy', 'helm/helm',
  'cilium/cilium', 'argoproj/argo-cd', 'containerd/containerd', 'jaegertracing/jaeger', 'fluxcd/flux2',
  'open-telemetry/opentelemetry-collector', 'cncf/landscape',
];

/** Starts the simulator and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = createClock(options.start ?? DEFAULT_START);
  const seed = options.seed ?? 1;
  const limits: Record<Resource, number> = { core: options.limits?.core ?? 5_000, graphql: options.limits?.graphql ?? 5_000 };
  const unauthenticated = options.limits?.unauthenticated ?? 60;
  const ctx: SimContext = {
    url: '',
    clock,
    state: createWorldState(seed, clock.nowMs(), options.repos ?? DEFAULT_REPOS),
    faults: createFaults(seed),
    stats: createStats(),
    budgets: createBudgets(clock, limits, (user, r) => (r === 'core' && user.startsWith('anonymous@') ? unauthenticated : undefined)),
    tokens: options.tokens,
  };
  const server = createSimulatorServer(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  ctx.url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: ctx.url,
    clock,
    state: ctx.state,
    faults: ctx.faults,
    stats: ctx.stats,
    truth: (fullName) => truth(ctx, fullName),
    resetBudgets: () => ctx.budgets.clear(),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
