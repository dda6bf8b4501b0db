-- 0001: what greenshoots tracks: projects (landscape items or a user's own list), their GitHub
-- repositories, and a record of every import. Later migrations add observations (snapshots,
-- history events) keyed on repos.id, so nothing here has to change for them.

-- One row per import run: where the list came from and what it changed.
create table imports (
  id            bigint generated always as identity primary key,
  source        text        not null,           -- the list's name: 'landscape' or a user's list name
  kind          text        not null check (kind in ('landscape', 'list')),
  location      text        not null,           -- file path or URL it was read from
  content_sha256 text       not null,
  only_filter   text,                           -- e.g. 'cncf' for --only cncf
  started_at    timestamptz not null default now(),
  finished_at   timestamptz,
  counts        jsonb       not null default '{}'::jsonb,  -- added/updated/unchanged/removed per table
  skipped       jsonb       not null default '[]'::jsonb   -- [{reason, item, url}] entries left out
);

-- A project: one landscape item (items sharing a name are merged), or one group of a custom list.
create table projects (
  id             bigint generated always as identity primary key,
  source         text        not null,
  name           text        not null,
  name_key       text        not null,          -- lower(name): identity within a source
  category       text,
  subcategory    text,
  other_placements jsonb     not null default '[]'::jsonb, -- [{category, subcategory}] beyond the first
  maturity       text        not null default 'none'
                 check (maturity in ('sandbox', 'incubating', 'graduated', 'archived', 'none')),
  homepage_url   text,
  description    text,
  parent_project text,                          -- extra.parent_project, by name
  accepted_on    date,                          -- CNCF dates given by the landscape file, if any
  incubating_on  date,
  graduated_on   date,
  archived_on    date,
  content_hash   text        not null,          -- hash of the fields above: unchanged items are left alone
  first_seen_at  timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  removed_at     timestamptz,                   -- gone from the list; never deleted
  first_import_id bigint     references imports (id),
  last_import_id bigint      references imports (id),
  unique (source, name_key)
);
create index projects_maturity_idx on projects (maturity) where removed_at is null;
create index projects_category_idx on projects (category) where removed_at is null;

-- Maturity changes seen between imports (sandbox → incubating → graduated, archived): a traction event.
create table project_maturity_changes (
  id            bigint generated always as identity primary key,
  project_id    bigint      not null references projects (id),
  from_maturity text        not null,
  to_maturity   text        not null,
  changed_at    timestamptz not null default now(),  -- when this tool saw the change
  effective_on  date,                                 -- the date the landscape file gives, if any
  import_id     bigint      not null references imports (id)
);
create index project_maturity_changes_project_idx on project_maturity_changes (project_id, changed_at);

-- A GitHub repository, tracked once however many items list it.
create table repos (
  id            bigint generated always as identity primary key,
  owner         text        not null,           -- as first given in a list
  name          text        not null,
  full_name_key text        not null unique,    -- lower(owner/name): GitHub names are case-insensitive
  github_id     bigint      unique,             -- databaseId, once the collector has seen it
  current_full_name text,                       -- owner/name GitHub reports now (renames, transfers)
  status        text        not null default 'pending'
                check (status in ('pending', 'active', 'moved', 'not_found', 'blocked', 'error')),
  status_reason text,
  status_changed_at timestamptz,
  next_check_at timestamptz,                    -- when a not_found/blocked repo is asked for again
  first_seen_at timestamptz not null default now(),
  created_import_id bigint  references imports (id)
);

-- Which project lists which repo, and how. A repo listed by several items has several rows.
create table project_repos (
  project_id    bigint      not null references projects (id),
  repo_id       bigint      not null references repos (id),
  role          text        not null check (role in ('primary', 'additional')),
  first_seen_at timestamptz not null default now(),
  removed_at    timestamptz,
  primary key (project_id, repo_id)
);
create index project_repos_repo_idx on project_repos (repo_id);

-- Repos to collect: listed by at least one project still on its list.
create view tracked_repos as
select r.*
from repos r
where exists (
  select 1
  from project_repos pr
  join projects p on p.id = pr.project_id
  where pr.repo_id = r.id and pr.removed_at is null and p.removed_at is null
);
