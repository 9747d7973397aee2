DROP TABLE automation_run_items;
DROP TABLE automation_run_stages;
DROP TABLE automation_runs;
DROP TABLE automation_configs;
