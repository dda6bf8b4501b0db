import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { defaultMigrationsDir, migrate, readMigrationFiles, schemaVersion } from '../../src/db/migrate.js';
import { MigrationError } from '../../src/errors/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it('applies every migration in order, once', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const files = readMigrationFiles();
    const first = await migrate(database.db);
    expect(first.applied).toEqual(files.map((f) => f.name));
    expect(first.version).toBe(files.at(-1)?.name);
    const second = await migrate(database.db);
    expect(second.applied).toEqual([]);
    expect(await schemaVersion(database.db)).toBe(files.at(-1)?.name);
  });

  it('refuses to run when an applied migration file was edited', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-migrations-'));
    cpSync(defaultMigrationsDir(), dir, { recursive: true });
    await migrate(database.db, readMigrationFiles(dir));
    const first = path.join(dir, '0001_landscape.sql');
    writeFileSync(first, `${readFileSync(first, 'utf8')}\n-- edited\n`);
    await expect(migrate(database.db, readMigrationFiles(dir))).rejects.toThrow(MigrationError);
    await expect(migrate(database.db, readMigrationFiles(dir))).rejects.toThrow(/0001_landscape\.sql was edited/);
  });

  it('rolls back a failing migration whole', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-migrations-'));
    cpSync(defaultMigrationsDir(), dir, { recursive: true });
    writeFileSync(path.join(dir, '9999_broken.sql'), 'create table half_done (id int);\nselect no_such_function();\n');
    await expect(migrate(database.db, readMigrationFiles(dir))).rejects.toThrow(/9999_broken failed/);
    const { rows } = await sql<{ t: string | null }>`select to_regclass('half_done')::text as t`.execute(database.db);
    expect(rows[0]?.t).toBeNull();
  });
});

describe.runIf(DATABASE_KINDS.includes('postgres'))('migrations from two processes at once', () => {
  it('applies each migration exactly once', async () => {
    const database = await createTestDatabase('postgres', { migrate: false });
    const other = await openDatabase(database.settings);
    try {
      const results = await Promise.all([migrate(database.db), migrate(other.db), migrate(database.db)]);
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual(readMigrationFiles().map((f) => f.name).sort());
      const { rows } = await sql<{ n: number }>`select count(*) as n from schema_migrations`.execute(database.db);
      expect(rows[0]?.n).toBe(readMigrationFiles().length);
    } finally {
      await other.close();
      await database.drop();
    }
  });
});
