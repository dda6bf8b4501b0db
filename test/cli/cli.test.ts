import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, reserveTestDatabase } from '../helpers/database.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { LANDSCAPE_FILE, landscapeText } from '../helpers/landscape.js';

const lines = (r: CliResult) => r.stderr.trim().split('\n').filter((l) => l.length > 0);

describe.each(DATABASE_KINDS)('greenshoots CLI on %s', (kind) => {
  let env: Record<string, string>;
  let remove: () => Promise<void>;
  let server: Server;
  let baseUrl: string;
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-cli-'));

  beforeAll(async () => {
    const reserved = await reserveTestDatabase(kind);
    env = reserved.env;
    remove = reserved.remove;
    // A local web server stands in for the landscape's raw URL (no network in tests).
    server = createServer((req, res) => {
      if (req.url === '/landscape.yml') res.writeHead(200, { 'content-type': 'text/yaml' }).end(landscapeText());
      else res.writeHead(404).end('Not Found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await remove?.();
  });

  it('imports the landscape from a URL, then answers SQL about it', async () => {
    const imported = await runCli(['landscape', 'import', '--url', `${baseUrl}/landscape.yml`], env, cwd);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 'landscape' from http:\/\/127\.0\.0\.1:\d+\/landscape\.yml \(import #1\)\./);

    const query = await runCli(
      ['query', "select p.name, p.maturity from projects p where p.name in ('Kubernetes', 'Prometheus') order by 1", '--format', 'json'],
      env,
      cwd,
    );
    expect(query.code).toBe(0);
    expect(JSON.parse(query.stdout)).toEqual([
      { name: 'Kubernetes', maturity: 'graduated' },
      { name: 'Prometheus', maturity: 'graduated' },
    ]);
  });

  it('lists projects by maturity as CSV', async () => {
    const result = await runCli(['projects', 'list', '--maturity', 'graduated', '--format', 'csv'], env, cwd);
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n');
    expect(rows[0]).toBe('name,maturity,category,subcategory,repos');
    expect(rows).toContain('Kubernetes,graduated,Orchestration & Management,Scheduling & Orchestration,kubernetes/kubernetes');
    expect(rows.slice(1).every((row) => row.includes(',graduated,'))).toBe(true);
  });

  it('reports the database, schema and last import in status', async () => {
    const result = await runCli(['status', '--json'], env, cwd);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status.database.kind).toBe(kind);
    expect(status.database.schema_version).toMatch(/^\d{4}_/);
    expect(status.projects.by_maturity.graduated).toBeGreaterThan(30);
    expect(status.last_import).toMatchObject({ id: 1, source: 'landscape' });
  });

  it('refuses a changing query unless --write is given', async () => {
    const result = await runCli(['query', 'delete from projects'], env, cwd);
    expect(result.code).not.toBe(0);
    expect(lines(result)).toEqual(['greenshoots: the query changes data, and query is read-only by default: add --write to allow it']);
    const count = await runCli(['query', 'select count(*) as n from projects', '--format', 'json'], env, cwd);
    expect(JSON.parse(count.stdout)[0].n).toBeGreaterThan(900);
  });

  it('gives a one-line error for a wrong URL and leaves the database as it was', async () => {
    const before = await runCli(['query', 'select count(*) as n from imports', '--format', 'csv'], env, cwd);
    const result = await runCli(['landscape', 'import', '--url', `${baseUrl}/nope.yml`], env, cwd);
    expect(result.code).toBe(65);
    expect(lines(result)).toEqual([
      `greenshoots: cannot fetch ${baseUrl}/nope.yml (HTTP 404): check the URL given to --url or LANDSCAPE_URL`,
    ]);
    const after = await runCli(['query', 'select count(*) as n from imports', '--format', 'csv'], env, cwd);
    expect(after.stdout).toBe(before.stdout);
  });

  it('gives a one-line error for malformed YAML and leaves the database as it was', async () => {
    const file = path.join(cwd, 'broken.yml');
    writeFileSync(file, 'landscape:\n  - category:\n    name: "unterminated\n');
    const before = await runCli(['query', 'select count(*) as n, max(id) as last from imports', '--format', 'csv'], env, cwd);
    const result = await runCli(['landscape', 'import', '--file', file], env, cwd);
    expect(result.code).toBe(65);
    expect(lines(result)).toHaveLength(1);
    expect(lines(result)[0]).toMatch(/^greenshoots: .*broken\.yml: invalid YAML at line \d+, column \d+ .*: fix the file and import again$/);
    const after = await runCli(['query', 'select count(*) as n, max(id) as last from imports', '--format', 'csv'], env, cwd);
    expect(after.stdout).toBe(before.stdout);
  });

  it('gives a one-line usage error for an unknown option', async () => {
    const result = await runCli(['landscape', 'import', '--bogus'], env, cwd);
    expect(result.code).toBe(64);
    expect(lines(result)).toEqual(["greenshoots: unknown option '--bogus' (see --help)"]);
  });

  it('dry-runs an import without writing', async () => {
    const result = await runCli(['landscape', 'import', '--file', LANDSCAPE_FILE, '--dry-run'], env, cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/nothing written/);
    const imports = await runCli(['query', 'select count(*) as n from imports', '--format', 'json'], env, cwd);
    expect(JSON.parse(imports.stdout)[0].n).toBe(1);
  });
});

describe('bad settings', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-cli-'));

  it('reports an unreachable DATABASE_URL in one line', async () => {
    const result = await runCli(['status'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' }, cwd);
    expect(result.code).toBe(69);
    expect(lines(result)).toEqual([
      'greenshoots: cannot reach Postgres at postgres://postgres@127.0.0.1:1/nothing (connection refused): start the server, or fix DATABASE_URL',
    ]);
  });

  it.runIf(DATABASE_KINDS.includes('postgres'))('reports a missing database in one line', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = '/greenshoots_no_such_db';
    const result = await runCli(['status'], { DATABASE_URL: url.toString() }, cwd);
    expect(result.code).toBe(69);
    expect(lines(result)[0]).toMatch(/the database does not exist: create it \(createdb NAME\) or fix DATABASE_URL$/);
  });

  it('names a bad variable', async () => {
    const result = await runCli(['status'], { DATABASE_URL: 'mysql://localhost/x' }, cwd);
    expect(result.code).toBe(78);
    expect(lines(result)).toEqual([
      'greenshoots: DATABASE_URL: must be a postgres:// or postgresql:// connection URL, or unset for the embedded database (fix it in the environment or .env)',
    ]);
  });

  it('keeps a second process off an embedded database in use', async () => {
    const { openDatabase } = await import('../../src/db/connect.js');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-lock-'));
    writeFileSync(path.join(dataDir, 'greenshoots.lock'), String(process.ppid));
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(/is in use by process \d+/);
  });
});
