use super::types::User;
use crate::error::ApiResult;
use crate::graphql::context::{any_actor, reads};
use crate::graphql::spine::read_tenant;
use async_graphql::{Context, Object, Result};
use igny8_core::{Actor, Scope};
use igny8_db::Reads;

#[derive(Default)]
pub struct AuthQuery;

/// The caller's own user row, whatever the state of its account.
pub async fn own_user(reads: &Reads, a: &Actor) -> ApiResult<igny8_db::models::User> {
    read_tenant(reads, a.account_id, async |tx| {
        Ok(igny8_db::users::get(tx, &Scope::account(a.account_id), a.user_id).await?)
    })
    .await
}

#[Object]
impl AuthQuery {
    /// The signed-in user. Answers even for suspended accounts (TEN-5).
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        let a = any_actor(ctx).await?;
        Ok(User::of(own_user(&reads(ctx), a).await?))
    }
}
