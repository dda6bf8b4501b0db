-- Brings each kept repo's author windows (the repos 09 did not clear) from the day they were
-- counted as of (a) to the new as_of (b), in one statement so that it sees the commits and the
-- queue at one moment (a commit and its queue row arrive together; a commit arriving after this
-- statement stays queued for the next refresh, so nothing is counted twice or missed):
-- - new commits (trend_commit_queue, claimed here) count in the windows they fall in as of a;
-- - then every window moves from a to b: a commit's window changes only when its age (as_of - day)
--   crosses 0, 30, 60, 90, 180 or 365, i.e. for days in (a - B, b - B] with B one of those, so
--   only those days' commits are read (a new UTC day: 6 days per repo instead of 365), each adding
--   its windows as of b and taking away those as of a.
-- Authors new to a repo are added; 10_drop_gone_authors removes those left with no commit in 365
-- days. (a: the repo's as_of in repo_trends, from the previous refresh.)
with kept as (
  select d.repo_id, t.as_of as old_as_of, d.as_of as new_as_of
  from trend_dirty_repos d
  join repo_trends t on t.repo_id = d.repo_id
  where d.as_of >= t.as_of
    and exists (select 1 from trend_repo_authors a where a.repo_id = d.repo_id)
),
queued as (
  delete from trend_commit_queue q
  using kept k
  where q.repo_id = k.repo_id
  returning q.repo_id, q.author_key, q.day, q.commits
),
changes as (
  -- new commits, as of a
  select q.repo_id, q.author_key, q.commits as n, k.old_as_of - q.day as new_age, -1 as old_age
  from queued q
  join kept k on k.repo_id = q.repo_id
  union all
  -- every commit whose window changes from a to b
  select k.repo_id, c.author_key, 1, k.new_as_of - utc_day(c.committed_at), k.old_as_of - utc_day(c.committed_at)
  from kept k
  cross join lateral (
    -- each span a range scan of the repo's index (b: the window edge, -1 for "as of" itself);
    -- spans overlap when the windows moved by 30 days or more, and DISTINCT (with the commit's
    -- oid) counts each commit once. Written as one scan with the six spans OR-ed, the planner read
    -- each repo's whole year from the index and filtered it: the statement took 0.74-0.91 s on a
    -- new UTC day for 3,000 repos, 0.20-0.41 s like this.
    select distinct c.author_key, c.committed_at, c.oid
    from (values (-1), (29), (59), (89), (179), (364)) b(edge)
    cross join lateral (
      select c.author_key, c.committed_at, c.oid from repo_commits c
      where c.repo_id = k.repo_id
        and c.committed_at >= utc_start(k.old_as_of - b.edge)
        and c.committed_at < utc_start(k.new_as_of - b.edge)
    ) c
  ) c
  where k.new_as_of > k.old_as_of
    and c.author_key is not null
)
insert into trend_repo_authors as t (repo_id, author_key, first_commit_at,
                                     commits_365d, commits_90d, commits_prev_90d, commits_30d, commits_prev_30d)
select c.repo_id, c.author_key,
       (select f.first_commit_at from trend_commit_authors f
        where f.repo_id = c.repo_id and f.author_key = c.author_key),
       sum(c.n * ((c.new_age between 0 and 364)::int - (c.old_age between 0 and 364)::int)),
       sum(c.n * ((c.new_age between 0 and 89)::int - (c.old_age between 0 and 89)::int)),
       sum(c.n * ((c.new_age between 90 and 179)::int - (c.old_age between 90 and 179)::int)),
       sum(c.n * ((c.new_age between 0 and 29)::int - (c.old_age between 0 and 29)::int)),
       sum(c.n * ((c.new_age between 30 and 59)::int - (c.old_age between 30 and 59)::int))
from changes c
group by c.repo_id, c.author_key
on conflict (repo_id, author_key) do update
  set first_commit_at = excluded.first_commit_at,
      commits_365d = t.commits_365d + excluded.commits_365d,
      commits_90d = t.commits_90d + excluded.commits_90d,
      commits_prev_90d = t.commits_prev_90d + excluded.commits_prev_90d,
      commits_30d = t.commits_30d + excluded.commits_30d,
      commits_prev_30d = t.commits_prev_30d + excluded.commits_prev_30d;
