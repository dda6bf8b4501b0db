import { sql, type Kysely } from 'kysely';
import { addDays } from '../../src/alerts/detect.js';
import type { AlertsConfig } from '../../src/config/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/alerts/defaults.js';
import type { Database } from '../../src/db/schema.js';

/** A tracked repo listed as the primary repo of its own project. */
export async function addRepo(
  db: Kysely<Database>,
  fullName: string,
  options: { project?: string; homepage?: string | null; maturity?: 'sandbox' | 'incubating' | 'graduated' | 'none' } = {},
): Promise<{ repoId: number; projectId: number }> {
  const [owner, name] = fullName.split('/') as [string, string];
  const projectName = options.project ?? name;
  const project = await db
    .insertInto('projects')
    .values({
      source: 'test',
      name: projectName,
      name_key: projectName.toLowerCase(),
      maturity: options.maturity ?? 'sandbox',
      homepage_url: options.homepage === undefined ? `https://${name}.example.org` : options.homepage,
      content_hash: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const repo = await db
    .insertInto('repos')
    .values({ owner, name, full_name_key: fullName.toLowerCase(), status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('project_repos').values({ project_id: project.id, repo_id: repo.id, role: 'primary' }).execute();
  return { repoId: repo.id, projectId: project.id };
}

export interface DailyOptions {
  /** stars_source of day i (default 'observed'). */
  starsSource?: (i: number) => 'observed' | 'interpolated' | 'none';
  forksNew?: readonly number[];
  newContributors?: ReadonlyArray<number | null>;
}

/** Writes repo_daily rows from `firstDay`, one per value of `starsNew` (stars gained that day). */
export async function writeDaily(
  db: Kysely<Database>,
  repoId: number,
  fullName: string,
  firstDay: string,
  starsNew: readonly number[],
  options: DailyOptions = {},
): Promise<void> {
  let stars = 1000;
  let forks = 100;
  const rows = starsNew.map((gain, i) => {
    stars += gain;
    const forkGain = options.forksNew?.[i] ?? 0;
    forks += forkGain;
    const source = options.starsSource?.(i) ?? 'observed';
    return {
      repo_id: repoId,
      day: addDays(firstDay, i),
      repo: fullName,
      stars,
      stars_new: gain,
      stars_source: source,
      forks,
      forks_new: forkGain,
      forks_source: options.forksNew ? 'observed' : 'none',
      new_contributors: options.newContributors?.[i] ?? null,
    };
  });
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await sql`
      insert into repo_daily (repo_id, day, repo, stars, stars_new, stars_source, forks, forks_new, forks_source, new_contributors)
      select * from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
        as x(repo_id bigint, day date, repo text, stars integer, stars_new integer, stars_source text,
             forks integer, forks_new integer, forks_source text, new_contributors integer)`.execute(db);
  }
}

/** Seeded Poisson draws: the same noisy series on every run (mulberry32 + Knuth). */
export function poissonSeries(rates: readonly number[], seed: number): number[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return rates.map((rate) => {
    const limit = Math.exp(-rate);
    let k = 0;
    let p = random();
    while (p > limit) {
      k++;
      p *= random();
    }
    return k;
  });
}

/** Alert settings for tests: the defaults, the log channel off unless asked. */
export function alertsConfig(overrides: Partial<AlertsConfig> = {}): AlertsConfig {
  return {
    webhookUrls: [],
    webhookSecret: null,
    slackWebhookUrls: [],
    log: false,
    recentDays: 3,
    escalationFactor: 2,
    minBaselineDays: 28,
    thresholds: DEFAULT_THRESHOLDS,
    ...overrides,
  };
}
