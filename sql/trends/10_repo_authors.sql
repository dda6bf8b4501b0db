-- Commit authors of each dirty repo in the 365 days up to its as_of, with their commits per window
-- (windows are UTC days: "30d" = as_of-29 … as_of, "prev 30d" = as_of-59 … as_of-30).
-- Each window's first instant is worked out once per repo: a commit's windows are timestamp
-- comparisons (a UTC day per commit cost twice as much on a full refresh, measured).
-- The queued new commits of the repos counted here (or to be counted when they have a day) are
-- dropped in the same statement: this count reads them, at the same moment.
with dropped_queue as (
  delete from trend_commit_queue q
  using trend_dirty_repos d
  where q.repo_id = d.repo_id
    and not exists (select 1 from trend_repo_authors a where a.repo_id = d.repo_id)
)
insert into trend_repo_authors (repo_id, author_key, first_commit_at,
                                commits_365d, commits_90d, commits_prev_90d, commits_30d, commits_prev_30d)
select c.repo_id, c.author_key,
       (select f.first_commit_at from trend_commit_authors f
        where f.repo_id = c.repo_id and f.author_key = c.author_key),
       count(*),
       count(*) filter (where c.committed_at >= c.from_90d),
       count(*) filter (where c.committed_at >= c.from_180d and c.committed_at < c.from_90d),
       count(*) filter (where c.committed_at >= c.from_30d),
       count(*) filter (where c.committed_at >= c.from_60d and c.committed_at < c.from_30d)
from (
  select d.repo_id, c.author_key, c.committed_at, d.from_30d, d.from_60d, d.from_90d, d.from_180d
  from (
    select d.repo_id, d.as_of,
           utc_start(d.as_of - 29) as from_30d, utc_start(d.as_of - 59) as from_60d,
           utc_start(d.as_of - 89) as from_90d, utc_start(d.as_of - 179) as from_180d
    from trend_dirty_repos d
    where d.as_of is not null
      and not exists (select 1 from trend_repo_authors a where a.repo_id = d.repo_id)
  ) d
  cross join lateral (
    select c.author_key, c.committed_at from repo_commits c
    where c.repo_id = d.repo_id
      and c.committed_at >= utc_start(d.as_of - 364)
      and c.committed_at < utc_start(d.as_of + 1)
      and c.author_key is not null
    offset 0  -- only the repos counted here: a range scan of each one's year, never every commit
  ) c
) c
group by c.repo_id, c.author_key;
