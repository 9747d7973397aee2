//! The API's side of the job queue: XADD after commit and the first
//! progress event, on a time budget. Redis being down never loses a job
//! and never stalls a mutation: the job stays queued in PostgreSQL (its
//! hold placed), the announcement gives up after [`ANNOUNCE_BUDGET`], and
//! the workers' sweeper adds the job to the stream later (DESIGN §5).
//! After a failure, connecting is not retried for [`RETRY_AFTER`], so
//! enqueues in a Redis outage answer at once.

use crate::events::Publisher;
use crate::queue::{Keys, Queue};
use igny8_db::models::AiJob;
use redis::aio::ConnectionManager;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// Longest an enqueue waits for Redis (connect, XADD and the event).
pub const ANNOUNCE_BUDGET: Duration = Duration::from_millis(500);
/// How long a failed connection attempt is remembered.
pub const RETRY_AFTER: Duration = Duration::from_secs(2);

pub struct JobsBus {
    pub keys: Keys,
    url: String,
    conn: OnceCell<ConnectionManager>,
    failed_at: Mutex<Option<Instant>>,
}

impl JobsBus {
    pub fn new(url: &str, keys: Keys) -> Self {
        JobsBus {
            keys,
            url: url.to_owned(),
            conn: OnceCell::new(),
            failed_at: Mutex::new(None),
        }
    }

    /// The shared connection, made on first use; `None` at once while a
    /// recent attempt failed.
    pub async fn conn(&self) -> Option<ConnectionManager> {
        if let Some(c) = self.conn.get() {
            return Some(c.clone());
        }
        let recent_failure = self
            .failed_at
            .lock()
            .ok()
            .and_then(|f| *f)
            .is_some_and(|t| t.elapsed() < RETRY_AFTER);
        if recent_failure {
            return None;
        }
        let r = self
            .conn
            .get_or_try_init(|| async {
                tokio::time::timeout(ANNOUNCE_BUDGET, crate::redis_manager(&self.url))
                    .await
                    .map_err(|_| "timeout".to_owned())?
                    .map_err(|e| e.to_string())
            })
            .await;
        match r {
            Ok(c) => Some(c.clone()),
            Err(e) => {
                if let Ok(mut f) = self.failed_at.lock() {
                    *f = Some(Instant::now());
                }
                tracing::warn!(error = %e, "Redis unreachable; the sweeper will queue the job");
                None
            }
        }
    }

    /// Queues a committed job and publishes its first event, giving up
    /// after [`ANNOUNCE_BUDGET`] (the sweeper queues it then).
    pub async fn announce(&self, job: &AiJob) {
        let announced = tokio::time::timeout(ANNOUNCE_BUDGET, async {
            let conn = self.conn().await?;
            if let Err(e) = Queue::new(self.keys.clone(), conn.clone())
                .push(job.id)
                .await
            {
                tracing::warn!(job.id = %job.id, error = %e, "XADD failed; the sweeper will queue the job");
                return None;
            }
            if let Err(e) = Publisher::new(self.keys.clone(), conn).publish(job).await {
                tracing::warn!(job.id = %job.id, error = %e, "progress event not published");
            }
            Some(())
        })
        .await;
        if announced.is_err() {
            tracing::warn!(job.id = %job.id, "Redis did not answer in time; the sweeper will queue the job");
        }
    }

    /// Publishes a job's current state as an event, on the same budget.
    pub async fn publish(&self, job: &AiJob) {
        let _ = tokio::time::timeout(ANNOUNCE_BUDGET, async {
            let conn = self.conn().await?;
            if let Err(e) = Publisher::new(self.keys.clone(), conn).publish(job).await {
                tracing::warn!(job.id = %job.id, error = %e, "progress event not published");
            }
            Some(())
        })
        .await;
    }
}
