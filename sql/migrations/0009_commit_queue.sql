-- New commits wait here, per author and UTC day, until the next trend refresh adds them to their
-- authors' windows: after an hourly collect only the new commits are read, not the year of commits
-- of every repo that got one (0.7 s of a 3 s refresh on 3,000 repos, measured). Commits changed in
-- place (an update) still make the refresh count that repo's authors again (commits_from).
create table trend_commit_queue (
  repo_id     bigint  not null,
  author_key  text    not null,
  day         date    not null,
  commits     integer not null
);
create index trend_commit_queue_repo_idx on trend_commit_queue (repo_id);

create or replace function trend_note_commits() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day, commits_changed)
  select repo_id, min(utc_day(committed_at)), true from new_rows group by repo_id;
  insert into trend_commit_queue (repo_id, author_key, day, commits)
  select repo_id, author_key, utc_day(committed_at), count(*) from new_rows where author_key is not null group by 1, 2, 3;
  insert into trend_commit_authors as a (repo_id, author_key, first_commit_at)
  select repo_id, author_key, min(committed_at) from new_rows where author_key is not null group by 1, 2
  on conflict (repo_id, author_key) do update set first_commit_at = least(a.first_commit_at, excluded.first_commit_at);
  return null;
end $$;

create function trend_note_commit_updates() returns trigger language plpgsql as $$
begin
  insert into trend_changes (repo_id, from_day, commits_changed, commits_from)
  select repo_id, min(utc_day(committed_at)), true, min(utc_day(committed_at)) from new_rows group by repo_id;
  insert into trend_commit_authors as a (repo_id, author_key, first_commit_at)
  select repo_id, author_key, min(committed_at) from new_rows where author_key is not null group by 1, 2
  on conflict (repo_id, author_key) do update set first_commit_at = least(a.first_commit_at, excluded.first_commit_at);
  return null;
end $$;

drop trigger repo_commits_trends_update on repo_commits;
create trigger repo_commits_trends_update after update on repo_commits
  referencing new table as new_rows for each statement execute function trend_note_commit_updates();
