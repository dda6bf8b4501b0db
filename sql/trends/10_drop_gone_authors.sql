-- Authors whose last commit in the 365 days moved out of the window.
delete from trend_repo_authors a
using trend_dirty_repos d
where a.repo_id = d.repo_id
  and a.commits_365d = 0;
