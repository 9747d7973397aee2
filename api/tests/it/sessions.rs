//! Issue 13, finding 9: revocation and enumeration. Logout ends the access
//! token too; "sign out everywhere"; sockets close when their session ends
//! or their user is removed or deactivated; signup and `createUser` do not
//! tell registered emails apart.

use crate::harness::{TestApp, code};
use crate::smtp_sink::SmtpSink;
use crate::ws::{Socket, acked, next, send};
use serde_json::{Value, json};
use std::time::Duration;

const ME: &str = "{ me { email } }";

/// A socket signed in with `token`, subscribed to `accountJobs`.
async fn subscribed_socket(app: &TestApp, token: &str) -> Socket {
    let mut ws = acked(app, token).await;
    send(
        &mut ws,
        json!({"id": "1", "type": "subscribe",
            "payload": {"query": "subscription { accountJobs { jobId } }"}}),
    )
    .await;
    ws
}

/// Waits for the socket to close; every message before must be harmless.
async fn closed(ws: &mut Socket) -> (u16, String) {
    loop {
        match next(ws).await {
            Ok(m) => assert_ne!(m["type"], "next", "an event after the end: {m}"),
            Err(close) => return close,
        }
    }
}

async fn login(app: &TestApp, email: &str, password: &str) -> (String, String) {
    let r = app.login(email, password).await;
    let l = &r["data"]["login"];
    assert!(l.is_object(), "login failed: {r}");
    (
        l["accessToken"].as_str().unwrap().into(),
        l["refreshToken"].as_str().unwrap().into(),
    )
}

/// The attack: logout left the access token valid for its 15 minutes.
#[tokio::test]
async fn logout_ends_the_access_token_and_the_socket_at_once() {
    let app = TestApp::spawn().await;
    let s = app.signup("leaving@sess.io", "Leaving").await;
    let other = login(&app, "leaving@sess.io", "correct horse battery").await;
    let mut ws = subscribed_socket(&app, &s.token).await;
    let r = app
        .gql(
            None,
            "mutation($t: String!) { logout(input: {refreshToken: $t}) }",
            json!({"t": s.refresh}),
        )
        .await;
    assert_eq!(r["data"]["logout"], true, "{r}");
    let r = app.gql(Some(&s.token), ME, json!({})).await;
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    let (close, reason) = closed(&mut ws).await;
    assert_eq!(close, 4401, "{reason}");
    // the other session lives on
    let r = app.gql(Some(&other.0), ME, json!({})).await;
    assert_eq!(r["data"]["me"]["email"], "leaving@sess.io", "{r}");
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = TestApp::spawn().await;
    let s = app.signup("all@sess.io", "All").await;
    let laptop = login(&app, "all@sess.io", "correct horse battery").await;
    let phone = login(&app, "all@sess.io", "correct horse battery").await;
    let mut ws = subscribed_socket(&app, &phone.0).await;

    // everywhere else first: the caller's session stays
    let r = app
        .gql(
            Some(&s.token),
            "mutation { logoutAll(input: {keepCurrent: true}) }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["logoutAll"], true, "{r}");
    assert_eq!(closed(&mut ws).await.0, 4401);
    for (token, refresh) in [&laptop, &phone] {
        assert_eq!(
            code(&app.gql(Some(token), ME, json!({})).await),
            "UNAUTHENTICATED"
        );
        let r = app
            .gql(
                None,
                "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken } }",
                json!({"t": refresh}),
            )
            .await;
        assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    }
    assert_eq!(
        app.gql(Some(&s.token), ME, json!({})).await["data"]["me"]["email"],
        "all@sess.io"
    );
    // then everywhere
    let r = app
        .gql(
            Some(&s.token),
            "mutation { logoutAll(input: {}) }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["logoutAll"], true, "{r}");
    assert_eq!(
        code(&app.gql(Some(&s.token), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
}

/// The attack: a removed user's open socket kept receiving events.
#[tokio::test]
async fn a_removed_users_socket_closes_and_gets_no_more_events() {
    let app = TestApp::spawn().await;
    let w = app.workspace("boss@sess.io").await;
    crate::roles::add_user(&app, &w.s, "temp@sess.io", "ADMIN", &[]).await;
    let temp = crate::roles::login_token(&app, "temp@sess.io").await;
    let temp_id = app.jwt.verify(&temp).unwrap().sub.to_string();
    let mut ws = subscribed_socket(&app, &temp).await;
    let r = app
        .gql(
            Some(&w.s.token),
            "mutation($u: ID!) { removeUser(input: {userId: $u}) }",
            json!({"u": temp_id}),
        )
        .await;
    assert_eq!(r["data"]["removeUser"], temp_id.as_str(), "{r}");
    let (close, reason) = closed(&mut ws).await;
    assert_eq!(close, 4401, "{reason}");
}

/// Changes made behind the API's back (no announcement) are caught by the
/// socket's periodic re-check.
#[tokio::test]
async fn a_deactivated_users_socket_closes_on_the_periodic_check() {
    let app = TestApp::spawn_with(|c| c.auth.session_check = Duration::from_millis(200)).await;
    let s = app.signup("quiet@sess.io", "Quiet").await;
    let mut ws = subscribed_socket(&app, &s.token).await;
    app.sql("UPDATE users SET is_active = false WHERE email = 'quiet@sess.io'")
        .await;
    let (close, reason) = closed(&mut ws).await;
    assert_eq!(close, 4401, "{reason}");
}

const SIGNUP: &str = "mutation($i: SignupInput!) { signup(input: $i) { accessToken refreshToken expiresIn user { id email role isActive emailVerified } account { id name status credits creditsAvailable plan { slug } } } }";

/// Replaces the values that differ between any two answers (ids), keeping
/// the shape and everything else.
fn shape(mut v: Value) -> Value {
    for p in ["/user/id", "/user/email", "/account/id"] {
        if let Some(x) = v.pointer_mut(&format!("/data/signup{p}")) {
            *x = json!("…");
        }
    }
    v
}

/// The attack: signup answered "a user with this email already exists".
/// With verified addresses required, a registered email and a new one get
/// the same answer; only the mailbox owner learns which it was.
#[tokio::test]
async fn signup_answers_the_same_for_registered_and_new_emails() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(|c| {
        c.mail.smtp_url = Some(sink.url.clone());
        c.mail.require_verification = true;
    })
    .await;
    let signup = |email: &str| json!({"i": {"email": email, "password": "a quiet violet lamp", "accountName": "Same Name"}});
    let new = app.gql(None, SIGNUP, signup("fresh@enum.io")).await;
    // the verified owner of a registered address (created before the requirement)
    app.sql("INSERT INTO accounts (id, name, slug, status, plan_id) SELECT gen_random_uuid(), 'Old', 'old', 'active', id FROM plans WHERE is_default")
        .await;
    app.sql("INSERT INTO users (id, account_id, email, password_hash, role, email_verified_at) SELECT gen_random_uuid(), id, 'taken@enum.io', 'x', 'owner', now() FROM accounts WHERE slug = 'old'")
        .await;
    let taken = app.gql(None, SIGNUP, signup("taken@enum.io")).await;
    assert!(new.get("errors").is_none(), "{new}");
    assert_eq!(
        shape(new.clone()),
        shape(taken.clone()),
        "same answer:\n{new}\n{taken}"
    );
    assert_eq!(
        new["data"]["signup"]["accessToken"], "",
        "no session before verification"
    );
    assert_eq!(app.count("users WHERE email = 'taken@enum.io'").await, 1);

    // the owner of the registered address is told; the new one gets a link
    sink.wait_for("taken@enum.io", "already has").await;
    let first = sink.wait_for("fresh@enum.io", "verify-email").await;
    // its owner signs up again (the mail got lost): the same answer, a new link
    let again = app.gql(None, SIGNUP, signup("fresh@enum.io")).await;
    assert_eq!(shape(again), shape(new.clone()));
    tokio::time::timeout(Duration::from_secs(10), async {
        while sink.count_to("fresh@enum.io") < 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("a second verification mail");
    let mail = sink
        .all()
        .into_iter()
        .rfind(|m| m.to.iter().any(|t| t == "fresh@enum.io"))
        .unwrap();
    assert_ne!(first.token("verify-email"), mail.token("verify-email"));
    // login before verification reads like a wrong password
    let early = app.login("fresh@enum.io", "a quiet violet lamp").await;
    let wrong = app.login("taken@enum.io", "a quiet violet lamp").await;
    assert_eq!(early["errors"][0]["message"], wrong["errors"][0]["message"]);
    let r = app
        .gql(
            None,
            "mutation($t: String!) { verifyEmail(input: {token: $t}) }",
            json!({"t": mail.token("verify-email")}),
        )
        .await;
    assert_eq!(r["data"]["verifyEmail"], true, "{r}");
    // only the latest link counts
    let r = app
        .gql(
            None,
            "mutation($t: String!) { verifyEmail(input: {token: $t}) }",
            json!({"t": first.token("verify-email")}),
        )
        .await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    let (token, _) = login(&app, "fresh@enum.io", "a quiet violet lamp").await;
    let r = app
        .gql(Some(&token), "{ me { emailVerified } }", json!({}))
        .await;
    assert_eq!(r["data"]["me"]["emailVerified"], true, "{r}");
}

/// The attack: `createUser` answered CONFLICT for an email of another
/// account. Now the answer has the created shape, nothing is created, and
/// the address's owner hears about it.
#[tokio::test]
async fn create_user_does_not_reveal_emails_of_other_accounts() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(|c| c.mail.smtp_url = Some(sink.url.clone())).await;
    let a = app.signup("admin@a-enum.io", "A").await;
    app.signup("someone@b-enum.io", "B").await;
    let create = |email: &str| json!({"i": {"email": email, "password": "member password", "role": "EDITOR"}});
    let q = "mutation($i: CreateUserInput!) { createUser(input: $i) { email role isActive } }";
    let taken = app
        .gql(Some(&a.token), q, create("someone@b-enum.io"))
        .await;
    let new = app.gql(Some(&a.token), q, create("nobody@a-enum.io")).await;
    assert!(taken.get("errors").is_none(), "{taken}");
    assert_eq!(
        taken["data"]["createUser"]["role"], new["data"]["createUser"]["role"],
        "{taken} {new}"
    );
    assert_eq!(
        app.count("users WHERE email = 'someone@b-enum.io'").await,
        1
    );
    sink.wait_for("someone@b-enum.io", "already has an account")
        .await;
    // the account's own users are no secret to its admins
    let again = app.gql(Some(&a.token), q, create("nobody@a-enum.io")).await;
    assert_eq!(code(&again), "CONFLICT", "{again}");
}

/// The same attack with sites: the decoy used to skip the site check (a
/// missing site id answered NOT_FOUND only for a new address) and answered
/// no granted sites. Now both addresses get the same answer for the same
/// input.
#[tokio::test]
async fn create_user_with_sites_answers_alike_for_new_and_taken_addresses() {
    let app = TestApp::spawn().await;
    let a = app.signup("admin@a-sites.io", "A").await;
    let other = app.signup("someone@b-sites.io", "B").await;
    let site = app.create_site(&a, "Mine").await;
    let foreign = app.create_site(&other, "Theirs").await;
    let q = "mutation($i: CreateUserInput!) { createUser(input: $i) { email role grantedSites { id name } } }";
    let create = |email: &str, sites: &[&str]| json!({"i": {"email": email, "password": "member password", "role": "EDITOR", "siteIds": sites}});
    // a site the caller cannot see: NOT_FOUND either way, nothing created
    for sites in [
        vec![foreign.as_str()],
        vec![site.as_str(), foreign.as_str()],
    ] {
        let taken = app
            .gql(Some(&a.token), q, create("someone@b-sites.io", &sites))
            .await;
        let new = app
            .gql(Some(&a.token), q, create("nobody@a-sites.io", &sites))
            .await;
        assert_eq!(code(&taken), "NOT_FOUND", "{taken}");
        assert_eq!(code(&new), "NOT_FOUND", "{new}");
        assert_eq!(taken["errors"][0]["message"], new["errors"][0]["message"]);
    }
    assert_eq!(
        app.count("users WHERE email = 'nobody@a-sites.io'").await,
        0
    );
    // the account's own site: the same grants in both answers
    let taken = app
        .gql(Some(&a.token), q, create("someone@b-sites.io", &[&site]))
        .await;
    let new = app
        .gql(Some(&a.token), q, create("nobody@a-sites.io", &[&site]))
        .await;
    assert!(taken.get("errors").is_none(), "{taken}");
    assert_eq!(
        taken["data"]["createUser"]["grantedSites"],
        json!([{"id": site, "name": "Mine"}]),
        "{taken}"
    );
    assert_eq!(
        taken["data"]["createUser"]["grantedSites"],
        new["data"]["createUser"]["grantedSites"]
    );
    // nothing was granted to the other account's user
    assert_eq!(
        app.count(
            "site_user_access g JOIN users u ON u.id = g.user_id WHERE u.email = 'someone@b-sites.io'"
        )
        .await,
        0
    );
}
