-- Moves each repo's first dirty day back to what depends on it:
-- - to the observed day before it: the days between two observations are interpolated from both;
-- - to the beginning when the change reaches the first observed day or before it (star and fork
--   list counts before the first observation are anchored to that day's last snapshot), or when
--   the repo has no daily series yet (no repo_trends row: a refresh writes one for every repo
--   with daily rows), or GitHub now serves it under another name (rare: every row then takes
--   the new name).
update trend_dirty_repos d
set from_day = case
  when f.first_obs_day is null
    or d.from_day <= f.first_obs_day
    or t.repo_id is null
    or t.repo <> coalesce(r.current_full_name, r.owner || '/' || r.name)
  then '-infinity'::date
  else (select max(s.day) from repo_snapshot_days s
        where s.repo_id = d.repo_id and s.day < d.from_day)
end
from (
  select d2.repo_id,
         (select min(s.day) from repo_snapshot_days s where s.repo_id = d2.repo_id) as first_obs_day
  from trend_dirty_repos d2
  offset 0  -- the lookup once per repo: pulled up, each reference above would repeat it
) f
join repos r on r.id = f.repo_id
left join repo_trends t on t.repo_id = f.repo_id
where f.repo_id = d.repo_id
  and d.from_day > '-infinity'::date;
