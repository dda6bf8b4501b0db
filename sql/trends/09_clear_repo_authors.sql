-- Commit authors per window are counted again (10_repo_authors) when commits were changed among
-- the days they counted, when the series ended earlier than before, or when the windows moved by a
-- year or more; otherwise 10_move_repo_authors moves them to the new as_of. They were counted as
-- of the repo's as_of in repo_trends (the previous refresh's; 12 rewrites it later).
delete from trend_repo_authors a
using trend_dirty_repos d
left join repo_trends t on t.repo_id = d.repo_id
where a.repo_id = d.repo_id
  and (t.as_of is null
       or d.commits_from <= t.as_of
       or d.as_of is null
       or d.as_of < t.as_of
       or d.as_of - t.as_of >= 365);
