-- 0005: alerts (greenshoots alerts check, and the end of every trends refresh). docs/metrics.md
-- ("Alerts") explains the test and the thresholds; README ("Alerts") the channels.
--
-- One row per alert, with the evidence to judge it. idempotency_key is unique: the same alert
-- computed twice (a rerun, two processes) is one row, and receivers deduplicate on it.
create table alerts (
  id               bigint generated always as identity primary key,
  idempotency_key  text        not null unique,
  kind             text        not null check (kind in ('spike', 'breakout', 'maturity_change', 'first_release', 'major_release')),
  signal           text        not null check (signal in ('stars', 'forks', 'new_contributors', 'maturity', 'releases')),
  escalation       boolean     not null default false,   -- a re-alert of an open episode that escalated
  repo_id          bigint      references repos (id),
  repo             text,                                  -- owner/name when the alert was made
  project_id       bigint      references projects (id),
  project          text,
  episode_key      text        not null,                  -- signal:repo_id:first day (or the event's key)
  window_days      integer,                               -- 1 (spike) or 7 (breakout); null for events
  window_start     date,
  window_end       date,                                  -- the last day of the window, or the event's day
  observed         double precision,                      -- count in the window (stars, forks, new contributors)
  expected         double precision,                      -- the baseline's mean per day × usable days in the window
  ratio            double precision,                      -- observed / expected
  p_value          double precision,                      -- P(count >= observed | baseline), negative binomial or Poisson
  score            double precision,                      -- -log10(p_value), capped at 300
  peak             double precision,                      -- the largest day in the window: what escalation compares
  baseline_days    integer,                               -- usable days in the baseline
  baseline_mean    double precision,                      -- per day
  baseline_size    double precision,                      -- negative binomial size r (null: Poisson)
  thresholds       jsonb       not null default '{}',     -- the thresholds this alert passed
  details          jsonb       not null default '{}',     -- daily values of the window, release tag, maturity from/to …
  created_at       timestamptz not null default now()
);
create index alerts_created_idx on alerts (created_at);
create index alerts_repo_signal_idx on alerts (repo_id, signal, created_at);

-- Per repo and signal: the days already evaluated and the open episode, if any. Evaluating a
-- day once (evaluated_through) is what makes a rerun alert nothing new.
create table alert_signal_state (
  repo_id            bigint  not null references repos (id),
  signal             text    not null check (signal in ('stars', 'forks', 'new_contributors')),
  evaluated_through  date    not null,
  episode_started_on date,                -- null: no open episode (the signal is at its baseline)
  episode_peak       double precision,    -- peak of the episode's last alert
  episode_alerts     integer not null default 0,
  last_alert_id      bigint  references alerts (id),
  updated_at         timestamptz not null default now(),
  primary key (repo_id, signal)
);

-- One row per alert and channel ('log', 'webhook:<8 hex of the URL's sha256>', 'slack:…'): never
-- the URL itself, which is a secret. At-least-once: delivered only after the receiver said 2xx.
create table alert_deliveries (
  alert_id        bigint      not null references alerts (id),
  channel         text        not null,
  status          text        not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts        integer     not null default 0,
  last_error      text,                                   -- e.g. 'HTTP 500', 'connection refused'
  next_attempt_at timestamptz not null default now(),     -- also a lease while a process sends it
  delivered_at    timestamptz,
  updated_at      timestamptz not null default now(),
  primary key (alert_id, channel)
);
create index alert_deliveries_pending_idx on alert_deliveries (next_attempt_at) where status = 'pending';
