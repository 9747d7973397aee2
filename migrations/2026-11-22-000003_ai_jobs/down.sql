DROP TABLE IF EXISTS credit_usage_logs, ai_jobs;
