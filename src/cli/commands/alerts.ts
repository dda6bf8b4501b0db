import { Option, type Command } from 'commander';
import { alertChannels, checkAlerts, describeAlert, alertPayload, githubWebUrl, listAlerts, sendToChannel, type AlertPayload } from '../../alerts/index.js';
import { GreenshootsError, UsageError } from '../../errors/index.js';
import { OUTPUT_FORMATS, formatRows, type OutputFormat } from '../format.js';
import { print, withDatabase, type CommandContext } from '../context.js';

/** `alerts test` reached some channels but not all (exit 1). */
export class AlertDeliveryError extends GreenshootsError {
  constructor(message: string) {
    super('ALERT_DELIVERY', message, { exitCode: 1 });
  }
}

export function registerAlerts(program: Command, context: () => CommandContext): void {
  const alerts = program.command('alerts').description('traction alerts: detect, list, and test the channels');

  alerts
    .command('check')
    .description('detect alerts on the last complete days and send pending ones to every channel')
    .action(async () => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        const result = await checkAlerts(db, ctx.config, { logger: ctx.logger.child({ component: 'alerts' }) });
        const githubUrl = githubWebUrl(ctx.config.github.apiUrl);
        const lines = [
          `checked ${result.from} → ${result.through}: ${result.evaluated} repo signals evaluated, ` +
            `${result.lackingBaseline} without enough days for a baseline yet`,
          result.created.length === 0 ? 'no new alerts' : `${result.created.length} new alert${result.created.length === 1 ? '' : 's'}:`,
          ...result.created.map((a) => `  #${a.id} ${alertPayload(a, githubUrl).text}`),
          ...result.delivery.byChannel.map(
            (c) =>
              `${c.label.padEnd(10)} ${c.delivered} delivered, ${c.pending} to retry, ${c.failed} given up` +
              (c.lastError ? ` (last error: ${c.lastError})` : ''),
          ),
        ];
        if (alertChannels(ctx.config.alerts).length === 0) lines.push('no channels configured: set ALERT_WEBHOOK_URLS, ALERT_SLACK_WEBHOOK_URLS or ALERT_LOG=true');
        print(ctx, lines.join('\n'));
      });
    });

  alerts
    .command('list')
    .description('list alerts with their evidence and delivery status, newest first')
    .option('--since <when>', "only alerts created since: a date (2026-05-01), a time, or an age like 7d or 12h", '30d')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .action(async (flags: { since: string; format: OutputFormat }) => {
      const ctx = context();
      const since = parseSince(flags.since, new Date());
      await withDatabase(ctx, async ({ db }) => {
        const rows = await listAlerts(db, since);
        if (flags.format === 'json') {
          print(ctx, formatRows(rows as unknown as Record<string, unknown>[], 'json'));
          return;
        }
        const table = rows.map((a) => ({
          id: a.id,
          created: new Date(a.created_at).toISOString().slice(0, 16).replace('T', ' '),
          kind: a.escalation ? `${a.kind}+` : a.kind,
          signal: a.signal,
          repo: a.repo,
          project: a.project,
          window: a.window_start && a.window_start !== a.window_end ? `${a.window_start}…${a.window_end}` : a.window_end,
          observed: a.observed,
          expected: a.expected === null ? null : Math.round(a.expected * 10) / 10,
          ratio: a.ratio === null ? null : Math.round(a.ratio * 10) / 10,
          p: a.p_value === null ? null : Number(a.p_value.toPrecision(2)),
          deliveries: a.deliveries.map((d) => `${d.channel}:${d.status}${d.status === 'delivered' ? '' : `(${d.attempts}${d.last_error ? `, ${d.last_error}` : ''})`}`).join(' '),
        }));
        print(ctx, formatRows(table, flags.format, ['id', 'created', 'kind', 'signal', 'repo', 'project', 'window', 'observed', 'expected', 'ratio', 'p', 'deliveries']));
      });
    });

  alerts
    .command('test')
    .description('send a test message to each configured channel and say how each answered')
    .action(async () => {
      const ctx = context();
      const channels = alertChannels(ctx.config.alerts);
      if (channels.length === 0) {
        throw new UsageError('no alert channels configured: set ALERT_WEBHOOK_URLS, ALERT_SLACK_WEBHOOK_URLS or ALERT_LOG=true');
      }
      const payload = testPayload(githubWebUrl(ctx.config.github.apiUrl));
      const results = await Promise.all(
        channels.map(async (channel) => ({
          channel,
          started: Date.now(),
          result: await sendToChannel(channel, payload, { logger: ctx.logger.child({ component: 'alerts' }), webhookSecret: ctx.config.alerts.webhookSecret }),
        })),
      );
      const lines = results.map(({ channel, result, started }) =>
        result.ok
          ? `${channel.label.padEnd(10)} ok${result.status ? ` (HTTP ${result.status})` : ''} in ${Date.now() - started} ms [${channel.id}]`
          : `${channel.label.padEnd(10)} FAILED: ${result.error} after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'} [${channel.id}]`,
      );
      const signed = ctx.config.alerts.webhookSecret && ctx.config.alerts.webhookUrls.length > 0 ? ['webhooks are signed (x-greenshoots-signature-256)'] : [];
      print(ctx, [...lines, ...signed].join('\n'));
      const failed = results.filter((r) => !r.result.ok).length;
      if (failed > 0) throw new AlertDeliveryError(`${failed} of ${channels.length} alert channels did not accept the test message`);
    });
}

/** A date, a date-time, or an age (`7d`, `12h`, `30m`) before `now`. */
export function parseSince(text: string, now: Date): Date {
  const age = /^(\d+)\s*([dhm])$/i.exec(text.trim());
  if (age) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[(age[2] as string).toLowerCase() as 'd' | 'h' | 'm'];
    return new Date(now.getTime() - Number(age[1]) * unit);
  }
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00:00Z` : text.trim());
  if (Number.isNaN(t)) throw new UsageError(`--since: "${text}" is neither a date (2026-05-01), a time, nor an age like 7d`);
  return new Date(t);
}

function testPayload(githubUrl: string): AlertPayload {
  const key = `test:${new Date().toISOString()}`;
  const alert: AlertPayload['alert'] = {
    id: null,
    kind: 'breakout',
    signal: 'stars',
    escalation: false,
    repo: 'greenshoots/test',
    repo_url: `${githubUrl}/greenshoots/test`,
    project: 'greenshoots test',
    project_url: null,
    window: { days: 2, start: null, end: new Date().toISOString().slice(0, 10) },
    observed: 120,
    expected: 20,
    ratio: 6,
    p_value: 1e-12,
    score: 12,
    baseline: { days: 28, mean_per_day: 10, nb_size: null },
    thresholds: {},
    details: {},
    episode_key: key,
    created_at: new Date().toISOString(),
  };
  return { type: 'greenshoots.test', idempotency_key: key, text: `Test message — ${describeAlert(alert)}`, alert };
}
