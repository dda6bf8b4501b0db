-- Takes the refresh lock (the single state row) for the rest of the transaction, so two
-- refreshes (the end of a collect and a manual `trends refresh`) run one after the other.
-- daily_intact: false when a crash recovery of the server emptied the unlogged repo_daily and
-- its marker (migration 0016): the series must then be rebuilt in full.
select refreshed_at, full_refreshed_at, compacted_before,
       exists (select 1 from trend_daily_intact) as daily_intact
from trend_refresh_state
for update;
