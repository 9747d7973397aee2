SELECT u.id AS user_id,
       u.account_id,
       u.role,
       u.is_active,
       a.status AS account_status,
       COALESCE((SELECT array_agg(g.site_id ORDER BY g.site_id)
                   FROM site_user_access g
                  WHERE g.user_id = u.id), '{}') AS site_ids
  FROM users u
  JOIN accounts a ON a.id = u.account_id
 WHERE u.id = $1
