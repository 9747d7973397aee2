//! The built web client served from `IGNY8_WEB_DIR`: SPA fallback, cache
//! headers, self-hosted GraphiQL, and the API routes still taking precedence.

use crate::harness::TestApp;
use std::path::PathBuf;

/// A fake build: index.html, graphiql.html and one hashed asset.
fn fake_web_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("igny8-web-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>igny8 app</title>",
    )
    .unwrap();
    std::fs::write(
        dir.join("graphiql.html"),
        "<!doctype html><title>self-hosted graphiql</title>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/main-abc123.js"), "console.log('igny8')").unwrap();
    dir
}

async fn get(app: &TestApp, path: &str) -> (u16, String, String, String) {
    let resp = app.http.get(app.url(path)).send().await.unwrap();
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (cache, ct) = (header("cache-control"), header("content-type"));
    (
        resp.status().as_u16(),
        cache,
        ct,
        resp.text().await.unwrap(),
    )
}

#[tokio::test]
async fn serves_the_client_with_spa_fallback_and_cache_headers() {
    let dir = fake_web_dir();
    let web_dir = dir.clone();
    let app = TestApp::spawn_with(move |c| c.web_dir = Some(web_dir)).await;

    let (status, cache, ct, body) = get(&app, "/").await;
    assert_eq!((status, cache.as_str()), (200, "no-cache"));
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(body.contains("igny8 app"), "{body}");

    // a client-side route loads the app shell
    let (status, cache, _, body) = get(&app, "/planner/keywords?page=2").await;
    assert_eq!((status, cache.as_str()), (200, "no-cache"));
    assert!(body.contains("igny8 app"), "{body}");

    // hashed assets are cached for a year
    let (status, cache, ct, body) = get(&app, "/assets/main-abc123.js").await;
    assert_eq!(status, 200);
    assert_eq!(cache, "public, max-age=31536000, immutable");
    assert!(ct.contains("javascript"), "{ct}");
    assert_eq!(body, "console.log('igny8')");

    // a missing asset is a 404, not the app shell, and not cached for a year
    let (status, cache, _, body) = get(&app, "/assets/missing-000.js").await;
    assert_eq!(status, 404);
    assert_ne!(cache, "public, max-age=31536000, immutable");
    assert!(!body.contains("igny8 app"));

    // GraphiQL comes from the build, not the CDN page
    let (status, cache, _, body) = get(&app, "/graphiql").await;
    assert_eq!((status, cache.as_str()), (200, "no-cache"));
    assert!(body.contains("self-hosted graphiql"), "{body}");

    // the API routes take precedence over the fallback
    let (status, _, ct, body) = get(&app, "/healthz").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("application/json"), "{ct}");
    assert!(body.contains("ok"), "{body}");
    let (status, _, _, body) = get(&app, "/metrics").await;
    assert_eq!(status, 200);
    assert!(body.contains("igny8_http_requests_total"), "{body}");
    let (status, _, _, body) = get(&app, "/graphql?query=%7B__typename%7D").await;
    assert_eq!(status, 200);
    assert!(body.contains("\"__typename\":\"Query\""), "{body}");
    let (status, _, _, body) = get(&app, "/media/nothing.png").await;
    assert_ne!(status, 200);
    assert!(!body.contains("igny8 app"), "{body}");

    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn without_a_web_dir_graphiql_is_the_embedded_page() {
    let app = TestApp::spawn().await;
    let (status, _, _, body) = get(&app, "/graphiql").await;
    assert_eq!(status, 200);
    assert!(body.contains("igny8 GraphQL console"), "{body}");
    let resp = app.http.get(app.url("/")).send().await.unwrap();
    // reqwest follows the redirect to /graphiql
    assert_eq!(resp.url().path(), "/graphiql");
    let (status, _, _, _) = get(&app, "/planner/keywords").await;
    assert_eq!(status, 404);
}
