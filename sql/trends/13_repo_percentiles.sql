-- For every repo: its home project (the project listing it as primary, else any; the oldest first),
-- that project's category and maturity, and where its 30-day star growth ranks among the repos of
-- the same category and of the same maturity: 100 × percent_rank (0 = slowest, 100 = fastest).
-- NULL without a growth figure, or with fewer than two repos with one in the group.
with home as (
  select distinct on (pr.repo_id) pr.repo_id, p.name, p.category, p.maturity
  from project_repos pr
  join projects p on p.id = pr.project_id
  where pr.removed_at is null and p.removed_at is null
  order by pr.repo_id, (pr.role = 'primary') desc, p.id
),
ranked as (
  select t.repo_id, h.name, h.category, h.maturity,
         case when t.stars_growth_30d is not null and h.category is not null
                   and count(t.stars_growth_30d) over (partition by h.category) >= 2
              then 100 * percent_rank() over (partition by h.category, t.stars_growth_30d is null
                                              order by t.stars_growth_30d) end as pct_category,
         case when t.stars_growth_30d is not null and h.maturity is not null
                   and count(t.stars_growth_30d) over (partition by h.maturity) >= 2
              then 100 * percent_rank() over (partition by h.maturity, t.stars_growth_30d is null
                                              order by t.stars_growth_30d) end as pct_maturity
  from repo_trends t
  left join home h on h.repo_id = t.repo_id
)
update repo_trends t
set project = r.name,
    category = r.category,
    maturity = r.maturity,
    stars_growth_30d_pct_category = r.pct_category,
    stars_growth_30d_pct_maturity = r.pct_maturity
from ranked r
where r.repo_id = t.repo_id
  and (t.project, t.category, t.maturity, t.stars_growth_30d_pct_category, t.stars_growth_30d_pct_maturity)
      is distinct from (r.name, r.category, r.maturity, r.pct_category, r.pct_maturity);
