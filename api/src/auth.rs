//! Passwords (argon2id, on a bounded pool), access tokens (JWT, HS256
//! pinned, bound to a session) and refresh and mailed tokens (random,
//! stored as SHA-256).

use crate::error::{ApiError, ApiResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm as ArgonAlgorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::sync::Semaphore;
use uuid::Uuid;

pub const ISSUER: &str = "igny8";
pub const AUDIENCE: &str = "igny8-api";

/// OWASP's argon2id parameters: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(ArgonAlgorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`). CPU-heavy: call it
/// from `spawn_blocking`.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with valid parameters")
        .to_string()
}

/// Checks a password against a stored PHC string. CPU-heavy.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// A hash to verify against when the email is unknown, so a failed login
/// takes as long whether or not the account exists.
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("not-a-real-password"));

/// What an access token says. `sub` is the user, `acc` the account, `sid`
/// the session (refresh-token family) it belongs to: revoking the session
/// ends the access token too.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: Uuid,
    pub acc: Uuid,
    pub sid: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is invalid")]
    Invalid,
}

impl JwtKeys {
    pub fn new(secret: &str) -> Self {
        // the algorithm is pinned: a token signed any other way is refused
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }

    /// Signs an access token of session `session_id`, valid for `ttl` from
    /// `now` (unix seconds).
    pub fn issue(
        &self,
        user_id: Uuid,
        account_id: Uuid,
        session_id: Uuid,
        now: i64,
        ttl: Duration,
    ) -> String {
        let claims = Claims {
            sub: user_id,
            acc: account_id,
            sid: session_id,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + ttl.as_secs() as i64,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing cannot fail")
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

/// A new refresh token: 32 random bytes, URL-safe base64.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores of a refresh token.
pub fn hash_refresh_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A token for a mailed link (verification, reset, invitation): as random as
/// a refresh token, stored the same way ([`hash_refresh_token`]).
pub fn new_mailed_token() -> String {
    new_refresh_token()
}

/// Runs password hashing and verification on at most `concurrency` blocking
/// threads, with at most `queue` more callers waiting: each hash holds
/// 19 MiB and a core, so an unbounded pool lets a burst of logins take the
/// memory (issue 13: 50 logins, 37 MB → 990 MB). Beyond the queue callers
/// get `RATE_LIMITED` at once.
pub struct PasswordPool {
    permits: Arc<Semaphore>,
    admitted: AtomicUsize,
    capacity: usize,
    in_flight: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    runs: Arc<AtomicUsize>,
}

impl PasswordPool {
    pub fn new(concurrency: usize, queue: usize) -> Self {
        let concurrency = concurrency.max(1);
        PasswordPool {
            permits: Arc::new(Semaphore::new(concurrency)),
            admitted: AtomicUsize::new(0),
            capacity: concurrency + queue,
            in_flight: Arc::new(AtomicUsize::new(0)),
            peak: Arc::new(AtomicUsize::new(0)),
            runs: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Hashes and verifications started so far.
    pub fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }

    /// The most hashes that ever ran at once (for tests and `/metrics`).
    pub fn peak_in_flight(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        if self.admitted.fetch_add(1, Ordering::SeqCst) >= self.capacity {
            self.admitted.fetch_sub(1, Ordering::SeqCst);
            metrics::counter!("igny8_password_pool_refused_total").increment(1);
            return Err(ApiError::Throttled {
                message: "too many sign-ins at once; retry in a moment".into(),
                retry_after_secs: 1,
            });
        }
        let _admitted = Admitted(&self.admitted);
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        let (in_flight, peak) = (self.in_flight.clone(), self.peak.clone());
        self.runs.fetch_add(1, Ordering::SeqCst);
        // the permit moves into the blocking task: a caller that goes away
        // does not free a slot its hash still occupies
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let out = work();
            in_flight.fetch_sub(1, Ordering::SeqCst);
            out
        })
        .await
        .map_err(ApiError::internal)
    }
}

struct Admitted<'a>(&'a AtomicUsize);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("correct horse", "not a phc string"));
    }

    #[test]
    fn tokens_round_trip_and_expire() {
        let keys = JwtKeys::new("secret");
        let (u, a) = (Uuid::now_v7(), Uuid::now_v7());
        let now = chrono::Utc::now().timestamp();
        let sid = Uuid::now_v7();
        let t = keys.issue(u, a, sid, now, Duration::from_secs(60));
        let c = keys.verify(&t).unwrap();
        assert_eq!((c.sub, c.acc, c.sid), (u, a, sid));
        let old = keys.issue(u, a, sid, now - 3600, Duration::from_secs(60));
        assert_eq!(keys.verify(&old), Err(TokenError::Expired));
    }

    #[test]
    fn forged_and_foreign_tokens_are_refused() {
        let keys = JwtKeys::new("secret");
        let now = chrono::Utc::now().timestamp();
        let other = JwtKeys::new("another secret");
        let forged = other.issue(
            Uuid::nil(),
            Uuid::nil(),
            Uuid::nil(),
            now,
            Duration::from_secs(60),
        );
        assert_eq!(keys.verify(&forged), Err(TokenError::Invalid));

        // right key, wrong audience
        let claims = serde_json::json!({"sub": Uuid::nil(), "acc": Uuid::nil(), "sid": Uuid::nil(), "iss": ISSUER,
            "aud": "someone-else", "iat": now, "exp": now + 60});
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert_eq!(keys.verify(&t), Err(TokenError::Invalid));

        // right key, another algorithm
        let claims = serde_json::json!({"sub": Uuid::nil(), "acc": Uuid::nil(), "sid": Uuid::nil(), "iss": ISSUER,
            "aud": AUDIENCE, "iat": now, "exp": now + 60});
        let t = encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert_eq!(keys.verify(&t), Err(TokenError::Invalid));

        // no expiry at all
        let claims = serde_json::json!({"sub": Uuid::nil(), "acc": Uuid::nil(), "sid": Uuid::nil(), "iss": ISSUER, "aud": AUDIENCE});
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert_eq!(keys.verify(&t), Err(TokenError::Invalid));

        assert_eq!(keys.verify("garbage"), Err(TokenError::Invalid));
    }

    #[tokio::test]
    async fn the_password_pool_caps_concurrency_and_its_queue() {
        let pool = Arc::new(PasswordPool::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started_tx, started) = tokio::sync::oneshot::channel();
        let running = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = started_tx.send(());
                    hold.recv().ok()
                })
                .await
            })
        };
        started.await.unwrap();
        // one waits for the slot…
        let queued = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(|| 2).await })
        };
        while pool.admitted.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        // …and the next is refused at once
        match pool.run(|| 3).await {
            Err(ApiError::Throttled { .. }) => {}
            other => panic!("expected RATE_LIMITED, got {:?}", other.map(|_| ())),
        }
        release.send(()).unwrap();
        assert!(running.await.unwrap().is_ok());
        assert_eq!(queued.await.unwrap().unwrap(), 2);
        assert_eq!(pool.peak_in_flight(), 1);
        assert_eq!(pool.runs(), 2);
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let a = new_refresh_token();
        assert_ne!(a, new_refresh_token());
        assert_eq!(hash_refresh_token(&a).len(), 32);
        assert_eq!(hash_refresh_token(&a), hash_refresh_token(&a));
    }
}
