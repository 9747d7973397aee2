//! GraphQL over WebSocket on `/graphql`: `graphql-transport-ws` and the
//! legacy `graphql-ws`. The token travels in `connection_init`
//! (`{"token": …}` or `{"Authorization": "Bearer …"}`); a connection without
//! a valid one is closed (4403), and the socket closes when the token expires.

use crate::app::AppState;
use crate::graphql::AppSchema;
use crate::graphql::context::Auth;
use crate::graphql::context::RequestCtx;
use crate::graphql::limits::{
    ConnectionAuth, assign_codes, check_aliases, check_credential_fields, refused,
};
use crate::graphql::loaders::Dispatch;
use async_graphql::Data;
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use async_graphql::{Executor, Request as GqlRequest, Response as GqlResponse};
use axum::body::Body;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt, future};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How long a client has to send `connection_init` (graphql-transport-ws: 4408).
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Marks our own refusals so they close with 4403, not a protocol error.
const AUTH_FAILED: &str = "Forbidden: ";

pub fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

pub async fn upgrade(app: AppState, req: Request<Body>) -> Response {
    let (mut parts, _) = req.into_parts();
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
    upgrade
        // the stock 128 KiB per socket is most of a subscriber's memory
        .read_buffer_size(512)
        .write_buffer_size(4 * 1024)
        .max_message_size(256 * 1024)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(app, socket, protocol))
}

/// Runs a connection's operations: each one gets its own [`RequestCtx`]
/// (fresh actor and DataLoaders) from the token the connection
/// authenticated with, the alias limit, and codes on its errors — what the
/// HTTP handler does for a request, without schema extensions.
#[derive(Clone)]
struct Operations {
    schema: AppSchema,
    max_aliases: usize,
}

impl Operations {
    fn prepare(
        &self,
        mut request: GqlRequest,
        session: Option<&Data>,
    ) -> Result<GqlRequest, Box<GqlResponse>> {
        if let Ok(doc) = request.parsed_query()
            && let Err(e) =
                check_aliases(doc, self.max_aliases).and_then(|()| check_credential_fields(doc, 0))
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
        match self.prepare(request, session.as_deref()) {
            Ok(r) => self
                .schema
                .execute_stream_with_session_data(r, session.unwrap_or_default())
                .map(|mut resp| {
                    assign_codes(&mut resp);
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

async fn serve(app: AppState, socket: WebSocket, protocol: WebSocketProtocols) {
    let (mut sink, stream) = socket.split();
    let input = stream
        .take_while(|r| future::ready(r.is_ok()))
        .filter_map(|r| {
            future::ready(match r {
                Ok(m @ (Message::Text(_) | Message::Binary(_))) => Some(m.into_data()),
                _ => None,
            })
        });

    let (exp_tx, mut exp_rx) = watch::channel::<Option<crate::auth::Claims>>(None);
    let jwt = app.jwt.clone();
    let on_init = move |payload: serde_json::Value| async move {
        let token = token_from(&payload).ok_or_else(|| {
            async_graphql::Error::new(format!("{AUTH_FAILED}connection_init carries no token"))
        })?;
        let claims = jwt
            .verify(&token)
            .map_err(|e| async_graphql::Error::new(format!("{AUTH_FAILED}{e}")))?;
        let _ = exp_tx.send(Some(claims.clone()));
        let mut data = Data::default();
        data.insert(ConnectionAuth(Auth::Token(claims)));
        Ok(data)
    };
    let ops = Operations {
        schema: app.schema.clone(),
        max_aliases: app.config.limits.max_aliases,
    };
    let gql = async_graphql::http::WebSocket::new(ops, input, protocol)
        .on_connection_init(on_init)
        .keepalive_timeout(None);
    futures::pin_mut!(gql);

    metrics::gauge!("igny8_ws_connections").increment(1.0);
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
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
                    let code = if reason.starts_with(AUTH_FAILED) { 4403 } else { code };
                    let _ = sink.send(close(code, &reason)).await;
                    break;
                }
                None => {
                    let _ = sink.close().await;
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
