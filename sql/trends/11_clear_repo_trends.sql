-- Deletes the trends about to be recomputed.
delete from repo_trends t
using trend_dirty_repos d
where t.repo_id = d.repo_id;
