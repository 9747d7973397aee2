//! The OpenAI-compatible provider against a local fake server that speaks
//! the real wire format, errors included.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use igny8_core::ai::cluster::{ClusterOutput, KeywordIn};
use igny8_jobs::openai::{Models, OpenAi, RetryPolicy};
use igny8_jobs::outbound::{Outbound, Policy};
use igny8_jobs::provider::{ImageModel, ProviderError, TextModel};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One scripted answer: status, extra headers, body, delay.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Value,
    delay: Duration,
}

fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        headers: vec![],
        body,
        delay: Duration::ZERO,
    }
}

fn err(status: u16, code: &str, message: &str) -> Reply {
    Reply {
        status,
        headers: vec![],
        body: json!({"error": {"message": message, "type": code, "code": code}}),
        delay: Duration::ZERO,
    }
}

#[derive(Default)]
struct Fake {
    replies: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<(String, Option<String>, Value)>>,
}

async fn answer(
    State(f): State<Arc<Fake>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let auth = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    f.seen
        .lock()
        .unwrap()
        .push((uri.path().to_owned(), auth, body));
    let reply = f
        .replies
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| err(500, "server_error", "no scripted reply"));
    tokio::time::sleep(reply.delay).await;
    let mut resp = (
        StatusCode::from_u16(reply.status).unwrap(),
        reply.body.to_string(),
    )
        .into_response();
    resp.headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    for (k, v) in reply.headers {
        resp.headers_mut().insert(k, v.parse().unwrap());
    }
    resp
}

async fn fake(replies: Vec<Reply>) -> (Arc<Fake>, String) {
    let f = Arc::new(Fake {
        replies: Mutex::new(replies.into()),
        ..Default::default()
    });
    let app = Router::new()
        .route("/v1/chat/completions", post(answer))
        .route("/v1/images/generations", post(answer))
        .route(
            "/files/img.png",
            get(|| async {
                (
                    [("content-type", "image/png")],
                    b"\x89PNG\r\n\x1a\nfake".to_vec(),
                )
            }),
        )
        .with_state(f.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (f, format!("http://{addr}/v1"))
}

fn provider(base: &str) -> OpenAi {
    let retry = RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(500),
        timeout: Duration::from_millis(500),
    };
    // the fake listens on loopback, which the operator must allow
    let outbound = Outbound::builder(Policy::parse("127.0.0.1/32").unwrap())
        .timeout(retry.timeout)
        .build()
        .unwrap();
    OpenAi::new(outbound, base, "sk-test-secret", Models::default(), retry)
}

fn completion(content: Value, finish: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": content.to_string(), "refusal": null}}],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}
    })
}

fn clusters() -> Value {
    json!({"clusters": [{"name": "Running Shoes", "description": "Shoes for running.", "keyword_ids": ["a", "b", "c"]}]})
}

/// The rendered template the job would send.
const PROMPT: &str = "Group these keywords: running shoes a, running shoes b, running shoes c";

fn keywords() -> Vec<KeywordIn> {
    ["a", "b", "c"]
        .iter()
        .map(|i| KeywordIn {
            id: (*i).into(),
            keyword: format!("running shoes {i}"),
            volume: Some(10),
            intent: None,
        })
        .collect()
}

#[tokio::test]
async fn structured_output_happy_path_sends_the_schema_and_the_key() {
    let (f, base) = fake(vec![ok(completion(clusters(), "stop"))]).await;
    let p = provider(&base);
    let kws = keywords();
    let (out, usage): (ClusterOutput, _) = p.cluster(&kws, PROMPT).await.unwrap();
    assert_eq!(out.clusters[0].name, "Running Shoes");
    assert_eq!((usage.tokens_in, usage.tokens_out), (1000, 500));
    // gpt-4o-mini: $0.15/M in, $0.60/M out → 150 + 300 micro-USD
    assert_eq!(usage.cost_micro_usd, 450);
    let seen = f.seen.lock().unwrap();
    let (path, auth, body) = &seen[0];
    assert_eq!(path, "/v1/chat/completions");
    assert_eq!(auth.as_deref(), Some("Bearer sk-test-secret"));
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["strict"], true);
    assert!(body["response_format"]["json_schema"]["schema"]["properties"]["clusters"].is_object());
    assert!(
        body["messages"][1]["content"]
            .as_str()
            .unwrap()
            .contains("running shoes a")
    );
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_honouring_retry_after() {
    let mut limited = err(429, "rate_limit_exceeded", "slow down");
    limited.headers.push(("retry-after-ms", "200".into()));
    let (f, base) = fake(vec![
        limited,
        err(500, "server_error", "oops"),
        ok(completion(clusters(), "stop")),
    ])
    .await;
    let start = Instant::now();
    let (out, _) = provider(&base).cluster(&keywords(), PROMPT).await.unwrap();
    assert_eq!(out.clusters.len(), 1);
    assert!(
        start.elapsed() >= Duration::from_millis(200),
        "Retry-After honoured"
    );
    assert_eq!(f.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn persistent_server_errors_fail_the_item_after_bounded_attempts() {
    let (f, base) = fake(vec![err(503, "server_error", "down"); 5]).await;
    match provider(&base).cluster(&keywords(), PROMPT).await {
        // the job does not retry them again: attempts would multiply
        Err(ProviderError::Permanent(m)) => {
            assert!(m.contains("3 attempts") && m.contains("503"), "{m}")
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    assert_eq!(f.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn timeouts_are_retried_then_reported() {
    let slow = Reply {
        delay: Duration::from_secs(2),
        ..ok(completion(clusters(), "stop"))
    };
    let (f, base) = fake(vec![slow.clone(), slow.clone(), slow]).await;
    match provider(&base).cluster(&keywords(), PROMPT).await {
        Err(ProviderError::Permanent(m)) => assert!(m.contains("timed out"), "{m}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
    assert_eq!(f.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn quota_other_client_errors_refusals_truncation_and_garbage_are_permanent_and_not_retried() {
    let refusal = json!({"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}}]});
    let cases = vec![
        (
            err(429, "insufficient_quota", "You exceeded your current quota"),
            "quota",
        ),
        (err(401, "invalid_api_key", "Incorrect API key"), "HTTP 401"),
        // a key echoed back by the server never reaches a message
        (
            err(
                401,
                "invalid_api_key",
                "Incorrect API key provided: sk-test-secret",
            ),
            "provided: ***",
        ),
        (ok(refusal), "refused"),
        (ok(completion(clusters(), "length")), "cut off"),
        (
            ok(completion(json!("not the schema"), "stop")),
            "malformed AI output",
        ),
        (
            Reply {
                body: Value::String("<html>".into()),
                ..ok(Value::Null)
            },
            "",
        ),
    ];
    for (reply, needle) in cases {
        let (f, base) = fake(vec![reply, ok(completion(clusters(), "stop"))]).await;
        match provider(&base).cluster(&keywords(), PROMPT).await {
            Err(ProviderError::Permanent(m)) => assert!(m.contains(needle), "{m} lacks {needle}"),
            other => panic!("{needle}: {:?}", other.map(|_| ())),
        }
        assert_eq!(f.seen.lock().unwrap().len(), 1, "{needle}: not retried");
    }
}

#[tokio::test]
async fn servers_without_json_schema_get_a_json_object_request() {
    let (f, base) = fake(vec![
        err(
            400,
            "invalid_request_error",
            "Unknown parameter: response_format.json_schema",
        ),
        ok(completion(clusters(), "stop")),
    ])
    .await;
    let (out, _) = provider(&base).cluster(&keywords(), PROMPT).await.unwrap();
    assert_eq!(out.clusters.len(), 1);
    let seen = f.seen.lock().unwrap();
    assert_eq!(seen[1].2["response_format"], json!({"type": "json_object"}));
}

#[tokio::test]
async fn images_come_as_base64_or_as_a_url_downloaded_at_once() {
    let png = b"\x89PNG\r\n\x1a\nabc";
    let b64 = base64_encode(png);
    let (_, base) = fake(vec![ok(json!({"created": 1, "data": [{"b64_json": b64}]}))]).await;
    let (bytes, _) = provider(&base).image("a pie", 1024, 1024).await.unwrap();
    assert_eq!(bytes, png);
    // base64 of something that is not an image is refused too
    let html = base64_encode(b"<html>not an image</html>");
    let (_, base) = fake(vec![ok(
        json!({"created": 1, "data": [{"b64_json": html}]}),
    )])
    .await;
    match provider(&base).image("a pie", 1024, 1024).await {
        Err(ProviderError::Permanent(m)) => assert!(m.contains("not an image"), "{m}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
    let (f, base) = fake(vec![]).await;
    let url = format!("{}/files/img.png", base.trim_end_matches("/v1"));
    f.replies
        .lock()
        .unwrap()
        .push_back(ok(json!({"created": 1, "data": [{"url": url}]})));
    let (bytes, _) = provider(&base).image("a pie", 1024, 1024).await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
    assert_eq!(f.seen.lock().unwrap()[0].2["size"], "1024x1024");
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}
