//! Lease renewal on a thread of its own: a current-thread Tokio runtime
//! with its own connection pool renews every running job's lease in one
//! statement per tick. Nothing on the worker's runtime (a provider call, a
//! render, a starved scheduler) can delay it, so a job that is slow but
//! alive keeps its lease and never runs twice.

use igny8_db::Db;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, mpsc};
use uuid::Uuid;

/// What the keeper tells a running job.
#[derive(Default)]
pub struct LeaseSignals {
    lost: AtomicBool,
    cancel_requested: AtomicBool,
    /// Woken when the lease is lost or cancellation is requested.
    pub stop: Notify,
}

impl LeaseSignals {
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::Acquire)
    }

    pub fn cancel_requested(&self) -> bool {
        self.cancel_requested.load(Ordering::Acquire)
    }
}

enum Command {
    Watch(Uuid, Uuid, Arc<LeaseSignals>),
    Forget(Uuid, Uuid),
}

/// The handle to the keeper thread; the thread ends when every handle
/// (and every [`Watched`]) is dropped.
#[derive(Clone)]
pub struct LeaseKeeper {
    commands: mpsc::UnboundedSender<Command>,
}

/// A lease being renewed; dropping it stops the renewal.
pub struct Watched {
    id: Uuid,
    token: Uuid,
    commands: mpsc::UnboundedSender<Command>,
    pub signals: Arc<LeaseSignals>,
}

impl Drop for Watched {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Forget(self.id, self.token));
    }
}

impl LeaseKeeper {
    /// Starts the keeper thread with its own pool (like `db`'s, two
    /// connections), renewing every third of `lease_secs` (at most every
    /// 2 s, so a cancel request stops a call within about 2 s).
    pub fn start(db: &Db, lease_secs: i64) -> std::io::Result<LeaseKeeper> {
        let (commands, rx) = mpsc::unbounded_channel();
        let pool = db
            .separate_pool(2)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("igny8-leases".into())
            .spawn(move || rt.block_on(keep(pool, lease_secs, rx)))?;
        Ok(LeaseKeeper { commands })
    }

    pub fn watch(&self, id: Uuid, token: Uuid) -> Watched {
        let signals = Arc::new(LeaseSignals::default());
        let _ = self
            .commands
            .send(Command::Watch(id, token, signals.clone()));
        Watched {
            id,
            token,
            commands: self.commands.clone(),
            signals,
        }
    }
}

async fn keep(db: Db, lease_secs: i64, mut rx: mpsc::UnboundedReceiver<Command>) {
    let every = Duration::from_secs_f64((lease_secs as f64 / 3.0).clamp(0.2, 2.0));
    let mut leases: HashMap<(Uuid, Uuid), Arc<LeaseSignals>> = HashMap::new();
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(Command::Watch(id, token, s)) => { leases.insert((id, token), s); }
                Some(Command::Forget(id, token)) => { leases.remove(&(id, token)); }
                None => return,
            },
            _ = tick.tick() => {
                if leases.is_empty() {
                    continue;
                }
                let held: Vec<(Uuid, Uuid)> = leases.keys().copied().collect();
                let renewed = async {
                    let mut c = db.system().await?;
                    let r = igny8_db::jobs::renew_many(&mut c, &held, lease_secs).await?;
                    c.done().await?;
                    Ok::<_, igny8_db::DbError>(r)
                }
                .await;
                // a database hiccup: try again next tick; the lease has slack
                let Ok(renewed) = renewed else { continue };
                let renewed: HashMap<Uuid, bool> = renewed.into_iter().collect();
                leases.retain(|(id, _), s| match renewed.get(id) {
                    None => {
                        s.lost.store(true, Ordering::Release);
                        s.stop.notify_one();
                        false
                    }
                    Some(true) => {
                        s.cancel_requested.store(true, Ordering::Release);
                        s.stop.notify_one();
                        true
                    }
                    Some(false) => true,
                });
            }
        }
    }
}
