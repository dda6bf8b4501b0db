-- The first UTC day of the commits a change added (NULL: the change added none), so a refresh can
-- tell "new commits after the counted days" (move the author windows by the difference) from
-- "commits added among the counted days" (count them again). Issue #5: on the first refresh of
-- each UTC day every repo's 365-day window moves, and counting all of them again took 2–3 s.
alter table trend_changes add column commits_from date;
alter table trend_dirty_repos add column commits_from date;

create or replace function trend_note_commits() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day, commits_changed, commits_from)
  select repo_id, min(utc_day(committed_at)), true, min(utc_day(committed_at)) from new_rows group by repo_id;
  insert into trend_commit_authors as a (repo_id, author_key, first_commit_at)
  select repo_id, author_key, min(committed_at) from new_rows where author_key is not null group by 1, 2
  on conflict (repo_id, author_key) do update set first_commit_at = least(a.first_commit_at, excluded.first_commit_at);
  return null;
end $$;

-- Changes noted before this migration did not say which days they added: count those repos again.
update trend_changes set commits_from = '-infinity' where commits_changed;
