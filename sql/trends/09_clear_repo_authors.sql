-- Commit authors per window are counted again (10_repo_authors) when commits were added among the
-- days they counted, when the series ended earlier than before, or when the windows moved by a
-- year or more; otherwise 10_shift_repo_authors moves them to the new as_of.
delete from trend_repo_authors a
using trend_dirty_repos d
where a.repo_id = d.repo_id
  and (d.commits_from <= a.as_of
       or d.as_of is null
       or d.as_of < a.as_of
       or d.as_of - a.as_of >= 365);
