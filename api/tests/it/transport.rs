//! GraphQL over HTTP: media types, status codes, GET, limits; health and metrics.

use crate::harness::{TestApp, code};
use serde_json::{Value, json};

const GRJ: &str = "application/graphql-response+json";

async fn post(app: &TestApp, accept: Option<&str>, body: String) -> (u16, String, Value) {
    let mut req = app
        .http
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(a) = accept {
        req = req.header("accept", a);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = resp.text().await.unwrap();
    (
        status,
        ct,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn accept_chooses_the_media_type_and_the_status_of_request_errors() {
    let app = TestApp::spawn().await;
    let ok = json!({"query": "{ __typename }"}).to_string();
    let (s, ct, body) = post(&app, Some(GRJ), ok.clone()).await;
    assert_eq!((s, ct.as_str()), (200, GRJ));
    assert_eq!(body["data"]["__typename"], "Query");
    let (s, ct, _) = post(&app, Some("application/json"), ok.clone()).await;
    assert_eq!((s, ct.as_str()), (200, "application/json"));
    let (s, ct, _) = post(&app, None, ok.clone()).await;
    assert_eq!((s, ct.as_str()), (200, "application/json"));
    let (s, _, _) = post(&app, Some("text/html"), ok).await;
    assert_eq!(s, 406);

    // parse and validation errors: 400 under graphql-response+json, with no `data`
    for bad in ["{ __typename", "{ nope }", "query($x: Int!) { __typename }"] {
        let (s, ct, body) = post(&app, Some(GRJ), json!({"query": bad}).to_string()).await;
        assert_eq!((s, ct.as_str()), (400, GRJ), "{bad}: {body}");
        assert!(body.get("data").is_none(), "{body}");
        assert_eq!(code(&body), "BAD_USER_INPUT");
        // and 200 under application/json (legacy)
        let (s, _, body) = post(
            &app,
            Some("application/json"),
            json!({"query": bad}).to_string(),
        )
        .await;
        assert_eq!(s, 200, "{bad}");
        assert_eq!(code(&body), "BAD_USER_INPUT");
    }
    // an executed operation with field errors stays 200 with data
    let (s, _, body) = post(
        &app,
        Some(GRJ),
        json!({"query": "{ sites { totalCount } }"}).to_string(),
    )
    .await;
    assert_eq!(s, 200);
    assert!(body.get("data").is_some());
    assert_eq!(code(&body), "UNAUTHENTICATED");
    // a body that is not JSON at all
    let (s, _, body) = post(&app, Some(GRJ), "{not json".into()).await;
    assert_eq!(s, 400);
    assert_eq!(code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn get_runs_queries_but_not_mutations() {
    let app = TestApp::spawn().await;
    let resp = app
        .http
        .get(app.url("/graphql"))
        .query(&[("query", "{ __typename }")])
        .header("accept", GRJ)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["__typename"], "Query");

    let m = "mutation { logout(input: {refreshToken: \"x\"}) }";
    let resp = app
        .http
        .get(app.url("/graphql"))
        .query(&[("query", m)])
        .header("accept", GRJ)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    assert_eq!(resp.headers()["allow"], "POST");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_a_json_error() {
    let app = TestApp::spawn_with(|c| c.limits.max_body_bytes = 10_000).await;
    let big =
        json!({"query": "{ __typename }", "variables": {"pad": "x".repeat(20_000)}}).to_string();
    let (s, _, body) = post(&app, Some(GRJ), big).await;
    assert_eq!(s, 413);
    assert_eq!(code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn depth_and_alias_limits_refuse_before_execution() {
    let app = TestApp::spawn().await;
    let deep = format!(
        "{{ {}__typename{} }}",
        "sites(first: 1) { edges { node { sectors(first: 1) { edges { node { site { ".repeat(4),
        " } } } } } } }".repeat(4)
    );
    let (s, _, body) = post(&app, Some(GRJ), json!({"query": deep}).to_string()).await;
    assert_eq!(s, 400, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested too deep"),
        "{body}"
    );
    // a page size times its children is refused as too complex
    let wide = "{ sites(first: 500) { edges { node { sectors(first: 500) { edges { node { keywords(first: 500) { totalCount } } } } } } } }";
    let (s, _, body) = post(&app, Some(GRJ), json!({"query": wide}).to_string()).await;
    assert_eq!(s, 400, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("complex"),
        "{body}"
    );
    let aliases: String = (0..40).map(|i| format!("a{i}: __typename ")).collect();
    let (s, _, body) = post(
        &app,
        Some(GRJ),
        json!({"query": format!("{{ {aliases} }}")}).to_string(),
    )
    .await;
    assert_eq!(s, 400, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("aliases")
    );
}

#[tokio::test]
async fn internal_details_never_reach_the_client() {
    let app = TestApp::spawn().await;
    let s = app.signup("x@internal.io", "X").await;
    // break the database under the app: the client sees an opaque INTERNAL
    app.sql("ALTER TABLE sites RENAME TO sites_gone").await;
    let r = app
        .gql(Some(&s.token), "{ sites { totalCount } }", json!({}))
        .await;
    assert_eq!(code(&r), "INTERNAL");
    assert_eq!(r["errors"][0]["message"], "internal error");
    assert!(!r.to_string().contains("sites_gone") && !r.to_string().contains("relation"));
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    let h: Value = app
        .http
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["status"], "ok");
    let r = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r: Value = r.json().await.unwrap();
    assert_eq!(
        (r["postgres"].as_str(), r["redis"].as_str()),
        (Some("ok"), Some("ok"))
    );
    app.gql(None, "{ __typename }", json!({})).await;
    let m = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("igny8_http_requests_total"), "{m}");
    assert!(m.contains("igny8_http_request_duration_seconds"));
    assert!(m.contains("igny8_db_pool_max"));
    let resp = app.http.get(app.url("/graphql")).send().await.unwrap();
    assert!(
        resp.headers().get("x-request-id").is_some(),
        "every response carries its request id"
    );
}

#[tokio::test]
async fn readiness_fails_when_redis_is_unreachable() {
    let app = TestApp::spawn_with(|c| c.redis_url = "redis://127.0.0.1:1".into()).await;
    let r = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let r: Value = r.json().await.unwrap();
    assert_eq!(
        (r["postgres"].as_str(), r["redis"].as_str()),
        (Some("ok"), Some("unavailable"))
    );
}

#[tokio::test]
async fn graphiql_is_served_and_passes_the_token_to_the_websocket() {
    let app = TestApp::spawn().await;
    let resp = app.http.get(app.url("/graphiql")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = resp.text().await.unwrap();
    assert!(
        page.contains("wsConnectionParams: token ? { token } : {}"),
        "the subscription fetcher sends the token"
    );
    assert!(page.contains("subscriptionUrl: wsUrl"));
}
