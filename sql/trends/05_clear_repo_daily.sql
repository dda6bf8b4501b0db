-- Deletes the daily rows about to be recomputed. The rows are found per repo through the primary
-- key (a LATERAL range scan; `offset 0` keeps it from becoming a scan of the whole table), then
-- deleted by their ctid.
delete from repo_daily
where ctid = any (array(
  select x.ctid
  from trend_dirty_repos d
  cross join lateral (
    select x.ctid from repo_daily x
    where x.repo_id = d.repo_id and x.day >= d.from_day
    offset 0
  ) x
));
