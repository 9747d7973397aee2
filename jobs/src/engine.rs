//! Runs one job through INIT → PREP → AI_CALL → PARSE → SAVE → DONE under a
//! lease: renewed while running (by `crate::lease`, off this runtime),
//! checked at every step, and required by the SAVE transaction (fencing).
//! Outcomes: saved, retry later (transient error, capped exponential
//! backoff with jitter), failed (hold released), cancelled (hold
//! released), or lease lost (another worker owns the job).
//!
//! The engine is generic over [`Kind`]: it records every step, wraps each
//! provider call so a cancel or a lost lease drops it, stores the raw
//! output, and owns the SAVE transaction; the kind loads, calls, parses
//! and writes.

use crate::events::{JobEvent, Publisher};
use crate::kinds::{CallCtx, Calls, Kind, Prep, Prompts};
use crate::lease::{LeaseKeeper, LeaseSignals};
use crate::provider::Usage;
use crate::settings::Providers;
use chrono::Utc;
use igny8_core::Scope;
use igny8_core::jobs::{
    CreditCosts, ItemOutcome, ItemStatus, JobInput, JobPhase, JobStatus, cancelled_message,
    failure_message, outcome_status,
};
use igny8_db::jobs::{Settlement, Step};
use igny8_db::models::{AiJob, IntegrationSettings};
use igny8_db::{Db, DbError};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

pub use crate::kinds::RunError;

pub struct Runtime {
    pub db: Db,
    pub publisher: Publisher,
    /// Server defaults and the key that opens accounts' API keys.
    pub providers: Arc<Providers>,
    pub lease_secs: i64,
    pub max_attempts: i32,
    pub media: crate::media::MediaStore,
    /// Renews the leases of running jobs from its own thread.
    pub leases: LeaseKeeper,
    /// Failpoint for the fault tests (`IGNY8_FAULT_CRASH_AFTER_SAVE=1`):
    /// abort the process right after a SAVE commits, before its XACK.
    pub crash_after_save: bool,
}

/// A claimed job being run: the lease token fences every write.
pub struct Run<'a> {
    pub rt: &'a Runtime,
    pub job: AiJob,
    pub token: Uuid,
    /// Set by the lease keeper: lease lost, cancellation requested.
    pub lease: Arc<LeaseSignals>,
}

impl Run<'_> {
    /// Records and publishes a step; stops the run if the lease is lost or
    /// cancellation was requested (at a phase boundary).
    pub async fn step(
        &mut self,
        phase: JobPhase,
        done: i32,
        total: i32,
        message: &str,
    ) -> Result<(), RunError> {
        self.step_at(phase, phase.percent(done, total), done, total, message)
            .await
    }

    /// A step whose percent is not its items' share of the band: PARSE and
    /// SAVE start their band with every item already called ("5 of 5").
    pub async fn step_at(
        &mut self,
        phase: JobPhase,
        percent: i32,
        done: i32,
        total: i32,
        message: &str,
    ) -> Result<(), RunError> {
        if self.lease_lost() {
            return Err(RunError::LeaseLost);
        }
        // one statement in autocommit (the worker's pool runs as the
        // system role): one round trip
        let mut c = self.rt.db.system().await?;
        let row = igny8_db::jobs::progress(
            &mut c,
            self.job.id,
            self.token,
            &Step {
                phase,
                percent,
                items_done: done,
                items_total: total,
                message,
            },
        )
        .await?;
        c.done().await?;
        self.accept(row).await
    }

    /// Takes the row a fenced step returned (committed by the caller):
    /// `None` means the lease is lost. Publishes it, and stops the run if
    /// cancellation was requested (a phase boundary).
    pub async fn accept(&mut self, row: Option<AiJob>) -> Result<(), RunError> {
        self.accept_after(row, &[]).await
    }

    /// [`Self::accept`] for a row whose statement also recorded the steps
    /// `earlier` before it (its `seq` advanced by `earlier.len() + 1`):
    /// their events go out first, with their own `seq`, in the same round
    /// trip.
    pub async fn accept_after(
        &mut self,
        row: Option<AiJob>,
        earlier: &[Step<'_>],
    ) -> Result<(), RunError> {
        let Some(row) = row else {
            return Err(RunError::LeaseLost);
        };
        let last = JobEvent::from(&row);
        let mut events: Vec<JobEvent> = earlier
            .iter()
            .enumerate()
            .map(|(i, st)| JobEvent {
                seq: row.seq - (earlier.len() - i) as i64,
                status: JobStatus::Running,
                phase: st.phase,
                percent: st.percent,
                items_done: st.items_done,
                items_total: st.items_total,
                message: st.message.into(),
                error: None,
                ..last.clone()
            })
            .collect();
        events.push(last);
        self.publish_all(&events).await;
        let cancel = row.cancel_requested;
        self.job = row;
        if cancel {
            Err(RunError::Cancelled)
        } else {
            Ok(())
        }
    }

    async fn publish(&self, row: &AiJob) {
        self.publish_all(&[JobEvent::from(row)]).await;
    }

    /// Several events in one Redis round trip.
    pub async fn publish_all(&self, events: &[JobEvent]) {
        if let Err(e) = self.rt.publisher.publish_all(events).await {
            // subscribers resync from PostgreSQL; the job goes on
            tracing::warn!(job.id = %self.job.id, error = %e, "progress event not published");
        }
    }

    pub fn lease_lost(&self) -> bool {
        self.lease.lost()
    }

    /// Runs a provider call unless cancellation or a lost lease stops it
    /// first; dropping the future aborts the HTTP request in flight.
    pub async fn abortable<T>(&self, call: impl Future<Output = T>) -> Result<T, RunError> {
        let stopped = || {
            if self.lease_lost() {
                RunError::LeaseLost
            } else {
                RunError::Cancelled
            }
        };
        if self.lease.lost() || self.lease.cancel_requested() {
            return Err(stopped());
        }
        tokio::select! {
            out = call => Ok(out),
            _ = self.lease.stop.notified() => Err(stopped()),
        }
    }
}

/// Backoff before attempt `n` (1-based): 1 s, 2 s, 4 s … capped at 60 s,
/// with up to 50 % jitter.
pub fn backoff(attempt: i32) -> Duration {
    let base = 1u64 << attempt.clamp(1, 7).saturating_sub(1);
    let capped = base.min(60) as f64;
    let jitter = 1.0 + rand::random::<f64>() * 0.5;
    Duration::from_secs_f64(capped * jitter)
}

/// The step a delivery's claim records: INIT. The claim validates that the
/// job is due and ours; PREP is recorded with AI_CALL at the end of PREP's
/// transaction (see [`Run::accept_after`]).
pub const CLAIM_PHASE: JobPhase = JobPhase::Init;
pub const CLAIM_MESSAGE: &str = "validating";

/// Runs a job that [`igny8_db::jobs::deliver`] claimed with `token`.
/// Returns `true` when the stream entry can be acknowledged (the job is
/// settled, failed, retried later, or not ours).
pub async fn run_claimed(rt: &Runtime, job: AiJob, token: Uuid) -> Result<bool, DbError> {
    tracing::info!(job.id = %job.id, job.kind = %job.kind, job.attempt = job.attempt, "job started");

    let watched = rt.leases.watch(job.id, token);
    let mut run = Run {
        rt,
        job,
        token,
        lease: watched.signals.clone(),
    };
    let outcome = execute(&mut run).await;
    drop(watched);

    let id = run.job.id;
    let finished = match outcome {
        Ok(()) => return Ok(true),
        Err(RunError::LeaseLost) => {
            tracing::warn!(job.id = %id, "lease lost; another worker owns the job");
            return Ok(true);
        }
        Err(RunError::Cancelled) => {
            finish(
                rt,
                id,
                token,
                JobStatus::Cancelled,
                None,
                "cancelled; nothing was saved",
            )
            .await?
        }
        Err(RunError::Permanent(msg)) => {
            finish(rt, id, token, JobStatus::Failed, Some(&msg), "failed").await?
        }
        Err(RunError::Transient(msg)) if run.job.attempt < rt.max_attempts => {
            let after = Utc::now()
                + chrono::Duration::from_std(backoff(run.job.attempt)).unwrap_or_default();
            let mut c = rt.db.system().await?;
            let row = igny8_db::jobs::retry_later(&mut c, id, token, after, &msg).await?;
            c.done().await?;
            tracing::warn!(job.id = %id, error = %msg, "transient failure; retrying later");
            row
        }
        Err(RunError::Transient(msg)) => {
            let msg = format!("gave up after {} attempts: {msg}", run.job.attempt);
            finish(rt, id, token, JobStatus::Failed, Some(&msg), "failed").await?
        }
        Err(RunError::Db(e)) => {
            // the database itself failed: let the lease expire and the job be reclaimed
            tracing::error!(job.id = %id, error = %e, "database error while running a job");
            return Ok(false);
        }
    };
    if let Some(row) = finished {
        run.publish(&row).await;
    }
    Ok(true)
}

async fn finish(
    rt: &Runtime,
    id: Uuid,
    token: Uuid,
    status: JobStatus,
    error: Option<&str>,
    message: &str,
) -> Result<Option<AiJob>, DbError> {
    // one statement (job, then account): atomic in autocommit
    let mut c = rt.db.system().await?;
    let row = igny8_db::jobs::finish_unsuccessful(&mut c, id, Some(token), status, error, message)
        .await?;
    c.done().await?;
    tracing::info!(job.id = %id, job.status = %status, error = error.unwrap_or(""), "job ended");
    Ok(row)
}

/// Reads the job's input (any version this code knows) and runs its kind.
async fn execute(run: &mut Run<'_>) -> Result<(), RunError> {
    // the claim recorded INIT
    let claimed = run.job.clone();
    run.accept(Some(claimed)).await?;
    // a payload of the previous version is upgraded; an unreadable one
    // fails the job with the reason
    let input = JobInput::decode(run.job.kind, &run.job.payload)
        .map_err(|e| RunError::Permanent(e.to_string()))?;
    let author = input.author_profile_id();
    let items = input.item_ids();
    crate::for_each_kind!(input, |K, i| execute_kind::<K>(run, i, author, &items)
        .await)
}

async fn execute_kind<K: Kind>(
    run: &mut Run<'_>,
    input: K::Input,
    author: Option<Uuid>,
    items: &[Uuid],
) -> Result<(), RunError> {
    let (prepared, settings) = prep::<K>(run, &input, author).await?;
    let total = K::items(&prepared);
    let parse = Step {
        phase: JobPhase::Parse,
        percent: JobPhase::Parse.percent(0, total),
        items_done: total,
        items_total: total,
        message: "checking the AI output",
    };
    let (raw, cancelled) = match run.job.raw_output.clone() {
        // a previous run paid for it already
        Some(raw) => {
            run.step_at(JobPhase::Parse, parse.percent, total, total, parse.message)
                .await?;
            (raw, false)
        }
        None => {
            let out = call::<K>(run, &prepared, total, settings.as_ref()).await?;
            if run.lease_lost() {
                return Err(RunError::LeaseLost);
            }
            // the output and the PARSE step in one statement
            let mut c = run.rt.db.system().await?;
            let row = igny8_db::jobs::store_raw_output(
                &mut c,
                run.job.id,
                run.token,
                &igny8_db::jobs::RawOutput {
                    raw: &out.raw,
                    model: &out.model,
                    tokens_in: out.usage.tokens_in,
                    tokens_out: out.usage.tokens_out,
                    cost_micro_usd: out.usage.cost_micro_usd,
                },
                &parse,
            )
            .await?;
            c.done().await?;
            if out.cancelled {
                // cancelled during AI_CALL: what was finished is saved below
                run.accept(row).await.or_else(|e| match e {
                    RunError::Cancelled => Ok(()),
                    other => Err(other),
                })?;
            } else {
                run.accept(row).await?;
            }
            (out.raw, out.cancelled)
        }
    };
    let parsed = K::parse(&prepared, &raw)?;
    let end = End { cancelled, items };
    let (saving, done) = save::<K>(&run.rt.db, &run.job, run.token, prepared, parsed, end).await?;
    if run.rt.crash_after_save {
        tracing::error!(job.id = %done.id, "failpoint: crashing after SAVE, before XACK");
        std::process::abort();
    }
    run.publish_all(&[JobEvent::from(&saving), JobEvent::from(&done)])
        .await;
    run.job = done;
    tracing::info!(job.id = %run.job.id, job.status = %run.job.status, credits = run.job.credits_charged, "job ended");
    Ok(())
}

/// PREP: the kind loads its data and renders its prompts in the job's
/// tenant transaction, which also reads the account's integration settings
/// and records the PREP and AI_CALL steps (one fenced statement; RLS
/// applies to the job row like to the rest), published after the commit.
async fn prep<K: Kind>(
    run: &mut Run<'_>,
    input: &K::Input,
    author: Option<Uuid>,
) -> Result<(K::Prepared, Option<IntegrationSettings>), RunError> {
    let acc = run.job.account_id;
    let mut tx = run.rt.db.begin_tenant(acc).await?;
    let prompts = Prompts::load(&mut tx, acc, K::KIND.ai_function(), author).await?;
    let mut prep = Prep {
        job: &run.job,
        scope: Scope::account(acc),
        prompts,
    };
    let prepared = K::prep(&mut tx, &mut prep, input).await?;
    let settings = igny8_db::integrations::get(&mut tx, acc).await?;
    let total = K::items(&prepared);
    if total == 0 {
        return Err(RunError::Permanent(
            "nothing left to work on: the items were deleted".into(),
        ));
    }
    let prep_step = Step {
        phase: JobPhase::Prep,
        percent: JobPhase::Prep.percent(0, total),
        items_done: 0,
        items_total: total,
        message: "loading data",
    };
    let row = igny8_db::jobs::progress_by(
        &mut tx,
        run.job.id,
        run.token,
        &Step {
            phase: JobPhase::AiCall,
            percent: JobPhase::AiCall.percent(0, total),
            items_done: 0,
            items_total: total,
            message: "calling the AI provider",
        },
        2,
    )
    .await?;
    tx.commit().await?;
    run.accept_after(row, &[prep_step]).await?;
    Ok((prepared, settings))
}

/// What AI_CALL produced: the raw output (stored) and its cost.
struct CallOutput {
    raw: Value,
    model: String,
    usage: Usage,
    /// A cancel stopped a per-item kind after some items: the raw output
    /// holds those, which SAVE keeps (the rest are cancelled items).
    cancelled: bool,
}

/// AI_CALL: one provider call per item, each dropped on a cancel or a lost
/// lease; per-item kinds record a step after each item.
async fn call<K: Kind>(
    run: &mut Run<'_>,
    prepared: &K::Prepared,
    total: i32,
    settings: Option<&IntegrationSettings>,
) -> Result<CallOutput, RunError> {
    let ai = run
        .rt
        .providers
        .resolve(run.job.account_id, settings)
        .map_err(|e| RunError::Permanent(format!("integration settings: {e}")))?;
    let model = K::KIND
        .ai_function()
        .map_or_else(String::new, |f| ai.model(f));
    let ctx = CallCtx {
        ai: &ai,
        media: &run.rt.media,
        db: &run.rt.db,
        providers: &run.rt.providers,
    };
    let mut usage = Usage::default();
    let mut entries = Vec::with_capacity(total as usize);
    let mut cancelled = false;
    for i in 0..total as usize {
        let called = match run.abortable(K::call(prepared, i, &ctx)).await {
            Ok(r) => r?,
            // items already called are kept (per-item kinds save them)
            Err(RunError::Cancelled) if !entries.is_empty() => {
                cancelled = true;
                break;
            }
            Err(e) => return Err(e),
        };
        usage.tokens_in += called.usage.tokens_in;
        usage.tokens_out += called.usage.tokens_out;
        usage.cost_micro_usd += called.usage.cost_micro_usd;
        entries.push(called.entry);
        if let Calls::PerItem { noun } = K::CALLS {
            let done = i as i32 + 1;
            match run
                .step(
                    JobPhase::AiCall,
                    done,
                    total,
                    &format!("{done} of {total} {noun}"),
                )
                .await
            {
                Ok(()) => {}
                Err(RunError::Cancelled) => {
                    cancelled = true;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
    }
    let raw = match K::CALLS {
        // one call: a cancel before it ended leaves nothing to save
        Calls::One if cancelled => return Err(RunError::Cancelled),
        Calls::One => entries.pop().unwrap_or(Value::Null),
        Calls::PerItem { .. } => json!({"items": entries}),
    };
    Ok(CallOutput {
        raw,
        model,
        usage,
        cancelled,
    })
}

/// How SAVE ends the job: whether a cancel stopped AI_CALL (what was
/// finished is saved, the rest are cancelled items), and the input's items.
pub struct End<'a> {
    pub cancelled: bool,
    pub items: &'a [Uuid],
}

/// SAVE: one transaction in the job's tenant — the fenced SAVE step first
/// (a zombie stops before writing anything, and a cancel requested since
/// PARSE is honoured here), the kind's results, then the fenced
/// settlement; committed only if the fence held, else rolled back whole.
/// Returns the SAVE step's row and the finished job, for the caller to
/// publish after the commit.
pub async fn save<K: Kind>(
    db: &Db,
    job: &AiJob,
    token: Uuid,
    prepared: K::Prepared,
    parsed: K::Parsed,
    end: End<'_>,
) -> Result<(AiJob, AiJob), RunError> {
    let total = K::items(&prepared);
    let mut tx = db.begin_tenant(job.account_id).await?;
    let saving = igny8_db::jobs::progress(
        &mut tx,
        job.id,
        token,
        &Step {
            phase: JobPhase::Save,
            percent: JobPhase::Save.percent(0, total),
            items_done: total,
            items_total: total,
            message: "saving",
        },
    )
    .await?
    .ok_or(RunError::LeaseLost)?;
    if saving.cancel_requested && !end.cancelled {
        // cancelled after every call: nothing written; the caller ends
        // the job as cancelled
        return Err(RunError::Cancelled);
    }
    let costs = {
        let plan = igny8_db::accounts::plan_of_account(&mut tx, job.account_id).await?;
        CreditCosts::with_overrides(&plan.credit_costs)
    };
    let saved = K::save(&mut tx, prepared, parsed).await?;
    let outcomes = complete_outcomes(saved.outcomes, end.items, end.cancelled);
    let status = outcome_status(&outcomes, end.cancelled);
    let message = match status {
        JobStatus::Cancelled => cancelled_message(&outcomes, &saved.summary),
        _ => saved.summary.clone(),
    };
    // kept for readers of the result's first shape
    let errors: Vec<Value> = outcomes
        .iter()
        .filter(|o| o.status == ItemStatus::Failed)
        .map(|o| json!({"id": o.id, "error": o.error}))
        .collect();
    let settlement = Settlement {
        status,
        error: failure_message(&outcomes),
        charge: K::KIND
            .ai_function()
            .map_or(0, |f| costs.cost(f, saved.succeeded)),
        result: json!({
            "summary": saved.summary, "items": saved.created, "errors": errors, "outcomes": outcomes,
        }),
        message,
        operation: K::KIND.as_str().into(),
        related_type: Some(saved.related.into()),
        related_ids: saved.created.clone(),
    };
    match igny8_db::jobs::settle_success(&mut tx, &saving, token, settlement).await? {
        Some(done) => {
            tx.commit().await?;
            Ok((saving, done))
        }
        // fencing refused: another worker owns the job; roll everything back
        None => Err(RunError::LeaseLost),
    }
}

/// The kind's outcomes in input order, with an outcome for every item it
/// did not report: cancelled when a cancel stopped the job, else failed.
fn complete_outcomes(
    mut reported: Vec<ItemOutcome>,
    items: &[Uuid],
    cancelled: bool,
) -> Vec<ItemOutcome> {
    let mut out = Vec::with_capacity(items.len().max(reported.len()));
    for id in items {
        match reported.iter().position(|o| o.id == *id) {
            Some(p) => out.push(reported.swap_remove(p)),
            None if cancelled => out.push(ItemOutcome::cancelled(*id)),
            None => out.push(ItemOutcome::failed(
                *id,
                "no longer exists (deleted while the job ran)",
            )),
        }
    }
    // outcomes of items the input did not name directly stay too
    out.extend(reported);
    out
}

#[cfg(test)]
mod tests {
    use super::{backoff, complete_outcomes};
    use igny8_core::jobs::{ItemOutcome, ItemStatus};
    use uuid::Uuid;

    #[test]
    fn every_item_gets_an_outcome_in_input_order() {
        let ids: Vec<Uuid> = (1..=3).map(Uuid::from_u128).collect();
        let out = complete_outcomes(vec![ItemOutcome::succeeded(ids[1])], &ids, true);
        let st: Vec<ItemStatus> = out.iter().map(|o| o.status).collect();
        assert_eq!(
            st,
            [
                ItemStatus::Cancelled,
                ItemStatus::Succeeded,
                ItemStatus::Cancelled
            ]
        );
        let out = complete_outcomes(vec![ItemOutcome::succeeded(ids[0])], &ids[..2], false);
        assert_eq!(out[1].status, ItemStatus::Failed);
        assert!(
            out[1]
                .error
                .as_deref()
                .unwrap()
                .contains("no longer exists")
        );
    }

    use std::time::Duration;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        for _ in 0..200 {
            let b1 = backoff(1);
            assert!(
                b1 >= Duration::from_secs(1) && b1 <= Duration::from_millis(1500),
                "{b1:?}"
            );
            let b3 = backoff(3);
            assert!(
                b3 >= Duration::from_secs(4) && b3 <= Duration::from_secs(6),
                "{b3:?}"
            );
            let b50 = backoff(50);
            assert!(
                b50 >= Duration::from_secs(60) && b50 <= Duration::from_secs(90),
                "{b50:?}"
            );
        }
        // jitter spreads retries of jobs that failed together
        let samples: std::collections::HashSet<u128> =
            (0..50).map(|_| backoff(2).as_millis()).collect();
        assert!(samples.len() > 10);
    }
}
