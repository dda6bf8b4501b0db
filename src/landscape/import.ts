import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Maturity, Project } from '../db/schema.js';
import type { ImportPlan, PlannedProject } from './plan.js';

export interface ImportMeta {
  source: string;
  location: string;
  sha256: string;
  onlyFilter: string | null;
}

export interface ImportCounts {
  items: number;
  projects_added: number;
  projects_updated: number;
  projects_unchanged: number;
  projects_restored: number;
  projects_removed: number;
  maturity_changes: number;
  repos_listed: number;
  repos_added: number;
  links_added: number;
  links_removed: number;
  skipped: number;
}

export interface ImportResult {
  importId: number;
  counts: ImportCounts;
  maturityChanges: Array<{ project: string; from: Maturity; to: Maturity }>;
}

const CHUNK = 200;

/**
 * Writes a plan in one transaction, serialised with any other import by an advisory lock:
 * unchanged projects are not touched, new ones are added, changed ones updated (a maturity change is
 * recorded), ones gone from the list are marked removed — never deleted.
 */
export async function applyImport(db: Kysely<Database>, plan: ImportPlan, meta: ImportMeta): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('greenshoots.import'))`.execute(trx);
    const { id: importId } = await trx
      .insertInto('imports')
      .values({
        source: meta.source,
        kind: plan.kind,
        location: meta.location,
        content_sha256: meta.sha256,
        only_filter: meta.onlyFilter,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const counts: ImportCounts = {
      items: plan.itemCount,
      projects_added: 0,
      projects_updated: 0,
      projects_unchanged: 0,
      projects_restored: 0,
      projects_removed: 0,
      maturity_changes: 0,
      repos_listed: plan.repos.length,
      repos_added: 0,
      links_added: 0,
      links_removed: 0,
      skipped: plan.skipped.length,
    };
    const maturityChanges: ImportResult['maturityChanges'] = [];

    const projectIds = await upsertProjects(trx, plan, meta.source, importId, counts, maturityChanges);
    const repoIds = await ensureRepos(trx, plan, importId, counts);
    await syncLinks(trx, plan, projectIds, repoIds, counts);

    await trx
      .updateTable('imports')
      .set({
        finished_at: sql<Date>`now()`,
        counts: JSON.stringify(counts),
        skipped: JSON.stringify(plan.skipped),
      })
      .where('id', '=', importId)
      .execute();
    return { importId, counts, maturityChanges };
  });
}

async function upsertProjects(
  trx: Transaction<Database>,
  plan: ImportPlan,
  source: string,
  importId: number,
  counts: ImportCounts,
  maturityChanges: ImportResult['maturityChanges'],
): Promise<Map<string, number>> {
  const existing = new Map<string, Project>();
  for (const row of await trx.selectFrom('projects').selectAll().where('source', '=', source).execute()) {
    existing.set(row.name_key, row);
  }
  const ids = new Map<string, number>();
  const fresh: PlannedProject[] = [];

  for (const planned of plan.projects) {
    const row = existing.get(planned.nameKey);
    if (!row) {
      fresh.push(planned);
      continue;
    }
    ids.set(planned.nameKey, row.id);
    const restored = row.removed_at !== null;
    if (!restored && row.content_hash === planned.contentHash) {
      counts.projects_unchanged++;
      continue;
    }
    await trx
      .updateTable('projects')
      .set({
        ...projectColumns(planned),
        removed_at: null,
        updated_at: sql<Date>`now()`,
        last_seen_at: sql<Date>`now()`,
        last_import_id: importId,
      })
      .where('id', '=', row.id)
      .execute();
    if (restored) counts.projects_restored++;
    else counts.projects_updated++;
    if (row.maturity !== planned.maturity) {
      await trx
        .insertInto('project_maturity_changes')
        .values({
          project_id: row.id,
          from_maturity: row.maturity,
          to_maturity: planned.maturity,
          effective_on: effectiveDate(planned),
          import_id: importId,
        })
        .execute();
      counts.maturity_changes++;
      maturityChanges.push({ project: planned.name, from: row.maturity, to: planned.maturity });
    }
  }

  for (let i = 0; i < fresh.length; i += CHUNK) {
    const inserted = await trx
      .insertInto('projects')
      .values(
        fresh.slice(i, i + CHUNK).map((planned) => ({
          ...projectColumns(planned),
          source,
          name_key: planned.nameKey,
          first_import_id: importId,
          last_import_id: importId,
        })),
      )
      .returning(['id', 'name_key'])
      .execute();
    for (const row of inserted) ids.set(row.name_key, row.id);
    counts.projects_added += inserted.length;
  }

  const gone = [...existing.values()].filter((row) => row.removed_at === null && !ids.has(row.name_key));
  for (let i = 0; i < gone.length; i += CHUNK) {
    const result = await trx
      .updateTable('projects')
      .set({ removed_at: sql<Date>`now()`, updated_at: sql<Date>`now()`, last_import_id: importId })
      .where('id', 'in', gone.slice(i, i + CHUNK).map((row) => row.id))
      .executeTakeFirst();
    counts.projects_removed += Number(result.numUpdatedRows);
  }
  return ids;
}

/** Finds each listed repo by its name or by the current name GitHub gave it; adds the new ones. */
async function ensureRepos(
  trx: Transaction<Database>,
  plan: ImportPlan,
  importId: number,
  counts: ImportCounts,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const keys = plan.repos.map((r) => r.key);
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    const rows = await trx
      .selectFrom('repos')
      .select(['id', 'full_name_key', 'current_full_name'])
      .where((eb) =>
        eb.or([eb('full_name_key', 'in', chunk), eb(sql<string>`lower(current_full_name)`, 'in', chunk)]),
      )
      .execute();
    for (const row of rows) {
      ids.set(row.full_name_key, row.id);
      if (row.current_full_name) {
        const current = row.current_full_name.toLowerCase();
        if (!ids.has(current)) ids.set(current, row.id);
      }
    }
  }
  const missing = plan.repos.filter((r) => !ids.has(r.key));
  for (let i = 0; i < missing.length; i += CHUNK) {
    const inserted = await trx
      .insertInto('repos')
      .values(
        missing.slice(i, i + CHUNK).map((r) => ({
          owner: r.owner,
          name: r.name,
          full_name_key: r.key,
          created_import_id: importId,
        })),
      )
      .returning(['id', 'full_name_key'])
      .execute();
    for (const row of inserted) ids.set(row.full_name_key, row.id);
    counts.repos_added += inserted.length;
  }
  return ids;
}

async function syncLinks(
  trx: Transaction<Database>,
  plan: ImportPlan,
  projectIds: Map<string, number>,
  repoIds: Map<string, number>,
  counts: ImportCounts,
): Promise<void> {
  const wanted = new Map<string, { project_id: number; repo_id: number; role: 'primary' | 'additional' }>();
  for (const project of plan.projects) {
    const projectId = projectIds.get(project.nameKey) as number;
    for (const { repo, role } of project.repos) {
      const repoId = repoIds.get(repo.key) as number;
      wanted.set(`${projectId}:${repoId}`, { project_id: projectId, repo_id: repoId, role });
    }
  }
  const ids = [...projectIds.values()];
  const current = new Map<string, { role: string; removed: boolean }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('project_repos')
      .select(['project_id', 'repo_id', 'role', 'removed_at'])
      .where('project_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) {
      current.set(`${row.project_id}:${row.repo_id}`, { role: row.role, removed: row.removed_at !== null });
    }
  }

  const fresh = [...wanted].filter(([key]) => !current.has(key)).map(([, link]) => link);
  for (let i = 0; i < fresh.length; i += CHUNK) {
    await trx.insertInto('project_repos').values(fresh.slice(i, i + CHUNK)).execute();
  }
  counts.links_added += fresh.length;

  for (const [key, link] of wanted) {
    const now = current.get(key);
    if (now && (now.removed || now.role !== link.role)) {
      await trx
        .updateTable('project_repos')
        .set({ role: link.role, removed_at: null })
        .where('project_id', '=', link.project_id)
        .where('repo_id', '=', link.repo_id)
        .execute();
      if (now.removed) counts.links_added++;
    }
  }
  for (const [key, link] of current) {
    if (wanted.has(key) || link.removed) continue;
    const [projectId, repoId] = key.split(':').map(Number) as [number, number];
    await trx
      .updateTable('project_repos')
      .set({ removed_at: sql<Date>`now()` })
      .where('project_id', '=', projectId)
      .where('repo_id', '=', repoId)
      .execute();
    counts.links_removed++;
  }
}

function projectColumns(p: PlannedProject) {
  return {
    name: p.name,
    category: p.category,
    subcategory: p.subcategory,
    other_placements: JSON.stringify(p.otherPlacements),
    maturity: p.maturity,
    homepage_url: p.homepageUrl,
    description: p.description,
    parent_project: p.parentProject,
    accepted_on: p.acceptedOn,
    incubating_on: p.incubatingOn,
    graduated_on: p.graduatedOn,
    archived_on: p.archivedOn,
    content_hash: p.contentHash,
  };
}

/** The date the landscape file gives for reaching the new maturity, when it gives one. */
function effectiveDate(p: PlannedProject): string | null {
  switch (p.maturity) {
    case 'incubating':
      return p.incubatingOn;
    case 'graduated':
      return p.graduatedOn;
    case 'archived':
      return p.archivedOn;
    case 'sandbox':
      return p.acceptedOn;
    default:
      return null;
  }
}
