import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../helpers/database.js';
import { HOUR, collectorWorld, type CollectorWorld } from '../helpers/collector.js';

const REPOS = ['kubernetes/kubernetes', 'prometheus/prometheus', 'helm/helm', 'cilium/cilium', 'etcd-io/etcd', 'fluxcd/flux2'];

interface SnapshotRow {
  repo: string;
  observed_at: Date;
  stars: number;
  forks: number;
  watchers: number;
  open_issues: number;
  open_prs: number;
  releases: number;
  latest_release_tag: string | null;
}

async function snapshots(world: CollectorWorld): Promise<SnapshotRow[]> {
  const { rows } = await sql<SnapshotRow>`
    select r.full_name_key as repo, s.observed_at, s.stars, s.forks, s.watchers, s.open_issues, s.open_prs,
           s.releases, s.latest_release_tag
    from repo_snapshots s join repos r on r.id = s.repo_id order by s.observed_at, r.full_name_key`.execute(world.database.db);
  return rows;
}

describe.each(DATABASE_KINDS)('collect against the simulator on %s', (kind) => {
  let world: CollectorWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('stores one snapshot per repo per run with the counts GitHub served, stamped with its Date', async () => {
    world = await collectorWorld(kind, REPOS);
    const first = await world.run();
    expect(first.status).toBe('succeeded');
    expect(first.counters).toMatchObject({ repos_total: 6, repos_observed: 6, repos_failed: 0, graphql_requests: 1 });

    const rows = await snapshots(world);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const truth = world.sim.truth(row.repo) as Record<string, unknown>;
      expect(row).toMatchObject({
        stars: truth.stars,
        forks: truth.forks,
        watchers: truth.watchers,
        open_issues: truth.openIssues,
        open_prs: truth.openPulls,
        releases: truth.releases,
        latest_release_tag: truth.latestRelease,
      });
      expect(row.observed_at.toISOString()).toBe(world.sim.clock.now().toISOString());
    }

    world.sim.clock.advance(HOUR);
    await world.run();
    const after = await snapshots(world);
    expect(after).toHaveLength(12);
    const k8s = after.filter((r) => r.repo === 'kubernetes/kubernetes');
    expect(k8s.map((r) => r.observed_at.toISOString())).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-01T01:00:00.000Z']);
    expect(k8s[1]?.stars).toBe((world.sim.truth('kubernetes/kubernetes') as { stars: number }).stars);
  });

  it('adds nothing when a rerun is served at the same second (no duplicate observation)', async () => {
    world = await collectorWorld(kind, REPOS);
    await world.run();
    const again = await world.run();
    expect(again.counters.repos_observed).toBe(6);
    expect(await snapshots(world)).toHaveLength(6);
  });

  it('records the run: repos, requests, points, 304s', async () => {
    world = await collectorWorld(kind, REPOS);
    const summary = await world.run();
    const run = await world.database.db.selectFrom('collect_runs').selectAll().where('id', '=', summary.runId).executeTakeFirstOrThrow();
    const stats = world.sim.stats.snapshot();
    expect(run).toMatchObject({
      status: 'succeeded',
      repos_total: 6,
      repos_observed: 6,
      graphql_requests: stats.graphqlRequests,
      graphql_points: stats.graphqlPoints,
      rest_requests: 6,
      rest_not_modified: 0,
    });
    expect(run.finished_at).toBeInstanceOf(Date);
  });

  it('marks a deleted repo not found without failing the rest of its batch, and leaves it alone for a week', async () => {
    world = await collectorWorld(kind, REPOS);
    world.sim.state.delete('helm/helm');
    const summary = await world.run();
    expect(summary.counters).toMatchObject({ repos_observed: 5, repos_failed: 1 });
    expect(summary.notFound).toBe(1);
    const helm = await world.database.db.selectFrom('repos').selectAll().where('full_name_key', '=', 'helm/helm').executeTakeFirstOrThrow();
    expect(helm.status).toBe('not_found');
    expect(helm.status_reason).toMatch(/Could not resolve to a Repository/);

    world.sim.clock.advance(HOUR);
    const next = await world.run();
    expect(next.counters.repos_total).toBe(5);

    world.sim.clock.advance(7 * 24 * HOUR);
    const week = await world.run();
    expect(week.counters.repos_total).toBe(6);
  });

  it('marks a DMCA-blocked repo blocked', async () => {
    world = await collectorWorld(kind, REPOS);
    world.sim.state.block('etcd-io/etcd');
    const summary = await world.run();
    expect(summary.blocked).toBe(1);
    const etcd = await world.database.db.selectFrom('repos').select(['status', 'status_reason']).where('full_name_key', '=', 'etcd-io/etcd').executeTakeFirstOrThrow();
    expect(etcd.status).toBe('blocked');
    expect(await snapshots(world)).toHaveLength(5);
  });

  it('follows a rename: same row (GitHub id), new current name, old name kept', async () => {
    world = await collectorWorld(kind, REPOS);
    await world.run();
    world.sim.state.rename('fluxcd/flux2', 'fluxcd/flux');
    world.sim.clock.advance(HOUR);
    const summary = await world.run();
    expect(summary.renamed).toEqual(['fluxcd/flux2 → fluxcd/flux']);
    const repo = await world.database.db.selectFrom('repos').selectAll().where('full_name_key', '=', 'fluxcd/flux2').executeTakeFirstOrThrow();
    expect(repo.current_full_name).toBe('fluxcd/flux');
    const names = await world.database.db.selectFrom('repo_names').select('full_name').where('repo_id', '=', repo.id).orderBy('first_seen_at').execute();
    expect(names.map((n) => n.full_name)).toEqual(['fluxcd/flux2', 'fluxcd/flux']);
    const rows = (await snapshots(world)).filter((r) => r.repo === 'fluxcd/flux2');
    expect(rows).toHaveLength(2);
  });

  it('keeps one row when a list names a repo by its old and new name', async () => {
    // The list names helm/helm and helm/helm-classic; GitHub renamed the first to the second.
    world = await collectorWorld(kind, [...REPOS, 'helm/helm-classic'], { repos: REPOS });
    world.sim.state.rename('helm/helm', 'helm/helm-classic');
    const summary = await world.run();
    expect(summary.duplicates).toHaveLength(1);
    const rows = await world.database.db.selectFrom('repos').select(['full_name_key', 'status', 'github_id']).where('full_name_key', 'like', 'helm/%').orderBy('id').execute();
    expect(rows.map((r) => r.status)).toEqual(['active', 'moved']);
    expect(rows[1]?.github_id).toBeNull();
  });

  it('shrinks the batch when GitHub cuts a large query off, and still observes every repo', async () => {
    world = await collectorWorld(kind, REPOS);
    world.sim.faults.setTimeoutAbove(2);
    const summary = await world.run({ batchSize: 6 });
    expect(summary.counters.repos_observed).toBe(6);
    expect(summary.counters.batch_size_final).toBeLessThanOrEqual(2);
    expect(await snapshots(world)).toHaveLength(6);
  });

  it('completes with the same data through 5xx, dropped connections and a secondary limit', async () => {
    world = await collectorWorld(kind, REPOS);
    world.sim.faults.inject({ kind: '502', route: 'graphql', count: 1 });
    world.sim.faults.inject({ kind: 'drop', route: 'graphql', count: 1 });
    world.sim.faults.inject({ kind: 'secondary', route: 'graphql', count: 1, retryAfter: 30 });
    world.sim.faults.inject({ kind: '503', route: 'rest', count: 2 });
    const start = world.sim.clock.nowMs();
    const summary = await world.run();
    expect(summary.status).toBe('succeeded');
    expect(summary.counters.repos_observed).toBe(6);
    expect(summary.counters.retries).toBeGreaterThanOrEqual(3);
    expect(summary.counters.rate_limit_waits).toBeGreaterThanOrEqual(1);
    // The secondary limit's retry-after was honoured on GitHub's clock.
    expect(world.sim.clock.nowMs() - start).toBeGreaterThanOrEqual(30_000);
    const served = world.sim.stats.snapshot();
    expect(served.faultsServed).toMatchObject({ '502': 1, drop: 1, secondary: 1, '503': 2 });
    const rows = await snapshots(world);
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row.stars).toBe((world.sim.truth(row.repo) as { stars: number }).stars);
  });

  it('never sends on an exhausted budget before its reset, and finishes after the reset', async () => {
    world = await collectorWorld(kind, REPOS, { limits: { core: 3 } });
    const summary = await world.run();
    expect(summary.status).toBe('succeeded');
    const repos = await world.database.db.selectFrom('repos').select('contributors_count').execute();
    expect(repos.every((r) => r.contributors_count !== null)).toBe(true);
    const stats = world.sim.stats.snapshot();
    expect(stats.exhaustedBudgetRequests).toBe(0);
    expect(summary.counters.rate_limit_waits).toBeGreaterThanOrEqual(1);
  });

  it.each([
    { clock: 'two hours ahead of', aheadMs: 2 * HOUR },
    { clock: 'three days behind', aheadMs: -72 * HOUR },
  ])('waits for the reset on GitHub\'s clock when the local one is $clock it', async ({ aheadMs }) => {
    world = await collectorWorld(kind, REPOS, { limits: { core: 3 } });
    const start = world.sim.clock.nowMs();
    const summary = await world.run({ client: world.client({ localClockAheadMs: aheadMs }) });
    expect(summary.status).toBe('succeeded');
    expect(world.sim.stats.snapshot().exhaustedBudgetRequests).toBe(0);
    // Six contributor requests at three an hour: one wait of about an hour on GitHub's clock, not
    // none (ahead: the window looks reset already) and not three days (behind: it looks far away).
    expect(summary.counters.rate_limit_waits).toBeGreaterThanOrEqual(1);
    expect(world.sim.clock.nowMs() - start).toBeLessThan(2 * HOUR);
  });

  it('stops at the budget share and leaves the rest for the next run', async () => {
    world = await collectorWorld(kind, REPOS, { limits: { core: 8 } });
    const summary = await world.run({ client: world.client({ budgetShare: 0.5 }) });
    expect(summary.contributors?.stoppedForBudget).toBe(true);
    expect(summary.message).toMatch(/budget share/);
    expect(summary.contributors?.checked).toBe(4);
    expect(world.sim.stats.snapshot().byRoute['GET /repos/:owner/:repo/contributors']).toBe(4);
    const unchecked = await world.database.db.selectFrom('repos').select('id').where('contributors_checked_at', 'is', null).execute();
    expect(unchecked).toHaveLength(2);
  });

  it('refreshes contributor counts at most daily, with conditional requests that cost nothing when unchanged', async () => {
    world = await collectorWorld(kind, REPOS);
    const first = await world.run();
    expect(first.contributors).toMatchObject({ due: 6, checked: 6, notModified: 0 });
    const k8s = await world.database.db.selectFrom('repos').select('contributors_count').where('full_name_key', '=', 'kubernetes/kubernetes').executeTakeFirstOrThrow();
    expect(k8s.contributors_count).toBe((world.sim.truth('kubernetes/kubernetes') as { contributors: number }).contributors);

    world.sim.clock.advance(HOUR);
    const hourly = await world.run();
    expect(hourly.contributors?.due).toBe(0);

    world.sim.stats.reset();
    world.sim.clock.advance(23 * HOUR);
    const daily = await world.run();
    expect(daily.contributors?.checked).toBe(6);
    const stats = world.sim.stats.snapshot();
    expect(stats.notModified).toBe(daily.contributors?.notModified);
    expect(daily.counters.rest_not_modified).toBe(stats.notModified);
    // Every count matches what GitHub says now, 304 or not.
    const rows = await world.database.db.selectFrom('repos').select(['full_name_key', 'contributors_count']).execute();
    for (const row of rows) {
      expect(row.contributors_count).toBe((world.sim.truth(row.full_name_key) as { contributors: number }).contributors);
    }
  });

  it('checks contributor counts at most once per UTC day, however long a day is between runs', async () => {
    world = await collectorWorld(kind, REPOS, { start: '2026-11-01T00:30:00Z' });
    expect((await world.run()).contributors?.checked).toBe(6);
    world.sim.clock.advance(21 * HOUR); // 21:30, the same UTC day
    expect((await world.run()).contributors?.due).toBe(0);
    world.sim.clock.advance(3 * HOUR); // 00:30 the next day
    expect((await world.run()).contributors?.checked).toBe(6);
  });

  it('keeps the last good contributor count when the list is too large to list', async () => {
    world = await collectorWorld(kind, REPOS);
    await world.run();
    const before = await world.database.db.selectFrom('repos').select('contributors_count').where('full_name_key', '=', 'kubernetes/kubernetes').executeTakeFirstOrThrow();
    world.sim.state.setRepo('kubernetes/kubernetes', { contributorsTooLarge: true });
    world.sim.clock.advance(25 * HOUR);
    const summary = await world.run();
    expect(summary.contributors?.tooLarge).toBe(1);
    const after = await world.database.db.selectFrom('repos').select(['contributors_count', 'contributors_status']).where('full_name_key', '=', 'kubernetes/kubernetes').executeTakeFirstOrThrow();
    expect(after).toEqual({ contributors_count: before.contributors_count, contributors_status: 'too_large' });
  });

  it('stops with a clear error when every token is rejected, recording the run as failed', async () => {
    world = await collectorWorld(kind, REPOS, { tokens: { ghp_good: { user: 'alice' } } });
    await expect(world.run({ client: world.client({ tokens: ['ghp_bad'] }) })).rejects.toThrow(/GITHUB_TOKEN/);
    const run = await world.database.db.selectFrom('collect_runs').select(['status', 'message']).executeTakeFirstOrThrow();
    expect(run.status).toBe('failed');
    expect(await snapshots(world)).toHaveLength(0);
  });
});
