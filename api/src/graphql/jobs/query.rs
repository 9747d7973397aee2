use super::types::{AiFunction, AiJob, CreditTransaction, CreditUsage, JobStatus};
use crate::error::{ApiError, gql};
use crate::graphql::connection::{Conn, connection, cost, page_args, parse_id};
use crate::graphql::context::{actor, db};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_core::{Actor, Scope};
use std::collections::BTreeMap;

/// What the caller sees of jobs and usage: their account, and of it only
/// the granted sites for editors and viewers (owners and admins see all).
pub fn job_scope(a: &Actor) -> Scope {
    Scope {
        account_id: Some(a.account_id),
        sites: a.site_scope(),
    }
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
        let a = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        let scope = job_scope(a);
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let j = igny8_db::jobs::get(&mut tx, &scope, id)
            .await
            .map_err(|_| gql(ApiError::NotFound("job")))?;
        tx.commit().await.map_err(gql)?;
        Ok(AiJob(j))
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
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = igny8_db::jobs::JobFilter {
            status: f.status.map(igny8_core::jobs::JobStatus::from),
            kind: f
                .function
                .map(|s| igny8_core::jobs::JobKind::from(igny8_core::jobs::AiFunction::from(s))),
            site_id: f
                .site_id
                .as_ref()
                .map(|i| parse_id("filter.siteId", i))
                .transpose()?,
            active: f.active,
        };
        let scope = job_scope(a);
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let l = igny8_db::jobs::list(&mut tx, &scope, &f, &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
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
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().into_db();
        let mut tx = db(ctx)
            .begin(&Scope::account(a.account_id))
            .await
            .map_err(gql)?;
        let l = igny8_db::jobs::transactions(&mut tx, a.account_id, &f, &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
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
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().into_db();
        let scope = job_scope(a);
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let l = igny8_db::jobs::usage(&mut tx, &scope, &f, &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
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
        let a = actor(ctx).await?;
        let f = filter.unwrap_or_default().into_db();
        let scope = job_scope(a);
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let rows = igny8_db::jobs::usage_totals(&mut tx, &scope, &f)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
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
