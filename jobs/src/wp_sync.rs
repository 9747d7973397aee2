//! The periodic WordPress sync (PUB-3): every connected site has a row on
//! the scheduler (kind [`SYNC_KIND`], key = the site) that queues a
//! `sync_wordpress` job every `every_minutes`. Scheduled when the site is
//! connected, removed when it is disconnected; a missed due time after
//! downtime queues one sync ([`Catchup::Once`]), not one per missed tick.

use crate::enqueue::{EnqueueError, enqueue_in};
use crate::scheduler::{Catchup, Handler, HandlerError, Next, handler};
use chrono::{DateTime, Duration, Utc};
use igny8_core::jobs::{JobInput, SyncWordpressInput};
use igny8_core::{AccountStatus, Actor, Role};
use igny8_db::{Db, DbError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The scheduler kind of a site's periodic sync (key: the site id).
pub const SYNC_KIND: &str = "wordpress.sync";

/// What a site's sync schedule carries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncSchedule {
    pub account_id: Uuid,
    pub site_id: Uuid,
    /// Who connected the site: the jobs are queued on their behalf.
    pub user_id: Uuid,
    pub every_minutes: i64,
}

/// Puts the site's sync on the scheduler, first due `every_minutes` from
/// `now` (connecting again moves it).
pub async fn schedule(db: &Db, s: &SyncSchedule, now: DateTime<Utc>) -> Result<(), DbError> {
    let mut c = db.system().await?;
    let payload = serde_json::to_value(s).unwrap_or_default();
    igny8_db::schedule::schedule(
        &mut c,
        SYNC_KIND,
        &s.site_id.to_string(),
        now + Duration::minutes(s.every_minutes.max(1)),
        &payload,
    )
    .await?;
    c.done().await
}

/// Takes the site's sync off the scheduler.
pub async fn cancel(db: &Db, site_id: Uuid) -> Result<(), DbError> {
    let mut c = db.system().await?;
    igny8_db::schedule::cancel(&mut c, SYNC_KIND, &site_id.to_string()).await?;
    c.done().await
}

/// A due time: queues one `sync_wordpress` job in the scheduler's
/// transaction (so once per due time; the workers' sweeper puts the queued
/// job on the stream), unless one of the site's syncs is still queued or
/// running. A site no longer connected ends the schedule.
pub fn sync_handler() -> impl Handler {
    handler(|tx, due| {
        Box::pin(async move {
            let p: SyncSchedule = serde_json::from_value(due.task.payload.clone())
                .map_err(|e| -> HandlerError { Box::new(e) })?;
            if igny8_db::publishing::connection(tx, p.account_id, p.site_id)
                .await?
                .is_none()
            {
                return Ok(Next::Done);
            }
            let next = Next::every(
                due.task.due_at,
                Duration::minutes(p.every_minutes.max(1)),
                due.now,
                Catchup::Once,
            );
            if igny8_db::publishing::sync_in_flight(tx, p.site_id).await? {
                tracing::info!(site.id = %p.site_id, "periodic WordPress sync skipped: one is still queued or running");
                return Ok(next);
            }
            let actor = Actor {
                user_id: p.user_id,
                account_id: p.account_id,
                role: Role::SystemBot,
                account_status: AccountStatus::Active,
                is_staff: false,
                site_ids: vec![],
            };
            igny8_db::automation::savepoint(tx, igny8_db::automation::Savepoint::Begin).await?;
            let input = JobInput::SyncWordpress(SyncWordpressInput { site_id: p.site_id });
            match enqueue_in(tx, &actor, input).await {
                Ok(job) => {
                    igny8_db::automation::savepoint(tx, igny8_db::automation::Savepoint::Release)
                        .await?;
                    tracing::info!(site.id = %p.site_id, job.id = %job.id, "periodic WordPress sync queued");
                }
                Err(EnqueueError::Db(e)) => return Err(Box::new(e) as HandlerError),
                Err(other) => {
                    igny8_db::automation::savepoint(tx, igny8_db::automation::Savepoint::RollBack)
                        .await?;
                    tracing::warn!(site.id = %p.site_id, error = ?other, "periodic WordPress sync refused; trying at the next due time");
                }
            }
            Ok(next)
        })
    })
}
