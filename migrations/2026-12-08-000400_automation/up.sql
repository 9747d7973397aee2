-- Automation (AUT-1): a site's pipeline configuration, its runs, each
-- run's per-stage record, and the items a run has taken (so a batch never
-- takes an item twice, and each item's outcome is kept).

CREATE TABLE automation_configs (
  site_id      uuid PRIMARY KEY,
  account_id   uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- core::automation::AutomationSettings
  settings     jsonb NOT NULL,
  updated_by   uuid,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, account_id) REFERENCES sites (id, account_id) ON DELETE CASCADE
);

CREATE TABLE automation_runs (
  id             uuid PRIMARY KEY,
  account_id     uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  site_id        uuid NOT NULL,
  -- whose authority the run's jobs carry (the user who started or resumed it)
  started_by     uuid NOT NULL,
  trigger        text NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule', 'rule')),
  status         text NOT NULL DEFAULT 'running'
                 CHECK (status IN ('running', 'paused', 'completed', 'cancelled', 'failed')),
  stage          integer NOT NULL DEFAULT 1 CHECK (stage BETWEEN 1 AND 7),
  pause_reason   text CHECK (pause_reason IN ('requested', 'insufficient_credits')),
  message        text NOT NULL DEFAULT '',
  -- the configuration the run started with
  settings       jsonb NOT NULL,
  credits_spent  bigint NOT NULL DEFAULT 0 CHECK (credits_spent >= 0),
  -- the job of the batch in flight; the run advances when it ends
  current_job_id uuid,
  -- not before (the delay between batches)
  next_batch_at  timestamptz,
  seq            bigint NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz,
  FOREIGN KEY (site_id, account_id) REFERENCES sites (id, account_id) ON DELETE CASCADE,
  UNIQUE (id, account_id)
);
-- one active run per site, whoever starts it and however many at once; a
-- cancelled run whose last batch is still in flight counts as active
CREATE UNIQUE INDEX automation_runs_one_active ON automation_runs (site_id)
  WHERE status IN ('running', 'paused') OR current_job_id IS NOT NULL;
CREATE INDEX automation_runs_site_idx ON automation_runs (account_id, site_id, created_at DESC, id);
CREATE INDEX automation_runs_job_idx ON automation_runs (current_job_id) WHERE current_job_id IS NOT NULL;
CREATE INDEX automation_runs_running_idx ON automation_runs (next_batch_at) WHERE status = 'running';

CREATE TABLE automation_run_stages (
  run_id       uuid NOT NULL,
  account_id   uuid NOT NULL,
  stage        integer NOT NULL CHECK (stage BETWEEN 1 AND 7),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'skipped')),
  -- items still pending at the last batch (for the stage's percent)
  remaining    integer NOT NULL DEFAULT 0,
  credits      bigint NOT NULL DEFAULT 0,
  jobs         integer NOT NULL DEFAULT 0,
  started_at   timestamptz,
  finished_at  timestamptz,
  PRIMARY KEY (run_id, stage),
  FOREIGN KEY (run_id, account_id) REFERENCES automation_runs (id, account_id) ON DELETE CASCADE
);

CREATE TABLE automation_run_items (
  run_id     uuid NOT NULL,
  account_id uuid NOT NULL,
  stage      integer NOT NULL CHECK (stage BETWEEN 1 AND 7),
  item_id    uuid NOT NULL,
  job_id     uuid,
  outcome    text NOT NULL DEFAULT 'in_flight' CHECK (outcome IN ('in_flight', 'done', 'skipped', 'failed')),
  message    text,
  PRIMARY KEY (run_id, stage, item_id),
  FOREIGN KEY (run_id, account_id) REFERENCES automation_runs (id, account_id) ON DELETE CASCADE
);
CREATE INDEX automation_run_items_job_idx ON automation_run_items (job_id) WHERE job_id IS NOT NULL;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['automation_configs', 'automation_runs', 'automation_run_stages', 'automation_run_items']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (account_id = igny8_current_account()) '
                   'WITH CHECK (account_id = igny8_current_account())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO igny8_app, igny8_system', t);
  END LOOP;
END
$$;
