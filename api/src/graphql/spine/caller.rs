//! The caller of a resolver and its unit of work: one transaction, begun
//! for the caller's scope, committed when the work succeeds and rolled back
//! (dropped) when it fails.

use crate::error::ApiResult;
use crate::graphql::context::{actor, db};
use async_graphql::Context;
use igny8_core::{Actor, Scope};
use igny8_db::{Db, DbResult, Tx};

/// Who asks, what they may see, and where their transactions begin.
pub struct Caller<'a> {
    pub actor: &'a Actor,
    /// The actor's scope: its account (none for developers) and sites.
    pub scope: Scope,
    db: &'a Db,
}

/// The caller of this request; `UNAUTHENTICATED` without a valid token,
/// `FORBIDDEN` when its account is suspended or cancelled.
pub async fn caller<'a>(ctx: &Context<'a>) -> ApiResult<Caller<'a>> {
    let actor = actor(ctx).await?;
    Ok(Caller {
        actor,
        scope: actor.scope(),
        db: db(ctx),
    })
}

impl Caller<'_> {
    /// Runs `work` in one transaction of the caller's scope (row-level
    /// security on the account; the system role for developers, whose
    /// scope crosses accounts).
    pub async fn run<T>(
        &self,
        work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
    ) -> async_graphql::Result<T> {
        Ok(unit_of_work(self.db.begin(&self.scope).await, work).await?)
    }

    /// Runs `work` in one transaction of the caller's own account, whatever
    /// its role: account configuration (prompts, profiles, new sites) is
    /// always the actor's account's, developers included.
    pub async fn run_in_account<T>(
        &self,
        work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
    ) -> async_graphql::Result<T> {
        let tx = self.db.begin_tenant(self.actor.account_id).await;
        Ok(unit_of_work(tx, work).await?)
    }
}

/// Errors stay `ApiError` until the resolver returns: a `DbError` turned
/// into a GraphQL error directly would lose its code.
async fn unit_of_work<T>(
    tx: DbResult<Tx>,
    work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
) -> ApiResult<T> {
    let mut tx = tx?;
    // an Err returns here and drops `tx`, which rolls it back
    let out = work(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}
