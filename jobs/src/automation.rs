//! Automation runs (AUT-1): a site's seven stages driven through the
//! ordinary job kinds, one batch (one job) at a time.
//!
//! A run moves only in [`advance`], under its row lock, in one tenant
//! transaction: it settles the batch whose job ended (each item done,
//! skipped or failed, credits added), then takes the next batch of the
//! current stage and queues its job with `enqueue_in` — or does the stage
//! itself (queueing ideas to the writer, the review gate) — or pauses
//! (`INSUFFICIENT_CREDITS`, the run's credit cap) or completes. After the
//! commit it announces the job and publishes the run's new state.
//!
//! Who calls it: the worker right after a job it ran ends
//! ([`Driver::after_job`]), the worker's sweeper for runs whose job ended
//! elsewhere or whose delay is over ([`Driver::sweep`]: a killed worker or
//! API, a cancelled job), and the API after start and resume. Concurrent
//! callers serialise on the row lock and the loser finds nothing to do,
//! so every batch is settled once and every item is taken once
//! (`automation_run_items` is keyed by run, stage and item).

use crate::bus::JobsBus;
use crate::enqueue::{EnqueueError, enqueue_in};
use crate::kinds::Refusal;
use chrono::Utc;
use igny8_core::automation::{
    AutomationSettings, PauseReason, PublishMode, RunStatus, Stage, StageStatus,
};
use igny8_core::jobs::{
    AutoClusterInput, CreditCosts, GenerateContentInput, GenerateIdeasInput,
    GenerateImagePromptsInput, GenerateImagesInput, ItemStatus, JobInput, JobStatus,
    MAX_PUBLISH_CONTENTS, PublishInput, PublishStatus,
};
use igny8_core::{AccountStatus, Actor, Role, Scope};
use igny8_db::automation::{self as db, RunRef, RunRow, StageChange, StageRow};
use igny8_db::models::AiJob;
use igny8_db::{Db, DbError, Tx};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

/// A run and its stages: what the API shows and every event carries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunState {
    pub run: RunRow,
    pub stages: Vec<StageRow>,
}

/// Reads the run's stages for its state (in the run's transaction).
pub async fn state(tx: &mut Tx, run: RunRow) -> Result<RunState, DbError> {
    let stages = db::stages(tx, &[run.id]).await?;
    Ok(RunState { run, stages })
}

/// Publishes a run's state on `{prefix}:automation` (best effort: a
/// subscriber that misses it reads the snapshot on its next resync).
pub async fn publish(bus: &JobsBus, s: &RunState) {
    let Some(mut c) = bus.conn().await else {
        return;
    };
    let Ok(payload) = serde_json::to_string(s) else {
        return;
    };
    let r: redis::RedisResult<i64> = redis::cmd("PUBLISH")
        .arg(bus.keys.automation_channel())
        .arg(payload)
        .query_async(&mut c)
        .await;
    if let Err(e) = r {
        tracing::warn!(run.id = %s.run.id, error = %e, "automation event not published");
    }
}

/// The worker's side: advances runs when their jobs end.
pub struct Driver {
    pub db: Db,
    pub bus: Arc<JobsBus>,
}

impl Driver {
    /// After the worker handled `job`: if it is a run's batch and ended,
    /// the run moves on.
    pub async fn after_job(&self, job: Uuid) {
        // one statement says what follows (for most jobs: nothing)
        let found = async {
            let mut c = self.db.system().await?;
            let f = db::job_follow_up(&mut c, job).await?;
            c.done().await?;
            Ok::<_, DbError>(f)
        }
        .await;
        let f = match found {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(job.id = %job, error = %e, "looking up what follows a job failed");
                return;
            }
        };
        if let Some(j) = f.job()
            && let Err(e) = self.fire_for_job(job, j, f.origin.as_deref()).await
        {
            tracing::warn!(job.id = %job, error = %e, "judging automation rules failed");
        }
        if let Some(r) = f.run()
            && let Err(e) = advance(&self.db, &self.bus, r).await
        {
            tracing::warn!(run.id = %r.id, error = %e, "advancing an automation run failed; the sweeper retries");
        }
    }

    /// Runs whose batch ended without this worker seeing it, or whose
    /// delay is over.
    pub async fn sweep(&self) {
        let due = async {
            let mut c = self.db.system().await?;
            let r = db::due_runs(&mut c, 50).await?;
            c.done().await?;
            Ok::<_, DbError>(r)
        }
        .await;
        match due {
            Ok(runs) => {
                for r in runs {
                    if let Err(e) = advance(&self.db, &self.bus, r).await {
                        tracing::warn!(run.id = %r.id, error = %e, "advancing an automation run failed");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "automation sweep failed"),
        }
        if let Err(e) = self.fire_keyword_rules().await {
            tracing::warn!(error = %e, "keyword rules failed");
        }
    }
}

/// Stage 7 beyond the review gate: the publish job's input for a batch of
/// reviewed articles in the site's publish mode (`None` for `Review`).
/// `Scheduled` posts go live `publish_delay_minutes` after `now`.
pub fn publish_input(
    s: &AutomationSettings,
    ids: Vec<Uuid>,
    now: chrono::DateTime<Utc>,
) -> Option<JobInput> {
    let (status, publish_at) = match s.publish_mode {
        PublishMode::Review => return None,
        PublishMode::Draft => (PublishStatus::Draft, None),
        PublishMode::Publish => (PublishStatus::Publish, None),
        PublishMode::Scheduled => (
            PublishStatus::Future,
            Some(
                (now + chrono::Duration::minutes(s.publish_delay_minutes.into()))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
        ),
    };
    Some(JobInput::Publish(PublishInput {
        content_ids: ids,
        status,
        publish_at,
    }))
}

/// Why stage 7 left articles in review although the site's mode publishes.
fn not_published(mode: PublishMode, articles: usize) -> Option<String> {
    match mode {
        PublishMode::Review => None,
        _ if articles == 0 => None,
        other => Some(format!(
            "completed: {articles} article(s) left in review: publishing ({other}) needs a WordPress \
             connection (connectWordPress)"
        )),
    }
}

/// Moves run `r` as far as it can go now. `Ok(None)`: nothing to do (its
/// batch is still running, it is not due, or another caller moved it).
pub async fn advance(db: &Db, bus: &JobsBus, r: RunRef) -> Result<Option<RunState>, DbError> {
    let mut tx = db.begin_tenant(r.account_id).await?;
    let Some(mut run) = db::lock_run(&mut tx, r.id).await? else {
        return Ok(None);
    };
    let mut changed = false;
    let mut settled = false;
    if let Some(job_id) = run.current_job_id {
        let job = igny8_db::jobs::get(&mut tx, &Scope::account(run.account_id), job_id).await;
        match job {
            Ok(job) if !job.status.is_terminal() => return Ok(None),
            Ok(job) => settle(&mut tx, &mut run, &job).await?,
            // the job row is gone (account data deleted): forget the batch
            Err(DbError::NotFound) => run.current_job_id = None,
            Err(e) => return Err(e),
        }
        changed = true;
        settled = true;
    }
    let mut queued = None;
    if run.status == RunStatus::Running && run.current_job_id.is_none() {
        let settings = settings_of(&run);
        let now = Utc::now();
        if settled && settings.delay_seconds > 0 {
            run.next_batch_at =
                Some(now + chrono::Duration::seconds(settings.delay_seconds.into()));
            run.message = format!("waiting {} s before the next batch", settings.delay_seconds);
        } else if run.next_batch_at.is_none_or(|t| t <= now) {
            run.next_batch_at = None;
            queued = next_step(&mut tx, &mut run, &settings).await?;
            changed = true;
        }
    }
    if !changed {
        return Ok(None);
    }
    let run = db::update_run(&mut tx, &run).await?;
    let state = state(&mut tx, run).await?;
    tx.commit().await?;
    if let Some(job) = &queued {
        bus.announce(job).await;
    }
    publish(bus, &state).await;
    tracing::info!(
        run.id = %state.run.id,
        run.status = %state.run.status,
        run.stage = state.run.stage,
        job.id = ?queued.as_ref().map(|j| j.id),
        "automation run advanced"
    );
    Ok(Some(state))
}

pub fn settings_of(run: &RunRow) -> AutomationSettings {
    serde_json::from_value(run.settings.clone()).unwrap_or_default()
}

/// Why a taken item is still pending after its job succeeded.
fn skip_reason(stage: Stage) -> &'static str {
    match stage {
        Stage::Clusters => "not close enough to other keywords to form a cluster",
        Stage::Ideas => "the cluster yielded no ideas",
        Stage::Content => "no article was written",
        Stage::ImagePrompts => "no image prompts were written",
        Stage::Images => "no image was made",
        Stage::Tasks | Stage::Review => "left unchanged",
    }
}

/// Records the outcome of each item of the batch whose job ended.
async fn settle(tx: &mut Tx, run: &mut RunRow, job: &AiJob) -> Result<(), DbError> {
    let stage = Stage::from_number(run.stage).unwrap_or(Stage::Clusters);
    let items = db::in_flight(tx, run.id, job.id).await?;
    let ids: Vec<Uuid> = items.iter().map(|i| i.item_id).collect();
    let outcomes = job.item_outcomes();
    let outcome_of = |id: Uuid| outcomes.iter().find(|o| o.id == id);
    // stage 7 (publishing) is settled from the job's outcomes alone: its
    // articles left the stage's pending set (review) before the job ran
    let unfinished = if stage == Stage::Review {
        ids.iter()
            .copied()
            .filter(|id| outcome_of(*id).is_none_or(|o| o.status != ItemStatus::Succeeded))
            .collect()
    } else {
        db::unfinished(tx, run.site_id, stage, &ids).await?
    };
    let item_error = |id: Uuid| -> Option<String> {
        if let Some(e) = outcome_of(id).and_then(|o| o.error.clone()) {
            return Some(e);
        }
        job.result.as_ref()?["errors"]
            .as_array()?
            .iter()
            .find(|e| e["id"].as_str() == Some(&id.to_string()))
            .and_then(|e| e["error"].as_str().map(str::to_owned))
    };
    for id in &ids {
        let (outcome, message) = if !unfinished.contains(id) {
            ("done", None)
        } else {
            match job.status {
                JobStatus::Failed => (
                    "failed",
                    Some(
                        item_error(*id)
                            .or_else(|| job.error.clone())
                            .unwrap_or_else(|| "the job failed".into()),
                    ),
                ),
                JobStatus::Cancelled => ("failed", Some("the job was cancelled".into())),
                _ => match item_error(*id) {
                    Some(e) => ("failed", Some(e)),
                    None => ("skipped", Some(skip_reason(stage).to_owned())),
                },
            }
        };
        db::settle_item(tx, run.id, stage, *id, outcome, message.as_deref()).await?;
    }
    db::add_stage_credits(tx, run.id, stage, job.credits_charged).await?;
    run.credits_spent += job.credits_charged;
    run.current_job_id = None;
    if job.status == JobStatus::Failed {
        run.message = format!(
            "a batch of stage {} failed: {}",
            stage.number(),
            job.error.as_deref().unwrap_or("no reason given")
        );
    }
    Ok(())
}

/// The run's authority for its jobs: its account, every site, writing;
/// checked against the starter's role when the run was started or resumed.
fn run_actor(run: &RunRow) -> Actor {
    Actor {
        user_id: run.started_by,
        account_id: run.account_id,
        role: Role::SystemBot,
        account_status: AccountStatus::Active,
        site_ids: vec![],
        is_staff: false,
    }
}

fn pause(run: &mut RunRow, reason: PauseReason, message: String) {
    run.status = RunStatus::Paused;
    run.pause_reason = Some(reason.as_str().to_owned());
    run.message = message;
}

/// The job input of a batch of `stage`.
fn batch_input(stage: Stage, ids: Vec<Uuid>, s: &AutomationSettings) -> Option<JobInput> {
    Some(match stage {
        Stage::Review => return publish_input(s, ids, Utc::now()),
        Stage::Clusters => JobInput::AutoCluster(AutoClusterInput {
            keyword_ids: ids,
            ..AutoClusterInput::default()
        }),
        Stage::Ideas => JobInput::GenerateIdeas(GenerateIdeasInput {
            cluster_id: *ids.first()?,
            author_profile_id: s.author_profile_id,
            more: false,
        }),
        Stage::Content => JobInput::GenerateContent(GenerateContentInput {
            task_ids: ids,
            author_profile_id: s.author_profile_id,
        }),
        Stage::ImagePrompts => JobInput::GenerateImagePrompts(GenerateImagePromptsInput {
            content_ids: ids,
            max_in_article: s.images_per_article.clamp(1, 6) as u8,
        }),
        Stage::Images => JobInput::GenerateImages(GenerateImagesInput { image_ids: ids }),
        Stage::Tasks => return None,
    })
}

async fn stage_set(
    tx: &mut Tx,
    run: &RunRow,
    stage: Stage,
    status: StageStatus,
    remaining: i32,
    jobs: i32,
) -> Result<(), DbError> {
    db::update_stage(
        tx,
        run.id,
        stage,
        StageChange {
            status,
            remaining,
            credits: 0,
            jobs,
        },
    )
    .await
}

/// Takes the next batch and queues its job, or does an inline stage, or
/// pauses, or completes. Returns the queued job.
async fn next_step(
    tx: &mut Tx,
    run: &mut RunRow,
    settings: &AutomationSettings,
) -> Result<Option<AiJob>, DbError> {
    let account = igny8_db::accounts::get(tx, run.account_id).await?;
    if matches!(account.status.as_str(), "suspended" | "cancelled") {
        run.status = RunStatus::Failed;
        run.message = format!("the account is {}", account.status);
        return Ok(None);
    }
    let costs = CreditCosts::with_overrides(
        &igny8_db::accounts::plan_of_account(tx, run.account_id)
            .await?
            .credit_costs,
    );
    loop {
        let stage = Stage::from_number(run.stage).unwrap_or(Stage::Review);
        let cfg = settings.stage(stage);
        if !cfg.enabled {
            stage_set(tx, run, stage, StageStatus::Skipped, 0, 0).await?;
            if !move_on(run, stage) {
                return Ok(None);
            }
            continue;
        }
        let publishes = stage == Stage::Review
            && settings.publish_mode != PublishMode::Review
            && igny8_db::publishing::connection(tx, run.account_id, run.site_id)
                .await?
                .is_some();
        if stage.function().is_none() && !publishes {
            inline_stage(tx, run, stage, cfg.batch_size, settings).await?;
            stage_set(tx, run, stage, StageStatus::Done, 0, 0).await?;
            if !move_on(run, stage) {
                return Ok(None);
            }
            continue;
        }
        let size = if publishes {
            cfg.batch_size.min(MAX_PUBLISH_CONTENTS as i32)
        } else {
            cfg.batch_size
        };
        let (batch, remaining) = db::next_batch(tx, run.id, run.site_id, stage, size).await?;
        if batch.is_empty() {
            if publishes {
                run.message = published_message(tx, run, settings.publish_mode).await?;
            }
            stage_set(tx, run, stage, StageStatus::Done, 0, 0).await?;
            if !move_on(run, stage) {
                return Ok(None);
            }
            continue;
        }
        let ids: Vec<Uuid> = batch.iter().map(|i| i.id).collect();
        let Some(input) = batch_input(stage, ids.clone(), settings) else {
            return Ok(None);
        };
        if publishes {
            // the review gate first: the articles are in review whatever
            // becomes of their publishing
            db::to_review(tx, &ids).await?;
        }
        let hold = input.hold(&costs);
        if let Some(cap) = settings.credit_cap
            && run.credits_spent + hold > cap
        {
            stage_set(tx, run, stage, StageStatus::Running, remaining as i32, 0).await?;
            pause(
                run,
                PauseReason::InsufficientCredits,
                format!(
                    "the run's credit cap ({cap}) does not cover the next batch: {} spent, {hold} needed",
                    run.credits_spent
                ),
            );
            return Ok(None);
        }
        db::savepoint(tx, db::Savepoint::Begin).await?;
        match enqueue_in(tx, &run_actor(run), input).await {
            Ok(job) => {
                db::savepoint(tx, db::Savepoint::Release).await?;
                db::take_items(
                    tx,
                    run.account_id,
                    run.id,
                    stage,
                    &ids,
                    Some(job.id),
                    "in_flight",
                )
                .await?;
                stage_set(tx, run, stage, StageStatus::Running, remaining as i32, 1).await?;
                run.current_job_id = Some(job.id);
                run.message = format!(
                    "stage {} ({stage}): {} {}(s) in a batch",
                    stage.number(),
                    ids.len(),
                    stage.noun()
                );
                return Ok(Some(job));
            }
            Err(EnqueueError::InsufficientCredits { available, needed }) => {
                db::savepoint(tx, db::Savepoint::RollBack).await?;
                stage_set(tx, run, stage, StageStatus::Running, remaining as i32, 0).await?;
                pause(
                    run,
                    PauseReason::InsufficientCredits,
                    format!("the next batch needs {needed} credits; {available} are available"),
                );
                return Ok(None);
            }
            Err(EnqueueError::Db(e)) => return Err(e),
            Err(other) => {
                // the batch cannot run (an object vanished, a limit): its
                // items fail with the reason and the stage goes on
                db::savepoint(tx, db::Savepoint::RollBack).await?;
                let msg = refusal_message(&other);
                db::take_items(tx, run.account_id, run.id, stage, &ids, None, "failed").await?;
                for id in &ids {
                    db::settle_item(tx, run.id, stage, *id, "failed", Some(&msg)).await?;
                }
            }
        }
    }
}

/// The run's message when stage 7 has published everything it took.
async fn published_message(
    tx: &mut Tx,
    run: &RunRow,
    mode: PublishMode,
) -> Result<String, DbError> {
    let stages = db::stages(tx, &[run.id]).await?;
    let s = stages.iter().find(|s| s.stage == Stage::Review.number());
    let (done, failed) = s.map_or((0, 0), |s| (s.done, s.failed));
    Ok(match failed {
        0 => format!("completed: {done} article(s) sent to WordPress ({mode})"),
        n => format!(
            "completed: {done} article(s) sent to WordPress ({mode}); {n} failed and stay in review"
        ),
    })
}

/// The stage after `stage`, or the run completes (false).
fn move_on(run: &mut RunRow, stage: Stage) -> bool {
    match stage.next() {
        Some(n) => {
            run.stage = n.number();
            true
        }
        None => {
            run.status = RunStatus::Completed;
            run.pause_reason = None;
            if run.message.is_empty() || run.message.starts_with("stage ") {
                run.message = "completed".into();
            }
            false
        }
    }
}

fn refusal_message(e: &EnqueueError) -> String {
    match e {
        EnqueueError::Input(igny8_core::jobs::InputRefusal::Invalid(v)) => v.message.clone(),
        EnqueueError::Input(igny8_core::jobs::InputRefusal::TooMany(m)) => m.clone(),
        EnqueueError::Refused(Refusal::NotFound(what)) => format!("{what} not found"),
        EnqueueError::Refused(Refusal::Forbidden(m)) => m.clone(),
        EnqueueError::Refused(Refusal::BadInput(_, m)) => m.clone(),
        EnqueueError::Refused(Refusal::LimitExceeded(m)) => m.clone(),
        EnqueueError::Refused(Refusal::Db(e)) | EnqueueError::Db(e) => e.to_string(),
        EnqueueError::InsufficientCredits { available, needed } => {
            format!("needs {needed} credits; {available} are available")
        }
    }
}

/// Stages without a job: queueing ideas to the writer (stage 3) and the
/// review gate (stage 7), done at once in the run's transaction.
async fn inline_stage(
    tx: &mut Tx,
    run: &mut RunRow,
    stage: Stage,
    batch: i32,
    settings: &AutomationSettings,
) -> Result<(), DbError> {
    let scope = Scope::account(run.account_id);
    let mut total = 0usize;
    loop {
        let (items, _) = db::next_batch(tx, run.id, run.site_id, stage, batch).await?;
        if items.is_empty() {
            break;
        }
        let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
        match stage {
            Stage::Tasks => {
                igny8_db::ideas::queue_to_writer(tx, &scope, &ids).await?;
            }
            Stage::Review => {
                db::to_review(tx, &ids).await?;
            }
            _ => {}
        }
        db::take_items(tx, run.account_id, run.id, stage, &ids, None, "done").await?;
        total += ids.len();
    }
    if stage == Stage::Review {
        run.message = not_published(settings.publish_mode, total)
            .unwrap_or_else(|| format!("completed: {total} article(s) in review"));
    }
    Ok(())
}

// ---- rules (AUT-2) ----

/// Judges `rules` (locked by the caller's transaction) for one event:
/// logs each one's outcome once per event key and inserts the runs they
/// start. Returns the runs to advance after the commit. Events of a run a
/// rule started never fire rules (`loop_prevented`).
async fn judge_rules(
    tx: &mut Tx,
    rules: Vec<db::RuleRow>,
    key: &str,
    from_rule_run: bool,
) -> Result<Vec<RunRef>, DbError> {
    use igny8_core::automation::{RuleOutcome as O, rule_run_settings};
    let mut started = vec![];
    for rule in rules {
        if db::execution_exists(tx, rule.id, key).await? {
            continue;
        }
        let stage = Stage::from_number(rule.action_stage).unwrap_or(Stage::Clusters);
        let (outcome, message, run) = 'judge: {
            if from_rule_run {
                break 'judge (
                    O::LoopPrevented,
                    "the event came from a run a rule started".to_owned(),
                    None,
                );
            }
            let site: AutomationSettings = db::config(tx, rule.account_id, rule.site_id)
                .await?
                .and_then(|c| serde_json::from_value(c.settings).ok())
                .unwrap_or_default();
            if !site.enabled {
                break 'judge (
                    O::SkippedDisabled,
                    "the site's automation is off".to_owned(),
                    None,
                );
            }
            if rule.started_today >= i64::from(rule.max_executions_per_day) {
                break 'judge (
                    O::SkippedLimit,
                    format!("{} runs today already", rule.started_today),
                    None,
                );
            }
            let pending = db::pending_counts(tx, rule.site_id)
                .await?
                .into_iter()
                .find(|(s, _)| *s == stage)
                .map(|(_, n)| n)
                .unwrap_or(0);
            if pending < i64::from(rule.min_pending) {
                break 'judge (
                    O::SkippedCondition,
                    format!(
                        "{pending} pending for {stage}; the rule needs {}",
                        rule.min_pending
                    ),
                    None,
                );
            }
            let settings = rule_run_settings(&site, stage, rule.credit_limit_per_execution);
            db::savepoint(tx, db::Savepoint::Begin).await?;
            let inserted = db::insert_run(
                tx,
                db::NewRun {
                    account_id: rule.account_id,
                    site_id: rule.site_id,
                    started_by: rule.created_by,
                    trigger: "rule",
                    settings: serde_json::to_value(&settings).unwrap_or_default(),
                },
            )
            .await;
            match inserted {
                Ok(run) => {
                    db::savepoint(tx, db::Savepoint::Release).await?;
                    started.push(RunRef {
                        id: run.id,
                        account_id: run.account_id,
                    });
                    (
                        O::Started,
                        format!("started a run of stage {stage}"),
                        Some(run.id),
                    )
                }
                Err(DbError::Conflict(_)) => {
                    db::savepoint(tx, db::Savepoint::RollBack).await?;
                    (
                        O::SkippedBusy,
                        "the site has a run that is not finished".to_owned(),
                        None,
                    )
                }
                Err(e) => return Err(e),
            }
        };
        tracing::info!(rule.id = %rule.id, rule.outcome = %outcome, "automation rule judged");
        db::log_execution(tx, &rule, key, outcome, &message, run).await?;
    }
    Ok(started)
}

async fn advance_all(db_: &Db, bus: &JobsBus, runs: Vec<RunRef>) {
    for r in runs {
        if let Err(e) = advance(db_, bus, r).await {
            tracing::warn!(run.id = %r.id, error = %e, "advancing a rule's run failed; the sweeper retries");
        }
    }
}

impl Driver {
    /// A job that succeeded (or partly: it made something) raises its
    /// trigger (clusters, ideas, articles created) on its site's rules; once
    /// per rule and job. `origin` is the trigger of the run it belongs to.
    pub async fn fire_for_job(
        &self,
        job: Uuid,
        j: db::JobRef,
        origin: Option<&str>,
    ) -> Result<(), DbError> {
        let (Some(trigger), Some(site)) = (
            igny8_core::automation::RuleTrigger::of_job(j.kind),
            j.site_id,
        ) else {
            return Ok(());
        };
        let mut tx = self.db.begin_tenant(j.account_id).await?;
        let rules = db::rules_for(&mut tx, site, trigger, None).await?;
        if rules.is_empty() {
            return Ok(());
        }
        let started = judge_rules(
            &mut tx,
            rules,
            &format!("job:{job}"),
            origin == Some("rule"),
        )
        .await?;
        tx.commit().await?;
        advance_all(&self.db, &self.bus, started).await;
        Ok(())
    }

    /// `keyword_added` rules whose site got keywords since they last looked.
    pub async fn fire_keyword_rules(&self) -> Result<(), DbError> {
        let mut c = self.db.system().await?;
        let due = db::keyword_rules_due(&mut c).await?;
        c.done().await?;
        for r in due {
            let mut tx = self.db.begin_tenant(r.account_id).await?;
            let rules = db::rules_for(
                &mut tx,
                r.site_id,
                igny8_core::automation::RuleTrigger::KeywordAdded,
                Some(r.id),
            )
            .await?;
            let Some(watermark) = db::advance_watermark(&mut tx, r.id).await? else {
                continue;
            };
            let key = format!("keywords:{}", watermark.timestamp_micros());
            let started = judge_rules(&mut tx, rules, &key, false).await?;
            tx.commit().await?;
            advance_all(&self.db, &self.bus, started).await;
        }
        Ok(())
    }
}

// ---- schedules (AUT-2), on the general scheduler ----

/// The scheduler kind of a site's automation schedule (key: the site id).
pub const SCHEDULE_KIND: &str = "automation.run";

/// What a site's scheduled task carries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScheduledSite {
    pub account_id: Uuid,
    pub site_id: Uuid,
}

/// A due time of a site's schedule: inserts a `schedule` run in the
/// scheduler's transaction (so it happens once per due time: the move to
/// the next due time commits with it) and returns the first due time after
/// now — after downtime across several due times, one run. A site that is
/// busy skips this due time. The workers' automation sweep queues the new
/// run's first batch (a running run without a batch). A site whose schedule
/// was removed or whose automation is off ends the task.
pub fn schedule_handler() -> impl crate::scheduler::Handler {
    use crate::scheduler::{HandlerError, Next, handler};
    handler(|tx, due| {
        Box::pin(async move {
            let p: ScheduledSite = serde_json::from_value(due.task.payload.clone())
                .map_err(|e| -> HandlerError { Box::new(e) })?;
            let cfg = db::config(tx, p.account_id, p.site_id).await?;
            let Some(cfg) = cfg else {
                return Ok(Next::Done);
            };
            let settings: AutomationSettings =
                serde_json::from_value(cfg.settings).unwrap_or_default();
            let Some(schedule) = settings.schedule.clone().filter(|_| settings.enabled) else {
                return Ok(Next::Done);
            };
            let Some(started_by) = cfg.updated_by else {
                return Ok(Next::Done);
            };
            db::savepoint(tx, db::Savepoint::Begin).await?;
            let run = db::insert_run(
                tx,
                db::NewRun {
                    account_id: p.account_id,
                    site_id: p.site_id,
                    started_by,
                    trigger: "schedule",
                    settings: serde_json::to_value(&settings).unwrap_or_default(),
                },
            )
            .await;
            match run {
                Ok(run) => {
                    db::savepoint(tx, db::Savepoint::Release).await?;
                    tracing::info!(run.id = %run.id, site.id = %p.site_id, "scheduled automation run started");
                }
                Err(DbError::Conflict(_)) => {
                    db::savepoint(tx, db::Savepoint::RollBack).await?;
                    tracing::info!(site.id = %p.site_id, "scheduled automation run skipped: the site is busy");
                }
                Err(e) => return Err(Box::new(e) as HandlerError),
            }
            Ok(match schedule.next_after(due.now.max(due.task.due_at)) {
                Some(at) => Next::At(at, None),
                None => Next::Done,
            })
        })
    })
}
