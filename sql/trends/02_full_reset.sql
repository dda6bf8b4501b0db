-- Full refresh only: everything is rebuilt, so start from empty tables (faster than deleting).
truncate repo_daily, trend_repo_authors, repo_trends, trend_changes;
