import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DATABASE_KINDS, reserveTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seededForCli } from './seed.js';

describe.each(DATABASE_KINDS)('greenshoots report (command) on %s', (kind) => {
  let t: TestDatabase;
  let cwd: string;
  beforeAll(async () => {
    ({ t, cwd } = await seededForCli(kind));
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('writes greenshoots-report.html and says what is in it', async () => {
    const result = await runCli(['report'], t.env, cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = path.join(cwd, 'greenshoots-report.html');
    expect(result.stdout).toMatch(new RegExp(`^wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ KB\\)\\n`));
    expect(result.stdout).toContain('data as of 2026-04-01: 3 projects ranked, 3 recent alerts, 3 charts');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h1>greenshoots report — data as of 2026-04-01</h1>');
    expect(html).toContain(kind === 'postgres' ? 'from Postgres database &quot;greenshoots_test_' : 'from the embedded database (PGlite) in ');
  });

  it('takes --out, --category, --maturity and --top', async () => {
    const result = await runCli(['report', '--out', 'sub.html', '--category', 'orchestration', '--maturity', 'sandbox', '--top', '5'], t.env, cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 project ranked, 0 recent alerts, 1 chart');
    const html = readFileSync(path.join(cwd, 'sub.html'), 'utf8');
    expect(html).toContain('1 of 3 tracked projects match: category or subcategory containing “orchestration”, maturity sandbox.');
    expect(html).not.toContain('Lighthouse');
  });

  it('rejects an unknown category, naming those that exist, and writes nothing', async () => {
    const result = await runCli(['report', '--category', 'quantum', '--out', 'never.html'], t.env, cwd);
    expect(result.code).toBe(64);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'greenshoots: --category "quantum" matches no category or subcategory; categories: Observability and Analysis, Orchestration & Management\n',
    );
    expect(existsSync(path.join(cwd, 'never.html'))).toBe(false);
  });

  it('rejects an unknown maturity, a bad --top and an --out it cannot write, each in one line', async () => {
    const maturity = await runCli(['report', '--maturity', 'ripe'], t.env, cwd);
    expect(maturity.code).toBe(64);
    expect(maturity.stderr).toMatch(/^greenshoots: .*'ripe' is invalid\. Allowed choices are sandbox, incubating, graduated, archived, none, cncf\. \(see --help\)\n$/);
    const top = await runCli(['report', '--top', '0'], t.env, cwd);
    expect(top).toMatchObject({ code: 64, stderr: 'greenshoots: --top must be a whole number from 1 to 1000\n' });
    const missing = path.join(cwd, 'no-such-folder', 'r.html');
    const out = await runCli(['report', '--out', missing], t.env, cwd);
    expect(out).toMatchObject({ code: 73, stdout: '' });
    expect(out.stderr).toBe(`greenshoots: cannot write ${missing} (the folder ${path.dirname(missing)} does not exist): choose another --out\n`);
    const folder = await runCli(['report', '--out', cwd], t.env, cwd);
    expect(folder.code).toBe(73);
    expect(folder.stderr).toContain(`${cwd} is a folder`);
  });
});

describe.each(DATABASE_KINDS)('greenshoots report on an empty %s database', (kind) => {
  it('still writes a report that says there is no data yet and what to run', async () => {
    const reserved = await reserveTestDatabase(kind);
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-report-cli-'));
    try {
      const result = await runCli(['report', '--category', 'anything'], reserved.env, cwd);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('no data yet: run greenshoots landscape import, then greenshoots collect (hourly) and make the report again');
      const html = readFileSync(path.join(cwd, 'greenshoots-report.html'), 'utf8');
      expect(html).toContain('This database tracks no projects yet. Run <code>greenshoots landscape import</code>');
    } finally {
      await reserved.remove();
    }
  });
});
