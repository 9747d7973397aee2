-- Job kinds: the kinds a worker can run, one row each, so a new kind (AI
-- or not, e.g. publishing) is one INSERT here instead of a rewritten CHECK.
-- `ai_jobs.function` becomes `ai_jobs.kind`, referencing it.

CREATE TABLE job_kinds (
  kind text PRIMARY KEY
);
GRANT SELECT ON job_kinds TO igny8_app, igny8_system;

INSERT INTO job_kinds (kind) VALUES
  ('auto_cluster'),
  ('generate_ideas'),
  ('generate_content'),
  ('generate_image_prompts'),
  ('generate_images');

ALTER TABLE ai_jobs RENAME COLUMN function TO kind;
ALTER TABLE ai_jobs DROP CONSTRAINT IF EXISTS ai_jobs_function_check;
ALTER TABLE ai_jobs ADD CONSTRAINT ai_jobs_kind_fkey FOREIGN KEY (kind) REFERENCES job_kinds (kind);

-- Every job belongs to a site (site grants apply to jobs): fill the rare
-- row without one from the first object its payload names.
CREATE FUNCTION pg_temp.first_id(p jsonb, key text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p->key->>0 ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              THEN (p->key->>0)::uuid END
$$;
UPDATE ai_jobs j SET site_id = COALESCE(
    (SELECT site_id FROM keywords WHERE id = pg_temp.first_id(j.payload, 'keyword_ids')),
    (SELECT site_id FROM clusters WHERE id = pg_temp.first_id(j.payload, 'cluster_ids')),
    (SELECT site_id FROM tasks    WHERE id = pg_temp.first_id(j.payload, 'task_ids')),
    (SELECT site_id FROM contents WHERE id = pg_temp.first_id(j.payload, 'content_ids')),
    (SELECT site_id FROM images   WHERE id = pg_temp.first_id(j.payload, 'image_ids')))
 WHERE j.site_id IS NULL;

CREATE INDEX ai_jobs_site_idx ON ai_jobs (account_id, site_id, created_at DESC);
DROP FUNCTION pg_temp.first_id(jsonb, text);
