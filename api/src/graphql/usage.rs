//! Usage series for charts and the filtered credit ledger (BIL-5). Walls
//! and roles as for `creditUsage` / `creditTransactions`: usage is the
//! caller's account's, of the granted sites only for editors and viewers
//! ([`igny8_core::Actor::job_scope`]); the ledger is the account's.

use crate::error::ApiError;
use crate::graphql::connection::{Conn, connection, cost, page_args};
use crate::graphql::jobs::types::CreditTransaction;
use crate::graphql::spine::caller;
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Datelike, Duration, DurationRound, Utc};
use igny8_db::usage::{Bucket, LedgerFilter, Pool};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct UsageQuery;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum UsageGroupBy {
    /// One point per UTC day of the range (days without usage included).
    Day,
    /// One point per ISO week (from Monday 00:00 UTC).
    Week,
    /// One point per AI function (operation).
    Function,
    /// One point per site (`siteId` null: usage without a site).
    Site,
}

/// Credits of one function within a point.
#[derive(SimpleObject, Clone)]
pub struct FunctionCredits {
    /// The operation (`auto_cluster`, `generate_ideas`, `generate_content`, …).
    pub function: String,
    pub credits: i64,
    pub jobs: i64,
}

#[derive(SimpleObject)]
pub struct UsagePoint {
    /// The bucket's start (DAY, WEEK).
    pub start: Option<DateTime<Utc>>,
    /// The function (FUNCTION).
    pub function: Option<String>,
    /// The site (SITE; null for usage without a site).
    pub site_id: Option<ID>,
    pub credits: i64,
    pub jobs: i64,
    /// The point's credits per function (for stacked charts).
    pub by_function: Vec<FunctionCredits>,
}

#[derive(SimpleObject)]
pub struct UsageSeries {
    pub group_by: UsageGroupBy,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Credits charged in the range (the sum of the points).
    pub credits: i64,
    pub jobs: i64,
    pub points: Vec<UsagePoint>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum CreditTransactionKind {
    Purchase,
    Subscription,
    Refund,
    Deduction,
    Adjustment,
    Expiry,
}

impl CreditTransactionKind {
    fn as_str(self) -> &'static str {
        match self {
            CreditTransactionKind::Purchase => "purchase",
            CreditTransactionKind::Subscription => "subscription",
            CreditTransactionKind::Refund => "refund",
            CreditTransactionKind::Deduction => "deduction",
            CreditTransactionKind::Adjustment => "adjustment",
            CreditTransactionKind::Expiry => "expiry",
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum CreditPool {
    /// Plan credits: granted per period, expiring at its end.
    Plan,
    /// Purchased and staff-granted credits: never expiring.
    Purchased,
}

#[derive(InputObject, Default)]
pub struct CreditLedgerFilter {
    /// Any of these kinds (all when empty or absent).
    pub kinds: Option<Vec<CreditTransactionKind>>,
    /// Entries that moved this pool.
    pub pool: Option<CreditPool>,
    /// From (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// To (exclusive).
    pub to: Option<DateTime<Utc>>,
}

/// Longest range a series covers.
const MAX_RANGE_DAYS: i64 = 400;

fn bucket_start(t: DateTime<Utc>, b: Bucket) -> DateTime<Utc> {
    let day = t.duration_trunc(Duration::days(1)).unwrap_or(t);
    match b {
        Bucket::Day => day,
        Bucket::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
    }
}

fn by_function(m: BTreeMap<String, (i64, i64)>) -> Vec<FunctionCredits> {
    m.into_iter()
        .map(|(function, (credits, jobs))| FunctionCredits {
            function,
            credits,
            jobs,
        })
        .collect()
}

#[Object]
impl UsageQuery {
    /// Credits charged for AI work in `[from, to)` (default: the last 30
    /// days), as a series for charts: per day or week (stacked by
    /// function), per function or per site.
    async fn usage(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        group_by: UsageGroupBy,
    ) -> Result<UsageSeries> {
        let c = caller(ctx).await?.for_jobs();
        let to = to.unwrap_or_else(Utc::now);
        let from = from.unwrap_or(to - Duration::days(30));
        if from >= to {
            return Err(ApiError::bad_input("from", "must be before `to`").into());
        }
        if to - from > Duration::days(MAX_RANGE_DAYS) {
            return Err(ApiError::bad_input(
                "to",
                format!("a series covers at most {MAX_RANGE_DAYS} days"),
            )
            .into());
        }
        let bucket = match group_by {
            UsageGroupBy::Day => Some(Bucket::Day),
            UsageGroupBy::Week => Some(Bucket::Week),
            UsageGroupBy::Function | UsageGroupBy::Site => None,
        };
        let cells = c
            .read(async |tx| Ok(igny8_db::usage::cells(tx, &c.scope, from, to, bucket).await?))
            .await?;
        let credits = cells.iter().map(|c| c.credits).sum();
        let jobs = cells.iter().map(|c| c.jobs).sum();
        let points = match bucket {
            Some(b) => {
                let mut by_start: BTreeMap<DateTime<Utc>, BTreeMap<String, (i64, i64)>> =
                    BTreeMap::new();
                let step = match b {
                    Bucket::Day => Duration::days(1),
                    Bucket::Week => Duration::weeks(1),
                };
                let mut t = bucket_start(from, b);
                while t < to {
                    by_start.entry(t).or_default();
                    t += step;
                }
                for cell in &cells {
                    let e = by_start
                        .entry(cell.bucket)
                        .or_default()
                        .entry(cell.operation.clone())
                        .or_default();
                    e.0 += cell.credits;
                    e.1 += cell.jobs;
                }
                by_start
                    .into_iter()
                    .map(|(start, fs)| UsagePoint {
                        start: Some(start),
                        function: None,
                        site_id: None,
                        credits: fs.values().map(|v| v.0).sum(),
                        jobs: fs.values().map(|v| v.1).sum(),
                        by_function: by_function(fs),
                    })
                    .collect()
            }
            None if group_by == UsageGroupBy::Function => {
                let mut m: BTreeMap<String, (i64, i64)> = BTreeMap::new();
                for cell in &cells {
                    let e = m.entry(cell.operation.clone()).or_default();
                    e.0 += cell.credits;
                    e.1 += cell.jobs;
                }
                m.into_iter()
                    .map(|(f, (credits, jobs))| UsagePoint {
                        start: None,
                        function: Some(f.clone()),
                        site_id: None,
                        credits,
                        jobs,
                        by_function: vec![FunctionCredits {
                            function: f,
                            credits,
                            jobs,
                        }],
                    })
                    .collect()
            }
            None => {
                let mut m: BTreeMap<Option<uuid::Uuid>, BTreeMap<String, (i64, i64)>> =
                    BTreeMap::new();
                for cell in &cells {
                    let e = m
                        .entry(cell.site_id)
                        .or_default()
                        .entry(cell.operation.clone())
                        .or_default();
                    e.0 += cell.credits;
                    e.1 += cell.jobs;
                }
                m.into_iter()
                    .map(|(site, fs)| UsagePoint {
                        start: None,
                        function: None,
                        site_id: site.map(ID::from),
                        credits: fs.values().map(|v| v.0).sum(),
                        jobs: fs.values().map(|v| v.1).sum(),
                        by_function: by_function(fs),
                    })
                    .collect()
            }
        };
        Ok(UsageSeries {
            group_by,
            from,
            to,
            credits,
            jobs,
            points,
        })
    }

    /// The account's credit ledger, newest first (in the order the balance
    /// changed), filtered by kinds, pool and time.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn credit_ledger(
        &self,
        ctx: &Context<'_>,
        filter: Option<CreditLedgerFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<CreditTransaction>> {
        let c = caller(ctx).await?.for_jobs();
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = LedgerFilter {
            kinds: f
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            pool: f.pool.map(|p| match p {
                CreditPool::Plan => Pool::Plan,
                CreditPool::Purchased => Pool::Purchased,
            }),
            from: f.from,
            to: f.to,
        };
        let account = c.actor.account_id;
        let l = c
            .read(async |tx| Ok(igny8_db::usage::ledger(tx, account, &f, &args).await?))
            .await?;
        Ok(connection(
            l.rows.into_iter().map(CreditTransaction::from).collect(),
            l.page,
            l.total,
        ))
    }
}
