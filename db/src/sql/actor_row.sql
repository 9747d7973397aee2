SELECT u.id AS user_id,
       u.account_id,
       u.role,
       u.is_active,
       a.status AS account_status,
       COALESCE((SELECT array_agg(g.site_id ORDER BY g.site_id)
                   FROM site_user_access g
                  WHERE g.user_id = u.id), '{}') AS site_ids,
       EXISTS (SELECT 1
                 FROM refresh_tokens t
                WHERE t.family_id = $2
                  AND t.user_id = u.id
                  AND t.revoked_at IS NULL
                  AND t.expires_at > now()) AS session_active,
       EXISTS (SELECT 1 FROM staff_members s WHERE s.user_id = u.id) AS is_staff
  FROM users u
  JOIN accounts a ON a.id = u.account_id
 WHERE u.id = $1
