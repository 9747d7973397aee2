use crate::graphql::jobs::types::JobProgress;
use async_graphql::{Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_core::automation as a;
use igny8_db::automation::{ItemRow, StageRow};
use igny8_jobs::automation::{RunState, settings_of};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::Stage")]
pub enum AutomationStage {
    Clusters,
    Ideas,
    Tasks,
    Content,
    ImagePrompts,
    Images,
    Review,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::RunStatus")]
pub enum AutomationRunStatus {
    Running,
    Paused,
    Completed,
    Cancelled,
    Failed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::PauseReason")]
pub enum AutomationPauseReason {
    Requested,
    InsufficientCredits,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::StageStatus")]
pub enum AutomationStageStatus {
    Pending,
    Running,
    Done,
    Skipped,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::PublishMode")]
pub enum AutomationPublishMode {
    /// Stop with the articles in review.
    Review,
    /// Publish to WordPress as drafts (needs a connection; without one: review).
    Draft,
    /// Publish live (needs a connection; without one: review).
    Publish,
    /// Publish scheduled `publishDelayMinutes` after stage 7 (needs a
    /// connection; without one: review).
    Scheduled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::RunTrigger")]
pub enum AutomationTrigger {
    Manual,
    Schedule,
    Rule,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::Frequency")]
pub enum AutomationFrequency {
    Daily,
    Weekly,
    Monthly,
    Cron,
}

#[derive(SimpleObject, Clone)]
pub struct AutomationSchedule {
    pub frequency: AutomationFrequency,
    /// The five-field cron expression it is kept as.
    pub cron: String,
    /// IANA time zone the expression is read in.
    pub time_zone: String,
    /// The next due time (null while the site's automation is off).
    pub next_run_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject, Clone)]
pub struct AutomationStageConfig {
    pub stage: AutomationStage,
    /// 1–7.
    pub number: i32,
    pub enabled: bool,
    /// Items per batch (one job each).
    pub batch_size: i32,
    /// The most a batch may take (the job's limit).
    pub max_batch_size: i32,
}

#[derive(SimpleObject, Clone)]
pub struct AutomationConfig {
    pub site_id: ID,
    /// Whether schedules and rules may start runs (a person always may).
    pub enabled: bool,
    pub stages: Vec<AutomationStageConfig>,
    pub author_profile_id: Option<ID>,
    /// What stage 7 does after the review gate.
    pub publish_mode: AutomationPublishMode,
    /// Whether the publish modes other than REVIEW can publish: the site
    /// has a WordPress connection (without one, stage 7 leaves the articles
    /// in review and the run says why).
    pub publishing_available: bool,
    /// SCHEDULED mode: how many minutes after stage 7 the posts go live.
    pub publish_delay_minutes: i32,
    /// Most credits one run may spend; null: the account's balance.
    pub credit_cap: Option<i64>,
    /// In-article image prompts per article (1–6).
    pub images_per_article: i32,
    /// Seconds between two batches.
    pub delay_seconds: i32,
    /// When runs start by themselves (while `enabled`).
    pub schedule: Option<AutomationSchedule>,
    /// null: never saved (the defaults).
    pub updated_at: Option<DateTime<Utc>>,
}

impl AutomationConfig {
    pub fn new(
        site: uuid::Uuid,
        s: &a::AutomationSettings,
        at: Option<DateTime<Utc>>,
        connected: bool,
    ) -> Self {
        AutomationConfig {
            site_id: site.into(),
            enabled: s.enabled,
            stages: a::Stage::ALL
                .iter()
                .map(|st| {
                    let c = s.stage(*st);
                    AutomationStageConfig {
                        stage: (*st).into(),
                        number: st.number(),
                        enabled: c.enabled,
                        batch_size: c.batch_size,
                        max_batch_size: st.max_batch(),
                    }
                })
                .collect(),
            author_profile_id: s.author_profile_id.map(ID::from),
            publish_mode: s.publish_mode.into(),
            publishing_available: connected,
            publish_delay_minutes: s.publish_delay_minutes,
            credit_cap: s.credit_cap,
            images_per_article: s.images_per_article,
            delay_seconds: s.delay_seconds,
            schedule: s.schedule.as_ref().map(|sc| AutomationSchedule {
                frequency: sc.frequency.into(),
                cron: sc.cron.clone(),
                time_zone: sc.time_zone.clone(),
                next_run_at: s.enabled.then(|| sc.next_after(Utc::now())).flatten(),
            }),
            updated_at: at,
        }
    }
}

/// An item a stage skipped or failed, with the reason.
#[derive(SimpleObject, Clone)]
pub struct AutomationItemIssue {
    pub item_id: ID,
    /// SKIPPED or FAILED.
    pub outcome: String,
    pub message: Option<String>,
}

#[derive(SimpleObject, Clone)]
pub struct AutomationRunStage {
    pub stage: AutomationStage,
    pub number: i32,
    pub status: AutomationStageStatus,
    /// Items the run took in this stage.
    pub items_in: i32,
    pub done: i32,
    pub skipped: i32,
    pub failed: i32,
    /// Items still pending when the last batch was taken.
    pub remaining: i32,
    /// Settled items of all the stage has had (100 when done or skipped).
    pub percent: i32,
    pub credits_spent: i64,
    /// Jobs (batches) queued.
    pub jobs: i32,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Skipped and failed items with their reasons (at most 50).
    pub issues: Vec<AutomationItemIssue>,
}

impl AutomationRunStage {
    fn new(s: &StageRow, issues: &[ItemRow]) -> Option<Self> {
        let stage = a::Stage::from_number(s.stage)?;
        let settled = s.done + s.skipped + s.failed;
        let percent = match s.status {
            a::StageStatus::Done | a::StageStatus::Skipped => 100,
            a::StageStatus::Pending => 0,
            a::StageStatus::Running => {
                a::stage_percent(settled, s.remaining + (s.items_in - settled))
            }
        };
        Some(AutomationRunStage {
            stage: stage.into(),
            number: s.stage,
            status: s.status.into(),
            items_in: s.items_in,
            done: s.done,
            skipped: s.skipped,
            failed: s.failed,
            remaining: s.remaining,
            percent,
            credits_spent: s.credits,
            jobs: s.jobs,
            started_at: s.started_at,
            finished_at: s.finished_at,
            issues: issues
                .iter()
                .filter(|i| i.run_id == s.run_id && i.stage == s.stage)
                .map(|i| AutomationItemIssue {
                    item_id: i.item_id.into(),
                    outcome: i.outcome.to_uppercase(),
                    message: i.message.clone(),
                })
                .collect(),
        })
    }
}

/// One pipeline run of a site.
#[derive(SimpleObject, Clone)]
pub struct AutomationRun {
    pub id: ID,
    pub site_id: ID,
    pub status: AutomationRunStatus,
    /// The stage the run is at (the last one when it finished).
    pub stage: AutomationStage,
    pub stage_number: i32,
    pub pause_reason: Option<AutomationPauseReason>,
    pub message: String,
    pub trigger: AutomationTrigger,
    pub credits_spent: i64,
    pub credit_cap: Option<i64>,
    /// The job of the batch in flight.
    pub current_job_id: Option<ID>,
    /// When the next batch may start (a delay between batches).
    pub next_batch_at: Option<DateTime<Utc>>,
    pub stages: Vec<AutomationRunStage>,
    /// The run's last change's sequence number.
    pub seq: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl AutomationRun {
    pub fn new(s: &RunState, issues: &[ItemRow]) -> Self {
        let r = &s.run;
        let stage = a::Stage::from_number(r.stage).unwrap_or(a::Stage::Clusters);
        AutomationRun {
            id: r.id.into(),
            site_id: r.site_id.into(),
            status: r.status.into(),
            stage: stage.into(),
            stage_number: r.stage,
            pause_reason: r
                .pause_reason
                .as_deref()
                .and_then(|p| p.parse::<a::PauseReason>().ok())
                .map(Into::into),
            message: r.message.clone(),
            trigger: r
                .trigger
                .parse::<a::RunTrigger>()
                .unwrap_or_default()
                .into(),
            credits_spent: r.credits_spent,
            credit_cap: settings_of(r).credit_cap,
            current_job_id: r.current_job_id.map(ID::from),
            next_batch_at: r.next_batch_at,
            stages: s
                .stages
                .iter()
                .filter_map(|st| AutomationRunStage::new(st, issues))
                .collect(),
            seq: r.seq,
            created_at: r.created_at,
            updated_at: r.updated_at,
            finished_at: r.finished_at,
        }
    }
}

/// One change of a run: its full state, with the current job's progress.
/// Ordered by `seq`, then by `currentJob.seq` (job steps between two run
/// changes repeat the run's `seq`).
#[derive(SimpleObject, Clone)]
pub struct AutomationRunProgress {
    pub run_id: ID,
    pub seq: i64,
    pub run: AutomationRun,
    /// The current stage's percent.
    pub stage_percent: i32,
    /// The job of the batch in flight, at its latest step.
    pub current_job: Option<JobProgress>,
}

impl AutomationRunProgress {
    pub fn new(run: AutomationRun, job: Option<JobProgress>) -> Self {
        let stage_percent = run
            .stages
            .iter()
            .find(|s| s.number == run.stage_number)
            .map(|s| s.percent)
            .unwrap_or(0);
        AutomationRunProgress {
            run_id: run.id.clone(),
            seq: run.seq,
            run,
            stage_percent,
            current_job: job,
        }
    }
}

#[derive(SimpleObject, Clone)]
pub struct AutomationStagePending {
    pub stage: AutomationStage,
    pub number: i32,
    pub enabled: bool,
    /// Items waiting for this stage now.
    pub pending: i64,
    /// Credits these items may cost (SPEC BIL-1 costs of the account's plan;
    /// ideas at the most a cluster can yield).
    pub estimated_credits: i64,
}

#[derive(SimpleObject, Clone)]
pub struct AutomationOverview {
    pub site_id: ID,
    pub stages: Vec<AutomationStagePending>,
    /// Sum over the enabled stages.
    pub estimated_credits: i64,
    /// The account's balance less what running jobs hold.
    pub credits_available: i64,
    /// The run that is not finished, if any.
    pub active_run: Option<AutomationRun>,
}
