-- Automation rules (AUT-2): when something happens on a site (keywords
-- added, clusters created, ideas created, articles written), run one stage
-- of its pipeline, at most N times a day, within a credit limit; every
-- execution is logged with its outcome.

CREATE TABLE automation_rules (
  id                          uuid PRIMARY KEY,
  account_id                  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  site_id                     uuid NOT NULL,
  name                        text NOT NULL,
  enabled                     boolean NOT NULL DEFAULT true,
  trigger                     text NOT NULL
                              CHECK (trigger IN ('keyword_added', 'cluster_created', 'idea_created',
                                                 'content_generated', 'schedule')),
  -- at least this many items pending for the action's stage
  min_pending                 integer NOT NULL DEFAULT 1 CHECK (min_pending >= 0),
  action_stage                integer NOT NULL CHECK (action_stage BETWEEN 1 AND 7),
  max_executions_per_day      integer NOT NULL DEFAULT 10 CHECK (max_executions_per_day BETWEEN 1 AND 1000),
  credit_limit_per_execution  bigint NOT NULL DEFAULT 100 CHECK (credit_limit_per_execution >= 0),
  -- keyword_added: keywords created after this were not seen yet
  watermark                   timestamptz NOT NULL DEFAULT now(),
  created_by                  uuid NOT NULL,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, account_id) REFERENCES sites (id, account_id) ON DELETE CASCADE,
  UNIQUE (id, account_id)
);
CREATE INDEX automation_rules_site_idx ON automation_rules (account_id, site_id, created_at, id);
CREATE INDEX automation_rules_trigger_idx ON automation_rules (site_id, trigger) WHERE enabled;

CREATE TABLE automation_rule_executions (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL,
  rule_id     uuid NOT NULL,
  -- what fired it (a job id, a keyword watermark): once per rule and event
  event_key   text NOT NULL,
  outcome     text NOT NULL
              CHECK (outcome IN ('started', 'skipped_condition', 'skipped_limit', 'skipped_busy',
                                 'skipped_disabled', 'loop_prevented')),
  message     text NOT NULL DEFAULT '',
  run_id      uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_id, event_key),
  FOREIGN KEY (rule_id, account_id) REFERENCES automation_rules (id, account_id) ON DELETE CASCADE
);
CREATE INDEX automation_rule_executions_rule_idx ON automation_rule_executions (rule_id, created_at DESC);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['automation_rules', 'automation_rule_executions']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (account_id = igny8_current_account()) '
                   'WITH CHECK (account_id = igny8_current_account())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO igny8_app, igny8_system', t);
  END LOOP;
END
$$;
