import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Document, parseDocument } from 'yaml';
import { InputError } from '../../src/errors/index.js';
import { importList } from '../../src/landscape/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { LANDSCAPE_FILE, landscapeItems, landscapeText } from '../helpers/landscape.js';

/** Every row of the tables an import writes, to compare before and after. */
async function tablesSnapshot(db: TestDatabase['db']) {
  return {
    projects: (await sql`select * from projects order by id`.execute(db)).rows,
    repos: (await sql`select * from repos order by id`.execute(db)).rows,
    links: (await sql`select * from project_repos order by project_id, repo_id`.execute(db)).rows,
    changes: (await sql`select * from project_maturity_changes order by id`.execute(db)).rows,
  };
}

/** A copy of the real landscape with `edit` applied to its YAML document. */
function editedLandscape(edit: (doc: Document) => void): string {
  const doc = parseDocument(landscapeText());
  edit(doc);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-landscape-'));
  const file = path.join(dir, 'landscape.yml');
  writeFileSync(file, doc.toString());
  return file;
}

/** The YAML path of the first item named `name`. */
function itemPath(name: string): Array<string | number> {
  const items = landscapeItems();
  const doc = parseDocument(landscapeText()).toJS() as {
    landscape: Array<{ subcategories?: Array<{ items?: Array<{ name: string }> }> }>;
  };
  for (const [c, category] of doc.landscape.entries()) {
    for (const [s, subcategory] of (category.subcategories ?? []).entries()) {
      const i = (subcategory.items ?? []).findIndex((item) => item.name === name);
      if (i >= 0) return ['landscape', c, 'subcategories', s, 'items', i];
    }
  }
  throw new Error(`no item ${name} among ${items.length}`);
}

describe.each(DATABASE_KINDS)('landscape import on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('imports the real landscape: Kubernetes is graduated with kubernetes/kubernetes', async () => {
    const outcome = await importList(database.db, { source: { file: LANDSCAPE_FILE } });
    expect(outcome.result?.counts.projects_added).toBe(outcome.plan.projects.length);
    const { rows } = await sql<{ maturity: string; repo: string; role: string }>`
      select p.maturity, r.owner || '/' || r.name as repo, pr.role
      from projects p join project_repos pr on pr.project_id = p.id join repos r on r.id = pr.repo_id
      where p.name = 'Kubernetes'`.execute(database.db);
    expect(rows).toEqual([{ maturity: 'graduated', repo: 'kubernetes/kubernetes', role: 'primary' }]);
  });

  it('has as many graduated projects as the file has graduated items', async () => {
    const inFile = landscapeItems().filter(({ item }) => item.project === 'graduated').length;
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from projects where maturity = 'graduated' and removed_at is null`.execute(database.db);
    expect(rows[0]?.n).toBe(inFile);
  });

  it('tracks each repo once and records the import with its counts and skipped entries', async () => {
    const { rows } = await sql<{ repos: number; keys: number; tracked: number }>`
      select (select count(*) from repos) as repos,
             (select count(distinct full_name_key) from repos) as keys,
             (select count(*) from tracked_repos) as tracked`.execute(database.db);
    expect(rows[0]?.repos).toBe(rows[0]?.keys);
    expect(rows[0]?.tracked).toBe(rows[0]?.repos);
    const record = await database.db.selectFrom('imports').selectAll().executeTakeFirstOrThrow();
    expect(record).toMatchObject({ source: 'landscape', kind: 'landscape', location: LANDSCAPE_FILE });
    expect(record.finished_at).toBeInstanceOf(Date);
    expect(record.counts.repos_added).toBe(rows[0]?.repos);
    expect(record.skipped).toContainEqual({ reason: 'GitHub organisation, not a repository', item: 'TensorFlow', url: 'https://github.com/tensorflow' });
  });

  it('changes nothing on a second import of the same file', async () => {
    const before = await tablesSnapshot(database.db);
    const outcome = await importList(database.db, { source: { file: LANDSCAPE_FILE } });
    expect(outcome.result?.counts).toMatchObject({
      projects_added: 0,
      projects_updated: 0,
      projects_removed: 0,
      repos_added: 0,
      links_added: 0,
      links_removed: 0,
      maturity_changes: 0,
    });
    expect(await tablesSnapshot(database.db)).toEqual(before);
  });

  it('reflects an edited copy exactly: one item removed, one promoted', async () => {
    const before = await tablesSnapshot(database.db);
    const promote = [...itemPath('Atlantis'), 'project'];
    const remove = itemPath('Akri'); // paths are taken before either edit shifts the list
    const file = editedLandscape((doc) => {
      doc.setIn(promote, 'incubating');
      doc.deleteIn(remove);
    });
    const outcome = await importList(database.db, { source: { file } });
    expect(outcome.result?.counts).toMatchObject({ projects_removed: 1, projects_updated: 1, projects_added: 0, maturity_changes: 1 });
    expect(outcome.result?.maturityChanges).toEqual([{ project: 'Atlantis', from: 'sandbox', to: 'incubating' }]);

    const akri = await database.db.selectFrom('projects').selectAll().where('name', '=', 'Akri').executeTakeFirstOrThrow();
    expect(akri.removed_at).not.toBeNull();
    const akriRepo = await sql<{ n: number }>`
      select count(*) as n from tracked_repos where full_name_key = 'project-akri/akri'`.execute(database.db);
    expect(akriRepo.rows[0]?.n).toBe(0);

    const change = await sql<{ from_maturity: string; to_maturity: string; changed_at: Date }>`
      select c.from_maturity, c.to_maturity, c.changed_at from project_maturity_changes c
      join projects p on p.id = c.project_id where p.name = 'Atlantis'`.execute(database.db);
    expect(change.rows).toHaveLength(1);
    expect(change.rows[0]).toMatchObject({ from_maturity: 'sandbox', to_maturity: 'incubating' });
    expect(change.rows[0]?.changed_at).toBeInstanceOf(Date);

    // Every other project row is exactly as it was.
    const after = await tablesSnapshot(database.db);
    const others = (rows: Array<Record<string, unknown>>) => rows.filter((r) => r.name !== 'Akri' && r.name !== 'Atlantis');
    expect(others(after.projects as Array<Record<string, unknown>>)).toEqual(others(before.projects as Array<Record<string, unknown>>));
    expect(after.repos).toEqual(before.repos);
  });

  it('restores a removed project when it comes back, without a duplicate', async () => {
    const outcome = await importList(database.db, { source: { file: LANDSCAPE_FILE } });
    expect(outcome.result?.counts).toMatchObject({ projects_restored: 1, projects_added: 0 });
    const akri = await database.db.selectFrom('projects').selectAll().where('name', '=', 'Akri').execute();
    expect(akri).toHaveLength(1);
    expect(akri[0]?.removed_at).toBeNull();
  });

  it('writes nothing when the file is malformed', async () => {
    const before = await tablesSnapshot(database.db);
    const imports = await sql<{ n: number }>`select count(*) as n from imports`.execute(database.db);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-bad-'));
    const file = path.join(dir, 'landscape.yml');
    writeFileSync(file, 'landscape:\n  - category:\n    name: [unclosed\n');
    await expect(importList(database.db, { source: { file } })).rejects.toThrow(InputError);
    await expect(importList(database.db, { source: { file } })).rejects.toThrow(/invalid YAML at line \d+/);
    expect(await tablesSnapshot(database.db)).toEqual(before);
    expect((await sql<{ n: number }>`select count(*) as n from imports`.execute(database.db)).rows).toEqual(imports.rows);
  });

  it('imports a custom list as its own source, next to the landscape', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-list-'));
    const file = path.join(dir, 'portfolio.yml');
    writeFileSync(file, 'Mine:\n  - https://github.com/kubernetes/kubernetes\n  - acme/rocket\n');
    const outcome = await importList(database.db, { source: { file } });
    expect(outcome.sourceName).toBe('portfolio');
    expect(outcome.result?.counts).toMatchObject({ projects_added: 1, repos_added: 1, links_added: 2 });
    const landscapeStillThere = await sql<{ n: number }>`
      select count(*) as n from projects where source = 'landscape' and removed_at is null`.execute(database.db);
    expect(landscapeStillThere.rows[0]?.n).toBeGreaterThan(900);
  });
});
