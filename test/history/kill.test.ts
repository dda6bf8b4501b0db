import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runBuiltCli } from '../helpers/cli.js';
import { DATABASE_KINDS, reserveTestDatabase } from '../helpers/database.js';
import { startSimulator, type Simulator } from '../simulator/index.js';

const REPOS = ['dapr/dapr', 'open-policy-agent/opa', 'fluxcd/flux2'];
const ROWS = `select 'fork' as kind, r.full_name_key as repo, f.fork_id::text as key, f.created_at as at from repo_forks f join repos r on r.id = f.repo_id
  union all select 'release', r.full_name_key, x.tag_name, x.created_at from repo_releases x join repos r on r.id = x.repo_id
  union all select 'commit', r.full_name_key, c.oid || ' ' || coalesce(c.author_key, ''), c.committed_at from repo_commits c join repos r on r.id = c.repo_id
  order by 1, 2, 3`;

// kill -9 in the middle of `history backfill`, through the real command in a child process.
describe.each(DATABASE_KINDS)('a history backfill killed mid-run on %s', (kind) => {
  let sim: Simulator | undefined;
  const removals: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await sim?.close();
    for (const remove of removals.splice(0)) await remove();
  });

  async function prepared(): Promise<{ env: Record<string, string>; cwd: string }> {
    const reserved = await reserveTestDatabase(kind);
    removals.push(reserved.remove);
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-history-kill-'));
    writeFileSync(path.join(cwd, 'repos.yml'), REPOS.map((r) => `- ${r}`).join('\n'));
    const env = { ...reserved.env, GITHUB_API_URL: (sim as Simulator).url, GITHUB_TOKEN: 'ghp_test', LANDSCAPE_FILE: 'repos.yml' };
    expect((await runBuiltCli(['landscape', 'import'], env, cwd)).code).toBe(0);
    expect((await runBuiltCli(['collect', '--no-history', '--no-contributors'], env, cwd)).code).toBe(0);
    return { env, cwd };
  }

  it('ends with exactly the rows of an uninterrupted backfill, and the killed run is marked interrupted', async () => {
    sim = await startSimulator({ repos: REPOS });
    const whole = await prepared();
    const uninterrupted = await runBuiltCli(['history', 'backfill', '--pages-per-query', '3'], whole.env, whole.cwd);
    expect(uninterrupted.stderr).toBe('');
    expect(uninterrupted.stdout).toMatch(/backfill complete to the horizon/);
    const expected = (await runBuiltCli(['query', ROWS, '--format', 'json'], whole.env, whole.cwd)).stdout;
    expect(JSON.parse(expected).length).toBeGreaterThan(400);

    const { env, cwd } = await prepared();
    // Every GraphQL answer takes 1 s: the kill lands while the 4th query is in flight, after 3 were written.
    sim.faults.set({ kind: 'slow', route: 'graphql', rate: 1, delayMs: 1_000 });
    const before = sim.stats.snapshot().byRoute['POST /graphql'] ?? 0;
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/greenshoots.js'), 'history', 'backfill', '--pages-per-query', '3'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    while ((sim.stats.snapshot().byRoute['POST /graphql'] ?? 0) < before + 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await exited;
    sim.faults.clear();

    const partial = JSON.parse((await runBuiltCli(['query', ROWS, '--format', 'json'], env, cwd)).stdout) as unknown[];
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(JSON.parse(expected).length);

    const rerun = await runBuiltCli(['history', 'backfill', '--pages-per-query', '3'], env, cwd);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect((await runBuiltCli(['query', ROWS, '--format', 'json'], env, cwd)).stdout).toBe(expected);
    const runs = await runBuiltCli(['query', "select status from collect_runs where kind = 'history' order by id", '--format', 'json'], env, cwd);
    expect(JSON.parse(runs.stdout)).toEqual([{ status: 'interrupted' }, { status: 'succeeded' }]);
  }, 180_000);
});
