use super::types::Account;
use crate::error::ApiError;
use crate::graphql::context::{actor, loaders};
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The caller's account.
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        let a = actor(ctx).await?;
        let acc = loaders(ctx).await?.accounts.load_one(a.account_id).await?;
        acc.map(Account)
            .ok_or_else(|| ApiError::NotFound("account").into())
    }
}
