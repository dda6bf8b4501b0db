-- Deletes the daily rows about to be recomputed: per dirty repo, its key range from the first dirty
-- day on (refresh.ts turns hash and merge joins off for this statement, so each repo is one range
-- scan of the key in the partition that holds it, never a scan of the whole table).
delete from repo_daily x
using trend_dirty_repos d
where x.repo_id = d.repo_id
  and x.day >= d.from_day;
