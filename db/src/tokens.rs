//! Refresh tokens: stored as SHA-256 hashes, rotated on use, revoked by
//! family. Mailed tokens (address verification, password reset): hashed,
//! single use, expiring.

use crate::error::DbResult;
use crate::models::RefreshToken;
use crate::schema::{refresh_tokens, user_tokens};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

pub async fn insert(conn: &mut AsyncPgConnection, token: &RefreshToken) -> DbResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(token)
        .execute(conn)
        .await?;
    Ok(())
}

/// Finds a token by hash and locks it, so two concurrent refreshes of the
/// same token cannot both rotate it. A system-transaction lookup: the token
/// is the only credential the caller has.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    hash: &[u8],
) -> DbResult<Option<RefreshToken>> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .for_update()
        .select(RefreshToken::as_select())
        .first(conn)
        .await
        .optional()?)
}

pub async fn mark_rotated(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    at: DateTime<Utc>,
) -> DbResult<()> {
    diesel::update(refresh_tokens::table.find(id))
        .set(refresh_tokens::rotated_at.eq(at))
        .execute(conn)
        .await?;
    Ok(())
}

/// Revokes every token of a login session (logout, or reuse detected).
pub async fn revoke_family(
    conn: &mut AsyncPgConnection,
    family_id: Uuid,
    at: DateTime<Utc>,
) -> DbResult<usize> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
    .await?)
}

/// Revokes every session of a user (removal, password change).
pub async fn revoke_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> DbResult<usize> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
    .await?)
}

/// Revokes every session of a user but `keep` (a password change keeps the
/// session that made it).
pub async fn revoke_user_except(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    keep: Uuid,
    at: DateTime<Utc>,
) -> DbResult<usize> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::family_id.ne(keep))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
    .await?)
}

/// What a mailed token proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

/// Stores a mailed token's hash; the user's earlier unused tokens of the
/// same purpose stop working (only the latest mail's link counts).
pub async fn insert_mailed(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    user_id: Uuid,
    purpose: Purpose,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    let now = Utc::now();
    diesel::update(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::purpose.eq(purpose.as_str()))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(now))
    .execute(conn)
    .await?;
    diesel::insert_into(user_tokens::table)
        .values((
            user_tokens::id.eq(Uuid::now_v7()),
            user_tokens::account_id.eq(account_id),
            user_tokens::user_id.eq(user_id),
            user_tokens::purpose.eq(purpose.as_str()),
            user_tokens::token_hash.eq(hash),
            user_tokens::expires_at.eq(expires_at),
            user_tokens::created_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses a mailed token up, in one statement (so it works once even under
/// concurrency): the `(user_id, account_id)` it was for, or `None` when it
/// is unknown, used, expired or for another purpose. A system-transaction
/// lookup: the token is the only credential.
pub async fn consume_mailed(
    conn: &mut AsyncPgConnection,
    hash: &[u8],
    purpose: Purpose,
) -> DbResult<Option<(Uuid, Uuid)>> {
    let now = Utc::now();
    Ok(diesel::update(
        user_tokens::table
            .filter(user_tokens::token_hash.eq(hash))
            .filter(user_tokens::purpose.eq(purpose.as_str()))
            .filter(user_tokens::used_at.is_null())
            .filter(user_tokens::expires_at.gt(now)),
    )
    .set(user_tokens::used_at.eq(now))
    .returning((user_tokens::user_id, user_tokens::account_id))
    .get_result(conn)
    .await
    .optional()?)
}
