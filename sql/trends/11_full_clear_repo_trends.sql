-- Full refresh only: every repo's trends are recomputed, and those of repos gone from `repos` go.
-- A DELETE (a few thousand rows), not TRUNCATE: the parallel builders (src/trends/parallel-daily.ts)
-- make tables like repo_trends while the refresh's transaction runs, which TRUNCATE's lock forbids.
delete from repo_trends;
