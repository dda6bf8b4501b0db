-- repo_daily's partitions become UNLOGGED. Every row of repo_daily is derived from the collected
-- tables (which stay logged) and a refresh can rebuild it whole, so writing it to the WAL as well
-- only slowed the full refresh: two builders writing 3.3 M rows (460 MB of WAL) queued on the WAL
-- locks, 2.2 s of each builder's ~7 s (3,000 repos, Postgres 15 defaults, measured). The parent
-- stays a permanent table; only its partitions hold rows.
--
-- What unlogged costs (docs/metrics.md, "Storage"): after a crash of the server (not a clean
-- shutdown) Postgres empties unlogged tables, and a standby server does not have their rows.
-- trend_daily_intact is the marker of a complete series: unlogged too, so the same crash
-- recovery empties it with the partitions; a refresh that finds it empty rebuilds the series in
-- full (src/trends/refresh.ts) and puts the row back.
create unlogged table trend_daily_intact (
  intact boolean primary key default true check (intact)
);
insert into trend_daily_intact (intact) values (true);

do $$
declare
  part regclass;
begin
  for part in select i.inhrelid::regclass from pg_inherits i where i.inhparent = 'repo_daily'::regclass loop
    execute format('alter table %s set unlogged', part);
  end loop;
end
$$;
