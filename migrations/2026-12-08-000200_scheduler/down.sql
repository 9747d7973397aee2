DROP TABLE scheduled_tasks;
