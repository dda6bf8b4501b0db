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
  // 0002_snapshots.sql: GitHub's description of the repo, refreshed by the collector.
  node_id: string | null;
  github_created_at: Date | string | null;
  description: string | null;
  homepage_url: string | null;
  primary_language: string | null;
  license_spdx: string | null;
  topics: Json<string[]>;
  is_fork: boolean | null;
  fork_of: string | null;
  archived: boolean | null;
  metadata_updated_at: Date | string | null;
  last_observed_at: Date | string | null;
  failures: ColumnType<number, number | undefined, number>;
  contributors_etag: string | null;
  contributors_count: number | null;
  contributors_checked_at: Date | string | null;
  contributors_status: 'ok' | 'empty' | 'too_large' | 'error' | null;
}

/** sql/migrations/0002_snapshots.sql */
export interface RepoNamesTable {
  repo_id: number;
  full_name: string;
  first_seen_at: CreatedAt;
  last_seen_at: CreatedAt;
}

export type CollectRunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted';

/** sql/migrations/0002_snapshots.sql */
export interface CollectRunsTable {
  id: Generated<number>;
  kind: ColumnType<string, string | undefined, string>;
  status: ColumnType<CollectRunStatus, CollectRunStatus | undefined, CollectRunStatus>;
  started_at: CreatedAt;
  finished_at: Date | string | null;
  repos_total: Generated<number>;
  repos_observed: Generated<number>;
  repos_failed: Generated<number>;
  repos_skipped: Generated<number>;
  graphql_requests: Generated<number>;
  graphql_points: Generated<number>;
  rest_requests: Generated<number>;
  rest_not_modified: Generated<number>;
  rate_limit_waits: Generated<number>;
  retries: Generated<number>;
  batch_size_final: number | null;
  errors: Json<Array<{ repo: string; reason: string }>>;
  message: string | null;
}

/** sql/migrations/0002_snapshots.sql */
export interface RepoSnapshotsTable {
  repo_id: number;
  observed_at: Date | string;
  run_id: number | null;
  source: ColumnType<'graphql' | 'rest', 'graphql' | 'rest' | undefined, 'graphql' | 'rest'>;
  clock_source: ColumnType<'server' | 'local', 'server' | 'local' | undefined, 'server' | 'local'>;
  full_name: string;
  stars: number;
  forks: number;
  watchers: number | null;
  open_issues: number | null;
  open_prs: number | null;
  releases: number | null;
  latest_release_tag: string | null;
  latest_release_at: Date | string | null;
  pushed_at: Date | string | null;
  archived: boolean | null;
}

/** sql/migrations/0007_snapshot_days.sql: each repo's last snapshot of each UTC day, kept by triggers. */
export interface RepoSnapshotDaysTable {
  repo_id: number;
  day: string;
  observed_at: Date | string;
  stars: number;
  forks: number;
  open_issues: number | null;
  open_prs: number | null;
}

/** sql/migrations/0002_snapshots.sql */
export interface RepoContributorCountsTable {
  repo_id: number;
  observed_at: Date | string;
  run_id: number | null;
  contributors: number;
  not_modified: ColumnType<boolean, boolean | undefined, boolean>;
}

/** sql/migrations/0001_landscape.sql */
export interface ProjectReposTable {
  project_id: number;
  repo_id: number;
  role: 'primary' | 'additional';
  first_seen_at: CreatedAt;
  removed_at: Date | string | null;
}

/** sql/migrations/0003_history.sql */
export interface RepoForksTable {
  repo_id: number;
  fork_id: number;
  full_name: string;
  created_at: Date | string;
  source: ColumnType<'graphql' | 'rest', 'graphql' | 'rest' | undefined, 'graphql' | 'rest'>;
  seen_at: CreatedAt;
}

/** sql/migrations/0003_history.sql */
export interface RepoReleasesTable {
  repo_id: number;
  tag_name: string;
  name: string | null;
  created_at: Date | string;
  published_at: Date | string | null;
  is_prerelease: ColumnType<boolean, boolean | undefined, boolean>;
  is_draft: ColumnType<boolean, boolean | undefined, boolean>;
  source: ColumnType<'graphql' | 'rest', 'graphql' | 'rest' | undefined, 'graphql' | 'rest'>;
  seen_at: CreatedAt;
}

/** sql/migrations/0003_history.sql */
export interface RepoCommitsTable {
  repo_id: number;
  oid: string;
  committed_at: Date | string;
  author_key: string | null;
  author_login: string | null;
  source: ColumnType<'graphql' | 'rest', 'graphql' | 'rest' | undefined, 'graphql' | 'rest'>;
  seen_at: CreatedAt;
}

/** sql/migrations/0003_history.sql */
export interface RepoStarsTable {
  repo_id: number;
  user_login: string;
  starred_at: Date | string;
  source: 'graphql' | 'rest' | 'events';
  seen_at: CreatedAt;
}

export type HistoryStream = 'forks' | 'releases' | 'commits' | 'stars';

/** sql/migrations/0003_history.sql */
export interface RepoStreamsTable {
  repo_id: number;
  stream: HistoryStream;
  newest_at: Date | string | null;
  oldest_at: Date | string | null;
  backfill_cursor: string | null;
  backfill_done: ColumnType<boolean, boolean | undefined, boolean>;
  horizon_at: Date | string | null;
  restricted: ColumnType<boolean, boolean | undefined, boolean>;
  restricted_reason: string | null;
  checked_at: Date | string | null;
  next_check_at: Date | string | null;
  reported_total: number | null;
  stored_total: number | null;
  drift_noted_at: Date | string | null;
  catchup_cursor: string | null;
  catchup_until: Date | string | null;
  before_horizon_total: number | null;
}

/** sql/migrations/0003_history.sql (view) */
export interface RepoContributorFirstSeenView {
  repo_id: number;
  author_key: string;
  first_commit_at: Date;
  commits: number;
}

export type JobRunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'skipped';

/** sql/migrations/0006_jobs.sql */
export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  slot: Date | string | null;
  trigger: 'schedule' | 'catch-up' | 'manual';
  status: ColumnType<JobRunStatus, JobRunStatus | undefined, JobRunStatus>;
  started_at: CreatedAt;
  finished_at: Date | string | null;
  process: string;
  error: string | null;
}

export type StarsSource = 'observed' | 'interpolated' | 'star_list' | 'none';
export type ForksSource = 'observed' | 'interpolated' | 'fork_list' | 'none';

/** sql/migrations/0004_trends.sql (written only by sql/trends/*.sql) */
export interface RepoDailyTable {
  repo_id: number;
  day: string;
  repo: string;
  stars: number | null;
  stars_new: number | null;
  stars_source: StarsSource;
  forks: number | null;
  forks_new: number | null;
  forks_source: ForksSource;
  contributors: number | null;
  new_contributors: number | null;
  commits: number | null;
  releases: number | null;
  open_issues: number | null;
  open_prs: number | null;
}

/** Trend columns shared by repo_trends and project_trends (sql/migrations/0004_trends.sql). */
interface TrendColumns {
  as_of: string | null;
  created_on: string | null;
  coverage_days: number | null;
  stars: number | null;
  stars_gained_1d: number | null;
  stars_gained_7d: number | null;
  stars_gained_30d: number | null;
  stars_gained_90d: number | null;
  stars_growth_7d: number | null;
  stars_growth_30d: number | null;
  stars_growth_90d: number | null;
  stars_growth_annualised: number | null;
  stars_per_day_7d: number | null;
  stars_per_day_prior_28d: number | null;
  stars_acceleration: number | null;
  forks: number | null;
  forks_gained_30d: number | null;
  forks_gained_90d: number | null;
  forks_growth_30d: number | null;
  forks_growth_90d: number | null;
  forks_acceleration: number | null;
  commits_30d: number | null;
  commits_365d: number | null;
  new_contributors_30d: number | null;
  new_contributors_prev_30d: number | null;
  new_contributors_90d: number | null;
  new_contributors_prev_90d: number | null;
  active_contributors_30d: number | null;
  active_contributors_prev_30d: number | null;
  bus_factor: number | null;
  releases_365d: number | null;
  release_interval_median_days: number | null;
  days_since_last_release: number | null;
  days_since_last_push: number | null;
  stars_growth_30d_pct_category: number | null;
  stars_growth_30d_pct_maturity: number | null;
}

/** sql/migrations/0004_trends.sql */
export interface RepoTrendsTable extends TrendColumns {
  repo_id: number;
  repo: string;
  project: string | null;
  category: string | null;
  maturity: Maturity | null;
  as_of: string;
  first_day: string;
  coverage_days: number;
  stars_growth_1d: number | null;
  forks_gained_1d: number | null;
  forks_gained_7d: number | null;
  forks_per_day_7d: number | null;
  forks_per_day_prior_28d: number | null;
  active_contributors_90d: number | null;
  active_contributors_prev_90d: number | null;
}

/** sql/migrations/0004_trends.sql */
export interface ProjectTrendsTable extends TrendColumns {
  project_id: number;
  project: string;
  source: string;
  category: string | null;
  subcategory: string | null;
  maturity: Maturity;
  repos: number;
  repos_with_stars: number;
}

/** sql/migrations/0004_trends.sql (view; numeric columns rounded) */
export interface GreenShootsView {
  rank: number;
  project_id: number;
  project: string;
  maturity: Maturity;
  category: string | null;
  as_of: string | null;
  score: number;
  traction: number;
  signals: number;
  star_growth_score: number;
  star_acceleration_score: number | null;
  fork_growth_score: number | null;
  contributor_growth_score: number | null;
  release_score: number | null;
  size_weight: number;
  age_weight: number;
  stars: number | null;
  stars_gained_30d: number | null;
  stars_growth_30d: number | null;
  stars_acceleration: number | null;
  forks: number | null;
  forks_gained_30d: number | null;
  new_contributors_90d: number | null;
  new_contributors_prev_90d: number | null;
  releases_365d: number | null;
  created_on: string | null;
}

export type AlertKind = 'spike' | 'breakout' | 'maturity_change' | 'first_release' | 'major_release';
export type AlertSignal = 'stars' | 'forks' | 'new_contributors' | 'maturity' | 'releases';
export type AlertDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** sql/migrations/0005_alerts.sql */
export interface AlertsTable {
  id: Generated<number>;
  idempotency_key: string;
  kind: AlertKind;
  signal: AlertSignal;
  escalation: ColumnType<boolean, boolean | undefined, boolean>;
  repo_id: number | null;
  repo: string | null;
  project_id: number | null;
  project: string | null;
  episode_key: string;
  window_days: number | null;
  window_start: string | null;
  window_end: string | null;
  observed: number | null;
  expected: number | null;
  ratio: number | null;
  p_value: number | null;
  score: number | null;
  peak: number | null;
  baseline_days: number | null;
  baseline_mean: number | null;
  baseline_size: number | null;
  thresholds: Json<Record<string, unknown>>;
  details: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

/** sql/migrations/0005_alerts.sql */
export interface AlertSignalStateTable {
  repo_id: number;
  signal: 'stars' | 'forks' | 'new_contributors';
  evaluated_through: string;
  episode_started_on: string | null;
  episode_peak: number | null;
  episode_alerts: ColumnType<number, number | undefined, number>;
  last_alert_id: number | null;
  updated_at: CreatedAt;
}

/** sql/migrations/0005_alerts.sql */
export interface AlertDeliveriesTable {
  alert_id: number;
  channel: string;
  status: ColumnType<AlertDeliveryStatus, AlertDeliveryStatus | undefined, AlertDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: CreatedAt;
  delivered_at: Date | string | null;
  updated_at: CreatedAt;
}

export interface Database {
  imports: ImportsTable;
  projects: ProjectsTable;
  project_maturity_changes: ProjectMaturityChangesTable;
  repos: ReposTable;
  project_repos: ProjectReposTable;
  tracked_repos: ReposTable;
  repo_names: RepoNamesTable;
  collect_runs: CollectRunsTable;
  repo_snapshots: RepoSnapshotsTable;
  repo_snapshot_days: RepoSnapshotDaysTable;
  latest_snapshots: RepoSnapshotsTable;
  repo_contributor_counts: RepoContributorCountsTable;
  repo_forks: RepoForksTable;
  repo_releases: RepoReleasesTable;
  repo_commits: RepoCommitsTable;
  repo_stars: RepoStarsTable;
  repo_streams: RepoStreamsTable;
  repo_contributor_first_seen: RepoContributorFirstSeenView;
  repo_daily: RepoDailyTable;
  repo_trends: RepoTrendsTable;
  project_trends: ProjectTrendsTable;
  green_shoots: GreenShootsView;
  job_runs: JobRunsTable;
  alerts: AlertsTable;
  alert_signal_state: AlertSignalStateTable;
  alert_deliveries: AlertDeliveriesTable;
}

export type Project = Selectable<ProjectsTable>;
export type NewProject = Insertable<ProjectsTable>;
export type ProjectUpdate = Updateable<ProjectsTable>;
export type Repo = Selectable<ReposTable>;
export type ImportRecord = Selectable<ImportsTable>;
export type CollectRun = Selectable<CollectRunsTable>;
