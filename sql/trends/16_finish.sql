-- Records the refresh (the database's clock).
-- Parameters: :'full' boolean
update trend_refresh_state
set refreshed_at = now(),
    full_refreshed_at = case when :'full'::boolean then now() else full_refreshed_at end;
