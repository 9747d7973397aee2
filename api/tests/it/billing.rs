//! Billing: plan limits enforced where they are crossed, the two credit
//! pools, renewals on the scheduler (a controllable clock, several
//! instances, downtime), spending racing a renewal.

use crate::harness::{TestApp, code};
use crate::jobs::{CLUSTER, keyword_ids, wait_for_status};
use chrono::{DateTime, Duration, Utc};
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use igny8_db::Db;
use igny8_jobs::scheduler::{ManualClock, Scheduler, with_every_kind};
use serde_json::{Value, json};
use std::sync::Arc;

const ACCOUNT: &str =
    "{ account { credits planCredits purchasedCredits periodEndsAt limits { limit max usage } } }";

async fn account(app: &TestApp, token: &str) -> Value {
    app.data(token, ACCOUNT, json!({}), "account").await
}

#[tokio::test]
async fn plan_limits_are_enforced_where_crossed_with_the_limit_plan_and_usage() {
    let app = TestApp::spawn().await;
    let w = app.workspace("owner@limits.io").await;
    app.sql(
        r#"UPDATE plans SET features = features || '{"max_sites": 2, "max_keywords": 3, "max_users": 1}' WHERE slug = 'trial'"#,
    )
    .await;
    let t = &w.s.token;
    let site = "mutation($n: String!) { createSite(input: {name: $n}) { id } }";
    let r = app.gql(Some(t), site, json!({"n": "Two"})).await;
    assert!(r.get("errors").is_none(), "{r}");
    let r = app.gql(Some(t), site, json!({"n": "Three"})).await;
    assert_eq!(code(&r), "LIMIT_EXCEEDED", "{r}");
    let ext = &r["errors"][0]["extensions"];
    assert_eq!(
        (&ext["limit"], &ext["max"], &ext["plan"], &ext["usage"]),
        (&json!("max_sites"), &json!(2), &json!("trial"), &json!(2))
    );
    let sites = format!("sites WHERE account_id = '{}'", w.s.account_id);
    assert_eq!(app.count(&sites).await, 2);

    // an import that would cross the limit is refused whole
    let r = app.import_csv(t, &w.sector, "keyword\na\nb\nc\nd\n").await;
    assert_eq!(code(&r), "LIMIT_EXCEEDED", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["usage"], 0);
    let keywords = format!("keywords WHERE account_id = '{}'", w.s.account_id);
    assert_eq!(app.count(&keywords).await, 0);
    let r = app.import_csv(t, &w.sector, "keyword\na\nb\nc\n").await;
    assert!(r.get("errors").is_none(), "exactly at the limit: {r}");
    let r = app
        .gql(
            Some(t),
            "mutation($s: ID!) { createKeyword(input: {sectorId: $s, keyword: \"d\"}) { id } }",
            json!({"s": w.sector}),
        )
        .await;
    assert_eq!(code(&r), "LIMIT_EXCEEDED", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["limit"], "max_keywords");
    assert_eq!(r["errors"][0]["extensions"]["usage"], 3);
    assert_eq!(app.count(&keywords).await, 3);

    // the owner is the one user the plan allows
    let r = app
        .gql(
            Some(t),
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({"i": {"email": "second@limits.io", "password": "member password", "role": "EDITOR", "siteIds": []}}),
        )
        .await;
    assert_eq!(code(&r), "LIMIT_EXCEEDED", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["limit"], "max_users");

    // another account on the same plan is counted on its own
    let other = app.workspace("other@limits.io").await;
    let r = app
        .import_csv(&other.s.token, &other.sector, "keyword\na\nb\n")
        .await;
    assert!(r.get("errors").is_none(), "{r}");

    let limits = account(&app, t).await["limits"].clone();
    for want in [
        json!({"limit": "max_keywords", "max": 3, "usage": 3}),
        json!({"limit": "max_sites", "max": 2, "usage": 2}),
        json!({"limit": "max_users", "max": 1, "usage": 1}),
    ] {
        assert!(
            limits.as_array().unwrap().contains(&want),
            "{want} in {limits}"
        );
    }
}

fn renewals(app: &TestApp, clock: &ManualClock) -> Scheduler {
    with_every_kind(Scheduler::new(
        Db::connect(&app.db_url, 3).unwrap(),
        Arc::new(clock.clone()),
    ))
}

#[derive(diesel::QueryableByName, Debug)]
struct Entry {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    amount: i64,
    #[diesel(sql_type = BigInt)]
    plan_amount: i64,
    #[diesel(sql_type = BigInt)]
    balance_after: i64,
}

/// The account's ledger in the order its balance changed.
async fn ledger(app: &TestApp, account: &str) -> Vec<Entry> {
    let mut conn = app.superuser().await;
    diesel::sql_query(
        "SELECT kind, amount, plan_amount, balance_after FROM credit_transactions
          WHERE account_id = $1::uuid ORDER BY seq",
    )
    .bind::<Text, _>(account)
    .load(&mut conn)
    .await
    .unwrap()
}

fn period_end(a: &Value) -> DateTime<Utc> {
    a["periodEndsAt"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn renewal_closes_each_missed_period_once_even_with_instances_racing() {
    let app = TestApp::spawn().await;
    let s = app.signup("owner@renew.io", "Renew").await;
    let before = account(&app, &s.token).await;
    assert_eq!(
        (
            &before["credits"],
            &before["planCredits"],
            &before["purchasedCredits"]
        ),
        (&json!(100), &json!(100), &json!(0))
    );
    let end = period_end(&before);
    // 30 plan credits spent, 50 purchased ones that must never expire
    app.sql(&format!(
        "UPDATE accounts SET credits_balance = credits_balance - 30 + 50, plan_credits = plan_credits - 30
          WHERE id = '{}'",
        s.account_id
    ))
    .await;
    // down from before the period's end until about three months later
    let clock = ManualClock::new(end + Duration::days(95));
    let (a, b, c) = (
        renewals(&app, &clock),
        renewals(&app, &clock),
        renewals(&app, &clock),
    );
    let (ra, rb, rc) = tokio::join!(a.drain(), b.drain(), c.drain());
    let ran = ra.unwrap().ran + rb.unwrap().ran + rc.unwrap().ran;
    assert_eq!(ran, 4, "the periods ending at end, +1, +2, +3 months");
    let l = ledger(&app, &s.account_id).await;
    let kinds: Vec<_> = l.iter().map(|e| (e.kind.as_str(), e.amount)).collect();
    assert_eq!(
        kinds,
        vec![
            ("subscription", 100), // signup
            ("expiry", -70),
            ("subscription", 100),
            ("expiry", -100),
            ("subscription", 100),
            ("expiry", -100),
            ("subscription", 100),
            ("expiry", -100),
            ("subscription", 100),
        ]
    );
    assert!(l.iter().all(|e| e.plan_amount == e.amount), "{l:?}");
    let after = account(&app, &s.token).await;
    assert_eq!(
        (
            &after["credits"],
            &after["planCredits"],
            &after["purchasedCredits"]
        ),
        (&json!(150), &json!(100), &json!(50))
    );
    let next = period_end(&after);
    assert!(
        next > clock_now(&clock) && next < end + Duration::days(130),
        "{next}"
    );
    // starting again (any instance) changes nothing until the next end
    assert_eq!(
        a.drain().await.unwrap().ran + b.drain().await.unwrap().ran,
        0
    );
    clock.set(next);
    assert_eq!(c.drain().await.unwrap().ran, 1);
    assert_eq!(ledger(&app, &s.account_id).await.len(), 11);
}

fn clock_now(c: &ManualClock) -> DateTime<Utc> {
    igny8_jobs::scheduler::Clock::now(c)
}

#[tokio::test]
async fn spending_racing_renewal_keeps_the_ledger_chain_exact() {
    // the worker's own scheduler is off: renewals run on the test's clock
    let app = TestApp::spawn_worker_with(|c| c.jobs.scheduler = false).await;
    let w = app.workspace("owner@race.io").await;
    let t = &w.s.token;
    let kw = keyword_ids(&app, &w).await;
    assert!(kw.len() >= 8, "{kw:?}");
    let end = period_end(&account(&app, t).await);
    let clock = ManualClock::new(end + Duration::days(40));
    let mut jobs = vec![];
    for pair in kw.chunks(2).take(4) {
        let j = app
            .data(t, CLUSTER, json!({"k": pair}), "autoClusterKeywords")
            .await;
        jobs.push(j["id"].as_str().unwrap().to_owned());
    }
    // renewals (two periods) while the jobs run and settle
    let (a, b) = (renewals(&app, &clock), renewals(&app, &clock));
    let (ra, rb) = tokio::join!(a.drain(), b.drain());
    assert_eq!(ra.unwrap().ran + rb.unwrap().ran, 2);
    let mut charged = 0;
    for j in &jobs {
        let done = finished(&app, t, j).await;
        assert_eq!(done["status"], "SUCCEEDED", "{done}");
        charged += (done["creditsCharged"].as_i64().unwrap() > 0) as usize;
    }
    assert!(charged > 0, "some job must have spent credits");
    let l = ledger(&app, &w.s.account_id).await;
    assert_eq!(
        l.iter().filter(|e| e.kind == "deduction").count(),
        charged,
        "{l:?}"
    );
    assert_eq!(l.iter().filter(|e| e.kind == "expiry").count(), 2, "{l:?}");
    // every entry moves the balance the previous one left by its amount
    assert_eq!(l[0].balance_after, l[0].amount);
    for pair in l.windows(2) {
        assert_eq!(
            pair[1].balance_after,
            pair[0].balance_after + pair[1].amount,
            "{l:?}"
        );
    }
    let now = account(&app, t).await;
    assert_eq!(now["credits"], json!(l.last().unwrap().balance_after));
    // plan credits are spent first: only plan credits moved, and they add up
    let plan: i64 = l.iter().map(|e| e.plan_amount).sum();
    assert_eq!(now["planCredits"], json!(plan));
    assert_eq!(now["purchasedCredits"], 0);
}

#[tokio::test]
async fn spending_takes_plan_credits_first_then_purchased_ones() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.scheduler = false).await;
    let w = app.workspace("owner@pools.io").await;
    let t = &w.s.token;
    let kw = keyword_ids(&app, &w).await;
    // one plan credit left, 5 purchased
    app.sql(&format!(
        "UPDATE accounts SET credits_balance = 6, plan_credits = 1 WHERE id = '{}'",
        w.s.account_id
    ))
    .await;
    for pair in kw.chunks(2).take(2) {
        let j = app
            .data(t, CLUSTER, json!({"k": pair}), "autoClusterKeywords")
            .await;
        wait_for_status(&app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    }
    let a = account(&app, t).await;
    assert_eq!(
        (&a["credits"], &a["planCredits"], &a["purchasedCredits"]),
        (&json!(4), &json!(0), &json!(4))
    );
    let r = app
        .data(
            t,
            "{ creditTransactions(first: 2) { edges { node { kind amount planAmount purchasedAmount } } } }",
            json!({}),
            "creditTransactions",
        )
        .await;
    let rows: Vec<_> = r["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert!(
        rows.contains(
            &json!({"kind": "deduction", "amount": -1, "planAmount": -1, "purchasedAmount": 0})
        ),
        "{rows:?}"
    );
    assert!(
        rows.contains(
            &json!({"kind": "deduction", "amount": -1, "planAmount": 0, "purchasedAmount": -1})
        ),
        "{rows:?}"
    );
}

/// Waits until the job has finished, however it ended. Generous: under
/// this race a job has been seen to stall until its lease was reclaimed
/// (~45 s; a known liveness issue noted on the billing issue).
async fn finished(app: &TestApp, token: &str, job: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..3600 {
        let j = app
            .data(
                token,
                "query($id: ID!) { job(id: $id) { status error message creditsCharged } }",
                json!({"id": job}),
                "job",
            )
            .await;
        if !matches!(j["status"].as_str(), Some("QUEUED" | "RUNNING")) {
            return j;
        }
        last = j;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("job {job} never finished: {last}");
}
