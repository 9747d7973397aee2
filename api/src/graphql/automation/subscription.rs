//! `automationRunProgress(runId)`: the run's current state first, then
//! every change — of the run (a batch settled or queued, a stage moved, a
//! pause) and of its current job's steps — like `jobProgress`. A
//! subscriber registers for live events before reading the snapshot; a run
//! event or a resync re-reads the run from PostgreSQL (which also proves
//! the run is the caller's: another tenant's id is `NOT_FOUND`), so what
//! it sends is always the stored state, in `(seq, currentJob.seq)` order.

use super::query::run_shown;
use super::types::{AutomationRun, AutomationRunProgress};
use crate::error::{ApiError, gql};
use crate::graphql::context::{actor, db};
use crate::graphql::jobs::types::JobProgress;
use crate::graphql::spine::parse_id;
use crate::hub::{Hub, HubMsg};
use async_graphql::{Context, ID, Result, Subscription};
use futures::Stream;
use igny8_core::Scope;
use igny8_db::{Db, DbError};
use igny8_jobs::events::JobEvent;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

#[derive(Default)]
pub struct AutomationSubscription;

/// The run and its current job as stored now; `None` if the scope does not see it.
async fn snapshot(
    db: &Db,
    scope: &Scope,
    id: Uuid,
) -> Result<Option<(AutomationRun, Option<JobProgress>)>, ApiError> {
    let mut tx = db.begin(scope).await?;
    let run = match run_shown(&mut tx, scope, id).await {
        Ok(r) => r,
        Err(ApiError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let job = match &run.current_job_id {
        Some(j) => {
            let j: Uuid = j.parse().map_err(ApiError::internal)?;
            match igny8_db::jobs::get(&mut tx, scope, j).await {
                Ok(job) => JobProgress::shown(&Arc::new(JobEvent::from(&job))),
                Err(DbError::NotFound) => None,
                Err(e) => return Err(e.into()),
            }
        }
        None => None,
    };
    tx.commit().await?;
    Ok(Some((run, job)))
}

fn finished(r: &AutomationRun) -> bool {
    use super::types::AutomationRunStatus as S;
    matches!(r.status, S::Completed | S::Cancelled | S::Failed) && r.current_job_id.is_none()
}

#[Subscription]
impl AutomationSubscription {
    /// Progress of one automation run: its current state, then every
    /// change; completes after the run finished (completed, cancelled or
    /// failed, with no batch in flight).
    async fn automation_run_progress(
        &self,
        ctx: &Context<'_>,
        run_id: ID,
    ) -> Result<impl Stream<Item = AutomationRunProgress>> {
        let id = parse_id("runId", &run_id)?;
        let (hub, db) = (ctx.data_unchecked::<Hub>().clone(), db(ctx).clone());
        let (scope, mut live, snap) = Box::pin(async {
            let scope = actor(ctx).await?.job_scope();
            // live events first, then the snapshot: nothing falls in between
            let live = hub.subscribe();
            let snap = snapshot(&db, &scope, id)
                .await
                .map_err(gql)?
                .ok_or_else(|| gql(ApiError::NotFound("automation run")))?;
            Ok::<_, async_graphql::Error>((scope, live, snap))
        })
        .await?;
        let (out, rx) = mpsc::channel::<AutomationRunProgress>(64);
        tokio::spawn(async move {
            let (run, job) = snap;
            let mut seq = run.seq;
            let mut job_seq = job.as_ref().map(|j| j.0.seq).unwrap_or(0);
            let mut current = run.current_job_id.clone();
            let done = finished(&run);
            if out
                .send(AutomationRunProgress::new(run.clone(), job))
                .await
                .is_err()
                || done
            {
                return;
            }
            let mut last_run = run;
            loop {
                let msg = tokio::select! {
                    _ = out.closed() => return,
                    m = live.recv() => m,
                };
                let reread = match msg {
                    Ok(HubMsg::Run(s)) => s.run.id == id && s.run.seq > seq,
                    Ok(HubMsg::Event(e)) => {
                        let ours = current.as_ref().is_some_and(|c| *c == ID::from(e.job_id));
                        if ours
                            && e.seq > job_seq
                            && let Some(p) = JobProgress::shown(&e)
                        {
                            job_seq = p.0.seq;
                            let ev = AutomationRunProgress::new(last_run.clone(), Some(p));
                            if out.send(ev).await.is_err() {
                                return;
                            }
                        }
                        false
                    }
                    Ok(HubMsg::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => true,
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                if !reread {
                    continue;
                }
                let Ok(Some((run, job))) = snapshot(&db, &scope, id).await else {
                    continue;
                };
                let newer_job = job.as_ref().map(|j| j.0.seq).unwrap_or(0);
                if run.seq <= seq && (run.current_job_id == current && newer_job <= job_seq) {
                    continue;
                }
                if run.current_job_id != current {
                    job_seq = 0;
                }
                seq = run.seq;
                job_seq = job_seq.max(newer_job);
                current = run.current_job_id.clone();
                let done = finished(&run);
                last_run = run;
                if out
                    .send(AutomationRunProgress::new(last_run.clone(), job))
                    .await
                    .is_err()
                    || done
                {
                    return;
                }
            }
        });
        let mut rx = rx;
        Ok(futures::stream::poll_fn(move |cx| rx.poll_recv(cx)))
    }
}
