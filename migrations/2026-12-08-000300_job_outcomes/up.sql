-- Job outcomes (issue 18): a job ends SUCCEEDED, PARTIAL, FAILED or
-- CANCELLED by what became of its items, and keeps each item's outcome in
-- `result.outcomes` (`[{id, status, error?, note?}]`, `core::jobs::ItemOutcome`).

ALTER TABLE ai_jobs DROP CONSTRAINT ai_jobs_status_check;
ALTER TABLE ai_jobs ADD CONSTRAINT ai_jobs_status_check
  CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled'));

-- Rows written before: per-item failures were only in result.errors
-- ({id, error}) while the job read "succeeded". Their failures become
-- outcomes, and their status what the items say: nothing created →
-- failed, some → partial.
UPDATE ai_jobs j
   SET result = j.result || jsonb_build_object('outcomes', f.outcomes),
       status = CASE WHEN jsonb_array_length(COALESCE(j.result->'items', '[]')) = 0 THEN 'failed' ELSE 'partial' END,
       error = COALESCE(j.error, f.first_error)
  FROM (SELECT a.id,
               jsonb_agg(jsonb_build_object('id', e->>'id', 'status', 'failed', 'error', COALESCE(e->>'error', 'failed'))) AS outcomes,
               (array_agg(COALESCE(e->>'error', 'failed')))[1] AS first_error
          FROM ai_jobs a, jsonb_array_elements(a.result->'errors') e
         WHERE a.status = 'succeeded' AND jsonb_typeof(a.result->'errors') = 'array'
           AND e->>'id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
         GROUP BY a.id) f
 WHERE j.id = f.id;
