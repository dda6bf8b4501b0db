-- Commit authors per window are recounted when commits changed or the window moved (new as_of).
delete from trend_repo_authors a
using trend_dirty_repos d
where a.repo_id = d.repo_id
  and (d.commits_changed or d.as_of is distinct from a.as_of);
