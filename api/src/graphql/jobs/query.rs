use super::types::{AiFunction, AiJob, CreditTransaction, CreditUsage, JobStatus};
use crate::graphql::connection::{Conn, connection, cost, page_args};
use crate::graphql::spine::{Caller, caller, not_found, optional_id, parse_id};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The caller seeing jobs and usage ([`igny8_core::Actor::job_scope`]).
async fn job_caller<'a>(ctx: &Context<'a>) -> Result<Caller<'a>> {
    Ok(caller(ctx).await?.for_jobs())
}

#[derive(Default)]
pub struct JobsQuery;

#[derive(InputObject, Default)]
pub struct JobFilter {
    pub status: Option<JobStatus>,
    pub function: Option<AiFunction>,
    pub site_id: Option<ID>,
    /// true: queued and running only; false: finished only.
    pub active: Option<bool>,
}

#[derive(InputObject, Default)]
pub struct CreditHistoryFilter {
    /// A transaction kind (purchase, subscription, refund, deduction,
    /// adjustment) or a usage operation (auto_cluster, generate_ideas, …).
    pub kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl CreditHistoryFilter {
    fn into_db(self) -> igny8_db::jobs::HistoryFilter {
        igny8_db::jobs::HistoryFilter {
            kind: self.kind,
            from: self.from,
            to: self.to,
        }
    }
}

#[derive(SimpleObject)]
pub struct UsageByOperation {
    pub operation: String,
    pub credits: i64,
    pub jobs: i64,
}

#[derive(SimpleObject)]
pub struct UsageBySite {
    pub site_id: Option<ID>,
    pub credits: i64,
    pub jobs: i64,
}

#[derive(SimpleObject)]
pub struct UsageTotals {
    pub credits: i64,
    pub jobs: i64,
    pub by_operation: Vec<UsageByOperation>,
    pub by_site: Vec<UsageBySite>,
}

#[Object]
impl JobsQuery {
    /// One job of the caller's account; another account's id, or a job of
    /// a site the caller was not granted, is `NOT_FOUND`.
    async fn job(&self, ctx: &Context<'_>, id: ID) -> Result<AiJob> {
        let c = job_caller(ctx).await?;
        let id = parse_id("id", &id)?;
        c.read(async |tx| {
            let j = igny8_db::jobs::get(tx, &c.scope, id)
                .await
                .map_err(not_found("job"))?;
            Ok(AiJob(j))
        })
        .await
    }

    /// Jobs of the caller's account (granted sites only, for editors and
    /// viewers), newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        filter: Option<JobFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<AiJob>> {
        let c = job_caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = igny8_db::jobs::JobFilter {
            status: f.status.map(igny8_core::jobs::JobStatus::from),
            kind: f
                .function
                .map(|s| igny8_core::jobs::JobKind::from(igny8_core::jobs::AiFunction::from(s))),
            site_id: optional_id("filter.siteId", f.site_id.as_ref())?,
            active: f.active,
        };
        let l = c
            .read(async |tx| Ok(igny8_db::jobs::list(tx, &c.scope, &f, &args).await?))
            .await?;
        Ok(connection(
            l.rows.into_iter().map(AiJob).collect(),
            l.page,
            l.total,
        ))
    }

    /// The account's credit ledger, newest first (BIL-3, BIL-5).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn credit_transactions(
        &self,
        ctx: &Context<'_>,
        filter: Option<CreditHistoryFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<CreditTransaction>> {
        let c = job_caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().into_db();
        let account = c.actor.account_id;
        let l = c
            .read(async |tx| Ok(igny8_db::jobs::transactions(tx, account, &f, &args).await?))
            .await?;
        Ok(connection(
            l.rows.into_iter().map(CreditTransaction::from).collect(),
            l.page,
            l.total,
        ))
    }

    /// AI usage, newest first (BIL-3, BIL-5); of the granted sites only,
    /// for editors and viewers.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn credit_usage(
        &self,
        ctx: &Context<'_>,
        filter: Option<CreditHistoryFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<CreditUsage>> {
        let c = job_caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().into_db();
        let l = c
            .read(async |tx| Ok(igny8_db::jobs::usage(tx, &c.scope, &f, &args).await?))
            .await?;
        Ok(connection(
            l.rows.into_iter().map(CreditUsage::from).collect(),
            l.page,
            l.total,
        ))
    }

    /// Usage totals per operation and per site (BIL-5); of the granted
    /// sites only, for editors and viewers.
    async fn credit_usage_totals(
        &self,
        ctx: &Context<'_>,
        filter: Option<CreditHistoryFilter>,
    ) -> Result<UsageTotals> {
        let c = job_caller(ctx).await?;
        let f = filter.unwrap_or_default().into_db();
        let rows = c
            .read(async |tx| Ok(igny8_db::jobs::usage_totals(tx, &c.scope, &f).await?))
            .await?;
        let mut by_op: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        let mut by_site: BTreeMap<Option<uuid::Uuid>, (i64, i64)> = BTreeMap::new();
        for r in &rows {
            let e = by_op.entry(r.operation.clone()).or_default();
            e.0 += r.credits;
            e.1 += r.jobs;
            let e = by_site.entry(r.site_id).or_default();
            e.0 += r.credits;
            e.1 += r.jobs;
        }
        Ok(UsageTotals {
            credits: rows.iter().map(|r| r.credits).sum(),
            jobs: rows.iter().map(|r| r.jobs).sum(),
            by_operation: by_op
                .into_iter()
                .map(|(operation, (credits, jobs))| UsageByOperation {
                    operation,
                    credits,
                    jobs,
                })
                .collect(),
            by_site: by_site
                .into_iter()
                .map(|(s, (credits, jobs))| UsageBySite {
                    site_id: s.map(ID::from),
                    credits,
                    jobs,
                })
                .collect(),
        })
    }
}
