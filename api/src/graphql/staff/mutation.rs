use super::query::with_plans;
use super::types::{AdminAccountChange, AuditAction, AuditEntry, CreditAdjustment};
use crate::error::{ApiError, ApiResult, not_found};
use crate::graphql::account::types::AccountStatus;
use crate::graphql::spine::{parse_id, staff_caller};
use async_graphql::{Context, ID, InputObject, Object, Result};
use igny8_core::credits::AdjustmentError;
use igny8_db::DbError;
use serde_json::json;

#[derive(Default)]
pub struct StaffMutation;

#[derive(InputObject)]
pub struct AdminAdjustCreditsInput {
    pub account_id: ID,
    /// Credits to add (a bonus, never expiring) or, negative, to take back
    /// (purchased credits first, then plan credits); never below zero.
    pub amount: i64,
    /// Why: required, shown in the ledger and the audit log.
    pub reason: String,
}

#[derive(InputObject)]
pub struct AdminSetPlanInput {
    pub account_id: ID,
    pub plan_slug: String,
    pub reason: Option<String>,
}

#[derive(InputObject)]
pub struct AdminSetAccountStatusInput {
    pub account_id: ID,
    /// SUSPENDED to suspend (its users are refused with FORBIDDEN), ACTIVE
    /// to reactivate.
    pub status: AccountStatus,
    pub reason: Option<String>,
}

#[derive(InputObject)]
pub struct AdminPaymentInput {
    pub payment_id: ID,
    pub reason: Option<String>,
}

const REASON_MAX_CHARS: usize = 500;
const ADJUSTMENT_MAX: i64 = 1_000_000_000;

fn reason(field: &str, raw: Option<&str>, required: bool) -> ApiResult<Option<String>> {
    let r = raw.map(str::trim).filter(|r| !r.is_empty());
    match r {
        None if required => Err(ApiError::bad_input(field, "a reason is required")),
        Some(r) if r.chars().count() > REASON_MAX_CHARS => Err(ApiError::bad_input(
            field,
            format!("must be at most {REASON_MAX_CHARS} characters"),
        )),
        r => Ok(r.map(str::to_owned)),
    }
}

#[Object]
impl StaffMutation {
    /// Adds or takes back credits of an account (staff only), with an
    /// `ADJUSTMENT` ledger entry and an audit entry. Taking more than is
    /// available (balance − held) is refused with `INSUFFICIENT_CREDITS`.
    async fn admin_adjust_credits(
        &self,
        ctx: &Context<'_>,
        input: AdminAdjustCreditsInput,
    ) -> Result<CreditAdjustment> {
        let s = staff_caller(ctx).await?;
        let account = parse_id("accountId", &input.account_id)?;
        let why = reason("reason", Some(&input.reason), true)?.unwrap_or_default();
        if input.amount == 0 || input.amount.abs() > ADJUSTMENT_MAX {
            return Err(ApiError::bad_input(
                "amount",
                format!(
                    "must be a non-zero number of credits, at most {ADJUSTMENT_MAX} either way"
                ),
            )
            .into());
        }
        s.run(async |tx| {
            let who = s.audit_actor(tx).await?;
            let description = format!("Staff adjustment: {why}");
            let adjusted = igny8_db::staff::adjust_credits(tx, account, input.amount, &description)
                .await
                .map_err(not_found("account"))?
                .map_err(|e| match e {
                    AdjustmentError::BelowZero { available, taken } => {
                        ApiError::InsufficientCredits(format!(
                            "the account has {available} credits available; taking {taken} would leave it below zero"
                        ))
                    }
                    AdjustmentError::Zero => ApiError::bad_input("amount", e.to_string()),
                })?;
            let (before, mut after) = igny8_db::staff::adjusted_json(&adjusted);
            after["amount"] = json!(input.amount);
            let entry = igny8_db::staff::audit(
                tx,
                &who,
                account,
                AuditAction::AdjustCredits.as_str(),
                Some(&why),
                before,
                after,
            )
            .await?;
            let summary = igny8_db::staff::account(tx, account).await?;
            Ok(CreditAdjustment {
                account: with_plans(tx, vec![summary]).await?.remove(0),
                transaction: adjusted.transaction.into(),
                audit: AuditEntry::from(entry),
            })
        })
        .await
    }

    /// Moves an account to another plan now (staff only): limits apply at
    /// once; the new plan's credits come with the next period. Any plan
    /// but the platform's own, active or not.
    async fn admin_set_plan(
        &self,
        ctx: &Context<'_>,
        input: AdminSetPlanInput,
    ) -> Result<AdminAccountChange> {
        let s = staff_caller(ctx).await?;
        let account = parse_id("accountId", &input.account_id)?;
        let why = reason("reason", input.reason.as_deref(), false)?;
        let slug = input.plan_slug.trim().to_owned();
        s.run(async |tx| {
            let who = s.audit_actor(tx).await?;
            let (before, after) = igny8_db::staff::set_plan(tx, account, &slug)
                .await
                .map_err(|e| match e {
                    DbError::InvalidReference(_) => {
                        ApiError::bad_input("planSlug", format!("no plan {slug:?}"))
                    }
                    other => not_found("account")(other),
                })?;
            let entry = igny8_db::staff::audit(
                tx,
                &who,
                account,
                AuditAction::SetPlan.as_str(),
                why.as_deref(),
                json!({"plan": before}),
                json!({"plan": after}),
            )
            .await?;
            let summary = igny8_db::staff::account(tx, account).await?;
            Ok(AdminAccountChange {
                account: with_plans(tx, vec![summary]).await?.remove(0),
                audit: AuditEntry::from(entry),
            })
        })
        .await
    }

    /// Suspends or reactivates an account (staff only).
    async fn admin_set_account_status(
        &self,
        ctx: &Context<'_>,
        input: AdminSetAccountStatusInput,
    ) -> Result<AdminAccountChange> {
        let s = staff_caller(ctx).await?;
        let account = parse_id("accountId", &input.account_id)?;
        let why = reason("reason", input.reason.as_deref(), false)?;
        let status = igny8_core::AccountStatus::from(input.status).as_str();
        s.run(async |tx| {
            let who = s.audit_actor(tx).await?;
            let before = igny8_db::staff::set_status(tx, account, status)
                .await
                .map_err(not_found("account"))?;
            let entry = igny8_db::staff::audit(
                tx,
                &who,
                account,
                AuditAction::SetAccountStatus.as_str(),
                why.as_deref(),
                json!({"status": before}),
                json!({"status": status}),
            )
            .await?;
            let summary = igny8_db::staff::account(tx, account).await?;
            Ok(AdminAccountChange {
                account: with_plans(tx, vec![summary]).await?.remove(0),
                audit: AuditEntry::from(entry),
            })
        })
        .await
    }
    /// Confirms a manual payment (staff only) once the money arrived: its
    /// invoice is paid and a package's credits reach the purchased pool (one
    /// `PURCHASE` entry), or the plan applies. Confirming a paid payment
    /// again changes nothing; a voided one is a `CONFLICT`.
    async fn admin_confirm_payment(
        &self,
        ctx: &Context<'_>,
        input: AdminPaymentInput,
    ) -> Result<AdminAccountChange> {
        self.payment_change(ctx, input, AuditAction::ConfirmPayment)
            .await
    }

    /// Voids a pending manual payment and its open invoice (staff only);
    /// a paid payment cannot be voided (`CONFLICT`).
    async fn admin_void_payment(
        &self,
        ctx: &Context<'_>,
        input: AdminPaymentInput,
    ) -> Result<AdminAccountChange> {
        self.payment_change(ctx, input, AuditAction::VoidPayment)
            .await
    }
}

impl StaffMutation {
    async fn payment_change(
        &self,
        ctx: &Context<'_>,
        input: AdminPaymentInput,
        action: AuditAction,
    ) -> Result<AdminAccountChange> {
        let s = staff_caller(ctx).await?;
        let id = parse_id("paymentId", &input.payment_id)?;
        let why = reason("reason", input.reason.as_deref(), false)?;
        s.run(async |tx| {
            let who = s.audit_actor(tx).await?;
            let before = igny8_db::payments::payment(tx, id)
                .await?
                .ok_or(ApiError::NotFound("payment"))?;
            let now = chrono::Utc::now();
            let after = match action {
                AuditAction::ConfirmPayment => {
                    match igny8_db::payments::confirm_payment(tx, id, now).await? {
                        igny8_db::payments::Confirmed::Applied { credits, .. } => {
                            json!({"status": "paid", "credits": credits})
                        }
                        igny8_db::payments::Confirmed::AlreadyPaid => json!({"status": "paid"}),
                    }
                }
                _ => {
                    let p = igny8_db::payments::void_payment(tx, id, now).await?;
                    json!({"status": p.status})
                }
            };
            let entry = igny8_db::staff::audit(
                tx,
                &who,
                before.account_id,
                action.as_str(),
                why.as_deref(),
                json!({"payment": id, "status": before.status, "amountCents": before.amount_cents, "currency": before.currency}),
                after,
            )
            .await?;
            let summary = igny8_db::staff::account(tx, before.account_id).await?;
            Ok(AdminAccountChange {
                account: with_plans(tx, vec![summary]).await?.remove(0),
                audit: AuditEntry::from(entry),
            })
        })
        .await
    }
}
