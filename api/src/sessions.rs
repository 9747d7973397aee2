//! Ending sessions everywhere at once. Logout, "sign out everywhere", a
//! password change or reset and a user's removal revoke sessions in
//! PostgreSQL (access tokens die at their next request: the actor lookup
//! checks the session) and announce it on Redis, so every instance closes
//! the user's open WebSockets at once. Each socket also re-checks its user
//! and session periodically, which covers a lost announcement and changes
//! made behind the API's back (a user deactivated in the database).

use crate::app::AppState;
use crate::auth::Claims;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

/// What ended.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Revoked {
    /// One session (logout).
    Session { user: Uuid, session: Uuid },
    /// Every session of the user (sign out everywhere, removal), or all
    /// but `keep` (a password change).
    User { user: Uuid, keep: Option<Uuid> },
}

impl Revoked {
    fn ends(&self, claims: &Claims) -> bool {
        match *self {
            Revoked::Session { user, session } => claims.sub == user && claims.sid == session,
            Revoked::User { user, keep } => claims.sub == user && keep != Some(claims.sid),
        }
    }
}

/// This instance's view of revocations (one Redis subscription).
#[derive(Clone)]
pub struct Revocations {
    tx: broadcast::Sender<Revoked>,
    client: redis::Client,
    channel: String,
}

impl Revocations {
    pub fn start(client: redis::Client, prefix: &str) -> Self {
        let (tx, _) = broadcast::channel(1024);
        let channel = format!("{prefix}:sessions:revoked");
        tokio::spawn(listen(client.clone(), channel.clone(), tx.clone()));
        Revocations {
            tx,
            client,
            channel,
        }
    }

    /// Announces a committed revocation to every instance (this one at once,
    /// even when Redis is away).
    pub async fn announce(&self, revoked: Revoked) {
        let _ = self.tx.send(revoked);
        let payload = serde_json::to_string(&revoked).expect("serialisable");
        let published = async {
            let mut conn = self.client.get_multiplexed_async_connection().await?;
            redis::cmd("PUBLISH")
                .arg(&self.channel)
                .arg(payload)
                .query_async::<i64>(&mut conn)
                .await
        };
        match tokio::time::timeout(Duration::from_secs(2), published).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "announcing a revocation"),
            Err(_) => tracing::warn!("announcing a revocation timed out"),
        }
    }
}

async fn listen(client: redis::Client, channel: String, tx: broadcast::Sender<Revoked>) {
    use futures::StreamExt;
    loop {
        if let Ok(mut ps) = client.get_async_pubsub().await
            && ps.subscribe(&channel).await.is_ok()
        {
            let mut stream = ps.on_message();
            while let Some(msg) = stream.next().await {
                if let Ok(r) = msg
                    .get_payload::<String>()
                    .map_err(|_| ())
                    .and_then(|p| serde_json::from_str::<Revoked>(&p).map_err(|_| ()))
                {
                    let _ = tx.send(r);
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Resolves when the socket authenticated with `claims` must close: its
/// session was revoked, or its user removed or deactivated. The reason is
/// the close frame's.
pub async fn ended(app: AppState, claims: Claims) -> &'static str {
    let mut rx = app.revocations.tx.subscribe();
    let mut tick = tokio::time::interval(app.config.auth.session_check);
    tick.tick().await;
    loop {
        tokio::select! {
            r = rx.recv() => match r {
                Ok(r) if r.ends(&claims) => break,
                Ok(_) => {}
                // missed some: ask the database
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if !still_valid(&app, &claims).await {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
            },
            _ = tick.tick() => {
                if !still_valid(&app, &claims).await {
                    break;
                }
            }
        }
    }
    "Unauthorized: the session has ended"
}

/// The user exists, is active and the session is live. A database error
/// keeps the socket (a blip must not disconnect everyone).
async fn still_valid(app: &AppState, claims: &Claims) -> bool {
    let row = async {
        let mut tx = app.db.begin_tenant(claims.acc).await?;
        let row = igny8_db::users::actor_row(&mut tx, claims.sub, claims.sid).await?;
        tx.commit().await?;
        Ok::<_, igny8_db::DbError>(row)
    };
    match row.await {
        Ok(Some(r)) => r.is_active && r.session_active,
        Ok(None) => false,
        Err(e) => {
            tracing::warn!(error = %e, "re-checking a socket's session");
            true
        }
    }
}
