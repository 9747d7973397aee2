-- Thinker (JOB-8) and integration settings (JOB-9): author profiles,
-- strategies, per-account prompt overrides, and per-account provider
-- settings with API keys encrypted at rest.

CREATE TABLE author_profiles (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(btrim(name)) > 0),
  description text NOT NULL DEFAULT '',
  tone        text NOT NULL DEFAULT 'professional',
  language    text NOT NULL DEFAULT 'en',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);
CREATE INDEX author_profiles_account_idx ON author_profiles (account_id, created_at, id);

CREATE TABLE strategies (
  id            uuid PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- null: applies to every sector of the account
  site_id       uuid,
  sector_id     uuid,
  name          text NOT NULL CHECK (length(btrim(name)) > 0),
  description   text NOT NULL DEFAULT '',
  -- the AI functions it shapes; empty: all of them
  prompt_types  text[] NOT NULL DEFAULT '{}',
  section_logic text NOT NULL DEFAULT '',
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((site_id IS NULL) = (sector_id IS NULL)),
  FOREIGN KEY (sector_id, site_id, account_id) REFERENCES sectors (id, site_id, account_id) ON DELETE CASCADE
);
CREATE INDEX strategies_account_idx ON strategies (account_id, created_at, id);
CREATE INDEX strategies_sector_idx ON strategies (sector_id) WHERE sector_id IS NOT NULL;

CREATE TABLE prompt_overrides (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  function   text NOT NULL CHECK (function IN ('auto_cluster', 'generate_ideas', 'generate_content',
                                               'generate_image_prompts', 'generate_images')),
  template   text NOT NULL,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, function)
);

CREATE TABLE integration_settings (
  account_id      uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  -- null: the server's default
  text_provider   text CHECK (text_provider IN ('offline', 'openai')),
  image_provider  text CHECK (image_provider IN ('offline', 'openai', 'runware')),
  openai_base_url text,
  -- nonce ‖ AES-256-GCM ciphertext, AAD = account id ‖ column name; never returned
  openai_api_key  bytea,
  openai_key_hint text,
  runware_api_key bytea,
  runware_key_hint text,
  -- {"generate_content": "gpt-4o", ...}: a model per function
  models          jsonb NOT NULL DEFAULT '{}',
  updated_by      uuid,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['author_profiles', 'strategies', 'prompt_overrides', 'integration_settings']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (account_id = igny8_current_account()) '
                   'WITH CHECK (account_id = igny8_current_account())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO igny8_app, igny8_system', t);
  END LOOP;
END
$$;
