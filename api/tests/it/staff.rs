//! Platform staff (issue 16): staff sign in with the ordinary login, see
//! billing data and never tenant content; every `admin*` operation is
//! staff-only, audited with before/after, and adjustments never go below
//! zero; owners read their own account's audit log and nobody else's.
//! Usage series sum to the ledger, behind the same walls as creditUsage.

use crate::harness::{Session, TestApp, code, ids, nodes};
use crate::jobs::{CLUSTER, keyword_ids, wait_for_status};
use igny8_api::admin::{CreateStaffError, create_staff};
use igny8_db::Db;
use serde_json::{Value, json};

const STAFF_PASSWORD: &str = "staff members only please";

/// Creates a staff member as `igny8 admin create-staff` does and signs in.
pub(crate) async fn staff(app: &TestApp, email: &str) -> String {
    let db = Db::connect(&app.db_url, 2).unwrap();
    create_staff(&db, email, STAFF_PASSWORD).await.unwrap();
    let r = app.login(email, STAFF_PASSWORD).await;
    r["data"]["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("staff login failed: {r}"))
        .to_owned()
}

async fn editor(app: &TestApp, owner: &Session, email: &str, sites: &[&str]) -> String {
    let r = app
        .gql(
            Some(&owner.token),
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({"i": {"email": email, "password": "editor password ok", "role": "EDITOR", "siteIds": sites}}),
        )
        .await;
    assert!(r.get("errors").is_none(), "{r}");
    app.sql(&format!(
        "UPDATE users SET email_verified_at = now() WHERE email = '{email}'"
    ))
    .await;
    let r = app.login(email, "editor password ok").await;
    r["data"]["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned()
}

const ADJUST: &str = "mutation($i: AdminAdjustCreditsInput!) { adminAdjustCredits(input: $i) {
    account { id credits planCredits purchasedCredits }
    transaction { kind amount planAmount purchasedAmount balanceAfter description }
    audit { action actorEmail reason before after } } }";
const SET_PLAN: &str = "mutation($i: AdminSetPlanInput!) { adminSetPlan(input: $i) { account { plan { slug } } audit { action before after } } }";
const SET_STATUS: &str = "mutation($i: AdminSetAccountStatusInput!) { adminSetAccountStatus(input: $i) { account { status } audit { action before after } } }";
const ACCOUNTS: &str =
    "query($s: String) { adminAccounts(search: $s, first: 20) { totalCount edges { node {
    id name status ownerEmail credits planCredits purchasedCredits periodEndsAt plan { slug }
    usage { creditsThisPeriod creditsTotal sites users } } } } }";
const AUDIT: &str = "{ adminAuditLog(first: 50) { totalCount edges { node { accountId action actorEmail reason before after createdAt } } } }";
const OWN_AUDIT: &str = "{ auditLog(first: 50) { totalCount edges { node { accountId action actorEmail before after } } } }";

async fn credits(app: &TestApp, token: &str) -> Value {
    app.data(
        token,
        "{ account { credits planCredits purchasedCredits status plan { slug } } }",
        json!({}),
        "account",
    )
    .await
}

#[tokio::test]
async fn staff_sign_in_with_login_and_see_no_tenant_content() {
    let app = TestApp::spawn().await;
    let w = app.workspace("owner@content.io").await;
    let s = staff(&app, "support@igny8.io").await;

    let me = app
        .data(&s, "{ me { email isStaff role } }", json!({}), "me")
        .await;
    assert_eq!(
        me,
        json!({"email": "support@igny8.io", "isStaff": true, "role": "VIEWER"})
    );
    let me = app
        .data(&w.s.token, "{ me { isStaff } }", json!({}), "me")
        .await;
    assert_eq!(me["isStaff"], false);

    // tenant operations run in the (empty) platform account
    let sites = app
        .data(
            &s,
            "{ sites(first: 10) { totalCount } }",
            json!({}),
            "sites",
        )
        .await;
    assert_eq!(sites["totalCount"], 0);
    let r = app
        .gql(
            Some(&s),
            "query($id: ID!) { site(id: $id) { name } }",
            json!({"id": w.site}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    let r = app
        .gql(
            Some(&s),
            "mutation { createSite(input: {name: \"x\"}) { id } }",
            json!({}),
        )
        .await;
    assert!(
        r.get("errors").is_some(),
        "a staff member's viewer role writes nothing: {r}"
    );

    // the platform account is not a tenant staff can act on
    let list = app.data(&s, ACCOUNTS, json!({}), "adminAccounts").await;
    assert_eq!(list["totalCount"], 1, "{list}");
    assert_eq!(list["edges"][0]["node"]["ownerEmail"], "owner@content.io");
    let platform = app
        .data(&s, "{ account { id } }", json!({}), "account")
        .await["id"]
        .clone();
    let r = app
        .gql(
            Some(&s),
            ADJUST,
            json!({"i": {"accountId": platform, "amount": 5, "reason": "x"}}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");

    // create-staff refuses a taken email and a weak password
    let db = Db::connect(&app.db_url, 2).unwrap();
    let e = create_staff(&db, "owner@content.io", STAFF_PASSWORD)
        .await
        .unwrap_err();
    assert!(matches!(e, CreateStaffError::EmailTaken(_)), "{e}");
    let e = create_staff(&db, "second@igny8.io", "password")
        .await
        .unwrap_err();
    assert!(matches!(e, CreateStaffError::Invalid(_)), "{e}");
    // a second staff member joins the same platform account
    create_staff(&db, "second@igny8.io", STAFF_PASSWORD)
        .await
        .unwrap();
    assert_eq!(app.count("staff_members").await, 2);
    assert_eq!(
        app.count("(SELECT DISTINCT account_id FROM staff_members) x")
            .await,
        1
    );
}

#[tokio::test]
async fn every_admin_operation_is_staff_only() {
    let app = TestApp::spawn().await;
    let w = app.workspace("owner@forbidden.io").await;
    let ed = editor(&app, &w.s, "ed@forbidden.io", &[&w.site]).await;
    let acc = &w.s.account_id;
    let ops: Vec<(&str, Value)> = vec![
        (ACCOUNTS, json!({})),
        (
            "query($id: ID!) { adminAccount(id: $id) { id } }",
            json!({"id": acc}),
        ),
        (AUDIT, json!({})),
        (
            ADJUST,
            json!({"i": {"accountId": acc, "amount": 1000, "reason": "free"}}),
        ),
        (
            SET_PLAN,
            json!({"i": {"accountId": acc, "planSlug": "scale"}}),
        ),
        (
            SET_STATUS,
            json!({"i": {"accountId": acc, "status": "ACTIVE"}}),
        ),
    ];
    for (q, v) in &ops {
        for t in [&w.s.token, &ed] {
            let r = app.gql(Some(t), q, v.clone()).await;
            assert_eq!(code(&r), "FORBIDDEN", "{q}: {r}");
        }
        let r = app.gql(None, q, v.clone()).await;
        assert_eq!(code(&r), "UNAUTHENTICATED", "{q}: {r}");
    }
    let c = credits(&app, &w.s.token).await;
    assert_eq!(
        (&c["credits"], &c["plan"]["slug"]),
        (&json!(100), &json!("trial"))
    );
    assert_eq!(app.count("audit_log").await, 0);
    assert_eq!(
        app.count("credit_transactions WHERE kind = 'adjustment'")
            .await,
        0
    );
}

#[tokio::test]
async fn adjustments_split_by_pool_never_go_below_zero_and_are_audited() {
    let app = TestApp::spawn().await;
    let w = app.workspace("owner@adjust.io").await;
    let s = staff(&app, "support@igny8.io").await;
    let acc = &w.s.account_id;

    let r = app
        .data(
            &s,
            ADJUST,
            json!({"i": {"accountId": acc, "amount": 50, "reason": " goodwill "}}),
            "adminAdjustCredits",
        )
        .await;
    assert_eq!(r["account"]["credits"], 150);
    assert_eq!(r["account"]["purchasedCredits"], 50);
    assert_eq!(
        r["transaction"],
        json!({"kind": "adjustment", "amount": 50, "planAmount": 0, "purchasedAmount": 50,
               "balanceAfter": 150, "description": "Staff adjustment: goodwill"})
    );
    assert_eq!(r["audit"]["action"], "ADJUST_CREDITS");
    assert_eq!(r["audit"]["actorEmail"], "support@igny8.io");
    assert_eq!(r["audit"]["reason"], "goodwill");
    assert_eq!(r["audit"]["before"]["credits"], 100);
    assert_eq!(r["audit"]["after"]["credits"], 150);
    assert_eq!(r["audit"]["after"]["purchasedCredits"], 50);

    // taking back: purchased credits first, then plan credits
    let r = app
        .data(
            &s,
            ADJUST,
            json!({"i": {"accountId": acc, "amount": -60, "reason": "reversal"}}),
            "adminAdjustCredits",
        )
        .await;
    assert_eq!(
        (
            &r["account"]["planCredits"],
            &r["account"]["purchasedCredits"]
        ),
        (&json!(90), &json!(0))
    );
    assert_eq!(
        (
            &r["transaction"]["planAmount"],
            &r["transaction"]["purchasedAmount"]
        ),
        (&json!(-10), &json!(-50))
    );
    let c = credits(&app, &w.s.token).await;
    assert_eq!(c["credits"], 90, "the owner sees it: {c}");

    // never below zero, and a refusal writes nothing
    let ledger = format!("credit_transactions WHERE account_id = '{acc}'");
    let before = app.count(&ledger).await;
    let r = app
        .gql(
            Some(&s),
            ADJUST,
            json!({"i": {"accountId": acc, "amount": -91, "reason": "too much"}}),
        )
        .await;
    assert_eq!(code(&r), "INSUFFICIENT_CREDITS", "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("90 credits available"),
        "{r}"
    );
    let r = app
        .gql(
            Some(&s),
            ADJUST,
            json!({"i": {"accountId": acc, "amount": 5, "reason": "  "}}),
        )
        .await;
    assert_eq!(
        (code(&r), crate::harness::field(&r)),
        ("BAD_USER_INPUT", "reason"),
        "{r}"
    );
    let r = app
        .gql(
            Some(&s),
            ADJUST,
            json!({"i": {"accountId": acc, "amount": 0, "reason": "zero"}}),
        )
        .await;
    assert_eq!(
        (code(&r), crate::harness::field(&r)),
        ("BAD_USER_INPUT", "amount"),
        "{r}"
    );
    let r = app
        .gql(Some(&s), ADJUST, json!({"i": {"accountId": "0193a000-0000-7000-8000-000000000000", "amount": 5, "reason": "x"}}))
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    assert_eq!(app.count(&ledger).await, before);
    assert_eq!(app.count("audit_log").await, 2);

    // taking exactly everything is fine
    let r = app
        .data(
            &s,
            ADJUST,
            json!({"i": {"accountId": acc, "amount": -90, "reason": "closing"}}),
            "adminAdjustCredits",
        )
        .await;
    assert_eq!(r["account"]["credits"], 0);

    // the ledger's filter by kind and pool
    let l = app
        .data(
            &w.s.token,
            "{ creditLedger(filter: {kinds: [ADJUSTMENT], pool: PURCHASED}) { totalCount edges { node { amount } } } }",
            json!({}),
            "creditLedger",
        )
        .await;
    assert_eq!(
        l["totalCount"], 2,
        "+50 and -60 moved purchased credits: {l}"
    );
    let l = app
        .data(
            &w.s.token,
            "{ creditLedger(filter: {pool: PLAN}) { edges { node { kind amount balanceAfter } } } }",
            json!({}),
            "creditLedger",
        )
        .await;
    assert_eq!(
        nodes(&l, "kind"),
        vec![
            json!("adjustment"),
            json!("adjustment"),
            json!("subscription")
        ],
        "{l}"
    );
}

#[tokio::test]
async fn plan_and_status_changes_take_effect_and_are_audited() {
    let app = TestApp::spawn().await;
    let w = app.workspace("owner@plan.io").await;
    let s = staff(&app, "support@igny8.io").await;
    let acc = &w.s.account_id;

    let r = app
        .data(
            &s,
            SET_PLAN,
            json!({"i": {"accountId": acc, "planSlug": "starter", "reason": "sales deal"}}),
            "adminSetPlan",
        )
        .await;
    assert_eq!(r["account"]["plan"]["slug"], "starter");
    assert_eq!(
        (&r["audit"]["before"], &r["audit"]["after"]),
        (&json!({"plan": "trial"}), &json!({"plan": "starter"}))
    );
    let c = credits(&app, &w.s.token).await;
    assert_eq!(c["plan"]["slug"], "starter");
    let sub = format!(
        "subscriptions s JOIN plans p ON p.id = s.plan_id WHERE p.slug = 'starter' AND s.account_id = '{acc}'"
    );
    assert_eq!(app.count(&sub).await, 1);
    for bad in ["nope", "staff"] {
        let r = app
            .gql(
                Some(&s),
                SET_PLAN,
                json!({"i": {"accountId": acc, "planSlug": bad}}),
            )
            .await;
        assert_eq!(
            (code(&r), crate::harness::field(&r)),
            ("BAD_USER_INPUT", "planSlug"),
            "{r}"
        );
    }

    let r = app
        .data(
            &s,
            SET_STATUS,
            json!({"i": {"accountId": acc, "status": "SUSPENDED", "reason": "abuse"}}),
            "adminSetAccountStatus",
        )
        .await;
    assert_eq!(r["account"]["status"], "SUSPENDED");
    assert_eq!(r["audit"]["before"], json!({"status": "trial"}));
    let r = app
        .gql(Some(&w.s.token), "{ account { id } }", json!({}))
        .await;
    assert_eq!(code(&r), "FORBIDDEN", "a suspended account is refused: {r}");
    app.data(
        &s,
        SET_STATUS,
        json!({"i": {"accountId": acc, "status": "ACTIVE"}}),
        "adminSetAccountStatus",
    )
    .await;
    assert_eq!(credits(&app, &w.s.token).await["status"], "ACTIVE");

    let log = app.data(&s, AUDIT, json!({}), "adminAuditLog").await;
    assert_eq!(log["totalCount"], 3);
    assert_eq!(
        nodes(&log, "action"),
        vec![
            json!("SET_ACCOUNT_STATUS"),
            json!("SET_ACCOUNT_STATUS"),
            json!("SET_PLAN")
        ]
    );
    assert_eq!(log["edges"][2]["node"]["reason"], "sales deal");
}

#[tokio::test]
async fn owners_read_only_their_own_accounts_audit_log_and_staff_search_accounts() {
    let app = TestApp::spawn().await;
    let a = app.workspace("owner@a-audit.io").await;
    let b = app.workspace("owner@b-audit.io").await;
    let ed = editor(&app, &a.s, "ed@a-audit.io", &[&a.site]).await;
    let s = staff(&app, "support@igny8.io").await;
    for (acc, n) in [(&a.s.account_id, 7), (&b.s.account_id, 9)] {
        app.data(
            &s,
            ADJUST,
            json!({"i": {"accountId": acc, "amount": n, "reason": "bonus"}}),
            "adminAdjustCredits",
        )
        .await;
    }
    let own = app.data(&a.s.token, OWN_AUDIT, json!({}), "auditLog").await;
    assert_eq!(own["totalCount"], 1, "{own}");
    assert_eq!(own["edges"][0]["node"]["accountId"], json!(a.s.account_id));
    assert_eq!(own["edges"][0]["node"]["after"]["amount"], 7);
    let own = app.data(&b.s.token, OWN_AUDIT, json!({}), "auditLog").await;
    assert_eq!(own["edges"][0]["node"]["after"]["amount"], 9);
    let r = app.gql(Some(&ed), OWN_AUDIT, json!({})).await;
    assert_eq!(code(&r), "FORBIDDEN", "owners only: {r}");
    assert_eq!(
        app.data(&s, AUDIT, json!({}), "adminAuditLog").await["totalCount"],
        2
    );

    // search by owner email, name or id; the summary carries billing numbers
    let l = app
        .data(&s, ACCOUNTS, json!({"s": "b-audit"}), "adminAccounts")
        .await;
    assert_eq!(ids(&l), vec![b.s.account_id.clone()]);
    let n = &l["edges"][0]["node"];
    assert_eq!(
        (&n["credits"], &n["purchasedCredits"], &n["plan"]["slug"]),
        (&json!(109), &json!(9), &json!("trial"))
    );
    assert_eq!(
        (&n["usage"]["sites"], &n["usage"]["users"]),
        (&json!(1), &json!(1))
    );
    assert!(n["periodEndsAt"].is_string(), "{n}");
    let l = app
        .data(&s, ACCOUNTS, json!({"s": a.s.account_id}), "adminAccounts")
        .await;
    assert_eq!(ids(&l), vec![a.s.account_id.clone()]);
    let l = app
        .data(&s, ACCOUNTS, json!({"s": "%"}), "adminAccounts")
        .await;
    assert_eq!(l["totalCount"], 0, "wildcards are literal: {l}");
    let l = app.data(&s, ACCOUNTS, json!({}), "adminAccounts").await;
    assert_eq!(l["totalCount"], 2);
}

#[tokio::test]
async fn usage_series_sum_to_the_ledger_behind_the_usual_walls() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("owner@usage.io").await;
    let other = app.workspace("other@usage.io").await;
    let t = &w.s.token;
    let kws = keyword_ids(&app, &w).await;
    for half in kws.chunks(kws.len().div_ceil(2)) {
        let job = app
            .data(t, CLUSTER, json!({"k": half}), "autoClusterKeywords")
            .await;
        wait_for_status(&app, t, job["id"].as_str().unwrap(), "SUCCEEDED").await;
    }
    // one of the two ran three days ago
    let acc = &w.s.account_id;
    app.sql(&format!(
        "WITH j AS (SELECT job_id FROM credit_usage_logs WHERE account_id = '{acc}' ORDER BY created_at LIMIT 1)
         UPDATE credit_usage_logs SET created_at = now() - interval '3 days' WHERE job_id IN (SELECT job_id FROM j);
         UPDATE credit_transactions SET created_at = now() - interval '3 days'
          WHERE id = (SELECT id FROM credit_transactions WHERE account_id = '{acc}' AND kind = 'deduction' ORDER BY seq LIMIT 1)"
    ))
    .await;

    let deducted: i64 = nodes(
        &app.data(
            t,
            "{ creditLedger(filter: {kinds: [DEDUCTION]}) { edges { node { amount } } } }",
            json!({}),
            "creditLedger",
        )
        .await,
        "amount",
    )
    .iter()
    .map(|v| -v.as_i64().unwrap())
    .sum();
    assert!(deducted > 0);
    let q = "query($g: UsageGroupBy!) { usage(groupBy: $g) { credits jobs points { start function siteId credits byFunction { function credits } } } }";
    let day = app.data(t, q, json!({"g": "DAY"}), "usage").await;
    assert_eq!(day["credits"], deducted, "{day}");
    assert_eq!(day["jobs"], 2);
    let points = day["points"].as_array().unwrap();
    assert!(
        (30..=31).contains(&points.len()),
        "every day of the range: {}",
        points.len()
    );
    let used: Vec<i64> = points
        .iter()
        .map(|p| p["credits"].as_i64().unwrap())
        .filter(|c| *c > 0)
        .collect();
    assert_eq!(used.len(), 2, "two days with usage: {day}");
    assert_eq!(used.iter().sum::<i64>(), deducted);
    for p in points {
        let stacked: i64 = p["byFunction"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["credits"].as_i64().unwrap())
            .sum();
        assert_eq!(stacked, p["credits"].as_i64().unwrap());
    }
    let week = app.data(t, q, json!({"g": "WEEK"}), "usage").await;
    assert_eq!(week["credits"], deducted);
    let f = app.data(t, q, json!({"g": "FUNCTION"}), "usage").await;
    assert_eq!(f["points"].as_array().unwrap().len(), 1);
    assert_eq!(f["points"][0]["function"], "auto_cluster");
    assert_eq!(f["points"][0]["credits"], deducted);
    let s = app.data(t, q, json!({"g": "SITE"}), "usage").await;
    assert_eq!(s["points"][0]["siteId"], json!(w.site));
    assert_eq!(s["points"][0]["credits"], deducted);
    // a range that excludes the older job
    let recent = app
        .data(
            t,
            "query($f: DateTime) { usage(from: $f, groupBy: DAY) { credits } }",
            json!({"f": (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339()}),
            "usage",
        )
        .await;
    assert!(recent["credits"].as_i64().unwrap() < deducted, "{recent}");

    // walls: another account sees nothing; an editor of another site neither
    let o = app
        .data(&other.s.token, q, json!({"g": "DAY"}), "usage")
        .await;
    assert_eq!(o["credits"], 0);
    let site2 = app.create_site(&w.s, "Second").await;
    let ed = editor(&app, &w.s, "ed@usage.io", &[&site2]).await;
    assert_eq!(
        app.data(&ed, q, json!({"g": "SITE"}), "usage").await["credits"],
        0
    );
    let ed1 = editor(&app, &w.s, "ed1@usage.io", &[&w.site]).await;
    assert_eq!(
        app.data(&ed1, q, json!({"g": "SITE"}), "usage").await["credits"],
        deducted
    );

    let r = app
        .gql(Some(t), "{ usage(from: \"2026-01-02T00:00:00Z\", to: \"2026-01-01T00:00:00Z\", groupBy: DAY) { credits } }", json!({}))
        .await;
    assert_eq!(
        (code(&r), crate::harness::field(&r)),
        ("BAD_USER_INPUT", "from"),
        "{r}"
    );
    let r = app
        .gql(Some(t), "{ usage(from: \"2024-01-01T00:00:00Z\", to: \"2026-01-01T00:00:00Z\", groupBy: DAY) { credits } }", json!({}))
        .await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
}
