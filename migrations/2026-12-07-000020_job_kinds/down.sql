DROP INDEX IF EXISTS ai_jobs_site_idx;
ALTER TABLE ai_jobs DROP CONSTRAINT IF EXISTS ai_jobs_kind_fkey;
ALTER TABLE ai_jobs RENAME COLUMN kind TO function;
ALTER TABLE ai_jobs ADD CONSTRAINT ai_jobs_function_check
  CHECK (function IN ('auto_cluster', 'generate_ideas', 'generate_content', 'generate_image_prompts', 'generate_images'));
DROP TABLE IF EXISTS job_kinds;
