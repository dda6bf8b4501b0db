-- A repo's events per UTC day between two instants [lo, hi): commits, new authors (first stored
-- commit in the repo), releases (no drafts, no prereleases) and the day's last contributor count;
-- one row per day that has any. The daily series (sql/trends/06_repo_daily.sql) reads it for the
-- observed days of each repo and for the days outside them. A single SELECT in SQL, so Postgres
-- inlines it where it is called: each part is a range scan of the repo's index.
create function repo_day_events(repo bigint, lo timestamptz, hi timestamptz)
  returns table (day date, commits integer, new_authors integer, releases integer, contributors integer)
  language sql stable parallel safe
  as $$
  select e.day, sum(e.commits)::integer, sum(e.new_authors)::integer, sum(e.releases)::integer, max(e.contributors)
  from (
    select utc_day(c.committed_at) as day, 1 as commits, 0 as new_authors, 0 as releases, null::integer as contributors
    from repo_commits c
    where c.repo_id = repo and c.committed_at >= lo and c.committed_at < hi
    union all
    select utc_day(a.first_commit_at), 0, 1, 0, null
    from trend_commit_authors a
    where a.repo_id = repo and a.first_commit_at >= lo and a.first_commit_at < hi
    union all
    select utc_day(coalesce(rl.published_at, rl.created_at)), 0, 0, 1, null
    from repo_releases rl
    where rl.repo_id = repo and not rl.is_draft and not rl.is_prerelease
      and coalesce(rl.published_at, rl.created_at) >= lo and coalesce(rl.published_at, rl.created_at) < hi
    union all
    select * from (
      select distinct on (utc_day(c.observed_at)) utc_day(c.observed_at), 0, 0, 0, c.contributors
      from repo_contributor_counts c
      where c.repo_id = repo and c.observed_at >= lo and c.observed_at < hi
      order by utc_day(c.observed_at), c.observed_at desc
    ) last_count
  ) e
  group by e.day
  $$;
