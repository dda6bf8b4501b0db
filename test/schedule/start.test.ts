import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runBuiltCli } from '../helpers/cli.js';
import { DATABASE_KINDS, reserveTestDatabase } from '../helpers/database.js';
import { startSimulator, type Simulator } from '../simulator/index.js';

const REPOS = ['kubernetes/kubernetes', 'prometheus/prometheus', 'helm/helm', 'cilium/cilium', 'etcd-io/etcd', 'fluxcd/flux2'];

// `greenshoots start` as a real child process: it catches up the missed collect at once; SIGTERM
// arrives mid-collect.
describe.each(DATABASE_KINDS)('greenshoots start on %s', (kind) => {
  let sim: Simulator | undefined;
  let remove: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await sim?.close();
    await remove?.();
  });

  it('stops on SIGTERM within the grace period with exit 0, keeping whole batches, and serves /healthz', async () => {
    sim = await startSimulator({ repos: REPOS });
    const reserved = await reserveTestDatabase(kind);
    remove = reserved.remove;
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-start-'));
    writeFileSync(path.join(cwd, 'repos.yml'), REPOS.map((r) => `- ${r}`).join('\n'));
    const env = { ...reserved.env, GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'ghp_test', LANDSCAPE_FILE: 'repos.yml' };
    expect((await runBuiltCli(['landscape', 'import'], env, cwd)).code).toBe(0);

    sim.faults.inject({ kind: 'slow', route: 'graphql', count: 10, delayMs: 2_000 });
    const child = spawn(
      process.execPath,
      [path.join(PROJECT_ROOT, 'bin/greenshoots.js'), 'start', '--port', '0', '--grace', '20'],
      { cwd, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env, SCHEDULE_COLLECT: '7 * * * *' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 60_000;
    while (!/"collect started"|collect started/.test(log) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(log)?.[1];
    expect(url).toBeDefined();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, scheduler: 'running', running: ['collect'] });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/greenshoots_job_runs_total\{job="landscape-import",outcome="succeeded"\} 1/);

    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(20_000);

    const runs = await runBuiltCli(['query', "select job, trigger, status from job_runs where job = 'collect'", '--format', 'json'], env, cwd);
    const [run] = JSON.parse(runs.stdout) as Array<{ job: string; trigger: string; status: string }>;
    expect(run?.trigger).toBe('catch-up');
    expect(['interrupted', 'succeeded']).toContain(run?.status);
    const snapshots = await runBuiltCli(
      ['query', 'select count(*) as n, count(distinct repo_id) as repos from repo_snapshots', '--format', 'json'],
      env,
      cwd,
    );
    const [counts] = JSON.parse(snapshots.stdout) as Array<{ n: number; repos: number }>;
    expect(counts!.n).toBe(counts!.repos);
    const collectRuns = await runBuiltCli(['query', 'select status from collect_runs', '--format', 'json'], env, cwd);
    expect(JSON.parse(collectRuns.stdout)).toEqual([{ status: counts!.n === 6 ? 'succeeded' : 'partial' }]);
  }, 120_000);
});
