DROP TABLE audit_log;
DROP TABLE staff_members;
DELETE FROM plans WHERE slug = 'staff' AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.plan_id = plans.id);
