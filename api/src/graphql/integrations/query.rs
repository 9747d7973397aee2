use super::types::IntegrationSettings;
use crate::error::ApiResult;
use crate::graphql::spine::{Caller, caller, ensure_account_admin};
use async_graphql::{Context, Object, Result};
use igny8_core::Actor;
use igny8_jobs::settings::Providers;
use std::sync::Arc;

#[derive(Default)]
pub struct IntegrationsQuery;

/// Integration settings are the account's keys: owners and admins only.
pub fn ensure_admin(a: &Actor) -> ApiResult<()> {
    ensure_account_admin(a, "see or change integration settings")
}

pub fn providers<'a>(ctx: &async_graphql::Context<'a>) -> &'a Providers {
    ctx.data_unchecked::<Arc<Providers>>()
}

/// The account's stored settings (none before its first change).
pub async fn stored(c: &Caller<'_>) -> Result<Option<igny8_db::models::IntegrationSettings>> {
    let account = c.actor.account_id;
    c.read_in_account(async |tx| Ok(igny8_db::integrations::get(tx, account).await?))
        .await
}

#[Object]
impl IntegrationsQuery {
    /// The account's providers, models and key status (owner/admin).
    async fn integration_settings(&self, ctx: &Context<'_>) -> Result<IntegrationSettings> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let row = stored(&c).await?;
        let effective = providers(ctx).effective(row.as_ref());
        Ok(IntegrationSettings { row, effective })
    }
}
