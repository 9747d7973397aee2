#![doc = include_str!("../README.md")]

use igny8_db::Db;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("database: {0}")]
    Db(#[from] igny8_db::DbError),
}

/// A job worker: one per `igny8 worker` process (and one inside `igny8 serve`).
pub struct Worker {
    redis: redis::Client,
    db: Db,
}

impl Worker {
    pub fn new(redis_url: &str, database_url: &str, pool_size: usize) -> Result<Self, WorkerError> {
        Ok(Worker {
            redis: redis::Client::open(redis_url)?,
            db: Db::connect(database_url, pool_size.min(4))?,
        })
    }

    /// Runs until `stop` turns true. Checks its services every 30 s and logs
    /// when one becomes unreachable or comes back.
    pub async fn run(self, mut stop: watch::Receiver<bool>) -> Result<(), WorkerError> {
        tracing::info!("worker started");
        let mut healthy: Option<bool> = None;
        loop {
            let ok = self.check().await;
            if healthy != Some(ok) {
                if ok {
                    tracing::info!("worker: PostgreSQL and Redis reachable");
                } else {
                    tracing::warn!("worker: PostgreSQL or Redis unreachable; retrying");
                }
                healthy = Some(ok);
            }
            tokio::select! {
                _ = stop.changed() => break,
                _ = tokio::time::sleep(Duration::from_secs(30)) => {}
            }
            if *stop.borrow() {
                break;
            }
        }
        tracing::info!("worker stopped");
        Ok(())
    }

    async fn check(&self) -> bool {
        let redis_ok = async {
            let mut c = self.redis.get_multiplexed_async_connection().await?;
            redis::cmd("PING").query_async::<String>(&mut c).await
        };
        let (r, d) = tokio::join!(redis_ok, self.db.ping());
        r.is_ok() && d.is_ok()
    }
}
