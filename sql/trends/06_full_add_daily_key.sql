-- Full refresh only: the key dropped by 02_full_drop_daily_key, built once over the new rows.
alter table repo_daily add constraint repo_daily_pkey primary key (repo_id, day);
