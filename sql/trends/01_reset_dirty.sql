-- Empties the working table of the previous refresh.
delete from trend_dirty_repos;
