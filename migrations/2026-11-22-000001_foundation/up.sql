-- Foundation: roles, tenancy tables, row-level security, reference data.
--
-- Two roles, created once per cluster, never log in; the application's
-- connection switches to them per transaction (set_config('role', ...)):
--   igny8_app     every tenant request; row-level security applies.
--   igny8_system  the narrow, audited cross-tenant bypass (login by email,
--                 refresh-token lookup, sweepers, the developer role).
DO $$
BEGIN
  BEGIN
    CREATE ROLE igny8_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE igny8_system NOLOGIN NOSUPERUSER BYPASSRLS NOINHERIT;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
END
$$;
GRANT igny8_app TO CURRENT_USER;
GRANT igny8_system TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO igny8_app, igny8_system;

-- The tenant of the current transaction; NULL when unset (then no row matches).
CREATE FUNCTION igny8_current_account() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.account_id', true), '')::uuid $$;
GRANT EXECUTE ON FUNCTION igny8_current_account() TO igny8_app, igny8_system;

CREATE FUNCTION igny8_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- Reference data (global, read-only for the application) -------------------

CREATE TABLE plans (
  id              uuid PRIMARY KEY,
  slug            text NOT NULL UNIQUE,
  name            text NOT NULL,
  monthly_credits bigint NOT NULL CHECK (monthly_credits >= 0),
  price_cents     bigint NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
  features        jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- per-operation credit cost overrides, e.g. {"generate_content": 2}
  credit_costs    jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_default      boolean NOT NULL DEFAULT false,
  is_active       boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX plans_one_default ON plans (is_default) WHERE is_default;

CREATE TABLE industries (
  id          uuid PRIMARY KEY,
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text NOT NULL DEFAULT ''
);

CREATE TABLE industry_sectors (
  id          uuid PRIMARY KEY,
  industry_id uuid NOT NULL REFERENCES industries (id) ON DELETE CASCADE,
  slug        text NOT NULL,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  UNIQUE (industry_id, slug)
);

-- Tenancy ------------------------------------------------------------------

CREATE TABLE accounts (
  id              uuid PRIMARY KEY,
  name            text NOT NULL CHECK (length(btrim(name)) > 0),
  slug            text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'trial'
                  CHECK (status IN ('active', 'trial', 'suspended', 'cancelled')),
  plan_id         uuid NOT NULL REFERENCES plans (id),
  credits_balance bigint NOT NULL DEFAULT 0 CHECK (credits_balance >= 0),
  credits_held    bigint NOT NULL DEFAULT 0 CHECK (credits_held >= 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (credits_held <= credits_balance)
);
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION igny8_touch_updated_at();

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- stored lower-cased, so lookups and the unique index agree
  email         text NOT NULL CHECK (email = lower(btrim(email))),
  name          text NOT NULL DEFAULT '',
  password_hash text NOT NULL,
  role          text NOT NULL
                CHECK (role IN ('developer', 'owner', 'admin', 'editor', 'viewer', 'system_bot')),
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, account_id)
);
-- Emails are unique across the system (login is by email alone).
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_account_idx ON users (account_id);
CREATE TRIGGER users_touch BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION igny8_touch_updated_at();

CREATE TABLE subscriptions (
  id                   uuid PRIMARY KEY,
  account_id           uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  plan_id              uuid NOT NULL REFERENCES plans (id),
  status               text NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'trialing', 'past_due', 'cancelled')),
  current_period_start timestamptz NOT NULL DEFAULT now(),
  current_period_end   timestamptz NOT NULL DEFAULT now() + interval '1 month',
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_account_idx ON subscriptions (account_id);

CREATE TABLE sites (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(btrim(name)) > 0),
  slug        text NOT NULL,
  domain      text,
  industry_id uuid REFERENCES industries (id),
  is_active   boolean NOT NULL DEFAULT true,
  wp_url      text,
  wp_username text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, slug),
  UNIQUE (id, account_id)
);
CREATE TRIGGER sites_touch BEFORE UPDATE ON sites
  FOR EACH ROW EXECUTE FUNCTION igny8_touch_updated_at();

CREATE TABLE sectors (
  id                 uuid PRIMARY KEY,
  account_id         uuid NOT NULL,
  site_id            uuid NOT NULL,
  name               text NOT NULL CHECK (length(btrim(name)) > 0),
  slug               text NOT NULL,
  industry_sector_id uuid REFERENCES industry_sectors (id),
  is_active          boolean NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- the sector's site belongs to the same account
  FOREIGN KEY (site_id, account_id) REFERENCES sites (id, account_id) ON DELETE CASCADE,
  UNIQUE (site_id, slug),
  -- planner/writer rows reference (sector_id, site_id, account_id)
  UNIQUE (id, site_id, account_id)
);
CREATE INDEX sectors_site_idx ON sectors (site_id, created_at);
CREATE TRIGGER sectors_touch BEFORE UPDATE ON sectors
  FOR EACH ROW EXECUTE FUNCTION igny8_touch_updated_at();

-- At most 5 active sectors per site (TEN-6). The site row is locked first, so
-- two concurrent transactions cannot both insert or activate the 6th.
CREATE FUNCTION igny8_sector_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  active_count integer;
BEGIN
  IF NEW.is_active AND (TG_OP = 'INSERT' OR NOT OLD.is_active OR OLD.site_id <> NEW.site_id) THEN
    PERFORM 1 FROM sites WHERE id = NEW.site_id FOR UPDATE;
    SELECT count(*) INTO active_count FROM sectors
      WHERE site_id = NEW.site_id AND is_active AND id <> NEW.id;
    IF active_count >= 5 THEN
      RAISE EXCEPTION 'igny8: sector_limit: a site can have at most 5 active sectors'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'sectors_active_limit';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER sectors_active_limit BEFORE INSERT OR UPDATE OF is_active, site_id ON sectors
  FOR EACH ROW EXECUTE FUNCTION igny8_sector_limit();

CREATE TABLE site_user_access (
  account_id uuid NOT NULL,
  user_id    uuid NOT NULL,
  site_id    uuid NOT NULL,
  granted_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, site_id),
  FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id) ON DELETE CASCADE,
  FOREIGN KEY (site_id, account_id) REFERENCES sites (id, account_id) ON DELETE CASCADE
);
CREATE INDEX site_user_access_site_idx ON site_user_access (site_id);

CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL,
  user_id     uuid NOT NULL,
  -- every token issued by one login shares a family; reuse of a rotated
  -- token revokes the whole family
  family_id   uuid NOT NULL,
  token_hash  bytea NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE credit_transactions (
  id            uuid PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind          text NOT NULL
                CHECK (kind IN ('purchase', 'subscription', 'refund', 'deduction', 'adjustment')),
  amount        bigint NOT NULL,
  balance_after bigint NOT NULL CHECK (balance_after >= 0),
  description   text NOT NULL DEFAULT '',
  -- what caused it (a job, a plan grant, an admin adjustment); unique per
  -- (kind, reference) so a replayed settlement cannot write twice
  reference     text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_transactions_account_idx ON credit_transactions (account_id, created_at DESC);
CREATE UNIQUE INDEX credit_transactions_reference_key
  ON credit_transactions (account_id, kind, reference) WHERE reference IS NOT NULL;

-- Row-level security -------------------------------------------------------

ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON accounts
  USING (id = igny8_current_account()) WITH CHECK (id = igny8_current_account());

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'subscriptions', 'sites', 'sectors', 'site_user_access',
                           'refresh_tokens', 'credit_transactions']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (account_id = igny8_current_account()) '
                   'WITH CHECK (account_id = igny8_current_account())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO igny8_app, igny8_system', t);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON accounts TO igny8_app, igny8_system;
GRANT SELECT ON plans, industries, industry_sectors TO igny8_app, igny8_system;

-- Seeds ----------------------------------------------------------------------

INSERT INTO plans (id, slug, name, monthly_credits, price_cents, features, is_default) VALUES
  ('01935c1e-0000-7000-8000-000000000001', 'trial', 'Trial', 100, 0,
   '{"max_sites": 1, "max_users": 2}', true),
  ('01935c1e-0000-7000-8000-000000000002', 'starter', 'Starter', 1000, 2900,
   '{"max_sites": 3, "max_users": 5}', false),
  ('01935c1e-0000-7000-8000-000000000003', 'growth', 'Growth', 5000, 9900,
   '{"max_sites": 10, "max_users": 20}', false),
  ('01935c1e-0000-7000-8000-000000000004', 'scale', 'Scale', 20000, 29900,
   '{"max_sites": 50, "max_users": 100}', false);

WITH data (ind_slug, ind_name, ind_desc, sectors) AS (VALUES
  ('technology', 'Technology', 'Software, hardware and digital services',
   ARRAY['software-development:Software Development', 'cloud-computing:Cloud Computing',
         'cybersecurity:Cybersecurity', 'artificial-intelligence:Artificial Intelligence',
         'consumer-electronics:Consumer Electronics']),
  ('health-wellness', 'Health & Wellness', 'Health, fitness and personal wellbeing',
   ARRAY['fitness:Fitness', 'nutrition:Nutrition', 'mental-health:Mental Health',
         'yoga-meditation:Yoga & Meditation', 'sleep:Sleep']),
  ('home-garden', 'Home & Garden', 'Homes, interiors, gardens and DIY',
   ARRAY['interior-design:Interior Design', 'gardening:Gardening', 'home-improvement:Home Improvement',
         'smart-home:Smart Home', 'cleaning-organizing:Cleaning & Organizing']),
  ('finance', 'Finance', 'Personal and business finance',
   ARRAY['personal-finance:Personal Finance', 'investing:Investing', 'cryptocurrency:Cryptocurrency',
         'insurance:Insurance', 'real-estate:Real Estate']),
  ('travel', 'Travel & Hospitality', 'Destinations, trips and stays',
   ARRAY['destinations:Destinations', 'budget-travel:Budget Travel', 'hotels:Hotels & Lodging',
         'adventure-travel:Adventure Travel', 'travel-gear:Travel Gear']),
  ('food-beverage', 'Food & Beverage', 'Cooking, recipes and drinks',
   ARRAY['recipes:Recipes', 'baking:Baking', 'coffee-tea:Coffee & Tea',
         'vegan-vegetarian:Vegan & Vegetarian', 'restaurants:Restaurants']),
  ('ecommerce-retail', 'E-commerce & Retail', 'Online and physical retail',
   ARRAY['fashion:Fashion', 'beauty:Beauty & Cosmetics', 'jewelry:Jewelry',
         'pet-supplies:Pet Supplies', 'sporting-goods:Sporting Goods']),
  ('education', 'Education', 'Learning, courses and careers',
   ARRAY['online-courses:Online Courses', 'language-learning:Language Learning',
         'test-prep:Test Preparation', 'career-development:Career Development', 'k12:K-12 Education']),
  ('automotive', 'Automotive', 'Cars, maintenance and mobility',
   ARRAY['electric-vehicles:Electric Vehicles', 'car-maintenance:Car Maintenance',
         'car-buying:Car Buying', 'motorcycles:Motorcycles', 'car-accessories:Car Accessories']),
  ('marketing', 'Marketing & Business', 'Growing businesses online',
   ARRAY['seo:SEO', 'content-marketing:Content Marketing', 'social-media:Social Media',
         'email-marketing:Email Marketing', 'small-business:Small Business'])
), ins AS (
  INSERT INTO industries (id, slug, name, description)
  SELECT md5('industry:' || ind_slug)::uuid, ind_slug, ind_name, ind_desc FROM data
  RETURNING id, slug
)
INSERT INTO industry_sectors (id, industry_id, slug, name)
SELECT md5('industry_sector:' || d.ind_slug || ':' || split_part(s, ':', 1))::uuid,
       ins.id, split_part(s, ':', 1), split_part(s, ':', 2)
FROM data d JOIN ins ON ins.slug = d.ind_slug, unnest(d.sectors) AS s;
