//! Fault tests: real worker processes, real PostgreSQL and Redis. Each run
//! must end with one set of results and one charge.

use crate::harness::{TestApp, Workspace};
use crate::jobs::{keyword_ids, next, progress_until_complete, socket, subscribe};
use futures::SinkExt;
use igny8_db::Db;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const CLUSTER: &str =
    "mutation($k: [ID!]!) { autoClusterKeywords(input: {keywordIds: $k}) { id } }";
const JOB: &str =
    "query($id: ID!) { job(id: $id) { status phase attempt creditsCharged creditsHeld result } }";

async fn job(app: &TestApp, token: &str, id: &str) -> Value {
    app.data(token, JOB, json!({"id": id}), "job").await
}

/// Checks `probe` until it answers `Ok` (at once, then at intervals
/// growing from 5 to 100 ms), for at most 30 s; `Err` with the last state
/// seen when it never does. The one place these tests wait: always on a
/// condition they can observe.
pub(crate) async fn within<T, S>(mut probe: impl AsyncFnMut() -> Result<T, S>) -> Result<T, S> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut pause = Duration::from_millis(5);
    loop {
        match probe().await {
            Ok(v) => return Ok(v),
            Err(last) if tokio::time::Instant::now() >= deadline => return Err(last),
            Err(_) => {}
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

/// [`within`], panicking with `what` and the last state seen.
pub(crate) async fn eventually<T, S: std::fmt::Debug>(
    what: &str,
    probe: impl AsyncFnMut() -> Result<T, S>,
) -> T {
    match within(probe).await {
        Ok(v) => v,
        Err(last) => panic!("never happened: {what}; last seen: {last:?}"),
    }
}

async fn wait_until(
    app: &TestApp,
    token: &str,
    id: &str,
    what: &str,
    f: impl Fn(&Value) -> bool,
) -> Value {
    eventually(&format!("job {id} reaches {what}"), async || {
        let j = job(app, token, id).await;
        if f(&j) { Ok(j) } else { Err(j) }
    })
    .await
}

/// The effects of exactly one successful run of an auto-cluster job.
async fn assert_one_effect(app: &TestApp, w: &Workspace, id: &str) {
    let j = job(app, &w.s.token, id).await;
    assert_eq!(j["status"], "SUCCEEDED", "{j}");
    let created = j["result"]["items"].as_array().unwrap().len() as i64;
    assert!(created > 0);
    assert_eq!(app.count("clusters").await, created, "one set of clusters");
    assert_eq!(
        app.count(&format!("credit_transactions WHERE reference = 'job:{id}'"))
            .await,
        1,
        "one charge"
    );
    assert_eq!(
        app.count(&format!("credit_usage_logs WHERE job_id = '{id}'"))
            .await,
        1
    );
    let acc = app
        .data(
            &w.s.token,
            "{ account { credits creditsHeld } }",
            json!({}),
            "account",
        )
        .await;
    assert_eq!(
        (acc["credits"].as_i64(), acc["creditsHeld"].as_i64()),
        (Some(100 - j["creditsCharged"].as_i64().unwrap()), Some(0))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_during_ai_call_is_replaced_and_the_job_runs_once() {
    let app = TestApp::spawn_with(|c| c.jobs.lease_secs = 2).await;
    let w = app.workspace("sigkill@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    let mut first = app.worker_process(&[
        ("IGNY8_JOB_LEASE_SECS", "2"),
        ("IGNY8_OFFLINE_LATENCY_MS", "60000"),
    ]);
    let id = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws}),
            "autoClusterKeywords",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_until(&app, &w.s.token, &id, "AI_CALL", |j| {
        j["phase"] == "AI_CALL"
    })
    .await;
    // SIGKILL: no cleanup, the stream entry stays pending, the lease runs out
    first.kill().unwrap();
    first.wait().unwrap();
    let mut second = app.worker_process(&[("IGNY8_JOB_LEASE_SECS", "2")]);
    let j = wait_until(&app, &w.s.token, &id, "SUCCEEDED", |j| {
        j["status"] == "SUCCEEDED"
    })
    .await;
    second.kill().unwrap();
    let _ = second.wait();
    assert!(j["attempt"].as_i64().unwrap() >= 2, "{j}");
    assert_one_effect(&app, &w, &id).await;
}

/// What any session sees of a job row: its owner, phase and `seq`.
async fn job_row(app: &TestApp, id: uuid::Uuid) -> (Option<uuid::Uuid>, String, i64) {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
        lease_token: Option<uuid::Uuid>,
        #[diesel(sql_type = diesel::sql_types::Text)]
        phase: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        seq: i64,
    }
    use diesel_async::RunQueryDsl;
    let r: Row = diesel::sql_query(format!(
        "SELECT lease_token, phase, seq FROM ai_jobs WHERE id = '{id}'"
    ))
    .get_result(&mut app.superuser().await)
    .await
    .unwrap();
    (r.lease_token, r.phase, r.seq)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zombie_past_its_lease_cannot_save() {
    use igny8_core::jobs::JobPhase;
    use igny8_jobs::kinds::auto_cluster::{AutoCluster, Prepared};
    let app = TestApp::spawn().await;
    let w = app.workspace("zombie@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    let id: uuid::Uuid = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws[..3]}),
            "autoClusterKeywords",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let db = Db::connect_worker(&app.db_url, 2).unwrap();
    let (zombie, owner) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    // the worker's claim: one delivery, as `jobs::deliver` records it
    let deliver = async |token: uuid::Uuid| {
        let mut c = db.system().await.unwrap();
        let d = igny8_db::jobs::deliver(&mut c, id, token, 30, 100, JobPhase::Init, 0, "")
            .await
            .unwrap();
        c.done().await.unwrap();
        match d {
            igny8_db::jobs::Delivery::Claimed(j) => Some(j),
            _ => None,
        }
    };
    let claimed = deliver(zombie).await.expect("first claim");
    // a second claim while the lease holds fails
    assert!(deliver(owner).await.is_none());
    // the zombie stalls past its lease (expired here rather than waited for)
    app.sql(&format!(
        "UPDATE ai_jobs SET lease_expires_at = now() - interval '1 second' WHERE id = '{id}'"
    ))
    .await;
    assert!(
        deliver(owner).await.is_some(),
        "the expired lease is taken over"
    );
    let owned = job_row(&app, id).await;
    assert_eq!(owned.0, Some(owner));

    // the zombie's SAVE through the engine, exactly as its run would do it
    let account = claimed.account_id;
    let sector: uuid::Uuid = w.sector.parse().unwrap();
    let scope = igny8_core::Scope::account(account);
    let prepared = || async {
        let mut tx = db.begin_tenant(account).await.unwrap();
        let sector = igny8_db::sectors::get(&mut tx, &scope, sector)
            .await
            .unwrap();
        let ids: Vec<uuid::Uuid> = kws[..3].iter().map(|k| k.parse().unwrap()).collect();
        let keywords = igny8_db::keywords::by_ids(&mut tx, &scope, &ids)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let parsed = igny8_core::ai::cluster::ClusterOutput {
            clusters: vec![igny8_core::ai::cluster::ClusterOut {
                name: "saved".into(),
                description: String::new(),
                keyword_ids: ids.iter().map(|k| k.to_string()).collect(),
            }],
        };
        let n = keywords.len();
        let p = Prepared::one_call(sector, keywords);
        (p, vec![((0..n).collect::<Vec<usize>>(), Ok(parsed))])
    };
    let (p, parsed) = prepared().await;
    let items: Vec<uuid::Uuid> = kws[..3].iter().map(|k| k.parse().unwrap()).collect();
    let end = || igny8_jobs::engine::End {
        cancelled: false,
        items: &items,
    };
    let r = igny8_jobs::engine::save::<AutoCluster>(&db, &claimed, zombie, p, parsed, end()).await;
    assert!(
        matches!(r, Err(igny8_jobs::engine::RunError::LeaseLost)),
        "{:?}",
        r.err()
    );
    // what another session sees: nothing of the zombie
    assert_eq!(app.count("clusters").await, 0, "no cluster of the zombie");
    assert_eq!(
        app.count("keywords WHERE cluster_id IS NOT NULL").await,
        0,
        "no keyword moved"
    );
    assert_eq!(
        app.count("credit_transactions WHERE kind = 'deduction'")
            .await,
        0,
        "no charge"
    );
    assert_eq!(app.count("credit_usage_logs").await, 0);
    assert_eq!(
        job_row(&app, id).await,
        owned,
        "the job row is the owner's, as it left it"
    );
    assert_eq!(
        app.count("accounts WHERE credits_held = 1 AND credits_balance = 100")
            .await,
        1,
        "the hold is intact"
    );
    // nor can the zombie renew or record a step
    let mut c = db.system().await.unwrap();
    assert!(
        igny8_db::jobs::renew(&mut c, id, zombie, 30)
            .await
            .unwrap()
            .is_none()
    );
    let step = igny8_db::jobs::Step {
        phase: JobPhase::Save,
        percent: 90,
        items_done: 1,
        items_total: 1,
        message: "saving",
    };
    assert!(
        igny8_db::jobs::progress(&mut c, id, zombie, &step)
            .await
            .unwrap()
            .is_none()
    );
    // a delivery while the owner's lease holds is counted (the fourth,
    // after the three claims above), not claimed
    let d = igny8_db::jobs::deliver(&mut c, id, zombie, 30, 10, JobPhase::Init, 0, "validating")
        .await
        .unwrap();
    assert!(
        matches!(&d, igny8_db::jobs::Delivery::Refused(j) if j.lease_token == Some(owner) && j.deliveries == 4),
        "{d:?}"
    );
    #[derive(diesel::QueryableByName)]
    struct Who {
        #[diesel(sql_type = diesel::sql_types::Text)]
        who: String,
    }
    use diesel_async::RunQueryDsl;
    let who: Who = diesel::sql_query("SELECT current_user::text AS who")
        .get_result(&mut *c)
        .await
        .unwrap();
    assert_eq!(who.who, igny8_db::SYSTEM_ROLE, "never the configured user");
    c.done().await.unwrap();
    // the owner's SAVE, the same way, goes through and is what others see
    let (p, parsed) = prepared().await;
    let (_, done) = igny8_jobs::engine::save::<AutoCluster>(&db, &claimed, owner, p, parsed, end())
        .await
        .unwrap();
    assert_eq!(done.status, igny8_core::jobs::JobStatus::Succeeded);
    assert_eq!(app.count("clusters WHERE name = 'saved'").await, 1);
    assert_eq!(
        app.count(&format!("credit_transactions WHERE reference = 'job:{id}'"))
            .await,
        1
    );
    assert_eq!(
        app.count("accounts WHERE credits_balance = 99 AND credits_held = 0")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_stream_deliveries_have_one_effect() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("dup@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    let id = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws}),
            "autoClusterKeywords",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // the same job delivered again and again: while queued, running, and done
    let conn = igny8_jobs::redis_manager(&app.state.config.redis_url)
        .await
        .unwrap();
    let queue = igny8_jobs::queue::Queue::new(
        igny8_jobs::queue::Keys {
            prefix: app.state.config.jobs.redis_prefix.clone(),
        },
        conn,
    );
    for _ in 0..3 {
        queue.push(id.parse().unwrap()).await.unwrap();
    }
    wait_until(&app, &w.s.token, &id, "SUCCEEDED", |j| {
        j["status"] == "SUCCEEDED"
    })
    .await;
    for _ in 0..3 {
        queue.push(id.parse().unwrap()).await.unwrap();
    }
    // every entry (the enqueue's and the six extra) was read by the group
    // and acknowledged: nothing pending, nothing left to read
    let mut conn = igny8_jobs::redis_manager(&app.state.config.redis_url)
        .await
        .unwrap();
    let stream = format!("{}:jobs", app.state.config.jobs.redis_prefix);
    eventually(
        "every delivery consumed and acknowledged (7 read, 0 pending, 0 lag)",
        async || {
            let g = stream_group(&mut conn, &stream).await;
            match (g["entries-read"], g["pending"], g["lag"]) {
                (7, 0, 0) => Ok(()),
                _ => Err(g),
            }
        },
    )
    .await;
    let xlen: i64 = redis::cmd("XLEN")
        .arg(&stream)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(xlen, 7);
    assert_one_effect(&app, &w, &id).await;
}

/// The `workers` group's counters from `XINFO GROUPS`: `pending`,
/// `entries-read`, `lag`, `consumers`.
async fn stream_group(c: &mut redis::aio::ConnectionManager, stream: &str) -> HashMap<String, i64> {
    let groups: Vec<HashMap<String, redis::Value>> = redis::cmd("XINFO")
        .arg("GROUPS")
        .arg(stream)
        .query_async(c)
        .await
        .unwrap();
    groups
        .into_iter()
        .find(|g| matches!(g.get("name"), Some(redis::Value::BulkString(n)) if n == b"workers"))
        .expect("the workers group")
        .into_iter()
        .filter_map(|(k, v)| match v {
            redis::Value::Int(n) => Some((k, n)),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_joining_mid_run_gets_the_snapshot_then_the_rest() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.offline_latency_ms = 1500).await;
    let w = app.workspace("late@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    let id = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws}),
            "autoClusterKeywords",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_until(&app, &w.s.token, &id, "AI_CALL", |j| {
        j["phase"] == "AI_CALL"
    })
    .await;
    let mut ws = socket(&app, &w.s.token).await;
    subscribe(
        &mut ws,
        "p",
        "subscription($id: ID!) { jobProgress(jobId: $id) { seq phase status } }",
        json!({"id": id}),
    )
    .await;
    let events = progress_until_complete(&mut ws, "p").await;
    assert_eq!(
        events[0]["phase"], "AI_CALL",
        "the snapshot first: {events:?}"
    );
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "no gap, no duplicate: {seqs:?}"
    );
    let phases: Vec<&str> = events
        .iter()
        .map(|e| e["phase"].as_str().unwrap())
        .collect();
    // after the snapshot, the remaining phases in order
    let order = ["AI_CALL", "PARSE", "SAVE", "DONE"];
    let rank = |p: &str| order.iter().position(|o| *o == p).unwrap();
    assert!(
        phases.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{phases:?}"
    );
    assert!(phases.contains(&"PARSE") && phases.contains(&"SAVE"));
    assert_eq!(events.last().unwrap()["status"], "SUCCEEDED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_on_one_instance_sees_a_job_enqueued_on_another() {
    let mut app = TestApp::spawn_with_worker().await;
    app.start_worker(); // a second worker in the same group
    let other = app.sibling().await;
    let w = app.workspace("cross@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    // subscribe on instance A to everything of the account
    let mut ws = socket(&app, &w.s.token).await;
    subscribe(
        &mut ws,
        "all",
        "subscription { accountJobs { jobId seq status } }",
        json!({}),
    )
    .await;
    // registered with instance A's hub before the job exists
    eventually("instance A's hub has the subscriber", async || {
        match app.state.hub.subscribers() {
            0 => Err(0),
            n => Ok(n),
        }
    })
    .await;
    // enqueue on instance B
    let resp: Value = app
        .http
        .post(format!("http://{}/graphql", other.addr))
        .bearer_auth(&w.s.token)
        .json(&json!({"query": CLUSTER, "variables": {"k": kws}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = resp["data"]["autoClusterKeywords"]["id"].clone();
    let mut seqs = vec![];
    loop {
        let m = next(&mut ws).await;
        let e = &m["payload"]["data"]["accountJobs"];
        assert_eq!(e["jobId"], id);
        seqs.push(e["seq"].as_i64().unwrap());
        if e["status"] == "SUCCEEDED" {
            break;
        }
    }
    assert_eq!(seqs[0], 1);
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    let _ = ws.send(Message::Close(None)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_save_before_xack_has_no_second_effect() {
    let app = TestApp::spawn_with(|c| c.jobs.lease_secs = 2).await;
    let w = app.workspace("afterSave@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    let mut crashing = app.worker_process(&[
        ("IGNY8_JOB_LEASE_SECS", "2"),
        ("IGNY8_FAULT_CRASH_AFTER_SAVE", "1"),
    ]);
    let id = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws}),
            "autoClusterKeywords",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let status = crashing.wait().unwrap();
    assert!(!status.success(), "the worker crashed at the failpoint");
    assert_eq!(
        job(&app, &w.s.token, &id).await["status"],
        "SUCCEEDED",
        "SAVE committed"
    );
    // the entry is still pending: a new worker reclaims it after the lease
    let mut conn = igny8_jobs::redis_manager(&app.state.config.redis_url)
        .await
        .unwrap();
    let stream = format!("{}:jobs", app.state.config.jobs.redis_prefix);
    let pending = |c: &mut redis::aio::ConnectionManager| {
        let stream = stream.clone();
        let mut c = c.clone();
        async move {
            let r: redis::Value = redis::cmd("XPENDING")
                .arg(&stream)
                .arg("workers")
                .query_async(&mut c)
                .await
                .unwrap();
            match r {
                redis::Value::Array(v) => match &v[0] {
                    redis::Value::Int(n) => *n,
                    _ => -1,
                },
                _ => -1,
            }
        }
    };
    assert_eq!(pending(&mut conn).await, 1);
    let mut second = app.worker_process(&[("IGNY8_JOB_LEASE_SECS", "2")]);
    let drained = within(async || match pending(&mut conn).await {
        0 => Ok(()),
        n => Err(n),
    })
    .await;
    second.kill().unwrap();
    let _ = second.wait();
    if let Err(n) = drained {
        panic!("the reclaimed entry was never acknowledged: {n} pending");
    }
    assert_one_effect(&app, &w, &id).await;
}

/// A private Redis on a free port, for a test that restarts it.
pub(crate) struct PrivateRedis {
    port: u16,
    child: std::process::Child,
}

impl PrivateRedis {
    pub(crate) fn start(port: u16) -> PrivateRedis {
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server on PATH");
        PrivateRedis { port, child }
    }

    pub(crate) async fn wait_ready(&self) {
        eventually("the private Redis accepts connections", async || {
            tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .map(drop)
        })
        .await;
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_finish_and_subscribers_resync_across_a_redis_restart() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let redis = PrivateRedis::start(port);
    redis.wait_ready().await;
    let app = TestApp::spawn_worker_with(|c| {
        c.redis_url = format!("redis://127.0.0.1:{port}");
        c.jobs.offline_latency_ms = 2000;
        c.jobs.lease_secs = 2;
    })
    .await;
    let w = app.workspace("restart@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    // the worker has made its consumer group: its read loop comes next
    let mut rc = igny8_jobs::redis_manager(&app.state.config.redis_url)
        .await
        .unwrap();
    let stream = format!("{}:jobs", app.state.config.jobs.redis_prefix);
    eventually("the worker made its consumer group", async || {
        let groups: redis::RedisResult<Vec<HashMap<String, redis::Value>>> = redis::cmd("XINFO")
            .arg("GROUPS")
            .arg(&stream)
            .query_async(&mut rc)
            .await;
        match groups {
            Ok(g) if !g.is_empty() => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    drop(rc);
    let id = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws[..6]}),
            "autoClusterKeywords",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ws = socket(&app, &w.s.token).await;
    subscribe(
        &mut ws,
        "p",
        "subscription($id: ID!) { jobProgress(jobId: $id) { seq phase status } }",
        json!({"id": id}),
    )
    .await;
    wait_until(&app, &w.s.token, &id, "AI_CALL", |j| {
        j["phase"] == "AI_CALL"
    })
    .await;
    // Redis goes away mid-run, and comes back empty (no persistence)
    drop(redis);
    // restarted only once this instance has seen it go
    eventually("the progress hub saw Redis go away", async || {
        match app.state.hub.connection_losses() {
            0 => Err(0),
            n => Ok(n),
        }
    })
    .await;
    let redis = PrivateRedis::start(port);
    redis.wait_ready().await;
    let events = progress_until_complete(&mut ws, "p").await;
    let last = events.last().unwrap();
    assert_eq!(
        last["status"], "SUCCEEDED",
        "the subscriber resynced to the end: {events:?}"
    );
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[1] > w[0]),
        "in order, no duplicate: {seqs:?}"
    );
    assert_one_effect(&app, &w, &id).await;
    // and the queue works again: a new job after the restart completes
    let id2 = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws[6..12]}),
            "autoClusterKeywords",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_until(&app, &w.s.token, &id2, "SUCCEEDED", |j| {
        j["status"] == "SUCCEEDED"
    })
    .await;
    drop(redis);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enqueue_answers_at_once_when_redis_is_down_and_the_sweeper_queues_the_job_later() {
    // a loopback port nothing listens on
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = TestApp::spawn_with(|c| {
        c.redis_url = format!("redis://127.0.0.1:{closed}");
        c.jobs.lease_secs = 1;
    })
    .await;
    let w = app.workspace("redis-down@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    // three enqueues: each used to wait for Redis (about 4 s apiece); the
    // bound is far above the budget (0.5 s) and far below the old stall
    let ids = tokio::time::timeout(Duration::from_secs(5), async {
        let mut ids = vec![];
        for k in kws.chunks(5).take(3) {
            let j = app
                .data(&w.s.token, CLUSTER, json!({"k": k}), "autoClusterKeywords")
                .await;
            ids.push(j["id"].as_str().unwrap().to_owned());
        }
        ids
    })
    .await
    .expect("enqueues answer without waiting for Redis");
    // committed, held and queued: nothing lost
    for id in &ids {
        assert_eq!(job(&app, &w.s.token, id).await["status"], "QUEUED");
    }
    assert_eq!(app.count("accounts WHERE credits_held = 3").await, 1);
    // a worker on a Redis that answers (same prefix): the sweeper adds the
    // jobs to the stream and they run
    let mut cfg = app.state.config.worker();
    cfg.redis_url = crate::harness::redis_url();
    let (stop, rx) = tokio::sync::watch::channel(false);
    let worker = igny8_jobs::Worker::new(cfg, Db::connect_worker(&app.db_url, 4).unwrap());
    tokio::spawn(async move { worker.run(rx).await });
    for id in &ids {
        wait_until(&app, &w.s.token, id, "SUCCEEDED", |j| {
            j["status"] == "SUCCEEDED"
        })
        .await;
    }
    let _ = stop.send(true);
}

/// Inside the fuel limit, but each step scans 20 MB: about 35 s of CPU
/// without a deadline.
const SLOW_TEMPLATE: &str =
    "{% set s = 'x' * 20000000 %}{% for i in range(25000) %}{% set n = s | length %}.{% endfor %}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_prompt_template_fails_clearly_while_healthz_answers_and_keeps_its_lease() {
    let mut app = TestApp::spawn_worker_with(|c| c.jobs.lease_secs = 1).await;
    // a second worker: it would take over a job whose lease lapsed
    let first = app.stop_worker.take();
    app.start_worker();
    let w = app.workspace("slow-template@faults.io").await;
    let kws = keyword_ids(&app, &w).await;
    let saved = app
        .gql(
            Some(&w.s.token),
            "mutation($i: SavePromptInput!) { savePrompt(input: $i) { isCustom } }",
            json!({"i": {"function": "AUTO_CLUSTER", "template": SLOW_TEMPLATE}}),
        )
        .await;
    assert_eq!(saved["data"]["savePrompt"]["isCustom"], true, "{saved}");
    // as many jobs as the runtime has threads
    let mut ids = vec![];
    for k in kws.chunks(5).take(2) {
        let j = app
            .data(&w.s.token, CLUSTER, json!({"k": k}), "autoClusterKeywords")
            .await;
        ids.push(j["id"].as_str().unwrap().to_owned());
    }
    eventually(
        "a render started",
        async || match igny8_jobs::render::in_progress() {
            0 => Err(0),
            n => Ok(n),
        },
    )
    .await;
    let health = app
        .http
        .get(app.url("/healthz"))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    // healthz answered while the render was still going
    assert!(
        igny8_jobs::render::in_progress() > 0,
        "healthz answered only after the renders"
    );
    for id in &ids {
        let j = wait_until(&app, &w.s.token, id, "FAILED", |j| j["status"] == "FAILED").await;
        let e = app
            .data(
                &w.s.token,
                "query($id: ID!) { job(id: $id) { error attempt } }",
                json!({"id": id}),
                "job",
            )
            .await;
        assert!(
            e["error"]
                .as_str()
                .unwrap()
                .contains("prompt template: the template took longer than"),
            "{e}"
        );
        assert_eq!(
            e["attempt"], 1,
            "ran once: the lease held through the render"
        );
        assert_eq!(j["creditsHeld"], 0);
    }
    assert_eq!(app.count("clusters").await, 0);
    drop(first);
}

#[test]
fn a_starved_worker_runtime_keeps_its_leases() {
    // the worker on a runtime of its own with one thread, which the test
    // blocks; the app and a second worker on another runtime
    let app_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let worker_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    app_rt.block_on(async {
        let app = TestApp::spawn_with(|c| {
            c.jobs.lease_secs = 1;
            c.jobs.offline_latency_ms = 3000;
        })
        .await;
        let w = app.workspace("starved@faults.io").await;
        let kws = keyword_ids(&app, &w).await;
        let (stop, rx) = tokio::sync::watch::channel(false);
        let worker = igny8_jobs::Worker::new(
            app.state.config.worker(),
            Db::connect_worker(&app.db_url, 4).unwrap(),
        );
        worker_rt.spawn(async move { worker.run(rx).await });
        let id = app
            .data(&w.s.token, CLUSTER, json!({"k": kws[..5]}), "autoClusterKeywords")
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        wait_until(&app, &w.s.token, &id, "AI_CALL", |j| j["phase"] == "AI_CALL").await;
        // a second worker, ready to take over a lapsed lease
        let (stop2, rx2) = tokio::sync::watch::channel(false);
        let worker2 = igny8_jobs::Worker::new(
            app.state.config.worker(),
            Db::connect_worker(&app.db_url, 4).unwrap(),
        );
        tokio::spawn(async move { worker2.run(rx2).await });
        // block the worker's only thread for three leases
        let blocking = std::sync::Arc::new(std::sync::atomic::AtomicU8::new(0));
        let b = blocking.clone();
        worker_rt.spawn(async move {
            b.store(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(3));
            b.store(2, std::sync::atomic::Ordering::SeqCst);
        });
        eventually("the worker's runtime is blocked", async || {
            match blocking.load(std::sync::atomic::Ordering::SeqCst) {
                0 => Err(0),
                n => Ok(n),
            }
        })
        .await;
        let expiry = async || {
            app.count(&format!(
                "ai_jobs WHERE id = '{id}' AND lease_expires_at > now() + interval '500 milliseconds'"
            ))
            .await
        };
        // the lease is renewed while the runtime is blocked: renewals
        // keep it at least half a lease ahead; without them it lapses
        let mut renewed_while_blocked = 0;
        while blocking.load(std::sync::atomic::Ordering::SeqCst) == 1 {
            let before = app
                .count(&format!("ai_jobs WHERE id = '{id}' AND lease_expires_at < now()"))
                .await;
            assert_eq!(before, 0, "the lease lapsed while the worker's runtime was blocked");
            renewed_while_blocked += expiry().await;
            // a sampling period over the blocked time, not a synchronisation
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(renewed_while_blocked > 0);
        let j = wait_until(&app, &w.s.token, &id, "SUCCEEDED", |j| j["status"] == "SUCCEEDED").await;
        assert_eq!(j["attempt"], 1, "ran once: {j}");
        assert_one_effect(&app, &w, &id).await;
        let _ = stop.send(true);
        let _ = stop2.send(true);
    });
    worker_rt.shutdown_background();
    app_rt.shutdown_background();
}
