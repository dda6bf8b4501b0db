import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { LevelWithSilent } from 'pino';
import { ConfigError } from '../errors/index.js';
import { isValidSchedule } from '../schedule/slots.js';
import { envSchema } from './schema.js';

export { DEFAULT_LANDSCAPE_URL, DEFAULT_GITHUB_API_URL, DEFAULT_DATA_DIR } from './schema.js';

export interface AlertThresholds {
  minGain: number;
  minRatio: number;
  spikeRatio: number;
  maxP: number;
}

export interface AlertsConfig {
  webhookUrls: readonly string[];
  webhookSecret: string | null;
  slackWebhookUrls: readonly string[];
  log: boolean;
  /** Only windows ending within this many days alert (a backfill does not flood anyone). */
  recentDays: number;
  escalationFactor: number;
  minBaselineDays: number;
  thresholds: Readonly<Record<'stars' | 'forks' | 'new_contributors', AlertThresholds>>;
}

/** The typed, frozen settings of one process. Only this module reads `process.env`. */
export interface Config {
  database:
    | { kind: 'postgres'; url: string }
    | { kind: 'pglite'; dataDir: string };
  github: {
    apiUrl: string;
    tokens: readonly string[];
    concurrency: number;
    budgetShare: number;
  };
  landscape: { url: string; file: string | null };
  /** How far back a history backfill reaches, in days; null: the whole history (`all`). */
  history: { horizonDays: number | null; backfillPointsPerPass: number };
  /** Hourly snapshots of days older than retentionDays are compacted to one per day. */
  trends: { retentionDays: number; workers: number };
  log: { level: LevelWithSilent; format: 'auto' | 'json' | 'pretty' };
  /** Cron overrides by job name, from SCHEDULE_<JOB_NAME> (e.g. SCHEDULE_COLLECT='15 * * * *'). */
  schedules: Readonly<Record<string, string>>;
  /** Alert channels and thresholds (ALERT_*; docs/metrics.md "Alerts"). URLs and the secret are never logged. */
  alerts: AlertsConfig;
}

/**
 * Reads `.env` from `cwd` when present (the real environment wins), validates every variable and
 * returns frozen settings. A bad value throws ConfigError naming the variable.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Readonly<Config> {
  const merged = { ...readDotenv(cwd), ...env };
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid value'} (fix it in the environment or .env)`);
  }
  const e = parsed.data;
  const tokens = [...new Set([...e.GITHUB_TOKENS, ...e.GITHUB_TOKEN])];
  return deepFreeze<Config>({
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.resolve(cwd, e.GREENSHOOTS_DATA_DIR) },
    github: {
      apiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''),
      tokens,
      concurrency: e.GITHUB_CONCURRENCY,
      budgetShare: e.GITHUB_BUDGET_SHARE,
    },
    landscape: {
      url: e.LANDSCAPE_URL,
      file: e.LANDSCAPE_FILE ? path.resolve(cwd, e.LANDSCAPE_FILE) : null,
    },
    history: {
      horizonDays: e.HISTORY_HORIZON_DAYS === 'all' ? null : e.HISTORY_HORIZON_DAYS,
      backfillPointsPerPass: e.HISTORY_BACKFILL_POINTS,
    },
    trends: { retentionDays: e.RETENTION_DAYS, workers: e.TRENDS_WORKERS },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    schedules: readSchedules(merged),
    alerts: {
      webhookUrls: e.ALERT_WEBHOOK_URLS,
      webhookSecret: e.ALERT_WEBHOOK_SECRET ?? null,
      slackWebhookUrls: e.ALERT_SLACK_WEBHOOK_URLS,
      log: e.ALERT_LOG,
      recentDays: e.ALERT_RECENT_DAYS,
      escalationFactor: e.ALERT_ESCALATION_FACTOR,
      minBaselineDays: e.ALERT_MIN_BASELINE_DAYS,
      thresholds: {
        stars: { minGain: e.ALERT_STARS_MIN_GAIN, minRatio: e.ALERT_STARS_MIN_RATIO, spikeRatio: e.ALERT_STARS_SPIKE_RATIO, maxP: e.ALERT_STARS_MAX_P },
        forks: { minGain: e.ALERT_FORKS_MIN_GAIN, minRatio: e.ALERT_FORKS_MIN_RATIO, spikeRatio: e.ALERT_FORKS_SPIKE_RATIO, maxP: e.ALERT_FORKS_MAX_P },
        new_contributors: {
          minGain: e.ALERT_NEW_CONTRIBUTORS_MIN_GAIN,
          minRatio: e.ALERT_NEW_CONTRIBUTORS_MIN_RATIO,
          spikeRatio: e.ALERT_NEW_CONTRIBUTORS_SPIKE_RATIO,
          maxP: e.ALERT_NEW_CONTRIBUTORS_MAX_P,
        },
      },
    },
  });
}

/** SCHEDULE_LANDSCAPE_IMPORT → job 'landscape-import'; each value must be a valid cron expression. */
function readSchedules(env: Record<string, string | undefined>): Record<string, string> {
  const schedules: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^SCHEDULE_([A-Z0-9_]+)$/.exec(name);
    if (!match || value === undefined || value.trim() === '') continue;
    if (!isValidSchedule(value.trim())) {
      throw new ConfigError(`${name}: "${value}" is not a cron expression (e.g. '0 * * * *' for hourly) (fix it in the environment or .env)`);
    }
    schedules[(match[1] as string).toLowerCase().replace(/_/g, '-')] = value.trim();
  }
  return schedules;
}

function readDotenv(cwd: string): Record<string, string> {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return {};
  try {
    return parseDotenv(readFileSync(file));
  } catch (err) {
    throw new ConfigError(`.env: cannot be read (${(err as Error).message})`, { cause: err });
  }
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
