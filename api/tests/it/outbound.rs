//! The outbound policy through the API (issue 13, finding 1): an account
//! cannot aim the server at internal addresses, neither with its base URL
//! nor through image URLs its provider answers with, and `testIntegration`
//! reads the same for a refused destination and a closed port, so it is no
//! port scanner. The "internal" service listens on 127.0.0.2, which the
//! test apps' allow-list (127.0.0.1/32, where the fake provider listens)
//! does not cover; it counts every TCP connection it accepts.

use crate::fake_ai::Fake;
use crate::harness::{TestApp, allow_loopback, code, field};
use crate::jobs::wait_for_status;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use igny8_jobs::openai::RetryPolicy;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "sk-test-account-key-0123456789abcdef";
const UPDATE: &str = "mutation($i: UpdateIntegrationSettingsInput!) { updateIntegrationSettings(input: $i) { openaiBaseUrl } }";
const TEST_TEXT: &str = "mutation { testIntegration { ok provider message models } }";
const TEST_IMAGE: &str =
    "mutation { testImageGeneration { ok message contentType bytes dataUrl } }";
const NO_DOWNLOAD: &str = "could not download the image from the URL the provider returned";

/// A service on 127.0.0.2 that would hand out a PNG (a secret, say).
struct Internal {
    port: u16,
    accepted: Arc<AtomicUsize>,
}

impl Internal {
    async fn start() -> Internal {
        let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = sock.read(&mut buf).await;
                    let png = igny8_core::ai::image::render_png("internal secret", 8, 8);
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        png.len()
                    );
                    let _ = sock.write_all(head.as_bytes()).await;
                    let _ = sock.write_all(&png).await;
                });
            }
        });
        Internal { port, accepted }
    }

    fn connections(&self) -> usize {
        AtomicUsize::load(&self.accepted, Ordering::SeqCst)
    }

    /// The ways an account might spell it.
    fn urls(&self, path: &str) -> Vec<String> {
        let p = self.port;
        vec![
            format!("http://127.0.0.2:{p}{path}"),
            format!("http://[::ffff:127.0.0.2]:{p}{path}"),
            format!("http://[::ffff:7f00:2]:{p}{path}"),
            format!("http://[::1]:{p}{path}"),
            format!("http://0.0.0.0:{p}{path}"),
        ]
    }
}

fn quick(c: &mut igny8_api::config::Config) {
    allow_loopback(c);
    c.jobs.ai.retry = RetryPolicy {
        max_attempts: 2,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(20),
        timeout: Duration::from_secs(5),
    };
}

#[tokio::test]
async fn internal_base_urls_are_refused_when_saved_and_nothing_is_stored() {
    // no allow-list: what every mode, development included, starts with
    let app = TestApp::spawn().await;
    let w = app.workspace("saved@outbound.io").await;
    for url in [
        "http://127.0.0.1:11434/v1",
        "https://[::ffff:127.0.0.1]:8443/v1",
        "http://localhost./v1",
        "http://LOCALHOST:8080/v1",
        "http://[::1]/v1",
        "http://0.0.0.0/v1",
        "http://2130706433/v1",
        "http://100.64.0.1/v1",
        "http://[64:ff9b::7f00:1]/v1",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/v1",
        "http://[fd00::1]/v1",
    ] {
        let r = app
            .gql(
                Some(&w.s.token),
                UPDATE,
                json!({"i": {"textProvider": "OPENAI", "openaiBaseUrl": url, "openaiApiKey": KEY}}),
            )
            .await;
        assert_eq!(code(&r), "BAD_USER_INPUT", "{url}: {r}");
        assert_eq!(field(&r), "openaiBaseUrl", "{url}: {r}");
        assert!(r.to_string().contains("public address"), "{url}: {r}");
    }
    assert_eq!(app.count("integration_settings").await, 0);
}

async fn test_message(app: &TestApp, token: &str) -> String {
    let r = app
        .data(token, TEST_TEXT, json!({}), "testIntegration")
        .await;
    assert_eq!(r["ok"], false, "{r}");
    r["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn test_integration_reads_the_same_for_a_closed_port_and_a_refused_destination() {
    let app = TestApp::spawn_with(allow_loopback).await;
    let internal = Internal::start().await;
    let w = app.workspace("scan@outbound.io").await;
    let t = &w.s.token;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // an allowed address with nothing listening: the connection is refused
    app.data(
        t,
        UPDATE,
        json!({"i": {"textProvider": "OPENAI", "openaiBaseUrl": format!("http://127.0.0.1:{closed}/v1"), "openaiApiKey": KEY}}),
        "updateIntegrationSettings",
    )
    .await;
    let closed_port = test_message(&app, t).await;
    assert_eq!(
        closed_port,
        "could not connect to the provider at the configured base URL"
    );
    for url in internal.urls("/v1") {
        // saving it is refused; a row from before the policy (or a policy
        // narrowed since) is still refused when connecting
        app.sql(&format!(
            "UPDATE integration_settings SET openai_base_url = '{url}'"
        ))
        .await;
        assert_eq!(test_message(&app, t).await, closed_port, "{url}");
    }
    assert_eq!(internal.connections(), 0, "nothing reached the service");
}

#[derive(QueryableByName)]
struct ImageRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    account_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    storage_key: Option<String>,
}

#[tokio::test]
async fn an_image_url_pointing_inside_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn_worker_with(quick).await;
    let fake = Fake::start(KEY).await;
    let internal = Internal::start().await;
    let w = app.workspace("images@outbound.io").await;
    let t = &w.s.token;
    app.data(
        t,
        UPDATE,
        json!({"i": {"imageProvider": "OPENAI", "openaiBaseUrl": fake.openai_url(), "openaiApiKey": KEY,
                      "models": [{"function": "GENERATE_IMAGES", "model": "dall-e-3"}]}}),
        "updateIntegrationSettings",
    )
    .await;
    // the provider's own URL (on the allowed address) downloads
    let img = app
        .data(t, TEST_IMAGE, json!({}), "testImageGeneration")
        .await;
    assert_eq!(img["ok"], true, "{img}");

    for url in internal.urls("/latest/meta-data/secret.png") {
        fake.answer_images_with(&url);
        let img = app
            .data(t, TEST_IMAGE, json!({}), "testImageGeneration")
            .await;
        assert_eq!(
            img,
            json!({"ok": false, "message": NO_DOWNLOAD, "contentType": null, "bytes": 0, "dataUrl": null}),
            "{url}"
        );
    }

    // inside a job: the item fails, nothing is stored, nothing is charged
    fake.answer_images_with(&internal.urls("/secret.png")[0]);
    let task = app
        .data(
            t,
            "mutation($s: ID!) { createTask(input: {sectorId: $s, title: \"Bread\"}) { id } }",
            json!({"s": w.sector}),
            "createTask",
        )
        .await["id"]
        .clone();
    let image = app
        .data(
            t,
            "mutation($t: ID!) { createImage(input: {taskId: $t, imageType: FEATURED, prompt: \"A loaf\"}) { id } }",
            json!({"t": task}),
            "createImage",
        )
        .await["id"]
        .clone();
    let job = app
        .data(
            t,
            "mutation($i: [ID!]!) { generateImages(input: {imageIds: $i}) { id } }",
            json!({"i": [image]}),
            "generateImages",
        )
        .await;
    let j = wait_for_status(&app, t, job["id"].as_str().unwrap(), "FAILED").await;
    assert_eq!(j["creditsCharged"], 0, "{j}");
    assert_eq!(j["result"]["errors"][0]["error"], NO_DOWNLOAD, "{j}");
    assert_eq!(j["error"], NO_DOWNLOAD, "the one item's reason: {j}");
    assert!(!j.to_string().contains("127.0.0.2"), "{j}");

    let mut su = app.superuser().await;
    let row: ImageRow = diesel::sql_query(
        "SELECT account_id::text AS account_id, id::text AS id, status, storage_key FROM images",
    )
    .get_result(&mut su)
    .await
    .unwrap();
    assert_eq!((row.status.as_str(), row.storage_key), ("failed", None));
    let file = app
        .state
        .config
        .media_dir
        .join(&row.account_id)
        .join(format!("{}.png", row.id));
    assert!(!file.exists(), "{} was stored", file.display());
    assert_eq!(internal.connections(), 0, "nothing reached the service");
}
