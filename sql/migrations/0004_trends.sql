-- 0004: trend tables, refreshed by the statements in sql/trends/ (greenshoots trends refresh, and
-- the end of every collect run). Every column is documented with its formula in docs/metrics.md.
--
-- Refresh is incremental: statement-level triggers on the observation and event tables note, per
-- repo, the first UTC day whose figures may have changed (trend_changes); a refresh recomputes
-- repo_daily from that day on for those repos only. Triggers rather than timestamps, because
-- observed_at is GitHub's clock and seen_at the inserting transaction's: neither says reliably
-- what the last refresh has already seen. Deleting rows (retention compaction) notes nothing on
-- purpose: compaction keeps each day's last snapshot, which is all the trend tables read.

-- UTC day of an instant, and the instant a UTC day starts (date ±infinity map to ±infinity).
create function utc_day(t timestamptz) returns date
  language sql immutable parallel safe
  as $$ select (t at time zone 'UTC')::date $$;

create function utc_start(d date) returns timestamptz
  language sql immutable parallel safe
  as $$ select d::timestamp at time zone 'UTC' $$;

-- The first UTC day from which a history stream (repo_streams) holds every item: the day after
-- the oldest stored item while the backfill is going back, or the horizon once it is done
-- (-infinity when it reached the repo's first item with no horizon). A partial day is not covered.
create function stream_covered_from(backfill_done boolean, horizon_at timestamptz, oldest_at timestamptz)
  returns date
  language sql immutable parallel safe
  as $$ select case
    when backfill_done then coalesce(utc_day(horizon_at - interval '1 microsecond') + 1, '-infinity'::date)
    when oldest_at is null then 'infinity'::date
    else utc_day(oldest_at - interval '1 microsecond') + 1
  end $$;

-- The last UTC day a history stream has been read up to (that day: so far).
create function stream_covered_to(checked_at timestamptz, newest_at timestamptz) returns date
  language sql immutable parallel safe
  as $$ select utc_day(greatest(checked_at, newest_at)) $$;

-- One row per repo per UTC day, from its first observation or event to its latest.
create table repo_daily (
  repo_id          bigint  not null references repos (id),
  day              date    not null,
  repo             text    not null,          -- owner/name as GitHub serves it now
  stars            integer,                   -- at the end of the day (last observation), see stars_source
  stars_new        integer,                   -- stars - the previous day's stars
  stars_source     text    not null check (stars_source in ('observed', 'interpolated', 'star_list', 'none')),
  forks            integer,
  forks_new        integer,
  forks_source     text    not null check (forks_source in ('observed', 'interpolated', 'fork_list', 'none')),
  contributors     integer,                   -- GitHub's contributor count, last check of the day
  new_contributors integer,                   -- authors whose first stored commit is this day
  commits          integer,                   -- commits on the default branch this day
  releases         integer,                   -- releases published this day (no drafts, no prereleases)
  open_issues      integer,                   -- last observation of the day
  open_prs         integer,
  primary key (repo_id, day)
);

-- One row per repo, as of its latest day in repo_daily.
create table repo_trends (
  repo_id                       bigint  primary key references repos (id),
  repo                          text    not null,
  project                       text,          -- the repo's home project (see docs/metrics.md)
  category                      text,
  maturity                      text,
  as_of                         date    not null,
  created_on                    date,
  first_day                     date    not null,
  coverage_days                 integer not null,
  stars                         integer,
  stars_gained_1d               integer,
  stars_gained_7d               integer,
  stars_gained_30d              integer,
  stars_gained_90d              integer,
  stars_growth_1d               double precision,
  stars_growth_7d               double precision,
  stars_growth_30d              double precision,
  stars_growth_90d              double precision,
  stars_growth_annualised       double precision,
  stars_per_day_7d              double precision,
  stars_per_day_prior_28d       double precision,
  stars_acceleration            double precision,
  forks                         integer,
  forks_gained_1d               integer,
  forks_gained_7d               integer,
  forks_gained_30d              integer,
  forks_gained_90d              integer,
  forks_growth_30d              double precision,
  forks_growth_90d              double precision,
  forks_per_day_7d              double precision,
  forks_per_day_prior_28d       double precision,
  forks_acceleration            double precision,
  commits_30d                   integer,
  commits_365d                  integer,
  new_contributors_30d          integer,
  new_contributors_prev_30d     integer,
  new_contributors_90d          integer,
  new_contributors_prev_90d     integer,
  active_contributors_30d       integer,
  active_contributors_prev_30d  integer,
  active_contributors_90d       integer,
  active_contributors_prev_90d  integer,
  bus_factor                    integer,
  releases_365d                 integer,
  release_interval_median_days  double precision,
  days_since_last_release       integer,
  days_since_last_push          integer,
  stars_growth_30d_pct_category double precision,
  stars_growth_30d_pct_maturity double precision
);

-- Commit authors of each repo in the 365 days up to its as_of: bus factor, and contributors per
-- window, for repos and (pooled) for projects.
create table trend_repo_authors (
  repo_id          bigint      not null references repos (id),
  author_key       text        not null,
  as_of            date        not null,
  first_commit_at  timestamptz not null,     -- the author's first stored commit in this repo
  commits_365d     integer     not null,
  commits_90d      integer     not null,
  commits_prev_90d integer     not null,
  commits_30d      integer     not null,
  commits_prev_30d integer     not null,
  primary key (repo_id, author_key)
);

-- Each commit author's first stored commit per repo, kept by a trigger on repo_commits (the view
-- repo_contributor_first_seen computes the same by grouping every commit: too slow to read hourly).
create table trend_commit_authors (
  repo_id          bigint      not null references repos (id),
  author_key       text        not null,
  first_commit_at  timestamptz not null,
  primary key (repo_id, author_key)
);
create index trend_commit_authors_first_idx on trend_commit_authors (repo_id, first_commit_at);
insert into trend_commit_authors (repo_id, author_key, first_commit_at)
select repo_id, author_key, min(committed_at) from repo_commits where author_key is not null group by 1, 2;

-- One row per landscape project still on its list: its repos' trends combined.
create table project_trends (
  project_id                    bigint  primary key references projects (id),
  project                       text    not null,
  source                        text    not null,
  category                      text,
  subcategory                   text,
  maturity                      text    not null,
  repos                         integer not null,
  repos_with_stars              integer not null,
  as_of                         date,
  created_on                    date,
  coverage_days                 integer,
  stars                         integer,
  stars_gained_1d               integer,
  stars_gained_7d               integer,
  stars_gained_30d              integer,
  stars_gained_90d              integer,
  stars_growth_7d               double precision,
  stars_growth_30d              double precision,
  stars_growth_90d              double precision,
  stars_growth_annualised       double precision,
  stars_per_day_7d              double precision,
  stars_per_day_prior_28d       double precision,
  stars_acceleration            double precision,
  forks                         integer,
  forks_gained_30d              integer,
  forks_gained_90d              integer,
  forks_growth_30d              double precision,
  forks_growth_90d              double precision,
  forks_acceleration            double precision,
  commits_30d                   integer,
  commits_365d                  integer,
  new_contributors_30d          integer,
  new_contributors_prev_30d     integer,
  new_contributors_90d          integer,
  new_contributors_prev_90d     integer,
  active_contributors_30d       integer,
  active_contributors_prev_30d  integer,
  bus_factor                    integer,
  releases_365d                 integer,
  release_interval_median_days  double precision,
  days_since_last_release       integer,
  days_since_last_push          integer,
  stars_growth_30d_pct_category double precision,
  stars_growth_30d_pct_maturity double precision
);

-- Changed data, noted by the triggers below and consumed by the next refresh.
create table trend_changes (
  repo_id         bigint  not null,
  from_day        date    not null,
  commits_changed boolean not null default false,  -- commit authors per window need recounting
  noted_at        timestamptz not null default now()
);

-- The repos the running refresh recomputes, and from which day (working table of one refresh).
create table trend_dirty_repos (
  repo_id         bigint  primary key,
  from_day        date    not null,
  commits_changed boolean not null,
  as_of           date                -- the repo's latest day, once repo_daily is rewritten
);

-- One row: when trends were last refreshed, and how far retention has compacted snapshots.
create table trend_refresh_state (
  id                boolean primary key default true check (id),
  refreshed_at      timestamptz,
  full_refreshed_at timestamptz,
  compacted_before  timestamptz
);
insert into trend_refresh_state (id) values (true);

-- Triggers: one function per table (each knows its day column), one trigger per event
-- (Postgres allows transition tables only on single-event triggers).
create function trend_note_snapshots() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day)
  select repo_id, min(utc_day(observed_at)) from new_rows group by repo_id;
  return null;
end $$;

create function trend_note_forks() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day)
  select repo_id, min(utc_day(created_at)) from new_rows group by repo_id;
  return null;
end $$;

create function trend_note_releases() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day)
  select repo_id, min(utc_day(least(created_at, coalesce(published_at, created_at)))) from new_rows group by repo_id;
  return null;
end $$;

create function trend_note_commits() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day, commits_changed)
  select repo_id, min(utc_day(committed_at)), true from new_rows group by repo_id;
  insert into trend_commit_authors as a (repo_id, author_key, first_commit_at)
  select repo_id, author_key, min(committed_at) from new_rows where author_key is not null group by 1, 2
  on conflict (repo_id, author_key) do update set first_commit_at = least(a.first_commit_at, excluded.first_commit_at);
  return null;
end $$;

create function trend_note_stars() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day)
  select repo_id, min(utc_day(starred_at)) from new_rows group by repo_id;
  return null;
end $$;

-- A stream's coverage changing turns days between the old and new bounds from NULL to counts
-- (or back, e.g. a stream marked restricted): note the lower of its bounds, old and new.
create function trend_note_streams() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day, commits_changed)
  select repo_id, min(bound), bool_or(stream = 'commits')
  from (select repo_id, stream, least(stream_covered_from(backfill_done, horizon_at, oldest_at),
                                      stream_covered_to(checked_at, newest_at)) as bound
        from new_rows) b
  where bound is not null
  group by repo_id;
  return null;
end $$;

-- An update (every run moves checked_at) notes only the bounds that moved.
create function trend_note_streams_update() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day, commits_changed)
  select repo_id, min(bound), bool_or(stream = 'commits')
  from (
    select n.repo_id, n.stream, least(
             case when stream_covered_from(n.backfill_done, n.horizon_at, n.oldest_at)
                       is distinct from stream_covered_from(o.backfill_done, o.horizon_at, o.oldest_at)
                       or n.restricted is distinct from o.restricted
                  then least(stream_covered_from(n.backfill_done, n.horizon_at, n.oldest_at),
                             stream_covered_from(o.backfill_done, o.horizon_at, o.oldest_at)) end,
             case when stream_covered_to(n.checked_at, n.newest_at) is distinct from stream_covered_to(o.checked_at, o.newest_at)
                  then least(stream_covered_to(n.checked_at, n.newest_at), stream_covered_to(o.checked_at, o.newest_at)) end
           ) as bound
    from new_rows n join old_rows o on o.repo_id = n.repo_id and o.stream = n.stream
  ) b
  where bound is not null
  group by repo_id;
  return null;
end $$;

create trigger repo_snapshots_trends after insert on repo_snapshots
  referencing new table as new_rows for each statement execute function trend_note_snapshots();
create trigger repo_forks_trends_insert after insert on repo_forks
  referencing new table as new_rows for each statement execute function trend_note_forks();
create trigger repo_forks_trends_update after update on repo_forks
  referencing new table as new_rows for each statement execute function trend_note_forks();
create trigger repo_releases_trends_insert after insert on repo_releases
  referencing new table as new_rows for each statement execute function trend_note_releases();
create trigger repo_releases_trends_update after update on repo_releases
  referencing new table as new_rows for each statement execute function trend_note_releases();
create trigger repo_commits_trends_insert after insert on repo_commits
  referencing new table as new_rows for each statement execute function trend_note_commits();
create trigger repo_commits_trends_update after update on repo_commits
  referencing new table as new_rows for each statement execute function trend_note_commits();
create trigger repo_stars_trends_insert after insert on repo_stars
  referencing new table as new_rows for each statement execute function trend_note_stars();
create trigger repo_stars_trends_update after update on repo_stars
  referencing new table as new_rows for each statement execute function trend_note_stars();
create trigger repo_streams_trends_insert after insert on repo_streams
  referencing new table as new_rows for each statement execute function trend_note_streams();
create trigger repo_streams_trends_update after update on repo_streams
  referencing old table as old_rows new table as new_rows for each statement execute function trend_note_streams_update();

-- Contributor counts (repo_contributor_counts) have their own day column.
create function trend_note_contributor_counts() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day)
  select repo_id, min(utc_day(observed_at)) from new_rows group by repo_id;
  return null;
end $$;
create trigger repo_contributor_counts_trends after insert on repo_contributor_counts
  referencing new table as new_rows for each statement execute function trend_note_contributor_counts();

-- Projects showing early traction, best first. Each component is a percent rank (0-1) among the
-- ranked projects; the score weighs them, then favours small and young projects. docs/metrics.md
-- explains every column.
create view green_shoots as
with eligible as (
  select t.*,
         -- relative 30-day growth with the base counted as at least 50 stars (10 forks), so
         -- 2 → 6 stars does not outrank 500 → 900
         t.stars_gained_30d::float8 / greatest(t.stars - t.stars_gained_30d, 50) as star_growth,
         t.forks_gained_30d::float8 / greatest(t.forks - t.forks_gained_30d, 10) as fork_growth,
         (t.new_contributors_90d + 1.0) / (t.new_contributors_prev_90d + 1.0) as contributor_growth
  from project_trends t
  where t.maturity <> 'archived'
    and t.stars_gained_30d is not null
),
components as (
  select e.*,
         percent_rank() over (order by e.star_growth) as star_growth_score,
         case when e.stars_acceleration is not null
              then percent_rank() over (partition by e.stars_acceleration is null order by e.stars_acceleration) end
           as star_acceleration_score,
         case when e.fork_growth is not null
              then percent_rank() over (partition by e.fork_growth is null order by e.fork_growth) end
           as fork_growth_score,
         case when e.contributor_growth is not null
              then percent_rank() over (partition by e.contributor_growth is null order by e.contributor_growth) end
           as contributor_growth_score,
         case when e.releases_365d is not null
              then percent_rank() over (partition by e.releases_365d is null order by e.releases_365d) end
           as release_score,
         1 / (1 + log(1 + greatest(coalesce(e.stars, 0), 0) / 1000.0)) as size_weight,
         1 / (1 + 0.1 * greatest(0, coalesce((e.as_of - e.created_on) / 365.25, 0) - 1)) as age_weight
  from eligible e
),
scored as (
  select c.*,
         (0.35 * c.star_growth_score
          + coalesce(0.20 * c.star_acceleration_score, 0)
          + coalesce(0.15 * c.fork_growth_score, 0)
          + coalesce(0.15 * c.contributor_growth_score, 0)
          + coalesce(0.15 * c.release_score, 0))
         / (0.35
            + case when c.star_acceleration_score is null then 0 else 0.20 end
            + case when c.fork_growth_score is null then 0 else 0.15 end
            + case when c.contributor_growth_score is null then 0 else 0.15 end
            + case when c.release_score is null then 0 else 0.15 end) as traction,
         1 + (c.star_acceleration_score is not null)::int + (c.fork_growth_score is not null)::int
           + (c.contributor_growth_score is not null)::int + (c.release_score is not null)::int as signals
  from components c
)
select
  rank() over (order by s.traction * sqrt(s.size_weight * s.age_weight) desc) as rank,
  s.project_id, s.project, s.maturity, s.category, s.as_of,
  round((100 * s.traction * sqrt(s.size_weight * s.age_weight))::numeric, 1) as score,
  round(s.traction::numeric, 3) as traction,
  s.signals,
  round(s.star_growth_score::numeric, 3) as star_growth_score,
  round(s.star_acceleration_score::numeric, 3) as star_acceleration_score,
  round(s.fork_growth_score::numeric, 3) as fork_growth_score,
  round(s.contributor_growth_score::numeric, 3) as contributor_growth_score,
  round(s.release_score::numeric, 3) as release_score,
  round(s.size_weight::numeric, 3) as size_weight,
  round(s.age_weight::numeric, 3) as age_weight,
  s.stars, s.stars_gained_30d, s.stars_growth_30d, s.stars_acceleration,
  s.forks, s.forks_gained_30d, s.new_contributors_90d, s.new_contributors_prev_90d, s.releases_365d,
  s.created_on
from scored s;
