-- repo_daily becomes a table partitioned by repo_id, so that a full refresh on a Postgres server
-- can build the daily series in several sessions at once, each into a table of its own, and swap
-- those in as the partitions (src/trends/parallel-daily.ts). Readers and the incremental refresh
-- use repo_daily as before; the partitions are the refresh's business (named repo_daily_p*).
-- Until the first parallel full refresh, the existing rows stay one partition for every repo.
alter table repo_daily rename to repo_daily_p0;
alter table repo_daily_p0 rename constraint repo_daily_pkey to repo_daily_p0_pkey;
create table repo_daily (like repo_daily_p0 including defaults) partition by range (repo_id);
alter table repo_daily add constraint repo_daily_pkey primary key (repo_id, day);
-- every repo_id (the column is NOT NULL, so nothing is scanned); its key becomes the parent's
alter table repo_daily attach partition repo_daily_p0 for values from (minvalue) to (maxvalue);
