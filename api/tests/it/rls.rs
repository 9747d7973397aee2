//! Row-level security on its own: the second wall holds even when a query
//! forgets the tenant filter.

use crate::harness::TestApp;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use igny8_db::Db;

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
    // no WHERE clause at all: only A's rows come back
    assert_eq!(count_unfiltered(&mut tx, "sites").await, 2);
    assert_eq!(count_unfiltered(&mut tx, "sectors").await, 1);
    assert_eq!(count_unfiltered(&mut tx, "users").await, 1);
    assert_eq!(count_unfiltered(&mut tx, "accounts").await, 1);
    assert_eq!(count_unfiltered(&mut tx, "credit_transactions").await, 1);
    assert_eq!(count_unfiltered(&mut tx, "refresh_tokens").await, 1);
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

    // updates and deletes without filters touch only the tenant's rows
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
async fn a_transaction_without_a_tenant_sees_nothing_and_the_role_is_not_privileged() {
    let app = TestApp::spawn().await;
    let a = app.signup("a@rls2.io", "A").await;
    app.create_site(&a, "A1").await;
    let db = Db::connect(&app.db_url, 2).unwrap();
    let mut tx = db.begin_tenant(uuid::Uuid::nil()).await.unwrap();
    assert_eq!(count_unfiltered(&mut tx, "sites").await, 0);
    #[derive(diesel::QueryableByName)]
    struct Who {
        #[diesel(sql_type = Text)]
        role: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        superuser: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
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
    // the tenant tables force RLS, so even their owner would be filtered
    let forced: N = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_class WHERE relname IN ('accounts','users','subscriptions','sites','sectors','site_user_access','refresh_tokens','credit_transactions') AND relrowsecurity AND relforcerowsecurity",
    )
    .get_result(&mut *tx)
    .await
    .unwrap();
    assert_eq!(forced.n, 8);
}
