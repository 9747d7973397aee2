use super::types::IntegrationSettings;
use crate::error::{ApiResult, gql};
use crate::graphql::context::{actor, db, ensure_account_admin};
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

#[Object]
impl IntegrationsQuery {
    /// The account's providers, models and key status (owner/admin).
    async fn integration_settings(&self, ctx: &Context<'_>) -> Result<IntegrationSettings> {
        let a = actor(ctx).await?;
        ensure_admin(a)?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let row = igny8_db::integrations::get(&mut tx, a.account_id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        let effective = providers(ctx).effective(row.as_ref());
        Ok(IntegrationSettings { row, effective })
    }
}
