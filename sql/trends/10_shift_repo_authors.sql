-- Moves each kept repo's author windows from its old as_of (a) to the new one (b): a commit's
-- window changes only when its age (as_of - day) crosses 0, 30, 60, 90, 180 or 365, i.e. for days
-- in (a - B, b - B] with B one of those; so only those days' commits are read (after an hourly
-- collect on a new day: 6 days per repo instead of 365), each adding its new windows and taking
-- away its old ones. Authors new to the windows are added; 10_drop_gone_authors removes those left
-- with no commit in 365 days, and 10_shift_authors_as_of moves the rest.
insert into trend_repo_authors as t (repo_id, author_key, as_of, first_commit_at,
                                     commits_365d, commits_90d, commits_prev_90d, commits_30d, commits_prev_30d)
select c.repo_id, c.author_key, c.new_as_of,
       (select f.first_commit_at from trend_commit_authors f
        where f.repo_id = c.repo_id and f.author_key = c.author_key),
       sum((c.new_age between 0 and 364)::int - (c.old_age between 0 and 364)::int),
       sum((c.new_age between 0 and 89)::int - (c.old_age between 0 and 89)::int),
       sum((c.new_age between 90 and 179)::int - (c.old_age between 90 and 179)::int),
       sum((c.new_age between 0 and 29)::int - (c.old_age between 0 and 29)::int),
       sum((c.new_age between 30 and 59)::int - (c.old_age between 30 and 59)::int)
from (
  select m.repo_id, m.new_as_of, c.author_key,
         m.new_as_of - utc_day(c.committed_at) as new_age,
         m.old_as_of - utc_day(c.committed_at) as old_age
  from (
    select d.repo_id, x.as_of as old_as_of, d.as_of as new_as_of
    from trend_dirty_repos d
    cross join lateral (select a.as_of from trend_repo_authors a where a.repo_id = d.repo_id limit 1) x
    where d.as_of > x.as_of
  ) m
  cross join lateral (
    select c.author_key, c.committed_at from repo_commits c
    where c.repo_id = m.repo_id and c.author_key is not null
      and (   (c.committed_at >= utc_start(m.old_as_of + 1)   and c.committed_at < utc_start(m.new_as_of + 1))
           or (c.committed_at >= utc_start(m.old_as_of - 29)  and c.committed_at < utc_start(m.new_as_of - 29))
           or (c.committed_at >= utc_start(m.old_as_of - 59)  and c.committed_at < utc_start(m.new_as_of - 59))
           or (c.committed_at >= utc_start(m.old_as_of - 89)  and c.committed_at < utc_start(m.new_as_of - 89))
           or (c.committed_at >= utc_start(m.old_as_of - 179) and c.committed_at < utc_start(m.new_as_of - 179))
           or (c.committed_at >= utc_start(m.old_as_of - 364) and c.committed_at < utc_start(m.new_as_of - 364)))
    offset 0  -- index range scans of each repo's six spans, never a scan of the whole table
  ) c
) c
group by c.repo_id, c.author_key, c.new_as_of
on conflict (repo_id, author_key) do update
  set as_of = excluded.as_of,
      commits_365d = t.commits_365d + excluded.commits_365d,
      commits_90d = t.commits_90d + excluded.commits_90d,
      commits_prev_90d = t.commits_prev_90d + excluded.commits_prev_90d,
      commits_30d = t.commits_30d + excluded.commits_30d,
      commits_prev_30d = t.commits_prev_30d + excluded.commits_prev_30d;
