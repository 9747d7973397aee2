//! Generated images, served at signed, expiring URLs: an HMAC over the path
//! and the expiry, so an `<img src>` works in a browser while nobody without
//! the link (another tenant included) can fetch the file.

use crate::app::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a signed URL stays valid.
pub const URL_TTL_SECS: i64 = 3600;

fn signature(secret: &[u8], key: &str, exp: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("media:{key}:{exp}").as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A URL for a stored image, valid for an hour from `now`.
pub fn signed_url(secret: &[u8], key: &str, now: i64) -> String {
    let exp = now + URL_TTL_SECS;
    format!("/media/{key}?exp={exp}&sig={}", signature(secret, key, exp))
}

#[derive(serde::Deserialize)]
pub struct Signed {
    exp: i64,
    sig: String,
}

/// Only `<uuid>/<uuid>.png` keys exist; anything else is not found.
fn valid_key(key: &str) -> bool {
    let mut parts = key.split('/');
    let (Some(acc), Some(file), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Some(stem) = file.strip_suffix(".png") else {
        return false;
    };
    uuid::Uuid::parse_str(acc).is_ok() && uuid::Uuid::parse_str(stem).is_ok()
}

pub async fn serve(
    State(app): State<AppState>,
    Path(key): Path<String>,
    Query(q): Query<Signed>,
) -> Response {
    let now = chrono::Utc::now().timestamp();
    let expected = signature(app.config.secret_key.as_bytes(), &key, q.exp);
    let ok =
        valid_key(&key) && q.exp >= now && constant_time_eq(expected.as_bytes(), q.sig.as_bytes());
    if !ok {
        return (StatusCode::FORBIDDEN, "invalid or expired link").into_response();
    }
    match app.config.media.get(&key).await {
        Ok(Some(bytes)) => {
            let ct = igny8_jobs::media::content_type(&bytes);
            let mut r = bytes.into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            r.headers_mut().insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            r
        }
        Ok(None) => (StatusCode::NOT_FOUND, "not found").into_response(),
        Err(e) => {
            tracing::error!(media.key = %key, error = %e, "reading a stored image failed");
            (StatusCode::SERVICE_UNAVAILABLE, "storage unavailable").into_response()
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_bind_key_and_expiry() {
        let k = "0190a1b2-0000-7000-8000-000000000001/0190a1b2-0000-7000-8000-000000000002.png";
        assert!(valid_key(k));
        assert!(!valid_key("../etc/passwd"));
        assert!(!valid_key("a/b.png"));
        let s = signature(b"secret", k, 100);
        assert_eq!(s, signature(b"secret", k, 100));
        assert_ne!(s, signature(b"secret", k, 101));
        assert_ne!(s, signature(b"other", k, 100));
        assert!(signed_url(b"secret", k, 0).starts_with(&format!("/media/{k}?exp=3600&sig=")));
    }
}
