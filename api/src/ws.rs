//! GraphQL over WebSocket on `/graphql`: `graphql-transport-ws` and the
//! legacy `graphql-ws`. The token travels in `connection_init`
//! (`{"token": …}` or `{"Authorization": "Bearer …"}`); a connection without
//! a valid one is closed (4403), and the socket closes when the token expires.
//!
//! Close codes (graphql-transport-ws): 4400 a message that is not the
//! protocol's, 4401 an operation before `connection_ack`, 4403 a missing or
//! bad token, 4408 no `connection_init` in time, 4429 a second
//! `connection_init`, 1009 a message over the size cap, 1013 too many open
//! sockets for the user. Open sockets are capped per client address (429
//! before the upgrade) and per user; operations running at once per socket
//! are capped too (`LIMIT_EXCEEDED`).

use crate::app::AppState;
use crate::config::{Limits, Transport};
use crate::error::ApiError;
use crate::graphql::AppSchema;
use crate::graphql::context::Auth;
use crate::graphql::context::RequestCtx;
use crate::graphql::limits::{
    ConnectionAuth, assign_codes, cap_errors, check_aliases, check_credential_fields,
    check_document, refused,
};
use crate::graphql::loaders::Dispatch;
use crate::server::{ConnectionSlot, Tally};
use async_graphql::Data;
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use async_graphql::{Executor, Request as GqlRequest, Response as GqlResponse};
use axum::body::Body;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt, future};
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::watch;
use uuid::Uuid;

/// Marks our own refusals so they close with 4403, not a protocol error.
const AUTH_FAILED: &str = "Forbidden: ";
/// Marks the per-user socket cap's refusal (closed with 1013, try again later).
const TOO_MANY_SOCKETS: &str = "Too many sockets: ";
/// What async-graphql says when an operation comes before the handshake.
const NOT_ACKNOWLEDGED: &str = "The handshake is not completed.";

/// The open sockets, per client address and per user.
pub struct SocketCaps {
    per_ip: Arc<Tally<IpAddr>>,
    per_user: Arc<Tally<Uuid>>,
}

impl SocketCaps {
    pub fn new(t: &Transport) -> Self {
        SocketCaps {
            per_ip: Tally::new(t.max_sockets_per_ip),
            per_user: Tally::new(t.max_sockets_per_user),
        }
    }
}

pub fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

pub async fn upgrade(app: AppState, req: Request<Body>) -> Response {
    let (mut parts, _) = req.into_parts();
    // the connection's slot under the server's caps lives as long as the socket
    let slot = parts.extensions.remove::<Arc<ConnectionSlot>>();
    let ip_ticket = match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(peer)) => match app.sockets.per_ip.take(peer.ip()) {
            Some(t) => Some(t),
            None => {
                metrics::counter!("igny8_connections_refused_total", "reason" => "sockets_per_ip")
                    .increment(1);
                return crate::http::error_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    crate::http::MediaType::Json,
                    "RATE_LIMITED",
                    "too many open WebSockets from this address",
                );
            }
        },
        // served without the accept loop (no client address): no cap
        None => None,
    };
    let protocol = parts
        .headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
        })
        .unwrap_or(WebSocketProtocols::GraphQLWS);
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let max_message = app.config.transport.ws_max_message_bytes;
    upgrade
        // the stock 128 KiB per socket is most of a subscriber's memory
        .read_buffer_size(512)
        .write_buffer_size(4 * 1024)
        .max_message_size(max_message)
        .max_frame_size(max_message)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            serve(app, socket, protocol).await;
            drop((slot, ip_ticket));
        })
}

/// Runs a connection's operations: each one gets its own [`RequestCtx`]
/// (fresh actor and DataLoaders) from the token the connection
/// authenticated with, the alias limit, and codes on its errors — what the
/// HTTP handler does for a request, without schema extensions.
#[derive(Clone)]
struct Operations {
    schema: AppSchema,
    limits: Limits,
    /// Operations running on this socket, at most `max_running` (0: no cap).
    running: Arc<AtomicUsize>,
    max_running: usize,
}

/// One running operation of a socket, counted until its stream is dropped.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Operations {
    fn prepare(
        &self,
        mut request: GqlRequest,
        session: Option<&Data>,
    ) -> Result<GqlRequest, Box<GqlResponse>> {
        if let Err(e) = check_document(&request.query, &self.limits) {
            return Err(Box::new(refused(e)));
        }
        if let Ok(doc) = request.parsed_query()
            && let Err(e) = check_aliases(doc, self.limits.max_aliases)
                .and_then(|()| check_credential_fields(doc, 0))
        {
            return Err(Box::new(refused(e)));
        }
        let auth = session
            .and_then(|d| d.get(&std::any::TypeId::of::<ConnectionAuth>()))
            .and_then(|a| a.downcast_ref::<ConnectionAuth>())
            .map(|c| c.0.clone())
            .unwrap_or(Auth::Anonymous);
        let ctx = RequestCtx::new(auth, uuid::Uuid::now_v7().to_string(), Dispatch::Runtime);
        Ok(request.data(ctx))
    }
}

impl Executor for Operations {
    async fn execute(&self, request: GqlRequest) -> GqlResponse {
        match self.prepare(request, None) {
            Ok(r) => {
                let mut resp = self.schema.execute(r).await;
                assign_codes(&mut resp);
                cap_errors(&mut resp, self.limits.max_errors);
                resp
            }
            Err(resp) => *resp,
        }
    }

    fn execute_stream(
        &self,
        request: GqlRequest,
        session: Option<Arc<Data>>,
    ) -> BoxStream<'static, GqlResponse> {
        let running = self.running.fetch_add(1, Ordering::AcqRel);
        let counted = Running(self.running.clone());
        if self.max_running > 0 && running >= self.max_running {
            drop(counted);
            let e = ApiError::LimitExceeded(format!(
                "at most {} operations may run at once on one socket",
                self.max_running
            ));
            let resp = GqlResponse::from_errors(vec![
                async_graphql::Error::from(e).into_server_error(Default::default()),
            ]);
            return futures::stream::once(future::ready(resp)).boxed();
        }
        let max_errors = self.limits.max_errors;
        match self.prepare(request, session.as_deref()) {
            Ok(r) => self
                .schema
                .execute_stream_with_session_data(r, session.unwrap_or_default())
                .map(move |mut resp| {
                    let _running = &counted;
                    assign_codes(&mut resp);
                    cap_errors(&mut resp, max_errors);
                    resp
                })
                .boxed(),
            Err(resp) => futures::stream::once(future::ready(*resp)).boxed(),
        }
    }
}

fn token_from(payload: &serde_json::Value) -> Option<String> {
    let get = |k: &str| payload.get(k).and_then(|v| v.as_str());
    if let Some(t) = get("token") {
        return Some(t.trim().to_owned());
    }
    let h = get("Authorization").or_else(|| get("authorization"))?;
    let (scheme, t) = h.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| t.trim().to_owned())
}

/// A read error that means the client's message was over the size cap.
fn is_too_big(e: &axum::Error) -> bool {
    use std::error::Error as _;
    e.source()
        .and_then(|s| s.downcast_ref::<tungstenite::Error>())
        .is_some_and(|e| matches!(e, tungstenite::Error::Capacity(_)))
}

/// The protocol's close code for a close async-graphql asks for.
fn close_code(code: u16, reason: &str) -> u16 {
    match code {
        _ if reason.starts_with(AUTH_FAILED) => 4403,
        _ if reason.starts_with(TOO_MANY_SOCKETS) => 1013,
        1011 if reason == NOT_ACKNOWLEDGED => 4401,
        // a message that does not parse as the protocol's
        1002 => 4400,
        _ => code,
    }
}

async fn serve(app: AppState, socket: WebSocket, protocol: WebSocketProtocols) {
    let (mut sink, stream) = socket.split();
    let too_big = Arc::new(AtomicBool::new(false));
    let saw_too_big = too_big.clone();
    let input = stream
        .take_while(move |r| {
            if let Err(e) = r
                && is_too_big(e)
            {
                saw_too_big.store(true, Ordering::Release);
            }
            future::ready(r.is_ok())
        })
        .filter_map(|r| {
            future::ready(match r {
                Ok(m @ (Message::Text(_) | Message::Binary(_))) => Some(m.into_data()),
                _ => None,
            })
        });

    let (exp_tx, mut exp_rx) = watch::channel::<Option<crate::auth::Claims>>(None);
    let jwt = app.jwt.clone();
    let per_user = app.sockets.per_user.clone();
    let on_init = move |payload: serde_json::Value| async move {
        let token = token_from(&payload).ok_or_else(|| {
            async_graphql::Error::new(format!("{AUTH_FAILED}connection_init carries no token"))
        })?;
        let claims = jwt
            .verify(&token)
            .map_err(|e| async_graphql::Error::new(format!("{AUTH_FAILED}{e}")))?;
        // held in the connection's data, so for as long as the socket is open
        let ticket = per_user.take(claims.sub).ok_or_else(|| {
            async_graphql::Error::new(format!(
                "{TOO_MANY_SOCKETS}this user has the most open sockets allowed"
            ))
        })?;
        let _ = exp_tx.send(Some(claims.clone()));
        let mut data = Data::default();
        data.insert(ConnectionAuth(Auth::Token(claims)));
        data.insert(ticket);
        Ok(data)
    };
    let ops = Operations {
        schema: app.schema.clone(),
        limits: app.config.limits,
        running: Arc::new(AtomicUsize::new(0)),
        max_running: app.config.transport.max_subscriptions_per_socket,
    };
    let gql = async_graphql::http::WebSocket::new(ops, input, protocol)
        .on_connection_init(on_init)
        .keepalive_timeout(None);
    futures::pin_mut!(gql);

    metrics::gauge!("igny8_ws_connections").increment(1.0);
    let init_deadline = tokio::time::sleep(app.config.transport.ws_init_timeout);
    futures::pin_mut!(init_deadline);
    let mut expires_at: Option<i64> = None;
    // revoked sessions and removed users close the socket (sessions.rs)
    let mut session_end: std::pin::Pin<Box<dyn Future<Output = &'static str> + Send>> =
        Box::pin(future::pending());
    let close = |code: u16, reason: &str| {
        Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        }))
    };
    loop {
        let until_expiry = expires_at.map(|exp| {
            let secs = (exp - chrono::Utc::now().timestamp()).max(0) as u64;
            tokio::time::sleep(Duration::from_secs(secs))
        });
        tokio::select! {
            msg = gql.next() => match msg {
                Some(WsMessage::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(WsMessage::Close(code, reason)) => {
                    let code = close_code(code, &reason);
                    let reason = if code == 4401 { "Unauthorized" } else { reason.as_str() };
                    let _ = sink.send(close(code, reason)).await;
                    break;
                }
                None => {
                    if too_big.load(Ordering::Acquire) {
                        let _ = sink.send(close(1009, "Message too big")).await;
                    } else {
                        let _ = sink.close().await;
                    }
                    break;
                }
            },
            changed = exp_rx.changed(), if expires_at.is_none() => {
                if changed.is_ok() {
                    let claims = exp_rx.borrow().clone();
                    expires_at = claims.as_ref().map(|c| c.exp);
                    if let Some(c) = claims {
                        session_end = Box::pin(crate::sessions::ended(app.clone(), c));
                    }
                } else if expires_at.is_none() {
                    // the init callback is gone without a token: the library closes
                    expires_at = Some(i64::MAX / 2);
                }
            }
            reason = &mut session_end => {
                let _ = sink.send(close(4401, reason)).await;
                break;
            }
            _ = async { until_expiry.unwrap().await }, if expires_at.is_some() => {
                let _ = sink.send(close(4401, "Unauthorized: the access token has expired")).await;
                break;
            }
            _ = &mut init_deadline, if expires_at.is_none() => {
                let _ = sink.send(close(4408, "Connection initialisation timeout")).await;
                break;
            }
        }
    }
    metrics::gauge!("igny8_ws_connections").decrement(1.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_come_from_either_payload_shape() {
        assert_eq!(token_from(&json!({"token": "abc"})).as_deref(), Some("abc"));
        assert_eq!(
            token_from(&json!({"Authorization": "Bearer abc"})).as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_from(&json!({"authorization": "bearer abc"})).as_deref(),
            Some("abc")
        );
        assert_eq!(token_from(&json!({"Authorization": "Basic abc"})), None);
        assert_eq!(token_from(&json!({})), None);
    }
}
