-- Claims the changes the triggers noted: which repos to recompute, from which UTC day, and from
-- which day commits were changed in place (commits_from; their authors are then counted again).
-- With :full, every repo, from the beginning. Changes committed while this runs stay for the next.
-- Parameters: :'full' boolean
with claimed as (
  delete from trend_changes returning repo_id, from_day, commits_from
)
insert into trend_dirty_repos (repo_id, from_day, commits_from)
select c.repo_id, min(c.from_day), min(c.commits_from)
from (
  select repo_id, from_day, commits_from from claimed
  union all
  select id, '-infinity'::date, '-infinity'::date from repos where :'full'::boolean
) c
where c.from_day < 'infinity'::date
  and exists (select 1 from repos r where r.id = c.repo_id)
group by c.repo_id;
