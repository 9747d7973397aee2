-- Cluster names are unique per sector (issue 18), compared trimmed,
-- whitespace-collapsed and lower-cased (`core::planner::cluster_name_key`).
-- Existing duplicates keep their rows and get a number.
WITH d AS (
  SELECT id, row_number() OVER (PARTITION BY sector_id, lower(regexp_replace(btrim(name), '\s+', ' ', 'g'))
                                ORDER BY created_at, id) AS n
    FROM clusters)
UPDATE clusters c SET name = c.name || ' (' || d.n || ')'
  FROM d WHERE c.id = d.id AND d.n > 1;
CREATE UNIQUE INDEX clusters_sector_name_key
  ON clusters (sector_id, lower(regexp_replace(btrim(name), '\s+', ' ', 'g')));

-- A description clustering wrote (and nobody edited) is rewritten from the
-- cluster's keywords whenever they change, so its counts never go stale.
ALTER TABLE clusters ADD COLUMN description_generated boolean NOT NULL DEFAULT false;
UPDATE clusters SET description_generated = true WHERE description LIKE 'Searches about %';
