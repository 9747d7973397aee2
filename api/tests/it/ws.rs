//! GraphQL over WebSocket: real sockets, both subprotocols.

use crate::harness::TestApp;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub(crate) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(crate) async fn connect(app: &TestApp, protocol: &str) -> Socket {
    let mut req = format!("ws://{}/graphql", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("sec-websocket-protocol", protocol.parse().unwrap());
    let (socket, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(resp.headers()["sec-websocket-protocol"], protocol);
    socket
}

pub(crate) async fn send(ws: &mut Socket, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

/// A `graphql-transport-ws` socket signed in with `token` and acknowledged.
pub(crate) async fn acked(app: &TestApp, token: &str) -> Socket {
    let mut ws = connect(app, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": token}}),
    )
    .await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    ws
}

/// The next message, as JSON or as a close frame `(code, reason)`.
pub(crate) async fn next(ws: &mut Socket) -> Result<Value, (u16, String)> {
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
    let mut ws = acked(&app, &s.token).await;
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
    let mut ws = acked(&app, &short).await;
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
    let (code, reason) = next(&mut ws).await.expect_err("closed");
    assert_eq!((code, reason.as_str()), (4401, "Unauthorized"));
}

#[tokio::test]
async fn protocol_violations_close_with_the_protocol_codes() {
    let app = TestApp::spawn_with(|c| c.transport.ws_init_timeout = Duration::from_secs(1)).await;
    let s = app.signup("codes@example.com", "Codes").await;
    // not a message of the protocol
    let mut ws = connect(&app, "graphql-transport-ws").await;
    ws.send(Message::Text("not json".into())).await.unwrap();
    assert_eq!(next(&mut ws).await.expect_err("closed").0, 4400);
    let mut ws = connect(&app, "graphql-transport-ws").await;
    send(&mut ws, json!({"type": "subscribe"})).await;
    assert_eq!(next(&mut ws).await.expect_err("closed").0, 4400);
    // a second connection_init
    let mut ws = connect(&app, "graphql-transport-ws").await;
    let init = json!({"type": "connection_init", "payload": {"token": s.token}});
    send(&mut ws, init.clone()).await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    send(&mut ws, init).await;
    assert_eq!(next(&mut ws).await.expect_err("closed").0, 4429);
    // no connection_init in time
    let mut ws = connect(&app, "graphql-transport-ws").await;
    assert_eq!(next(&mut ws).await.expect_err("closed").0, 4408);
}

#[tokio::test]
async fn a_message_over_the_size_cap_closes_with_1009() {
    let app = TestApp::spawn_with(|c| c.transport.ws_max_message_bytes = 4096).await;
    let s = app.signup("big@example.com", "Big").await;
    let mut ws = acked(&app, &s.token).await;
    let q = format!("{{ __typename }}\n# {}", "x".repeat(8 * 1024));
    send(
        &mut ws,
        json!({"id": "1", "type": "subscribe", "payload": {"query": q}}),
    )
    .await;
    let (code, reason) = next(&mut ws).await.expect_err("closed");
    assert_eq!((code, reason.as_str()), (1009, "Message too big"));
}

/// One socket held 10,000 `accountJobs` subscriptions; now operations past
/// the cap are refused one by one (`LIMIT_EXCEEDED`) and the socket stays
/// usable; a finished operation gives its place back.
#[tokio::test]
async fn subscriptions_per_socket_are_capped() {
    let app = TestApp::spawn().await;
    let s = app.signup("subs@example.com", "Subs").await;
    let mut ws = acked(&app, &s.token).await;
    let sub = "subscription { accountJobs { jobId status } }";
    for i in 0..1_000 {
        send(
            &mut ws,
            json!({"id": format!("s{i}"), "type": "subscribe", "payload": {"query": sub}}),
        )
        .await;
    }
    // the default cap is 100: the other 900 are refused, each with a code
    let mut refused = std::collections::BTreeSet::new();
    while refused.len() < 900 {
        let m = next(&mut ws).await.unwrap();
        match m["type"].as_str() {
            Some("error") => {
                assert_eq!(
                    m["payload"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
                    "{m}"
                );
                refused.insert(m["id"].as_str().unwrap().to_owned());
            }
            Some("next") => {
                assert_eq!(
                    m["payload"]["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
                    "{m}"
                );
                refused.insert(m["id"].as_str().unwrap().to_owned());
            }
            Some("complete") => {}
            other => panic!("unexpected {other:?}: {m}"),
        }
    }
    let expected: std::collections::BTreeSet<String> =
        (100..1_000).map(|i| format!("s{i}")).collect();
    assert_eq!(refused, expected);
    // full: a query is refused too; completing one subscription frees a place
    let query =
        |id: &str| json!({"id": id, "type": "subscribe", "payload": {"query": "{ me { email } }"}});
    send(&mut ws, query("q1")).await;
    let m = loop {
        // the refused ones' `complete` messages may still be on their way
        let m = next(&mut ws).await.unwrap();
        if m["id"] == "q1" {
            break m;
        }
        assert_eq!(m["type"], "complete", "{m}");
    };
    assert!(m.to_string().contains("LIMIT_EXCEEDED"), "{m}");
    send(&mut ws, json!({"id": "s0", "type": "complete"})).await;
    send(&mut ws, query("q2")).await;
    let m = loop {
        let m = next(&mut ws).await.unwrap();
        if m["id"] == "q2" {
            break m;
        }
    };
    assert_eq!(m["type"], "next", "{m}");
    assert_eq!(m["payload"]["data"]["me"]["email"], "subs@example.com");
}

#[tokio::test]
async fn open_sockets_are_capped_per_user_and_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.transport.max_sockets_per_user = 2;
        c.transport.max_sockets_per_ip = 4;
    })
    .await;
    let s = app.signup("sockets@example.com", "Sockets").await;
    let init = json!({"type": "connection_init", "payload": {"token": s.token}});
    let mut open = vec![];
    for _ in 0..2 {
        let mut ws = connect(&app, "graphql-transport-ws").await;
        send(&mut ws, init.clone()).await;
        assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
        open.push(ws);
    }
    let mut third = connect(&app, "graphql-transport-ws").await;
    send(&mut third, init.clone()).await;
    let (code, reason) = next(&mut third).await.expect_err("closed");
    assert_eq!(code, 1013, "{reason}");
    // a closed socket gives its place back (once the server has seen it close)
    let mut gone = open.pop().unwrap();
    gone.close(None).await.unwrap();
    while gone.next().await.is_some() {}
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let mut ws = connect(&app, "graphql-transport-ws").await;
        send(&mut ws, init.clone()).await;
        match next(&mut ws).await {
            Ok(m) => {
                assert_eq!(m["type"], "connection_ack");
                open.push(ws);
                break;
            }
            Err((1013, _)) => assert!(tokio::time::Instant::now() < deadline, "never freed"),
            Err(e) => panic!("{e:?}"),
        }
    }
    // per address: two more sockets (not yet initialised) reach the cap of 4
    let _a = connect(&app, "graphql-transport-ws").await;
    let _b = connect(&app, "graphql-transport-ws").await;
    let mut req = format!("ws://{}/graphql", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    match tokio_tungstenite::connect_async(req).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 429),
        other => panic!("expected 429, got {:?}", other.map(|(_, r)| r.status())),
    }
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
    let mut ws = acked(&app, &s.token).await;

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
