use crate::graphql::account::types::{AccountStatus, Plan};
use async_graphql::{Enum, ID, Json, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_db::staff::{AccountSummary, AuditEntry as Entry};

/// An account as platform staff see it: billing data, never content.
#[derive(SimpleObject)]
pub struct AdminAccount {
    pub id: ID,
    pub name: String,
    pub slug: String,
    pub status: AccountStatus,
    pub plan: Plan,
    /// The balance: `planCredits` + `purchasedCredits`.
    pub credits: i64,
    pub plan_credits: i64,
    pub purchased_credits: i64,
    pub credits_held: i64,
    pub period_ends_at: Option<DateTime<Utc>>,
    /// The account's first owner.
    pub owner_email: Option<String>,
    pub usage: AdminUsageSummary,
    pub created_at: DateTime<Utc>,
}

/// What an account used and holds, in numbers.
#[derive(SimpleObject)]
pub struct AdminUsageSummary {
    /// Credits charged for AI work in the current period.
    pub credits_this_period: i64,
    /// Credits charged for AI work, ever.
    pub credits_total: i64,
    pub sites: i64,
    /// Active users.
    pub users: i64,
}

impl AdminAccount {
    pub fn new(a: AccountSummary, plan: igny8_db::models::Plan) -> Self {
        AdminAccount {
            id: a.id.into(),
            name: a.name,
            slug: a.slug,
            status: a
                .status
                .parse::<igny8_core::AccountStatus>()
                .unwrap_or(igny8_core::AccountStatus::Suspended)
                .into(),
            plan: Plan(plan),
            credits: a.credits_balance,
            plan_credits: a.plan_credits,
            purchased_credits: a.credits_balance - a.plan_credits,
            credits_held: a.credits_held,
            period_ends_at: a.period_end,
            owner_email: a.owner_email,
            usage: AdminUsageSummary {
                credits_this_period: a.used_this_period,
                credits_total: a.used_total,
                sites: a.sites,
                users: a.users,
            },
            created_at: a.created_at,
        }
    }
}

/// What a staff member did.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AuditAction {
    AdjustCredits,
    SetPlan,
    SetAccountStatus,
    ConfirmPayment,
    VoidPayment,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::AdjustCredits => "adjust_credits",
            AuditAction::SetPlan => "set_plan",
            AuditAction::SetAccountStatus => "set_account_status",
            AuditAction::ConfirmPayment => "confirm_payment",
            AuditAction::VoidPayment => "void_payment",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            AuditAction::AdjustCredits,
            AuditAction::SetPlan,
            AuditAction::SetAccountStatus,
            AuditAction::ConfirmPayment,
            AuditAction::VoidPayment,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One staff action on an account: who, what, the state before and after
/// (JSON), when.
#[derive(SimpleObject)]
pub struct AuditEntry {
    pub id: ID,
    pub account_id: ID,
    /// The staff member (their email when it was done).
    pub actor_email: String,
    pub action: AuditAction,
    pub reason: Option<String>,
    pub before: Json<serde_json::Value>,
    pub after: Json<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

impl From<Entry> for AuditEntry {
    fn from(e: Entry) -> Self {
        AuditEntry {
            id: e.id.into(),
            account_id: e.account_id.into(),
            actor_email: e.actor_email,
            action: AuditAction::parse(&e.action).unwrap_or(AuditAction::AdjustCredits),
            reason: e.reason,
            before: Json(e.before),
            after: Json(e.after),
            created_at: e.created_at,
        }
    }
}

/// What `adminAdjustCredits` did.
#[derive(SimpleObject)]
pub struct CreditAdjustment {
    pub account: AdminAccount,
    pub transaction: crate::graphql::jobs::types::CreditTransaction,
    pub audit: AuditEntry,
}

/// What `adminSetPlan` / `adminSetAccountStatus` did.
#[derive(SimpleObject)]
pub struct AdminAccountChange {
    pub account: AdminAccount,
    pub audit: AuditEntry,
}
