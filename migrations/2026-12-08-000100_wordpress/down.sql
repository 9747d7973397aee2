DELETE FROM job_kinds WHERE kind IN ('publish', 'sync_wordpress');
DROP TABLE wordpress_media;
DROP TABLE publishing_records;
DROP TABLE site_integrations;
