DROP TABLE IF EXISTS images, contents, tasks, content_ideas, keywords, clusters, seed_keywords CASCADE;
