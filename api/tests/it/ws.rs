//! GraphQL over WebSocket: real sockets, both subprotocols.

use crate::harness::TestApp;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(app: &TestApp, protocol: &str) -> Socket {
    let mut req = format!("ws://{}/graphql", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("sec-websocket-protocol", protocol.parse().unwrap());
    let (socket, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(resp.headers()["sec-websocket-protocol"], protocol);
    socket
}

async fn send(ws: &mut Socket, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

/// The next message, as JSON or as a close frame `(code, reason)`.
async fn next(ws: &mut Socket) -> Result<Value, (u16, String)> {
    loop {
        let m = tokio::time::timeout(Duration::from_secs(15), ws.next())
            .await
            .expect("message in time");
        match m {
            Some(Ok(Message::Text(t))) => return Ok(serde_json::from_str(&t).unwrap()),
            Some(Ok(Message::Close(Some(f)))) => {
                return Err((u16::from(f.code), f.reason.to_string()));
            }
            Some(Ok(Message::Close(None))) | None => return Err((1005, String::new())),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err((1006, e.to_string())),
        }
    }
}

#[tokio::test]
async fn connection_without_a_valid_token_is_refused() {
    let app = TestApp::spawn().await;
    for payload in [
        json!({}),
        json!({"token": "garbage"}),
        json!({"Authorization": "Bearer nope"}),
    ] {
        let mut ws = connect(&app, "graphql-transport-ws").await;
        send(
            &mut ws,
            json!({"type": "connection_init", "payload": payload}),
        )
        .await;
        let (code, reason) = next(&mut ws).await.expect_err("closed");
        assert_eq!(code, 4403, "{reason}");
    }
    // legacy protocol: a connection_error, then the socket closes
    let mut ws = connect(&app, "graphql-ws").await;
    send(&mut ws, json!({"type": "connection_init", "payload": {}})).await;
    let m = next(&mut ws).await.unwrap();
    assert_eq!(m["type"], "connection_error");
}

#[tokio::test]
async fn an_authenticated_socket_is_acknowledged_and_runs_operations() {
    let app = TestApp::spawn().await;
    let s = app.signup("ws@example.com", "WS").await;
    let mut ws = connect(&app, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": s.token}}),
    )
    .await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    send(
        &mut ws,
        json!({"id": "1", "type": "subscribe", "payload": {"query": "{ me { email } }"}}),
    )
    .await;
    let m = next(&mut ws).await.unwrap();
    assert_eq!(m["type"], "next");
    assert_eq!(m["payload"]["data"]["me"]["email"], "ws@example.com");
    assert_eq!(next(&mut ws).await.unwrap()["type"], "complete");

    // legacy graphql-ws with the Authorization shape
    let mut ws = connect(&app, "graphql-ws").await;
    send(&mut ws, json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {}", s.token)}})).await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    send(
        &mut ws,
        json!({"id": "1", "type": "start", "payload": {"query": "{ me { email } }"}}),
    )
    .await;
    let m = next(&mut ws).await.unwrap();
    assert_eq!(m["type"], "data");
    assert_eq!(m["payload"]["data"]["me"]["email"], "ws@example.com");
}

#[tokio::test]
async fn the_socket_closes_when_the_token_expires() {
    let app = TestApp::spawn().await;
    let s = app.signup("exp@example.com", "Exp").await;
    let now = chrono::Utc::now().timestamp();
    let short = app.jwt.issue(
        s.user_id.parse().unwrap(),
        s.account_id.parse().unwrap(),
        app.jwt.verify(&s.token).unwrap().sid,
        now,
        Duration::from_secs(2),
    );
    let mut ws = connect(&app, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": short}}),
    )
    .await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    let (code, reason) = next(&mut ws).await.expect_err("closed at expiry");
    assert_eq!(code, 4401, "{reason}");
    assert!(reason.contains("expired"));
}

#[tokio::test]
async fn an_operation_before_connection_init_is_refused() {
    let app = TestApp::spawn().await;
    let mut ws = connect(&app, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"id": "1", "type": "subscribe", "payload": {"query": "{ __typename }"}}),
    )
    .await;
    let r = next(&mut ws).await;
    assert!(
        r.is_err(),
        "an operation before connection_init is refused: {r:?}"
    );
}

/// Operations on a socket get what HTTP requests get without schema
/// extensions: the alias limit, codes on every error, their own actor (so
/// another account's id is `NOT_FOUND`), and messages larger than the
/// socket's 512-byte read buffer arrive whole.
#[tokio::test]
async fn socket_operations_get_limits_codes_and_their_own_actor() {
    let app = TestApp::spawn().await;
    let s = app.signup("ws-limits@example.com", "WS limits").await;
    let other = app.signup("ws-other@example.com", "WS other").await;
    let theirs = app.create_site(&other, "Theirs").await;
    let mut ws = connect(&app, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": s.token}}),
    )
    .await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");

    // over the alias limit: refused before execution, with a code
    let aliases: String = (0..40).map(|i| format!("a{i}: __typename ")).collect();
    send(
        &mut ws,
        json!({"id": "1", "type": "subscribe", "payload": {"query": format!("{{ {aliases} }}")}}),
    )
    .await;
    let m = next(&mut ws).await.unwrap();
    let errors = if m["type"] == "error" {
        m["payload"].clone()
    } else {
        m["payload"]["errors"].clone()
    };
    assert!(
        errors[0]["message"].as_str().unwrap().contains("aliases"),
        "{m}"
    );
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT", "{m}");

    // a large document (padded with a comment) under the limit runs, as the
    // connection's user; another account's site is NOT_FOUND
    let padding = "#".repeat(8 * 1024);
    let q = format!("query($id: ID!) {{ me {{ email }} site(id: $id) {{ name }} }}\n{padding}\n");
    send(
        &mut ws,
        json!({"id": "2", "type": "subscribe", "payload": {"query": q, "variables": {"id": theirs}}}),
    )
    .await;
    let m = loop {
        let m = next(&mut ws).await.unwrap();
        if m["id"] == "2" {
            break m;
        }
    };
    assert_eq!(m["type"], "next", "{m}");
    assert_eq!(
        m["payload"]["data"]["me"]["email"], "ws-limits@example.com",
        "{m}"
    );
    assert_eq!(
        m["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{m}"
    );
    assert_eq!(m["payload"]["errors"][0]["path"][0], "site", "{m}");
}
