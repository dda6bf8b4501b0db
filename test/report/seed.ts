import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { checkAlerts } from '../../src/alerts/index.js';
import type { Database } from '../../src/db/schema.js';
import { importList } from '../../src/landscape/index.js';
import { refreshTrends } from '../../src/trends/index.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../helpers/database.js';
import { alertsConfig } from '../helpers/daily-series.js';
import { addDays, addRelease, addSnapshot, addStream, at } from '../trends/fixtures.js';

/**
 * A small world for report tests, written through greenshoots' own paths: a three-item landscape
 * imported (then re-imported with a promotion), 60 days of snapshots, releases, a trends refresh
 * and an alert check.
 */
export const START = '2026-02-01';
export const DAYS = 60;
export const AS_OF = addDays(START, DAYS - 1); // 2026-04-01
/** The report's clock: early on the day after AS_OF, so AS_OF is a complete day. */
export const NOW = new Date('2026-04-02T06:00:00Z');
export const XSS_NAME = `<script>alert("pwned")</script> & Co`;
/** Days nobody observed acme/rocket (days 37–39): interpolated between 2026-03-09 and 2026-03-13. */
export const ROCKET_GAP = [37, 38, 39];
/** acme/lighthouse-operator is first observed on day 5: Lighthouse's sum has no data before. */
export const OPERATOR_FIRST_DAY = 5;

/** Stars Rocket gains on day i: 10–12 a day, then 400 on the last day (a spike). */
export const rocketGain = (i: number): number => (i === DAYS - 1 ? 400 : 10 + (i % 3));

function landscape(rocketMaturity: 'sandbox' | 'incubating'): string {
  const item = (name: string, maturity: string, repo: string, extra = '', more = '') => `
          - item:
            name: ${JSON.stringify(name)}
            homepage_url: https://example.org/${repo}
            project: ${maturity}
            repo_url: https://github.com/${repo}${more}${extra}`;
  return `landscape:
  - category:
    name: Orchestration & Management
    subcategories:
      - subcategory:
        name: Scheduling & Orchestration
        items:${item('Rocket', rocketMaturity, 'acme/rocket', rocketMaturity === 'incubating' ? `\n            extra:\n              accepted: '2025-01-10'\n              incubating: '2026-03-15'` : `\n            extra:\n              accepted: '2025-01-10'`)}${item(XSS_NAME, 'sandbox', 'evil/xss')}
  - category:
    name: Observability and Analysis
    subcategories:
      - subcategory:
        name: Monitoring
        items:${item('Lighthouse', 'graduated', 'acme/lighthouse', '', `\n            additional_repos:\n              - repo_url: https://github.com/acme/lighthouse-operator`)}
`;
}

async function importLandscape(db: Kysely<Database>, text: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-report-'));
  const file = path.join(dir, 'landscape.yml');
  writeFileSync(file, text);
  await importList(db, { source: { file } });
}

async function repoId(db: Kysely<Database>, fullName: string): Promise<number> {
  const row = await db.selectFrom('repos').select('id').where('full_name_key', '=', fullName).executeTakeFirstOrThrow();
  return row.id;
}

/** Writes the world into an empty, migrated database. */
export async function seedReportWorld(db: Kysely<Database>): Promise<void> {
  await importLandscape(db, landscape('sandbox'));
  const rocket = await repoId(db, 'acme/rocket');
  const xss = await repoId(db, 'evil/xss');
  const lighthouse = await repoId(db, 'acme/lighthouse');
  const operator = await repoId(db, 'acme/lighthouse-operator');

  let rocketStars = 1000;
  for (let i = 0; i < DAYS; i++) {
    const day = addDays(START, i);
    if (i > 0) rocketStars += rocketGain(i);
    if (!ROCKET_GAP.includes(i)) await addSnapshot(db, rocket, at(day), { stars: rocketStars, forks: 100 + i });
    await addSnapshot(db, xss, at(day), { stars: 500 + 3 * i, forks: 50 });
    await addSnapshot(db, lighthouse, at(day), { stars: 20_000 + 20 * i, forks: 2_000 + 2 * i });
    if (i >= OPERATOR_FIRST_DAY) await addSnapshot(db, operator, at(day), { stars: 300 + i, forks: 30 });
  }
  await addStream(db, rocket, 'releases', { backfill_done: true, checked_at: at(AS_OF, 13) });
  await addRelease(db, rocket, 'v1.0.0', at('2026-03-01', 9));
  await addRelease(db, rocket, 'v2.0.0-rc.1', at('2026-03-25', 9), 'prerelease');
  await addRelease(db, rocket, 'v2.0.0', at('2026-03-31', 9));

  // The landscape promotes Rocket: the import records the change, dated by the file.
  await importLandscape(db, landscape('incubating'));
  await refreshTrends(db);
  const github = { apiUrl: 'https://api.github.com', tokens: [], concurrency: 1, budgetShare: 1 };
  await checkAlerts(db, { alerts: alertsConfig(), github }, { now: NOW, deliver: false });
}

/**
 * A fresh database of `kind` holding the world, closed again so the CLI under test can open it
 * (PGlite allows one process), and an empty working folder for the command.
 */
export async function seededForCli(kind: DatabaseKind): Promise<{ t: TestDatabase; cwd: string }> {
  const t = await createTestDatabase(kind);
  await seedReportWorld(t.db);
  await t.close();
  return { t, cwd: mkdtempSync(path.join(os.tmpdir(), 'greenshoots-cli-')) };
}
