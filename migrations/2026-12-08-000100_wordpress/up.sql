-- Publishing to WordPress (PUB-1…3): a connection per site, the publishing
-- state of each content, and the WordPress media id of each image.

-- One WordPress connection per site (seed 003 §11 SiteIntegration). The
-- application password and the webhook secret are sealed by the server
-- (AES-256-GCM, AAD = account ‖ site ‖ field); only a hint is shown.
CREATE TABLE site_integrations (
  site_id          uuid PRIMARY KEY,
  account_id       uuid NOT NULL,
  platform         text NOT NULL DEFAULT 'wordpress' CHECK (platform IN ('wordpress')),
  url              text NOT NULL,
  username         text NOT NULL,
  password_sealed  bytea NOT NULL,
  password_hint    text NOT NULL,
  secret_sealed    bytea NOT NULL,
  -- 'pretty' (/wp-json/…) or 'query' (?rest_route=…)
  rest_style       text NOT NULL DEFAULT 'pretty' CHECK (rest_style IN ('pretty', 'query')),
  has_bridge       boolean NOT NULL DEFAULT false,
  status           text NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'unauthorized', 'error')),
  last_checked_at  timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, account_id) REFERENCES sites (id, account_id) ON DELETE CASCADE
);
CREATE INDEX site_integrations_account_idx ON site_integrations (account_id);

-- Where a content was published (seed 003 §11 PublishingRecord): one row per
-- content and destination. `wp_post_id` set means a post exists.
CREATE TABLE publishing_records (
  content_id     uuid PRIMARY KEY,
  account_id     uuid NOT NULL,
  site_id        uuid NOT NULL,
  sector_id      uuid NOT NULL,
  destination    text NOT NULL DEFAULT 'wordpress' CHECK (destination IN ('wordpress')),
  wp_post_id     bigint,
  wp_url         text,
  -- WordPress's status: publish, future, draft, pending, private, trash, deleted
  wp_status      text,
  published_at   timestamptz,
  -- the content's HTML hash when it was last sent
  sent_hash      text,
  -- WordPress changed the post since igny8 last wrote it (sync or webhook)
  changed_remotely boolean NOT NULL DEFAULT false,
  last_error     text,
  synced_at      timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (content_id, sector_id) REFERENCES contents (id, sector_id) ON DELETE CASCADE,
  FOREIGN KEY (sector_id, site_id, account_id) REFERENCES sectors (id, site_id, account_id) ON DELETE CASCADE
);
CREATE INDEX publishing_records_site_idx ON publishing_records (account_id, site_id);

-- An image uploaded to the site's media library: re-publishing reuses it
-- while the image is unchanged (same stored file).
CREATE TABLE wordpress_media (
  image_id     uuid PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
  account_id   uuid NOT NULL,
  site_id      uuid NOT NULL,
  media_id     bigint NOT NULL,
  source_url   text NOT NULL,
  -- the image's storage key (or URL) when uploaded
  uploaded_from text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wordpress_media_site_idx ON wordpress_media (account_id, site_id);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['site_integrations', 'publishing_records', 'wordpress_media']
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

INSERT INTO job_kinds (kind) VALUES ('publish'), ('sync_wordpress');
