-- Speed of the trend refresh (issue #5: full refresh < 10 s, hourly < 2 s on 3,000 repos × 3 years).

-- The last snapshot of each repo and UTC day, kept by triggers on repo_snapshots. The trend
-- refresh reads days, not snapshots: with 90 days of hourly snapshots that is 3.3 M rows in key
-- order instead of picking them out of 9.5 M with a sort (15.7 s of the full refresh, measured).
-- Compaction (retention) keeps each day's last snapshot, so it does not change this table.
create table repo_snapshot_days (
  repo_id      bigint      not null references repos (id),
  day          date        not null,
  observed_at  timestamptz not null,   -- the snapshot kept for the day: its latest
  stars        integer     not null,
  forks        integer     not null,
  open_issues  integer,
  open_prs     integer,
  primary key (repo_id, day)
);

insert into repo_snapshot_days (repo_id, day, observed_at, stars, forks, open_issues, open_prs)
select distinct on (repo_id, utc_day(observed_at))
       repo_id, utc_day(observed_at), observed_at, stars, forks, open_issues, open_prs
from repo_snapshots
order by repo_id, utc_day(observed_at), observed_at desc;

-- New snapshots: a later one replaces its day's row, an earlier one (a late, out-of-order insert)
-- does not.
create function snapshot_days_insert() returns trigger language plpgsql as $$
begin
  insert into repo_snapshot_days as k (repo_id, day, observed_at, stars, forks, open_issues, open_prs)
  select distinct on (repo_id, utc_day(observed_at))
         repo_id, utc_day(observed_at), observed_at, stars, forks, open_issues, open_prs
  from new_rows
  order by repo_id, utc_day(observed_at), observed_at desc
  on conflict (repo_id, day) do update
    set observed_at = excluded.observed_at, stars = excluded.stars, forks = excluded.forks,
        open_issues = excluded.open_issues, open_prs = excluded.open_prs
    where excluded.observed_at > k.observed_at;
  return null;
end $$;

-- Deleted snapshots (compaction deletes all but the day's last, which leaves this table alone):
-- a day whose kept snapshot went takes the latest one left, or goes too, and its trends are
-- noted for recomputing.
create function snapshot_days_delete() returns trigger language plpgsql as $$
begin
  with gone as (
    select k.repo_id, k.day
    from old_rows o
    join repo_snapshot_days k on k.repo_id = o.repo_id and k.day = utc_day(o.observed_at) and k.observed_at = o.observed_at
  ),
  noted as (
    insert into trend_changes (repo_id, from_day)
    select repo_id, min(day) from gone group by repo_id
  ),
  refill as (
    select g.repo_id, g.day, s.observed_at, s.stars, s.forks, s.open_issues, s.open_prs
    from gone g
    cross join lateral (
      select * from repo_snapshots s
      where s.repo_id = g.repo_id and s.observed_at >= utc_start(g.day) and s.observed_at < utc_start(g.day + 1)
      order by s.observed_at desc
      limit 1
    ) s
  ),
  refilled as (
    update repo_snapshot_days k
    set observed_at = r.observed_at, stars = r.stars, forks = r.forks,
        open_issues = r.open_issues, open_prs = r.open_prs
    from refill r
    where k.repo_id = r.repo_id and k.day = r.day
  )
  delete from repo_snapshot_days k
  using gone g
  where k.repo_id = g.repo_id and k.day = g.day
    and not exists (select 1 from refill r where r.repo_id = g.repo_id and r.day = g.day);
  return null;
end $$;

create trigger repo_snapshots_days_insert after insert on repo_snapshots
  referencing new table as new_rows for each statement execute function snapshot_days_insert();
create trigger repo_snapshots_days_delete after delete on repo_snapshots
  referencing old table as old_rows for each statement execute function snapshot_days_delete();

-- repo_daily and trend_repo_authors are written only by the refresh, from repos it joins: their
-- foreign keys checked every row again, 25 s of the 35 s it took to write 3.3 M daily rows (measured).
alter table repo_daily drop constraint if exists repo_daily_repo_id_fkey;
alter table trend_repo_authors drop constraint if exists trend_repo_authors_repo_id_fkey;

-- Releases count on the day they were published (drafts and prereleases never): the refresh reads
-- each repo's first, last and recent ones by this expression, 3,000 repos an hour.
create index repo_releases_published_idx on repo_releases (repo_id, (coalesce(published_at, created_at)))
  where not is_draft and not is_prerelease;
