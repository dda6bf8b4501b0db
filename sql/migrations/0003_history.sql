-- 0003: event history that GitHub still publishes as dated lists: forks, releases, commits, and
-- stars where the stargazer list is readable (the token is an admin/collaborator, or GitHub
-- Enterprise Server). Each row says where it came from (source) and when this tool saw it (seen_at).
-- Rows are keyed so a rerun or an overlapping page never duplicates one.

create table repo_forks (
  repo_id        bigint      not null references repos (id),
  fork_id        bigint      not null,             -- the fork's databaseId
  full_name      text        not null,
  created_at     timestamptz not null,
  source         text        not null default 'graphql' check (source in ('graphql', 'rest')),
  seen_at        timestamptz not null default now(),
  primary key (repo_id, fork_id)
);
create index repo_forks_created_idx on repo_forks (repo_id, created_at);

create table repo_releases (
  repo_id        bigint      not null references repos (id),
  tag_name       text        not null,
  name           text,
  created_at     timestamptz not null,
  published_at   timestamptz,
  is_prerelease  boolean     not null default false,
  is_draft       boolean     not null default false,
  source         text        not null default 'graphql' check (source in ('graphql', 'rest')),
  seen_at        timestamptz not null default now(),
  primary key (repo_id, tag_name)
);
create index repo_releases_created_idx on repo_releases (repo_id, created_at);

-- Commits on the default branch. author_key is the GitHub login when the commit is linked to a
-- user ('login:alice'), otherwise a hash of the author email ('email:<sha256 hex>'): never the email.
create table repo_commits (
  repo_id        bigint      not null references repos (id),
  oid            text        not null,
  committed_at   timestamptz not null,
  author_key     text,
  author_login   text,
  source         text        not null default 'graphql' check (source in ('graphql', 'rest')),
  seen_at        timestamptz not null default now(),
  primary key (repo_id, oid)
);
create index repo_commits_committed_idx on repo_commits (repo_id, committed_at);
create index repo_commits_author_idx on repo_commits (repo_id, author_key);

-- Stars with their times, only where GitHub still lists stargazers. 'events' rows come from the
-- repo events feed (last 30 days, capped): a partial source, never the whole truth.
create table repo_stars (
  repo_id        bigint      not null references repos (id),
  user_login     text        not null,
  starred_at     timestamptz not null,
  source         text        not null check (source in ('graphql', 'rest', 'events')),
  seen_at        timestamptz not null default now(),
  primary key (repo_id, user_login)
);
create index repo_stars_starred_idx on repo_stars (repo_id, starred_at);

-- Per repo and stream: how far the history reaches and where a backfill stands.
create table repo_streams (
  repo_id          bigint      not null references repos (id),
  stream           text        not null check (stream in ('forks', 'releases', 'commits', 'stars')),
  newest_at        timestamptz,          -- watermark: newest item stored; a regular run stops there
  oldest_at        timestamptz,          -- oldest item stored: how far back the history reaches
  backfill_cursor  text,                 -- GraphQL endCursor of the next page to fetch, going back
  backfill_done    boolean     not null default false,  -- reached the horizon or the first item
  horizon_at       timestamptz,          -- how far back the backfill aims (HISTORY_HORIZON_DAYS)
  restricted       boolean     not null default false,  -- stars: GitHub refused the list to this token
  restricted_reason text,
  checked_at       timestamptz,          -- last time this stream was read
  next_check_at    timestamptz,          -- a restricted stream is re-checked rarely
  reported_total   integer,              -- the count GitHub reports (e.g. forks totalCount)
  stored_total     integer,              -- rows stored for this stream
  drift_noted_at   timestamptz,          -- when stored and reported last disagreed beyond the allowance
  -- A regular run that finds more new items than one page holds reads on from here, down to
  -- catchup_until (the previous watermark minus the stream's overlap), page by page.
  catchup_cursor   text,
  catchup_until    timestamptz,
  -- Items GitHub counts that lie before the horizon (reported - stored when the backfill ended;
  -- 0 when it reached the first item): what reconciliation expects the difference to be.
  before_horizon_total integer,
  primary key (repo_id, stream)
);

-- Each contributor's first commit per repo: new contributors per day, active contributors per window.
create view repo_contributor_first_seen as
select repo_id, author_key, min(committed_at) as first_commit_at, count(*) as commits
from repo_commits
where author_key is not null
group by repo_id, author_key;
