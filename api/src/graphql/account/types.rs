use crate::graphql::context::reads;
use crate::graphql::spine::read_tenant;
use async_graphql::{Context, Enum, ID, Object, Result};
use chrono::{DateTime, Utc};
use igny8_db::models;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "igny8_core::AccountStatus")]
pub enum AccountStatus {
    Active,
    Trial,
    Suspended,
    Cancelled,
}

pub struct Account(pub models::Account);

#[Object]
impl Account {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn status(&self) -> AccountStatus {
        self.0
            .status
            .parse::<igny8_core::AccountStatus>()
            .unwrap_or(igny8_core::AccountStatus::Suspended)
            .into()
    }
    /// The credit balance.
    async fn credits(&self) -> i64 {
        self.0.credits_balance
    }
    /// Credits held by queued and running jobs.
    async fn credits_held(&self) -> i64 {
        self.0.credits_held
    }
    /// What new work may spend: balance − held.
    async fn credits_available(&self) -> i64 {
        self.0.credits_balance - self.0.credits_held
    }
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let plan = read_tenant(&reads(ctx), self.0.id, async |tx| {
            Ok(igny8_db::accounts::plan(tx, self.0.plan_id).await?)
        })
        .await?;
        Ok(Plan(plan))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct Plan(pub models::Plan);

#[Object]
impl Plan {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn monthly_credits(&self) -> i64 {
        self.0.monthly_credits
    }
    async fn price_cents(&self) -> i64 {
        self.0.price_cents
    }
}
