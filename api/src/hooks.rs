//! `POST /hooks/wordpress/{siteId}`: status changes the igny8 Bridge plugin
//! reports (PUB-2). The body is signed with the site's secret (shown once at
//! connect): `X-Igny8-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
//! with `X-Igny8-Timestamp` (Unix seconds). Refused: a bad or missing
//! signature (401), a timestamp outside ±5 minutes (401), a signature seen
//! before (409, remembered in Redis for the window), an unknown site (404).
//!
//! The signature is the only credential, so the site's connection is read
//! with the system role (like a mailed token's lookup); the change itself
//! is written in the site's tenant transaction.

use crate::app::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use igny8_jobs::kinds::publish::secret_field;
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;
use uuid::Uuid;

/// How far a webhook's timestamp may be from now.
pub const WINDOW_SECS: i64 = 300;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusChange {
    post_id: i64,
    content_id: Option<String>,
    status: String,
    link: Option<String>,
}

fn answer(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "message": message }))).into_response()
}

/// Verifies `sha256=<hex>` over `<timestamp>.<body>` in constant time.
pub fn signature_ok(secret: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Some(sig) = decode_hex(hex) else {
        return false;
    };
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

pub async fn wordpress(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(site_id) = site.parse::<Uuid>() else {
        return answer(StatusCode::NOT_FOUND, "unknown site");
    };
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (timestamp, signature) = (header("x-igny8-timestamp"), header("x-igny8-signature"));
    let Ok(ts) = timestamp.trim().parse::<i64>() else {
        return answer(StatusCode::UNAUTHORIZED, "missing or bad X-Igny8-Timestamp");
    };
    if (chrono::Utc::now().timestamp() - ts).abs() > WINDOW_SECS {
        return answer(
            StatusCode::UNAUTHORIZED,
            "the timestamp is outside the allowed window",
        );
    }
    // the connection, found by the site alone: the signature is the credential
    let conn = match async {
        let mut tx = state.db.begin_system().await?;
        let row = igny8_db::publishing::connection_of_site(&mut tx, site_id).await?;
        tx.commit().await?;
        Ok::<_, igny8_db::DbError>(row)
    }
    .await
    {
        Ok(Some(c)) => c,
        Ok(None) => return answer(StatusCode::NOT_FOUND, "unknown site"),
        Err(e) => {
            tracing::error!(error = %e, "webhook: reading the connection");
            return answer(StatusCode::SERVICE_UNAVAILABLE, "try again later");
        }
    };
    let Ok(secret) =
        state
            .providers
            .secrets
            .open(conn.account_id, &secret_field(site_id), &conn.secret_sealed)
    else {
        return answer(StatusCode::UNAUTHORIZED, "bad signature");
    };
    if !signature_ok(&secret, timestamp.trim(), &body, &signature) {
        tracing::warn!(site.id = %site_id, "webhook: bad signature");
        return answer(StatusCode::UNAUTHORIZED, "bad signature");
    }
    // a signature is good once: remembered for the window
    let key = format!(
        "{}:wphook:{site_id}:{}",
        state.config.jobs.redis_prefix,
        signature.trim()
    );
    let fresh = async {
        let mut c = state.redis.get_multiplexed_async_connection().await?;
        let set: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(2 * WINDOW_SECS + 60)
            .query_async(&mut c)
            .await?;
        Ok::<_, redis::RedisError>(set.is_some())
    }
    .await;
    match fresh {
        Ok(true) => {}
        Ok(false) => return answer(StatusCode::CONFLICT, "replayed webhook"),
        Err(e) => {
            tracing::error!(error = %e, "webhook: replay check");
            return answer(StatusCode::SERVICE_UNAVAILABLE, "try again later");
        }
    }
    let Ok(change) = serde_json::from_slice::<StatusChange>(&body) else {
        return answer(StatusCode::BAD_REQUEST, "the body is not a status change");
    };
    const KNOWN: [&str; 8] = [
        "publish", "future", "draft", "pending", "private", "trash", "deleted", "inherit",
    ];
    if !KNOWN.contains(&change.status.as_str()) {
        return answer(StatusCode::BAD_REQUEST, "unknown status");
    }
    let updated = async {
        let mut tx = state.db.begin_tenant(conn.account_id).await?;
        let Some(record) =
            igny8_db::publishing::record_by_post(&mut tx, conn.account_id, site_id, change.post_id)
                .await?
        else {
            return Ok(false);
        };
        if change
            .content_id
            .as_deref()
            .is_some_and(|c| c != record.content_id.to_string())
        {
            return Ok(false);
        }
        let link = change.link.as_deref().filter(|l| l.starts_with("http"));
        igny8_db::publishing::record_remote_status(
            &mut tx,
            conn.account_id,
            record.content_id,
            change.post_id,
            &change.status,
            link,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, igny8_db::DbError>(true)
    }
    .await;
    match updated {
        Ok(true) => answer(StatusCode::OK, "recorded"),
        Ok(false) => answer(StatusCode::ACCEPTED, "not a post igny8 published"),
        Err(e) => {
            tracing::error!(error = %e, "webhook: recording the status");
            answer(StatusCode::SERVICE_UNAVAILABLE, "try again later")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked() {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"s3cret").unwrap();
        mac.update(b"1700000000.{\"a\":1}");
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let good = format!("sha256={hex}");
        assert!(signature_ok("s3cret", "1700000000", b"{\"a\":1}", &good));
        assert!(!signature_ok("s3cret", "1700000001", b"{\"a\":1}", &good));
        assert!(!signature_ok("other", "1700000000", b"{\"a\":1}", &good));
        assert!(!signature_ok("s3cret", "1700000000", b"{\"a\":2}", &good));
        assert!(!signature_ok("s3cret", "1700000000", b"{\"a\":1}", &hex));
        assert!(!signature_ok(
            "s3cret",
            "1700000000",
            b"{\"a\":1}",
            "sha256=zz"
        ));
    }
}
