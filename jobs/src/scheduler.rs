//! The scheduler: periodic and one-off system work (plan renewals, the
//! automation's schedules), run exactly once per due time across every
//! process that runs it.
//!
//! A schedule is a row of `scheduled_tasks` (`igny8_db::schedule`): a kind, a
//! key unique per kind, a JSON payload and the next due time. Each process
//! that runs a [`Scheduler`] polls for due rows of the kinds it has
//! registered, claims them (`FOR UPDATE SKIP LOCKED`, a fresh lease token
//! each) and runs each one's [`Handler`] inside one system transaction that
//! begins by re-locking the row by its token (fencing) and ends by moving the
//! row to the handler's [`Next`] due time. The handler's database effects and
//! the move commit together, so a due time's effects happen once: a second
//! runner skips the locked row or finds it not due any more, and a runner
//! whose lease lapsed (a stall, a crash) finds its token gone and writes
//! nothing. A failed run rolls back and is retried after a backoff.
//!
//! **Catch-up.** Every stored due time runs once, however late. After
//! downtime a recurring handler decides what the missed occurrences mean:
//! [`Next::every`] with [`Catchup::EachMissed`] steps one period at a time
//! (plan renewals: each period is granted once), [`Catchup::Once`] skips to
//! the first due time after now (a missed report runs once, not ten times).
//! The runner keeps ticking while rows are due, so a backlog drains at once.
//!
//! Time comes from a [`Clock`] — [`SystemClock`] in production,
//! [`ManualClock`] in tests — and every comparison uses it, never the
//! database's `now()`.

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use igny8_db::schedule::{self, ScheduledTask};
use igny8_db::{Db, DbError, Tx};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

pub use igny8_db::schedule::{Catchup, Next};

/// Where the scheduler reads the time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to (tests).
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(at)))
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = at;
    }
    pub fn advance(&self, by: ChronoDuration) {
        *self.0.lock().expect("clock lock") += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// One due time being run.
#[derive(Debug, Clone)]
pub struct Due {
    pub task: ScheduledTask,
    /// The scheduler's clock when the run started.
    pub now: DateTime<Utc>,
}

pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Result<Next, HandlerError>> + Send + 'a>>;

/// The work of one kind. `run` gets the run's system transaction (its
/// writes commit together with the move to the returned [`Next`]; an error
/// rolls all of it back) and the due time being run. Effects outside the
/// database (a Redis XADD, an HTTP call) are not covered: make them
/// idempotent or do them after the commit from what the transaction wrote.
pub trait Handler: Send + Sync + 'static {
    fn run<'a>(&'a self, tx: &'a mut Tx, due: &'a Due) -> HandlerFuture<'a>;
}

/// A plain async function as a handler:
/// `handler(|tx, due| Box::pin(async move { … }))`.
pub fn handler<F>(f: F) -> impl Handler
where
    F: for<'a> Fn(&'a mut Tx, &'a Due) -> HandlerFuture<'a> + Send + Sync + 'static,
{
    struct FnHandler<F>(F);
    impl<F> Handler for FnHandler<F>
    where
        F: for<'a> Fn(&'a mut Tx, &'a Due) -> HandlerFuture<'a> + Send + Sync + 'static,
    {
        fn run<'a>(&'a self, tx: &'a mut Tx, due: &'a Due) -> HandlerFuture<'a> {
            (self.0)(tx, due)
        }
    }
    FnHandler(f)
}

/// What one [`Scheduler::tick`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    /// Runs that committed.
    pub ran: usize,
    /// Runs whose handler failed (retried after a backoff).
    pub failed: usize,
    /// Claims that were lost before they committed.
    pub lost: usize,
}

/// Polls `scheduled_tasks` and runs the registered kinds' due rows.
#[derive(Clone)]
pub struct Scheduler {
    db: Db,
    clock: Arc<dyn Clock>,
    handlers: HashMap<String, Arc<dyn Handler>>,
    kinds: Vec<String>,
    /// How long a claim holds before another runner may take the row over.
    pub lease: ChronoDuration,
    /// How often an idle scheduler looks for due rows.
    pub poll: Duration,
    /// Rows claimed per tick.
    pub batch: i64,
}

impl Scheduler {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Scheduler {
            db,
            clock,
            handlers: HashMap::new(),
            kinds: vec![],
            lease: ChronoDuration::seconds(60),
            poll: Duration::from_secs(5),
            batch: 32,
        }
    }

    /// Registers the handler of `kind` (one per kind; a later one replaces it).
    pub fn register(mut self, kind: &str, handler: impl Handler) -> Self {
        if !self.kinds.iter().any(|k| k == kind) {
            self.kinds.push(kind.to_owned());
        }
        self.handlers.insert(kind.to_owned(), Arc::new(handler));
        self
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Claims the rows due now and runs them; returns what happened.
    pub async fn tick(&self) -> Result<Tick, DbError> {
        let mut out = Tick::default();
        if self.kinds.is_empty() {
            return Ok(out);
        }
        let now = self.clock.now();
        let lease = self.lease.num_milliseconds() as f64 / 1000.0;
        let claimed = {
            let mut c = self.db.system().await?;
            let rows = schedule::claim(&mut c, &self.kinds, now, lease, self.batch).await?;
            c.done().await?;
            rows
        };
        for (task, token) in claimed {
            match self.run_one(task, token).await {
                Ok(true) => out.ran += 1,
                Ok(false) => out.lost += 1,
                Err(()) => out.failed += 1,
            }
        }
        Ok(out)
    }

    /// Ticks until nothing is due (a backlog after downtime drains in one go).
    pub async fn drain(&self) -> Result<Tick, DbError> {
        let mut all = Tick::default();
        loop {
            let t = self.tick().await?;
            all.ran += t.ran;
            all.failed += t.failed;
            all.lost += t.lost;
            if t.ran == 0 {
                return Ok(all);
            }
        }
    }

    /// `Ok(true)` committed, `Ok(false)` lease lost, `Err` handler failed.
    async fn run_one(&self, task: ScheduledTask, token: uuid::Uuid) -> Result<bool, ()> {
        let Some(handler) = self.handlers.get(&task.kind).cloned() else {
            return Ok(false);
        };
        let (id, kind, due_at) = (task.id, task.kind.clone(), task.due_at);
        let attempts = task.attempts;
        let result: Result<bool, HandlerError> = async {
            let mut tx = self.db.begin_system().await?;
            let Some(task) = schedule::lock_claimed(&mut tx, id, token).await? else {
                return Ok(false);
            };
            let due = Due {
                task,
                now: self.clock.now(),
            };
            let next = handler.run(&mut tx, &due).await?;
            if !schedule::complete(&mut tx, id, token, due_at, due.now, &next).await? {
                return Ok(false);
            }
            tx.commit().await?;
            Ok(true)
        }
        .await;
        match result {
            Ok(true) => {
                tracing::debug!(schedule.id = %id, schedule.kind = %kind, due_at = %due_at, "scheduled run done");
                Ok(true)
            }
            Ok(false) => {
                tracing::info!(schedule.id = %id, schedule.kind = %kind, "scheduled run lost its claim; nothing written");
                Ok(false)
            }
            Err(e) => {
                // capped exponential backoff: 1 s, 2 s, 4 s … 10 min
                let backoff = ChronoDuration::seconds(1i64 << attempts.clamp(0, 9))
                    .min(ChronoDuration::minutes(10));
                let retry_at = self.clock.now() + backoff;
                tracing::warn!(schedule.id = %id, schedule.kind = %kind, error = %e, retry_at = %retry_at, "scheduled run failed");
                let recorded = async {
                    let mut c = self.db.system().await?;
                    schedule::fail(&mut c, id, token, retry_at, &e.to_string()).await?;
                    c.done().await
                }
                .await;
                if let Err(e) = recorded {
                    tracing::warn!(schedule.id = %id, error = %e, "recording a failed scheduled run failed; the lease will lapse");
                }
                Err(())
            }
        }
    }

    /// Ticks every `poll` (and at once again while rows were due) until
    /// `stop` turns true.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(kinds = ?self.kinds, "scheduler started");
        loop {
            if *stop.borrow() {
                return;
            }
            let busy = match self.tick().await {
                Ok(t) => t.ran > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "scheduler: claiming due work failed; retrying");
                    false
                }
            };
            if busy {
                continue;
            }
            tokio::select! {
                _ = stop.changed() => return,
                _ = tokio::time::sleep(self.poll) => {}
            }
        }
    }
}

/// Registers every kind this binary runs: the one list a new kind joins.
pub fn with_every_kind(s: Scheduler) -> Scheduler {
    s.register(crate::billing::RENEW, crate::billing::renewal())
        .register(
            crate::automation::SCHEDULE_KIND,
            crate::automation::schedule_handler(),
        )
        .register(crate::wp_sync::SYNC_KIND, crate::wp_sync::sync_handler())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, h, m, 0).unwrap()
    }

    #[test]
    fn every_steps_one_period_or_skips_to_the_future() {
        let hour = ChronoDuration::hours(1);
        // on time: the next period
        assert_eq!(
            Next::every(t(1, 0), hour, t(1, 0), Catchup::Once),
            Next::At(t(2, 0), None)
        );
        // five hours late: each missed one in turn, or straight past now
        assert_eq!(
            Next::every(t(1, 0), hour, t(6, 10), Catchup::EachMissed),
            Next::At(t(2, 0), None)
        );
        assert_eq!(
            Next::every(t(1, 0), hour, t(6, 10), Catchup::Once),
            Next::At(t(7, 0), None)
        );
        // exactly on a boundary: that boundary counts as past
        assert_eq!(
            Next::every(t(1, 0), hour, t(6, 0), Catchup::Once),
            Next::At(t(7, 0), None)
        );
    }
}
