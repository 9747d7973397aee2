//! Payments: credit packages, payment requests (manual or Stripe), invoices
//! with gapless sequential numbers, and the one place a paid payment takes
//! effect (`confirm_payment`): the purchased pool is credited with one
//! `purchase` ledger entry, or the plan is applied, exactly once per payment
//! (the payment row's lock and its `pending` status decide; the ledger's
//! unique `(account, kind, reference)` backs it up).

use crate::error::{DbError, DbResult};
use chrono::{DateTime, Datelike, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// A credit package one can buy (platform data).
#[derive(Debug, Clone, QueryableByName)]
pub struct CreditPackage {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub credits: i64,
    #[diesel(sql_type = BigInt)]
    pub price_cents: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
}

const PACKAGE_COLS: &str = "id, slug, name, credits, price_cents, currency";

/// The active packages, smallest first.
pub async fn active_packages(conn: &mut AsyncPgConnection) -> DbResult<Vec<CreditPackage>> {
    Ok(diesel::sql_query(format!(
        "SELECT {PACKAGE_COLS} FROM credit_packages WHERE is_active ORDER BY credits, slug"
    ))
    .load(conn)
    .await?)
}

/// An active package by id.
pub async fn package(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<CreditPackage>> {
    Ok(diesel::sql_query(format!(
        "SELECT {PACKAGE_COLS} FROM credit_packages WHERE id = $1 AND is_active"
    ))
    .bind::<SqlUuid, _>(id)
    .get_result(conn)
    .await
    .optional()?)
}

/// A payment: a request to buy a package or a plan, and its fate.
#[derive(Debug, Clone, QueryableByName)]
pub struct Payment {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub account_id: Uuid,
    /// `package` or `plan`.
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub package_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub plan_id: Option<Uuid>,
    #[diesel(sql_type = BigInt)]
    pub credits: i64,
    #[diesel(sql_type = BigInt)]
    pub amount_cents: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// `pending`, `paid`, `void` or `failed`.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// `stripe` or `manual`.
    #[diesel(sql_type = Text)]
    pub provider: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub provider_checkout_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub provider_subscription_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub checkout_url: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub invoice_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub paid_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

const PAYMENT_COLS: &str = "id, account_id, kind, package_id, plan_id, credits, amount_cents, currency, status, \
     provider, provider_checkout_id, provider_subscription_id, checkout_url, invoice_id, paid_at, created_at";

/// An invoice.
#[derive(Debug, Clone, QueryableByName)]
pub struct Invoice {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub account_id: Uuid,
    /// `INV-<year>-<6 digits>`, sequential per platform and year, no gaps.
    #[diesel(sql_type = Text)]
    pub number: String,
    /// `[{description, quantity, unit_cents, amount_cents}]`
    #[diesel(sql_type = Jsonb)]
    pub lines: serde_json::Value,
    #[diesel(sql_type = BigInt)]
    pub subtotal_cents: i64,
    #[diesel(sql_type = BigInt)]
    pub total_cents: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// `open`, `paid` or `void`.
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub instructions: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub issued_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub paid_at: Option<DateTime<Utc>>,
}

const INVOICE_COLS: &str = "id, account_id, number, lines, subtotal_cents, total_cents, currency, status, \
     instructions, issued_at, paid_at";

/// What is being bought.
#[derive(Debug, Clone)]
pub enum Purchase {
    Package(CreditPackage),
    Plan(crate::models::Plan),
}

impl Purchase {
    pub fn kind(&self) -> &'static str {
        match self {
            Purchase::Package(_) => "package",
            Purchase::Plan(_) => "plan",
        }
    }
    pub fn amount_cents(&self) -> i64 {
        match self {
            Purchase::Package(p) => p.price_cents,
            Purchase::Plan(p) => p.price_cents,
        }
    }
    pub fn currency(&self) -> &str {
        match self {
            Purchase::Package(p) => &p.currency,
            Purchase::Plan(p) => &p.currency,
        }
    }
    /// The invoice line's text.
    pub fn description(&self) -> String {
        match self {
            Purchase::Package(p) => format!("{} (credit package, never expire)", p.name),
            Purchase::Plan(p) => format!(
                "{} plan, {} ({} credits a month)",
                p.name, p.billing_cycle, p.monthly_credits
            ),
        }
    }
}

/// A new payment for the caller's account (its tenant transaction).
pub struct NewPayment<'a> {
    pub account_id: Uuid,
    pub purchase: &'a Purchase,
    /// `manual` or `stripe`.
    pub provider: &'a str,
    pub requested_by: Option<Uuid>,
    /// Manual payments: the invoice's payment instructions; an open invoice
    /// is issued with the payment. Stripe: `None`, the invoice is issued
    /// when Stripe says it was paid.
    pub instructions: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// Records a pending payment (and, for manual payments, its open invoice).
pub async fn create_payment(
    conn: &mut AsyncPgConnection,
    new: NewPayment<'_>,
) -> DbResult<Payment> {
    let id = Uuid::now_v7();
    let invoice_id = match new.instructions {
        Some(text) => Some(
            issue_invoice(conn, new.account_id, new.purchase, Some(text), new.now)
                .await?
                .id,
        ),
        None => None,
    };
    let (package_id, plan_id, credits) = match new.purchase {
        Purchase::Package(p) => (Some(p.id), None, p.credits),
        Purchase::Plan(p) => (None, Some(p.id), 0),
    };
    Ok(diesel::sql_query(format!(
        "INSERT INTO payments (id, account_id, kind, package_id, plan_id, credits, amount_cents, currency,
                               provider, idempotency_key, invoice_id, requested_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         RETURNING {PAYMENT_COLS}"
    ))
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(new.account_id)
    .bind::<Text, _>(new.purchase.kind())
    .bind::<Nullable<SqlUuid>, _>(package_id)
    .bind::<Nullable<SqlUuid>, _>(plan_id)
    .bind::<BigInt, _>(credits)
    .bind::<BigInt, _>(new.purchase.amount_cents())
    .bind::<Text, _>(new.purchase.currency())
    .bind::<Text, _>(new.provider)
    .bind::<Text, _>(format!("payment:{id}"))
    .bind::<Nullable<SqlUuid>, _>(invoice_id)
    .bind::<Nullable<SqlUuid>, _>(new.requested_by)
    .bind::<Timestamptz, _>(new.now)
    .get_result(conn)
    .await?)
}

/// Issues an open invoice with one line for `purchase`, numbered from the
/// platform's counter in this transaction (gapless: a rollback gives the
/// number back; concurrent issuers queue on the counter row).
pub async fn issue_invoice(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    purchase: &Purchase,
    instructions: Option<&str>,
    now: DateTime<Utc>,
) -> DbResult<Invoice> {
    let amount = purchase.amount_cents();
    let lines = serde_json::json!([{
        "description": purchase.description(),
        "quantity": 1,
        "unit_cents": amount,
        "amount_cents": amount,
    }]);
    Ok(diesel::sql_query(format!(
        "INSERT INTO invoices (id, account_id, number, lines, subtotal_cents, total_cents, currency,
                               instructions, issued_at)
         VALUES ($1, $2, igny8_next_invoice_number($3), $4, $5, $5, $6, $7, $8)
         RETURNING {INVOICE_COLS}"
    ))
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<SqlUuid, _>(account_id)
    .bind::<diesel::sql_types::Integer, _>(now.year())
    .bind::<Jsonb, _>(lines)
    .bind::<BigInt, _>(amount)
    .bind::<Text, _>(purchase.currency())
    .bind::<Nullable<Text>, _>(instructions)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .await?)
}

/// A payment by id (row-level security scopes it in a tenant transaction).
pub async fn payment(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Payment>> {
    Ok(
        diesel::sql_query(format!("SELECT {PAYMENT_COLS} FROM payments WHERE id = $1"))
            .bind::<SqlUuid, _>(id)
            .get_result(conn)
            .await
            .optional()?,
    )
}

/// A payment by its Stripe Checkout Session id.
pub async fn payment_by_checkout(
    conn: &mut AsyncPgConnection,
    checkout: &str,
) -> DbResult<Option<Payment>> {
    Ok(diesel::sql_query(format!(
        "SELECT {PAYMENT_COLS} FROM payments WHERE provider_checkout_id = $1"
    ))
    .bind::<Text, _>(checkout)
    .get_result(conn)
    .await
    .optional()?)
}

/// Records the provider's checkout session for a pending payment.
pub async fn set_checkout(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    checkout_id: &str,
    url: &str,
) -> DbResult<Payment> {
    Ok(diesel::sql_query(format!(
        "UPDATE payments SET provider_checkout_id = $2, checkout_url = $3 WHERE id = $1 RETURNING {PAYMENT_COLS}"
    ))
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(checkout_id)
    .bind::<Text, _>(url)
    .get_result(conn)
    .await?)
}

/// An invoice by id (row-level security scopes it in a tenant transaction).
pub async fn invoice(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Invoice>> {
    Ok(
        diesel::sql_query(format!("SELECT {INVOICE_COLS} FROM invoices WHERE id = $1"))
            .bind::<SqlUuid, _>(id)
            .get_result(conn)
            .await
            .optional()?,
    )
}

/// The account's invoices, newest first: `limit` after the `(issued_at, id)`
/// cursor, if any.
pub async fn invoices(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> DbResult<Vec<Invoice>> {
    let (t, id) = after.unzip();
    Ok(diesel::sql_query(format!(
        "SELECT {INVOICE_COLS} FROM invoices
          WHERE account_id = $1 AND ($2::timestamptz IS NULL OR (issued_at, id) < ($2, $3))
          ORDER BY issued_at DESC, id DESC LIMIT $4"
    ))
    .bind::<SqlUuid, _>(account_id)
    .bind::<Nullable<Timestamptz>, _>(t)
    .bind::<Nullable<SqlUuid>, _>(id)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?)
}

/// What `confirm_payment` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// The payment is now paid: `credits` added to the purchased pool (a
    /// package) or the plan applied (`credits` 0).
    Applied { invoice_id: Uuid, credits: i64 },
    /// It was already paid: nothing done (a retry, a second confirmation).
    AlreadyPaid,
}

/// Marks a pending (or failed) payment paid and makes it take effect,
/// exactly once: its invoice (issued now if it has none) is marked paid,
/// a package credits the purchased pool with one `purchase` ledger entry
/// (`reference = payment:<id>`), a plan becomes the account's plan with a
/// new period starting now (unused plan credits expire, the new plan's are
/// granted: `billing::renew`). A void payment is `Conflict`, a missing one
/// `NotFound`. Runs in the caller's transaction: staff's or the webhook's
/// system transaction, or the account's own.
pub async fn confirm_payment(
    conn: &mut AsyncPgConnection,
    payment_id: Uuid,
    now: DateTime<Utc>,
) -> DbResult<Confirmed> {
    let p: Option<Payment> = diesel::sql_query(format!(
        "SELECT {PAYMENT_COLS} FROM payments WHERE id = $1 FOR UPDATE"
    ))
    .bind::<SqlUuid, _>(payment_id)
    .get_result(conn)
    .await
    .optional()?;
    let Some(p) = p else {
        return Err(DbError::NotFound);
    };
    match p.status.as_str() {
        "paid" => return Ok(Confirmed::AlreadyPaid),
        "void" => return Err(DbError::Conflict("the payment was voided".into())),
        _ => {}
    }
    let purchase = match (p.package_id, p.plan_id) {
        (Some(pk), _) => {
            let pkg: CreditPackage = diesel::sql_query(format!(
                "SELECT {PACKAGE_COLS} FROM credit_packages WHERE id = $1"
            ))
            .bind::<SqlUuid, _>(pk)
            .get_result(conn)
            .await?;
            // the price and credits paid for are the payment's
            Purchase::Package(CreditPackage {
                credits: p.credits,
                price_cents: p.amount_cents,
                currency: p.currency.clone(),
                ..pkg
            })
        }
        (None, Some(plan)) => {
            use crate::schema::plans::dsl as pl;
            let plan: crate::models::Plan = pl::plans
                .find(plan)
                .select(crate::models::Plan::as_select())
                .first(conn)
                .await?;
            Purchase::Plan(plan)
        }
        (None, None) => return Err(DbError::NotFound),
    };
    let invoice_id = match p.invoice_id {
        Some(id) => id,
        None => {
            issue_invoice(conn, p.account_id, &purchase, None, now)
                .await?
                .id
        }
    };
    diesel::sql_query(
        "UPDATE invoices SET status = 'paid', paid_at = $2 WHERE id = $1 AND status <> 'paid'",
    )
    .bind::<SqlUuid, _>(invoice_id)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "UPDATE payments SET status = 'paid', paid_at = $2, invoice_id = $3 WHERE id = $1",
    )
    .bind::<SqlUuid, _>(payment_id)
    .bind::<Timestamptz, _>(now)
    .bind::<SqlUuid, _>(invoice_id)
    .execute(conn)
    .await?;
    let credits = match &purchase {
        Purchase::Package(pkg) => {
            credit_purchased(
                conn,
                p.account_id,
                pkg.credits,
                &format!("{} purchased", pkg.name),
                &format!("payment:{payment_id}"),
                now,
            )
            .await?;
            pkg.credits
        }
        Purchase::Plan(plan) => {
            apply_plan(conn, p.account_id, plan.id, now).await?;
            0
        }
    };
    Ok(Confirmed::Applied {
        invoice_id,
        credits,
    })
}

/// Adds `amount` to the account's purchased pool with one `purchase` ledger
/// entry (`reference` unique per account: a replay fails, nothing added).
pub async fn credit_purchased(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    amount: i64,
    description: &str,
    reference: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    let n = diesel::sql_query(
        "WITH a AS (UPDATE accounts SET credits_balance = credits_balance + $2 WHERE id = $1 RETURNING credits_balance)
         INSERT INTO credit_transactions (id, account_id, kind, amount, plan_amount, purchased_amount,
                                          balance_after, description, reference, created_at)
         SELECT $3, $1, 'purchase', $2, 0, $2, a.credits_balance, $4, $5, $6 FROM a",
    )
    .bind::<SqlUuid, _>(account_id)
    .bind::<BigInt, _>(amount)
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(description)
    .bind::<Text, _>(reference)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Makes `plan` the account's plan now: the current period ends now (its
/// unused plan credits expire) and the new plan's first period starts, its
/// credits granted (`billing::renew` does both, once per period end).
pub async fn apply_plan(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    plan: Uuid,
    now: DateTime<Utc>,
) -> DbResult<()> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let sub: Id = diesel::sql_query(
        "INSERT INTO subscriptions (id, account_id, plan_id, status, current_period_start, current_period_end)
         VALUES ($1, $2, $3, 'active', $4, $4)
         ON CONFLICT (account_id) DO UPDATE
           SET pending_plan_id = EXCLUDED.plan_id, current_period_end = EXCLUDED.current_period_end,
               status = 'active', past_due_since = NULL
         RETURNING id",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<SqlUuid, _>(account_id)
    .bind::<SqlUuid, _>(plan)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .await?;
    match crate::billing::renew(conn, sub.id, now, now).await? {
        crate::billing::Renewal::Renewed { .. } => Ok(()),
        _ => Err(DbError::Conflict(
            "the subscription changed while applying the plan".into(),
        )),
    }
}

/// Voids a pending (or failed) payment and its open invoice. A paid payment
/// is `Conflict` (refunds are not automatic); voiding twice is a no-op.
pub async fn void_payment(
    conn: &mut AsyncPgConnection,
    payment_id: Uuid,
    now: DateTime<Utc>,
) -> DbResult<Payment> {
    let p: Option<Payment> = diesel::sql_query(format!(
        "SELECT {PAYMENT_COLS} FROM payments WHERE id = $1 FOR UPDATE"
    ))
    .bind::<SqlUuid, _>(payment_id)
    .get_result(conn)
    .await
    .optional()?;
    let Some(p) = p else {
        return Err(DbError::NotFound);
    };
    match p.status.as_str() {
        "void" => return Ok(p),
        "paid" => return Err(DbError::Conflict("a paid payment cannot be voided".into())),
        _ => {}
    }
    if let Some(inv) = p.invoice_id {
        diesel::sql_query(
            "UPDATE invoices SET status = 'void', voided_at = $2 WHERE id = $1 AND status = 'open'",
        )
        .bind::<SqlUuid, _>(inv)
        .bind::<Timestamptz, _>(now)
        .execute(conn)
        .await?;
    }
    Ok(diesel::sql_query(format!(
        "UPDATE payments SET status = 'void' WHERE id = $1 RETURNING {PAYMENT_COLS}"
    ))
    .bind::<SqlUuid, _>(payment_id)
    .get_result(conn)
    .await?)
}

/// Marks a payment failed (Stripe said so); a paid or void one is left alone.
pub async fn fail_payment(conn: &mut AsyncPgConnection, payment_id: Uuid) -> DbResult<()> {
    diesel::sql_query("UPDATE payments SET status = 'failed' WHERE id = $1 AND status = 'pending'")
        .bind::<SqlUuid, _>(payment_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a Stripe event id; `false` when it was seen before (skip it).
pub async fn record_stripe_event(
    conn: &mut AsyncPgConnection,
    id: &str,
    kind: &str,
) -> DbResult<bool> {
    let n = diesel::sql_query(
        "INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind::<Text, _>(id)
    .bind::<Text, _>(kind)
    .execute(conn)
    .await?;
    Ok(n == 1)
}
