//! Payments: the manual path's domain functions (request → open invoice →
//! staff confirmation → credits, exactly once), voiding, gapless invoice
//! numbers under concurrency.

use crate::harness::TestApp;
use chrono::Utc;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use igny8_db::payments::{self, Confirmed, NewPayment, Purchase};
use igny8_db::{Db, DbError};
use uuid::Uuid;

#[derive(diesel::QueryableByName, Debug)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(app: &TestApp, q: &str) -> i64 {
    let mut conn = app.superuser().await;
    let r: N = diesel::sql_query(q).get_result(&mut conn).await.unwrap();
    r.n
}

async fn package_500(db: &Db) -> payments::CreditPackage {
    let mut tx = db.begin_system().await.unwrap();
    let all = payments::active_packages(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    all.into_iter()
        .find(|p| p.credits == 500)
        .expect("seeded 500-credit package")
}

/// A manual request for the 500-credit package by `account`.
async fn request(db: &Db, account: Uuid, pkg: &payments::CreditPackage) -> payments::Payment {
    let mut tx = db.begin_tenant(account).await.unwrap();
    let p = payments::create_payment(
        &mut tx,
        NewPayment {
            account_id: account,
            purchase: &Purchase::Package(pkg.clone()),
            provider: "manual",
            requested_by: None,
            instructions: Some("Wire to IBAN XX00 0000, reference the invoice number."),
            now: Utc::now(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    p
}

async fn confirm(db: &Db, id: Uuid) -> Result<Confirmed, DbError> {
    let mut tx = db.begin_system().await.unwrap();
    let r = payments::confirm_payment(&mut tx, id, Utc::now()).await;
    if r.is_ok() {
        tx.commit().await.unwrap();
    } else {
        tx.rollback().await.unwrap();
    }
    r
}

#[tokio::test]
async fn manual_payment_opens_an_invoice_and_credits_the_purchased_pool_once() {
    let app = TestApp::spawn().await;
    let s = app.signup("owner@manualpay.io", "Manual Pay").await;
    let account: Uuid = s.account_id.parse().unwrap();
    let db = Db::connect(&app.db_url, 3).unwrap();
    let pkg = package_500(&db).await;
    let before = count(
        &app,
        &format!("SELECT credits_balance AS n FROM accounts WHERE id = '{account}'"),
    )
    .await;

    let p = request(&db, account, &pkg).await;
    assert_eq!(p.status, "pending");
    let inv_id = p.invoice_id.expect("a manual payment has an invoice");
    let mut tx = db.begin_tenant(account).await.unwrap();
    let inv = payments::invoice(&mut tx, inv_id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(inv.status, "open");
    assert!(inv.number.starts_with("INV-"), "{}", inv.number);
    assert_eq!(inv.total_cents, pkg.price_cents);
    assert!(inv.instructions.as_deref().unwrap().contains("IBAN"));
    // nothing credited before confirmation
    assert_eq!(
        count(
            &app,
            &format!("SELECT credits_balance AS n FROM accounts WHERE id = '{account}'")
        )
        .await,
        before
    );

    // two staff members confirm at once, and once more later: credited once
    let (a, b) = tokio::join!(confirm(&db, p.id), confirm(&db, p.id));
    let results = [a.unwrap(), b.unwrap()];
    assert_eq!(
        results
            .iter()
            .filter(|r| matches!(r, Confirmed::Applied { credits: 500, .. }))
            .count(),
        1,
        "{results:?}"
    );
    assert_eq!(confirm(&db, p.id).await.unwrap(), Confirmed::AlreadyPaid);

    assert_eq!(
        count(
            &app,
            &format!("SELECT credits_balance AS n FROM accounts WHERE id = '{account}'")
        )
        .await,
        before + 500
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT plan_credits AS n FROM accounts WHERE id = '{account}'")
        )
        .await,
        before,
        "purchased credits are not plan credits"
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM credit_transactions WHERE account_id = '{account}'
                  AND kind = 'purchase' AND amount = 500 AND purchased_amount = 500
                  AND balance_after = {} AND reference = 'payment:{}'",
                before + 500,
                p.id
            )
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, &format!("SELECT count(*) AS n FROM invoices WHERE id = '{inv_id}' AND status = 'paid' AND paid_at IS NOT NULL")).await,
        1
    );
}

#[tokio::test]
async fn a_voided_payment_cannot_be_confirmed_and_a_paid_one_cannot_be_voided() {
    let app = TestApp::spawn().await;
    let s = app.signup("owner@voidpay.io", "Void Pay").await;
    let account: Uuid = s.account_id.parse().unwrap();
    let db = Db::connect(&app.db_url, 3).unwrap();
    let pkg = package_500(&db).await;
    let before = count(
        &app,
        &format!("SELECT credits_balance AS n FROM accounts WHERE id = '{account}'"),
    )
    .await;

    let p = request(&db, account, &pkg).await;
    let mut tx = db.begin_system().await.unwrap();
    let v = payments::void_payment(&mut tx, p.id, Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(v.status, "void");
    assert!(matches!(
        confirm(&db, p.id).await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(
        count(&app, &format!("SELECT count(*) AS n FROM invoices WHERE account_id = '{account}' AND status = 'void'")).await,
        1
    );

    let q = request(&db, account, &pkg).await;
    confirm(&db, q.id).await.unwrap();
    let mut tx = db.begin_system().await.unwrap();
    assert!(matches!(
        payments::void_payment(&mut tx, q.id, Utc::now()).await,
        Err(DbError::Conflict(_))
    ));
    tx.rollback().await.unwrap();
    assert_eq!(
        count(
            &app,
            &format!("SELECT credits_balance AS n FROM accounts WHERE id = '{account}'")
        )
        .await,
        before + 500
    );
    // a missing payment (or another tenant's, in a tenant transaction)
    assert!(matches!(
        confirm(&db, Uuid::now_v7()).await,
        Err(DbError::NotFound)
    ));
    let other = app.signup("owner@voidpay2.io", "Void Pay 2").await;
    let mut tx = db
        .begin_tenant(other.account_id.parse().unwrap())
        .await
        .unwrap();
    assert!(payments::payment(&mut tx, q.id).await.unwrap().is_none());
    assert!(
        payments::invoice(&mut tx, q.invoice_id.unwrap())
            .await
            .unwrap()
            .is_none()
    );
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn invoice_numbers_are_sequential_without_gaps_under_concurrency() {
    let app = TestApp::spawn().await;
    let s = app.signup("owner@invnum.io", "Inv Num").await;
    let account: Uuid = s.account_id.parse().unwrap();
    let db = Db::connect(&app.db_url, 8).unwrap();
    let pkg = package_500(&db).await;

    // one request that rolls back: its number is given back
    let mut tx = db.begin_tenant(account).await.unwrap();
    payments::issue_invoice(
        &mut tx,
        account,
        &Purchase::Package(pkg.clone()),
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();

    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (db, pkg) = (db.clone(), pkg.clone());
            tokio::spawn(async move { request(&db, account, &pkg).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    #[derive(diesel::QueryableByName)]
    struct Num {
        #[diesel(sql_type = Text)]
        number: String,
    }
    let mut conn = app.superuser().await;
    // other tests share the counter: every number issued this year must form
    // one run 1..=n with no hole and no duplicate
    let nums: Vec<Num> = diesel::sql_query("SELECT number FROM invoices ORDER BY number")
        .load(&mut conn)
        .await
        .unwrap();
    let year = Utc::now().format("%Y").to_string();
    let seq: Vec<i64> = nums
        .iter()
        .filter(|n| n.number.starts_with(&format!("INV-{year}-")))
        .map(|n| n.number.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    assert!(seq.len() >= 12);
    for (i, n) in seq.iter().enumerate() {
        assert_eq!(*n, i as i64 + 1, "gap or duplicate in {seq:?}");
    }
}

#[tokio::test]
async fn staff_confirm_and_void_manual_payments_through_the_api_and_owners_cannot() {
    let app = TestApp::spawn().await;
    let w = app.workspace("owner@confirm.io").await;
    let account: Uuid = w.s.account_id.parse().unwrap();
    let db = Db::connect(&app.db_url, 2).unwrap();
    let pkg = package_500(&db).await;
    let (a, b) = (
        request(&db, account, &pkg).await,
        request(&db, account, &pkg).await,
    );
    let staff = crate::staff::staff(&app, "ops@confirm.io").await;
    const CONFIRM: &str = "mutation($p: ID!) { adminConfirmPayment(input: {paymentId: $p, reason: \"wire arrived\"}) { account { credits purchasedCredits } audit { action before after } } }";
    const VOID: &str = "mutation($p: ID!) { adminVoidPayment(input: {paymentId: $p}) { account { credits } audit { action after } } }";
    let before = count(
        &app,
        &format!("SELECT credits_balance AS n FROM accounts WHERE id = '{account}'"),
    )
    .await;

    // the owner may not confirm their own payment
    let r = app
        .gql(Some(&w.s.token), CONFIRM, serde_json::json!({"p": a.id}))
        .await;
    assert_eq!(crate::harness::code(&r), "FORBIDDEN", "{r}");

    // staff confirm: 500 purchased credits, once, audited
    let r = app
        .data(
            &staff,
            CONFIRM,
            serde_json::json!({"p": a.id}),
            "adminConfirmPayment",
        )
        .await;
    assert_eq!(r["account"]["credits"], before + 500, "{r}");
    assert_eq!(r["audit"]["action"], "CONFIRM_PAYMENT", "{r}");
    assert_eq!(r["audit"]["before"]["status"], "pending", "{r}");
    let again = app
        .data(
            &staff,
            CONFIRM,
            serde_json::json!({"p": a.id}),
            "adminConfirmPayment",
        )
        .await;
    assert_eq!(
        again["account"]["credits"],
        before + 500,
        "confirmed once: {again}"
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM credit_transactions WHERE reference = 'payment:{}'",
                a.id
            )
        )
        .await,
        1
    );

    // a paid payment cannot be voided; a pending one can, and then cannot be confirmed
    let r = app
        .gql(Some(&staff), VOID, serde_json::json!({"p": a.id}))
        .await;
    assert_eq!(crate::harness::code(&r), "CONFLICT", "{r}");
    let r = app
        .data(
            &staff,
            VOID,
            serde_json::json!({"p": b.id}),
            "adminVoidPayment",
        )
        .await;
    assert_eq!(r["audit"]["after"]["status"], "void", "{r}");
    let r = app
        .gql(Some(&staff), CONFIRM, serde_json::json!({"p": b.id}))
        .await;
    assert_eq!(crate::harness::code(&r), "CONFLICT", "{r}");
    assert_eq!(
        count(
            &app,
            &format!("SELECT credits_balance AS n FROM accounts WHERE id = '{account}'")
        )
        .await,
        before + 500
    );

    // an unknown payment is NOT_FOUND
    let r = app
        .gql(
            Some(&staff),
            CONFIRM,
            serde_json::json!({"p": Uuid::now_v7()}),
        )
        .await;
    assert_eq!(crate::harness::code(&r), "NOT_FOUND", "{r}");
}
