use crate::harness::{TestApp, code, field};
use igny8_api::auth::{AUDIENCE, ISSUER, JwtKeys};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use std::time::Duration;

const ME: &str = "{ me { id email role account { id name status credits creditsAvailable } } }";

#[tokio::test]
async fn signup_creates_account_owner_subscription_and_grants_trial_credits() {
    let app = TestApp::spawn().await;
    let s = app.signup("Ann@Example.com", "Acme").await;
    let me = app.gql(Some(&s.token), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["email"], "ann@example.com");
    assert_eq!(me["data"]["me"]["role"], "OWNER");
    let acc = &me["data"]["me"]["account"];
    assert_eq!(acc["name"], "Acme");
    assert_eq!(acc["status"], "TRIAL");
    assert_eq!(acc["credits"], 100);
    assert_eq!(acc["creditsAvailable"], 100);
    assert_eq!(app.count("subscriptions").await, 1);
    assert_eq!(
        app.count("credit_transactions WHERE kind = 'subscription' AND amount = 100 AND balance_after = 100").await,
        1
    );
    // argon2id PHC string, never the password
    assert_eq!(
        app.count("users WHERE password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'")
            .await,
        1
    );
}

#[tokio::test]
async fn signup_rejects_bad_input_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let q = "mutation($i: SignupInput!) { signup(input: $i) { accessToken } }";
    for (input, f) in [
        (
            json!({"email": "not-an-email", "password": "long enough pw", "accountName": "A"}),
            "email",
        ),
        (
            json!({"email": "a@b.io", "password": "short", "accountName": "A"}),
            "password",
        ),
        (
            json!({"email": "a@b.io", "password": "long enough pw", "accountName": "   "}),
            "accountName",
        ),
    ] {
        let r = app.gql(None, q, json!({"i": input})).await;
        assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
        assert_eq!(field(&r), f, "{r}");
    }
    assert_eq!(app.count("accounts").await, 0);
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn duplicate_email_is_a_conflict_and_leaves_no_second_account() {
    let app = TestApp::spawn().await;
    app.signup("dup@example.com", "First").await;
    let r = app
        .gql(
            None,
            "mutation($i: SignupInput!) { signup(input: $i) { accessToken } }",
            json!({"i": {"email": "DUP@example.com", "password": "long enough pw", "accountName": "Second"}}),
        )
        .await;
    assert_eq!(code(&r), "CONFLICT");
    assert_eq!(field(&r), "email");
    assert_eq!(app.count("accounts").await, 1);
}

#[tokio::test]
async fn login_checks_the_password() {
    let app = TestApp::spawn().await;
    app.signup("bob@example.com", "Bob Co").await;
    let ok = app.login("BOB@example.com ", "correct horse battery").await;
    let token = ok["data"]["login"]["accessToken"]
        .as_str()
        .expect("login works")
        .to_owned();
    assert_eq!(
        app.gql(Some(&token), ME, json!({})).await["data"]["me"]["email"],
        "bob@example.com"
    );

    let wrong = app.login("bob@example.com", "wrong password!").await;
    assert_eq!(code(&wrong), "UNAUTHENTICATED");
    let unknown = app
        .login("nobody@example.com", "correct horse battery")
        .await;
    assert_eq!(code(&unknown), "UNAUTHENTICATED");
    // the same message either way: no account enumeration
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
}

fn sign(claims: Value, alg: Algorithm, secret: &[u8]) -> String {
    encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[tokio::test]
async fn expired_forged_and_foreign_tokens_are_unauthenticated() {
    let app = TestApp::spawn().await;
    let s = app.signup("carol@example.com", "Carol").await;
    let now = chrono::Utc::now().timestamp();
    let secret = app.state.config.jwt_secret.as_bytes().to_vec();
    let sid = app.jwt.verify(&s.token).unwrap().sid;
    let claims = |aud: &str, iss: &str, exp: i64| json!({"sub": s.user_id, "acc": s.account_id, "sid": sid, "iss": iss, "aud": aud, "iat": now, "exp": exp});
    let expired = app.jwt.issue(
        s.user_id.parse().unwrap(),
        s.account_id.parse().unwrap(),
        sid,
        now - 3600,
        Duration::from_secs(60),
    );
    let cases = [
        ("expired", expired),
        (
            "forged",
            JwtKeys::new("someone else's secret").issue(
                s.user_id.parse().unwrap(),
                s.account_id.parse().unwrap(),
                sid,
                now,
                Duration::from_secs(600),
            ),
        ),
        (
            "wrong audience",
            sign(
                claims("another-api", ISSUER, now + 600),
                Algorithm::HS256,
                &secret,
            ),
        ),
        (
            "wrong issuer",
            sign(
                claims(AUDIENCE, "evil", now + 600),
                Algorithm::HS256,
                &secret,
            ),
        ),
        (
            "other algorithm",
            sign(
                claims(AUDIENCE, ISSUER, now + 600),
                Algorithm::HS384,
                &secret,
            ),
        ),
        ("garbage", "not.a.jwt".to_owned()),
    ];
    for (what, token) in cases {
        let r = app.gql(Some(&token), ME, json!({})).await;
        assert_eq!(code(&r), "UNAUTHENTICATED", "{what}: {r}");
        if what == "expired" {
            assert!(
                r["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("expired"),
                "{r}"
            );
        }
    }
    // a valid token for a user of another account is refused too
    let other = app.signup("dave@example.com", "Dave").await;
    let mixed = app.jwt.issue(
        s.user_id.parse().unwrap(),
        other.account_id.parse().unwrap(),
        sid,
        now,
        Duration::from_secs(600),
    );
    assert_eq!(
        code(&app.gql(Some(&mixed), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
}

const REFRESH: &str = "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken refreshToken } }";

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = TestApp::spawn().await;
    let s = app.signup("erin@example.com", "Erin").await;
    let r1 = app.gql(None, REFRESH, json!({"t": s.refresh})).await;
    let second = r1["data"]["refreshToken"]["refreshToken"]
        .as_str()
        .expect("rotation works")
        .to_owned();
    assert_ne!(second, s.refresh);
    let access = r1["data"]["refreshToken"]["accessToken"].as_str().unwrap();
    assert_eq!(
        app.gql(Some(access), ME, json!({})).await["data"]["me"]["email"],
        "erin@example.com"
    );

    // presenting the rotated token again: refused, and the family is revoked
    let reuse = app.gql(None, REFRESH, json!({"t": s.refresh})).await;
    assert_eq!(code(&reuse), "UNAUTHENTICATED");
    let after = app.gql(None, REFRESH, json!({"t": second})).await;
    assert_eq!(
        code(&after),
        "UNAUTHENTICATED",
        "the newer token of the family is revoked too"
    );

    // another login (another family) is unaffected
    let other = app.login("erin@example.com", "correct horse battery").await;
    let t = other["data"]["login"]["refreshToken"].as_str().unwrap();
    assert!(app.gql(None, REFRESH, json!({"t": t})).await["data"]["refreshToken"].is_object());
    assert_eq!(
        code(&app.gql(None, REFRESH, json!({"t": "made-up"})).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let app = TestApp::spawn().await;
    let s = app.signup("frank@example.com", "Frank").await;
    let r = app
        .gql(
            None,
            "mutation($t: String!) { logout(input: {refreshToken: $t}) }",
            json!({"t": s.refresh}),
        )
        .await;
    assert_eq!(r["data"]["logout"], true);
    assert_eq!(
        code(&app.gql(None, REFRESH, json!({"t": s.refresh})).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.count("refresh_tokens WHERE revoked_at IS NULL").await,
        0
    );
}

#[tokio::test]
async fn suspended_and_cancelled_accounts_answer_only_me() {
    let app = TestApp::spawn().await;
    let s = app.signup("gina@example.com", "Gina").await;
    let site = app.create_site(&s, "Before suspension").await;
    for status in ["suspended", "cancelled"] {
        app.sql(&format!("UPDATE accounts SET status = '{status}'"))
            .await;
        let me = app.gql(Some(&s.token), ME, json!({})).await;
        assert_eq!(
            me["data"]["me"]["account"]["status"],
            status.to_uppercase(),
            "{me}"
        );
        for q in [
            "{ sites { totalCount } }",
            "{ account { id } }",
            "{ industries { id } }",
        ] {
            assert_eq!(
                code(&app.gql(Some(&s.token), q, json!({})).await),
                "FORBIDDEN",
                "{status} {q}"
            );
        }
        let r = app
            .gql(
                Some(&s.token),
                "mutation($id: ID!) { deleteSite(input: {id: $id}) }",
                json!({"id": site}),
            )
            .await;
        assert_eq!(code(&r), "FORBIDDEN");
    }
    assert_eq!(app.count("sites").await, 1);
}

#[tokio::test]
async fn anonymous_requests_are_unauthenticated() {
    let app = TestApp::spawn().await;
    let r = app.gql(None, "{ sites { totalCount } }", json!({})).await;
    assert_eq!(code(&r), "UNAUTHENTICATED");
}
