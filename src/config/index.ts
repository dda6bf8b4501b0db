import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { LevelWithSilent } from 'pino';
import { ConfigError } from '../errors/index.js';
import { envSchema } from './schema.js';

export { DEFAULT_LANDSCAPE_URL, DEFAULT_GITHUB_API_URL, DEFAULT_DATA_DIR } from './schema.js';

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
  log: { level: LevelWithSilent; format: 'auto' | 'json' | 'pretty' };
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
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
  });
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
