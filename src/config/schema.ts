import { z } from 'zod';

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
  LANDSCAPE_URL: z.preprocess(emptyToUndefined, httpUrl.default(DEFAULT_LANDSCAPE_URL)),
  LANDSCAPE_FILE: optionalString,
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z.enum(['auto', 'json', 'pretty']).default('auto'),
  ),
});

export type Env = z.infer<typeof envSchema>;
