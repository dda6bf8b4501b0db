-- Each dirty repo's latest day (its trends are "as of" that day).
update trend_dirty_repos d
set as_of = (select max(x.day) from repo_daily x where x.repo_id = d.repo_id);
