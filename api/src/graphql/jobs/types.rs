use async_graphql::{Enum, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_core::jobs as j;
use igny8_db::models;
use igny8_jobs::events::JobEvent;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "j::AiFunction")]
pub enum AiFunction {
    AutoCluster,
    GenerateIdeas,
    GenerateContent,
    GenerateImagePrompts,
    GenerateImages,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "j::JobStatus")]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
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
    async fn function(&self) -> async_graphql::Result<AiFunction> {
        ai_function(self.0.kind)
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

/// One progress event: the job's full state after step `seq`.
#[derive(SimpleObject, Clone, Debug)]
pub struct JobProgress {
    pub job_id: ID,
    pub seq: i64,
    pub function: AiFunction,
    pub status: JobStatus,
    pub phase: JobPhase,
    pub percent: i32,
    pub items_done: i32,
    pub items_total: i32,
    pub message: String,
    pub error: Option<String>,
}

/// The AI function of a job's kind; a kind without one has no value in
/// the `AiFunction` enum clients know.
fn ai_function(kind: j::JobKind) -> async_graphql::Result<AiFunction> {
    kind.ai_function().map(AiFunction::from).ok_or_else(|| {
        crate::error::gql(crate::error::ApiError::internal(format!(
            "job kind {kind} has no AI function"
        )))
    })
}

impl JobProgress {
    pub fn from_event(e: &JobEvent) -> Option<Self> {
        Some(JobProgress {
            job_id: e.job_id.into(),
            seq: e.seq,
            function: e.kind.ai_function()?.into(),
            status: e.status.into(),
            phase: e.phase.into(),
            percent: e.percent,
            items_done: e.items_done,
            items_total: e.items_total,
            message: e.message.clone(),
            error: e.error.clone(),
        })
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
