-- Takes the refresh lock (the single state row) for the rest of the transaction, so two
-- refreshes (the end of a collect and a manual `trends refresh`) run one after the other.
select refreshed_at, full_refreshed_at, compacted_before
from trend_refresh_state
for update;
