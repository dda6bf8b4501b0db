import { z } from 'zod';
import {
  DEFAULT_ESCALATION_FACTOR,
  DEFAULT_MIN_BASELINE_DAYS,
  DEFAULT_RECENT_DAYS,
  DEFAULT_THRESHOLDS,
} from '../alerts/defaults.js';

export const DEFAULT_LANDSCAPE_URL =
  'https://raw.githubusercontent.com/cncf/landscape/master/landscape.yml';
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_DATA_DIR = './.greenshoots';

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
    } catch {
      return false;
    }
  }, 'must be a postgres:// or postgresql:// connection URL, or unset for the embedded database');

const tokenList = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((token) => token.trim())
          .filter((token) => token.length > 0)
      : [],
  z.array(z.string().regex(/^[\w.-]+$/, 'tokens may hold letters, digits, _ . - only')),
);

/** Comma-separated http(s) URLs (alert webhooks: secrets, so a bad one is reported by position, never echoed). */
const urlList = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((url) => url.trim())
          .filter((url) => url.length > 0)
      : [],
  z.array(httpUrl),
);

const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );

const positive = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().gt(0, 'must be above 0').default(fallback));
const probability = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().gt(0, 'must be above 0').max(1, 'must be at most 1').default(fallback));

/** Every environment variable greenshoots reads; `.env.example` documents each one. */
export const envSchema = z.object({
  DATABASE_URL: z.preprocess(emptyToUndefined, postgresUrl.optional()),
  GREENSHOOTS_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(DEFAULT_DATA_DIR)),
  GITHUB_TOKEN: tokenList,
  GITHUB_TOKENS: tokenList,
  GITHUB_API_URL: z.preprocess(emptyToUndefined, httpUrl.default(DEFAULT_GITHUB_API_URL)),
  GITHUB_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10).default(2)),
  GITHUB_BUDGET_SHARE: z.preprocess(
    emptyToUndefined,
    z.coerce.number().gt(0, 'must be above 0').max(1, 'must be at most 1').default(1),
  ),
  // GraphQL points one collect pass may spend on backfill pages (a hundred pages cost one point).
  HISTORY_BACKFILL_POINTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(100)),
  HISTORY_HORIZON_DAYS: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z
      .union([z.literal('all'), z.coerce.number().int('must be a whole number of days, or all').min(1, 'must be at least 1, or all')])
      .default(365),
  ),
  LANDSCAPE_URL: z.preprocess(emptyToUndefined, httpUrl.default(DEFAULT_LANDSCAPE_URL)),
  LANDSCAPE_FILE: optionalString,
  RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1, 'must be at least 1').default(90)),
  // sessions building a full refresh's daily series at once on a Postgres server (the pool has 4)
  TRENDS_WORKERS: z.preprocess(emptyToUndefined, z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(3, 'must be at most 3').default(2)),
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z.enum(['auto', 'json', 'pretty']).default('auto'),
  ),
  ALERT_WEBHOOK_URLS: urlList,
  ALERT_WEBHOOK_SECRET: optionalString,
  ALERT_SLACK_WEBHOOK_URLS: urlList,
  ALERT_LOG: flag(true),
  ALERT_RECENT_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(90).default(DEFAULT_RECENT_DAYS)),
  ALERT_ESCALATION_FACTOR: z.preprocess(emptyToUndefined, z.coerce.number().gt(1, 'must be above 1').default(DEFAULT_ESCALATION_FACTOR)),
  ALERT_MIN_BASELINE_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(7).max(83).default(DEFAULT_MIN_BASELINE_DAYS)),
  ALERT_STARS_MIN_GAIN: positive(DEFAULT_THRESHOLDS.stars.minGain),
  ALERT_STARS_MIN_RATIO: positive(DEFAULT_THRESHOLDS.stars.minRatio),
  ALERT_STARS_SPIKE_RATIO: positive(DEFAULT_THRESHOLDS.stars.spikeRatio),
  ALERT_STARS_MAX_P: probability(DEFAULT_THRESHOLDS.stars.maxP),
  ALERT_FORKS_MIN_GAIN: positive(DEFAULT_THRESHOLDS.forks.minGain),
  ALERT_FORKS_MIN_RATIO: positive(DEFAULT_THRESHOLDS.forks.minRatio),
  ALERT_FORKS_SPIKE_RATIO: positive(DEFAULT_THRESHOLDS.forks.spikeRatio),
  ALERT_FORKS_MAX_P: probability(DEFAULT_THRESHOLDS.forks.maxP),
  ALERT_NEW_CONTRIBUTORS_MIN_GAIN: positive(DEFAULT_THRESHOLDS.new_contributors.minGain),
  ALERT_NEW_CONTRIBUTORS_MIN_RATIO: positive(DEFAULT_THRESHOLDS.new_contributors.minRatio),
  ALERT_NEW_CONTRIBUTORS_SPIKE_RATIO: positive(DEFAULT_THRESHOLDS.new_contributors.spikeRatio),
  ALERT_NEW_CONTRIBUTORS_MAX_P: probability(DEFAULT_THRESHOLDS.new_contributors.maxP),
});

export type Env = z.infer<typeof envSchema>;
