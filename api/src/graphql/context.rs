//! Per-request state: who is asking (resolved lazily, once) and the
//! tenant-scoped DataLoaders built for that actor.

use crate::auth::{Claims, TokenError};
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::{Dispatch, Loaders};
use async_graphql::Context;
use igny8_core::{AccountStatus, Actor, Role};
use igny8_db::{Db, Reads};
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
    /// Where the request reads: one shared read-only transaction
    /// ([`Db::shared_reads`], HTTP queries); otherwise each read its own.
    reads: Option<Reads>,
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
            reads: None,
            actor: OnceCell::new(),
            loaders: OnceCell::new(),
        }
    }

    pub fn with_client_ip(mut self, ip: Option<std::net::IpAddr>) -> Self {
        self.client_ip = ip;
        self
    }

    /// Runs the request's reads on `reads` (a [`Db::shared_reads`]).
    pub fn with_reads(mut self, reads: Reads) -> Self {
        self.reads = Some(reads);
        self
    }
}

/// The database, for units of work that write.
pub fn db<'a>(ctx: &Context<'a>) -> &'a Db {
    ctx.data_unchecked::<Db>()
}

/// Where this request reads: its shared read-only transaction, or a
/// read-only transaction per read.
pub fn reads(ctx: &Context<'_>) -> Reads {
    match ctx.data_opt::<RequestCtx>().and_then(|r| r.reads.as_ref()) {
        Some(r) => r.clone(),
        None => db(ctx).reads(),
    }
}

pub fn req<'a>(ctx: &Context<'a>) -> &'a RequestCtx {
    ctx.data_unchecked::<RequestCtx>()
}

/// The caller, whatever the state of its account. Only `me` should use this
/// directly; everything else goes through [`actor`].
pub async fn any_actor<'a>(ctx: &Context<'a>) -> ApiResult<&'a Actor> {
    let r = req(ctx);
    r.actor
        .get_or_try_init(|| resolve_actor(reads(ctx), &r.auth))
        .await
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
    let r = req(ctx);
    Ok(r.loaders
        .get_or_init(|| async { Box::new(Loaders::new(reads(ctx), a.scope(), &r.dispatch)) })
        .await)
}

async fn resolve_actor(reads: Reads, auth: &Auth) -> ApiResult<Actor> {
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
    let mut tx = reads.begin_tenant(claims.acc).await?;
    let row = igny8_db::users::actor_row(&mut tx, claims.sub, claims.sid).await?;
    tx.done().await?;
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
        is_staff: row.is_staff,
    })
}
