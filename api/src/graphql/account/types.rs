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
    /// Plan credits left in the current period (part of `credits`; they
    /// expire at `periodEndsAt`, and are spent first).
    async fn plan_credits(&self) -> i64 {
        self.0.plan_credits
    }
    /// Purchased and granted credits (part of `credits`; they never expire).
    async fn purchased_credits(&self) -> i64 {
        self.0.credits_balance - self.0.plan_credits
    }
    /// When the current period ends: plan credits expire and the plan's
    /// credits for the next period are granted.
    async fn period_ends_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        let sub = read_tenant(&reads(ctx), self.0.id, async |tx| {
            Ok(igny8_db::billing::subscription(tx, self.0.id).await?)
        })
        .await?;
        Ok(sub.map(|s| s.current_period_end))
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
    /// Each limit of the plan with the account's current usage (sites 2 of 3 …).
    async fn limits(&self, ctx: &Context<'_>) -> Result<Vec<LimitUsage>> {
        let usage = read_tenant(&reads(ctx), self.0.id, async |tx| {
            Ok(igny8_db::billing::limit_usage(tx, self.0.id).await?)
        })
        .await?;
        Ok(usage
            .into_iter()
            .map(|(limit, max, usage)| LimitUsage { limit, max, usage })
            .collect())
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
    /// ISO 4217, lower case.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// `monthly` or `annual`: the length of a period (credits are granted
    /// per period: the monthly credits times its months).
    async fn billing_cycle(&self) -> &str {
        &self.0.billing_cycle
    }
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    /// The plan's limits (`max_sites`, `max_users`, `max_keywords`, …);
    /// a limit not listed is unlimited.
    async fn limits(&self) -> Vec<PlanLimitValue> {
        igny8_db::billing::plan_limits(&self.0)
            .into_iter()
            .map(|(limit, max)| PlanLimitValue { limit, max })
            .collect()
    }
}

#[derive(async_graphql::SimpleObject)]
pub struct PlanLimitValue {
    /// e.g. `max_sites`.
    pub limit: String,
    pub max: i64,
}

/// A limit of the account's plan and how much of it is used.
#[derive(async_graphql::SimpleObject)]
pub struct LimitUsage {
    /// e.g. `max_sites`.
    pub limit: String,
    pub max: i64,
    pub usage: i64,
}
