import { createHash, createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AlertsConfig } from '../config/index.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log/logger.js';
import { slackText, type AlertPayload } from './message.js';

/** A place alerts go. `id` is stored in alert_deliveries; the URL never is (it is a secret). */
export interface AlertChannel {
  id: string;
  kind: 'log' | 'webhook' | 'slack';
  /** For people: 'webhook 1', 'slack 2', 'log'. */
  label: string;
  url: string | null;
}

/** The configured channels. A URL's channel id is 8 hex digits of its SHA-256: stable, not the URL. */
export function alertChannels(config: Pick<AlertsConfig, 'webhookUrls' | 'slackWebhookUrls' | 'log'>): AlertChannel[] {
  const channels: AlertChannel[] = [];
  if (config.log) channels.push({ id: 'log', kind: 'log', label: 'log', url: null });
  config.webhookUrls.forEach((url, i) => channels.push({ id: `webhook:${urlId(url)}`, kind: 'webhook', label: `webhook ${i + 1}`, url }));
  config.slackWebhookUrls.forEach((url, i) => channels.push({ id: `slack:${urlId(url)}`, kind: 'slack', label: `slack ${i + 1}`, url }));
  return channels;
}

function urlId(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 8);
}

/** The signature header of a JSON webhook: HMAC-SHA256 of the exact body, like GitHub's own. */
export const SIGNATURE_HEADER = 'x-greenshoots-signature-256';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface SendOptions {
  fetch?: typeof fetch;
  logger?: Logger;
  webhookSecret?: string | null;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Waits between the attempts of one run (default 1 s, 4 s): 3 attempts. */
  retryDelaysMs?: readonly number[];
}

export type SendResult = { ok: true; attempts: number; status: number | null } | { ok: false; attempts: number; error: string };

const DEFAULT_RETRY_DELAYS = [1_000, 4_000];

/** Sends one payload to one channel, retrying 5xx, 408, 429 and network failures with backoff. */
export async function sendToChannel(channel: AlertChannel, payload: AlertPayload, options: SendOptions = {}): Promise<SendResult> {
  if (channel.kind === 'log') {
    options.logger?.info({ alert: payload.alert, idempotencyKey: payload.idempotency_key, channel: 'log' }, payload.text);
    return { ok: true, attempts: 1, status: null };
  }
  const body = channel.kind === 'slack' ? JSON.stringify({ text: slackText(payload) }) : JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'greenshoots-alerts',
    [IDEMPOTENCY_HEADER]: payload.idempotency_key,
  };
  if (channel.kind === 'webhook' && options.webhookSecret) headers[SIGNATURE_HEADER] = signBody(body, options.webhookSecret);
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
  const fetchFn = options.fetch ?? fetch;
  let error = 'not sent';
  for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
    const outcome = await postOnce(fetchFn, channel.url as string, body, headers, options.timeoutMs ?? 10_000);
    if (outcome.ok) return { ok: true, attempts: attempt, status: outcome.status };
    error = outcome.error;
    options.logger?.warn({ channel: channel.id, attempt, error }, 'alert delivery attempt failed');
    if (!outcome.retryable || attempt > delays.length) return { ok: false, attempts: attempt, error };
    await sleep(delays[attempt - 1] as number);
  }
  return { ok: false, attempts: delays.length + 1, error };
}

async function postOnce(
  fetchFn: typeof fetch,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ ok: true; status: number } | { ok: false; error: string; retryable: boolean }> {
  try {
    const res = await fetchFn(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true, status: res.status };
    return { ok: false, error: `HTTP ${res.status}`, retryable: res.status >= 500 || res.status === 408 || res.status === 429 };
  } catch (err) {
    return { ok: false, error: describeNetworkError(err, timeoutMs), retryable: true };
  }
}

/** A network failure in words, without the URL (fetch's messages may carry it). */
function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${Math.round(timeoutMs / 1000)} s`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  return code ? `network error (${code})` : 'network error';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Deliveries given up after this many attempts (about two days of hourly runs with backoff). */
export const MAX_ATTEMPTS = 30;
/** While a process sends a delivery, others leave it alone this long. */
const LEASE_MS = 10 * 60_000;

export interface DeliverOptions extends SendOptions {
  now: Date;
}

export interface DeliveryReport {
  delivered: number;
  pending: number;
  failed: number;
  byChannel: Array<{ channel: string; label: string; delivered: number; pending: number; failed: number; lastError: string | null }>;
}

/**
 * Sends every pending delivery that is due, each channel on its own (a failing one never holds
 * up the others). A delivery is claimed with a lease first, so two processes never send it at
 * once. At-least-once: it is marked delivered only after a 2xx. A channel that fails stops for
 * this run; its deliveries wait for the next run with a growing backoff.
 */
export async function deliverPending(
  db: Kysely<Database>,
  config: Pick<AlertsConfig, 'webhookUrls' | 'slackWebhookUrls' | 'log' | 'webhookSecret'>,
  payloadOf: (alertId: number) => Promise<AlertPayload | null>,
  options: DeliverOptions,
): Promise<DeliveryReport> {
  const channels = alertChannels(config);
  const report: DeliveryReport = { delivered: 0, pending: 0, failed: 0, byChannel: [] };
  if (channels.length === 0) return report;
  const claimed = await db
    .updateTable('alert_deliveries')
    .set({ next_attempt_at: new Date(options.now.getTime() + LEASE_MS), updated_at: options.now })
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', options.now)
    .where(
      'channel',
      'in',
      channels.map((c) => c.id),
    )
    .returning(['alert_id', 'channel', 'attempts'])
    .execute();

  const payloads = new Map<number, AlertPayload | null>();
  for (const id of new Set(claimed.map((c) => c.alert_id))) payloads.set(id, await payloadOf(id));

  await Promise.all(
    channels.map(async (channel) => {
      const mine = claimed.filter((c) => c.channel === channel.id).sort((a, b) => a.alert_id - b.alert_id);
      const counts = { channel: channel.id, label: channel.label, delivered: 0, pending: 0, failed: 0, lastError: null as string | null };
      let down: { error: string; retryAt: Date } | null = null;
      for (const delivery of mine) {
        const payload = payloads.get(delivery.alert_id);
        if (down || !payload) {
          // the channel failed earlier in this run: try again when its backoff ends, without counting an attempt
          await db
            .updateTable('alert_deliveries')
            .set({ next_attempt_at: down?.retryAt ?? options.now, updated_at: options.now })
            .where('alert_id', '=', delivery.alert_id)
            .where('channel', '=', channel.id)
            .execute();
          counts.pending++;
          continue;
        }
        const result = await sendToChannel(channel, payload, { ...options, logger: options.logger });
        const attempts = delivery.attempts + result.attempts;
        if (result.ok) {
          await db
            .updateTable('alert_deliveries')
            .set({ status: 'delivered', attempts, delivered_at: options.now, last_error: null, updated_at: options.now })
            .where('alert_id', '=', delivery.alert_id)
            .where('channel', '=', channel.id)
            .execute();
          counts.delivered++;
          continue;
        }
        const givingUp = attempts >= MAX_ATTEMPTS;
        const retryAt = new Date(options.now.getTime() + backoffMs(attempts));
        await db
          .updateTable('alert_deliveries')
          .set({ status: givingUp ? 'failed' : 'pending', attempts, last_error: result.error, next_attempt_at: retryAt, updated_at: options.now })
          .where('alert_id', '=', delivery.alert_id)
          .where('channel', '=', channel.id)
          .execute();
        options.logger?.warn(
          { channel: channel.id, alertId: delivery.alert_id, attempts, error: result.error },
          givingUp ? 'alert delivery failed for good' : 'alert delivery failed; retrying on a later run',
        );
        if (givingUp) counts.failed++;
        else counts.pending++;
        counts.lastError = result.error;
        down = { error: result.error, retryAt };
      }
      report.byChannel.push(counts);
    }),
  );
  report.byChannel.sort((a, b) => channels.findIndex((c) => c.id === a.channel) - channels.findIndex((c) => c.id === b.channel));
  for (const c of report.byChannel) {
    report.delivered += c.delivered;
    report.pending += c.pending;
    report.failed += c.failed;
  }
  return report;
}

/** Wait before the next run retries: 5 min after the first failed run, doubling, at most 6 h. */
export function backoffMs(attempts: number): number {
  const failedRuns = Math.max(1, Math.ceil(attempts / 3));
  return Math.min(6 * 3_600_000, 5 * 60_000 * 2 ** (failedRuns - 1));
}
