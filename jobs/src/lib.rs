#![doc = include_str!("../README.md")]

pub mod automation;
pub mod billing;
pub mod bus;
pub mod cancel;
pub mod engine;
pub mod enqueue;
pub mod events;
pub mod integration_change;
pub mod kinds;
pub mod lease;
pub mod media;
pub mod openai;
pub mod outbound;
pub mod provider;
pub mod queue;
pub mod render;
pub mod runware;
pub mod scheduler;
pub mod secrets;
pub mod settings;
pub mod wordpress;
pub mod wp_sync;

pub use cancel::cancel;
pub use enqueue::{EnqueueError, enqueue, enqueue_in};

use engine::Runtime;
use events::Publisher;
use igny8_db::Db;
use queue::{Keys, Queue};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, watch};

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("database: {0}")]
    Db(#[from] igny8_db::DbError),
    #[error("lease keeper: {0}")]
    Thread(#[from] std::io::Error),
}

/// Worker settings.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    pub redis_url: String,
    pub redis_prefix: String,
    /// `IGNY8_JOB_LEASE_SECS`, default 30.
    pub lease_secs: i64,
    /// Runs (claims) before a transiently failing job fails for good.
    pub max_attempts: i32,
    /// Stream deliveries before a job is dead-lettered.
    pub max_deliveries: i32,
    /// Jobs run at once by this worker.
    pub concurrency: usize,
    /// Also run the scheduler, polling this often (`IGNY8_SCHEDULER`).
    pub scheduler: Option<Duration>,
    /// The server's default providers (`IGNY8_AI_PROVIDER`, …).
    pub ai: settings::AiSettings,
    /// Opens accounts' API keys (`IGNY8_SECRET_KEY`).
    pub secrets: secrets::SecretBox,
    pub media: media::MediaStore,
    /// Internal destinations tenants' URLs may reach (`IGNY8_OUTBOUND_ALLOW`).
    pub outbound: outbound::Policy,
}

/// Connects to Redis with automatic reconnection.
pub async fn redis_manager(url: &str) -> Result<redis::aio::ConnectionManager, redis::RedisError> {
    let client = redis::Client::open(url)?;
    let cfg = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(10)));
    redis::aio::ConnectionManager::new_with_config(client, cfg).await
}

/// A job worker: one per `igny8 worker` process (and one inside `igny8 serve`).
pub struct Worker {
    cfg: WorkerConfig,
    db: Db,
}

impl Worker {
    pub fn new(cfg: WorkerConfig, db: Db) -> Self {
        Worker { cfg, db }
    }

    /// Runs until `stop` turns true: reads the stream, reclaims idle
    /// entries, re-adds lost jobs.
    pub async fn run(self, mut stop: watch::Receiver<bool>) -> Result<(), WorkerError> {
        // the scheduler needs only PostgreSQL: it starts before Redis answers
        let scheduler = self.cfg.scheduler.map(|poll| {
            let mut s = scheduler::with_every_kind(scheduler::Scheduler::new(
                self.db.clone(),
                Arc::new(scheduler::SystemClock),
            ));
            s.poll = poll;
            tokio::spawn(s.run(stop.clone()))
        });
        let result = self.run_jobs(&mut stop).await;
        if let Some(s) = scheduler {
            s.abort();
        }
        result
    }

    async fn run_jobs(self, stop: &mut watch::Receiver<bool>) -> Result<(), WorkerError> {
        let keys = Keys {
            prefix: self.cfg.redis_prefix.clone(),
        };
        let conn = loop {
            match redis_manager(&self.cfg.redis_url).await {
                Ok(c) => break c,
                Err(e) => {
                    tracing::warn!(error = %e, "worker: Redis unreachable; retrying");
                    tokio::select! {
                        _ = stop.changed() => return Ok(()),
                        _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    }
                }
            }
        };
        // blocking reads get their own connection so they never hold up acks
        let read_conn = redis_manager(&self.cfg.redis_url).await?;
        let queue = Queue::new(keys.clone(), conn.clone());
        let reader = Queue::new(keys.clone(), read_conn);
        queue.ensure_group().await?;
        let rt = Arc::new(Runtime {
            db: self.db.clone(),
            publisher: Publisher::new(keys.clone(), conn.clone()),
            providers: Arc::new(settings::Providers::new(
                self.cfg.ai.clone(),
                self.cfg.secrets.clone(),
                self.cfg.outbound.clone(),
            )),
            lease_secs: self.cfg.lease_secs,
            max_attempts: self.cfg.max_attempts,
            media: self.cfg.media.clone(),
            leases: lease::LeaseKeeper::start(&self.db, self.cfg.lease_secs)?,
            crash_after_save: std::env::var("IGNY8_FAULT_CRASH_AFTER_SAVE").is_ok_and(|v| v == "1"),
        });
        let auto = Arc::new(automation::Driver {
            db: self.db.clone(),
            bus: Arc::new(bus::JobsBus::new(&self.cfg.redis_url, keys.clone())),
        });
        let consumer = format!("worker-{}", uuid::Uuid::now_v7());
        let slots = Arc::new(Semaphore::new(self.cfg.concurrency.max(1)));
        tracing::info!(consumer = %consumer, lease_secs = self.cfg.lease_secs, "worker started");

        let maintenance = tokio::spawn(maintain(
            rt.clone(),
            auto.clone(),
            queue.clone(),
            consumer.clone(),
            self.cfg.clone(),
            slots.clone(),
            stop.clone(),
        ));
        loop {
            if *stop.borrow() {
                break;
            }
            let free = slots.available_permits().max(1);
            let entries = tokio::select! {
                _ = stop.changed() => break,
                r = reader.read(&consumer, free, 1000) => r,
            };
            match entries {
                Ok(entries) => {
                    for e in entries {
                        dispatch(
                            rt.clone(),
                            auto.clone(),
                            queue.clone(),
                            self.cfg.max_deliveries,
                            slots.clone(),
                            e,
                        )
                        .await;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "worker: reading the stream failed; retrying");
                    if e.code() == Some("NOGROUP") {
                        let _ = queue.ensure_group().await;
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        maintenance.abort();
        // let running jobs finish their step; unfinished ones are reclaimed after their lease
        let _ = tokio::time::timeout(
            Duration::from_secs(10),
            slots.acquire_many(self.cfg.concurrency.max(1) as u32),
        )
        .await;
        tracing::info!("worker stopped");
        Ok(())
    }
}

/// Runs one stream entry on a free slot.
async fn dispatch(
    rt: Arc<Runtime>,
    auto: Arc<automation::Driver>,
    queue: Queue,
    max_deliveries: i32,
    slots: Arc<Semaphore>,
    e: queue::Entry,
) {
    let Ok(permit) = slots.acquire_owned().await else {
        return;
    };
    tokio::spawn(async move {
        let _permit = permit;
        let Some(job) = e.job_id else {
            let _ = queue.ack(&e.id).await;
            return;
        };
        let ack = match handle(&rt, &queue, max_deliveries, job).await {
            Ok(ack) => ack,
            Err(err) => {
                tracing::error!(job.id = %job, error = %err, "job handling failed; it will be reclaimed");
                false
            }
        };
        if ack && let Err(err) = queue.ack(&e.id).await {
            tracing::warn!(job.id = %job, error = %err, "XACK failed; the entry will be reclaimed and skipped");
        }
        // an automation run whose batch this was moves on
        auto.after_job(job).await;
    });
}

async fn handle(
    rt: &Runtime,
    queue: &Queue,
    max_deliveries: i32,
    job: uuid::Uuid,
) -> Result<bool, igny8_db::DbError> {
    use igny8_db::jobs::Delivery;
    // counts the delivery, claims the job and records INIT: one statement
    let token = uuid::Uuid::now_v7();
    let mut c = rt.db.system().await?;
    let delivery = igny8_db::jobs::deliver(
        &mut c,
        job,
        token,
        rt.lease_secs,
        max_deliveries,
        engine::CLAIM_PHASE,
        engine::CLAIM_PHASE.percent(0, 0),
        engine::CLAIM_MESSAGE,
    )
    .await?;
    c.done().await?;
    match delivery {
        Delivery::Missing => Ok(true),
        Delivery::Claimed(row) => engine::run_claimed(rt, row, token).await,
        Delivery::Refused(current) if current.deliveries > max_deliveries => {
            let n = current.deliveries;
            let msg = format!("dead-lettered after {} deliveries", n - 1);
            let token = if current.status == igny8_core::jobs::JobStatus::Queued {
                None
            } else {
                current.lease_token
            };
            let mut c = rt.db.system().await?;
            let row = igny8_db::jobs::finish_unsuccessful(
                &mut c,
                job,
                token,
                igny8_core::jobs::JobStatus::Failed,
                Some(&msg),
                "failed",
            )
            .await?;
            c.done().await?;
            if let Some(row) = row {
                let _ = rt.publisher.publish(&row).await;
                let _ = queue.dead_letter(job, &msg).await;
                tracing::error!(job.id = %job, "{msg}");
            }
            Ok(true)
        }
        // someone else owns it, it is not due, or it is finished
        Delivery::Refused(_) => Ok(true),
    }
}

/// Reclaims entries idle past the lease and re-adds jobs the stream lost.
async fn maintain(
    rt: Arc<Runtime>,
    auto: Arc<automation::Driver>,
    queue: Queue,
    consumer: String,
    cfg: WorkerConfig,
    slots: Arc<Semaphore>,
    mut stop: watch::Receiver<bool>,
) {
    let every = Duration::from_secs_f64((cfg.lease_secs as f64 / 2.0).clamp(0.5, 15.0));
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(every) => {}
        }
        let idle_ms = (cfg.lease_secs * 1000) as usize;
        match queue.reclaim(&consumer, idle_ms, 32).await {
            Ok(entries) => {
                for e in entries {
                    tracing::info!(entry = %e.id, "reclaimed an idle stream entry");
                    dispatch(
                        rt.clone(),
                        auto.clone(),
                        queue.clone(),
                        cfg.max_deliveries,
                        slots.clone(),
                        e,
                    )
                    .await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "XAUTOCLAIM failed"),
        }
        let stale = async {
            let mut c = rt.db.system().await?;
            let ids = igny8_db::jobs::take_stale(&mut c, cfg.lease_secs.max(5), 100).await?;
            c.done().await?;
            Ok::<_, igny8_db::DbError>(ids)
        }
        .await;
        match stale {
            Ok(ids) => {
                for id in ids {
                    tracing::info!(job.id = %id, "re-adding a job missing from the stream");
                    let _ = queue.push(id).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "sweeper failed"),
        }
        // automation runs whose batch ended unseen (a killed worker or API,
        // a job cancelled while queued) or whose delay is over
        auto.sweep().await;
    }
}
