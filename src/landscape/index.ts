import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { applyImport, type ImportResult } from './import.js';
import { loadList, type ListSource } from './load.js';
import { planImport, type ImportPlan } from './plan.js';

export type { ListSource } from './load.js';
export type { ImportPlan } from './plan.js';
export type { ImportCounts, ImportResult } from './import.js';

export interface ImportOptions {
  source: ListSource;
  /** The list's name in the database; default 'landscape' for landscape.yml, the file's base name for a custom list. */
  sourceName?: string;
  onlyCncf?: boolean;
  dryRun?: boolean;
}

export interface ImportOutcome {
  sourceName: string;
  location: string;
  plan: ImportPlan;
  /** Null on a dry run. */
  result: ImportResult | null;
}

/** Reads a landscape.yml or custom list, plans the import and (unless a dry run) writes it in one transaction. */
export async function importList(db: Kysely<Database>, options: ImportOptions): Promise<ImportOutcome> {
  const loaded = await loadList(options.source);
  const plan = planImport(loaded.parsed, { onlyCncf: options.onlyCncf ?? false });
  const sourceName = options.sourceName ?? defaultSourceName(plan.kind, loaded.location);
  if (options.dryRun) return { sourceName, location: loaded.location, plan, result: null };
  const result = await applyImport(db, plan, {
    source: sourceName,
    location: loaded.location,
    sha256: loaded.sha256,
    onlyFilter: options.onlyCncf ? 'cncf' : null,
  });
  return { sourceName, location: loaded.location, plan, result };
}

function defaultSourceName(kind: ImportPlan['kind'], location: string): string {
  if (kind === 'landscape') return 'landscape';
  const base = location.split(/[\\/]/).pop() ?? 'list';
  return base.replace(/\.(ya?ml|json)$/i, '') || 'list';
}
