//! Issue 13, finding 8: insecure defaults. A server that is not explicitly
//! in development never runs on the public dev secrets; production refuses
//! weak ones; `IGNY8_ENV` is read case-insensitively.

use crate::harness::{TestApp, code};
use igny8_api::auth::JwtKeys;
use igny8_api::config::DEV_JWT_SECRET;
use serde_json::json;
use std::time::Duration;

const ME: &str = "{ me { email } }";
const STRONG_JWT: &str = "Qm9hdC1zdGF5LWhvcnNlLTIwMjYtZmluY2gtcml2ZXItOTcz";
const STRONG_KEY: &str = "6a1f0c9e4b7d2a8f3e5c1b9d0a7f6e2c4b8d1a3f5e7c9b0d2f4a6c8e1b3d5f7a";

/// The attack: forge an access token for a real user with the dev secret
/// printed in the source. A production server refuses it; its own token works.
#[tokio::test]
async fn a_token_forged_from_the_dev_secret_is_refused_in_production() {
    let app = TestApp::spawn_with(|c| {
        c.production = true;
        c.jwt_secret = STRONG_JWT.into();
        c.secret_key = STRONG_KEY.into();
        c.mail.require_verification = false;
    })
    .await;
    let mut config = (*app.state.config).clone();
    assert!(
        config.check().is_ok(),
        "the secrets pass production's checks"
    );
    let s = app.signup("prod@example.com", "Prod").await;
    let claims = app.jwt.verify(&s.token).unwrap();
    let forged = JwtKeys::new(DEV_JWT_SECRET).issue(
        claims.sub,
        claims.acc,
        claims.sid,
        chrono::Utc::now().timestamp(),
        Duration::from_secs(600),
    );
    let r = app.gql(Some(&forged), ME, json!({})).await;
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    let r = app.gql(Some(&s.token), ME, json!({})).await;
    assert_eq!(r["data"]["me"]["email"], "prod@example.com", "{r}");
}

/// Runs `igny8 migrate` with only `env` set (no `.env`, a database nobody
/// listens on): the configuration is checked before anything connects.
fn start_with(env: &[(&str, &str)]) -> (bool, String) {
    let dir = std::env::temp_dir();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_igny8"));
    cmd.arg("migrate")
        .current_dir(&dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("IGNY8_IGNORE_DOTENV", "1")
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run igny8");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn production_in_any_case_refuses_dev_and_weak_secrets() {
    // issue 13: `Production` with a capital P meant development
    for env in ["Production", "PRODUCTION", "production"] {
        let (ok, out) = start_with(&[("IGNY8_ENV", env)]);
        assert!(!ok, "{env}: started on the dev secrets: {out}");
        assert!(
            out.contains("refusing to start in production"),
            "{env}: {out}"
        );
    }
    // issue 13: a JWT secret of 32 × `a` was accepted
    let weak = "a".repeat(32);
    let (ok, out) = start_with(&[
        ("IGNY8_ENV", "production"),
        ("IGNY8_JWT_SECRET", &weak),
        ("IGNY8_SECRET_KEY", STRONG_KEY),
    ]);
    assert!(
        !ok && out.contains("IGNY8_JWT_SECRET") && out.contains("entropy"),
        "{out}"
    );
    // strong secrets pass the check (and then fail to reach the database)
    let (ok, out) = start_with(&[
        ("IGNY8_ENV", "Production"),
        ("IGNY8_JWT_SECRET", STRONG_JWT),
        ("IGNY8_SECRET_KEY", STRONG_KEY),
    ]);
    assert!(!ok && !out.contains("refusing to start"), "{out}");
    assert!(out.contains("migrations failed"), "{out}");
}

#[test]
fn without_igny8_env_only_a_bare_local_setup_is_development() {
    // secrets set but no environment: a deployment that forgot IGNY8_ENV
    let (ok, out) = start_with(&[("IGNY8_JWT_SECRET", STRONG_JWT)]);
    assert!(!ok && out.contains("IGNY8_ENV is not set"), "{out}");
    let (ok, out) = start_with(&[("IGNY8_LISTEN", "0.0.0.0:8080")]);
    assert!(!ok && out.contains("IGNY8_ENV is not set"), "{out}");
    // nothing configured: development, loudly
    let (ok, out) = start_with(&[]);
    assert!(!ok && out.contains("migrations failed"), "{out}");
    assert!(out.contains("DEVELOPMENT"), "a loud warning: {out}");
    assert!(
        out.contains("IGNY8_JWT_SECRET is the public development value"),
        "{out}"
    );
}

/// Issue 13 (low): with `RUST_LOG=debug` tokio-postgres printed every bound
/// parameter, the password hash of a signup among them. The real binary
/// with debug logging on (and tokio-postgres asked for trace) prints no
/// parameter, hash or password.
#[tokio::test]
async fn debug_logs_print_no_sql_parameters() {
    let app = TestApp::spawn().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let log = std::env::temp_dir().join(format!("igny8-debug-log-{}.txt", uuid::Uuid::new_v4()));
    let file = std::fs::File::create(&log).unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_igny8"))
        .args(["serve", "--no-migrate", "--no-worker"])
        .env("IGNY8_ENV", "development")
        .env("IGNY8_IGNORE_DOTENV", "1")
        .env("DATABASE_URL", &app.db_url)
        .env("REDIS_URL", &app.state.config.redis_url)
        .env("IGNY8_REDIS_PREFIX", &app.state.config.jobs.redis_prefix)
        .env("IGNY8_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "debug,tokio_postgres=trace")
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .expect("start igny8 serve");
    let base = format!("http://127.0.0.1:{port}");
    let ready = tokio::time::timeout(Duration::from_secs(60), async {
        while app
            .http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_err()
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let password = "a very private phrase";
    let signup = json!({"query": "mutation($i: SignupInput!) { signup(input: $i) { refreshToken } }",
        "variables": {"i": {"email": "logs@example.com", "password": password, "accountName": "Logs"}}});
    let r: serde_json::Value = match ready {
        Ok(()) => app
            .http
            .post(format!("{base}/graphql"))
            .json(&signup)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap(),
        Err(_) => serde_json::Value::Null,
    };
    let _ = server.kill();
    let _ = server.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    let refresh = r["data"]["signup"]["refreshToken"]
        .as_str()
        .unwrap_or_else(|| panic!("signup ran: {r}\n{text}"));
    // the precondition: debug logging was on and the request was logged
    assert!(
        text.contains("DEBUG") && text.contains("/graphql"),
        "{text}"
    );
    let hash_bytes = "36, 97, 114, 103, 111, 110, 50, 105, 100"; // `$argon2id` as a byte list
    for secret in [
        "$argon2id",
        hash_bytes,
        "with parameters",
        password,
        refresh,
    ] {
        assert!(!text.contains(secret), "the log shows {secret:?}");
    }
}
