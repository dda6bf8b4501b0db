/**
 * Runs the built CLI (`node bin/greenshoots.js …`) as a child process, the way a user or cron runs
 * it, and reports its wall time and memory: peak RSS from the kernel (VmHWM) and the peaks of
 * `process.memoryUsage()` sampled every 50 ms, which say what the RSS is made of.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

let frozen: string | null = null;

/**
 * A copy of the built CLI (bin, dist, sql, package.json; node_modules linked), made on first use:
 * edits to the working tree's migrations during a run would otherwise make later runs refuse the
 * database ("migration … was edited after it was applied").
 */
function cliPath(): string {
  if (frozen === null) {
    const root = mkdtempSync(join(tmpdir(), 'greenshoots-bench-cli-'));
    for (const part of ['bin', 'dist', 'sql', 'package.json']) cpSync(join(REPO_ROOT, part), join(root, part), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    frozen = root;
  }
  return join(frozen, 'bin/greenshoots.js');
}

/** Removes the CLI copy; safe to call twice. */
export function removeCliCopy(): void {
  if (frozen !== null) rmSync(frozen, { recursive: true, force: true });
  frozen = null;
}

/** Peaks over the child's life, in MiB. */
export interface MemoryPeaks {
  maxRss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface ChildRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  memory: MemoryPeaks | null;
}

// Loaded with `node --import`: samples memoryUsage() and writes the peaks when the process exits.
// Peak RSS is the address space's high-water mark (VmHWM in /proc/self/status). Not ru_maxrss
// (\`resourceUsage().maxRSS\`, \`/usr/bin/time\`): on Linux a child spawned by fork inherits the
// parent's RSS into it, so a small child of a big parent reports the parent's size.
const PRELOAD = `
import { readFileSync, writeFileSync } from 'node:fs';
const MiB = 1024 * 1024;
const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
};
const highWater = () => {
  try {
    const kb = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
};
setInterval(sample, 50).unref();
process.on('exit', () => {
  sample();
  const out = { maxRss: highWater() ?? peak.rss / MiB };
  for (const k of ['heapUsed', 'heapTotal', 'external', 'arrayBuffers']) out[k] = peak[k] / MiB;
  writeFileSync(process.env.BENCH_MEMORY_FILE, JSON.stringify(out));
});
`;
const PRELOAD_URL = `data:text/javascript,${encodeURIComponent(PRELOAD)}`;

/** Runs `node [nodeArgs] …args` with `env` (nothing inherited but PATH and HOME), in a scratch folder so no `.env` is read. */
export async function runNode(args: string[], env: Record<string, string>, timeoutMs = 300_000): Promise<ChildRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'greenshoots-bench-run-'));
  const memoryFile = join(scratch, 'memory.json');
  const started = performance.now();
  try {
    const child = spawn(process.execPath, ['--import', PRELOAD_URL, ...args], {
      cwd: scratch,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? scratch, ...env, BENCH_MEMORY_FILE: memoryFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    const wallMs = performance.now() - started;
    let memory: MemoryPeaks | null = null;
    try {
      memory = JSON.parse(readFileSync(memoryFile, 'utf8')) as MemoryPeaks;
    } catch {
      // The child died before its exit hook ran.
    }
    return { exitCode, stdout, stderr, wallMs, memory };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs `greenshoots …args`; throws with the child's stderr when it exits non-zero. */
export async function runCli(args: string[], env: Record<string, string>): Promise<ChildRun> {
  const run = await runNode([cliPath(), ...args], env);
  if (run.exitCode !== 0) {
    throw new Error(`greenshoots ${args.join(' ')} exited ${run.exitCode}:\n${run.stderr.slice(-2000)}${run.stdout.slice(-1000)}`);
  }
  return run;
}
