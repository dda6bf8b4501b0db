/** Fresh, throw-away databases for one benchmark run: a PGlite folder or a Postgres database. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config/index.js';

export type BenchDbKind = 'pglite' | 'postgres';

export interface BenchDatabase {
  kind: BenchDbKind;
  /** What the CLI needs in its environment to use this database. */
  env: Record<string, string>;
  config: Config['database'];
  /** Safe to print. */
  location: string;
  drop(): Promise<void>;
}

/** Makes an empty database of `kind`; `adminUrl` is a Postgres server URL to create databases through. */
export async function createBenchDatabase(kind: BenchDbKind, adminUrl: string): Promise<BenchDatabase> {
  if (kind === 'pglite') {
    const parent = mkdtempSync(join(tmpdir(), 'greenshoots-bench-pglite-'));
    const dataDir = join(parent, 'data');
    return {
      kind,
      env: { GREENSHOOTS_DATA_DIR: dataDir },
      config: { kind: 'pglite', dataDir },
      location: dataDir,
      drop: async () => rmSync(parent, { recursive: true, force: true }),
    };
  }
  const name = `greenshoots_bench_${randomBytes(4).toString('hex')}`;
  // The name is ours (hex), but identifiers cannot be bound: quote it as an identifier.
  await adminQuery(adminUrl, `create database ${quoteIdent(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_URL: url.toString() },
    config: { kind: 'postgres', url: url.toString() },
    location: `${url.host}/${name}`,
    drop: () => adminQuery(adminUrl, `drop database if exists ${quoteIdent(name)} with (force)`),
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
