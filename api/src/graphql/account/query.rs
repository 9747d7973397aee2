use super::types::{Account, Plan};
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

    /// The plans one can subscribe to (active ones), cheapest first.
    async fn plans(&self, ctx: &Context<'_>) -> Result<Vec<Plan>> {
        let c = crate::graphql::spine::caller(ctx).await?;
        c.run_in_account(async |tx| Ok(igny8_db::billing::active_plans(tx).await?))
            .await
            .map(|v| v.into_iter().map(Plan).collect())
    }
}
