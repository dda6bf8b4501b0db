-- Retention: keeps only the last snapshot of each UTC day for days that ended before :'cutoff'
-- (a day boundary), looking only at days from :'since' on (what earlier runs have not compacted).
-- Trend tables read the last snapshot of each day only, so they are unchanged by this.
-- Parameters: :'since' timestamptz, :'cutoff' timestamptz
delete from repo_snapshots s
using (
  select repo_id, utc_day(observed_at) as day, max(observed_at) as keep_at
  from repo_snapshots
  where observed_at >= :'since'::timestamptz and observed_at < :'cutoff'::timestamptz
  group by 1, 2
) k
where s.repo_id = k.repo_id
  and s.observed_at >= utc_start(k.day)
  and s.observed_at < k.keep_at;
