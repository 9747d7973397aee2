//! `jobProgress(jobId)` and `accountJobs`: the current snapshot first, then
//! every later event in `seq` order — no gap, no duplicate. A subscriber
//! registers for live events *before* reading the snapshot; a seq jump is
//! filled from the job's event list in Redis (or the PostgreSQL snapshot);
//! after a Redis reconnect or a lag, it resyncs the same way.

use super::bus::JobsBus;
use super::types::JobProgress;
use crate::error::{ApiError, gql};
use crate::graphql::context::{actor, db};
use crate::graphql::spine::parse_id;
use crate::hub::{Hub, HubMsg};
use async_graphql::{Context, ID, Result, Subscription};
use futures::Stream;
use igny8_core::Scope;
use igny8_db::Db;
use igny8_jobs::events::JobEvent;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

#[derive(Default)]
pub struct JobsSubscription;

/// A subscriber's queue: shared values, so a slot is one pointer.
type Tx = mpsc::Sender<JobProgress>;

/// Sends `e` if it is newer than what this job's subscriber has; fills a
/// gap first. Returns false when the subscriber is gone.
async fn forward(
    out: &Tx,
    bus: &JobsBus,
    db: &Db,
    scope: &Scope,
    last: &mut i64,
    e: Arc<JobEvent>,
) -> bool {
    let seq = e.seq;
    if seq <= *last {
        return true;
    }
    if seq > *last + 1 {
        // rare: boxed, so the common path's task state stays small
        let missed = Box::pin(fill(bus, db, scope, e.job_id, *last)).await;
        for missed in missed {
            if missed.seq < seq && missed.seq > *last {
                if !send(out, &missed).await {
                    return false;
                }
                *last = missed.seq;
            }
        }
    }
    let ok = send(out, &e).await;
    *last = seq;
    ok
}

async fn send(out: &Tx, e: &Arc<JobEvent>) -> bool {
    match JobProgress::shown(e) {
        Some(p) => out.send(p).await.is_ok(),
        None => true,
    }
}

/// Events after `after` from the job's list; the PostgreSQL state when the
/// list cannot help (Redis down, or events never published).
async fn fill(bus: &JobsBus, db: &Db, scope: &Scope, job: Uuid, after: i64) -> Vec<Arc<JobEvent>> {
    let mut events = match bus.conn().await {
        Some(mut c) => igny8_jobs::events::events_after(&mut c, &bus.keys, job, after)
            .await
            .unwrap_or_default(),
        None => vec![],
    };
    if let Ok(Some(snap)) = snapshot(db, scope, job).await
        && events.last().is_none_or(|l| l.seq < snap.seq)
    {
        events.push(snap);
    }
    events.into_iter().map(Arc::new).collect()
}

async fn snapshot(
    db: &Db,
    scope: &Scope,
    job: Uuid,
) -> Result<Option<JobEvent>, igny8_db::DbError> {
    let mut tx = db.begin(scope).await?;
    let j = igny8_db::jobs::get(&mut tx, scope, job).await.ok();
    tx.commit().await?;
    Ok(j.as_ref().map(JobEvent::from))
}

fn stream_of(mut rx: mpsc::Receiver<JobProgress>) -> impl Stream<Item = JobProgress> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[Subscription]
impl JobsSubscription {
    /// Progress of one job: its current state, then every later event;
    /// completes after the terminal event.
    async fn job_progress(
        &self,
        ctx: &Context<'_>,
        job_id: ID,
    ) -> Result<impl Stream<Item = JobProgress>> {
        let job = parse_id("jobId", &job_id)?;
        let (hub, bus, db) = (
            ctx.data_unchecked::<Hub>().clone(),
            ctx.data_unchecked::<Arc<JobsBus>>().clone(),
            db(ctx).clone(),
        );
        // The setup is boxed: async-graphql keeps this resolver's future
        // inside the subscription's stream for the subscription's whole
        // life, so whatever it holds across an await is memory per
        // subscriber.
        let (scope, mut live, snap) = Box::pin(async {
            let scope = actor(ctx).await?.job_scope();
            // live events first, then the snapshot: nothing falls in between
            let live = hub.subscribe();
            let snap = snapshot(&db, &scope, job)
                .await
                .map_err(gql)?
                .ok_or_else(|| gql(ApiError::NotFound("job")))?;
            Ok::<_, async_graphql::Error>((scope, live, snap))
        })
        .await?;
        let (out, rx) = mpsc::channel(64);
        tokio::spawn(async move {
            // the snapshot is the starting point: nothing before it is owed
            let mut last = snap.seq - 1;
            let terminal = snap.is_terminal();
            if !forward(&out, &bus, &db, &scope, &mut last, Arc::new(snap)).await || terminal {
                return;
            }
            loop {
                let msg = tokio::select! {
                    _ = out.closed() => return,
                    m = live.recv() => m,
                };
                let events = match msg {
                    Ok(HubMsg::Event(e)) if e.job_id == job => vec![e],
                    Ok(HubMsg::Event(_) | HubMsg::Run(_)) => continue,
                    Ok(HubMsg::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        Box::pin(fill(&bus, &db, &scope, job, last)).await
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                for e in events {
                    let terminal = e.is_terminal() && e.seq > last;
                    if !forward(&out, &bus, &db, &scope, &mut last, e).await || terminal {
                        return;
                    }
                }
            }
        });
        Ok(stream_of(rx))
    }

    /// Progress of every job of the caller's account (of the granted sites
    /// only, for editors and viewers): the active jobs' current states,
    /// then every later event of any of them.
    async fn account_jobs(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = JobProgress>> {
        let (hub, bus, db) = (
            ctx.data_unchecked::<Hub>().clone(),
            ctx.data_unchecked::<Arc<JobsBus>>().clone(),
            db(ctx).clone(),
        );
        // boxed, as in `job_progress`
        let (scope, mut live, active) = Box::pin(async {
            let scope = actor(ctx).await?.job_scope();
            let live = hub.subscribe();
            let active = active_jobs(&db, &scope).await.map_err(gql)?;
            Ok::<_, async_graphql::Error>((scope, live, active))
        })
        .await?;
        let (out, rx) = mpsc::channel(64);
        tokio::spawn(async move {
            let mut last: HashMap<Uuid, i64> = HashMap::new();
            for e in active {
                let seq = last.entry(e.job_id).or_insert(e.seq - 1);
                if !forward(&out, &bus, &db, &scope, seq, Arc::new(e)).await {
                    return;
                }
            }
            loop {
                let msg = tokio::select! {
                    _ = out.closed() => return,
                    m = live.recv() => m,
                };
                let events = match msg {
                    Ok(HubMsg::Event(e)) if e.visible_to(&scope) => vec![e],
                    Ok(HubMsg::Event(_) | HubMsg::Run(_)) => continue,
                    Ok(HubMsg::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        Box::pin(async {
                            let mut all = vec![];
                            for (job, seq) in &last {
                                all.extend(fill(&bus, &db, &scope, *job, *seq).await);
                            }
                            let active = active_jobs(&db, &scope).await.unwrap_or_default();
                            all.extend(active.into_iter().map(Arc::new));
                            all
                        })
                        .await
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                for e in events {
                    // a job first seen now starts from its first event
                    let seq = last.entry(e.job_id).or_insert(e.seq - 1);
                    if !forward(&out, &bus, &db, &scope, seq, e).await {
                        return;
                    }
                }
            }
        });
        Ok(stream_of(rx))
    }
}

async fn active_jobs(db: &Db, scope: &Scope) -> Result<Vec<JobEvent>, igny8_db::DbError> {
    let mut tx = db.begin(scope).await?;
    let f = igny8_db::jobs::JobFilter {
        active: Some(true),
        ..Default::default()
    };
    let l = igny8_db::jobs::list(
        &mut tx,
        scope,
        &f,
        &igny8_core::page::PageArgs {
            first: Some(200),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    let mut rows: Vec<JobEvent> = l.rows.iter().map(JobEvent::from).collect();
    rows.reverse();
    Ok(rows)
}
