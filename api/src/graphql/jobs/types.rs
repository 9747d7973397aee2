use async_graphql::{Enum, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_core::jobs as j;
use igny8_db::models;
use igny8_jobs::events::JobEvent;
use std::sync::Arc;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "j::AiFunction")]
pub enum AiFunction {
    AutoCluster,
    GenerateIdeas,
    GenerateContent,
    GenerateImagePrompts,
    GenerateImages,
}

/// What a job does: one of the AI functions, or publishing.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "j::JobKind")]
pub enum JobKind {
    AutoCluster,
    GenerateIdeas,
    GenerateContent,
    GenerateImagePrompts,
    GenerateImages,
    /// Publishing contents to WordPress.
    Publish,
    /// Reading back WordPress statuses.
    SyncWordpress,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "j::JobStatus")]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Partial,
    Failed,
    Cancelled,
}

/// What became of one item of a finished job.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "j::ItemStatus")]
pub enum JobItemStatus {
    Succeeded,
    Failed,
    Cancelled,
}

/// One item of a job (a keyword, a cluster, a task, an article, an image:
/// an id its input named) and what became of it.
#[derive(SimpleObject, Clone, Debug)]
pub struct JobItem {
    pub id: ID,
    pub status: JobItemStatus,
    /// Why it failed.
    pub error: Option<String>,
    /// Anything else worth knowing (e.g. the cluster a keyword moved from).
    pub note: Option<String>,
}

impl From<&j::ItemOutcome> for JobItem {
    fn from(o: &j::ItemOutcome) -> Self {
        JobItem {
            id: o.id.into(),
            status: o.status.into(),
            error: o.error.clone(),
            note: o.note.clone(),
        }
    }
}

fn items_of(outcomes: &[j::ItemOutcome]) -> Vec<JobItem> {
    outcomes.iter().map(JobItem::from).collect()
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "j::JobPhase")]
pub enum JobPhase {
    Init,
    Prep,
    AiCall,
    Parse,
    Save,
    Done,
}

pub struct AiJob(pub models::AiJob);

#[Object]
impl AiJob {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn kind(&self) -> JobKind {
        self.0.kind.into()
    }
    /// The AI function the job runs; null for publishing jobs.
    async fn function(&self) -> Option<AiFunction> {
        self.0.kind.ai_function().map(AiFunction::from)
    }
    async fn status(&self) -> JobStatus {
        self.0.status.into()
    }
    async fn phase(&self) -> JobPhase {
        self.0.phase.into()
    }
    async fn percent(&self) -> i32 {
        self.0.percent
    }
    async fn items_done(&self) -> i32 {
        self.0.items_done
    }
    async fn items_total(&self) -> i32 {
        self.0.items_total
    }
    async fn message(&self) -> &str {
        &self.0.message
    }
    /// Why it failed; for a `PARTIAL` job how many items failed and the
    /// first reason (each item carries its own in `items`).
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// Once finished: what became of each item its input named, in input
    /// order (empty while queued or running).
    async fn items(&self) -> Vec<JobItem> {
        items_of(&self.0.item_outcomes())
    }
    async fn items_succeeded(&self) -> i32 {
        j::OutcomeCounts::of(&self.0.item_outcomes()).succeeded as i32
    }
    async fn items_failed(&self) -> i32 {
        j::OutcomeCounts::of(&self.0.item_outcomes()).failed as i32
    }
    /// Items not done because the job was cancelled first.
    async fn items_cancelled(&self) -> i32 {
        j::OutcomeCounts::of(&self.0.item_outcomes()).cancelled as i32
    }
    /// Runs started (retries after transient failures count).
    async fn attempt(&self) -> i32 {
        self.0.attempt
    }
    async fn credits_held(&self) -> i64 {
        self.0.credits_held
    }
    async fn credits_charged(&self) -> i64 {
        self.0.credits_charged
    }
    /// `{summary, items, errors}` once finished.
    async fn result(&self) -> Option<Json<serde_json::Value>> {
        self.0.result.clone().map(Json)
    }
    async fn model(&self) -> Option<&str> {
        self.0.model.as_deref()
    }
    async fn tokens_in(&self) -> i32 {
        self.0.tokens_in
    }
    async fn tokens_out(&self) -> i32 {
        self.0.tokens_out
    }
    async fn cost_usd(&self) -> f64 {
        self.0.cost_micro_usd as f64 / 1_000_000.0
    }
    /// The last progress event's sequence number.
    async fn seq(&self) -> i64 {
        self.0.seq
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }
}

/// One progress event as the hub shares it: a pointer, built once per
/// instance whatever the number of subscribers.
#[derive(Clone, Debug)]
pub struct JobProgress(pub Arc<JobEvent>);

impl JobProgress {
    /// Every kind is shown: `kind` names it and `function` is null for
    /// jobs that are not AI functions.
    pub fn shown(e: &Arc<JobEvent>) -> Option<Self> {
        Some(JobProgress(e.clone()))
    }
}

/// One progress event: the job's full state after step `seq`.
#[Object]
impl JobProgress {
    async fn job_id(&self) -> ID {
        self.0.job_id.into()
    }
    async fn seq(&self) -> i64 {
        self.0.seq
    }
    async fn kind(&self) -> JobKind {
        self.0.kind.into()
    }
    /// The AI function the job runs; null for publishing jobs.
    async fn function(&self) -> Option<AiFunction> {
        self.0.kind.ai_function().map(AiFunction::from)
    }
    async fn status(&self) -> JobStatus {
        self.0.status.into()
    }
    async fn phase(&self) -> JobPhase {
        self.0.phase.into()
    }
    async fn percent(&self) -> i32 {
        self.0.percent
    }
    async fn items_done(&self) -> i32 {
        self.0.items_done
    }
    async fn items_total(&self) -> i32 {
        self.0.items_total
    }
    async fn message(&self) -> &str {
        &self.0.message
    }
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// As `AiJob.items`: filled once the job has ended.
    async fn items(&self) -> Vec<JobItem> {
        items_of(&self.0.outcomes)
    }
    async fn items_succeeded(&self) -> i32 {
        j::OutcomeCounts::of(&self.0.outcomes).succeeded as i32
    }
    async fn items_failed(&self) -> i32 {
        j::OutcomeCounts::of(&self.0.outcomes).failed as i32
    }
    async fn items_cancelled(&self) -> i32 {
        j::OutcomeCounts::of(&self.0.outcomes).cancelled as i32
    }
}

#[derive(SimpleObject, Clone)]
pub struct CreditTransaction {
    pub id: ID,
    /// purchase, subscription, refund, deduction, adjustment or expiry.
    pub kind: String,
    pub amount: i64,
    /// The part of `amount` that moved plan credits (granted per period,
    /// expiring at its end).
    pub plan_amount: i64,
    /// The part of `amount` that moved purchased (never-expiring) credits.
    pub purchased_amount: i64,
    pub balance_after: i64,
    pub description: String,
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<models::CreditTransaction> for CreditTransaction {
    fn from(t: models::CreditTransaction) -> Self {
        CreditTransaction {
            id: t.id.into(),
            kind: t.kind,
            amount: t.amount,
            plan_amount: t.plan_amount,
            purchased_amount: t.purchased_amount,
            balance_after: t.balance_after,
            description: t.description,
            reference: t.reference,
            created_at: t.created_at,
        }
    }
}

#[derive(SimpleObject, Clone)]
pub struct CreditUsage {
    pub id: ID,
    pub job_id: ID,
    pub operation: String,
    pub credits: i64,
    pub model: Option<String>,
    pub tokens_in: i32,
    pub tokens_out: i32,
    pub cost_usd: f64,
    pub related_type: Option<String>,
    pub related_ids: Vec<ID>,
    pub site_id: Option<ID>,
    pub created_at: DateTime<Utc>,
}

impl From<models::CreditUsageLog> for CreditUsage {
    fn from(u: models::CreditUsageLog) -> Self {
        CreditUsage {
            id: u.id.into(),
            job_id: u.job_id.into(),
            operation: u.operation,
            credits: u.credits,
            model: u.model,
            tokens_in: u.tokens_in,
            tokens_out: u.tokens_out,
            cost_usd: u.cost_micro_usd as f64 / 1_000_000.0,
            related_type: u.related_type,
            related_ids: u.related_ids.into_iter().map(ID::from).collect(),
            site_id: u.site_id.map(ID::from),
            created_at: u.created_at,
        }
    }
}
