//! Account basics by mail (issue 13): password reset, invitations, address
//! verification and password change. Mail goes over real SMTP to a local
//! sink; the tests follow the links it received.

use crate::harness::{TestApp, code, field};
use crate::smtp_sink::SmtpSink;
use serde_json::json;

const ME: &str = "{ me { email role emailVerified } }";
const PASSWORD: &str = "correct horse battery";

async fn app_with_mail() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = TestApp::spawn_with(move |c| c.mail.smtp_url = Some(url)).await;
    (app, sink)
}

async fn request_reset(app: &TestApp, email: &str) -> serde_json::Value {
    app.gql(
        None,
        "mutation($e: String!) { requestPasswordReset(input: {email: $e}) }",
        json!({"e": email}),
    )
    .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> serde_json::Value {
    app.gql(
        None,
        "mutation($t: String!, $p: String!) { resetPassword(input: {token: $t, newPassword: $p}) }",
        json!({"t": token, "p": password}),
    )
    .await
}

#[tokio::test]
async fn a_password_is_reset_through_the_mailed_link_once() {
    let (app, sink) = app_with_mail().await;
    let s = app.signup("forgot@mail.io", "Forgot").await;
    // unknown addresses get the same answer and no mail
    assert_eq!(
        request_reset(&app, "nobody@mail.io").await["data"]["requestPasswordReset"],
        true
    );
    let r = request_reset(&app, "Forgot@Mail.io").await;
    assert_eq!(r["data"]["requestPasswordReset"], true, "{r}");
    let token = sink
        .wait_for("forgot@mail.io", "reset-password")
        .await
        .token("reset-password");
    assert_eq!(sink.count_to("nobody@mail.io"), 0);
    // the database keeps only a hash of the token
    assert_eq!(
        app.count(&format!(
            "user_tokens WHERE token_hash = sha256('{token}'::bytea)"
        ))
        .await,
        1
    );

    // a refused password keeps the link usable
    let r = reset(&app, &token, "password").await;
    assert_eq!(
        (code(&r), field(&r)),
        ("BAD_USER_INPUT", "newPassword"),
        "{r}"
    );
    let r = reset(&app, &token, "a brand new secret").await;
    assert_eq!(r["data"]["resetPassword"], true, "{r}");
    // once only
    let r = reset(&app, &token, "another new secret").await;
    assert_eq!((code(&r), field(&r)), ("BAD_USER_INPUT", "token"), "{r}");

    assert_eq!(
        code(&app.login("forgot@mail.io", PASSWORD).await),
        "UNAUTHENTICATED"
    );
    let ok = app.login("forgot@mail.io", "a brand new secret").await;
    assert!(ok["data"]["login"]["accessToken"].is_string(), "{ok}");
    // sessions from before the reset are over
    assert_eq!(
        code(&app.gql(Some(&s.token), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn expired_and_made_up_reset_links_do_nothing() {
    let (app, sink) = app_with_mail().await;
    app.signup("late@mail.io", "Late").await;
    request_reset(&app, "late@mail.io").await;
    let token = sink
        .wait_for("late@mail.io", "reset-password")
        .await
        .token("reset-password");
    app.sql("UPDATE user_tokens SET expires_at = now() - interval '1 second'")
        .await;
    let r = reset(&app, &token, "a brand new secret").await;
    assert_eq!(field(&r), "token", "{r}");
    let r = reset(&app, "made-up-token", "a brand new secret").await;
    assert_eq!(field(&r), "token", "{r}");
    assert!(app.login("late@mail.io", PASSWORD).await["data"]["login"].is_object());
}

#[tokio::test]
async fn an_invited_user_joins_through_the_mailed_link() {
    let (app, sink) = app_with_mail().await;
    let owner = app.signup("owner@invite.io", "Inviting").await;
    let site = app.create_site(&owner, "Shared").await;
    let r = app
        .gql(
            Some(&owner.token),
            "mutation($i: InviteUserInput!) { inviteUser(input: $i) { id email role expiresAt } }",
            json!({"i": {"email": "New.Member@Invite.io", "role": "EDITOR", "siteIds": [site]}}),
        )
        .await;
    assert_eq!(
        r["data"]["inviteUser"]["email"], "new.member@invite.io",
        "{r}"
    );
    assert_eq!(
        app.count("users WHERE email = 'new.member@invite.io'")
            .await,
        0
    );
    let mail = sink
        .wait_for("new.member@invite.io", "accept-invitation")
        .await;
    assert!(
        mail.text().contains("Inviting"),
        "names the account: {}",
        mail.text()
    );
    let token = mail.token("accept-invitation");
    let accept = "mutation($t: String!) { acceptInvitation(input: {token: $t, password: \"my own choice\", name: \"Nia\"}) { accessToken user { name role } } }";
    let r = app.gql(None, accept, json!({"t": token})).await;
    let joined = &r["data"]["acceptInvitation"];
    assert_eq!(joined["user"]["role"], "EDITOR", "{r}");
    assert_eq!(joined["user"]["name"], "Nia");
    let me = app
        .gql(
            joined["accessToken"].as_str(),
            "{ me { emailVerified grantedSites { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["data"]["me"]["emailVerified"], true,
        "the link proved the address: {me}"
    );
    assert_eq!(
        me["data"]["me"]["grantedSites"][0]["id"],
        site.as_str(),
        "{me}"
    );
    // the link works once
    let r = app.gql(None, accept, json!({"t": token})).await;
    assert_eq!((code(&r), field(&r)), ("BAD_USER_INPUT", "token"), "{r}");
    assert_eq!(
        app.count("users WHERE email = 'new.member@invite.io'")
            .await,
        1
    );

    // editors do not invite; nobody invites above their own role
    let ed =
        app.login("new.member@invite.io", "my own choice").await["data"]["login"]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
    let r = app
        .gql(
            Some(&ed),
            "mutation { inviteUser(input: {email: \"x@invite.io\", role: VIEWER}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
}

#[tokio::test]
async fn a_new_address_is_verified_through_the_mailed_link() {
    let (app, sink) = app_with_mail().await;
    let s = app.signup("check@mail.io", "Check").await;
    let r = app.gql(Some(&s.token), ME, json!({})).await;
    assert_eq!(r["data"]["me"]["emailVerified"], false, "{r}");
    let token = sink
        .wait_for("check@mail.io", "verify-email")
        .await
        .token("verify-email");
    let verify = "mutation($t: String!) { verifyEmail(input: {token: $t}) }";
    assert_eq!(
        app.gql(None, verify, json!({"t": token})).await["data"]["verifyEmail"],
        true
    );
    let r = app.gql(Some(&s.token), ME, json!({})).await;
    assert_eq!(r["data"]["me"]["emailVerified"], true, "{r}");
    assert_eq!(
        field(&app.gql(None, verify, json!({"t": token})).await),
        "token"
    );
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = TestApp::spawn().await;
    let s = app.signup("change@mail.io", "Change").await;
    let elsewhere = app.login("change@mail.io", PASSWORD).await["data"]["login"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let change = "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) }";
    let r = app
        .gql(
            Some(&s.token),
            change,
            json!({"c": "not my password", "n": "a fresh passphrase"}),
        )
        .await;
    assert_eq!(
        (code(&r), field(&r)),
        ("BAD_USER_INPUT", "currentPassword"),
        "{r}"
    );
    let r = app
        .gql(
            Some(&s.token),
            change,
            json!({"c": PASSWORD, "n": "12345678"}),
        )
        .await;
    assert_eq!(
        (code(&r), field(&r)),
        ("BAD_USER_INPUT", "newPassword"),
        "{r}"
    );
    let r = app
        .gql(
            Some(&s.token),
            change,
            json!({"c": PASSWORD, "n": "a fresh passphrase"}),
        )
        .await;
    assert_eq!(r["data"]["changePassword"], true, "{r}");
    assert_eq!(
        code(&app.gql(Some(&elsewhere), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.gql(Some(&s.token), ME, json!({})).await["data"]["me"]["email"],
        "change@mail.io",
        "the session that changed it stays"
    );
    assert!(app.login("change@mail.io", "a fresh passphrase").await["data"]["login"].is_object());
}

#[tokio::test]
async fn without_smtp_production_refuses_mail_and_development_logs_it() {
    let prod = TestApp::spawn_with(|c| c.production = true).await;
    let r = request_reset(&prod, "anyone@mail.io").await;
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("IGNY8_SMTP_URL"),
        "a clear message: {r}"
    );
    let dev = TestApp::spawn().await;
    dev.signup("dev@mail.io", "Dev").await;
    assert_eq!(
        request_reset(&dev, "dev@mail.io").await["data"]["requestPasswordReset"],
        true
    );
}
