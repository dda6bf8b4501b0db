-- 0002: what the collector observes. A snapshot is one observation of a repo's counts, stamped
-- with the time GitHub served it (the response's Date header). History is append-only: a snapshot
-- is never updated; a rerun that sees the same served time adds nothing (unique key).

-- GitHub's description of a repo, refreshed by the collector (slow-changing, not history).
alter table repos
  add column node_id            text,
  add column github_created_at  timestamptz,
  add column description        text,
  add column homepage_url       text,
  add column primary_language   text,
  add column license_spdx       text,
  add column topics             jsonb not null default '[]'::jsonb,
  add column is_fork            boolean,
  add column fork_of            text,
  add column archived           boolean,
  add column metadata_updated_at timestamptz,
  add column last_observed_at   timestamptz,
  add column failures           integer not null default 0,   -- consecutive failed observations
  add column contributors_etag  text,
  add column contributors_count integer,
  add column contributors_checked_at timestamptz,
  add column contributors_status text check (contributors_status in ('ok', 'empty', 'too_large', 'error'));

-- Every name a repo has been seen under (renames, transfers), by the collector or a list.
create table repo_names (
  repo_id        bigint      not null references repos (id),
  full_name      text        not null,
  first_seen_at  timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  primary key (repo_id, full_name)
);

-- One collector run: what it did and what it cost. 'partial': stopped at the budget share, the rest
-- is left for the next run. A run killed mid-way stays 'running' until the
-- next run, holding the collector lock, marks it 'interrupted'.
create table collect_runs (
  id                 bigint generated always as identity primary key,
  kind               text        not null default 'snapshot',
  status             text        not null default 'running'
                     check (status in ('running', 'succeeded', 'partial', 'failed', 'interrupted')),
  started_at         timestamptz not null default now(),
  finished_at        timestamptz,
  repos_total        integer     not null default 0,
  repos_observed     integer     not null default 0,
  repos_failed       integer     not null default 0,
  repos_skipped      integer     not null default 0,
  graphql_requests   integer     not null default 0,
  graphql_points     integer     not null default 0,
  rest_requests      integer     not null default 0,
  rest_not_modified  integer     not null default 0,
  rate_limit_waits   integer     not null default 0,
  retries            integer     not null default 0,
  batch_size_final   integer,
  errors             jsonb       not null default '[]'::jsonb,  -- [{repo, reason}]
  message            text
);
create index collect_runs_started_idx on collect_runs (started_at desc);

-- Counts of one repo at one moment. source says how the point was obtained.
create table repo_snapshots (
  repo_id            bigint      not null references repos (id),
  observed_at        timestamptz not null,        -- GitHub's Date header (local clock if missing)
  run_id             bigint      references collect_runs (id),
  source             text        not null default 'graphql' check (source in ('graphql', 'rest')),
  clock_source       text        not null default 'server' check (clock_source in ('server', 'local')),
  full_name          text        not null,        -- the name GitHub served it under
  stars              integer     not null,
  forks              integer     not null,
  watchers           integer,
  open_issues        integer,
  open_prs           integer,
  releases           integer,
  latest_release_tag text,
  latest_release_at  timestamptz,
  pushed_at          timestamptz,
  archived           boolean,
  primary key (repo_id, observed_at)
);
create index repo_snapshots_observed_idx on repo_snapshots (observed_at);

-- Contributor counts from REST (/contributors?per_page=1&anon=true, the Link header's last page),
-- one row per check; a 304 (unchanged, free) repeats the last count with not_modified = true.
create table repo_contributor_counts (
  repo_id       bigint      not null references repos (id),
  observed_at   timestamptz not null,
  run_id        bigint      references collect_runs (id),
  contributors  integer     not null,
  not_modified  boolean     not null default false,
  primary key (repo_id, observed_at)
);

-- The newest snapshot of each repo, for quick looks.
create view latest_snapshots as
select distinct on (s.repo_id) s.*
from repo_snapshots s
order by s.repo_id, s.observed_at desc;

-- tracked_repos was `select r.*` over 0001's columns: recreate it so it carries the new ones.
drop view tracked_repos;
create view tracked_repos as
select r.*
from repos r
where exists (
  select 1
  from project_repos pr
  join projects p on p.id = pr.project_id
  where pr.repo_id = r.id and pr.removed_at is null and p.removed_at is null
);
