-- AI jobs: PostgreSQL owns their state; Redis carries work and events.

CREATE TABLE ai_jobs (
  id               uuid PRIMARY KEY,
  account_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id          uuid,
  site_id          uuid,
  function         text NOT NULL CHECK (function IN ('auto_cluster', 'generate_ideas', 'generate_content',
                                                     'generate_image_prompts', 'generate_images')),
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  phase            text NOT NULL DEFAULT 'init'
                   CHECK (phase IN ('init', 'prep', 'ai_call', 'parse', 'save', 'done')),
  -- runs started (claims), and stream deliveries seen (dead-letter after N)
  attempt          integer NOT NULL DEFAULT 0,
  deliveries       integer NOT NULL DEFAULT 0,
  -- fencing: only the holder of the current token may save
  lease_token      uuid,
  lease_expires_at timestamptz,
  -- not before (backoff after a transient failure)
  run_after        timestamptz NOT NULL DEFAULT now(),
  percent          integer NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
  items_done       integer NOT NULL DEFAULT 0,
  items_total      integer NOT NULL DEFAULT 0,
  message          text NOT NULL DEFAULT '',
  error            text,
  -- the provider's output, kept after AI_CALL so a retry does not pay twice
  raw_output       jsonb,
  -- {summary, items: [per-item results], errors: [per-item errors]}
  result           jsonb,
  model            text,
  tokens_in        integer NOT NULL DEFAULT 0,
  tokens_out       integer NOT NULL DEFAULT 0,
  cost_micro_usd   bigint NOT NULL DEFAULT 0,
  credits_held     bigint NOT NULL DEFAULT 0 CHECK (credits_held >= 0),
  credits_charged  bigint NOT NULL DEFAULT 0 CHECK (credits_charged >= 0),
  cancel_requested boolean NOT NULL DEFAULT false,
  -- sequence of the last progress event
  seq              bigint NOT NULL DEFAULT 0,
  enqueued_at      timestamptz NOT NULL DEFAULT now(),
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz
);
CREATE INDEX ai_jobs_account_idx ON ai_jobs (account_id, created_at DESC, id);
CREATE INDEX ai_jobs_active_idx ON ai_jobs (status, enqueued_at) WHERE status IN ('queued', 'running');

CREATE TABLE credit_usage_logs (
  id            uuid PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  site_id       uuid,
  -- one usage row per job: a replayed settlement cannot log twice
  job_id        uuid NOT NULL UNIQUE,
  operation     text NOT NULL,
  credits       bigint NOT NULL CHECK (credits >= 0),
  model         text,
  tokens_in     integer NOT NULL DEFAULT 0,
  tokens_out    integer NOT NULL DEFAULT 0,
  cost_micro_usd bigint NOT NULL DEFAULT 0,
  related_type  text,
  related_ids   uuid[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_usage_logs_account_idx ON credit_usage_logs (account_id, created_at DESC);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ai_jobs', 'credit_usage_logs']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (account_id = igny8_current_account()) '
                   'WITH CHECK (account_id = igny8_current_account())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO igny8_app, igny8_system', t);
  END LOOP;
END
$$;
