-- Full refresh in one session only: the daily series is rebuilt from an empty table.
truncate repo_daily;
