-- How much of the daily series an incremental refresh is about to recompute: the days from each
-- dirty repo's first dirty day to its latest, and their share of every repo's days (both as of
-- the last refresh, from repo_trends). Near all of it while a history backfill reaches back into
-- every repo: one session recomputing nearly everything is then slower than a full refresh built
-- in parallel (1,014 repos, 365,000 days: 8.0 s against 6.6 s, measured), and the refresh starts
-- over as a full one (src/trends/refresh.ts).
select coalesce(sum(greatest(0, t.as_of - greatest(d.from_day, t.first_day) + 1)), 0)::float8 as dirty_days,
       coalesce(sum(greatest(0, t.as_of - greatest(d.from_day, t.first_day) + 1)), 0)::float8
         / nullif((select sum(a.as_of - a.first_day + 1) from repo_trends a), 0) as share
from trend_dirty_repos d
join repo_trends t on t.repo_id = d.repo_id;
