//! Users, their site grants, and what a request needs to know about its actor.

use crate::Listed;
use crate::error::{DbError, DbResult};
use crate::models::User;
use crate::schema::{site_user_access, sites, users};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use uuid::Uuid;

/// Login looks a user up by email across accounts: call it in a system
/// transaction, and nowhere else. Emails are stored lower-cased.
pub async fn find_for_login(conn: &mut AsyncPgConnection, email: &str) -> DbResult<Option<User>> {
    Ok(users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The facts an [`igny8_core::Actor`] is built from, read in one statement.
#[derive(Debug, Clone, QueryableByName)]
pub struct ActorRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub user_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub account_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub role: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub is_active: bool,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub account_status: String,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
    pub site_ids: Vec<Uuid>,
    /// The token's session (refresh-token family) is neither revoked nor expired.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub session_active: bool,
    /// A platform staff member (`staff_members`).
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub is_staff: bool,
}

/// The actor of `user_id` signed in to `session_id` (a refresh-token
/// family): logout, "sign out everywhere" and password changes end access
/// tokens at once by revoking the session.
pub async fn actor_row(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    session_id: Uuid,
) -> DbResult<Option<ActorRow>> {
    Ok(diesel::sql_query(include_str!("sql/actor_row.sql"))
        .bind::<diesel::sql_types::Uuid, _>(user_id)
        .bind::<diesel::sql_types::Uuid, _>(session_id)
        .get_result(conn)
        .await
        .optional()?)
}

/// Whether any account has a user with this email (system transaction).
pub async fn email_taken(conn: &mut AsyncPgConnection, email: &str) -> DbResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        users::table.filter(users::email.eq(email.trim().to_lowercase())),
    ))
    .get_result(conn)
    .await?)
}

pub async fn set_password(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
    password_hash: &str,
) -> DbResult<()> {
    let n = diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::account_id.eq(account_id)),
    )
    .set(users::password_hash.eq(password_hash))
    .execute(conn)
    .await?;
    if n == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}

/// Records that the user followed a link mailed to their address.
pub async fn mark_email_verified(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
) -> DbResult<()> {
    diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::account_id.eq(account_id))
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(Utc::now()))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<User> {
    let mut q = users::table.filter(users::id.eq(id)).into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(users::account_id.eq(a));
    }
    Ok(q.select(User::as_select()).first(conn).await?)
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<User>> {
    let mut q = users::table.filter(users::id.eq_any(ids)).into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(users::account_id.eq(a));
    }
    Ok(q.select(User::as_select()).load(conn).await?)
}

/// The users of the caller's account, oldest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    args: &PageArgs,
) -> DbResult<Listed<User>> {
    let total: i64 = users::table
        .filter(users::account_id.eq(account_id))
        .count()
        .get_result(conn)
        .await?;
    let page = args.window(total);
    let rows = users::table
        .filter(users::account_id.eq(account_id))
        .order((users::created_at.asc(), users::id.asc()))
        .offset(page.offset)
        .limit(page.limit)
        .select(User::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}

#[derive(Clone)]
pub struct NewUser {
    pub id: Uuid,
    pub account_id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub email_verified_at: Option<chrono::DateTime<Utc>>,
}

pub async fn create(conn: &mut AsyncPgConnection, u: NewUser) -> DbResult<User> {
    let now = Utc::now();
    let user = User {
        id: u.id,
        account_id: u.account_id,
        email: u.email,
        name: u.name,
        password_hash: u.password_hash,
        role: u.role,
        is_active: true,
        created_at: now,
        updated_at: now,
        email_verified_at: u.email_verified_at,
    };
    diesel::insert_into(users::table)
        .values(&user)
        .execute(conn)
        .await?;
    Ok(user)
}

pub async fn set_role(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
    role: &str,
) -> DbResult<User> {
    diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::account_id.eq(account_id)),
    )
    .set(users::role.eq(role))
    .returning(User::as_returning())
    .get_result(conn)
    .await
    .map_err(DbError::from)
}

pub async fn remove(conn: &mut AsyncPgConnection, account_id: Uuid, id: Uuid) -> DbResult<()> {
    let n = diesel::delete(
        users::table
            .filter(users::id.eq(id))
            .filter(users::account_id.eq(account_id)),
    )
    .execute(conn)
    .await?;
    if n == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}

/// The conflict [`ensure_not_last_owner`] raises, named like a constraint.
pub const LAST_OWNER: &str = "users_last_owner";

/// Refuses (`Conflict(LAST_OWNER)`) to demote or remove `target` when it is
/// its account's last owner. Call after [`crate::accounts::lock`]:
/// concurrent demotions and removals then count owners one after the
/// other, so two owners demoting each other cannot leave the account with
/// none.
pub async fn ensure_not_last_owner(conn: &mut AsyncPgConnection, target: &User) -> DbResult<()> {
    if target.role == "owner" && count_owners(conn, target.account_id).await? <= 1 {
        return Err(DbError::Conflict(LAST_OWNER.into()));
    }
    Ok(())
}

/// Owners left in an account (the last one cannot be demoted or removed).
pub async fn count_owners(conn: &mut AsyncPgConnection, account_id: Uuid) -> DbResult<i64> {
    Ok(users::table
        .filter(users::account_id.eq(account_id))
        .filter(users::role.eq("owner"))
        .count()
        .get_result(conn)
        .await?)
}

/// Grants a site; granting twice is a no-op. The composite foreign keys make
/// a site or user of another account an `InvalidReference`.
pub async fn grant_site(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    user_id: Uuid,
    site_id: Uuid,
    by: Uuid,
) -> DbResult<()> {
    diesel::insert_into(site_user_access::table)
        .values((
            site_user_access::account_id.eq(account_id),
            site_user_access::user_id.eq(user_id),
            site_user_access::site_id.eq(site_id),
            site_user_access::granted_by.eq(by),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn revoke_site(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    user_id: Uuid,
    site_id: Uuid,
) -> DbResult<bool> {
    let n = diesel::delete(
        site_user_access::table
            .filter(site_user_access::account_id.eq(account_id))
            .filter(site_user_access::user_id.eq(user_id))
            .filter(site_user_access::site_id.eq(site_id)),
    )
    .execute(conn)
    .await?;
    Ok(n > 0)
}

/// Granted site ids per user, for the `User.sites` loader.
pub async fn granted_sites(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    user_ids: &[Uuid],
) -> DbResult<Vec<(Uuid, Uuid)>> {
    let mut q = site_user_access::table
        .inner_join(sites::table)
        .filter(site_user_access::user_id.eq_any(user_ids))
        .into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(site_user_access::account_id.eq(a));
    }
    Ok(q.order(sites::created_at.asc())
        .select((site_user_access::user_id, site_user_access::site_id))
        .load(conn)
        .await?)
}
