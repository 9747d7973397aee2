//! Refresh tokens: stored as SHA-256 hashes, rotated on use, revoked by family.

use crate::error::DbResult;
use crate::models::RefreshToken;
use crate::schema::refresh_tokens;
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
