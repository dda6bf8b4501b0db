import { sql, type Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log/logger.js';
import { alertChannels, deliverPending, type DeliveryReport, type SendOptions } from './deliver.js';
import { addDays, BASELINE_DAYS, COUNT_SIGNALS, evaluateDay, LONG_WINDOW, utcDay, type CountSignal } from './detect.js';
import { advanceEpisode, NO_EPISODE, type EpisodeState } from './episodes.js';
import { maturityAlerts, releaseAlerts } from './events.js';
import { alertPayload, githubWebUrl } from './message.js';
import { loadAlertRepos, loadSignalSeries } from './series.js';
import { insertAlert, type AlertDraft, type AlertRow } from './store.js';

export interface CheckAlertsOptions extends Omit<SendOptions, 'webhookSecret' | 'logger'> {
  /** "Now" (default: the database's clock). Days before its UTC day are complete. */
  now?: Date;
  logger?: Logger;
  /** Skip sending (detection only). */
  deliver?: boolean;
}

export interface CheckAlertsResult {
  /** The days evaluated: the last `recentDays` complete UTC days. */
  from: string;
  through: string;
  created: AlertRow[];
  /** Repo-signal pairs evaluated on at least one day, and those lacking a baseline. */
  evaluated: number;
  lackingBaseline: number;
  delivery: DeliveryReport;
}

/**
 * Detects alerts on the complete days of the last `recentDays` and sends what is pending: one
 * transaction under an advisory lock (two checks at once run one after the other; the second
 * finds every day evaluated), then delivery outside it. Call it after every trends refresh.
 */
export async function checkAlerts(
  db: Kysely<Database>,
  config: Pick<Config, 'alerts' | 'github'>,
  options: CheckAlertsOptions = {},
): Promise<CheckAlertsResult> {
  const log = options.logger;
  const now = options.now ?? (await databaseNow(db));
  const today = utcDay(now);
  const through = addDays(today, -1);
  const from = addDays(today, -config.alerts.recentDays);
  const channels = alertChannels(config.alerts).map((c) => c.id);

  const detected = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('greenshoots.alerts'))`.execute(trx);
    const created: AlertRow[] = [];
    const repos = await loadAlertRepos(trx);
    const seriesFrom = addDays(from, -(BASELINE_DAYS + LONG_WINDOW));
    const series = await loadSignalSeries(trx, seriesFrom, through);
    const states = await trx.selectFrom('alert_signal_state').selectAll().execute();
    const stateOf = new Map(states.map((s) => [`${s.repo_id}:${s.signal}`, s]));
    let evaluated = 0;
    let lackingBaseline = 0;

    for (const [repoId, signals] of series) {
      const repo = repos.get(repoId);
      if (!repo) continue;
      for (const signal of COUNT_SIGNALS) {
        const s = signals[signal];
        const stored = stateOf.get(`${repoId}:${signal}`);
        let state: EpisodeState = stored
          ? { evaluatedThrough: stored.evaluated_through, startedOn: stored.episode_started_on, peak: stored.episode_peak, alerts: stored.episode_alerts }
          : NO_EPISODE;
        let lastAlertId = stored?.last_alert_id ?? null;
        if (s.evaluableThrough === null) continue;
        const start = state.evaluatedThrough && state.evaluatedThrough >= from ? addDays(state.evaluatedThrough, 1) : from;
        const end = s.evaluableThrough < through ? s.evaluableThrough : through;
        if (start > end) continue;
        evaluated++;
        let short = false;
        for (let day = start; day <= end; day = addDays(day, 1)) {
          const thresholds = config.alerts.thresholds[signal];
          const verdict = evaluateDay(s, day, thresholds, config.alerts);
          if (verdict.state === 'unknown' && verdict.reason === 'short baseline') short = true;
          const step = advanceEpisode(state, day, verdict, config.alerts.escalationFactor);
          state = step.state;
          if (step.alert && verdict.state === 'flagged') {
            const w = verdict.window;
            const episodeKey = `${signal}:${repoId}:${step.alert.episodeStartedOn}`;
            const draft: AlertDraft = {
              idempotencyKey: `${episodeKey}:${step.alert.number}`,
              episodeKey,
              kind: step.alert.kind,
              signal,
              escalation: step.alert.escalation,
              repoId,
              repo: repo.repo,
              projectId: repo.projectId,
              project: repo.project,
              windowDays: w.days,
              windowStart: w.start,
              windowEnd: w.end,
              observed: w.observed,
              expected: w.expected,
              ratio: w.ratio,
              pValue: w.pValue,
              peak: w.peak,
              baselineDays: verdict.baseline.days,
              baselineMean: verdict.baseline.mean,
              baselineSize: verdict.baseline.size,
              thresholds: { ...thresholds, ...(step.alert.escalation ? { escalationFactor: config.alerts.escalationFactor } : {}) },
              details: { daily: w.values, project_url: repo.projectUrl },
            };
            const row = await insertAlert(trx, draft, channels, now);
            if (row) {
              created.push(row);
              lastAlertId = row.id;
            }
          }
        }
        if (short) lackingBaseline++;
        await saveState(trx, repoId, signal, state, lastAlertId, now);
      }
    }

    const since = new Date(Date.parse(`${from}T00:00:00Z`));
    const events = [...(await maturityAlerts(trx, since)), ...(await releaseAlerts(trx, since, now, repos))];
    for (const draft of events) {
      const row = await insertAlert(trx, draft, channels, now);
      if (row) created.push(row);
    }
    return { created, evaluated, lackingBaseline };
  });

  for (const alert of detected.created) log?.info({ alertId: alert.id, kind: alert.kind, signal: alert.signal, repo: alert.repo }, 'alert created');
  const githubUrl = githubWebUrl(config.github.apiUrl);
  const delivery =
    options.deliver === false
      ? { delivered: 0, pending: 0, failed: 0, byChannel: [] }
      : await deliverPending(
          db,
          config.alerts,
          async (id) => {
            const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
            return row ? alertPayload(row, githubUrl) : null;
          },
          { ...options, now, webhookSecret: config.alerts.webhookSecret, ...(log ? { logger: log } : {}) },
        );
  return { from, through, ...detected, delivery };
}

async function saveState(db: Kysely<Database>, repoId: number, signal: CountSignal, state: EpisodeState, lastAlertId: number | null, now: Date) {
  if (state.evaluatedThrough === null) return;
  const values = {
    evaluated_through: state.evaluatedThrough,
    episode_started_on: state.startedOn,
    episode_peak: state.peak,
    episode_alerts: state.alerts,
    last_alert_id: lastAlertId,
    updated_at: now,
  };
  await db
    .insertInto('alert_signal_state')
    .values({ repo_id: repoId, signal, ...values })
    .onConflict((oc) => oc.columns(['repo_id', 'signal']).doUpdateSet(values))
    .execute();
}

async function databaseNow(db: Kysely<Database>): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  return new Date(rows[0]?.now ?? Date.now());
}
