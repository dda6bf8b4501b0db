-- Recomputes repo_daily for the dirty repos from their first dirty day on (all days when it is
-- -infinity). One row per UTC day from the repo's first observation or event to its latest;
-- formulas and NULL rules in docs/metrics.md.
insert into repo_daily (repo_id, day, repo, stars, stars_new, stars_source, forks, forks_new, forks_source,
                        contributors, new_contributors, commits, releases, open_issues, open_prs)
-- Each dirty repo, with how far each of its history streams holds every item (repo_streams; see
-- stream_covered_from/_to), read by key per repo and carried along: joined as a list of streams,
-- the planner scanned it whole once per repo (9 M rows for 1,500 repos, 0.9 s, measured).
with dirty as (
  select d.repo_id, d.from_day, utc_start(d.from_day) as from_at,
         coalesce(r.current_full_name, r.owner || '/' || r.name) as repo, c.*
  from trend_dirty_repos d
  join repos r on r.id = d.repo_id
  cross join lateral (
    select max(s.covered_from) filter (where s.stream = 'stars' and not s.restricted) as stars_covered_from,
           max(s.covered_to) filter (where s.stream = 'stars' and not s.restricted) as stars_covered_to,
           max(s.covered_from) filter (where s.stream = 'forks') as forks_covered_from,
           max(s.covered_to) filter (where s.stream = 'forks') as forks_covered_to,
           max(s.covered_from) filter (where s.stream = 'commits') as commits_covered_from,
           max(s.covered_to) filter (where s.stream = 'commits') as commits_covered_to,
           max(s.covered_from) filter (where s.stream = 'releases') as releases_covered_from,
           max(s.covered_to) filter (where s.stream = 'releases') as releases_covered_to
    from (
      select s.stream, s.restricted,
             stream_covered_from(s.backfill_done, s.horizon_at, s.oldest_at) as covered_from,
             stream_covered_to(s.checked_at, s.newest_at) as covered_to
      from repo_streams s
      where s.repo_id = d.repo_id
    ) s
  ) c
),
-- The series runs from the first observation or event to the latest (min/max read from indexes).
-- The first event matters only to a series rebuilt from its beginning or never observed: after an
-- hourly collect its five lookups per repo are skipped (CASE evaluates its branch only when true).
bounds as (
  select d.*, o.first_obs_day, o.last_obs_day,
         least(o.first_obs_day, x.first_event_day) as start_day,
         greatest(o.last_obs_day, x.last_event_day) as end_day
  from dirty d
  cross join lateral (
    select
      (select min(s.day) from repo_snapshot_days s where s.repo_id = d.repo_id) as first_obs_day,
      (select max(s.day) from repo_snapshot_days s where s.repo_id = d.repo_id) as last_obs_day
    offset 0  -- each lookup once per repo: pulled up, every reference below would repeat it
  ) o
  cross join lateral (
    select
      case when d.from_day = '-infinity'::date or o.first_obs_day is null then least(
        (select utc_day(min(c.observed_at)) from repo_contributor_counts c where c.repo_id = d.repo_id),
        (select utc_day(min(f.created_at)) from repo_forks f where f.repo_id = d.repo_id),
        (select utc_day(min(coalesce(rl.published_at, rl.created_at))) from repo_releases rl
          where rl.repo_id = d.repo_id and not rl.is_draft and not rl.is_prerelease),
        (select utc_day(min(c.committed_at)) from repo_commits c where c.repo_id = d.repo_id),
        (select utc_day(min(st.starred_at)) from repo_stars st where st.repo_id = d.repo_id)
      ) end as first_event_day,
      greatest(
        (select utc_day(max(c.observed_at)) from repo_contributor_counts c where c.repo_id = d.repo_id),
        (select utc_day(max(f.created_at)) from repo_forks f where f.repo_id = d.repo_id),
        (select utc_day(max(coalesce(rl.published_at, rl.created_at))) from repo_releases rl
          where rl.repo_id = d.repo_id and not rl.is_draft and not rl.is_prerelease),
        (select utc_day(max(c.committed_at)) from repo_commits c where c.repo_id = d.repo_id),
        (select utc_day(max(st.starred_at)) from repo_stars st where st.repo_id = d.repo_id)
      ) as last_event_day
  ) x
),
-- Star and fork lists before the first observation are anchored to the first observed day's last
-- snapshot: stars at the end of day d = anchor stars - list stars after day d up to the anchor.
anchor as (
  select b.repo_id, b.start_day, b.first_obs_day, a.observed_at, a.stars, a.forks,
         b.stars_covered_from, b.stars_covered_to, b.forks_covered_from, b.forks_covered_to
  from bounds b
  join repo_snapshot_days a on a.repo_id = b.repo_id and a.day = b.first_obs_day
  where b.from_day = '-infinity'::date and b.first_obs_day > b.start_day
),
star_list as (
  -- the stargazer list only: the events feed ('events') is partial
  select st.repo_id, utc_day(st.starred_at) as day, count(*)::integer as n
  from anchor a
  join repo_stars st on st.repo_id = a.repo_id and st.starred_at <= a.observed_at and st.source <> 'events'
  group by 1, 2
),
fork_list as (
  select f.repo_id, utc_day(f.created_at) as day, count(*)::integer as n
  from anchor a
  join repo_forks f on f.repo_id = a.repo_id and f.created_at <= a.observed_at
  group by 1, 2
),
pre_days as (
  select a.*, a.start_day + g.i as day
  from anchor a
  cross join lateral generate_series(0, a.first_obs_day - a.start_day - 1) g(i)
),
list_totals as (
  select a.repo_id, coalesce(s.n, 0) as stars_total, coalesce(f.n, 0) as forks_total
  from anchor a
  left join (select repo_id, sum(n) as n from star_list group by repo_id) s on s.repo_id = a.repo_id
  left join (select repo_id, sum(n) as n from fork_list group by repo_id) f on f.repo_id = a.repo_id
),
pre as (
  select p.repo_id, p.day, p.first_obs_day, p.stars as anchor_stars, p.forks as anchor_forks,
         p.stars_covered_from, p.stars_covered_to, p.forks_covered_from, p.forks_covered_to,
         t.stars_total - sum(coalesce(sl.n, 0)) over w as stars_after,
         t.forks_total - sum(coalesce(fl.n, 0)) over w as forks_after
  from pre_days p
  join list_totals t on t.repo_id = p.repo_id
  left join star_list sl on sl.repo_id = p.repo_id and sl.day = p.day
  left join fork_list fl on fl.repo_id = p.repo_id and fl.day = p.day
  window w as (partition by p.repo_id order by p.day)
),
pre_values as (
  select p.repo_id, p.day, p.first_obs_day,
         case when p.stars_covered_from <= p.day and p.stars_covered_to >= p.first_obs_day
              then p.anchor_stars - p.stars_after end as stars,
         case when p.forks_covered_from <= p.day and p.forks_covered_to >= p.first_obs_day
              then p.anchor_forks - p.forks_after end as forks
  from pre p
),
-- Per repo, once: the stars and forks of the day before its first recomputed observed day (the
-- last refresh's row, as an incremental refresh starts on an observed day, or the last list day),
-- how far its commit and release histories reach, and the instants its recomputed observed days
-- span (NULL for a repo never observed).
repo_info as (
  select d.repo_id, d.from_day, d.from_at, d.repo,
         coalesce(sd.stars, pl.stars) as seed_stars, coalesce(sd.forks, pl.forks) as seed_forks,
         d.commits_covered_from as commits_from, d.commits_covered_to as commits_to,
         d.releases_covered_from as releases_from, d.releases_covered_to as releases_to,
         utc_start(greatest(d.from_day, b.first_obs_day)) as obs_from_at,
         utc_start(b.last_obs_day + 1) as obs_to_at
  from dirty d
  join bounds b on b.repo_id = d.repo_id
  left join lateral (
    -- only when not rebuilt from the beginning (a one-time filter per repo): on a full refresh the
    -- table has no key while it fills, and a scan of it per repo would read every row written so far
    select x.stars, x.forks from repo_daily x
    where d.from_day > '-infinity'::date and x.repo_id = d.repo_id and x.day = d.from_day - 1
    offset 0
  ) sd on true
  left join pre_values pl on pl.repo_id = d.repo_id and pl.day = pl.first_obs_day - 1
),
-- Each observed day from the first dirty day on (the last snapshot of the UTC day, kept in
-- repo_snapshot_days by triggers), the unobserved days between it and the observed day before
-- it, and the events of those days: all per repo, in one LATERAL. The window runs over one repo's
-- index range in day order (no sort) and the events are grouped and joined per repo, in hash
-- tables of a few hundred days: one join of every day with every repo's events took about half
-- of a full refresh's series (3,000 repos, measured). The first day's "before" is repo_info's seed.
observed as (
  select i.repo_id, i.repo, i.commits_from, i.commits_to, i.releases_from, i.releases_to, x.*
  from repo_info i
  cross join lateral (
    -- each observed day (j = gap) and the unobserved days since the observed day before it
    -- (0 < j < gap): linear between the two, rounded half away from zero. Most days are observed
    -- the day after the last (gap 1) and skip the arithmetic. The set-returning function sits in
    -- the select list (a ProjectSet), as a LATERAL function scan per row cost 60x more (measured).
    -- Every row carries the stars and forks of the day before it, so stars_new needs no window
    -- over the whole series (a sort of millions of wide rows that spilled to disk, measured).
    select o.day - o.gap + o.j as day,
           case when o.j = o.gap then o.stars
                else round(o.prev_stars + (o.stars - o.prev_stars) * o.j::numeric / o.gap)::integer end as stars,
           case when o.j = 1 then o.prev_stars
                else round(o.prev_stars + (o.stars - o.prev_stars) * (o.j - 1)::numeric / o.gap)::integer end as stars_prev,
           case when o.j = o.gap then 'observed' else 'interpolated' end as stars_source,
           case when o.j = o.gap then o.forks
                else round(o.prev_forks + (o.forks - o.prev_forks) * o.j::numeric / o.gap)::integer end as forks,
           case when o.j = 1 then o.prev_forks
                else round(o.prev_forks + (o.forks - o.prev_forks) * (o.j - 1)::numeric / o.gap)::integer end as forks_prev,
           case when o.j = o.gap then 'observed' else 'interpolated' end as forks_source,
           case when o.j = o.gap then o.open_issues end as open_issues,
           case when o.j = o.gap then o.open_prs end as open_prs,
           e.commits, e.new_authors, e.releases, e.contributors
    from (
      select o.day, o.stars, o.forks, o.open_issues, o.open_prs,
             coalesce(o.day - o.prev_day, 1) as gap,
             case when o.prev_day is null then i.seed_stars else o.prev_stars end as prev_stars,
             case when o.prev_day is null then i.seed_forks else o.prev_forks end as prev_forks,
             generate_series(1, coalesce(o.day - o.prev_day, 1)) as j
      from (
        select s.day, s.stars, s.forks, s.open_issues, s.open_prs,
               lag(s.day) over w as prev_day, lag(s.stars) over w as prev_stars, lag(s.forks) over w as prev_forks
        from repo_snapshot_days s
        where s.repo_id = i.repo_id and s.day >= i.from_day
        window w as (order by s.day)
      ) o
    ) o
    left join repo_day_events(i.repo_id, i.obs_from_at, i.obs_to_at) e on e.day = o.day - o.gap + o.j
  ) x
),
-- The days outside the observed range: before the first observation (from the lists where they
-- cover the day, else nothing) and after the last one (or every day of a repo never observed).
-- Few on most refreshes: their events are read per repo from the instants outside that range.
unobserved as (
  select i.repo_id, i.repo, i.commits_from, i.commits_to, i.releases_from, i.releases_to, p.day,
         p.stars, lag(p.stars) over w as stars_prev, case when p.stars is null then 'none' else 'star_list' end as stars_source,
         p.forks, lag(p.forks) over w as forks_prev, case when p.forks is null then 'none' else 'fork_list' end as forks_source,
         null::integer as open_issues, null::integer as open_prs
  from pre_values p
  join repo_info i on i.repo_id = p.repo_id
  window w as (partition by p.repo_id order by p.day)
  union all
  select i.repo_id, i.repo, i.commits_from, i.commits_to, i.releases_from, i.releases_to,
         greatest(b.start_day, b.last_obs_day + 1) + g.i, null, null, 'none', null, null, 'none', null, null
  from bounds b
  join repo_info i on i.repo_id = b.repo_id
  cross join lateral generate_series(0, b.end_day - greatest(b.start_day, b.last_obs_day + 1)) g(i)
  where (b.first_obs_day is null or b.end_day > b.last_obs_day)
    and greatest(b.start_day, b.last_obs_day + 1) + g.i >= i.from_day
),
outside as (
  select i.repo_id, r.lo, r.hi
  from repo_info i
  cross join lateral (values
    (i.from_at, coalesce(i.obs_from_at, 'infinity'::timestamptz)),
    (greatest(i.from_at, coalesce(i.obs_to_at, 'infinity'::timestamptz)), 'infinity'::timestamptz)
  ) r(lo, hi)
  where r.lo < r.hi
),
-- Their events (commits, new authors, releases, the day's last contributor count), per repo.
unobserved_events as (
  select o.repo_id, e.*
  from outside o
  cross join lateral repo_day_events(o.repo_id, o.lo, o.hi) e
),
series as (
  select * from observed
  union all
  select u.*, e.commits, e.new_authors, e.releases, e.contributors
  from unobserved u
  left join unobserved_events e on e.repo_id = u.repo_id and e.day = u.day
)
select s.repo_id, s.day, s.repo,
       s.stars, s.stars - s.stars_prev, s.stars_source,
       s.forks, s.forks - s.forks_prev, s.forks_source,
       s.contributors,
       case when s.commits_from <= s.day and s.day <= s.commits_to then coalesce(s.new_authors, 0) end,
       case when s.commits_from <= s.day and s.day <= s.commits_to then coalesce(s.commits, 0) end,
       case when s.releases_from <= s.day and s.day <= s.releases_to then coalesce(s.releases, 0) end,
       s.open_issues,
       s.open_prs
from series s;
