/** Counters of what clients asked and what they got, for tests and benchmarks to assert on. */

export interface UserStats {
  graphqlRequests: number;
  graphqlPoints: number;
  restRequests: number;
  notModified: number;
  exhaustedBudgetRequests: number;
}

export interface StatsSnapshot extends UserStats {
  /** Every answer by HTTP status (including 200 and 304). */
  byStatus: Record<string, number>;
  /** Requests per route pattern, e.g. `GET /repos/:owner/:repo/contributors`. */
  byRoute: Record<string, number>;
  faultsServed: Record<string, number>;
  byUser: Record<string, UserStats>;
  /** The first few requests made on an exhausted budget before its reset (a client bug). */
  exhaustedBudgetSamples: Array<{ user: string; resource: string; at: string; resetAt: string }>;
}

export interface Stats {
  snapshot(): StatsSnapshot;
  reset(): void;
  /** Records one answered request. */
  request(user: string | null, kind: 'graphql' | 'rest' | 'admin', route: string, status: number): void;
  points(user: string, points: number): void;
  fault(kind: string): void;
  exhausted(user: string, resource: string, at: number, resetAt: number): void;
}

const emptyUser = (): UserStats => ({ graphqlRequests: 0, graphqlPoints: 0, restRequests: 0, notModified: 0, exhaustedBudgetRequests: 0 });

/** Makes an empty stats book. */
export function createStats(): Stats {
  let s = fresh();
  const user = (name: string) => (s.byUser[name] ??= emptyUser());

  return {
    snapshot: () => structuredClone(s),
    reset() {
      s = fresh();
    },
    request(name, kind, route, status) {
      if (kind === 'admin') return;
      s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
      s.byRoute[route] = (s.byRoute[route] ?? 0) + 1;
      const targets = name === null ? [s] : [s, user(name)];
      for (const t of targets) {
        if (kind === 'graphql') t.graphqlRequests += 1;
        else t.restRequests += 1;
        if (status === 304) t.notModified += 1;
      }
    },
    points(name, points) {
      s.graphqlPoints += points;
      user(name).graphqlPoints += points;
    },
    fault(kind) {
      s.faultsServed[kind] = (s.faultsServed[kind] ?? 0) + 1;
    },
    exhausted(name, resource, at, resetAt) {
      s.exhaustedBudgetRequests += 1;
      user(name).exhaustedBudgetRequests += 1;
      if (s.exhaustedBudgetSamples.length < 20) {
        s.exhaustedBudgetSamples.push({ user: name, resource, at: new Date(at).toISOString(), resetAt: new Date(resetAt).toISOString() });
      }
    },
  };
}

function fresh(): StatsSnapshot {
  return { ...emptyUser(), byStatus: {}, byRoute: {}, faultsServed: {}, byUser: {}, exhaustedBudgetSamples: [] };
}
