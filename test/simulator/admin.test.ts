import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { admin, graphql, rest } from './test-client.js';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ repos: ['cncf/a', 'cncf/b', 'cncf/c'] });
});
afterAll(() => sim.close());

describe('admin endpoints', () => {
  it('move the clock', async () => {
    expect(await admin(sim, '/_sim/clock', { advanceMs: 3_600_000 })).toEqual({ now: '2026-11-01T01:00:00.000Z' });
    expect((await rest(sim, '/repos/cncf/a')).headers.get('date')).toBe('Sun, 01 Nov 2026 01:00:00 GMT');
    expect(await admin(sim, '/_sim/clock', { set: '2026-12-01T00:00:00Z' })).toEqual({ now: '2026-12-01T00:00:00.000Z' });
  });

  it('rename, delete, block and override repos', async () => {
    await admin(sim, '/_sim/repos/rename', { repo: 'cncf/a', to: 'cncf/a2' });
    await admin(sim, '/_sim/repos/delete', { repo: 'cncf/b' });
    await admin(sim, '/_sim/repos/block', { repo: 'cncf/c' });
    const planted = await admin<{ stars: number }>(sim, '/_sim/repos/add', { repo: 'cncf/d', overrides: { stars: { atAnchor: 5_000 } } });
    expect(planted.stars).toBeGreaterThan(4_000);
    const res = await graphql<{ data: Record<string, { nameWithOwner: string } | null>; errors: Array<{ path: string[] }> }>(sim, `{
      a: repository(owner: "cncf", name: "a") { nameWithOwner }
      b: repository(owner: "cncf", name: "b") { nameWithOwner }
      c: repository(owner: "cncf", name: "c") { nameWithOwner }
      d: repository(owner: "cncf", name: "d") { nameWithOwner } }`);
    expect(res.body.data.a?.nameWithOwner).toBe('cncf/a2');
    expect(res.body.data.b).toBeNull();
    expect(res.body.data.c).toBeNull();
    expect(res.body.data.d?.nameWithOwner).toBe('cncf/d');
    expect(res.body.errors.map((e) => e.path[0]).sort()).toEqual(['b', 'c']);
  });

  it('report and reset stats', async () => {
    const stats = await (await fetch(`${sim.url}/_sim/stats`)).json() as { graphqlRequests: number; restRequests: number; byRoute: Record<string, number> };
    expect(stats.graphqlRequests).toBe(1);
    expect(stats.restRequests).toBe(1);
    expect(stats.byRoute['GET /repos/:owner/:repo']).toBe(1);
    const after = await admin<{ graphqlRequests: number }>(sim, '/_sim/stats/reset', {});
    expect(after.graphqlRequests).toBe(0);
  });
});
