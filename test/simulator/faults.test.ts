import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { admin, graphql, rest } from './test-client.js';

let sim: Simulator;
const REPOS = Array.from({ length: 12 }, (_, i) => `org/r${i}`);

beforeEach(async () => {
  sim = await startSimulator({ repos: REPOS, seed: 3 });
});
afterEach(() => sim.close());

const batch = (n: number) => `{ ${REPOS.slice(0, n).map((r, i) => `a${i}: repository(owner: "org", name: "${r.split('/')[1]}") { stargazerCount }`).join(' ')} }`;

describe('injected faults', () => {
  it('fail exactly the next `count` matching requests, and only those', async () => {
    sim.faults.inject({ kind: '502', route: 'graphql', count: 2 });
    sim.faults.inject({ kind: '503', route: '/repos/*/*/contributors', count: 1 });
    expect((await rest(sim, '/repos/org/r1')).status).toBe(200);
    const a = await graphql<{ errors: Array<{ message: string }> }>(sim, batch(1));
    expect(a.status).toBe(502);
    expect(a.body.errors[0]?.message).toMatch(/^Something went wrong while executing your query\. This may be the result of a timeout/);
    expect((await graphql(sim, batch(1))).status).toBe(502);
    expect((await graphql(sim, batch(1))).status).toBe(200);
    expect((await rest(sim, '/repos/org/r1/contributors?per_page=1')).status).toBe(503);
    expect((await rest(sim, '/repos/org/r1/contributors?per_page=1')).status).toBe(200);
    expect(sim.stats.snapshot().faultsServed).toEqual({ '502': 2, '503': 1 });
    expect(sim.stats.snapshot().byStatus['502']).toBe(2);
  });

  it('drops the connection without an answer', async () => {
    sim.faults.inject({ kind: 'drop', route: 'rest', count: 1 });
    await expect(fetch(`${sim.url}/repos/org/r1`, { headers: { authorization: 'token t' } })).rejects.toThrow();
    expect((await rest(sim, '/repos/org/r1')).status).toBe(200);
  });

  it('answers secondary limits with retry-after, which Octokit recognises', async () => {
    sim.faults.inject({ kind: 'secondary', count: 1, retryAfter: 42 });
    const res = await rest<{ message: string }>(sim, '/repos/org/r1');
    expect(res.status).toBe(403);
    expect(res.headers.get('retry-after')).toBe('42');
    expect(res.body.message).toMatch(/^You have exceeded a secondary rate limit/);

    sim.faults.inject({ kind: 'secondary', route: 'graphql', count: 1, retryAfter: 7 });
    const seen: number[] = [];
    const octokit = new (Octokit.plugin(throttling))({
      auth: 't',
      baseUrl: sim.url,
      throttle: { onRateLimit: () => false, onSecondaryRateLimit: (after: number) => (seen.push(after), false) },
    });
    await expect(octokit.graphql('{ viewer { login } }')).rejects.toThrow(/secondary rate limit/);
    expect(seen).toEqual([7]);
  });

  it('holds a slow answer for delayMs', async () => {
    sim.faults.inject({ kind: 'slow', count: 1, delayMs: 150 });
    const t0 = performance.now();
    expect((await rest(sim, '/repos/org/r1')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });
});

describe('timeoutAbove and probabilistic faults', () => {
  it('times out GraphQL batches with more repository fields than the limit', async () => {
    sim.faults.setTimeoutAbove(5);
    expect((await graphql(sim, batch(6))).status).toBe(502);
    expect((await graphql(sim, batch(5))).status).toBe(200);
  });

  it('draws the same failures for the same seed and request order', async () => {
    const run = async (s: Simulator) => {
      s.faults.set({ kind: '500', rate: 0.3 });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await rest(s, '/repos/org/r1')).status);
      return statuses;
    };
    const first = await run(sim);
    const twin = await startSimulator({ repos: REPOS, seed: 3 });
    const second = await run(twin);
    await twin.close();
    expect(second).toEqual(first);
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(2);
    expect(first.filter((s) => s === 500).length).toBeLessThan(20);
  });

  it('can be switched over HTTP by a test driving a child process', async () => {
    await admin(sim, '/_sim/faults', { inject: { kind: '500', route: 'rest', count: 1 } });
    expect((await rest(sim, '/repos/org/r1')).status).toBe(500);
    await admin(sim, '/_sim/faults', { timeoutAbove: 1 });
    expect((await graphql(sim, batch(2))).status).toBe(502);
    await admin(sim, '/_sim/faults', { clear: true });
    expect((await graphql(sim, batch(2))).status).toBe(200);
  });
});
