import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { baselineCoverage, type BaselineCoverage } from '../../alerts/index.js';
import type { Config } from '../../config/index.js';
import type { Database } from '../../db/schema.js';

export interface AlertsStatus {
  last_30_days: number;
  undelivered: number;
  coverage: BaselineCoverage;
}

/** Recent alerts, deliveries still owed, and which repos cannot alert yet for lack of a baseline. */
export async function alertsStatus(db: Kysely<Database>, config: Pick<Config, 'alerts'>, now: Date = new Date()): Promise<AlertsStatus> {
  const { rows } = await sql<{ recent: number; undelivered: number }>`
    select (select count(*) from alerts where created_at >= ${new Date(now.getTime() - 30 * 86_400_000)}) as recent,
           (select count(distinct alert_id) from alert_deliveries where status <> 'delivered') as undelivered`.execute(db);
  return {
    last_30_days: rows[0]?.recent ?? 0,
    undelivered: rows[0]?.undelivered ?? 0,
    coverage: await baselineCoverage(db, now, config.alerts.minBaselineDays),
  };
}

/** Lines for the human status report. */
export function describeAlertsStatus(s: AlertsStatus): string[] {
  const c = s.coverage;
  const lines = [
    `alerts        ${s.last_30_days} in the last 30 days, ${s.undelivered} not delivered everywhere yet`,
    `baselines     ${c.ready.stars}/${c.repos} repos can alert on stars, ${c.ready.forks} on forks, ${c.ready.new_contributors} on new contributors ` +
      `(${c.minBaselineDays} usable days needed)`,
  ];
  if (c.lacking.length > 0 && c.repos > 0) {
    lines.push(`no baseline   ${c.lacking.length} repos lack ${c.minBaselineDays} observed days of stars:`);
    for (const r of c.lacking.slice(0, 10)) lines.push(`  ${r.repo}: ${r.stars} star days, ${r.forks} fork days, ${r.new_contributors} contributor days`);
    if (c.lacking.length > 10) lines.push(`  … ${c.lacking.length - 10} more (greenshoots status --json lists them all)`);
  }
  return lines;
}
