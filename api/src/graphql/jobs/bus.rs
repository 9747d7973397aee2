//! The API's side of the job queue: XADD after commit and the first
//! progress event. Redis being down never loses a job: it stays queued in
//! PostgreSQL and the workers' sweeper adds it to the stream later.

use igny8_db::models::AiJob;
use igny8_jobs::events::Publisher;
use igny8_jobs::queue::{Keys, Queue};
use redis::aio::ConnectionManager;
use std::time::Duration;
use tokio::sync::OnceCell;

pub struct JobsBus {
    pub keys: Keys,
    url: String,
    conn: OnceCell<ConnectionManager>,
}

impl JobsBus {
    pub fn new(url: &str, keys: Keys) -> Self {
        JobsBus {
            keys,
            url: url.to_owned(),
            conn: OnceCell::new(),
        }
    }

    /// The shared connection, made on first use.
    pub async fn conn(&self) -> Option<ConnectionManager> {
        let r = self
            .conn
            .get_or_try_init(|| async {
                tokio::time::timeout(Duration::from_secs(2), igny8_jobs::redis_manager(&self.url))
                    .await
                    .map_err(|_| "timeout".to_owned())?
                    .map_err(|e| e.to_string())
            })
            .await;
        match r {
            Ok(c) => Some(c.clone()),
            Err(e) => {
                tracing::warn!(error = %e, "Redis unreachable; the sweeper will queue the job");
                None
            }
        }
    }

    /// Queues a committed job and publishes its first event.
    pub async fn announce(&self, job: &AiJob) {
        let Some(conn) = self.conn().await else {
            return;
        };
        if let Err(e) = Queue::new(self.keys.clone(), conn.clone())
            .push(job.id)
            .await
        {
            tracing::warn!(job.id = %job.id, error = %e, "XADD failed; the sweeper will queue the job");
        }
        self.publish(job).await;
    }

    pub async fn publish(&self, job: &AiJob) {
        let Some(conn) = self.conn().await else {
            return;
        };
        if let Err(e) = Publisher::new(self.keys.clone(), conn).publish(job).await {
            tracing::warn!(job.id = %job.id, error = %e, "progress event not published");
        }
    }
}
