-- Platform staff (issue 16): a role outside the tenant roles, and the audit
-- log of what staff did to accounts.
--
-- Staff users live in one platform account ("igny8 staff"), created by
-- `igny8 admin create-staff`: an ordinary user row (so `login`, sessions
-- and password changes work unchanged) with the tenant role `viewer` and no
-- site grants, so their tenant operations see nothing but that empty
-- account. What makes them staff is a row here; staff operations read and
-- change other accounts' billing data through the system connection.

-- The platform account's plan: not offered (inactive), no limits, no credits.
INSERT INTO plans (id, slug, name, monthly_credits, price_cents, features, is_default, is_active)
VALUES ('01935c1e-0000-7000-8000-000000000099', 'staff', 'Platform staff', 0, 0, '{}', false, false)
ON CONFLICT (slug) DO NOTHING;

CREATE TABLE staff_members (
  user_id    uuid PRIMARY KEY,
  account_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id) ON DELETE CASCADE
);
CREATE INDEX staff_members_account_idx ON staff_members (account_id);

-- What staff did to an account: who, what, the state before and after, when.
-- Append-only for the application: no UPDATE or DELETE is granted.
CREATE TABLE audit_log (
  id            uuid PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  actor_user_id uuid,
  actor_email   text NOT NULL,
  action        text NOT NULL CHECK (action IN ('adjust_credits', 'set_plan', 'set_account_status',
                                                'confirm_payment', 'void_payment')),
  reason        text,
  before        jsonb NOT NULL,
  after         jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_account_idx ON audit_log (account_id, created_at DESC, id DESC);
CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC);

-- Both are tenant tables: an owner reads their account's audit entries in
-- their tenant transaction; the actor lookup (a tenant transaction of the
-- platform account) sees its staff rows.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff_members', 'audit_log']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (account_id = igny8_current_account()) '
                   'WITH CHECK (account_id = igny8_current_account())', t);
  END LOOP;
END
$$;
-- Staff are added by `igny8 admin create-staff` and removed by the operator in SQL.
GRANT SELECT, INSERT ON staff_members TO igny8_app, igny8_system;
GRANT SELECT, INSERT ON audit_log TO igny8_app, igny8_system;
