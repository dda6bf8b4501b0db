import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { rest } from './test-client.js';

interface RepoJson { id: number; full_name: string; stargazers_count: number; watchers_count: number; forks_count: number; subscribers_count: number; open_issues_count: number; default_branch: string }

let sim: Simulator;
const DAY = 86_400_000;

beforeAll(async () => {
  sim = await startSimulator({
    repos: ['cncf/alpha', 'cncf/beta', 'cncf/empty', 'cncf/huge', 'cncf/moved', 'cncf/dmca', 'cncf/gone'],
    tokens: { 'tok-a': { user: 'alice' }, 'tok-a2': { user: 'alice' }, 'tok-admin': { user: 'bob', collaboratorOf: ['cncf/alpha'] } },
  });
  sim.state.setRepo('cncf/empty', { commits: { atAnchor: 0 } });
  sim.state.setRepo('cncf/huge', { contributorsTooLarge: true });
  sim.state.rename('cncf/moved', 'cncf-new/moved');
  sim.state.block('cncf/dmca');
  sim.state.delete('cncf/gone');
});
afterAll(() => sim.close());

describe('GET /repos/{owner}/{repo}', () => {
  it('serves GitHub-shaped JSON with its quirks (watchers_count = stars)', async () => {
    const res = await rest<RepoJson>(sim, '/repos/cncf/alpha', 'tok-a');
    expect(res.status).toBe(200);
    expect(res.body.full_name).toBe('cncf/alpha');
    expect(res.body.watchers_count).toBe(res.body.stargazers_count);
    expect(res.body.subscribers_count).toBeLessThan(res.body.stargazers_count);
    const truth = sim.truth('cncf/alpha') as { stars: number; openIssues: number; openPulls: number };
    expect(res.body.stargazers_count).toBe(truth.stars);
    expect(res.body.open_issues_count).toBe(truth.openIssues + truth.openPulls);
  });

  it('sends a Date header from the simulated clock, and counts that grow when it advances', async () => {
    sim.clock.set('2026-11-01T00:00:00Z');
    const before = await rest<RepoJson>(sim, '/repos/cncf/alpha', 'tok-a');
    expect(before.headers.get('date')).toBe('Sun, 01 Nov 2026 00:00:00 GMT');
    sim.clock.advance(90 * DAY);
    const after = await rest<RepoJson>(sim, '/repos/cncf/alpha', 'tok-a');
    expect(after.headers.get('date')).toBe('Sat, 30 Jan 2027 00:00:00 GMT');
    expect(after.body.stargazers_count).toBeGreaterThan(before.body.stargazers_count);
    expect(after.body.forks_count).toBeGreaterThanOrEqual(before.body.forks_count);
    sim.clock.set('2026-11-01T00:00:00Z');
  });

  it('answers 301 to the new location for a renamed repo, 451 for a blocked one, 404 for a deleted one', async () => {
    const moved = await rest<{ url: string }>(sim, '/repos/cncf/moved', 'tok-a');
    expect(moved.status).toBe(301);
    const location = moved.headers.get('location') ?? '';
    expect(location).toMatch(/\/repositories\/\d+$/);
    const followed = await rest<RepoJson>(sim, location.slice(sim.url.length), 'tok-a');
    expect(followed.body.full_name).toBe('cncf-new/moved');
    expect((await rest<{ message: string }>(sim, '/repos/cncf/dmca', 'tok-a')).status).toBe(451);
    const gone = await rest<{ message: string }>(sim, '/repos/cncf/gone', 'tok-a');
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe('Not Found');
    expect((await rest(sim, '/no/such/route', 'tok-a')).status).toBe(404);
  });

  it('refuses unknown tokens when a token table is configured', async () => {
    const res = await rest<{ message: string }>(sim, '/repos/cncf/alpha', 'nope');
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Bad credentials');
  });
});

describe('contributors', () => {
  it('gives the count as the last page of per_page=1, with an ETag whose 304 is free', async () => {
    const truth = sim.truth('cncf/alpha') as { contributors: number };
    const first = await rest<unknown[]>(sim, '/repos/cncf/alpha/contributors?per_page=1&anon=true', 'tok-admin');
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(1);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('rel="next"');
    expect(Number(/[?&]page=(\d+)>; rel="last"/.exec(link)?.[1])).toBe(truth.contributors);
    const etag = first.headers.get('etag') ?? '';
    const used = Number(first.headers.get('x-ratelimit-used'));

    const again = await rest(sim, '/repos/cncf/alpha/contributors?per_page=1&anon=true', 'tok-admin', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    expect(Number(again.headers.get('x-ratelimit-used'))).toBe(used);
    expect(sim.stats.snapshot().byUser['bob']?.notModified).toBe(1);
  });

  it('answers 403 for a too-large repo and 204 for an empty one', async () => {
    const huge = await rest<{ message: string }>(sim, '/repos/cncf/huge/contributors?per_page=1&anon=true', 'tok-a');
    expect(huge.status).toBe(403);
    expect(huge.body.message).toBe('The history or contributor list is too large to list contributors for this repository via the API.');
    expect((await rest(sim, '/repos/cncf/empty/contributors?per_page=1', 'tok-a')).status).toBe(204);
  });
});

describe('stargazers', () => {
  it('is restricted to collaborators; for them it pages oldest first with starred_at and caps at 400 pages', async () => {
    const denied = await rest<{ message: string }>(sim, '/repos/cncf/alpha/stargazers', 'tok-a');
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('Must have admin rights to Repository.');

    const page = await rest<Array<{ starred_at: string; user: { login: string } }>>(sim, '/repos/cncf/alpha/stargazers?per_page=100', 'tok-admin', { accept: 'application/vnd.github.star+json' });
    expect(page.status).toBe(200);
    const dates = page.body.map((s) => Date.parse(s.starred_at));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect((await rest(sim, '/repos/cncf/alpha/stargazers?per_page=1&page=401', 'tok-admin')).status).toBe(422);
  });
});

describe('lists for backfills', () => {
  it('pages releases, forks and commits newest first with Link headers', async () => {
    const releases = await rest<Array<{ tag_name: string; created_at: string }>>(sim, '/repos/cncf/beta/releases?per_page=5', 'tok-a');
    const truth = sim.truth('cncf/beta') as { releases: number; directForks: number; commits: number };
    expect(releases.body).toHaveLength(Math.min(5, truth.releases));
    const forks = await rest<Array<{ created_at: string }>>(sim, '/repos/cncf/beta/forks?sort=newest&per_page=10', 'tok-a');
    const forkDates = forks.body.map((f) => Date.parse(f.created_at));
    expect(forkDates).toEqual([...forkDates].sort((a, b) => b - a));
    const lastForkPage = Number(/page=(\d+)>; rel="last"/.exec(forks.headers.get('link') ?? '')?.[1] ?? 1);
    expect(lastForkPage).toBe(Math.ceil(truth.directForks / 10));

    const since = '2026-10-01T00:00:00Z';
    const commits = await rest<Array<{ sha: string; commit: { author: { date: string } } }>>(sim, `/repos/cncf/beta/commits?since=${since}&per_page=100`, 'tok-a');
    expect(commits.body.every((c) => c.commit.author.date >= since)).toBe(true);
    expect(commits.body[0]?.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('answers /releases/latest and /pulls?state=open&per_page=1 for a naive collector', async () => {
    const pulls = await rest<unknown[]>(sim, '/repos/cncf/beta/pulls?state=open&per_page=1', 'tok-a');
    const truth = sim.truth('cncf/beta') as { openPulls: number; latestRelease: string | null };
    const last = Number(/page=(\d+)>; rel="last"/.exec(pulls.headers.get('link') ?? '')?.[1] ?? pulls.body.length);
    expect(last).toBe(truth.openPulls);
    const latest = await rest<{ tag_name: string }>(sim, '/repos/cncf/beta/releases/latest', 'tok-a');
    if (truth.latestRelease) expect(latest.body.tag_name).toBe(truth.latestRelease);
    else expect(latest.status).toBe(404);
  });
});
