import { sql, type Kysely, type Selectable } from 'kysely';
import type { AlertKind, AlertSignal, AlertsTable, Database } from '../db/schema.js';

/** An alert before it is stored. */
export interface AlertDraft {
  idempotencyKey: string;
  episodeKey: string;
  kind: AlertKind;
  signal: AlertSignal;
  escalation: boolean;
  repoId: number | null;
  repo: string | null;
  projectId: number | null;
  project: string | null;
  windowDays?: number;
  windowStart?: string;
  windowEnd: string;
  observed?: number;
  expected?: number;
  ratio?: number;
  pValue?: number;
  peak?: number;
  baselineDays?: number;
  baselineMean?: number;
  /** Infinity (Poisson) is stored as null. */
  baselineSize?: number;
  thresholds?: Record<string, unknown>;
  details: Record<string, unknown>;
}

export type AlertRow = Selectable<AlertsTable>;

/**
 * Stores an alert and a pending delivery per channel, unless an alert with its idempotency key
 * exists (then nothing: returns null). Run it in the transaction that advances the episode state.
 */
export async function insertAlert(db: Kysely<Database>, draft: AlertDraft, channels: readonly string[], now: Date): Promise<AlertRow | null> {
  const score = draft.pValue === undefined ? null : Math.min(300, -Math.log10(Math.max(draft.pValue, 1e-300)));
  const row = await db
    .insertInto('alerts')
    .values({
      idempotency_key: draft.idempotencyKey,
      kind: draft.kind,
      signal: draft.signal,
      escalation: draft.escalation,
      repo_id: draft.repoId,
      repo: draft.repo,
      project_id: draft.projectId,
      project: draft.project,
      episode_key: draft.episodeKey,
      window_days: draft.windowDays ?? null,
      window_start: draft.windowStart ?? null,
      window_end: draft.windowEnd,
      observed: draft.observed ?? null,
      expected: draft.expected ?? null,
      ratio: draft.ratio ?? null,
      p_value: draft.pValue ?? null,
      score,
      peak: draft.peak ?? null,
      baseline_days: draft.baselineDays ?? null,
      baseline_mean: draft.baselineMean ?? null,
      baseline_size: draft.baselineSize === undefined || !Number.isFinite(draft.baselineSize) ? null : draft.baselineSize,
      thresholds: JSON.stringify(draft.thresholds ?? {}),
      details: JSON.stringify(draft.details),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  if (channels.length > 0) {
    await db
      .insertInto('alert_deliveries')
      .values(channels.map((channel) => ({ alert_id: row.id, channel, next_attempt_at: now })))
      .execute();
  }
  return row;
}

export interface ListedAlert extends AlertRow {
  deliveries: Array<{ channel: string; status: string; attempts: number; last_error: string | null; delivered_at: Date | null }>;
}

/** Alerts created since `since` (all when null), newest first, with their deliveries. */
export async function listAlerts(db: Kysely<Database>, since: Date | null, limit = 500): Promise<ListedAlert[]> {
  let query = db.selectFrom('alerts').selectAll().orderBy('id', 'desc').limit(limit);
  if (since) query = query.where('created_at', '>=', since);
  const alerts = await query.execute();
  if (alerts.length === 0) return [];
  const deliveries = await db
    .selectFrom('alert_deliveries')
    .select(['alert_id', 'channel', 'status', 'attempts', 'last_error', sql<Date | null>`delivered_at`.as('delivered_at')])
    .where(
      'alert_id',
      'in',
      alerts.map((a) => a.id),
    )
    .orderBy('channel')
    .execute();
  return alerts.map((a) => ({
    ...a,
    deliveries: deliveries
      .filter((d) => d.alert_id === a.id)
      .map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts, last_error: d.last_error, delivered_at: d.delivered_at })),
  }));
}
