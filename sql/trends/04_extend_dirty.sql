-- Moves each repo's first dirty day back to what depends on it:
-- - to the observed day before it: the days between two observations are interpolated from both;
-- - to the beginning when the change reaches the first observed day or before it (star and fork
--   list counts before the first observation are anchored to that day's last snapshot), or when
--   the repo has no daily series yet, or GitHub now serves it under another name (rare: every row
--   then takes the new name).
update trend_dirty_repos d
set from_day = case
  when f.first_obs_day is null
    or d.from_day <= f.first_obs_day
    or not exists (select 1 from repo_daily x where x.repo_id = d.repo_id)
    or exists (select 1 from repo_trends t join repos r on r.id = t.repo_id
               where t.repo_id = d.repo_id and t.repo <> coalesce(r.current_full_name, r.owner || '/' || r.name))
  then '-infinity'::date
  else (select max(s.day) from repo_snapshot_days s
        where s.repo_id = d.repo_id and s.day < d.from_day)
end
from (
  select d2.repo_id,
         (select min(s.day) from repo_snapshot_days s where s.repo_id = d2.repo_id) as first_obs_day
  from trend_dirty_repos d2
) f
where f.repo_id = d.repo_id
  and d.from_day > '-infinity'::date;
