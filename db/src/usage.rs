//! Usage for charts and the filtered ledger (BIL-5): credits charged for AI
//! work per (bucket, operation, site) from `credit_usage_logs`, and the
//! credit ledger filtered by kind, pool and time.

use crate::Listed;
use crate::error::DbResult;
use crate::models::CreditTransaction;
use crate::schema::credit_transactions;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use uuid::Uuid;

/// How usage rows are bucketed in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Day,
    /// ISO weeks, starting Monday 00:00 UTC.
    Week,
}

impl Bucket {
    fn sql(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
        }
    }
}

/// Credits and jobs of one (bucket, operation, site).
#[derive(Debug, Clone, QueryableByName)]
pub struct UsageCell {
    /// The bucket's start (UTC); the range's start when not bucketed.
    #[diesel(sql_type = Timestamptz)]
    pub bucket: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub operation: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub site_id: Option<Uuid>,
    #[diesel(sql_type = BigInt)]
    pub credits: i64,
    #[diesel(sql_type = BigInt)]
    pub jobs: i64,
}

/// Usage in `[from, to)` that `scope` sees (its account; only granted
/// sites for a scope with grants), per (bucket, operation, site).
pub async fn cells(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    bucket: Option<Bucket>,
) -> DbResult<Vec<UsageCell>> {
    Ok(diesel::sql_query(
        "SELECT CASE WHEN $4::text IS NULL THEN $2
                     ELSE date_trunc($4, created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END AS bucket,
                operation, site_id, COALESCE(sum(credits), 0)::bigint AS credits, count(*) AS jobs
           FROM credit_usage_logs
          WHERE ($1::uuid IS NULL OR account_id = $1) AND created_at >= $2 AND created_at < $3
            AND ($5::uuid[] IS NULL OR site_id = ANY($5))
          GROUP BY 1, operation, site_id ORDER BY 1, operation, site_id",
    )
    .bind::<Nullable<SqlUuid>, _>(scope.account_id)
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .bind::<Nullable<Text>, _>(bucket.map(Bucket::sql))
    .bind::<Nullable<Array<SqlUuid>>, _>(scope.site_ids().map(<[Uuid]>::to_vec))
    .load(conn)
    .await?)
}

/// Which pool a ledger entry moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    Plan,
    Purchased,
}

/// A ledger filter: kinds, a pool, a time range `[from, to)`.
#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    pub kinds: Vec<String>,
    pub pool: Option<Pool>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The account's ledger, newest first (in the order the balance changed).
pub async fn ledger(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    f: &LedgerFilter,
    args: &PageArgs,
) -> DbResult<Listed<CreditTransaction>> {
    use credit_transactions::dsl as t;
    let base = || {
        let mut q = t::credit_transactions
            .filter(t::account_id.eq(account_id))
            .into_boxed();
        if !f.kinds.is_empty() {
            q = q.filter(t::kind.eq_any(f.kinds.clone()));
        }
        match f.pool {
            Some(Pool::Plan) => q = q.filter(t::plan_amount.ne(0)),
            Some(Pool::Purchased) => q = q.filter(t::purchased_amount.ne(0)),
            None => {}
        }
        if let Some(from) = f.from {
            q = q.filter(t::created_at.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(t::created_at.lt(to));
        }
        q
    };
    let total: i64 = base().count().get_result(conn).await?;
    let page = args.window(total);
    let rows = base()
        .order(t::seq.desc())
        .offset(page.offset)
        .limit(page.limit)
        .select(CreditTransaction::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}
