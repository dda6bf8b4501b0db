import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/alerts/detect.js';
import { checkAlerts, SIGNATURE_HEADER } from '../../src/alerts/index.js';
import { createLogger } from '../../src/log/logger.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addRepo, alertsConfig, poissonSeries, writeDaily } from '../helpers/daily-series.js';
import { runCli } from '../helpers/cli.js';

const FIRST = '2026-01-01';
const SPIKE = 100;
const NOW = new Date(`${addDays(FIRST, SPIKE + 1)}T01:00:00Z`);
const SECRET = 'whsec_test_0123456789';
const github = { apiUrl: 'https://api.github.com', tokens: [], concurrency: 1, budgetShare: 1 };

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A webhook receiver on loopback; each path answers with the status its handler gives. */
async function startReceiver() {
  const received: Received[] = [];
  const statusFor = new Map<string, () => number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), at: performance.now() });
      res.statusCode = statusFor.get(req.url ?? '')?.() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, statusFor, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(DATABASE_KINDS)('alert delivery on %s', (kind) => {
  let db: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    receiver = await startReceiver();
    await sql`truncate alert_deliveries, alert_signal_state, alerts, repo_daily, project_repos, repos, projects restart identity cascade`.execute(db.db);
    const { repoId } = await addRepo(db.db, 'acme/rocket', { project: 'Rocket', homepage: 'https://rocket.example.org' });
    const rates = Array.from({ length: SPIKE + 1 }, (_, i) => (i === SPIKE ? 250 : 10));
    await writeDaily(db.db, repoId, 'acme/rocket', FIRST, poissonSeries(rates, 2));
  });
  afterEach(async () => {
    await receiver.close();
  });

  function capturedLogger() {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (c: Buffer) => lines.push(c.toString()));
    return { logger: createLogger({ level: 'debug', pretty: false, destination: stream }), text: () => lines.join('') };
  }

  it('posts the alert to a signed JSON webhook, Slack and the log, with one idempotency key', async () => {
    const hook = `${receiver.base}/hooks/T0SECRETPATH`;
    const slack = `${receiver.base}/services/T000/B000/slacksecret`;
    const log = capturedLogger();
    const config = { alerts: alertsConfig({ webhookUrls: [hook], webhookSecret: SECRET, slackWebhookUrls: [slack], log: true }), github };
    const result = await checkAlerts(db.db, config, { now: NOW, logger: log.logger, retryDelaysMs: [10, 20] });
    expect(result.created).toHaveLength(1);
    expect(result.delivery).toMatchObject({ delivered: 3, pending: 0, failed: 0 });

    const webhook = receiver.received.find((r) => r.path === '/hooks/T0SECRETPATH')!;
    const payload = JSON.parse(webhook.body);
    expect(payload).toMatchObject({
      type: 'greenshoots.alert',
      idempotency_key: result.created[0]!.idempotency_key,
      alert: {
        kind: 'spike',
        signal: 'stars',
        repo: 'acme/rocket',
        repo_url: 'https://github.com/acme/rocket',
        project: 'Rocket',
        project_url: 'https://rocket.example.org',
        window: { days: 1, end: addDays(FIRST, SPIKE) },
        thresholds: { minGain: 25, spikeRatio: 8 },
      },
    });
    expect(payload.alert.observed).toBeGreaterThan(200);
    expect(payload.alert.p_value).toBeLessThan(1e-6);
    expect(payload.text).toMatch(/^acme\/rocket \(Rocket\): one-day star spike: \+\d+ stars on 2026-04-11, \d+(\.\d)?× the expected/);
    expect(webhook.headers['idempotency-key']).toBe(payload.idempotency_key);
    // the receiver can verify the signature with the shared secret
    const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(webhook.body).digest('hex')}`);
    expect(timingSafeEqual(Buffer.from(String(webhook.headers[SIGNATURE_HEADER])), expected)).toBe(true);

    const slackPost = receiver.received.find((r) => r.path.startsWith('/services/'))!;
    const slackBody = JSON.parse(slackPost.body);
    expect(Object.keys(slackBody)).toEqual(['text']);
    expect(slackBody.text).toContain('one-day star spike');
    expect(slackBody.text).toContain('<https://github.com/acme/rocket|acme/rocket>');
    expect(slackBody.text).toContain('<https://rocket.example.org|Rocket>');
    expect(slackPost.headers[SIGNATURE_HEADER]).toBeUndefined();

    const logged = log.text();
    expect(logged).toContain('one-day star spike');
    const deliveries = await db.db.selectFrom('alert_deliveries').selectAll().orderBy('channel').execute();
    expect(deliveries.map((d) => [d.channel.replace(/[0-9a-f]{8}$/, 'ID'), d.status, d.attempts])).toEqual([
      ['log', 'delivered', 1],
      ['slack:ID', 'delivered', 1],
      ['webhook:ID', 'delivered', 1],
    ]);
    // a rerun sends nothing again
    await checkAlerts(db.db, config, { now: new Date(NOW.getTime() + 3_600_000), retryDelaysMs: [10, 20] });
    expect(receiver.received).toHaveLength(2);
  });

  it('retries 500s with backoff, never lets a dead channel hold up another, and retries the rest on the next run', async () => {
    let failures = 0;
    receiver.statusFor.set('/flaky', () => (failures++ < 2 ? 500 : 200));
    let down = true;
    receiver.statusFor.set('/down', () => (down ? 503 : 200));
    const refused = `http://127.0.0.1:${await closedPort()}/refused/secret-token`;
    const log = capturedLogger();
    const config = {
      alerts: alertsConfig({ webhookUrls: [refused, `${receiver.base}/down`, `${receiver.base}/flaky`], webhookSecret: SECRET }),
      github,
    };
    const first = await checkAlerts(db.db, config, { now: NOW, logger: log.logger, retryDelaysMs: [20, 80] });
    expect(first.delivery).toMatchObject({ delivered: 1, pending: 2, failed: 0 });

    // flaky: two 500s, then 200, with growing waits in between
    const flaky = receiver.received.filter((r) => r.path === '/flaky');
    expect(flaky).toHaveLength(3);
    expect(flaky[1]!.at - flaky[0]!.at).toBeGreaterThanOrEqual(18);
    expect(flaky[2]!.at - flaky[1]!.at).toBeGreaterThanOrEqual(78);
    expect(new Set(flaky.map((r) => JSON.parse(r.body).idempotency_key)).size).toBe(1);

    const rows = async () =>
      Object.fromEntries(
        (await db.db.selectFrom('alert_deliveries').selectAll().execute()).map((d) => [
          config.alerts.webhookUrls.findIndex((u) => d.channel === `webhook:${createHash('sha256').update(u).digest('hex').slice(0, 8)}`),
          d,
        ]),
      );
    let byIndex = await rows();
    expect(byIndex[0]).toMatchObject({ status: 'pending', attempts: 3, last_error: 'connection refused' });
    expect(byIndex[1]).toMatchObject({ status: 'pending', attempts: 3, last_error: 'HTTP 503' });
    expect(byIndex[2]).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
    expect(new Date(byIndex[1]!.next_attempt_at).getTime()).toBe(NOW.getTime() + 5 * 60_000);

    // before the backoff ends, the next run leaves them alone
    const early = await checkAlerts(db.db, config, { now: new Date(NOW.getTime() + 60_000), retryDelaysMs: [1, 1] });
    expect(early.delivery).toMatchObject({ delivered: 0, pending: 0 });
    // the next run after it: the receiver is back and gets the same alert
    down = false;
    const later = await checkAlerts(db.db, config, { now: new Date(NOW.getTime() + 3_600_000), retryDelaysMs: [1, 1] });
    expect(later.created).toHaveLength(0);
    expect(later.delivery).toMatchObject({ delivered: 1, pending: 1 });
    byIndex = await rows();
    expect(byIndex[1]).toMatchObject({ status: 'delivered', attempts: 4 });
    expect(byIndex[0]).toMatchObject({ status: 'pending', attempts: 6 });

    // secrets are never logged nor stored: not the URLs' paths, not the HMAC secret
    const logged = log.text();
    expect(logged).toContain('alert delivery attempt failed');
    for (const secret of ['secret-token', SECRET, '/down', '/flaky', String(receiver.base)]) expect(logged).not.toContain(secret);
    const stored = JSON.stringify(await db.db.selectFrom('alert_deliveries').selectAll().execute());
    expect(stored).not.toContain('127.0.0.1');
  });

  it('greenshoots alerts test reports each channel and fails when one does not answer', async () => {
    receiver.statusFor.set('/broken', () => 500);
    const env = {
      ...db.env,
      ALERT_WEBHOOK_URLS: `${receiver.base}/ok-secret, ${receiver.base}/broken`,
      ALERT_SLACK_WEBHOOK_URLS: `${receiver.base}/slack-secret`,
      ALERT_WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
    };
    const result = await runCli(['alerts', 'test'], env, process.cwd());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^log +ok/m);
    expect(result.stdout).toMatch(/^webhook 1 +ok \(HTTP 200\)/m);
    expect(result.stdout).toMatch(/^webhook 2 +FAILED: HTTP 500 after 3 attempts/m);
    expect(result.stdout).toMatch(/^slack 1 +ok \(HTTP 200\)/m);
    expect(result.stderr).toContain('1 of 4 alert channels did not accept the test message');
    const test = receiver.received.find((r) => r.path === '/ok-secret')!;
    expect(JSON.parse(test.body)).toMatchObject({ type: 'greenshoots.test' });
    for (const secret of ['ok-secret', 'slack-secret', SECRET]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  }, 30_000);
});
