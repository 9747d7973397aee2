-- Planner and writer: keywords, clusters, ideas, tasks, contents, images,
-- and the seed-keyword library. Every row belongs to one account, one site
-- and one sector of that site; composite keys make the database refuse a
-- row that points across sectors or accounts.

CREATE TABLE seed_keywords (
  id                 uuid PRIMARY KEY,
  industry_sector_id uuid NOT NULL REFERENCES industry_sectors (id) ON DELETE CASCADE,
  keyword            text NOT NULL,
  volume             bigint CHECK (volume >= 0),
  difficulty         integer CHECK (difficulty BETWEEN 0 AND 100),
  intent             text CHECK (intent IN ('informational', 'navigational', 'commercial', 'transactional')),
  UNIQUE (industry_sector_id, keyword)
);

CREATE TABLE clusters (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL,
  site_id     uuid NOT NULL,
  sector_id   uuid NOT NULL,
  name        text NOT NULL CHECK (length(btrim(name)) > 0),
  description text NOT NULL DEFAULT '',
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'archived')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (sector_id, site_id, account_id) REFERENCES sectors (id, site_id, account_id) ON DELETE CASCADE,
  UNIQUE (id, sector_id)
);
CREATE INDEX clusters_sector_idx ON clusters (sector_id, created_at);
CREATE INDEX clusters_account_idx ON clusters (account_id, created_at);

CREATE TABLE keywords (
  id              uuid PRIMARY KEY,
  account_id      uuid NOT NULL,
  site_id         uuid NOT NULL,
  sector_id       uuid NOT NULL,
  keyword         text NOT NULL CHECK (length(btrim(keyword)) > 0),
  -- trimmed, whitespace-collapsed, lower-cased: unique per sector
  keyword_key     text NOT NULL,
  volume          bigint CHECK (volume >= 0),
  difficulty      integer CHECK (difficulty BETWEEN 0 AND 100),
  intent          text CHECK (intent IN ('informational', 'navigational', 'commercial', 'transactional')),
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'archived')),
  cluster_id      uuid,
  seed_keyword_id uuid REFERENCES seed_keywords (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (sector_id, site_id, account_id) REFERENCES sectors (id, site_id, account_id) ON DELETE CASCADE,
  -- a keyword's cluster is of its own sector; deleting the cluster unlinks it
  FOREIGN KEY (cluster_id, sector_id) REFERENCES clusters (id, sector_id) ON DELETE SET NULL (cluster_id),
  UNIQUE (sector_id, keyword_key)
);
CREATE INDEX keywords_sector_idx ON keywords (sector_id, created_at, id);
CREATE INDEX keywords_account_idx ON keywords (account_id, created_at, id);
CREATE INDEX keywords_cluster_idx ON keywords (cluster_id) WHERE cluster_id IS NOT NULL;

CREATE TABLE content_ideas (
  id                   uuid PRIMARY KEY,
  account_id           uuid NOT NULL,
  site_id              uuid NOT NULL,
  sector_id            uuid NOT NULL,
  cluster_id           uuid,
  title                text NOT NULL CHECK (length(btrim(title)) > 0),
  description          text NOT NULL DEFAULT '',
  content_type         text NOT NULL DEFAULT 'post' CHECK (content_type IN ('post', 'page', 'product', 'service')),
  content_structure    text NOT NULL DEFAULT 'article'
                       CHECK (content_structure IN ('article', 'guide', 'listicle', 'how_to', 'comparison', 'review', 'cluster_hub')),
  -- {"sections": [{"heading", "level", "notes", "target_keywords"}]}
  outline              jsonb NOT NULL DEFAULT '{"sections": []}'::jsonb,
  target_keywords      text[] NOT NULL DEFAULT '{}',
  estimated_word_count integer NOT NULL DEFAULT 1500 CHECK (estimated_word_count BETWEEN 100 AND 20000),
  status               text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'queued', 'completed', 'archived')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (sector_id, site_id, account_id) REFERENCES sectors (id, site_id, account_id) ON DELETE CASCADE,
  FOREIGN KEY (cluster_id, sector_id) REFERENCES clusters (id, sector_id) ON DELETE SET NULL (cluster_id),
  UNIQUE (id, sector_id)
);
CREATE INDEX content_ideas_sector_idx ON content_ideas (sector_id, created_at, id);
CREATE INDEX content_ideas_account_idx ON content_ideas (account_id, created_at, id);
CREATE INDEX content_ideas_cluster_idx ON content_ideas (cluster_id) WHERE cluster_id IS NOT NULL;

CREATE TABLE tasks (
  id                uuid PRIMARY KEY,
  account_id        uuid NOT NULL,
  site_id           uuid NOT NULL,
  sector_id         uuid NOT NULL,
  cluster_id        uuid,
  -- one task per idea: queueing an idea twice returns the same task
  idea_id           uuid UNIQUE,
  title             text NOT NULL CHECK (length(btrim(title)) > 0),
  description       text NOT NULL DEFAULT '',
  target_keywords   text[] NOT NULL DEFAULT '{}',
  content_type      text NOT NULL DEFAULT 'post' CHECK (content_type IN ('post', 'page', 'product', 'service')),
  content_structure text NOT NULL DEFAULT 'article'
                    CHECK (content_structure IN ('article', 'guide', 'listicle', 'how_to', 'comparison', 'review', 'cluster_hub')),
  status            text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'in_progress', 'review', 'completed', 'archived')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (sector_id, site_id, account_id) REFERENCES sectors (id, site_id, account_id) ON DELETE CASCADE,
  FOREIGN KEY (cluster_id, sector_id) REFERENCES clusters (id, sector_id) ON DELETE SET NULL (cluster_id),
  FOREIGN KEY (idea_id, sector_id) REFERENCES content_ideas (id, sector_id) ON DELETE SET NULL (idea_id),
  UNIQUE (id, sector_id)
);
CREATE INDEX tasks_sector_idx ON tasks (sector_id, created_at, id);
CREATE INDEX tasks_account_idx ON tasks (account_id, created_at, id);
CREATE INDEX tasks_cluster_idx ON tasks (cluster_id) WHERE cluster_id IS NOT NULL;

CREATE TABLE contents (
  id                 uuid PRIMARY KEY,
  account_id         uuid NOT NULL,
  site_id            uuid NOT NULL,
  sector_id          uuid NOT NULL,
  task_id            uuid NOT NULL UNIQUE,
  html               text NOT NULL DEFAULT '',
  word_count         integer NOT NULL DEFAULT 0 CHECK (word_count >= 0),
  status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'published')),
  meta_title         text,
  meta_description   text,
  primary_keyword    text,
  secondary_keywords text[] NOT NULL DEFAULT '{}',
  wp_post_id         bigint,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (sector_id, site_id, account_id) REFERENCES sectors (id, site_id, account_id) ON DELETE CASCADE,
  FOREIGN KEY (task_id, sector_id) REFERENCES tasks (id, sector_id) ON DELETE CASCADE,
  UNIQUE (id, sector_id)
);
CREATE INDEX contents_sector_idx ON contents (sector_id, created_at, id);
CREATE INDEX contents_account_idx ON contents (account_id, created_at, id);

CREATE TABLE images (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL,
  site_id     uuid NOT NULL,
  sector_id   uuid NOT NULL,
  task_id     uuid NOT NULL,
  content_id  uuid,
  image_type  text NOT NULL CHECK (image_type IN ('featured', 'in_article', 'desktop', 'mobile')),
  prompt      text NOT NULL DEFAULT '',
  -- where the stored image lives (object store key); the API signs URLs for it
  storage_key text,
  -- an external URL, when the image is not stored by igny8
  url         text,
  position    integer NOT NULL DEFAULT 0 CHECK (position >= 0),
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'generated', 'failed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (sector_id, site_id, account_id) REFERENCES sectors (id, site_id, account_id) ON DELETE CASCADE,
  FOREIGN KEY (task_id, sector_id) REFERENCES tasks (id, sector_id) ON DELETE CASCADE,
  FOREIGN KEY (content_id, sector_id) REFERENCES contents (id, sector_id) ON DELETE CASCADE
);
CREATE INDEX images_task_idx ON images (task_id, position);
CREATE INDEX images_content_idx ON images (content_id, position) WHERE content_id IS NOT NULL;
CREATE INDEX images_account_idx ON images (account_id, created_at, id);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['clusters', 'keywords', 'content_ideas', 'tasks', 'contents', 'images']
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
GRANT SELECT ON seed_keywords TO igny8_app, igny8_system;

-- The seed library: for every industry sector, common search patterns with
-- an intent each; volume and difficulty are stable pseudo-values derived from
-- the text, so the set is the same on every machine.
WITH patterns (pattern, intent, base_volume) AS (VALUES
  ('what is %s', 'informational', 9000),
  ('%s for beginners', 'informational', 6000),
  ('%s tips', 'informational', 5000),
  ('how to get started with %s', 'informational', 3500),
  ('%s ideas', 'informational', 4000),
  ('%s guide', 'informational', 3000),
  ('%s trends 2026', 'informational', 2000),
  ('best %s tools', 'commercial', 2500),
  ('%s software comparison', 'commercial', 1200),
  ('best %s courses', 'commercial', 1500),
  ('%s reviews', 'commercial', 1800),
  ('%s cost', 'transactional', 1400),
  ('buy %s products', 'transactional', 900),
  ('%s services near me', 'transactional', 1100),
  ('%s login', 'navigational', 700)
)
INSERT INTO seed_keywords (id, industry_sector_id, keyword, volume, difficulty, intent)
SELECT md5('seed:' || s.id::text || ':' || p.pattern)::uuid,
       s.id,
       format(p.pattern, lower(s.name)),
       p.base_volume / 2 + ('x' || substr(md5(s.slug || p.pattern), 1, 6))::bit(24)::int % p.base_volume,
       ('x' || substr(md5(p.pattern || s.slug), 1, 4))::bit(16)::int % 91 + 5,
       p.intent
FROM industry_sectors s CROSS JOIN patterns p;
