//! GraphQL over HTTP: media types, status codes, GET, limits; health and metrics.

use crate::harness::{TestApp, code};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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
async fn the_fallback_console_loads_nothing_from_elsewhere_and_pages_carry_security_headers() {
    let app = TestApp::spawn().await;
    let resp = app.http.get(app.url("/graphiql")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let h = resp.headers().clone();
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    let csp = h["content-security-policy"].to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self';",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    let page = resp.text().await.unwrap();
    assert!(
        !page.contains("http://") && !page.contains("https://") && !page.contains("//unpkg"),
        "the page names no other origin"
    );
    assert!(page.contains(r#"<script src="/graphiql.js"></script>"#));
    let script = app.http.get(app.url("/graphiql.js")).send().await.unwrap();
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let script = script.text().await.unwrap();
    assert!(!script.contains("http://") && !script.contains("https://"));
    assert!(
        script.contains("type: 'connection_init', payload: token ? { token } : {}"),
        "the subscription sends the token"
    );
    assert!(script.contains("headers.authorization = `Bearer ${token}`"));
    // JSON responses are not pages: no policy, but never sniffed
    let resp = app
        .http
        .post(app.url("/graphql"))
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert!(resp.headers().get("content-security-policy").is_none());
}

/// A JSON array of operations is cut off at the cap while it is read: the
/// attack was 200,000 operations in 5.9 MB answered with 388 MB.
#[tokio::test]
async fn batches_are_capped_while_they_are_read() {
    let app = TestApp::spawn().await;
    let op = json!({"query": "{ __typename }"});
    let batch = |n: usize| Value::Array(vec![op.clone(); n]).to_string();
    let (s, _, body) = post(&app, Some(GRJ), batch(20)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body.as_array().unwrap().len(), 20);
    for n in [21, 200_000] {
        let (s, _, body) = post(&app, Some(GRJ), batch(n)).await;
        assert_eq!(s, 400, "{n}: {body}");
        assert_eq!(code(&body), "BAD_USER_INPUT");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("at most 20 operations"),
            "{body}"
        );
    }
    let (s, _, body) = post(&app, Some(GRJ), "[]".into()).await;
    assert_eq!((s, code(&body)), (400, "BAD_USER_INPUT"));
}

/// An upload's `operations` part is counted the same way, before the batch
/// is built: the whole 200,000-operation array used to be parsed (220 MB for
/// 5.9 MB) and only then refused. The error's position shows where reading
/// stopped: at the 21st operation, not at the end.
#[tokio::test]
async fn upload_batches_are_capped_while_they_are_read() {
    let app = TestApp::spawn().await;
    let s = app.signup("multipart@transport.io", "Multipart").await;
    let op = json!({"query": "{ __typename }"});
    let upload = |n: usize| {
        let form = reqwest::multipart::Form::new()
            .text("operations", Value::Array(vec![op.clone(); n]).to_string())
            .text("map", "{}");
        app.http
            .post(app.url("/graphql"))
            .bearer_auth(&s.token)
            .multipart(form)
            .send()
    };
    let resp = upload(20).await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body.as_array().map(Vec::len), Some(20), "{body}");
    let one = op.to_string().len() + 1;
    for n in [21, 200_000] {
        let resp = upload(n).await.unwrap();
        assert_eq!(resp.status(), 400, "{n}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(code(&body), "BAD_USER_INPUT");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("at most 20 operations"), "{message}");
        let column: usize = message
            .rsplit("column ")
            .next()
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or_else(|| panic!("no position in {message:?}"));
        assert!(column <= 22 * one, "{n}: read on to column {column}");
    }
    // the operations come first, as the multipart request spec says
    let form = reqwest::multipart::Form::new()
        .text("map", "{}")
        .text("operations", op.to_string());
    let resp = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&s.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

/// A 5 MB document of unknown fields cost 13.5 s of CPU in parsing and
/// validation; now its size refuses it, and a smaller one full of tokens is
/// refused by counting them, both before parsing (a document that would not
/// even parse gets the limit's message, not the parser's), with 413 under
/// either media type.
#[tokio::test]
async fn documents_over_the_size_or_token_limit_are_refused_before_parsing() {
    let app = TestApp::spawn().await;
    let unknown_fields = format!("{{ {} }}", "nope ".repeat(1_000_000));
    for accept in [GRJ, "application/json"] {
        let (s, _, body) = post(
            &app,
            Some(accept),
            json!({ "query": unknown_fields }).to_string(),
        )
        .await;
        assert_eq!((s, code(&body)), (413, "BAD_USER_INPUT"), "{body}");
        let msg = body["errors"][0]["message"].as_str().unwrap();
        assert!(msg.contains("at most 65536 are allowed"), "{msg}");
        assert_eq!(body["errors"].as_array().unwrap().len(), 1);
    }

    // under 64 KiB but 12,000 tokens, and unterminated
    let many = format!("{{ {}", "a ".repeat(12_000));
    assert!(many.len() < 64 * 1024);
    let (s, _, body) = post(&app, Some(GRJ), json!({ "query": many }).to_string()).await;
    assert_eq!((s, code(&body)), (413, "BAD_USER_INPUT"), "{body}");
    let msg = body["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("more than 10000 tokens"), "{msg}");
    // one such document refuses its whole batch
    let batch = json!([{ "query": "{ __typename }" }, { "query": many }]).to_string();
    let (s, _, _) = post(&app, Some(GRJ), batch).await;
    assert_eq!(s, 413);

    // a comment is no token: a padded document runs
    let padded = format!("# {}\n{{ __typename }}", "x".repeat(60_000));
    let (s, _, body) = post(&app, Some(GRJ), json!({ "query": padded }).to_string()).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["data"]["__typename"], "Query");

    // the same limits on GET
    let resp = app
        .http
        .get(app.url("/graphql"))
        .query(&[("query", format!("{{ {} }}", "a ".repeat(12_000)))])
        .header("accept", GRJ)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    let body: Value = resp.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("tokens")
    );
}

#[tokio::test]
async fn the_errors_of_one_operation_are_capped() {
    let app = TestApp::spawn().await;
    let fields: String = (0..300).map(|i| format!("nope{i} ")).collect();
    let (s, _, body) = post(
        &app,
        Some(GRJ),
        json!({ "query": format!("{{ {fields} }}") }).to_string(),
    )
    .await;
    assert_eq!(s, 400);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 101, "100 errors and a summary");
    assert_eq!(errors[100]["message"], "200 more errors left out");
    assert!(
        errors
            .iter()
            .all(|e| e["extensions"]["code"] == "BAD_USER_INPUT")
    );
}

/// Only `application/json` (UTF-8) is GraphQL over HTTP; multipart carries
/// uploads. `text/plain` and form-encoded bodies are what a cross-site form
/// can send without a preflight.
#[tokio::test]
async fn bodies_that_are_not_json_are_refused_with_415() {
    let app = TestApp::spawn().await;
    let body = json!({"query": "{ __typename }"}).to_string();
    for ct in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("application/graphql"),
        Some("application/json; charset=utf-16"),
        None,
    ] {
        let mut req = app
            .http
            .post(app.url("/graphql"))
            .header("accept", GRJ)
            .body(body.clone());
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 415, "{ct:?}");
        let v: Value = resp.json().await.unwrap();
        assert_eq!(code(&v), "BAD_USER_INPUT", "{ct:?}");
    }
    for ct in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
    ] {
        let resp = app
            .http
            .post(app.url("/graphql"))
            .header("content-type", ct)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{ct}");
    }
    // an upload without a token is a form any site could post
    let form = reqwest::multipart::Form::new()
        .text("operations", body.clone())
        .text("map", "{}");
    let resp = app
        .http
        .post(app.url("/graphql"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Authorization")
    );
}

#[tokio::test]
async fn cursors_that_would_overflow_are_refused() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    let s = app.signup("cursor@transport.io", "Cursor").await;
    let huge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o:{}", i64::MAX));
    let r = app
        .gql(
            Some(&s.token),
            "query($c: String) { sites(first: 1, after: $c) { totalCount } }",
            json!({ "c": huge }),
        )
        .await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "after", "{r}");
}

#[tokio::test]
async fn metrics_and_introspection_can_be_turned_off() {
    let app = TestApp::spawn_with(|c| {
        c.metrics = false;
        c.introspection = false;
    })
    .await;
    let r = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let introspect = "{ __schema { queryType { name } } }";
    let r = app.gql(None, introspect, json!({})).await;
    assert!(r["data"]["__schema"].is_null(), "{r}");
    // suggestions would name what introspection hides
    let r = app.gql(None, "{ sitez { totalCount } }", json!({})).await;
    let msg = r["errors"][0]["message"].as_str().unwrap();
    assert!(!msg.contains("Did you mean"), "{msg}");
    let on = TestApp::spawn().await;
    let r = on.gql(None, introspect, json!({})).await;
    assert_eq!(r["data"]["__schema"]["queryType"]["name"], "Query", "{r}");
    let r = on.gql(None, "{ sitez { totalCount } }", json!({})).await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Did you mean"),
        "{r}"
    );
}

/// A raw HTTP/1.1 exchange on a fresh connection: the status and the body.
async fn raw_get(app: &TestApp, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    s.write_all(request.as_bytes()).await.unwrap();
    let text = read_to_close(&mut s).await;
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Everything the server sends until it closes the connection (a reset
/// counts as closed).
async fn read_to_close(s: &mut TcpStream) -> String {
    let mut buf = vec![];
    let read = tokio::time::timeout(Duration::from_secs(30), async {
        let mut chunk = [0u8; 4096];
        loop {
            match s.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server did not close the connection");
    String::from_utf8_lossy(&buf).into_owned()
}

/// Partial headers and idle connections held ~20,000 descriptors: each is
/// now closed after the header-read timeout.
#[tokio::test]
async fn partial_headers_and_idle_connections_are_closed() {
    let app =
        TestApp::spawn_with(|c| c.transport.header_read_timeout = Duration::from_secs(1)).await;
    // nothing sent at all
    let mut idle = TcpStream::connect(app.addr).await.unwrap();
    // headers that never end
    let mut partial = TcpStream::connect(app.addr).await.unwrap();
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow: 1")
        .await
        .unwrap();
    // one request answered, then idle on keep-alive
    let mut kept = TcpStream::connect(app.addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    for (name, s) in [
        ("idle", &mut idle),
        ("partial", &mut partial),
        ("keep-alive", &mut kept),
    ] {
        let rest = read_to_close(s).await;
        assert!(!rest.contains("HTTP/1.1 200"), "{name}: {rest}");
    }
}

/// Over the connection cap, health checks still answer (from a reserve)
/// while everything else gets a fast 503.
#[tokio::test]
async fn the_connection_cap_keeps_health_checks_answering() {
    let app = TestApp::spawn_with(|c| {
        c.transport.max_connections = 5;
        c.transport.reserved_connections = 2;
        c.transport.max_connections_per_ip = 0;
        c.transport.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    // accepted in order: these five fill the cap before anything else arrives
    let mut held = vec![];
    for _ in 0..5 {
        held.push(TcpStream::connect(app.addr).await.unwrap());
    }
    let (status, body) = raw_get(&app, "/healthz").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = raw_get(&app, "/graphql?query=%7B__typename%7D").await;
    assert_eq!(status, 503, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(code(&v), "RATE_LIMITED");
    // closed connections give their places back
    drop(held);
    wait_until_served(&app).await;
}

/// Waits until a GraphQL request on a fresh connection is served.
async fn wait_until_served(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (status, _) = raw_get(app, "/graphql?query=%7B__typename%7D").await;
        if status == 200 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still refused: {status}"
        );
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn one_address_gets_at_most_its_share_of_connections() {
    let app = TestApp::spawn_with(|c| {
        c.transport.max_connections_per_ip = 3;
        c.transport.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    let mut held = vec![];
    for _ in 0..3 {
        held.push(TcpStream::connect(app.addr).await.unwrap());
    }
    let mut over = TcpStream::connect(app.addr).await.unwrap();
    let reply = read_to_close(&mut over).await;
    assert!(reply.starts_with("HTTP/1.1 429"), "{reply}");
    assert!(reply.contains("RATE_LIMITED"), "{reply}");
    drop(held);
    wait_until_served(&app).await;
}
