import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkAlerts } from '../../src/alerts/index.js';
import { addDays } from '../../src/alerts/detect.js';
import { openDatabase } from '../../src/db/connect.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addRepo, alertsConfig, poissonSeries, writeDaily } from '../helpers/daily-series.js';

const FIRST = '2026-01-01';
const DAYS = 120;
const PLANT = 100; // 2026-04-11
const day = (i: number) => addDays(FIRST, i);
/** The morning after day i: days up to i are complete. */
const morningAfter = (i: number) => new Date(`${day(i + 1)}T01:00:00Z`);
const github = { apiUrl: 'https://api.github.com', tokens: [], concurrency: 1, budgetShare: 1 };
const config = { alerts: alertsConfig(), github };

const rates = (f: (i: number) => number) => Array.from({ length: DAYS }, (_, i) => f(i));

describe.each(DATABASE_KINDS)('alerts check on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await sql`truncate alert_deliveries, alert_signal_state, alerts, repo_daily, repo_releases, repo_streams, project_maturity_changes, project_repos, repos, projects, imports restart identity cascade`.execute(db.db);
  });

  /** One check per morning from day `from` to day `to`, as a daily schedule would run them. */
  async function dailyChecks(from: number, to: number) {
    for (let i = from; i <= to; i++) await checkAlerts(db.db, config, { now: morningAfter(i), deliver: false });
    return db.db.selectFrom('alerts').selectAll().orderBy('id').execute();
  }

  async function plant(name: string, f: (i: number) => number, seed: number, options = {}) {
    const { repoId } = await addRepo(db.db, name);
    await writeDaily(db.db, repoId, name, FIRST, poissonSeries(rates(f), seed), options);
    return repoId;
  }

  it('alerts a sustained breakout once, as a breakout, on its second day (the first day a 2-day window exists)', async () => {
    await plant('acme/rocket', (i) => (i >= PLANT ? 50 : 10), 1);
    const alerts = await dailyChecks(90, DAYS - 2);
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!;
    expect(a).toMatchObject({ kind: 'breakout', signal: 'stars', repo: 'acme/rocket', project: 'rocket', escalation: false });
    expect(a.window_end).toBe(day(PLANT + 1));
    expect(a.window_start).toBe(day(PLANT));
    expect(a.observed).toBeGreaterThan(80);
    expect(a.expected).toBeGreaterThan(15);
    expect(a.expected).toBeLessThan(25);
    expect(a.ratio).toBeGreaterThanOrEqual(2);
    expect(a.p_value).toBeLessThanOrEqual(1e-6);
    expect(a.baseline_days).toBe(28);
    expect(a.thresholds).toMatchObject({ minGain: 25, minRatio: 2, maxP: 1e-6 });
    expect(a.idempotency_key).toBe(`stars:${a.repo_id}:${day(PLANT + 1)}:1`);
  });

  it('alerts a one-day jump as a spike on its day, once', async () => {
    await plant('acme/blip', (i) => (i === PLANT ? 250 : 10), 2);
    const alerts = await dailyChecks(90, DAYS - 2);
    expect(alerts.map((a) => [a.kind, a.window_end, a.window_days])).toEqual([['spike', day(PLANT), 1]]);
    expect(alerts[0]!.observed).toBeGreaterThan(200);
  });

  it('stays silent on steady growth, slow acceleration, a weekly rhythm and a dormant repo', async () => {
    await plant('acme/steady', (i) => 10 + (10 * i) / DAYS, 3);
    await plant('acme/accelerating', (i) => (i < 60 ? 12 : 12 * (1 + (0.6 * (i - 60)) / 60)), 4);
    await plant('acme/weekly', (i) => (i % 7 === 5 || i % 7 === 6 ? 4 : 25), 5);
    await plant('acme/dormant', () => 0.05, 6);
    const alerts = await dailyChecks(60, DAYS - 2);
    expect(alerts).toEqual([]);
    const evaluated = await db.db.selectFrom('alert_signal_state').select(['evaluated_through']).where('signal', '=', 'stars').execute();
    expect(evaluated.map((s) => s.evaluated_through)).toEqual(Array(4).fill(day(DAYS - 2)));
  });

  it('re-alerts an episode once when it escalates by the factor, not on every day it continues', async () => {
    await plant('acme/escalating', (i) => (i >= PLANT + 8 ? 160 : i >= PLANT ? 50 : 10), 7);
    const alerts = await dailyChecks(90, DAYS - 2);
    expect(alerts.map((a) => [a.kind, a.escalation])).toEqual([
      ['breakout', false],
      [expect.any(String), true],
    ]);
    expect(alerts[1]!.episode_key).toBe(alerts[0]!.episode_key);
    expect(alerts[1]!.peak).toBeGreaterThanOrEqual(2 * alerts[0]!.peak!);
    expect(alerts[1]!.window_end).toBe(day(PLANT + 8));
  });

  it('starts a new episode only after the signal returned to its baseline', async () => {
    await plant('acme/twice', (i) => (i === 70 || i === PLANT ? 300 : 10), 8);
    const alerts = await dailyChecks(60, DAYS - 2);
    expect(alerts.map((a) => [a.kind, a.window_end, a.escalation])).toEqual([
      ['spike', day(70), false],
      ['spike', day(PLANT), false],
    ]);
    expect(alerts[0]!.episode_key).not.toBe(alerts[1]!.episode_key);
  });

  it('never alerts from interpolated days', async () => {
    // the same breakout as above, but GitHub was not observed from its first day for a week
    await plant('acme/unseen', (i) => (i >= PLANT ? 50 : 10), 1, { starsSource: (i: number) => (i >= PLANT && i < PLANT + 7 ? 'interpolated' : 'observed') });
    const alerts = await dailyChecks(90, PLANT + 8);
    expect(alerts).toEqual([]);
  });

  it('needs a baseline of 28 usable days before anything alerts', async () => {
    const { repoId } = await addRepo(db.db, 'acme/newborn');
    // 20 quiet days, then a jump: too little history to judge
    await writeDaily(db.db, repoId, 'acme/newborn', day(PLANT - 20), poissonSeries([...Array(20).fill(10), ...Array(10).fill(200)], 9));
    const result = await checkAlerts(db.db, config, { now: morningAfter(PLANT + 2), deliver: false });
    expect(result.created).toEqual([]);
    expect(result.lackingBaseline).toBe(1);
  });

  it('on a first run, alerts only windows ending in the last ALERT_RECENT_DAYS days', async () => {
    await plant('acme/old-news', (i) => (i >= 60 && i < 70 ? 80 : 10), 10);
    await plant('acme/fresh', (i) => (i >= DAYS - 3 ? 80 : 10), 11);
    const result = await checkAlerts(db.db, config, { now: morningAfter(DAYS - 1), deliver: false });
    expect(result.from).toBe(day(DAYS - 3));
    expect(result.created.map((a) => a.repo)).toEqual(['acme/fresh']);
  });

  it('alerts new contributors and forks as their own signals', async () => {
    const { repoId } = await addRepo(db.db, 'acme/community');
    const stars = poissonSeries(rates(() => 10), 12);
    const forks = poissonSeries(rates((i) => (i >= PLANT ? 30 : 3)), 13);
    const contributors = poissonSeries(rates((i) => (i >= PLANT ? 8 : 0.5)), 14);
    await writeDaily(db.db, repoId, 'acme/community', FIRST, stars, { forksNew: forks, newContributors: contributors });
    const alerts = await dailyChecks(90, DAYS - 3);
    expect(alerts.map((a) => a.signal).sort()).toEqual(['forks', 'new_contributors']);
    expect(alerts.every((a) => a.window_end! <= day(PLANT + 1))).toBe(true);
  });

  it('runs twice, or twice at once, without a duplicate', async () => {
    await plant('acme/rocket', (i) => (i >= PLANT ? 50 : 10), 1);
    const now = morningAfter(PLANT + 1);
    const first = await checkAlerts(db.db, config, { now, deliver: false });
    const second = await checkAlerts(db.db, config, { now, deliver: false });
    expect(first.created).toHaveLength(1);
    expect(second.created).toHaveLength(0);

    await sql`truncate alert_deliveries, alert_signal_state, alerts restart identity`.execute(db.db);
    // two processes: on Postgres a second connection pool, on PGlite the one handle twice
    const other = kind === 'postgres' ? await openDatabase(db.settings) : null;
    try {
      const [a, b] = await Promise.all([
        checkAlerts(db.db, config, { now, deliver: false }),
        checkAlerts(other?.db ?? db.db, config, { now, deliver: false }),
      ]);
      expect(a.created.length + b.created.length).toBe(1);
    } finally {
      await other?.close();
    }
    const stored = await db.db.selectFrom('alerts').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(stored.n).toBe(1);
  });

  it('alerts a maturity change seen recently, once, and not an old one', async () => {
    const { projectId } = await addRepo(db.db, 'acme/promoted', { project: 'Promoted' });
    const imp = await db.db
      .insertInto('imports')
      .values({ source: 'test', kind: 'list', location: 'x', content_sha256: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.db
      .insertInto('project_maturity_changes')
      .values([
        { project_id: projectId, from_maturity: 'sandbox', to_maturity: 'incubating', changed_at: new Date(`${day(60)}T03:17:00Z`), import_id: imp.id },
        { project_id: projectId, from_maturity: 'incubating', to_maturity: 'graduated', changed_at: new Date(`${day(DAYS - 1)}T03:17:00Z`), effective_on: day(DAYS - 2), import_id: imp.id },
      ])
      .execute();
    const now = new Date(`${day(DAYS - 1)}T12:00:00Z`);
    const first = await checkAlerts(db.db, config, { now, deliver: false });
    expect(first.created.map((a) => [a.kind, a.project, a.repo, a.details])).toEqual([
      ['maturity_change', 'Promoted', 'acme/promoted', expect.objectContaining({ from: 'incubating', to: 'graduated', effective_on: day(DAYS - 2) })],
    ]);
    const again = await checkAlerts(db.db, config, { now, deliver: false });
    expect(again.created).toEqual([]);
  });

  it('alerts a first release (when the history proves it is the first) and a new major version', async () => {
    const at = (i: number) => new Date(`${day(i)}T10:00:00Z`);
    const major = await addRepo(db.db, 'acme/major');
    const first = await addRepo(db.db, 'acme/first');
    const unproven = await addRepo(db.db, 'acme/unproven');
    const minor = await addRepo(db.db, 'acme/minor');
    await db.db
      .insertInto('repo_releases')
      .values([
        { repo_id: major.repoId, tag_name: 'v1.2.0', created_at: at(50), published_at: at(50) },
        { repo_id: major.repoId, tag_name: 'v1.3.0', created_at: at(80), published_at: at(80) },
        { repo_id: major.repoId, tag_name: 'v2.0.0-rc.1', created_at: at(DAYS - 3), published_at: at(DAYS - 3), is_prerelease: true },
        { repo_id: major.repoId, tag_name: 'v2.0.0', created_at: at(DAYS - 1), published_at: at(DAYS - 1) },
        { repo_id: first.repoId, tag_name: 'v0.1.0', created_at: at(DAYS - 1), published_at: at(DAYS - 1) },
        { repo_id: unproven.repoId, tag_name: 'v0.1.0', created_at: at(DAYS - 1), published_at: at(DAYS - 1) },
        { repo_id: minor.repoId, tag_name: 'v1.0.0', created_at: at(50), published_at: at(50) },
        { repo_id: minor.repoId, tag_name: 'v1.1.0', created_at: at(DAYS - 1), published_at: at(DAYS - 1) },
      ])
      .execute();
    // the release history of acme/first was read back to its first item (no horizon)
    await db.db.insertInto('repo_streams').values({ repo_id: first.repoId, stream: 'releases', backfill_done: true, horizon_at: null }).execute();
    const result = await checkAlerts(db.db, config, { now: new Date(`${day(DAYS - 1)}T18:00:00Z`), deliver: false });
    expect(result.created.map((a) => [a.kind, a.repo, a.details['tag']]).sort()).toEqual([
      ['first_release', 'acme/first', 'v0.1.0'],
      ['major_release', 'acme/major', 'v2.0.0'],
    ]);
    const majorAlert = result.created.find((a) => a.kind === 'major_release')!;
    expect(majorAlert.details).toMatchObject({ previous_tag: 'v1.3.0', previous_major: 1 });
  });
});
