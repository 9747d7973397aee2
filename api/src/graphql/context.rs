//! Per-request state: who is asking (resolved lazily, once) and the
//! tenant-scoped DataLoaders built for that actor.

use crate::auth::{Claims, TokenError};
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::{Dispatch, Loaders};
use async_graphql::Context;
use igny8_core::{AccountStatus, Actor, Role};
use igny8_db::Db;
use tokio::sync::OnceCell;

/// What the transport learned from the `Authorization` header or the
/// WebSocket `connection_init` payload.
#[derive(Debug, Clone)]
pub enum Auth {
    Anonymous,
    Token(Claims),
    Invalid(TokenError),
}

/// Request data: one per HTTP request or WebSocket operation.
pub struct RequestCtx {
    pub auth: Auth,
    pub request_id: String,
    pub dispatch: Dispatch,
    /// The client's address, for the throttle of credential operations.
    pub client_ip: Option<std::net::IpAddr>,
    /// The request's own database handle, when its reads share one
    /// transaction ([`Db::sharing`]); otherwise the schema's.
    db: Option<Db>,
    actor: OnceCell<Actor>,
    /// Boxed: two dozen loaders inline would make every operation's context
    /// (and every idle subscription's) about 1.5 KiB larger before its first
    /// relation.
    loaders: OnceCell<Box<Loaders>>,
}

impl RequestCtx {
    pub fn new(auth: Auth, request_id: String, dispatch: Dispatch) -> Self {
        RequestCtx {
            auth,
            request_id,
            dispatch,
            client_ip: None,
            db: None,
            actor: OnceCell::new(),
            loaders: OnceCell::new(),
        }
    }

    pub fn with_client_ip(mut self, ip: Option<std::net::IpAddr>) -> Self {
        self.client_ip = ip;
        self
    }

    /// Runs the request's database work on `db` (a [`Db::sharing`] handle).
    pub fn with_db(mut self, db: Db) -> Self {
        self.db = Some(db);
        self
    }
}

pub fn db<'a>(ctx: &Context<'a>) -> &'a Db {
    match ctx.data_opt::<RequestCtx>().and_then(|r| r.db.as_ref()) {
        Some(db) => db,
        None => ctx.data_unchecked::<Db>(),
    }
}

pub fn req<'a>(ctx: &Context<'a>) -> &'a RequestCtx {
    ctx.data_unchecked::<RequestCtx>()
}

/// The caller, whatever the state of its account. Only `me` should use this
/// directly; everything else goes through [`actor`].
pub async fn any_actor<'a>(ctx: &Context<'a>) -> ApiResult<&'a Actor> {
    let r = req(ctx);
    let db = db(ctx);
    r.actor.get_or_try_init(|| resolve_actor(db, &r.auth)).await
}

/// The caller, refused with `FORBIDDEN` when its account is suspended or
/// cancelled (TEN-5).
pub async fn actor<'a>(ctx: &Context<'a>) -> ApiResult<&'a Actor> {
    let a = any_actor(ctx).await?;
    if !a.account_status.is_usable() {
        return Err(ApiError::forbidden(format!(
            "the account is {}; contact support",
            a.account_status.as_str()
        )));
    }
    Ok(a)
}

/// DataLoaders scoped to the caller; built on first use in the request.
pub async fn loaders<'a>(ctx: &Context<'a>) -> ApiResult<&'a Loaders> {
    let a = actor(ctx).await?;
    let db = db(ctx);
    let r = req(ctx);
    Ok(r.loaders
        .get_or_init(|| async { Box::new(Loaders::new(db.clone(), a.scope(), &r.dispatch)) })
        .await)
}

async fn resolve_actor(db: &Db, auth: &Auth) -> ApiResult<Actor> {
    let claims = match auth {
        Auth::Anonymous => {
            return Err(ApiError::Unauthenticated(
                "sign in first: no access token was sent".into(),
            ));
        }
        Auth::Invalid(e) => return Err(ApiError::Unauthenticated(e.to_string())),
        Auth::Token(c) => c,
    };
    // the token names the account; RLS makes a mismatched user invisible
    let mut tx = db.begin_tenant(claims.acc).await?;
    let row = igny8_db::users::actor_row(&mut tx, claims.sub, claims.sid).await?;
    tx.commit().await?;
    let row = row.ok_or_else(|| ApiError::Unauthenticated("the user no longer exists".into()))?;
    if !row.is_active {
        return Err(ApiError::Unauthenticated("the user is deactivated".into()));
    }
    if !row.session_active {
        return Err(ApiError::Unauthenticated(
            "the session has ended; sign in again".into(),
        ));
    }
    Ok(Actor {
        user_id: row.user_id,
        account_id: row.account_id,
        role: row.role.parse::<Role>().map_err(ApiError::internal)?,
        account_status: row
            .account_status
            .parse::<AccountStatus>()
            .map_err(ApiError::internal)?,
        site_ids: row.site_ids,
    })
}

// the old path of this guard, for the domains not yet on the spine
pub use crate::graphql::spine::ensure_account_admin;
