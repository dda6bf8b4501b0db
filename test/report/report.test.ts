import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/index.js';
import { buildReport, describeDatabase, type Report } from '../../src/report/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addDays } from '../trends/fixtures.js';
import { AS_OF, NOW, ROCKET_GAP, START, XSS_NAME, rocketGain, seedReportWorld } from './seed.js';

/** The text between an element's start and the next `</tag>`. */
function section(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  if (from < 0) throw new Error(`no ${start} in the report`);
  return html.slice(from, html.indexOf(end, from) + end.length);
}
const unescape = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const attrs = (html: string, name: string): string[] => [...html.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => unescape(m[1] as string));

/** Rocket's stars on day i, by hand from its daily gains (1,000 on day 0). */
const rocketStars = (i: number): number => 1000 + Array.from({ length: i }, (_, k) => rocketGain(k + 1)).reduce((a, b) => a + b, 0);

describe.each(DATABASE_KINDS)('greenshoots report on %s', (kind) => {
  let t: TestDatabase;
  let report: Report;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await seedReportWorld(t.db);
    report = await buildReport(t.db, { top: 20, now: NOW, database: describeDatabase(t.kind, t.location) });
    const projects = await t.db.selectFrom('projects').select(['id', 'name']).execute();
    ids = Object.fromEntries(projects.map((p) => [p.name, p.id]));
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('ranks the projects with the figures a reader can check by hand', () => {
    const ranking = section(report.html, '<table class="ranking">', '</table>');
    expect(attrs(ranking, 'data-project')).toEqual(['Rocket', XSS_NAME, 'Lighthouse']);
    // 30 days: day 59 against day 29 — 29 ordinary days (10–12 stars) and the 400-star day.
    const gained = rocketStars(59) - rocketStars(29);
    expect(gained).toBe(718);
    expect(rocketStars(29)).toBe(1320);
    const rocketRow = section(ranking, 'data-project="Rocket"', '</tr>');
    expect(rocketRow).toContain('+718 (54.4%)'); // 718 / 1,320
    expect(rocketRow).toContain('2,038'); // stars on 2026-04-01
    // Lighthouse sums its two repos: 20 a day × 30 + the operator's 1 a day × 30
    expect(section(ranking, 'data-project="Lighthouse"', '</tr>')).toContain('+630 (3.0%)');
    expect(report.html).toContain(`Data as of <b>${AS_OF}</b>`);
    expect(report.html).toContain('Generated <time datetime="2026-04-02T06:00:00.000Z">2026-04-02 06:00 UTC</time>');
  });

  it('lists the top movers over 7 and 30 days', () => {
    const stars7 = section(report.html, 'aria-label="Stars, last 7 days"', '</section>');
    expect(stars7.indexOf('Rocket')).toBeLessThan(stars7.indexOf('Lighthouse'));
    expect(stars7).toContain(`+${rocketStars(59) - rocketStars(52)}`); // +466
    // Lighthouse's forks: 2 a day on the main repo, none on the operator
    expect(section(report.html, 'aria-label="Forks, last 7 days"', '</section>')).toContain('+14');
    expect(section(report.html, 'aria-label="New contributors, last 30 days"', '</section>')).toContain('No gains to show yet');
  });

  it('shows recent alerts with their evidence', () => {
    const alerts = section(report.html, '<table class="alerts">', '</table>');
    expect(alerts).toContain('one-day star spike: +400 stars on 2026-04-01');
    expect(alerts).toContain('daily stars: 400');
    expect(alerts).toMatch(/baseline 1\d\.\d\/day over 28 days/);
    expect(alerts).toContain('new major version v2.0.0 on 2026-03-31 (previous: v1.0.0)');
    expect(alerts).toContain('CNCF maturity sandbox → incubating (effective 2026-03-15)');
  });

  it('charts observed and interpolated days differently, and marks releases and the promotion', () => {
    const chart = section(report.html, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-${ids.Rocket}"`, '</svg>');
    const gap = ROCKET_GAP.map((i) => addDays(START, i));
    // Solid up to the last day before the gap, dashed across it, solid again after
    expect(chart).toContain(`class="series stars interpolated" data-from="${addDays(gap[0]!, -1)}" data-to="${addDays(gap[2]!, 1)}"`);
    expect(chart).toContain(`class="series stars observed" data-from="${START}" data-to="${addDays(gap[0]!, -1)}"`);
    const dots = attrs(section(chart, '<g class="panel stars">', '</g>\n<g class="panel forks">'), 'data-day');
    expect(dots).toHaveLength(57);
    expect(dots).not.toContain(gap[1]);
    // Releases (the prerelease is left out) and the maturity change, each with a tooltip
    expect(attrs(chart, 'data-tags')).toEqual(['v1.0.0', 'v2.0.0']);
    expect(chart).toContain('<title>Release v2.0.0 (acme/rocket) on 2026-03-31</title>');
    expect(chart).toContain('<g class="maturity-change" data-day="2026-03-15" data-to="incubating">');
    expect(chart).toContain('→ incubating');
    expect(chart).toMatch(/<title id="chart-\d+-title">Rocket: stars and forks per day, 2026-02-01 to 2026-04-01 \(UTC\)<\/title>/);
    expect(chart).toContain('stars (total)');
    expect(chart).toContain('date (UTC, 2026)');
  });

  it('marks the days a project has no complete count as no data', () => {
    const chart = section(report.html, `id="chart-${ids.Lighthouse}"`, '</svg>');
    // the operator repo is first observed on day 5: before, the project's sum is unknown
    expect(chart).toContain(`<g class="no-data" data-from="${START}" data-to="${addDays(START, 4)}">`);
    expect(chart).toContain('no data</text>');
  });

  it('escapes names from the data and loads nothing from anywhere', () => {
    expect(report.html).not.toMatch(/<script/i);
    expect(report.html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; Co');
    const urls = new Set(report.html.match(/\b(?:https?|ftp|wss?):\/\/[^\s"'<>)]+/g));
    expect([...urls]).toEqual(['http://www.w3.org/2000/svg']); // a namespace name, never fetched
    expect(report.html).not.toMatch(/<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\((?!#)/i);
    expect(report.html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('selects by category and maturity, and names the categories when one matches nothing', async () => {
    const observability = await buildReport(t.db, { top: 20, now: NOW, database: 'test', category: 'OBSERV' });
    expect(observability.model.ranking.map((r) => r.project)).toEqual(['Lighthouse']);
    expect(observability.model.charts.map((c) => c.name)).toEqual(['Lighthouse']);
    expect(observability.html).toContain('1 of 3 tracked projects match: category or subcategory containing “OBSERV”');
    const sandbox = await buildReport(t.db, { top: 20, now: NOW, database: 'test', maturity: 'sandbox' });
    expect(sandbox.model.ranking.map((r) => r.project)).toEqual([XSS_NAME]);
    expect(sandbox.model.alerts).toEqual([]); // Rocket's alerts are not about a sandbox project any more
    const top1 = await buildReport(t.db, { top: 1, now: NOW, database: 'test' });
    expect(top1.model.ranking.map((r) => r.project)).toEqual(['Rocket']);
    expect(top1.model.charts).toHaveLength(1);

    const failure = buildReport(t.db, { top: 20, now: NOW, database: 'test', category: 'nope' });
    await expect(failure).rejects.toThrow(UsageError);
    await expect(failure).rejects.toThrow('--category "nope" matches no category or subcategory; categories: Observability and Analysis, Orchestration & Management');
  });
});

describe('the report on an empty database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('still renders, saying there is no data yet and what to run', async () => {
    const { html, model } = await buildReport(t.db, { top: 20, now: NOW, database: 'test' });
    expect(model.asOf).toBeNull();
    expect(html).toContain('<h2>No data yet</h2>');
    expect(html).toContain('Run <code>greenshoots landscape import</code>');
    expect(html).toContain('<code>greenshoots collect</code>');
  });
});

describe('describeDatabase', () => {
  it('names the server and database, never the user or password', () => {
    const text = describeDatabase('postgres', 'postgres://alice:s3cret@db.example.org:5433/greenshoots?sslmode=require');
    expect(text).toBe('Postgres database "greenshoots" on db.example.org:5433');
    expect(describeDatabase('pglite', '/srv/greenshoots/.greenshoots')).toBe('the embedded database (PGlite) in /srv/greenshoots/.greenshoots');
  });
});
