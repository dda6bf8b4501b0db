-- project_trends is small (one row per project): rebuilt whole on every refresh.
delete from project_trends;
