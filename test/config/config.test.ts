import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANDSCAPE_URL, loadConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/index.js';

const emptyDir = () => mkdtempSync(path.join(os.tmpdir(), 'greenshoots-config-'));

describe('loadConfig', () => {
  it('defaults to the embedded database in ./.greenshoots and github.com', () => {
    const cwd = emptyDir();
    const config = loadConfig({}, cwd);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.join(cwd, '.greenshoots') });
    expect(config.github.apiUrl).toBe('https://api.github.com');
    expect(config.github.tokens).toEqual([]);
    expect(config.landscape).toEqual({ url: DEFAULT_LANDSCAPE_URL, file: null });
    expect(config.log.level).toBe('info');
    expect(config.trends).toEqual({ retentionDays: 90, workers: 2 });
  });

  it('uses Postgres when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db.example:5432/gs' }, emptyDir());
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db.example:5432/gs' });
  });

  it('merges GITHUB_TOKENS and GITHUB_TOKEN without duplicates', () => {
    const config = loadConfig({ GITHUB_TOKENS: 'ghp_a, ghp_b,,', GITHUB_TOKEN: 'ghp_b' }, emptyDir());
    expect(config.github.tokens).toEqual(['ghp_a', 'ghp_b']);
  });

  it('accepts a GitHub Enterprise Server base URL and drops a trailing slash', () => {
    const config = loadConfig({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }, emptyDir());
    expect(config.github.apiUrl).toBe('https://ghe.example.com/api/v3');
  });

  it.each([
    ['DATABASE_URL', 'mysql://root@localhost/db'],
    ['GITHUB_API_URL', 'not a url'],
    ['LANDSCAPE_URL', 'ftp://example.com/landscape.yml'],
    ['LOG_LEVEL', 'loud'],
    ['GITHUB_BUDGET_SHARE', '1.5'],
    ['GITHUB_CONCURRENCY', 'many'],
    ['TRENDS_WORKERS', '0'],
    ['TRENDS_WORKERS', '8'],
  ])('names %s when its value is bad', (name, value) => {
    expect(() => loadConfig({ [name]: value }, emptyDir())).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, emptyDir())).toThrow(new RegExp(`^${name}: `));
  });

  it('reads .env, and the real environment wins over it', () => {
    const cwd = emptyDir();
    writeFileSync(path.join(cwd, '.env'), 'LOG_LEVEL=debug\nLANDSCAPE_FILE=my-list.yml\n');
    const config = loadConfig({ LOG_LEVEL: 'warn' }, cwd);
    expect(config.log.level).toBe('warn');
    expect(config.landscape.file).toBe(path.join(cwd, 'my-list.yml'));
  });

  it('is frozen', () => {
    const config = loadConfig({}, emptyDir());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.github.tokens)).toBe(true);
  });
});
