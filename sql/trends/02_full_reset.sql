-- Full refresh only: everything is rebuilt, so start from empty tables (faster than deleting).
-- Not trend_changes: its rows are claimed by deleting those this refresh sees, so what a collect
-- adds meanwhile stays for the next refresh. trend_commit_queue: 10_full_clear_queue, just before
-- the count it stands for. repo_daily: next file, or replaced whole when built in parallel
-- (src/trends/parallel-daily.ts). repo_trends: 11_full_clear_repo_trends (its TRUNCATE's lock would
-- keep the parallel builders from making tables like it).
truncate trend_repo_authors;
