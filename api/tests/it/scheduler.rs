//! The scheduler (`jobs/src/scheduler.rs`) against real PostgreSQL: several
//! instances racing one due time, a lapsed claim taken over, downtime across
//! several due times, failures rolled back and retried — all on a
//! controllable clock.

use crate::harness::TestApp;
use chrono::{DateTime, Duration, TimeZone, Utc};
use diesel::sql_types::{Text, Timestamptz};
use diesel_async::RunQueryDsl;
use igny8_db::Db;
use igny8_jobs::scheduler::{
    Catchup, Clock, Due, HandlerFuture, ManualClock, Next, Scheduler, handler,
};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, 1, 0, 0, 0).unwrap()
}

/// A table the test handlers write their effects to (one row per run).
async fn effects_table(app: &TestApp) {
    app.sql(
        "CREATE TABLE sched_effects (key text NOT NULL, due_at timestamptz NOT NULL, ran_at timestamptz NOT NULL);
         GRANT SELECT, INSERT ON sched_effects TO igny8_system;",
    )
    .await;
}

fn record<'a>(tx: &'a mut igny8_db::Tx, due: &'a Due) -> HandlerFuture<'a> {
    Box::pin(async move {
        diesel::sql_query("INSERT INTO sched_effects (key, due_at, ran_at) VALUES ($1, $2, $3)")
            .bind::<Text, _>(&due.task.key)
            .bind::<Timestamptz, _>(due.task.due_at)
            .bind::<Timestamptz, _>(due.now)
            .execute(&mut **tx)
            .await?;
        Ok(Next::every(
            due.task.due_at,
            Duration::hours(1),
            due.now,
            if due.task.payload["catchup"] == "once" {
                Catchup::Once
            } else {
                Catchup::EachMissed
            },
        ))
    })
}

fn instance(app: &TestApp, clock: &ManualClock) -> Scheduler {
    let db = Db::connect(&app.db_url, 3).unwrap();
    let mut s =
        Scheduler::new(db, Arc::new(clock.clone())).register("test.record", handler(record));
    s.batch = 4;
    s
}

async fn schedule(app: &TestApp, key: &str, at: DateTime<Utc>, payload: serde_json::Value) {
    let db = Db::connect(&app.db_url, 1).unwrap();
    let mut tx = db.begin_system().await.unwrap();
    igny8_db::schedule::schedule(&mut tx, "test.record", key, at, &payload)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn effects(app: &TestApp, key: &str) -> Vec<DateTime<Utc>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = Timestamptz)]
        due_at: DateTime<Utc>,
    }
    let mut conn = app.superuser().await;
    let rows: Vec<Row> =
        diesel::sql_query("SELECT due_at FROM sched_effects WHERE key = $1 ORDER BY due_at")
            .bind::<Text, _>(key)
            .load(&mut conn)
            .await
            .unwrap();
    rows.into_iter().map(|r| r.due_at).collect()
}

async fn next_due(app: &TestApp, key: &str) -> DateTime<Utc> {
    let db = Db::connect(&app.db_url, 1).unwrap();
    let mut tx = db.begin_system().await.unwrap();
    let task = igny8_db::schedule::get(&mut tx, "test.record", key)
        .await
        .unwrap()
        .expect("still scheduled");
    task.due_at
}

#[tokio::test]
async fn instances_racing_the_same_due_times_run_each_once() {
    let app = TestApp::spawn().await;
    effects_table(&app).await;
    let clock = ManualClock::new(t0());
    for i in 0..40 {
        schedule(&app, &format!("k{i}"), t0(), json!({})).await;
    }
    let (a, b, c) = (
        instance(&app, &clock),
        instance(&app, &clock),
        instance(&app, &clock),
    );
    let (ra, rb, rc) = tokio::join!(a.drain(), b.drain(), c.drain());
    let ran = ra.unwrap().ran + rb.unwrap().ran + rc.unwrap().ran;
    assert_eq!(ran, 40, "every due row ran, once");
    for i in 0..40 {
        assert_eq!(effects(&app, &format!("k{i}")).await, vec![t0()], "k{i}");
        assert_eq!(
            next_due(&app, &format!("k{i}")).await,
            t0() + Duration::hours(1)
        );
    }
    // nothing more is due until the clock moves
    assert_eq!(a.drain().await.unwrap().ran, 0);
    clock.advance(Duration::hours(1));
    let (ra, rb) = tokio::join!(a.drain(), b.drain());
    assert_eq!(ra.unwrap().ran + rb.unwrap().ran, 40);
    assert_eq!(
        effects(&app, "k7").await,
        vec![t0(), t0() + Duration::hours(1)]
    );
}

#[tokio::test]
async fn a_lapsed_claim_is_taken_over_and_the_stale_runner_writes_nothing() {
    let app = TestApp::spawn().await;
    effects_table(&app).await;
    let clock = ManualClock::new(t0());
    schedule(&app, "stalled", t0(), json!({})).await;
    // a runner claims the row and then stalls (or dies) before running it
    let db = Db::connect(&app.db_url, 2).unwrap();
    let mut c = db.system().await.unwrap();
    let claimed = igny8_db::schedule::claim(&mut c, &["test.record".into()], t0(), 60.0, 10)
        .await
        .unwrap();
    c.done().await.unwrap();
    assert_eq!(claimed.len(), 1);
    let (task, stale_token) = claimed.into_iter().next().unwrap();

    // while its lease holds, nobody else runs it
    let other = instance(&app, &clock);
    clock.advance(Duration::seconds(59));
    assert_eq!(other.tick().await.unwrap().ran, 0);
    assert!(effects(&app, "stalled").await.is_empty());
    // after it lapses, another instance takes it over and runs it once
    clock.advance(Duration::seconds(2));
    assert_eq!(other.tick().await.unwrap().ran, 1);
    assert_eq!(effects(&app, "stalled").await, vec![t0()]);
    // the stale runner wakes up: its token no longer holds the row
    let mut tx = db.begin_system().await.unwrap();
    assert!(
        igny8_db::schedule::lock_claimed(&mut tx, task.id, stale_token)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !igny8_db::schedule::complete(
            &mut tx,
            task.id,
            stale_token,
            t0(),
            clock.now(),
            &Next::Done
        )
        .await
        .unwrap()
    );
    tx.commit().await.unwrap();
    assert_eq!(next_due(&app, "stalled").await, t0() + Duration::hours(1));
}

#[tokio::test]
async fn downtime_across_several_due_times_runs_each_missed_or_once_as_the_kind_says() {
    let app = TestApp::spawn().await;
    effects_table(&app).await;
    let clock = ManualClock::new(t0());
    schedule(&app, "each", t0(), json!({"catchup": "each"})).await;
    schedule(&app, "once", t0(), json!({"catchup": "once"})).await;
    // the whole fleet was down from t0 until 5 h 10 min later
    clock.set(t0() + Duration::minutes(5 * 60 + 10));
    let (a, b) = (instance(&app, &clock), instance(&app, &clock));
    let (ra, rb) = tokio::join!(a.drain(), b.drain());
    assert_eq!(ra.unwrap().ran + rb.unwrap().ran, 7);
    let hours = |n: i64| t0() + Duration::hours(n);
    assert_eq!(
        effects(&app, "each").await,
        (0..=5).map(hours).collect::<Vec<_>>(),
        "each missed period once, in order"
    );
    assert_eq!(effects(&app, "once").await, vec![t0()], "one run for all");
    assert_eq!(next_due(&app, "each").await, hours(6));
    assert_eq!(next_due(&app, "once").await, hours(6));
    // starting again changes nothing
    assert_eq!(a.drain().await.unwrap().ran, 0);
}

#[tokio::test]
async fn a_failed_run_writes_nothing_and_is_retried_after_a_backoff() {
    let app = TestApp::spawn().await;
    effects_table(&app).await;
    let clock = ManualClock::new(t0());
    schedule(&app, "flaky", t0(), json!({})).await;
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let flaky = handler(|tx, due| {
        Box::pin(async move {
            let next = record(tx, due).await?;
            if CALLS.fetch_add(1, Ordering::SeqCst) == 0 {
                return Err("the first attempt fails after writing".into());
            }
            Ok(next)
        })
    });
    let s = Scheduler::new(
        Db::connect(&app.db_url, 2).unwrap(),
        Arc::new(clock.clone()),
    )
    .register("test.record", flaky);
    let first = s.tick().await.unwrap();
    assert_eq!((first.ran, first.failed), (0, 1));
    assert!(effects(&app, "flaky").await.is_empty(), "rolled back");
    // not retried before the backoff
    assert_eq!(s.tick().await.unwrap(), Default::default());
    clock.advance(Duration::seconds(2));
    assert_eq!(s.tick().await.unwrap().ran, 1);
    assert_eq!(effects(&app, "flaky").await, vec![t0()]);
    assert_eq!(AtomicUsize::load(&CALLS, Ordering::SeqCst), 2);
}
