import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The SQL that does the work lives in `sql/trends/*.sql`, one statement per file (PGlite's
 * extended protocol takes one statement per call). Parameters are written as psql variables —
 * `:'full'` or `:full` — so a file runs by hand with `psql -v full=true -f sql/trends/FILE.sql`;
 * here each becomes a bound `$n` parameter: values never enter the SQL text.
 */
export interface SqlFile {
  name: string;
  /** The statement with `$1…$n` placeholders. */
  text: string;
  /** Parameter names, in placeholder order. */
  params: string[];
}

const cache = new Map<string, SqlFile>();

/** Finds sql/trends from the running file, in src/ (tests) as in dist/ (the built command). */
export function trendsSqlDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'sql', 'trends');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the sql/trends folder next to the greenshoots code: reinstall the package');
}

/** Reads `sql/trends/<name>.sql` and turns its psql variables into numbered placeholders. */
export function readSqlFile(name: string): SqlFile {
  const cached = cache.get(name);
  if (cached) return cached;
  const source = readFileSync(path.join(trendsSqlDir(), `${name}.sql`), 'utf8');
  const file = { name, ...bindPsqlVariables(stripComments(source)) };
  cache.set(name, file);
  return file;
}

/** `:'name'` and `:name` (not `::type`) → `$n`, the same name always the same number. */
export function bindPsqlVariables(text: string): { text: string; params: string[] } {
  const params: string[] = [];
  const bound = text.replace(/(?<![:\w]):(?:'([a-z_][a-z0-9_]*)'|([a-z_][a-z0-9_]*))/g, (_m, quoted?: string, bare?: string) => {
    const name = (quoted ?? bare) as string;
    let index = params.indexOf(name);
    if (index < 0) index = params.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text: bound, params };
}

/** Drops `--` comments (they document the file; prose like "e.g.:x" must not become a parameter). */
function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/** Runs one file with its named parameters bound. */
export async function runSqlFile<R = Record<string, unknown>>(
  db: Kysely<Database>,
  name: string,
  values: Record<string, unknown> = {},
): Promise<QueryResult<R>> {
  const file = readSqlFile(name);
  const parameters = file.params.map((param) => {
    if (!(param in values)) throw new Error(`sql/trends/${name}.sql needs the parameter :${param}`);
    return values[param];
  });
  return db.executeQuery<R>(CompiledQuery.raw(file.text, parameters));
}
