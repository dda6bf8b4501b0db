-- Commits by repo and time now carry their author in the index: counting each author's commits per
-- window (sql/trends/10_repo_authors.sql, 10_move_repo_authors.sql) reads the index alone instead
-- of one table page per commit (a full refresh of 3,000 repos, 934,000 commits: 2.0 s -> 1.3 s,
-- measured). It serves every lookup the old index did, which it replaces.
create index repo_commits_committed_author_idx on repo_commits (repo_id, committed_at) include (author_key);
drop index repo_commits_committed_idx;
