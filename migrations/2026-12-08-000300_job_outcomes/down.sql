UPDATE ai_jobs SET status = 'succeeded' WHERE status = 'partial';
ALTER TABLE ai_jobs DROP CONSTRAINT ai_jobs_status_check;
ALTER TABLE ai_jobs ADD CONSTRAINT ai_jobs_status_check
  CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
