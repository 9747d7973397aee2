DROP TABLE IF EXISTS integration_settings, prompt_overrides, strategies, author_profiles;
