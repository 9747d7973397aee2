//! Secrets at rest (DESIGN §3): AES-256-GCM with the server key, a random
//! 96-bit nonce per value, and AAD binding the account and the field, so a
//! ciphertext copied to another account or column does not open. Stored as
//! `nonce ‖ ciphertext`. Plaintext never leaves this process: the API shows
//! a masked hint only, and nothing here implements `Debug` for plaintext.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use uuid::Uuid;

const NONCE_LEN: usize = 12;

/// The server's encryption key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(***)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SecretError {
    #[error("the stored secret cannot be decrypted with this server key")]
    Undecryptable,
}

impl SecretBox {
    /// `IGNY8_SECRET_KEY`: 64 hex digits are the key itself; anything else
    /// is a passphrase, hashed with SHA-256 into one.
    pub fn from_config(secret: &str) -> SecretBox {
        let s = secret.trim();
        let key: [u8; 32] = match decode_hex(s) {
            Some(k) => k,
            None => Sha256::digest(s.as_bytes()).into(),
        };
        SecretBox {
            cipher: Aes256Gcm::new(&key.into()),
        }
    }

    fn aad(account_id: Uuid, field: &str) -> Vec<u8> {
        let mut aad = account_id.as_bytes().to_vec();
        aad.extend_from_slice(field.as_bytes());
        aad
    }

    pub fn seal(&self, account_id: Uuid, field: &str, plaintext: &str) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let aad = Self::aad(account_id, field);
        let ct = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &aad,
                },
            )
            .expect("AES-GCM encryption of a short secret cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        out
    }

    pub fn open(
        &self,
        account_id: Uuid,
        field: &str,
        sealed: &[u8],
    ) -> Result<String, SecretError> {
        if sealed.len() <= NONCE_LEN {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SecretError::Undecryptable)?;
        let aad = Self::aad(account_id, field);
        let pt = self
            .cipher
            .decrypt(&Nonce::from(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| SecretError::Undecryptable)?;
        String::from_utf8(pt).map_err(|_| SecretError::Undecryptable)
    }
}

fn decode_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// What the API shows of a key: its first three and last four characters
/// (`sk-…a1b2`), or only `…` for short keys.
pub fn hint(key: &str) -> String {
    let chars: Vec<char> = key.trim().chars().collect();
    if chars.len() < 12 {
        return "…".into();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_for_their_account_and_field() {
        let b = SecretBox::from_config(
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        );
        let acc = Uuid::now_v7();
        let sealed = b.seal(acc, "openai_api_key", "sk-test-1234567890");
        assert!(!sealed.windows(6).any(|w| w == b"sk-tes"));
        assert_eq!(
            b.open(acc, "openai_api_key", &sealed).unwrap(),
            "sk-test-1234567890"
        );
        assert_eq!(
            b.open(Uuid::now_v7(), "openai_api_key", &sealed),
            Err(SecretError::Undecryptable)
        );
        assert_eq!(
            b.open(acc, "runware_api_key", &sealed),
            Err(SecretError::Undecryptable)
        );
        let other = SecretBox::from_config("another passphrase");
        assert_eq!(
            other.open(acc, "openai_api_key", &sealed),
            Err(SecretError::Undecryptable)
        );
        // a fresh nonce each time
        assert_ne!(sealed, b.seal(acc, "openai_api_key", "sk-test-1234567890"));
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(b.open(acc, "openai_api_key", &tampered).is_err());
    }

    #[test]
    fn hints_never_show_the_middle() {
        assert_eq!(hint("sk-proj-abcdefghijklmnop1234"), "sk-…1234");
        assert_eq!(hint("short"), "…");
    }
}
