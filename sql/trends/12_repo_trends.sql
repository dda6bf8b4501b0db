-- Recomputes repo_trends for the dirty repos, as of each one's latest day in repo_daily.
-- Windows are whole UTC days ending at as_of ("7d" gain = stars(as_of) - stars(as_of - 7)).
-- Formulas and NULL rules: docs/metrics.md. Home project, category, maturity and percentiles are
-- filled by the next statement, for every repo.
insert into repo_trends (
  repo_id, repo, as_of, created_on, first_day, coverage_days,
  stars, stars_gained_1d, stars_gained_7d, stars_gained_30d, stars_gained_90d,
  stars_growth_1d, stars_growth_7d, stars_growth_30d, stars_growth_90d, stars_growth_annualised,
  stars_per_day_7d, stars_per_day_prior_28d, stars_acceleration,
  forks, forks_gained_1d, forks_gained_7d, forks_gained_30d, forks_gained_90d,
  forks_growth_30d, forks_growth_90d, forks_per_day_7d, forks_per_day_prior_28d, forks_acceleration,
  commits_30d, commits_365d,
  new_contributors_30d, new_contributors_prev_30d, new_contributors_90d, new_contributors_prev_90d,
  active_contributors_30d, active_contributors_prev_30d, active_contributors_90d, active_contributors_prev_90d,
  bus_factor, releases_365d, release_interval_median_days, days_since_last_release, days_since_last_push)
with t as (
  select d.repo_id, d.as_of,
         coalesce(r.current_full_name, r.owner || '/' || r.name) as repo,
         utc_day(r.github_created_at) as created_on
  from trend_dirty_repos d
  join repos r on r.id = d.repo_id
  where d.as_of is not null
),
-- stars and forks at the ends of the windows: six days of each repo, read by key
points as (
  select t.repo_id,
         max(x.stars) filter (where x.day = t.as_of)      as s0,
         max(x.stars) filter (where x.day = t.as_of - 1)  as s1,
         max(x.stars) filter (where x.day = t.as_of - 7)  as s7,
         max(x.stars) filter (where x.day = t.as_of - 30) as s30,
         max(x.stars) filter (where x.day = t.as_of - 35) as s35,
         max(x.stars) filter (where x.day = t.as_of - 90) as s90,
         max(x.forks) filter (where x.day = t.as_of)      as f0,
         max(x.forks) filter (where x.day = t.as_of - 1)  as f1,
         max(x.forks) filter (where x.day = t.as_of - 7)  as f7,
         max(x.forks) filter (where x.day = t.as_of - 30) as f30,
         max(x.forks) filter (where x.day = t.as_of - 35) as f35,
         max(x.forks) filter (where x.day = t.as_of - 90) as f90
  from t
  cross join lateral (
    select x.day, x.stars, x.forks from repo_daily x
    where x.repo_id = t.repo_id
      and x.day in (t.as_of, t.as_of - 1, t.as_of - 7, t.as_of - 30, t.as_of - 35, t.as_of - 90)
    offset 0  -- index lookups of each repo's six days, never a scan of the whole table
  ) x
  group by t.repo_id
),
-- days of the last 90 whose stars were observed (a day in repo_snapshot_days, counted from its
-- key alone) or come from the star list (only before the first observation)
coverage as (
  select c.repo_id,
         (select count(*) from repo_snapshot_days s
          where s.repo_id = c.repo_id and s.day > c.as_of - 90 and s.day <= c.as_of)
         -- list days come before the first observation: look for them only when it is in the window
         + case when c.first_obs_day > c.as_of - 89 then
             (select count(*) from repo_daily x
              where x.repo_id = c.repo_id and x.day > c.as_of - 90 and x.stars_source = 'star_list'
                and x.day < c.first_obs_day)
           else 0 end as coverage_days
  from (
    select t.repo_id, t.as_of,
           (select min(s.day) from repo_snapshot_days s where s.repo_id = t.repo_id) as first_obs_day
    from t
    offset 0  -- the lookup once per repo
  ) c
),
-- the commit history's coverage: a window counts only if every one of its days is covered
commit_cover as (
  select s.repo_id,
         stream_covered_from(s.backfill_done, s.horizon_at, s.oldest_at) as covered_from,
         stream_covered_to(s.checked_at, s.newest_at) as covered_to
  from repo_streams s join t on t.repo_id = s.repo_id
  where s.stream = 'commits'
),
release_cover as (
  select s.repo_id,
         stream_covered_from(s.backfill_done, s.horizon_at, s.oldest_at) as covered_from,
         stream_covered_to(s.checked_at, s.newest_at) as covered_to
  from repo_streams s join t on t.repo_id = s.repo_id
  where s.stream = 'releases'
),
authors as (
  select a.repo_id,
         sum(a.commits_365d) as commits_365d,
         sum(a.commits_30d) as commits_30d,
         count(*) filter (where utc_day(a.first_commit_at) > t.as_of - 30) as new_30d,
         count(*) filter (where utc_day(a.first_commit_at) > t.as_of - 60
                            and utc_day(a.first_commit_at) <= t.as_of - 30) as new_prev_30d,
         count(*) filter (where utc_day(a.first_commit_at) > t.as_of - 90) as new_90d,
         count(*) filter (where utc_day(a.first_commit_at) > t.as_of - 180
                            and utc_day(a.first_commit_at) <= t.as_of - 90) as new_prev_90d,
         count(*) filter (where a.commits_30d > 0) as active_30d,
         count(*) filter (where a.commits_prev_30d > 0) as active_prev_30d,
         count(*) filter (where a.commits_90d > 0) as active_90d,
         count(*) filter (where a.commits_prev_90d > 0) as active_prev_90d
  from trend_repo_authors a join t on t.repo_id = a.repo_id
  group by a.repo_id
),
-- bus factor: the fewest authors whose commits add up to more than half of the 365 days' commits
-- (the total from `authors`, so that one window pass serves both the rank and the running sum)
bus as (
  select r.repo_id, min(r.author_rank) as bus_factor
  from (
    select a.repo_id,
           row_number() over w as author_rank,
           sum(a.commits_365d) over w as running
    from trend_repo_authors a join t on t.repo_id = a.repo_id
    -- authors with equal counts may come in any order: the rank where the running sum first passes
    -- half is the same whichever of them comes first (sorting by integers only, no text compares)
    window w as (partition by a.repo_id order by a.commits_365d desc rows unbounded preceding)
  ) r
  join authors s on s.repo_id = r.repo_id
  where r.running * 2 > s.commits_365d
  group by r.repo_id
),
-- releases in the 365 days up to as_of (the expression index on the publication time serves it)
releases as (
  select t.repo_id, t.as_of, rl.day
  from t
  cross join lateral (
    select utc_day(coalesce(rl.published_at, rl.created_at)) as day from repo_releases rl
    where rl.repo_id = t.repo_id and not rl.is_draft and not rl.is_prerelease
      and coalesce(rl.published_at, rl.created_at) >= utc_start(t.as_of - 364)
      and coalesce(rl.published_at, rl.created_at) < utc_start(t.as_of + 1)
    offset 0
  ) rl
),
release_stats as (
  select t.repo_id,
         count(r.day) as releases_365d,
         (select utc_day(max(coalesce(rl.published_at, rl.created_at))) from repo_releases rl
          where rl.repo_id = t.repo_id and not rl.is_draft and not rl.is_prerelease
            and coalesce(rl.published_at, rl.created_at) < utc_start(t.as_of + 1)) as last_release_day
  from t
  left join releases r on r.repo_id = t.repo_id
  group by t.repo_id, t.as_of
),
release_gaps as (
  select repo_id, percentile_cont(0.5) within group (order by gap) as median_gap
  from (
    select r.repo_id, r.day - lag(r.day) over (partition by r.repo_id order by r.day) as gap
    from releases r
  ) g
  where gap is not null
  group by repo_id
)
select
  t.repo_id, t.repo, t.as_of, t.created_on,
  (select min(x.day) from repo_daily x where x.repo_id = t.repo_id),
  cv.coverage_days,
  p.s0, p.s0 - p.s1, p.s0 - p.s7, p.s0 - p.s30, p.s0 - p.s90,
  (p.s0 - p.s1)::float8 / nullif(p.s1, 0),
  (p.s0 - p.s7)::float8 / nullif(p.s7, 0),
  (p.s0 - p.s30)::float8 / nullif(p.s30, 0),
  (p.s0 - p.s90)::float8 / nullif(p.s90, 0),
  power(p.s0::float8 / nullif(p.s90, 0), 365.0 / 90) - 1,
  (p.s0 - p.s7) / 7.0,
  (p.s7 - p.s35) / 28.0,
  case when p.s7 - p.s35 > 0 then ((p.s0 - p.s7) / 7.0) / ((p.s7 - p.s35) / 28.0) end,
  p.f0, p.f0 - p.f1, p.f0 - p.f7, p.f0 - p.f30, p.f0 - p.f90,
  (p.f0 - p.f30)::float8 / nullif(p.f30, 0),
  (p.f0 - p.f90)::float8 / nullif(p.f90, 0),
  (p.f0 - p.f7) / 7.0,
  (p.f7 - p.f35) / 28.0,
  case when p.f7 - p.f35 > 0 then ((p.f0 - p.f7) / 7.0) / ((p.f7 - p.f35) / 28.0) end,
  case when cc.covered_from <= t.as_of - 29 and cc.covered_to >= t.as_of then coalesce(a.commits_30d, 0) end,
  case when cc.covered_from <= t.as_of - 364 and cc.covered_to >= t.as_of then coalesce(a.commits_365d, 0) end,
  case when cc.covered_from <= t.as_of - 29 and cc.covered_to >= t.as_of then coalesce(a.new_30d, 0) end,
  case when cc.covered_from <= t.as_of - 59 and cc.covered_to >= t.as_of then coalesce(a.new_prev_30d, 0) end,
  case when cc.covered_from <= t.as_of - 89 and cc.covered_to >= t.as_of then coalesce(a.new_90d, 0) end,
  case when cc.covered_from <= t.as_of - 179 and cc.covered_to >= t.as_of then coalesce(a.new_prev_90d, 0) end,
  case when cc.covered_from <= t.as_of - 29 and cc.covered_to >= t.as_of then coalesce(a.active_30d, 0) end,
  case when cc.covered_from <= t.as_of - 59 and cc.covered_to >= t.as_of then coalesce(a.active_prev_30d, 0) end,
  case when cc.covered_from <= t.as_of - 89 and cc.covered_to >= t.as_of then coalesce(a.active_90d, 0) end,
  case when cc.covered_from <= t.as_of - 179 and cc.covered_to >= t.as_of then coalesce(a.active_prev_90d, 0) end,
  case when cc.covered_from <= t.as_of - 364 and cc.covered_to >= t.as_of then b.bus_factor end,
  case when rc.covered_from <= t.as_of - 364 and rc.covered_to >= t.as_of then coalesce(rs.releases_365d, 0) end,
  case when rc.covered_from <= t.as_of - 364 and rc.covered_to >= t.as_of then rg.median_gap end,
  t.as_of - greatest(rs.last_release_day, utc_day(ls.latest_release_at)),
  t.as_of - utc_day(ls.pushed_at)
from t
left join points p on p.repo_id = t.repo_id
join coverage cv on cv.repo_id = t.repo_id
left join commit_cover cc on cc.repo_id = t.repo_id
left join release_cover rc on rc.repo_id = t.repo_id
left join authors a on a.repo_id = t.repo_id
left join bus b on b.repo_id = t.repo_id
left join release_stats rs on rs.repo_id = t.repo_id
left join release_gaps rg on rg.repo_id = t.repo_id
left join lateral (
  select s.pushed_at, s.latest_release_at from repo_snapshots s
  where s.repo_id = t.repo_id and s.observed_at < utc_start(t.as_of + 1)
  order by s.observed_at desc limit 1
) ls on true;
