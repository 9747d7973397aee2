//! Invitations to join an account by email link: the token is stored as a
//! SHA-256 hash, works once and expires; accepting creates the user.

use crate::error::DbResult;
use crate::schema::invitations;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: Uuid,
    pub account_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: String,
    pub site_ids: Vec<Uuid>,
    pub invited_by: Option<Uuid>,
    pub token_hash: Vec<u8>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Stores an invitation (tenant transaction of its account).
pub async fn create(conn: &mut AsyncPgConnection, invitation: &Invitation) -> DbResult<()> {
    diesel::insert_into(invitations::table)
        .values(invitation)
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses an invitation up, in one statement: it works once, also under
/// concurrency. `None` when unknown, accepted or expired. A
/// system-transaction lookup: the token is the only credential.
pub async fn accept(conn: &mut AsyncPgConnection, hash: &[u8]) -> DbResult<Option<Invitation>> {
    let now = Utc::now();
    Ok(diesel::update(
        invitations::table
            .filter(invitations::token_hash.eq(hash))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::expires_at.gt(now)),
    )
    .set(invitations::accepted_at.eq(now))
    .returning(Invitation::as_returning())
    .get_result(conn)
    .await
    .optional()?)
}
