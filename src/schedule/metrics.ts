import { Counter, Gauge, Registry } from 'prom-client';
import type { GitHubClient } from '../github/index.js';
import type { JobOutcome } from './scheduler.js';

/** Prometheus metrics of a running scheduler (prom-client), served on /metrics. */
export interface SchedulerMetrics {
  registry: Registry;
  jobFinished(job: string, outcome: JobOutcome): void;
  databaseReachable(ok: boolean): void;
  isDatabaseReachable(): boolean;
  /** Copies the GitHub client's budgets and spend into gauges. */
  observeGitHub(client: GitHubClient): void;
  reposTracked(n: number): void;
}

export function createMetrics(): SchedulerMetrics {
  const registry = new Registry();
  const runs = new Counter({ name: 'greenshoots_job_runs_total', help: 'Job runs by job and outcome', labelNames: ['job', 'outcome'], registers: [registry] });
  const lastSuccess = new Gauge({ name: 'greenshoots_job_last_success_timestamp_seconds', help: 'When each job last succeeded', labelNames: ['job'], registers: [registry] });
  const budget = new Gauge({ name: 'greenshoots_github_budget_remaining', help: 'GitHub budget left per token and resource, from the last answer', labelNames: ['token', 'resource'], registers: [registry] });
  const points = new Gauge({ name: 'greenshoots_github_graphql_points_spent', help: 'GraphQL points this process has spent', registers: [registry] });
  const rest = new Gauge({ name: 'greenshoots_github_rest_requests', help: 'REST requests this process has sent (304s included)', registers: [registry] });
  const notModified = new Gauge({ name: 'greenshoots_github_rest_not_modified', help: 'REST answers 304 (free)', registers: [registry] });
  const tracked = new Gauge({ name: 'greenshoots_repos_tracked', help: 'Repos tracked', registers: [registry] });
  const dbUp = new Gauge({ name: 'greenshoots_database_up', help: '1 when the last database use succeeded', registers: [registry] });
  dbUp.set(1);
  let reachable = true;
  return {
    registry,
    jobFinished(job, outcome) {
      runs.inc({ job, outcome });
      if (outcome === 'succeeded') lastSuccess.set({ job }, Date.now() / 1000);
    },
    databaseReachable(ok) {
      reachable = ok;
      dbUp.set(ok ? 1 : 0);
    },
    isDatabaseReachable: () => reachable,
    observeGitHub(client) {
      const snapshot = client.budget();
      for (const token of snapshot.tokens) {
        if (token.core) budget.set({ token: token.label, resource: 'core' }, token.core.remaining);
        if (token.graphql) budget.set({ token: token.label, resource: 'graphql' }, token.graphql.remaining);
      }
      points.set(snapshot.spend.graphqlPoints);
      rest.set(snapshot.spend.restRequests + snapshot.spend.notModified);
      notModified.set(snapshot.spend.notModified);
    },
    reposTracked: (n) => tracked.set(n),
  };
}
