//! Runs one job through INIT → PREP → AI_CALL → PARSE → SAVE → DONE under a
//! lease: renewed while running, checked at every step, and required by the
//! SAVE transaction (fencing). Outcomes: saved, retry later (transient
//! error, capped exponential backoff with jitter), failed (hold released),
//! cancelled (hold released), or lease lost (another worker owns the job).

use crate::events::{JobEvent, Publisher};
use crate::functions::Work;
use crate::settings::Providers;
use chrono::Utc;
use igny8_core::jobs::JobPhase;
use igny8_db::jobs::Step;
use igny8_db::models::AiJob;
use igny8_db::{Db, DbError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The provider or a dependency failed in a way worth retrying.
    #[error("{0}")]
    Transient(String),
    /// Bad input or bad AI output: retrying will not help.
    #[error("{0}")]
    Permanent(String),
    #[error("cancelled")]
    Cancelled,
    /// Another worker owns the job now; change nothing.
    #[error("lease lost")]
    LeaseLost,
    #[error("database: {0}")]
    Db(#[from] DbError),
}

pub struct Runtime {
    pub db: Db,
    pub publisher: Publisher,
    /// Server defaults and the key that opens accounts' API keys.
    pub providers: Arc<Providers>,
    pub lease_secs: i64,
    pub max_attempts: i32,
    pub media: crate::media::MediaStore,
    /// Failpoint for the fault tests (`IGNY8_FAULT_CRASH_AFTER_SAVE=1`):
    /// abort the process right after a SAVE commits, before its XACK.
    pub crash_after_save: bool,
}

/// A claimed job being run: the lease token fences every write.
pub struct Run<'a> {
    pub rt: &'a Runtime,
    pub job: AiJob,
    pub token: Uuid,
    pub lost: Arc<AtomicBool>,
    /// Set by the lease renewer when cancellation is requested, so a
    /// provider call in flight is dropped rather than awaited.
    pub cancel: Arc<tokio::sync::Notify>,
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
        if self.lost.load(Ordering::Acquire) {
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
                phase: phase.as_str(),
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
                status: "running".into(),
                phase: st.phase.into(),
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
        self.lost.load(Ordering::Acquire)
    }

    /// Runs a provider call unless cancellation or a lost lease stops it
    /// first; dropping the future aborts the HTTP request in flight.
    pub async fn abortable<T>(&self, call: impl Future<Output = T>) -> Result<T, RunError> {
        tokio::select! {
            out = call => Ok(out),
            _ = self.cancel.notified() => {
                if self.lease_lost() { Err(RunError::LeaseLost) } else { Err(RunError::Cancelled) }
            }
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
    tracing::info!(job.id = %job.id, job.function = %job.function, job.attempt = job.attempt, "job started");

    let lost = Arc::new(AtomicBool::new(false));
    let cancel = Arc::new(tokio::sync::Notify::new());
    let renewer = spawn_renewer(
        rt.db.clone(),
        job.id,
        token,
        rt.lease_secs,
        lost.clone(),
        cancel.clone(),
    );
    let mut run = Run {
        rt,
        job,
        token,
        lost: lost.clone(),
        cancel,
    };
    let outcome = execute(&mut run).await;
    renewer.abort();

    let id = run.job.id;
    let finished = match outcome {
        Ok(()) => return Ok(true),
        Err(RunError::LeaseLost) => {
            tracing::warn!(job.id = %id, "lease lost; another worker owns the job");
            return Ok(true);
        }
        Err(RunError::Cancelled) => finish(rt, id, token, "cancelled", None, "cancelled").await?,
        Err(RunError::Permanent(msg)) => {
            finish(rt, id, token, "failed", Some(&msg), "failed").await?
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
            finish(rt, id, token, "failed", Some(&msg), "failed").await?
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
    status: &str,
    error: Option<&str>,
    message: &str,
) -> Result<Option<AiJob>, DbError> {
    // one statement (job, then account): atomic in autocommit
    let mut c = rt.db.system().await?;
    let row = igny8_db::jobs::finish_unsuccessful(&mut c, id, Some(token), status, error, message)
        .await?;
    c.done().await?;
    tracing::info!(job.id = %id, job.status = status, error = error.unwrap_or(""), "job ended");
    Ok(row)
}

fn spawn_renewer(
    db: Db,
    id: Uuid,
    token: Uuid,
    lease_secs: i64,
    lost: Arc<AtomicBool>,
    cancel: Arc<tokio::sync::Notify>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // often enough that a cancel stops a long provider call within ~2 s
        let every = Duration::from_secs_f64((lease_secs as f64 / 3.0).clamp(0.2, 2.0));
        loop {
            tokio::time::sleep(every).await;
            let renewed = async {
                let mut c = db.system().await?;
                let r = igny8_db::jobs::renew(&mut c, id, token, lease_secs).await?;
                c.done().await?;
                Ok::<_, DbError>(r)
            }
            .await;
            match renewed {
                Ok(None) => {
                    lost.store(true, Ordering::Release);
                    cancel.notify_one();
                    return;
                }
                Ok(Some(true)) => {
                    cancel.notify_one();
                    return;
                }
                // a database hiccup: try again next tick; the lease has slack
                Ok(Some(false)) | Err(_) => {}
            }
        }
    })
}

async fn execute(run: &mut Run<'_>) -> Result<(), RunError> {
    // the claim recorded INIT
    let claimed = run.job.clone();
    run.accept(Some(claimed)).await?;
    // PREP's transaction records PREP and AI_CALL at its end
    let (mut work, settings) = Work::prepare(run).await?;
    let total = work.items();
    let parse = Step {
        phase: JobPhase::Parse.as_str(),
        percent: JobPhase::Parse.percent(0, total),
        items_done: total,
        items_total: total,
        message: "checking the AI output",
    };
    let raw = match run.job.raw_output.clone() {
        // a previous run paid for it already
        Some(raw) => {
            run.step_at(JobPhase::Parse, parse.percent, total, total, parse.message)
                .await?;
            raw
        }
        None => {
            let ai = run
                .rt
                .providers
                .resolve(run.job.account_id, settings.as_ref())
                .map_err(|e| RunError::Permanent(format!("integration settings: {e}")))?;
            let out = work.call(run, &ai).await?;
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
                    tokens_in: out.tokens_in,
                    tokens_out: out.tokens_out,
                    cost_micro_usd: out.cost_micro_usd,
                },
                &parse,
            )
            .await?;
            c.done().await?;
            run.accept(row).await?;
            out.raw
        }
    };
    let parsed = work.parse(&raw)?;
    // SAVE's transaction records the SAVE step first (fenced), then the
    // results and the settlement; both events go out after its commit
    let (saving, done) = work.save(run, parsed).await?;
    if run.rt.crash_after_save {
        tracing::error!(job.id = %done.id, "failpoint: crashing after SAVE, before XACK");
        std::process::abort();
    }
    run.publish_all(&[JobEvent::from(&saving), JobEvent::from(&done)])
        .await;
    run.job = done;
    tracing::info!(job.id = %run.job.id, credits = run.job.credits_charged, "job succeeded");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::backoff;
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
