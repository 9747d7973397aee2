ALTER TABLE clusters DROP COLUMN description_generated;
DROP INDEX clusters_sector_name_key;
