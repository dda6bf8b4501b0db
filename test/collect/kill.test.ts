import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runBuiltCli } from '../helpers/cli.js';
import { DATABASE_KINDS, reserveTestDatabase } from '../helpers/database.js';
import { startSimulator, type Simulator } from '../simulator/index.js';

const REPOS = ['kubernetes/kubernetes', 'prometheus/prometheus', 'helm/helm', 'cilium/cilium', 'etcd-io/etcd', 'fluxcd/flux2'];

// kill -9 in the middle of a collect, through the real command in a child process.
describe.each(DATABASE_KINDS)('a collect killed mid-run on %s', (kind) => {
  let sim: Simulator | undefined;
  let remove: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await sim?.close();
    await remove?.();
  });

  it('keeps every finished batch whole, and the next run marks it interrupted and continues', async () => {
    sim = await startSimulator({ repos: REPOS });
    const reserved = await reserveTestDatabase(kind);
    remove = reserved.remove;
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-kill-'));
    writeFileSync(path.join(cwd, 'repos.yml'), REPOS.map((r) => `- ${r}`).join('\n'));
    const env = { ...reserved.env, GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'ghp_test', LANDSCAPE_FILE: 'repos.yml' };
    expect((await runBuiltCli(['landscape', 'import'], env, cwd)).code).toBe(0);

    // Every GraphQL answer takes 3 s: the kill lands while the second batch is in flight.
    sim.faults.inject({ kind: 'slow', route: 'graphql', count: 10, delayMs: 3_000 });
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/greenshoots.js'), 'collect', '--batch-size', '2', '--no-history'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    while ((sim.stats.snapshot().byRoute['POST /graphql'] ?? 0) < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGKILL');
    await exited;

    sim.faults.clear();
    sim.clock.advance(3_600_000); // the next hourly run
    // Snapshots only: history has its own kill test (test/history/kill.test.ts).
    const next = await runBuiltCli(['collect', '--no-history'], env, cwd);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/6 of 6 repos observed/);

    const runs = await runBuiltCli(['query', 'select status from collect_runs order by id', '--format', 'json'], env, cwd);
    expect(JSON.parse(runs.stdout)).toEqual([{ status: 'interrupted' }, { status: 'succeeded' }]);
    const perRun = await runBuiltCli(
      ['query', 'select run_id, count(*) as n, count(distinct repo_id) as repos from repo_snapshots group by 1 order by 1', '--format', 'json'],
      env,
      cwd,
    );
    const rows = JSON.parse(perRun.stdout) as Array<{ run_id: number; n: number; repos: number }>;
    // The killed run kept whole batches of 2 (the first; the second was in flight), nothing half-written.
    expect(rows).toHaveLength(2);
    expect(rows[0]!.n % 2).toBe(0);
    expect(rows[0]!.n).toBe(rows[0]!.repos);
    expect(rows[1]).toMatchObject({ n: 6, repos: 6 });
  }, 120_000);
});
