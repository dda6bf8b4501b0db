-- 0006: scheduled jobs. A job run claims its slot (job + scheduled time) with a unique key, so two
-- `greenshoots start` processes on one database run each slot once: the first insert wins.
create table job_runs (
  id           bigint generated always as identity primary key,
  job          text        not null,
  slot         timestamptz,                 -- the scheduled time it runs for; null for a manual run
  trigger      text        not null check (trigger in ('schedule', 'catch-up', 'manual')),
  status       text        not null default 'running'
               check (status in ('running', 'succeeded', 'failed', 'interrupted', 'skipped')),
  started_at   timestamptz not null default now(),
  finished_at  timestamptz,
  process      text        not null,        -- host:pid that ran it
  error        text,
  unique (job, slot)
);
create index job_runs_job_started_idx on job_runs (job, started_at desc);
