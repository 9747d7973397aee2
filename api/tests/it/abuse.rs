//! Issue 13, finding 7: login abuse. Credential operations run one per
//! request, are throttled per address and per account, and password
//! hashing runs on a bounded pool.

use crate::harness::{TestApp, code};
use serde_json::{Value, json};

const LOGIN: &str = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }";

async fn post(app: &TestApp, body: Value) -> Value {
    app.http
        .post(app.url("/graphql"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The attack: 3,000 guesses in one aliased request. Now any document or
/// batch with more than one credential operation is refused before a
/// single password is checked.
#[tokio::test]
async fn aliased_batched_and_fragment_logins_are_refused_unexecuted() {
    let app = TestApp::spawn().await;
    app.signup("victim@abuse.io", "Victim").await;
    let guess = |i: usize, pw: &str| {
        format!(
            r#"g{i}: login(input: {{email: "victim@abuse.io", password: "{pw}"}}) {{ accessToken }}"#
        )
    };
    // the right password hides among wrong ones
    let aliased: String = (0..50)
        .map(|i| {
            guess(
                i,
                if i == 37 {
                    "correct horse battery"
                } else {
                    "wrong guess!"
                },
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let r = post(&app, json!({"query": format!("mutation {{ {aliased} }}")})).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert!(r.get("data").is_none_or(Value::is_null), "nothing ran: {r}");

    // two through fragments
    let q = format!(
        "mutation {{ ...A ...B }} fragment A on Mutation {{ {} }} fragment B on Mutation {{ {} }}",
        guess(1, "wrong guess!"),
        guess(2, "correct horse battery")
    );
    let r = post(&app, json!({"query": q})).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");

    // a batch: every entry refused, even a lone login
    let one = json!({"query": LOGIN, "variables": {"i": {"email": "victim@abuse.io", "password": "correct horse battery"}}});
    let r = post(&app, json!([one.clone(), one.clone()])).await;
    for entry in r.as_array().expect("a batch answer") {
        assert_eq!(code(entry), "BAD_USER_INPUT", "{r}");
    }
    let signup = json!({"query": "mutation { signup(input: {email: \"x@abuse.io\", password: \"long enough pw\", accountName: \"X\"}) { accessToken } }"});
    let r = post(&app, json!([{"query": "{ __typename }"}, signup])).await;
    assert_eq!(r[0]["data"]["__typename"], "Query", "{r}");
    assert_eq!(code(&r[1]), "BAD_USER_INPUT", "{r}");
    assert_eq!(app.count("users WHERE email = 'x@abuse.io'").await, 0);
    assert_eq!(
        app.state.passwords.runs(),
        1,
        "no password checked but the victim's signup"
    );

    // one login per request still works
    let r = post(&app, one).await;
    assert!(r["data"]["login"]["accessToken"].is_string(), "{r}");
}

#[tokio::test]
async fn logins_are_throttled_per_account_and_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.auth.per_email_burst = 3;
        c.auth.per_ip_per_minute = 8;
    })
    .await;
    // signing up is the account's first attempt, and the address's
    app.signup("target@abuse.io", "Target").await;
    for _ in 0..2 {
        let r = app.login("target@abuse.io", "wrong guess!").await;
        assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    }
    // the account's burst is spent: even the right password waits
    let r = app.login("target@abuse.io", "correct horse battery").await;
    assert_eq!(code(&r), "RATE_LIMITED", "{r}");
    let retry = r["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap();
    assert!((1..=60).contains(&retry), "a retry hint: {r}");
    // other accounts are not affected, until the address's budget (8 a
    // minute, 4 spent) runs out whatever the account
    let mut served = 0;
    let throttled = loop {
        let r = app
            .login(&format!("other{served}@abuse.io"), "wrong guess!")
            .await;
        if code(&r) == "RATE_LIMITED" {
            break r;
        }
        assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
        served += 1;
        assert!(served < 12, "the address is never throttled");
    };
    assert!(served >= 4, "other accounts were served first ({served})");
    assert!(
        throttled["errors"][0]["extensions"]["retryAfter"]
            .as_u64()
            .unwrap()
            >= 1
    );
}

/// The attack: 50 concurrent logins took the process from 37 MB to 990 MB,
/// argon2 (19 MiB each) running on an unbounded blocking pool. Now at most
/// `hash_concurrency` hashes run at once; callers beyond the queue get
/// `RATE_LIMITED` at once.
#[tokio::test]
async fn password_hashing_runs_on_a_bounded_pool() {
    let app = TestApp::spawn_with(|c| {
        c.auth.hash_concurrency = 2;
        c.auth.hash_queue = 6;
    })
    .await;
    let attempts = (0..40).map(|i| {
        let app = &app;
        async move {
            app.login(&format!("user{i}@flood.io"), "wrong guess!")
                .await
        }
    });
    let answers = futures::future::join_all(attempts).await;
    let mut refused = 0;
    for r in &answers {
        match code(r) {
            "UNAUTHENTICATED" => {}
            "RATE_LIMITED" => refused += 1,
            other => panic!("{other}: {r}"),
        }
    }
    let peak = app.state.passwords.peak_in_flight();
    assert!(
        (1..=2).contains(&peak),
        "at most 2 hashes at once, saw {peak}"
    );
    assert!(refused < answers.len(), "some logins were served");
}
