//! `jobProgress(jobId)` and `accountJobs`: the current snapshot first, then
//! every later event in `seq` order — no gap, no duplicate. A subscriber
//! registers for live events *before* reading the snapshot; a seq jump is
//! filled from the job's event list in Redis (or the PostgreSQL snapshot);
//! after a Redis reconnect or a lag, it resyncs the same way.

use super::bus::JobsBus;
use super::types::JobProgress;
use crate::error::{ApiError, gql};
use crate::graphql::connection::parse_id;
use crate::graphql::context::{actor, db};
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

type Tx = mpsc::Sender<JobProgress>;

/// Sends `e` if it is newer than what this job's subscriber has; fills a
/// gap first. Returns false when the subscriber is gone.
async fn forward(
    out: &Tx,
    bus: &JobsBus,
    db: &Db,
    account: Uuid,
    last: &mut i64,
    e: JobEvent,
) -> bool {
    if e.seq <= *last {
        return true;
    }
    if e.seq > *last + 1 {
        for missed in fill(bus, db, account, e.job_id, *last).await {
            if missed.seq < e.seq && missed.seq > *last {
                if !send(out, &missed).await {
                    return false;
                }
                *last = missed.seq;
            }
        }
    }
    let ok = send(out, &e).await;
    *last = e.seq;
    ok
}

async fn send(out: &Tx, e: &JobEvent) -> bool {
    match JobProgress::from_event(e) {
        Some(p) => out.send(p).await.is_ok(),
        None => true,
    }
}

/// Events after `after` from the job's list; the PostgreSQL state when the
/// list cannot help (Redis down, or events never published).
async fn fill(bus: &JobsBus, db: &Db, account: Uuid, job: Uuid, after: i64) -> Vec<JobEvent> {
    let mut events = match bus.conn().await {
        Some(mut c) => igny8_jobs::events::events_after(&mut c, &bus.keys, job, after)
            .await
            .unwrap_or_default(),
        None => vec![],
    };
    if let Ok(Some(snap)) = snapshot(db, account, job).await
        && events.last().is_none_or(|l| l.seq < snap.seq)
    {
        events.push(snap);
    }
    events
}

async fn snapshot(
    db: &Db,
    account: Uuid,
    job: Uuid,
) -> Result<Option<JobEvent>, igny8_db::DbError> {
    let mut tx = db.begin(&Scope::account(account)).await?;
    let j = igny8_db::jobs::get(&mut tx, Some(account), job).await.ok();
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
        let a = actor(ctx).await?;
        let job = parse_id("jobId", &job_id)?;
        let (hub, bus, db) = (
            ctx.data_unchecked::<Hub>().clone(),
            ctx.data_unchecked::<Arc<JobsBus>>().clone(),
            db(ctx).clone(),
        );
        let account = a.account_id;
        // live events first, then the snapshot: nothing falls in between
        let mut live = hub.subscribe();
        let snap = snapshot(&db, account, job)
            .await
            .map_err(gql)?
            .ok_or_else(|| gql(ApiError::NotFound("job")))?;
        let (out, rx) = mpsc::channel(64);
        tokio::spawn(async move {
            // the snapshot is the starting point: nothing before it is owed
            let mut last = snap.seq - 1;
            let terminal = snap.is_terminal();
            if !forward(&out, &bus, &db, account, &mut last, snap).await || terminal {
                return;
            }
            loop {
                let msg = tokio::select! {
                    _ = out.closed() => return,
                    m = live.recv() => m,
                };
                let events = match msg {
                    Ok(HubMsg::Event(e)) if e.job_id == job => vec![e],
                    Ok(HubMsg::Event(_)) => continue,
                    Ok(HubMsg::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        fill(&bus, &db, account, job, last).await
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                for e in events {
                    let terminal = e.is_terminal() && e.seq > last;
                    if !forward(&out, &bus, &db, account, &mut last, e).await || terminal {
                        return;
                    }
                }
            }
        });
        Ok(stream_of(rx))
    }

    /// Progress of every job of the caller's account: the active jobs'
    /// current states, then every later event of any job.
    async fn account_jobs(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = JobProgress>> {
        let a = actor(ctx).await?;
        let (hub, bus, db) = (
            ctx.data_unchecked::<Hub>().clone(),
            ctx.data_unchecked::<Arc<JobsBus>>().clone(),
            db(ctx).clone(),
        );
        let account = a.account_id;
        let mut live = hub.subscribe();
        let active = active_jobs(&db, account).await.map_err(gql)?;
        let (out, rx) = mpsc::channel(64);
        tokio::spawn(async move {
            let mut last: HashMap<Uuid, i64> = HashMap::new();
            for e in active {
                let seq = last.entry(e.job_id).or_insert(e.seq - 1);
                if !forward(&out, &bus, &db, account, seq, e).await {
                    return;
                }
            }
            loop {
                let msg = tokio::select! {
                    _ = out.closed() => return,
                    m = live.recv() => m,
                };
                let events = match msg {
                    Ok(HubMsg::Event(e)) if e.account_id == account => vec![e],
                    Ok(HubMsg::Event(_)) => continue,
                    Ok(HubMsg::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        let mut all = vec![];
                        for (job, seq) in &last {
                            all.extend(fill(&bus, &db, account, *job, *seq).await);
                        }
                        all.extend(active_jobs(&db, account).await.unwrap_or_default());
                        all
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                for e in events {
                    // a job first seen now starts from its first event
                    let seq = last.entry(e.job_id).or_insert(e.seq - 1);
                    if !forward(&out, &bus, &db, account, seq, e).await {
                        return;
                    }
                }
            }
        });
        Ok(stream_of(rx))
    }
}

async fn active_jobs(db: &Db, account: Uuid) -> Result<Vec<JobEvent>, igny8_db::DbError> {
    let mut tx = db.begin(&Scope::account(account)).await?;
    let f = igny8_db::jobs::JobFilter {
        active: Some(true),
        ..Default::default()
    };
    let l = igny8_db::jobs::list(
        &mut tx,
        account,
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
