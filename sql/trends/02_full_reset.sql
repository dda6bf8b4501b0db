-- Full refresh only: everything is rebuilt, so start from empty tables (faster than deleting).
-- Not trend_changes or trend_commit_queue: their rows are claimed by deleting those this refresh
-- sees, so what a collect adds meanwhile stays for the next refresh. repo_daily: next file, or
-- replaced whole when built in parallel (src/trends/parallel-daily.ts).
truncate trend_repo_authors, repo_trends;
