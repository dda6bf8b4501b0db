import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runBuiltCli } from '../helpers/cli.js';
import { LANDSCAPE_FILE } from '../helpers/landscape.js';

// The shipped command: bin/greenshoots.js running the compiled dist/, no TypeScript loader.
describe('the built greenshoots command', () => {
  it('prints its version and help', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-bin-'));
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runBuiltCli(['--version'], {}, cwd)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = await runBuiltCli(['--help'], {}, cwd);
    expect(help.code).toBe(0);
    for (const command of ['migrate', 'landscape', 'projects', 'query', 'status']) expect(help.stdout).toContain(command);
  });

  it('imports the landscape into the embedded database in ./.greenshoots and queries it', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-bin-'));
    const imported = await runBuiltCli(['landscape', 'import', '--file', LANDSCAPE_FILE], {}, cwd);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const query = await runBuiltCli(
      ['query', "select count(*) as n from projects where maturity = 'graduated'", '--format', 'csv'],
      {},
      cwd,
    );
    expect(query).toMatchObject({ code: 0, stderr: '' });
    expect(query.stdout).toMatch(/^n\n\d+\n$/);
    const status = await runBuiltCli(['status'], {}, cwd);
    expect(status.stdout).toContain(`pglite — ${path.join(cwd, '.greenshoots')}`);
  });
});
