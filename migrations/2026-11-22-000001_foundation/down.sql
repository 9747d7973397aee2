DROP TABLE IF EXISTS credit_transactions, refresh_tokens, site_user_access, sectors, sites,
  subscriptions, users, accounts, industry_sectors, industries, plans CASCADE;
DROP FUNCTION IF EXISTS igny8_sector_limit(), igny8_touch_updated_at(), igny8_current_account();
