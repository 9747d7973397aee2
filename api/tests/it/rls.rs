//! The two walls between tenants, each on its own: row-level security holds
//! when a query forgets the tenant filter, and the explicit account filter
//! holds when row-level security is off. The tenant tables come from the
//! catalog, so a new one is checked without editing this file.

use crate::harness::{TestApp, Workspace, code};
use diesel::sql_types::{BigInt, Bool, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use igny8_db::Db;
use serde_json::json;

#[derive(diesel::QueryableByName, Debug)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count_unfiltered(tx: &mut igny8_db::Tx, table: &str) -> i64 {
    let r: N = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
        .get_result(&mut **tx)
        .await
        .unwrap();
    r.n
}

/// A tenant table and the column that names its tenant.
struct TenantTable {
    name: String,
    key: &'static str,
}

/// Every base table of `public` with an `account_id` column, from the
/// catalog, and `accounts` itself (its `id` is the tenant).
async fn tenant_tables(app: &TestApp) -> Vec<TenantTable> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let mut conn = app.superuser().await;
    let rows: Vec<Name> = diesel::sql_query(
        "SELECT c.table_name::text AS name
           FROM information_schema.columns c
           JOIN information_schema.tables t
             ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema = 'public' AND c.column_name = 'account_id'
            AND t.table_type = 'BASE TABLE'
          ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let mut tables = vec![TenantTable {
        name: "accounts".into(),
        key: "id",
    }];
    tables.extend(rows.into_iter().map(|r| TenantTable {
        name: r.name,
        key: "account_id",
    }));
    // the query must find what the schema is known to hold, or it checks nothing
    for known in [
        "users",
        "sites",
        "keywords",
        "contents",
        "ai_jobs",
        "integration_settings",
    ] {
        assert!(
            tables.iter().any(|t| t.name == known),
            "the catalog query missed {known}"
        );
    }
    tables
}

#[tokio::test]
async fn every_tenant_table_enables_and_forces_rls_under_one_tenant_policy() {
    let app = TestApp::spawn().await;
    let tables = tenant_tables(&app).await;
    assert!(tables.len() >= 20, "{} tenant tables", tables.len());
    #[derive(diesel::QueryableByName)]
    struct Shape {
        #[diesel(sql_type = Bool)]
        enabled: bool,
        #[diesel(sql_type = Bool)]
        forced: bool,
        #[diesel(sql_type = BigInt)]
        policies: i64,
        #[diesel(sql_type = BigInt)]
        tenant_policies: i64,
    }
    let mut conn = app.superuser().await;
    let mut wrong = vec![];
    for t in &tables {
        // one permissive policy for every command and role, reading and
        // writing only the current account's rows; a second permissive
        // policy would widen what the first allows
        let wall = format!("({} = igny8_current_account())", t.key);
        let s: Shape = diesel::sql_query(
            "SELECT c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                    (SELECT count(*) FROM pg_policies p
                      WHERE p.schemaname = 'public' AND p.tablename = c.relname) AS policies,
                    (SELECT count(*) FROM pg_policies p
                      WHERE p.schemaname = 'public' AND p.tablename = c.relname
                        AND p.permissive = 'PERMISSIVE' AND p.cmd = 'ALL'
                        AND p.roles = ARRAY['public']::name[]
                        AND p.qual = $2 AND p.with_check = $2) AS tenant_policies
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relname = $1",
        )
        .bind::<Text, _>(&t.name)
        .bind::<Text, _>(&wall)
        .get_result(&mut conn)
        .await
        .unwrap();
        if !(s.enabled && s.forced && s.policies == 1 && s.tenant_policies == 1) {
            wrong.push(format!(
                "{}: enabled {}, forced {}, {} policies, {} of them `{wall}` for all",
                t.name, s.enabled, s.forced, s.policies, s.tenant_policies
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "tenant tables without the wall:\n{wrong:#?}"
    );
}

/// Rows of every tenant table for `w`'s account: the planner and writer
/// rows through the API, the rest written directly.
async fn rows_in_every_table(app: &TestApp, w: &Workspace) {
    crate::isolation::fixture(app, &w.s.token, &w.sector).await;
    let (a, user, site) = (&w.s.account_id, &w.s.user_id, &w.site);
    app.sql(&format!(
        "INSERT INTO subscriptions (id, account_id, plan_id)
           SELECT gen_random_uuid(), '{a}', (SELECT id FROM plans ORDER BY id LIMIT 1)
            WHERE NOT EXISTS (SELECT 1 FROM subscriptions WHERE account_id = '{a}');
         INSERT INTO site_user_access (account_id, user_id, site_id)
           VALUES ('{a}', '{user}', '{site}') ON CONFLICT DO NOTHING;
         INSERT INTO ai_jobs (id, account_id, kind, payload, status)
           VALUES (gen_random_uuid(), '{a}', 'auto_cluster', '{{}}', 'failed');
         INSERT INTO credit_usage_logs (id, account_id, job_id, operation, credits)
           VALUES (gen_random_uuid(), '{a}', gen_random_uuid(), 'auto_cluster', 0);
         INSERT INTO author_profiles (id, account_id, name) VALUES (gen_random_uuid(), '{a}', 'Voice');
         INSERT INTO strategies (id, account_id, name) VALUES (gen_random_uuid(), '{a}', 'Plan');
         INSERT INTO prompt_overrides (account_id, function, template)
           VALUES ('{a}', 'auto_cluster', 'x') ON CONFLICT DO NOTHING;
         INSERT INTO integration_settings (account_id) VALUES ('{a}') ON CONFLICT DO NOTHING;
         INSERT INTO invitations (id, account_id, email, role, token_hash, expires_at)
           VALUES (gen_random_uuid(), '{a}', 'invitee@' || gen_random_uuid() || '.io', 'viewer',
                   gen_random_uuid()::text::bytea, now() + interval '1 day');
         INSERT INTO site_integrations (site_id, account_id, url, username, password_sealed,
                                        password_hint, secret_sealed)
           VALUES ('{site}', '{a}', 'https://wp.test', 'u', '\\x00', '…', '\\x00')
           ON CONFLICT DO NOTHING;
         INSERT INTO publishing_records (content_id, account_id, site_id, sector_id, wp_post_id)
           SELECT id, account_id, site_id, sector_id, 1 FROM contents WHERE account_id = '{a}'
           ON CONFLICT DO NOTHING;
         INSERT INTO wordpress_media (image_id, account_id, site_id, media_id, source_url, uploaded_from)
           SELECT id, account_id, site_id, 1, 'https://wp.test/a.png', 'k' FROM images WHERE account_id = '{a}'
           ON CONFLICT DO NOTHING;
         INSERT INTO automation_configs (site_id, account_id, settings)
           VALUES ('{site}', '{a}', '{{}}') ON CONFLICT DO NOTHING;
         INSERT INTO automation_runs (id, account_id, site_id, started_by, status, settings)
           VALUES (gen_random_uuid(), '{a}', '{site}', '{user}', 'completed', '{{}}');
         INSERT INTO automation_run_stages (run_id, account_id, stage)
           SELECT id, account_id, 1 FROM automation_runs WHERE account_id = '{a}' ORDER BY created_at DESC LIMIT 1;
         INSERT INTO automation_run_items (run_id, account_id, stage, item_id, outcome)
           SELECT id, account_id, 1, gen_random_uuid(), 'done' FROM automation_runs WHERE account_id = '{a}'
            ORDER BY created_at DESC LIMIT 1;
         INSERT INTO automation_rules (id, account_id, site_id, name, trigger, action_stage, created_by)
           VALUES (gen_random_uuid(), '{a}', '{site}', 'Rule', 'idea_created', 3, '{user}');
         INSERT INTO automation_rule_executions (id, account_id, rule_id, event_key, outcome)
           SELECT gen_random_uuid(), account_id, id, 'job:' || gen_random_uuid(), 'started'
             FROM automation_rules WHERE account_id = '{a}' LIMIT 1;
         INSERT INTO audit_log (id, account_id, actor_email, action, before, after)
           VALUES (gen_random_uuid(), '{a}', 'staff@igny8.io', 'set_plan', '{{}}', '{{}}');
         INSERT INTO staff_members (user_id, account_id) VALUES ('{user}', '{a}') ON CONFLICT DO NOTHING;
         INSERT INTO invoices (id, account_id, number, subtotal_cents, total_cents, currency)
           VALUES (gen_random_uuid(), '{a}', 'INV-TEST-' || gen_random_uuid(), 100, 100, 'usd');
         INSERT INTO payments (id, account_id, kind, package_id, amount_cents, currency, provider,
                               idempotency_key, invoice_id)
           SELECT gen_random_uuid(), '{a}', 'package', (SELECT id FROM credit_packages LIMIT 1), 100, 'usd',
                  'manual', 'test:' || gen_random_uuid(), id
             FROM invoices WHERE account_id = '{a}' LIMIT 1;"
    ))
    .await;
}

/// Tenant tables the application may only read and append to.
const APPEND_ONLY: [&str; 2] = ["audit_log", "staff_members"];

#[tokio::test]
async fn rls_alone_keeps_every_tenant_tables_rows_apart() {
    let app = TestApp::spawn().await;
    let a = app.workspace("a@rls-all.io").await;
    let b = app.workspace("b@rls-all.io").await;
    rows_in_every_table(&app, &a).await;
    rows_in_every_table(&app, &b).await;
    let account: uuid::Uuid = a.s.account_id.parse().unwrap();
    let db = Db::connect(&app.db_url, 2).unwrap();
    let mut wrong = vec![];
    for t in tenant_tables(&app).await {
        let (name, key) = (t.name.as_str(), t.key);
        let own = app
            .count(&format!("{name} WHERE {key} = '{account}'"))
            .await;
        let others = app
            .count(&format!("{name} WHERE {key} <> '{account}'"))
            .await;
        if own == 0 || others == 0 {
            wrong.push(format!(
                "{name}: the fixture wrote {own} rows of A and {others} of others; add rows of both to `rows_in_every_table`"
            ));
            continue;
        }
        // no WHERE clause at all: only A's rows come back
        let mut tx = db.begin_tenant(account).await.unwrap();
        let seen = count_unfiltered(&mut tx, name).await;
        let foreign =
            count_unfiltered(&mut tx, &format!("{name} WHERE {key} <> '{account}'")).await;
        // writes without a filter reach only A's rows
        let updated = diesel::sql_query(format!("UPDATE {name} SET {key} = {key}"))
            .execute(&mut *tx)
            .await;
        let deleted = diesel::sql_query(format!("DELETE FROM {name} WHERE {key} <> '{account}'"))
            .execute(&mut *tx)
            .await;
        let _ = tx.rollback().await;
        // append-only tables refuse the UPDATE itself (no grant), which
        // aborts the transaction before the DELETE
        if APPEND_ONLY.contains(&name) {
            let refused = |r: &Result<usize, diesel::result::Error>| {
                r.as_ref()
                    .is_err_and(|e| e.to_string().contains("permission denied"))
            };
            if (seen, foreign) != (own, 0) || !refused(&updated) {
                wrong.push(format!(
                    "{name}: A sees {seen} rows (owns {own}), {foreign} of others; UPDATE should be refused: {updated:?}"
                ));
            }
        } else if (seen, foreign) != (own, 0)
            || updated.as_ref().ok() != Some(&(own as usize))
            || deleted.as_ref().ok() != Some(&0)
        {
            wrong.push(format!(
                "{name}: A sees {seen} rows (owns {own}), {foreign} of others; unfiltered UPDATE {updated:?}, DELETE of others {deleted:?}"
            ));
        }
        // a transaction without a tenant sees nothing
        let mut tx = db.begin_tenant(uuid::Uuid::nil()).await.unwrap();
        let anonymous = count_unfiltered(&mut tx, name).await;
        let _ = tx.rollback().await;
        if anonymous != 0 {
            wrong.push(format!("{name}: {anonymous} rows seen without a tenant"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(
        app.count(&format!("sites WHERE account_id = '{}'", b.s.account_id))
            .await,
        1,
        "B's rows are untouched"
    );
}

#[tokio::test]
async fn rls_alone_hides_other_tenants_rows() {
    let app = TestApp::spawn().await;
    let a = app.signup("a@rls.io", "A").await;
    let b = app.signup("b@rls.io", "B").await;
    let site_a = app.create_site(&a, "A1").await;
    app.create_site(&a, "A2").await;
    let site_b = app.create_site(&b, "B1").await;
    app.create_sector(&a, &site_a, "SA").await;
    app.create_sector(&b, &site_b, "SB").await;
    assert_eq!(app.count("sites").await, 3, "the superuser sees everything");

    let db = Db::connect(&app.db_url, 2).unwrap();
    let mut tx = db
        .begin_tenant(a.account_id.parse().unwrap())
        .await
        .unwrap();
    // B's site by id is simply absent
    let r: N = diesel::sql_query("SELECT count(*) AS n FROM sites WHERE id = $1")
        .bind::<SqlUuid, _>(site_b.parse::<uuid::Uuid>().unwrap())
        .get_result(&mut *tx)
        .await
        .unwrap();
    assert_eq!(r.n, 0);
    // and writing a row into B's account is refused by the policy
    let write = diesel::sql_query(
        "INSERT INTO sites (id, account_id, name, slug) VALUES (gen_random_uuid(), $1, 'x', 'x')",
    )
    .bind::<SqlUuid, _>(b.account_id.parse::<uuid::Uuid>().unwrap())
    .execute(&mut *tx)
    .await;
    assert!(write.is_err(), "a row for another tenant cannot be written");
    drop(tx);

    // updates without filters touch only the tenant's rows, and commit
    let mut tx = db
        .begin_tenant(a.account_id.parse().unwrap())
        .await
        .unwrap();
    let n = diesel::sql_query("UPDATE sites SET name = name || '!'")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 2);
    tx.commit().await.unwrap();
    assert_eq!(app.count("sites WHERE name LIKE '%!'").await, 2);
    assert_eq!(app.count("sites WHERE name = 'B1'").await, 1);
}

#[tokio::test]
async fn the_tenant_role_is_not_privileged() {
    let app = TestApp::spawn().await;
    let db = Db::connect(&app.db_url, 2).unwrap();
    let mut tx = db.begin_tenant(uuid::Uuid::nil()).await.unwrap();
    #[derive(diesel::QueryableByName)]
    struct Who {
        #[diesel(sql_type = Text)]
        role: String,
        #[diesel(sql_type = Bool)]
        superuser: bool,
        #[diesel(sql_type = Bool)]
        bypass: bool,
    }
    let who: Who = diesel::sql_query(
        "SELECT current_user::text AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass FROM pg_roles r WHERE r.rolname = current_user",
    )
    .get_result(&mut *tx)
    .await
    .unwrap();
    assert_eq!(
        (who.role.as_str(), who.superuser, who.bypass),
        ("igny8_app", false, false)
    );
}

/// Turns row-level security off on every tenant table of this test's own
/// database.
async fn without_rls(app: &TestApp) {
    let statements: String = tenant_tables(app)
        .await
        .iter()
        .map(|t| {
            format!(
                "ALTER TABLE {0} NO FORCE ROW LEVEL SECURITY; ALTER TABLE {0} DISABLE ROW LEVEL SECURITY;",
                t.name
            )
        })
        .collect();
    app.sql(&statements).await;
}

/// After a scenario: a transaction without a tenant sees its sites, so
/// only the account filter stood between the tenants.
async fn assert_rls_was_off(app: &TestApp) {
    let db = Db::connect(&app.db_url, 1).unwrap();
    let mut tx = db.begin_tenant(uuid::Uuid::nil()).await.unwrap();
    let seen = count_unfiltered(&mut tx, "sites").await;
    let _ = tx.rollback().await;
    assert!(seen > 0, "row-level security was on: no site seen");
}

/// Author profiles, strategies and jobs: B's calls with A's ids answer
/// NOT_FOUND and change nothing.
async fn assert_thinker_and_jobs_keep_tenants_apart(app: &TestApp) {
    let a = app.workspace("a@filter.io").await;
    let b = app.workspace("b@filter.io").await;
    let author = app
        .data(
            &a.s.token,
            "mutation { createAuthorProfile(input: {name: \"A's voice\"}) { id } }",
            json!({}),
            "createAuthorProfile",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let strategy = app
        .data(
            &a.s.token,
            "mutation { createStrategy(input: {name: \"A's plan\"}) { id } }",
            json!({}),
            "createStrategy",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = uuid::Uuid::new_v4();
    app.sql(&format!(
        "INSERT INTO ai_jobs (id, account_id, kind, payload, status)
           VALUES ('{job}', '{}', 'auto_cluster', '{{}}', 'queued')",
        a.s.account_id
    ))
    .await;
    let calls = [
        ("query($v: ID!) { authorProfile(id: $v) { id } }", &author),
        (
            "mutation($v: ID!) { updateAuthorProfile(input: {id: $v, name: \"x\"}) { id } }",
            &author,
        ),
        (
            "mutation($v: ID!) { deleteAuthorProfile(input: {id: $v}) }",
            &author,
        ),
        ("query($v: ID!) { strategy(id: $v) { id } }", &strategy),
        (
            "mutation($v: ID!) { updateStrategy(input: {id: $v, name: \"x\"}) { id } }",
            &strategy,
        ),
        (
            "mutation($v: ID!) { deleteStrategy(input: {id: $v}) }",
            &strategy,
        ),
        ("query($v: ID!) { job(id: $v) { id } }", &job.to_string()),
        (
            "mutation($v: ID!) { cancelJob(input: {jobId: $v}) { id } }",
            &job.to_string(),
        ),
    ];
    for (q, id) in calls {
        let r = app.gql(Some(&b.s.token), q, json!({"v": id})).await;
        assert_eq!(code(&r), "NOT_FOUND", "{q}: {r}");
    }
    let r = app
        .gql(
            Some(&b.s.token),
            "{ authorProfiles { totalCount } strategies { totalCount } jobs { nodes { id } } }",
            json!({}),
        )
        .await;
    for list in ["authorProfiles", "strategies"] {
        assert_eq!(r["data"][list]["totalCount"], 0, "{list}: {r}");
    }
    assert_eq!(r["data"]["jobs"]["nodes"], json!([]), "{r}");
    assert_eq!(
        app.count("author_profiles WHERE name = 'A''s voice'").await,
        1
    );
    assert_eq!(app.count("strategies WHERE name = 'A''s plan'").await, 1);
    assert_eq!(
        app.count(&format!(
            "ai_jobs WHERE id = '{job}' AND status = 'queued' AND NOT cancel_requested"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn the_account_filter_alone_keeps_tenants_apart_with_rls_off() {
    // one database per scenario: each counts rows of its own
    let app = TestApp::spawn().await;
    without_rls(&app).await;
    crate::tenancy::assert_sites_sectors_and_users_keep_tenants_apart(&app).await;
    assert_rls_was_off(&app).await;

    let app = TestApp::spawn().await;
    without_rls(&app).await;
    crate::isolation::assert_planner_and_writer_keep_tenants_apart(&app).await;
    assert_rls_was_off(&app).await;

    let app = TestApp::spawn().await;
    without_rls(&app).await;
    assert_thinker_and_jobs_keep_tenants_apart(&app).await;
    assert_rls_was_off(&app).await;
}
