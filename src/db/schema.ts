import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types, one per table, mirroring sql/migrations/*.sql (the SQL is the source of truth;
 * change both together). bigint columns are parsed to JS numbers (see src/db/types.ts).
 */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb with a default: written as JSON text, read back parsed. */
type Json<T> = ColumnType<T, string | undefined, string>;

export type Maturity = 'sandbox' | 'incubating' | 'graduated' | 'archived' | 'none';
export type RepoStatus = 'pending' | 'active' | 'moved' | 'not_found' | 'blocked' | 'error';

export interface Placement {
  category: string;
  subcategory: string;
}

export interface SkippedEntry {
  reason: string;
  item: string;
  url: string | null;
}

/** sql/migrations/0001_landscape.sql */
export interface ImportsTable {
  id: Generated<number>;
  source: string;
  kind: 'landscape' | 'list';
  location: string;
  content_sha256: string;
  only_filter: string | null;
  started_at: CreatedAt;
  finished_at: Date | null;
  counts: Json<Record<string, number>>;
  skipped: Json<SkippedEntry[]>;
}

/** sql/migrations/0001_landscape.sql */
export interface ProjectsTable {
  id: Generated<number>;
  source: string;
  name: string;
  name_key: string;
  category: string | null;
  subcategory: string | null;
  other_placements: Json<Placement[]>;
  maturity: Maturity;
  homepage_url: string | null;
  description: string | null;
  parent_project: string | null;
  accepted_on: string | null;
  incubating_on: string | null;
  graduated_on: string | null;
  archived_on: string | null;
  content_hash: string;
  first_seen_at: CreatedAt;
  last_seen_at: CreatedAt;
  updated_at: CreatedAt;
  removed_at: Date | string | null;
  first_import_id: number | null;
  last_import_id: number | null;
}

/** sql/migrations/0001_landscape.sql */
export interface ProjectMaturityChangesTable {
  id: Generated<number>;
  project_id: number;
  from_maturity: Maturity;
  to_maturity: Maturity;
  changed_at: CreatedAt;
  effective_on: string | null;
  import_id: number;
}

/** sql/migrations/0001_landscape.sql */
export interface ReposTable {
  id: Generated<number>;
  owner: string;
  name: string;
  full_name_key: string;
  github_id: number | null;
  current_full_name: string | null;
  status: ColumnType<RepoStatus, RepoStatus | undefined, RepoStatus>;
  status_reason: string | null;
  status_changed_at: Date | string | null;
  next_check_at: Date | string | null;
  first_seen_at: CreatedAt;
  created_import_id: number | null;
}

/** sql/migrations/0001_landscape.sql */
export interface ProjectReposTable {
  project_id: number;
  repo_id: number;
  role: 'primary' | 'additional';
  first_seen_at: CreatedAt;
  removed_at: Date | string | null;
}

export interface Database {
  imports: ImportsTable;
  projects: ProjectsTable;
  project_maturity_changes: ProjectMaturityChangesTable;
  repos: ReposTable;
  project_repos: ProjectReposTable;
  tracked_repos: ReposTable;
}

export type Project = Selectable<ProjectsTable>;
export type NewProject = Insertable<ProjectsTable>;
export type ProjectUpdate = Updateable<ProjectsTable>;
export type Repo = Selectable<ReposTable>;
export type ImportRecord = Selectable<ImportsTable>;
