-- Billing: plans as data with limits, two credit pools, the ledger's pool
-- split, renewals on the scheduler, plan limits enforced by the database.

-- Plans ----------------------------------------------------------------------

ALTER TABLE plans
  ADD COLUMN currency      text NOT NULL DEFAULT 'usd' CHECK (currency ~ '^[a-z]{3}$'),
  ADD COLUMN billing_cycle text NOT NULL DEFAULT 'monthly' CHECK (billing_cycle IN ('monthly', 'annual'));

-- limits live in `features` as max_<what>: a number, or absent for none.
-- They are enforced from now on; the trial's are generous enough to try
-- the product with a few sites and a team.
UPDATE plans SET features = features || '{"max_sites": 10, "max_users": 10, "max_keywords": 20000}' WHERE slug = 'trial';
UPDATE plans SET features = features || '{"max_keywords": 20000}' WHERE slug = 'starter';
UPDATE plans SET features = features || '{"max_keywords": 100000}' WHERE slug = 'growth';
UPDATE plans SET features = features || '{"max_keywords": 500000}' WHERE slug = 'scale';

-- Two pools -------------------------------------------------------------------

-- plan_credits: the part of credits_balance granted by the plan for the
-- current period (expires at its end); the rest was purchased or granted by
-- staff and never expires. Spending takes plan credits first.
ALTER TABLE accounts ADD COLUMN plan_credits bigint NOT NULL DEFAULT 0;
UPDATE accounts SET plan_credits = credits_balance;
ALTER TABLE accounts ADD CONSTRAINT accounts_plan_credits_check
  CHECK (plan_credits >= 0 AND plan_credits <= credits_balance);

-- The ledger records each entry's split between the pools and its order
-- (seq: taken under the account row's lock, so it is the order the balance
-- changed in, whatever the clocks said).
ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_kind_check;
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_kind_check
  CHECK (kind IN ('purchase', 'subscription', 'refund', 'deduction', 'adjustment', 'expiry'));
ALTER TABLE credit_transactions
  ADD COLUMN plan_amount      bigint NOT NULL DEFAULT 0,
  ADD COLUMN purchased_amount bigint NOT NULL DEFAULT 0,
  ADD COLUMN seq              bigint GENERATED ALWAYS AS IDENTITY;
UPDATE credit_transactions SET plan_amount = amount WHERE kind IN ('subscription', 'deduction');
UPDATE credit_transactions SET purchased_amount = amount WHERE kind NOT IN ('subscription', 'deduction');
ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_pools_check
  CHECK (plan_amount + purchased_amount = amount);
CREATE INDEX credit_transactions_seq_idx ON credit_transactions (account_id, seq);

-- Subscriptions -----------------------------------------------------------------

ALTER TABLE subscriptions
  ADD COLUMN pending_plan_id        uuid REFERENCES plans (id),
  ADD COLUMN stripe_subscription_id text UNIQUE,
  ADD COLUMN past_due_since         timestamptz;
DROP INDEX subscriptions_account_idx;
CREATE UNIQUE INDEX subscriptions_account_key ON subscriptions (account_id);

-- Every subscription's renewal is scheduled at its period's end, whichever
-- code path creates or moves the period: the scheduler's `billing.renew`
-- kind (jobs/src/billing.rs) runs it. Moving the due time does not touch a
-- claim in progress: the renewal itself moves it, inside its own run.
CREATE FUNCTION igny8_schedule_renewal() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO scheduled_tasks (id, kind, key, payload, due_at)
  VALUES (gen_random_uuid(), 'billing.renew', NEW.id::text,
          jsonb_build_object('account_id', NEW.account_id), NEW.current_period_end)
  ON CONFLICT (kind, key) DO UPDATE SET due_at = EXCLUDED.due_at
    WHERE scheduled_tasks.due_at IS DISTINCT FROM EXCLUDED.due_at;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION igny8_schedule_renewal() FROM PUBLIC;
CREATE TRIGGER subscriptions_schedule_renewal
  AFTER INSERT OR UPDATE OF current_period_end ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION igny8_schedule_renewal();
INSERT INTO scheduled_tasks (id, kind, key, payload, due_at)
  SELECT gen_random_uuid(), 'billing.renew', s.id::text,
         jsonb_build_object('account_id', s.account_id), s.current_period_end
    FROM subscriptions s
  ON CONFLICT (kind, key) DO NOTHING;

-- Plan limits ---------------------------------------------------------------------

-- After rows are added to a counted table, each account that gained rows is
-- locked (so concurrent inserts queue and see each other) and its rows are
-- counted against its plan's `max_<what>`; over it, the statement fails with
-- a check violation named `plan_limit` whose detail the API turns into
-- LIMIT_EXCEEDED {limit, max, plan, usage}.
CREATE FUNCTION igny8_enforce_plan_limit() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  lim text := TG_ARGV[0];
  r record;
  used bigint;
BEGIN
  FOR r IN
    SELECT a.id, p.slug, (p.features ->> lim)::bigint AS max
      FROM accounts a JOIN plans p ON p.id = a.plan_id
     WHERE a.id IN (SELECT DISTINCT account_id FROM added)
       AND p.features ? lim
     ORDER BY a.id
       FOR UPDATE OF a
  LOOP
    EXECUTE format('SELECT count(*) FROM %I WHERE account_id = $1 %s', TG_TABLE_NAME,
                   CASE WHEN TG_TABLE_NAME = 'users' THEN 'AND is_active' ELSE '' END)
      INTO used USING r.id;
    IF used > r.max THEN
      RAISE EXCEPTION 'the % plan allows % (%); this would make %', r.slug, lim, r.max, used
        USING ERRCODE = 'check_violation', CONSTRAINT = 'plan_limit',
              DETAIL = json_build_object('limit', lim, 'max', r.max, 'plan', r.slug,
                                         'usage', used - (SELECT count(*) FROM added WHERE account_id = r.id))::text;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
CREATE TRIGGER sites_plan_limit AFTER INSERT ON sites REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION igny8_enforce_plan_limit('max_sites');
CREATE TRIGGER users_plan_limit AFTER INSERT ON users REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION igny8_enforce_plan_limit('max_users');
CREATE TRIGGER keywords_plan_limit AFTER INSERT ON keywords REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION igny8_enforce_plan_limit('max_keywords');
CREATE TRIGGER clusters_plan_limit AFTER INSERT ON clusters REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION igny8_enforce_plan_limit('max_clusters');
CREATE TRIGGER content_ideas_plan_limit AFTER INSERT ON content_ideas REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION igny8_enforce_plan_limit('max_ideas');
