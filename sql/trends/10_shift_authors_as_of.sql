-- The kept authors whose commits did not change windows: now as of the new day too.
update trend_repo_authors a
set as_of = d.as_of
from trend_dirty_repos d
where a.repo_id = d.repo_id
  and a.as_of < d.as_of;
