-- Full refresh only: repo_daily holds a complete series again. Its marker is emptied together with
-- the unlogged series by a crash recovery of the server (migration 0016).
insert into trend_daily_intact (intact) values (true)
on conflict (intact) do nothing;
