import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DATABASE_KINDS, type TestDatabase } from '../helpers/database.js';
import { DAYS, XSS_NAME, rocketGain, seededForCli } from '../report/seed.js';

/** Rocket's stars gained over days from..to (inclusive), from the seed's daily gains. */
const gained = (from: number, to: number): number => Array.from({ length: to - from + 1 }, (_, k) => rocketGain(from + k)).reduce((a, b) => a + b, 0);
const last = DAYS - 1;

describe.each(DATABASE_KINDS)('greenshoots top and show on %s', (kind) => {
  let t: TestDatabase;
  let cwd: string;
  beforeAll(async () => {
    ({ t, cwd } = await seededForCli(kind));
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('top --by stars_30d ranks projects by the stars gained in 30 days, with the last 30 days of new stars', async () => {
    const result = await runCli(['top', '--by', 'stars_30d', '--format', 'json'], t.env, cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ project: string; stars_gained_7d: number; stars_gained_30d: number; last_30d: number[] }>;
    // Rocket: 10–12 a day, then 400 on the last day; Lighthouse: 20 a day plus its operator's 1;
    // the other: 3 a day.
    expect(rows.map((r) => [r.project, r.stars_gained_30d])).toEqual([
      ['Rocket', gained(last - 29, last)],
      ['Lighthouse', 30 * 21],
      [XSS_NAME, 30 * 3],
    ]);
    expect(gained(last - 29, last)).toBe(718);
    expect(rows[0]!.stars_gained_7d).toBe(gained(last - 6, last));
    expect(rows[0]!.last_30d).toHaveLength(30);
    expect(rows[0]!.last_30d.at(-1)).toBe(400);
  });

  it('top prints a table with a sparkline per row, and refuses a bad --limit', async () => {
    const result = await runCli(['top', '--by', 'stars_30d'], t.env, cwd);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^#\s+project\s+maturity\s+category\s+score\s+stars\s+\+7d\s+\+30d/);
    const rocket = lines.find((l) => l.startsWith('1  Rocket'));
    expect(rocket).toMatch(/\s718\s+54\.4%\s/);
    expect(rocket).toMatch(/[▁-█]{30}$/);
    expect(rocket!.endsWith('█')).toBe(true); // the 400-star day is the highest bar

    const bad = await runCli(['top', '--limit', '0'], t.env, cwd);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toBe('greenshoots: --limit must be a whole number from 1 to 10000\n');
  });

  it('show prints one repo’s trends and its recent daily series, and names an unknown repo in one line', async () => {
    const result = await runCli(['show', 'acme/rocket', '--days', '5'], t.env, cwd);
    expect(result.code).toBe(0);
    // 718 stars over 30 days on the 1,320 Rocket had 30 days before: 54.4%
    expect(1000 + gained(1, last - 30)).toBe(1320);
    expect(result.stdout).toContain('30d +718 (54.4%)');
    expect(result.stdout).toContain('as of 2026-04-01 (data since 2026-02-01; 57 of the last 90 days observed)');
    const days = result.stdout.split('\n').filter((l) => /^2026-\d\d-\d\d\s/.test(l));
    expect(days).toHaveLength(5);
    expect(days.at(-1)).toMatch(/^2026-04-01\s+2038\s+400\s+observed\s/);

    const unknown = await runCli(['show', 'nobody/nothing'], t.env, cwd);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^greenshoots: .*nobody\/nothing[^\n]*\n$/);
  });
});
