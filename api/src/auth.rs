//! Passwords (argon2id), access tokens (JWT, HS256 pinned) and refresh
//! tokens (random, stored as SHA-256).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm as ArgonAlgorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use std::time::Duration;
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

/// What an access token says. `sub` is the user, `acc` the account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: Uuid,
    pub acc: Uuid,
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

    /// Signs an access token valid for `ttl` from `now` (unix seconds).
    pub fn issue(&self, user_id: Uuid, account_id: Uuid, now: i64, ttl: Duration) -> String {
        let claims = Claims {
            sub: user_id,
            acc: account_id,
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
        let t = keys.issue(u, a, now, Duration::from_secs(60));
        let c = keys.verify(&t).unwrap();
        assert_eq!((c.sub, c.acc), (u, a));
        let old = keys.issue(u, a, now - 3600, Duration::from_secs(60));
        assert_eq!(keys.verify(&old), Err(TokenError::Expired));
    }

    #[test]
    fn forged_and_foreign_tokens_are_refused() {
        let keys = JwtKeys::new("secret");
        let now = chrono::Utc::now().timestamp();
        let other = JwtKeys::new("another secret");
        let forged = other.issue(Uuid::nil(), Uuid::nil(), now, Duration::from_secs(60));
        assert_eq!(keys.verify(&forged), Err(TokenError::Invalid));

        // right key, wrong audience
        let claims = serde_json::json!({"sub": Uuid::nil(), "acc": Uuid::nil(), "iss": ISSUER,
            "aud": "someone-else", "iat": now, "exp": now + 60});
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert_eq!(keys.verify(&t), Err(TokenError::Invalid));

        // right key, another algorithm
        let claims = serde_json::json!({"sub": Uuid::nil(), "acc": Uuid::nil(), "iss": ISSUER,
            "aud": AUDIENCE, "iat": now, "exp": now + 60});
        let t = encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert_eq!(keys.verify(&t), Err(TokenError::Invalid));

        // no expiry at all
        let claims = serde_json::json!({"sub": Uuid::nil(), "acc": Uuid::nil(), "iss": ISSUER, "aud": AUDIENCE});
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert_eq!(keys.verify(&t), Err(TokenError::Invalid));

        assert_eq!(keys.verify("garbage"), Err(TokenError::Invalid));
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let a = new_refresh_token();
        assert_ne!(a, new_refresh_token());
        assert_eq!(hash_refresh_token(&a).len(), 32);
        assert_eq!(hash_refresh_token(&a), hash_refresh_token(&a));
    }
}
