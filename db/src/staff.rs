//! Platform staff and what they do to accounts: the staff members (users of
//! the one platform account, on the `staff` plan), the accounts list they
//! search, credit adjustments, plan and status changes, and the audit log
//! every one of those writes.
//!
//! Everything here but [`audit_entries`] for an owner runs in a system
//! transaction (`igny8_system`, row-level security bypassed): staff work
//! across accounts by design, and see billing data only — the functions
//! read accounts, plans, subscriptions, the ledger and usage sums, never
//! tenant content.

use crate::Listed;
use crate::error::{DbError, DbResult};
use crate::models::CreditTransaction;
use crate::schema::{audit_log, credit_transactions, staff_members, users};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::credits::{AdjustmentError, Pools, split_adjustment};
use igny8_core::page::PageArgs;
use serde_json::{Value, json};
use uuid::Uuid;

/// The slug of the platform account's plan (inactive, no limits, no credits).
pub const STAFF_PLAN: &str = "staff";

/// Creates a staff member: a user of the platform account (created with
/// it on first use) with the tenant role `viewer` and no site grants, and
/// its `staff_members` row. System transaction. A taken email is a
/// conflict on `users_email_key`.
pub async fn create_staff(
    conn: &mut AsyncPgConnection,
    email: &str,
    password_hash: &str,
) -> DbResult<Uuid> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    // one platform account even if two create-staff runs race
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('igny8.platform_account'))")
        .execute(conn)
        .await?;
    let existing: Option<Id> = diesel::sql_query(
        "SELECT a.id FROM accounts a JOIN plans p ON p.id = a.plan_id WHERE p.slug = $1
          ORDER BY a.created_at LIMIT 1",
    )
    .bind::<Text, _>(STAFF_PLAN)
    .get_result(conn)
    .await
    .optional()?;
    let account_id = match existing {
        Some(a) => a.id,
        None => {
            let id = Uuid::now_v7();
            diesel::sql_query(
                "INSERT INTO accounts (id, name, slug, status, plan_id, credits_balance, plan_credits)
                 SELECT $1, 'igny8 staff', 'igny8-staff-' || left(replace($1::text, '-', ''), 12),
                        'active', p.id, 0, 0
                   FROM plans p WHERE p.slug = $2",
            )
            .bind::<SqlUuid, _>(id)
            .bind::<Text, _>(STAFF_PLAN)
            .execute(conn)
            .await?;
            id
        }
    };
    let user_id = Uuid::now_v7();
    let now = Utc::now();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(user_id),
            users::account_id.eq(account_id),
            users::email.eq(email.trim().to_lowercase()),
            users::password_hash.eq(password_hash),
            users::role.eq("viewer"),
            users::email_verified_at.eq(Some(now)),
        ))
        .execute(conn)
        .await?;
    diesel::insert_into(staff_members::table)
        .values((
            staff_members::user_id.eq(user_id),
            staff_members::account_id.eq(account_id),
        ))
        .execute(conn)
        .await?;
    Ok(user_id)
}

/// An account as staff see it: billing facts, no content.
#[derive(Debug, Clone, QueryableByName)]
pub struct AccountSummary {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = SqlUuid)]
    pub plan_id: Uuid,
    #[diesel(sql_type = BigInt)]
    pub credits_balance: i64,
    #[diesel(sql_type = BigInt)]
    pub plan_credits: i64,
    #[diesel(sql_type = BigInt)]
    pub credits_held: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub period_start: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub period_end: Option<DateTime<Utc>>,
    /// The first owner's email.
    #[diesel(sql_type = Nullable<Text>)]
    pub owner_email: Option<String>,
    /// Credits charged for AI work in the current period.
    #[diesel(sql_type = BigInt)]
    pub used_this_period: i64,
    #[diesel(sql_type = BigInt)]
    pub used_total: i64,
    #[diesel(sql_type = BigInt)]
    pub sites: i64,
    #[diesel(sql_type = BigInt)]
    pub users: i64,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

const SUMMARY: &str = "
SELECT a.id, a.name, a.slug, a.status, a.plan_id, a.credits_balance, a.plan_credits, a.credits_held,
       s.current_period_start AS period_start, s.current_period_end AS period_end,
       (SELECT u.email FROM users u WHERE u.account_id = a.id AND u.role = 'owner'
         ORDER BY u.created_at, u.id LIMIT 1) AS owner_email,
       (SELECT COALESCE(sum(l.credits), 0)::bigint FROM credit_usage_logs l
         WHERE l.account_id = a.id AND l.created_at >= COALESCE(s.current_period_start, a.created_at)) AS used_this_period,
       (SELECT COALESCE(sum(l.credits), 0)::bigint FROM credit_usage_logs l WHERE l.account_id = a.id) AS used_total,
       (SELECT count(*) FROM sites x WHERE x.account_id = a.id) AS sites,
       (SELECT count(*) FROM users x WHERE x.account_id = a.id AND x.is_active) AS users,
       a.created_at
  FROM accounts a
  JOIN plans p ON p.id = a.plan_id
  LEFT JOIN subscriptions s ON s.account_id = a.id
 WHERE p.slug <> 'staff'";

/// `%` and `_` matched literally in an `ILIKE` pattern.
fn contains_pattern(search: &str) -> String {
    let escaped = search
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

const SEARCH: &str =
    " AND ($1::text IS NULL OR a.name ILIKE $1 OR a.slug ILIKE $1 OR a.id::text = $2
       OR EXISTS (SELECT 1 FROM users u WHERE u.account_id = a.id AND u.email ILIKE $1))";

/// Tenant accounts (never the platform account), newest first, whose name,
/// slug, id or a user's email matches `search`. System transaction.
pub async fn accounts(
    conn: &mut AsyncPgConnection,
    search: Option<&str>,
    args: &PageArgs,
) -> DbResult<Listed<AccountSummary>> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    let pattern = search.map(contains_pattern);
    let exact = search.map(str::to_lowercase);
    let total: N = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM accounts a JOIN plans p ON p.id = a.plan_id WHERE p.slug <> 'staff' {SEARCH}"
    ))
    .bind::<Nullable<Text>, _>(pattern.clone())
    .bind::<Nullable<Text>, _>(exact.clone())
    .get_result(conn)
    .await?;
    let page = args.window(total.n);
    let rows = diesel::sql_query(format!(
        "{SUMMARY} {SEARCH} ORDER BY a.created_at DESC, a.id DESC OFFSET $3 LIMIT $4"
    ))
    .bind::<Nullable<Text>, _>(pattern)
    .bind::<Nullable<Text>, _>(exact)
    .bind::<BigInt, _>(page.offset)
    .bind::<BigInt, _>(page.limit)
    .load(conn)
    .await?;
    Ok(Listed {
        rows,
        page,
        total: total.n,
    })
}

/// One tenant account's summary; the platform account or a missing id is
/// `NotFound`. System transaction.
pub async fn account(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<AccountSummary> {
    Ok(diesel::sql_query(format!("{SUMMARY} AND a.id = $1"))
        .bind::<SqlUuid, _>(id)
        .get_result(conn)
        .await?)
}

/// Who did it, for the audit log.
#[derive(Debug, Clone)]
pub struct StaffActor {
    pub user_id: Uuid,
    pub email: String,
}

/// The email of a staff member (for the audit log).
pub async fn staff_email(conn: &mut AsyncPgConnection, user_id: Uuid) -> DbResult<String> {
    Ok(users::table
        .filter(users::id.eq(user_id))
        .select(users::email)
        .first(conn)
        .await?)
}

/// One audit log entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: Uuid,
    pub account_id: Uuid,
    pub actor_user_id: Option<Uuid>,
    pub actor_email: String,
    pub action: String,
    pub reason: Option<String>,
    pub before: Value,
    pub after: Value,
    pub created_at: DateTime<Utc>,
}

/// Records what `who` did to `account_id`, in the same transaction as the
/// change itself (no change without its entry, no entry without its change).
pub async fn audit(
    conn: &mut AsyncPgConnection,
    who: &StaffActor,
    account_id: Uuid,
    action: &str,
    reason: Option<&str>,
    before: Value,
    after: Value,
) -> DbResult<AuditEntry> {
    Ok(diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(Uuid::now_v7()),
            audit_log::account_id.eq(account_id),
            audit_log::actor_user_id.eq(Some(who.user_id)),
            audit_log::actor_email.eq(&who.email),
            audit_log::action.eq(action),
            audit_log::reason.eq(reason),
            audit_log::before.eq(before),
            audit_log::after.eq(after),
        ))
        .returning(AuditEntry::as_returning())
        .get_result(conn)
        .await?)
}

/// Audit entries newest first: of one account, or of every account
/// (`None`, staff only, system transaction). An owner's read runs in their
/// tenant transaction with their account id, so both walls apply.
pub async fn audit_entries(
    conn: &mut AsyncPgConnection,
    account_id: Option<Uuid>,
    args: &PageArgs,
) -> DbResult<Listed<AuditEntry>> {
    let base = || {
        let mut q = audit_log::table.into_boxed();
        if let Some(a) = account_id {
            q = q.filter(audit_log::account_id.eq(a));
        }
        q
    };
    let total: i64 = base().count().get_result(conn).await?;
    let page = args.window(total);
    let rows = base()
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .offset(page.offset)
        .limit(page.limit)
        .select(AuditEntry::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}

#[derive(QueryableByName)]
struct LockedPools {
    #[diesel(sql_type = BigInt)]
    credits_balance: i64,
    #[diesel(sql_type = BigInt)]
    plan_credits: i64,
    #[diesel(sql_type = BigInt)]
    credits_held: i64,
}

fn pools_json(p: Pools) -> Value {
    json!({
        "credits": p.balance,
        "planCredits": p.plan,
        "purchasedCredits": p.purchased(),
        "creditsHeld": p.held,
    })
}

/// What an adjustment did.
#[derive(Debug, Clone)]
pub struct Adjusted {
    pub before: Pools,
    pub after: Pools,
    pub transaction: CreditTransaction,
}

/// Adds (or takes back, when negative) `amount` credits of a tenant
/// account under its row lock, split between the pools by
/// [`split_adjustment`], with an `adjustment` ledger entry. Refused (and
/// nothing written) when it would leave less than nothing available.
pub async fn adjust_credits(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    amount: i64,
    description: &str,
) -> DbResult<Result<Adjusted, AdjustmentError>> {
    let locked: LockedPools = diesel::sql_query(
        "SELECT a.credits_balance, a.plan_credits, a.credits_held
           FROM accounts a JOIN plans p ON p.id = a.plan_id
          WHERE a.id = $1 AND p.slug <> 'staff' FOR UPDATE OF a",
    )
    .bind::<SqlUuid, _>(account_id)
    .get_result(conn)
    .await?;
    let before = Pools {
        balance: locked.credits_balance,
        plan: locked.plan_credits,
        held: locked.credits_held,
    };
    let split = match split_adjustment(before, amount) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let after = Pools {
        balance: before.balance + amount,
        plan: before.plan + split.plan,
        held: before.held,
    };
    diesel::sql_query(
        "UPDATE accounts SET credits_balance = credits_balance + $2, plan_credits = plan_credits + $3 WHERE id = $1",
    )
    .bind::<SqlUuid, _>(account_id)
    .bind::<BigInt, _>(amount)
    .bind::<BigInt, _>(split.plan)
    .execute(conn)
    .await?;
    let transaction = CreditTransaction {
        id: Uuid::now_v7(),
        account_id,
        kind: "adjustment".into(),
        amount,
        balance_after: after.balance,
        description: description.to_owned(),
        reference: None,
        created_at: Utc::now(),
        plan_amount: split.plan,
        purchased_amount: split.purchased,
    };
    diesel::insert_into(credit_transactions::table)
        .values(&transaction)
        .execute(conn)
        .await?;
    Ok(Ok(Adjusted {
        before,
        after,
        transaction,
    }))
}

/// The audit log's before/after of an adjustment.
pub fn adjusted_json(a: &Adjusted) -> (Value, Value) {
    (pools_json(a.before), pools_json(a.after))
}

/// Moves a tenant account to `plan_slug` now: the account and its
/// subscription (a pending downgrade is dropped); its credits stay as they
/// are and the new plan's credits come with the next period. Limits apply
/// at once. Answers the slugs before and after. System transaction.
pub async fn set_plan(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    plan_slug: &str,
) -> DbResult<(String, String)> {
    #[derive(QueryableByName)]
    struct Change {
        #[diesel(sql_type = Text)]
        before: String,
        #[diesel(sql_type = Nullable<Text>)]
        after: Option<String>,
    }
    let c: Change = diesel::sql_query(
        "WITH cur AS (SELECT a.id, p.slug FROM accounts a JOIN plans p ON p.id = a.plan_id
                       WHERE a.id = $1 AND p.slug <> 'staff' FOR UPDATE OF a),
              np AS (SELECT id, slug FROM plans WHERE slug = $2 AND slug <> 'staff'),
              a AS (UPDATE accounts SET plan_id = np.id FROM np, cur WHERE accounts.id = cur.id RETURNING accounts.id),
              s AS (UPDATE subscriptions SET plan_id = np.id, pending_plan_id = NULL FROM np, cur
                     WHERE subscriptions.account_id = cur.id RETURNING subscriptions.id)
         SELECT cur.slug AS before, (SELECT slug FROM np) AS after FROM cur",
    )
    .bind::<SqlUuid, _>(account_id)
    .bind::<Text, _>(plan_slug)
    .get_result(conn)
    .await?;
    match c.after {
        Some(after) => Ok((c.before, after)),
        None => Err(DbError::InvalidReference("plan".into())),
    }
}

/// Sets a tenant account's status; answers the status before. System
/// transaction.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    status: &str,
) -> DbResult<String> {
    #[derive(QueryableByName)]
    struct Before {
        #[diesel(sql_type = Text)]
        status: String,
    }
    let b: Before = diesel::sql_query(
        "SELECT a.status FROM accounts a JOIN plans p ON p.id = a.plan_id
          WHERE a.id = $1 AND p.slug <> 'staff' FOR UPDATE OF a",
    )
    .bind::<SqlUuid, _>(account_id)
    .get_result(conn)
    .await?;
    diesel::sql_query("UPDATE accounts SET status = $2 WHERE id = $1")
        .bind::<SqlUuid, _>(account_id)
        .bind::<Text, _>(status)
        .execute(conn)
        .await?;
    Ok(b.status)
}
