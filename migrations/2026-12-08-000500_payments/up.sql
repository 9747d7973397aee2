-- Payments: credit packages, payments (Stripe or manual), invoices with
-- gapless sequential numbers, Stripe webhook events (idempotency).

-- Credit packages: platform data, like plans.
CREATE TABLE credit_packages (
  id          uuid PRIMARY KEY,
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  credits     bigint NOT NULL CHECK (credits > 0),
  price_cents bigint NOT NULL CHECK (price_cents >= 0),
  currency    text NOT NULL DEFAULT 'usd' CHECK (currency ~ '^[a-z]{3}$'),
  is_active   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON credit_packages TO igny8_app, igny8_system;
INSERT INTO credit_packages (id, slug, name, credits, price_cents) VALUES
  ('0193a000-0000-7000-8000-000000000501', 'credits-500',   '500 credits',   500,   1900),
  ('0193a000-0000-7000-8000-000000001000', 'credits-1000',  '1,000 credits', 1000,  3500),
  ('0193a000-0000-7000-8000-000000005000', 'credits-5000',  '5,000 credits', 5000, 14900);

-- Invoices: numbered per platform and year (INV-2026-000001), without gaps:
-- the number is taken from a counter row under its lock in the transaction
-- that writes the invoice, so a rolled-back request gives its number back.
CREATE TABLE invoice_counters (
  year integer PRIMARY KEY,
  last bigint NOT NULL
);
CREATE FUNCTION igny8_next_invoice_number(y integer) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  n bigint;
BEGIN
  INSERT INTO invoice_counters (year, last) VALUES (y, 1)
    ON CONFLICT (year) DO UPDATE SET last = invoice_counters.last + 1
    RETURNING last INTO n;
  RETURN format('INV-%s-%s', y, lpad(n::text, 6, '0'));
END
$$;
REVOKE ALL ON FUNCTION igny8_next_invoice_number(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION igny8_next_invoice_number(integer) TO igny8_app, igny8_system;

CREATE TABLE invoices (
  id           uuid PRIMARY KEY,
  account_id   uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  number       text NOT NULL UNIQUE,
  -- [{"description": …, "quantity": n, "unit_cents": n, "amount_cents": n}]
  lines        jsonb NOT NULL DEFAULT '[]',
  subtotal_cents bigint NOT NULL CHECK (subtotal_cents >= 0),
  total_cents  bigint NOT NULL CHECK (total_cents >= 0),
  currency     text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'void')),
  instructions text,
  issued_at    timestamptz NOT NULL DEFAULT now(),
  paid_at      timestamptz,
  voided_at    timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_account_idx ON invoices (account_id, issued_at DESC, id DESC);

CREATE TABLE payments (
  id           uuid PRIMARY KEY,
  account_id   uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('package', 'plan')),
  package_id   uuid REFERENCES credit_packages (id),
  plan_id      uuid REFERENCES plans (id),
  -- credits bought (packages), copied so later price edits do not change it
  credits      bigint NOT NULL DEFAULT 0 CHECK (credits >= 0),
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  currency     text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'void', 'failed')),
  provider     text NOT NULL CHECK (provider IN ('stripe', 'manual')),
  provider_checkout_id     text UNIQUE,
  provider_payment_id      text,
  provider_subscription_id text,
  checkout_url text,
  idempotency_key text NOT NULL UNIQUE,
  invoice_id   uuid REFERENCES invoices (id),
  requested_by uuid,
  paid_at      timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'package') = (package_id IS NOT NULL)),
  CHECK ((kind = 'plan') = (plan_id IS NOT NULL))
);
CREATE INDEX payments_account_idx ON payments (account_id, created_at DESC);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['invoices', 'payments']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (account_id = igny8_current_account()) '
                   'WITH CHECK (account_id = igny8_current_account())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO igny8_app, igny8_system', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION igny8_touch_updated_at()',
                   t || '_touch', t);
  END LOOP;
END
$$;

-- Stripe webhook events seen: an event id is processed once.
CREATE TABLE stripe_events (
  id          text PRIMARY KEY,
  type        text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON stripe_events TO igny8_system;
