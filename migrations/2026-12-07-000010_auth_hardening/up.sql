-- Account basics and session revocation (issue 13): verified addresses,
-- single-use mailed tokens (address verification, password reset) and
-- invitations by email link.

ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
-- users from before verification existed keep signing in
UPDATE users SET email_verified_at = created_at;

-- Mailed tokens bound to a user: stored as SHA-256 hashes, single use, expiring.
CREATE TABLE user_tokens (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL,
  user_id     uuid NOT NULL,
  purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  token_hash  bytea NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id) ON DELETE CASCADE
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

-- An invitation to join an account; accepting it creates the user.
CREATE TABLE invitations (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  email       text NOT NULL CHECK (email = lower(btrim(email))),
  name        text NOT NULL DEFAULT '',
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
  site_ids    uuid[] NOT NULL DEFAULT '{}',
  invited_by  uuid,
  token_hash  bytea NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_account_idx ON invitations (account_id, created_at DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['user_tokens', 'invitations']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (account_id = igny8_current_account()) '
                   'WITH CHECK (account_id = igny8_current_account())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO igny8_app, igny8_system', t);
  END LOOP;
END
$$;
