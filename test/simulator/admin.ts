/**
 * /_sim/* endpoints, so a test driving the real CLI in a child process can steer the simulator:
 * move the clock, switch faults, read stats, and plant repo scenarios. No auth, no budget, no faults.
 */
import { isoSeconds } from './clock.js';
import type { Reply, SimContext } from './context.js';
import type { InjectedFault, RandomFault } from './faults.js';
import type { RepoOverrides } from './world/state.js';
import { viewRepo } from './world/view.js';

interface FaultsBody {
  clear?: boolean;
  inject?: InjectedFault | InjectedFault[];
  set?: RandomFault | RandomFault[];
  timeoutAbove?: number | null;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Answers an admin request; throws on a malformed one (answered 400 by the server). */
export function handleAdmin(ctx: SimContext, method: string, path: string, body: unknown): Reply {
  const b = (body ?? {}) as Record<string, unknown>;
  const ok = (data: unknown): Reply => ({ status: 200, body: data });
  const clockNow = () => ({ now: ctx.clock.now().toISOString() });

  if (path === '/_sim/clock') {
    if (method === 'POST') {
      if (typeof b['set'] === 'string' || typeof b['set'] === 'number') ctx.clock.set(b['set']);
      if (typeof b['advanceMs'] === 'number') ctx.clock.advance(b['advanceMs']);
    }
    return ok(clockNow());
  }
  if (path === '/_sim/faults') {
    if (method === 'POST') {
      const f = b as FaultsBody;
      if (f.clear) ctx.faults.clear();
      for (const fault of list(f.inject)) ctx.faults.inject(fault);
      for (const fault of list(f.set)) ctx.faults.set(fault);
      if (f.timeoutAbove !== undefined) ctx.faults.setTimeoutAbove(f.timeoutAbove ?? undefined);
    }
    return ok(ctx.faults.describe());
  }
  if (path === '/_sim/stats') return ok(ctx.stats.snapshot());
  if (path === '/_sim/stats/reset' && method === 'POST') {
    ctx.stats.reset();
    return ok(ctx.stats.snapshot());
  }
  if (path === '/_sim/budgets/reset' && method === 'POST') {
    ctx.budgets.clear();
    return ok({ cleared: true });
  }
  if (path === '/_sim/repos' && method === 'GET') {
    return ok(ctx.state.list().map((r) => `${r.profile.owner}/${r.profile.name}`));
  }
  if (method === 'POST' && path.startsWith('/_sim/repos/')) {
    const action = path.slice('/_sim/repos/'.length);
    const repo = String(b['repo'] ?? b['from'] ?? '');
    switch (action) {
      case 'add':
        ctx.state.addRepo(repo, b['overrides'] as RepoOverrides | undefined);
        return ok(truth(ctx, repo));
      case 'override':
        ctx.state.setRepo(repo, (b['overrides'] ?? {}) as RepoOverrides);
        return ok(truth(ctx, repo));
      case 'rename':
        ctx.state.rename(repo, String(b['to']));
        return ok(truth(ctx, String(b['to'])));
      case 'delete':
        ctx.state.delete(repo);
        return ok({ deleted: repo });
      case 'block':
        ctx.state.block(repo);
        return ok({ blocked: repo });
    }
  }
  const truthMatch = /^\/_sim\/repos\/([^/]+)\/([^/]+)$/.exec(path);
  if (method === 'GET' && truthMatch) return ok(truth(ctx, `${truthMatch[1]}/${truthMatch[2]}`));
  return { status: 404, body: { message: `No admin endpoint ${method} ${path}` } };
}

/** The ground truth of a repo at the simulated now, for tests comparing what a collector stored. */
export function truth(ctx: SimContext, fullName: string) {
  const found = ctx.state.resolve(fullName);
  if (found.kind === 'missing') return { fullName, status: 'missing' as const };
  const view = viewRepo(ctx.state, found.record, ctx.clock.nowMs());
  return {
    fullName: view.fullName,
    status: found.kind === 'blocked' ? ('blocked' as const) : ('ok' as const),
    databaseId: view.profile.databaseId,
    at: isoSeconds(view.now),
    ...view.counts,
    pushedAt: isoSeconds(view.counts.pushedAt),
    latestRelease: view.latestRelease()?.tagName ?? null,
  };
}
