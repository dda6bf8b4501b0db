-- One row per project still on its list, combining the repo_trends of the repos it lists.
-- Counts are summed over the repos that have the figure; rates are recomputed from those sums
-- (not averaged); see docs/metrics.md for each column.
insert into project_trends (
  project_id, project, source, category, subcategory, maturity, repos, repos_with_stars, as_of, created_on, coverage_days,
  stars, stars_gained_1d, stars_gained_7d, stars_gained_30d, stars_gained_90d,
  stars_growth_7d, stars_growth_30d, stars_growth_90d, stars_growth_annualised,
  stars_per_day_7d, stars_per_day_prior_28d, stars_acceleration,
  forks, forks_gained_30d, forks_gained_90d, forks_growth_30d, forks_growth_90d, forks_acceleration,
  commits_30d, commits_365d,
  new_contributors_30d, new_contributors_prev_30d, new_contributors_90d, new_contributors_prev_90d,
  active_contributors_30d, active_contributors_prev_30d, bus_factor,
  releases_365d, release_interval_median_days, days_since_last_release, days_since_last_push,
  stars_growth_30d_pct_category, stars_growth_30d_pct_maturity)
with members as (
  select p.id as project_id, pr.repo_id
  from projects p
  join project_repos pr on pr.project_id = p.id and pr.removed_at is null
  where p.removed_at is null
),
sums as (
  select m.project_id,
         count(*) as repos,
         count(t.stars) as repos_with_stars,
         max(t.as_of) as as_of,
         min(t.created_on) as created_on,
         min(t.coverage_days) filter (where t.stars is not null) as coverage_days,
         sum(t.stars) as stars,
         sum(t.stars_gained_1d) as g1, sum(t.stars_gained_7d) as g7,
         sum(t.stars_gained_30d) as g30, sum(t.stars_gained_90d) as g90,
         sum(t.stars - t.stars_gained_7d) as base7,
         sum(t.stars - t.stars_gained_30d) as base30,
         sum(t.stars - t.stars_gained_90d) as base90,
         sum(t.stars_per_day_7d) filter (where t.stars_per_day_prior_28d is not null) as rate7,
         sum(t.stars_per_day_prior_28d) filter (where t.stars_per_day_7d is not null) as rate28,
         sum(t.forks) as forks,
         sum(t.forks_gained_30d) as fg30, sum(t.forks_gained_90d) as fg90,
         sum(t.forks - t.forks_gained_30d) as fbase30,
         sum(t.forks - t.forks_gained_90d) as fbase90,
         sum(t.forks_per_day_7d) filter (where t.forks_per_day_prior_28d is not null) as frate7,
         sum(t.forks_per_day_prior_28d) filter (where t.forks_per_day_7d is not null) as frate28,
         sum(t.commits_30d) as commits_30d, sum(t.commits_365d) as commits_365d,
         sum(t.new_contributors_30d) as new_30d, sum(t.new_contributors_prev_30d) as new_prev_30d,
         sum(t.new_contributors_90d) as new_90d, sum(t.new_contributors_prev_90d) as new_prev_90d,
         sum(t.active_contributors_30d) as active_30d, sum(t.active_contributors_prev_30d) as active_prev_30d,
         sum(t.releases_365d) as releases_365d,
         min(t.release_interval_median_days) as release_interval_median_days,
         min(t.days_since_last_release) as days_since_last_release,
         min(t.days_since_last_push) as days_since_last_push
  from members m
  left join repo_trends t on t.repo_id = m.repo_id
  group by m.project_id
),
-- bus factor over the pooled commits of the repos that have one (an author counts once per project)
pooled as (
  select m.project_id, a.author_key, sum(a.commits_365d) as commits
  from members m
  join repo_trends t on t.repo_id = m.repo_id and t.bus_factor is not null
  join trend_repo_authors a on a.repo_id = m.repo_id
  group by m.project_id, a.author_key
),
-- materialized: computed once. Without statistics (PGlite never analyzes) the planner guesses one
-- row and joined it in a nested loop that ran this whole window once per project (0.9 s, measured).
bus as materialized (
  select project_id, min(author_rank) as bus_factor
  from (
    select project_id,
           row_number() over w as author_rank,
           sum(commits) over w as running,
           sum(commits) over (partition by project_id) as total
    from pooled
    window w as (partition by project_id order by commits desc, author_key rows unbounded preceding)
  ) r
  where running * 2 > total
  group by project_id
),
combined as (
  select s.*, p.name, p.source, p.category, p.subcategory, p.maturity, b.bus_factor,
         s.g30::float8 / nullif(s.base30, 0) as growth30
  from projects p
  join sums s on s.project_id = p.id
  left join bus b on b.project_id = p.id
)
select
  c.project_id, c.name, c.source, c.category, c.subcategory, c.maturity, c.repos, c.repos_with_stars,
  c.as_of, c.created_on, c.coverage_days,
  c.stars, c.g1, c.g7, c.g30, c.g90,
  c.g7::float8 / nullif(c.base7, 0),
  c.growth30,
  c.g90::float8 / nullif(c.base90, 0),
  power((c.base90 + c.g90)::float8 / nullif(c.base90, 0), 365.0 / 90) - 1,
  c.rate7, c.rate28,
  case when c.rate28 > 0 then c.rate7 / c.rate28 end,
  c.forks, c.fg30, c.fg90,
  c.fg30::float8 / nullif(c.fbase30, 0),
  c.fg90::float8 / nullif(c.fbase90, 0),
  case when c.frate28 > 0 then c.frate7 / c.frate28 end,
  c.commits_30d, c.commits_365d,
  c.new_30d, c.new_prev_30d, c.new_90d, c.new_prev_90d,
  c.active_30d, c.active_prev_30d, c.bus_factor,
  c.releases_365d, c.release_interval_median_days, c.days_since_last_release, c.days_since_last_push,
  case when c.growth30 is not null and c.category is not null
            and count(c.growth30) over (partition by c.category) >= 2
       then 100 * percent_rank() over (partition by c.category, c.growth30 is null order by c.growth30) end,
  case when c.growth30 is not null
            and count(c.growth30) over (partition by c.maturity) >= 2
       then 100 * percent_rank() over (partition by c.maturity, c.growth30 is null order by c.growth30) end
from combined c;
