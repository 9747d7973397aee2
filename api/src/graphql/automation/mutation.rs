use super::query::{run_shown, settings, visible_site};
use super::types::{
    AutomationConfig, AutomationFrequency, AutomationPublishMode, AutomationRun, AutomationStage,
};
use crate::error::{ApiError, not_found};
use crate::graphql::jobs::bus::JobsBus;
use crate::graphql::spine::{caller, ensure_site_admin, ensure_writer, maybe_id, parse_id};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use igny8_core::automation::{PauseReason, RunStatus, StageSettings};
use igny8_db::automation as runs;
use igny8_db::automation::RunRef;
use igny8_jobs::automation as driver;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Default)]
pub struct AutomationMutation;

#[derive(InputObject)]
pub struct AutomationStageConfigInput {
    pub stage: AutomationStage,
    pub enabled: Option<bool>,
    /// 1 to the stage's `maxBatchSize`.
    pub batch_size: Option<i32>,
}

#[derive(InputObject)]
pub struct AutomationScheduleInput {
    pub frequency: AutomationFrequency,
    /// `HH:MM`, 24 hours (daily, weekly, monthly).
    pub time: Option<String>,
    /// 0 (Sunday) – 6 (weekly).
    pub weekday: Option<i32>,
    /// 1–28 (monthly).
    pub day_of_month: Option<i32>,
    /// Five fields (CRON).
    pub cron: Option<String>,
    /// An IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: String,
}

#[derive(InputObject)]
pub struct UpdateAutomationConfigInput {
    pub site_id: ID,
    pub enabled: Option<bool>,
    /// Stages to change; the others keep their settings.
    pub stages: Option<Vec<AutomationStageConfigInput>>,
    /// `null` clears it.
    pub author_profile_id: MaybeUndefined<ID>,
    pub publish_mode: Option<AutomationPublishMode>,
    /// `null` clears it (no cap).
    pub credit_cap: MaybeUndefined<i64>,
    pub images_per_article: Option<i32>,
    pub delay_seconds: Option<i32>,
    /// SCHEDULED publish mode: minutes after stage 7 the posts go live (5–43200).
    pub publish_delay_minutes: Option<i32>,
    /// `null` removes it.
    pub schedule: MaybeUndefined<AutomationScheduleInput>,
}

#[derive(InputObject)]
pub struct StartAutomationRunInput {
    pub site_id: ID,
}

#[derive(InputObject)]
pub struct AutomationRunInput {
    pub run_id: ID,
}

fn bus<'a>(ctx: &Context<'a>) -> &'a JobsBus {
    ctx.data_unchecked::<Arc<JobsBus>>()
}

/// Publishes the run's new state after its change committed, then lets
/// the run move on when it has no batch in flight (start, resume).
async fn after_change(ctx: &Context<'_>, state: driver::RunState, advance: bool) {
    let b = bus(ctx);
    driver::publish(b, &state).await;
    if advance && state.run.current_job_id.is_none() {
        let r = RunRef {
            id: state.run.id,
            account_id: state.run.account_id,
        };
        let db = crate::graphql::context::db(ctx);
        if let Err(e) = driver::advance(db, b, r).await {
            // the workers' sweeper moves it later
            tracing::warn!(run.id = %r.id, error = %e, "advancing a run after its change failed");
        }
    }
}

/// Puts the site's schedule on the scheduler (its next due time from now),
/// or takes it off when it has none or automation is off. System work: the
/// scheduler's table is not a tenant table.
async fn sync_schedule(
    ctx: &Context<'_>,
    site: driver::ScheduledSite,
    s: &igny8_core::automation::AutomationSettings,
) -> Result<()> {
    let db = crate::graphql::context::db(ctx);
    let key = site.site_id.to_string();
    let next = s
        .schedule
        .as_ref()
        .filter(|_| s.enabled)
        .and_then(|sc| sc.next_after(chrono::Utc::now()));
    let synced = async {
        let mut conn = db.system().await?;
        match next {
            Some(at) => {
                let payload = serde_json::to_value(&site).unwrap_or_default();
                igny8_db::schedule::schedule(&mut conn, driver::SCHEDULE_KIND, &key, at, &payload)
                    .await?;
            }
            None => {
                igny8_db::schedule::cancel(&mut conn, driver::SCHEDULE_KIND, &key).await?;
            }
        }
        conn.done().await
    }
    .await;
    synced.map_err(|e| crate::error::gql(ApiError::internal(e)))
}

fn conflict(message: impl Into<String>) -> ApiError {
    ApiError::Conflict {
        field: None,
        message: message.into(),
    }
}

/// Which change a run accepts in which state, and who may make it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Pause,
    Resume,
    Cancel,
}

impl AutomationMutation {
    async fn change(
        &self,
        ctx: &Context<'_>,
        input: AutomationRunInput,
        change: Change,
    ) -> Result<AutomationRun> {
        let c = caller(ctx).await?;
        let id = parse_id("runId", &input.run_id)?;
        let state = c
            .run(async |tx| {
                let mut run = runs::lock_run(tx, id)
                    .await?
                    .filter(|r| c.scope.site_ids().is_none_or(|s| s.contains(&r.site_id)))
                    .filter(|r| c.scope.account_id.is_none_or(|a| a == r.account_id))
                    .ok_or(ApiError::NotFound("automation run"))?;
                match change {
                    // editors on granted sites may pause
                    Change::Pause => ensure_writer(c.actor, run.site_id)?,
                    Change::Resume => ensure_site_admin(c.actor, "resume automation runs")?,
                    Change::Cancel => ensure_site_admin(c.actor, "cancel automation runs")?,
                }
                match (change, run.status) {
                    (Change::Pause, RunStatus::Running) => {
                        run.status = RunStatus::Paused;
                        run.pause_reason = Some(PauseReason::Requested.as_str().into());
                        run.message = match run.current_job_id {
                            Some(_) => "paused: the batch in flight finishes first".into(),
                            None => "paused".into(),
                        };
                    }
                    (Change::Resume, RunStatus::Paused) => {
                        run.status = RunStatus::Running;
                        run.pause_reason = None;
                        run.next_batch_at = None;
                        run.started_by = c.actor.user_id;
                        run.message = "resumed".into();
                    }
                    (Change::Cancel, s) if s.is_active() => {
                        run.status = RunStatus::Cancelled;
                        run.pause_reason = None;
                        run.message = match run.current_job_id {
                            Some(_) => "cancelled: the batch in flight finishes first".into(),
                            None => "cancelled".into(),
                        };
                    }
                    (Change::Pause, s) => {
                        return Err(conflict(format!("the run is {s}, not running")));
                    }
                    (Change::Resume, s) => {
                        return Err(conflict(format!("the run is {s}, not paused")));
                    }
                    (Change::Cancel, s) => return Err(conflict(format!("the run is already {s}"))),
                }
                let run = runs::update_run(tx, &run).await?;
                Ok(driver::state(tx, run).await?)
            })
            .await?;
        after_change(ctx, state, change == Change::Resume).await;
        c.run(async |tx| run_shown(tx, &c.scope, id).await).await
    }
}

#[Object]
impl AutomationMutation {
    /// Changes a site's automation configuration (owners and admins).
    async fn update_automation_config(
        &self,
        ctx: &Context<'_>,
        input: UpdateAutomationConfigInput,
    ) -> Result<AutomationConfig> {
        let c = caller(ctx).await?;
        let site = parse_id("siteId", &input.site_id)?;
        let author = maybe_id("authorProfileId", &input.author_profile_id)?;
        let schedule = match &input.schedule {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(i) => Some(Some(
                igny8_core::automation::Schedule::build(
                    i.frequency.into(),
                    i.time.as_deref(),
                    i.weekday,
                    i.day_of_month,
                    i.cron.as_deref(),
                    &i.time_zone,
                )
                .map_err(crate::error::gql)?,
            )),
        };
        let (config, site_ref, s) = c
            .run(async |tx| {
                let site = visible_site(tx, &c.scope, site).await?;
                ensure_site_admin(c.actor, "configure automation")?;
                let (mut s, _) = settings(tx, &site).await?;
                if let Some(e) = input.enabled {
                    s.enabled = e;
                }
                for st in input.stages.iter().flatten() {
                    let stage = st.stage.into();
                    let mut cur = s.stage(stage);
                    if let Some(e) = st.enabled {
                        cur.enabled = e;
                    }
                    if let Some(b) = st.batch_size {
                        cur.batch_size = b;
                    }
                    s.stages.retain(|x: &StageSettings| x.stage != stage);
                    s.stages.push(cur);
                }
                if let Some(a) = author {
                    if let Some(id) = a {
                        igny8_db::thinker::get_author(tx, site.account_id, id)
                            .await
                            .map_err(not_found("author profile"))?;
                    }
                    s.author_profile_id = a;
                }
                if let Some(m) = input.publish_mode {
                    s.publish_mode = m.into();
                }
                match input.credit_cap {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => s.credit_cap = None,
                    MaybeUndefined::Value(v) => s.credit_cap = Some(v),
                }
                if let Some(n) = input.images_per_article {
                    s.images_per_article = n;
                }
                if let Some(n) = input.delay_seconds {
                    s.delay_seconds = n;
                }
                if let Some(sc) = schedule {
                    s.schedule = sc;
                }
                if let Some(n) = input.publish_delay_minutes {
                    s.publish_delay_minutes = n;
                }
                let s = s.validated()?;
                let value = serde_json::to_value(&s).map_err(ApiError::internal)?;
                let row = runs::save_config(tx, site.account_id, site.id, &value, c.actor.user_id)
                    .await?;
                let connected = igny8_db::publishing::connection(tx, site.account_id, site.id)
                    .await?
                    .is_some();
                Ok((
                    AutomationConfig::new(site.id, &s, Some(row.updated_at), connected),
                    driver::ScheduledSite {
                        account_id: site.account_id,
                        site_id: site.id,
                    },
                    s,
                ))
            })
            .await?;
        sync_schedule(ctx, site_ref, &s).await?;
        Ok(config)
    }

    /// Starts the site's pipeline now (owners, admins, editors on the
    /// site). `CONFLICT` when the site already has a run that is not
    /// finished. Returns the run after its first batch was queued.
    async fn start_automation_run(
        &self,
        ctx: &Context<'_>,
        input: StartAutomationRunInput,
    ) -> Result<AutomationRun> {
        let c = caller(ctx).await?;
        let site = parse_id("siteId", &input.site_id)?;
        let state = c
            .run(async |tx| {
                let site = visible_site(tx, &c.scope, site).await?;
                ensure_writer(c.actor, site.id)?;
                let (s, _) = settings(tx, &site).await?;
                let run = runs::insert_run(
                    tx,
                    runs::NewRun {
                        account_id: site.account_id,
                        site_id: site.id,
                        started_by: c.actor.user_id,
                        trigger: "manual",
                        settings: serde_json::to_value(&s).map_err(ApiError::internal)?,
                    },
                )
                .await?;
                Ok(driver::state(tx, run).await?)
            })
            .await?;
        let id: Uuid = state.run.id;
        after_change(ctx, state, true).await;
        c.run(async |tx| run_shown(tx, &c.scope, id).await).await
    }

    /// Pauses a running run after the batch in flight (owners, admins,
    /// editors on the site).
    async fn pause_automation_run(
        &self,
        ctx: &Context<'_>,
        input: AutomationRunInput,
    ) -> Result<AutomationRun> {
        self.change(ctx, input, Change::Pause).await
    }

    /// Resumes a paused run where it stopped (owners and admins).
    async fn resume_automation_run(
        &self,
        ctx: &Context<'_>,
        input: AutomationRunInput,
    ) -> Result<AutomationRun> {
        self.change(ctx, input, Change::Resume).await
    }

    /// Cancels a run after the batch in flight (owners and admins).
    async fn cancel_automation_run(
        &self,
        ctx: &Context<'_>,
        input: AutomationRunInput,
    ) -> Result<AutomationRun> {
        self.change(ctx, input, Change::Cancel).await
    }
}
