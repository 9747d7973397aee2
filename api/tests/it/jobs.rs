//! AI jobs end to end: real PostgreSQL, Redis, worker and WebSocket.

use crate::harness::{TestApp, Workspace, code, ids};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub const KEYWORDS: &str = "keyword,volume,intent\n\
best running shoes,5000,commercial\nrunning shoes for flat feet,1200,commercial\ntrail running shoes,2200,commercial\n\
running shoes for women,3000,commercial\ncheap running shoes,900,transactional\n\
sourdough bread recipe,8000,informational\nsourdough starter,6000,informational\nhow to make sourdough bread,4000,informational\n\
sourdough bread flour,700,informational\nbest sourdough bread,500,commercial\n\
dog training tips,3000,informational\npuppy training schedule,2000,informational\ndog obedience training,1500,informational\n\
crate training a puppy,2500,informational\ndog training classes near me,900,transactional\n";

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// An acknowledged graphql-transport-ws socket.
pub async fn socket(app: &TestApp, token: &str) -> Socket {
    let mut req = format!("ws://{}/graphql", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    ws.send(Message::Text(
        json!({"type": "connection_init", "payload": {"token": token}})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    assert_eq!(next(&mut ws).await["type"], "connection_ack");
    ws
}

pub async fn next(ws: &mut Socket) -> Value {
    loop {
        match tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .expect("a message within 30 s")
        {
            Some(Ok(Message::Text(t))) => return serde_json::from_str(&t).unwrap(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("socket ended: {other:?}"),
        }
    }
}

pub async fn subscribe(ws: &mut Socket, id: &str, query: &str, vars: Value) {
    ws.send(Message::Text(
        json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": vars}})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
}

const PROGRESS: &str = "subscription($id: ID!) { jobProgress(jobId: $id) { jobId seq status phase percent itemsDone itemsTotal message error } }";

/// Every event of a jobProgress subscription until it completes.
pub async fn progress_until_complete(ws: &mut Socket, sub: &str) -> Vec<Value> {
    let mut events = vec![];
    loop {
        let m = next(ws).await;
        match m["type"].as_str() {
            Some("next") if m["id"] == sub => {
                assert!(m["payload"].get("errors").is_none(), "{m}");
                events.push(m["payload"]["data"]["jobProgress"].clone());
            }
            Some("complete") if m["id"] == sub => return events,
            Some("error") => panic!("subscription error: {m}"),
            _ => {}
        }
    }
}

pub async fn keyword_ids(app: &TestApp, w: &Workspace) -> Vec<String> {
    app.import_csv(&w.s.token, &w.sector, KEYWORDS).await;
    ids(&app
        .data(
            &w.s.token,
            "{ keywords(first: 100) { edges { node { id } } } }",
            json!({}),
            "keywords",
        )
        .await)
}

pub const CLUSTER: &str = "mutation($k: [ID!]!) { autoClusterKeywords(input: {keywordIds: $k}) { id status phase creditsHeld function } }";

pub async fn account(app: &TestApp, token: &str) -> Value {
    app.data(
        token,
        "{ account { credits creditsHeld creditsAvailable } }",
        json!({}),
        "account",
    )
    .await
}

pub async fn wait_for_status(app: &TestApp, token: &str, job: &str, want: &str) -> Value {
    for _ in 0..1800 {
        let j = app.data(token, "query($id: ID!) { job(id: $id) { status phase percent creditsHeld creditsCharged result error message } }", json!({"id": job}), "job").await;
        if j["status"] == want {
            return j;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {job} never reached {want}");
}

#[tokio::test]
async fn auto_cluster_runs_every_phase_pushes_progress_and_charges_once() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.offline_latency_ms = 300).await;
    let w = app.workspace("cluster@jobs.io").await;
    let kws = keyword_ids(&app, &w).await;
    let mut ws = socket(&app, &w.s.token).await;

    let job = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws}),
            "autoClusterKeywords",
        )
        .await;
    assert_eq!(
        job["status"], "QUEUED",
        "returned at once, before any AI work"
    );
    assert_eq!(job["creditsHeld"], 1);
    assert_eq!(account(&app, &w.s.token).await["creditsHeld"], 1);
    let id = job["id"].as_str().unwrap();
    subscribe(&mut ws, "p", PROGRESS, json!({"id": id})).await;
    let events = progress_until_complete(&mut ws, "p").await;

    // in order, no gap, no duplicate, ending in DONE
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    let phases: Vec<&str> = events
        .iter()
        .map(|e| e["phase"].as_str().unwrap())
        .collect();
    for p in ["INIT", "PREP", "AI_CALL", "PARSE", "SAVE", "DONE"] {
        assert!(phases.contains(&p), "{p} missing from {phases:?}");
    }
    let percents: Vec<i64> = events
        .iter()
        .map(|e| e["percent"].as_i64().unwrap())
        .collect();
    assert!(percents.windows(2).all(|w| w[1] >= w[0]), "{percents:?}");
    // "n of N" never goes back: PARSE and SAVE keep every item done
    let done: Vec<i64> = events
        .iter()
        .map(|e| e["itemsDone"].as_i64().unwrap())
        .collect();
    assert!(done.windows(2).all(|w| w[1] >= w[0]), "{done:?}");
    let save = events.iter().find(|e| e["phase"] == "SAVE").unwrap();
    assert_eq!(save["percent"], 90, "SAVE starts its band: {save}");
    let last = events.last().unwrap();
    assert_eq!(
        (last["status"].as_str(), last["percent"].as_i64()),
        (Some("SUCCEEDED"), Some(100))
    );

    let j = wait_for_status(&app, &w.s.token, id, "SUCCEEDED").await;
    assert_eq!(
        (j["creditsCharged"].as_i64(), j["creditsHeld"].as_i64()),
        (Some(1), Some(0))
    );
    let acc = account(&app, &w.s.token).await;
    assert_eq!(
        (acc["credits"].as_i64(), acc["creditsHeld"].as_i64()),
        (Some(99), Some(0))
    );
    let clusters = app
        .data(
            &w.s.token,
            "{ clusters { totalCount edges { node { name keywordsCount } } } }",
            json!({}),
            "clusters",
        )
        .await;
    assert!(clusters["totalCount"].as_i64().unwrap() >= 2, "{clusters}");
    assert_eq!(app.count(&format!("credit_transactions WHERE kind = 'deduction' AND amount = -1 AND balance_after = 99 AND reference = 'job:{id}'")).await, 1);
    assert_eq!(
        app.count(&format!(
            "credit_usage_logs WHERE job_id = '{id}' AND operation = 'auto_cluster' AND credits = 1"
        ))
        .await,
        1
    );
    // a late subscriber gets the final state and completes
    subscribe(&mut ws, "late", PROGRESS, json!({"id": id})).await;
    let late = progress_until_complete(&mut ws, "late").await;
    assert_eq!(late.len(), 1);
    assert_eq!(late[0]["status"], "SUCCEEDED");
}

#[tokio::test]
async fn limits_ownership_and_credits_are_checked_before_anything_is_queued() {
    let app = TestApp::spawn().await;
    let w = app.workspace("limits@jobs.io").await;
    let other = app.workspace("other@jobs.io").await;
    let mine = keyword_ids(&app, &w).await;
    let theirs = keyword_ids(&app, &other).await;
    // 21 keywords
    let many: String = std::iter::once("keyword".to_owned())
        .chain((0..21).map(|i| format!("extra {i}")))
        .collect::<Vec<_>>()
        .join("\n");
    app.import_csv(&w.s.token, &w.sector, &many).await;
    let all = ids(&app
        .data(
            &w.s.token,
            "{ keywords(first: 100) { edges { node { id } } } }",
            json!({}),
            "keywords",
        )
        .await);
    // more than one job takes (5,000); 21 is fine now (calls of 20)
    let too_many: Vec<String> = (0..5001)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let r = app
        .gql(Some(&w.s.token), CLUSTER, json!({"k": too_many}))
        .await;
    assert_eq!(code(&r), "LIMIT_EXCEEDED", "{r}");
    let r = app
        .gql(Some(&w.s.token), CLUSTER, json!({"k": all[..21]}))
        .await;
    assert_eq!(r["data"]["autoClusterKeywords"]["status"], "QUEUED", "{r}");
    app.sql("DELETE FROM ai_jobs; UPDATE accounts SET credits_held = 0")
        .await;
    let r = app
        .gql(
            Some(&w.s.token),
            CLUSTER,
            json!({"k": [mine[0], theirs[0]]}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    let r = app.gql(Some(&w.s.token), CLUSTER, json!({"k": []})).await;
    assert_eq!(code(&r), "BAD_USER_INPUT");
    let r = app
        .gql(
            Some(&w.s.token),
            "mutation($i: [ID!]!) { generateImages(input: {imageIds: $i}) { id } }",
            json!({"i": (0..7).map(|_| uuid::Uuid::new_v4().to_string()).collect::<Vec<_>>()}),
        )
        .await;
    assert_eq!(code(&r), "LIMIT_EXCEEDED");
    app.sql("UPDATE accounts SET credits_balance = 0, plan_credits = 0")
        .await;
    let r = app
        .gql(Some(&w.s.token), CLUSTER, json!({"k": mine[..3]}))
        .await;
    assert_eq!(code(&r), "INSUFFICIENT_CREDITS", "{r}");
    assert_eq!(app.count("ai_jobs").await, 0, "nothing was queued");
    assert_eq!(
        app.count("accounts WHERE credits_held <> 0").await,
        0,
        "nothing was held"
    );
}

#[tokio::test]
async fn concurrent_enqueues_racing_for_the_last_credits_never_overdraw() {
    let app = TestApp::spawn().await;
    let w = app.workspace("race@jobs.io").await;
    let kws = keyword_ids(&app, &w).await;
    app.sql("UPDATE accounts SET credits_balance = 7, plan_credits = 7")
        .await;
    let calls = (0..20).map(|i| {
        app.gql(
            Some(&w.s.token),
            CLUSTER,
            json!({"k": [kws[i % kws.len()]]}),
        )
    });
    let results = futures::future::join_all(calls).await;
    let ok = results
        .iter()
        .filter(|r| r["data"]["autoClusterKeywords"].is_object())
        .count();
    let refused = results
        .iter()
        .filter(|r| r["errors"][0]["extensions"]["code"] == "INSUFFICIENT_CREDITS")
        .count();
    assert_eq!((ok, refused), (7, 13), "{results:?}");
    let acc = account(&app, &w.s.token).await;
    assert_eq!(
        (
            acc["credits"].as_i64(),
            acc["creditsHeld"].as_i64(),
            acc["creditsAvailable"].as_i64()
        ),
        (Some(7), Some(7), Some(0))
    );
}

#[tokio::test]
async fn a_queued_job_cancels_at_once_and_releases_its_hold() {
    let app = TestApp::spawn().await; // no worker: the job stays queued
    let w = app.workspace("cancel@jobs.io").await;
    let kws = keyword_ids(&app, &w).await;
    let job = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws[..5]}),
            "autoClusterKeywords",
        )
        .await;
    assert_eq!(account(&app, &w.s.token).await["creditsHeld"], 1);
    let r = app
        .data(
            &w.s.token,
            "mutation($id: ID!) { cancelJob(input: {jobId: $id}) { status creditsHeld } }",
            json!({"id": job["id"]}),
            "cancelJob",
        )
        .await;
    assert_eq!(r, json!({"status": "CANCELLED", "creditsHeld": 0}));
    assert_eq!(account(&app, &w.s.token).await["creditsHeld"], 0);
    // cancelling again changes nothing
    let r = app
        .data(
            &w.s.token,
            "mutation($id: ID!) { cancelJob(input: {jobId: $id}) { status } }",
            json!({"id": job["id"]}),
            "cancelJob",
        )
        .await;
    assert_eq!(r["status"], "CANCELLED");
    assert_eq!(
        app.count("credit_transactions WHERE kind = 'deduction'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_running_job_cancels_at_its_next_step() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.offline_latency_ms = 1500).await;
    let w = app.workspace("cancel-run@jobs.io").await;
    let kws = keyword_ids(&app, &w).await;
    let job = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws[..5]}),
            "autoClusterKeywords",
        )
        .await;
    let id = job["id"].as_str().unwrap();
    wait_for_status(&app, &w.s.token, id, "RUNNING").await;
    app.data(
        &w.s.token,
        "mutation($id: ID!) { cancelJob(input: {jobId: $id}) { id } }",
        json!({"id": id}),
        "cancelJob",
    )
    .await;
    let j = wait_for_status(&app, &w.s.token, id, "CANCELLED").await;
    assert_eq!(j["creditsHeld"], 0);
    assert_eq!(account(&app, &w.s.token).await["creditsHeld"], 0);
    // the one call may have finished before the cancel was seen: what was
    // finished is kept, and the job says which it was
    let saved = app.count("clusters").await;
    let message = j["message"].as_str().unwrap();
    if saved == 0 {
        assert_eq!(message, "cancelled; nothing was saved", "{j}");
        assert_eq!(j["creditsCharged"], 0);
    } else {
        assert!(
            message.starts_with("cancelled; saved before the cancel: "),
            "{j}"
        );
        assert_eq!(j["creditsCharged"], 1);
    }
}

#[tokio::test]
async fn another_tenant_sees_nothing_of_a_job() {
    let app = TestApp::spawn().await;
    let a = app.workspace("a@jobs-iso.io").await;
    let b = app.workspace("b@jobs-iso.io").await;
    let kws = keyword_ids(&app, &a).await;
    let job = app
        .data(
            &a.s.token,
            CLUSTER,
            json!({"k": kws[..3]}),
            "autoClusterKeywords",
        )
        .await;
    let id = job["id"].as_str().unwrap();
    assert_eq!(
        code(
            &app.gql(
                Some(&b.s.token),
                "query($id: ID!) { job(id: $id) { id } }",
                json!({"id": id})
            )
            .await
        ),
        "NOT_FOUND"
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&b.s.token),
                "mutation($id: ID!) { cancelJob(input: {jobId: $id}) { id } }",
                json!({"id": id})
            )
            .await
        ),
        "NOT_FOUND"
    );
    assert_eq!(
        app.data(&b.s.token, "{ jobs { totalCount } }", json!({}), "jobs")
            .await["totalCount"],
        0
    );
    let mut ws = socket(&app, &b.s.token).await;
    subscribe(&mut ws, "x", PROGRESS, json!({"id": id})).await;
    let m = next(&mut ws).await;
    let errors = if m["type"] == "error" {
        m["payload"].clone()
    } else {
        m["payload"]["errors"].clone()
    };
    assert_eq!(errors[0]["extensions"]["code"], "NOT_FOUND", "{m}");
    assert_eq!(
        app.count("ai_jobs WHERE status = 'queued'").await,
        1,
        "A's job untouched"
    );
}

/// Reads `accountJobs` events from `ws` until `until`'s SUCCEEDED event;
/// returns the seqs of each job seen.
async fn account_events_until(
    ws: &mut Socket,
    until: &Value,
) -> std::collections::HashMap<String, Vec<i64>> {
    let mut seen: std::collections::HashMap<String, Vec<i64>> = Default::default();
    loop {
        let m = next(ws).await;
        let e = m["payload"]["data"]["accountJobs"].clone();
        let job = e["jobId"].as_str().unwrap().to_owned();
        seen.entry(job.clone())
            .or_default()
            .push(e["seq"].as_i64().unwrap());
        if job == until.as_str().unwrap() && e["status"] == "SUCCEEDED" {
            return seen;
        }
    }
}

#[tokio::test]
async fn account_jobs_streams_every_job_of_the_account_only() {
    let app = TestApp::spawn_with_worker().await;
    let a = app.workspace("a@acc-jobs.io").await;
    let b = app.workspace("b@acc-jobs.io").await;
    let ka = keyword_ids(&app, &a).await;
    let kb = keyword_ids(&app, &b).await;
    const ALL: &str = "subscription { accountJobs { jobId seq status phase } }";
    let mut ws = socket(&app, &a.s.token).await;
    subscribe(&mut ws, "all", ALL, json!({})).await;
    let mut ws_b = socket(&app, &b.s.token).await;
    subscribe(&mut ws_b, "all", ALL, json!({})).await;
    // both subscriptions are registered with the hub before any job exists
    for _ in 0..200 {
        if app.state.hub.subscribers() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(app.state.hub.subscribers() >= 2);
    let ja = app
        .data(
            &a.s.token,
            CLUSTER,
            json!({"k": ka[..5]}),
            "autoClusterKeywords",
        )
        .await;
    let jb = app
        .data(
            &b.s.token,
            CLUSTER,
            json!({"k": kb[..5]}),
            "autoClusterKeywords",
        )
        .await;
    let mut seen = account_events_until(&mut ws, &ja["id"]).await;
    // B's job to its end, as B's own subscriber sees it: the hub has fanned
    // out every event of B's job by then
    let seen_b = account_events_until(&mut ws_b, &jb["id"]).await;
    assert_eq!(seen_b.len(), 1, "B sees only B's job: {seen_b:?}");
    // then one more job of A: A's stream is drained up to its end
    let sentinel = app
        .data(
            &a.s.token,
            CLUSTER,
            json!({"k": ka[5..8]}),
            "autoClusterKeywords",
        )
        .await;
    for (job, seqs) in account_events_until(&mut ws, &sentinel["id"]).await {
        seen.entry(job).or_default().extend(seqs);
    }
    let jb_id = jb["id"].as_str().unwrap();
    assert!(
        !seen.contains_key(jb_id),
        "B's job leaked into A's stream: {seen:?}"
    );
    assert_eq!(seen.len(), 2, "{seen:?}");
    for seqs in seen.values() {
        assert_eq!(seqs[0], 1, "from the QUEUED event on: {seqs:?}");
        assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    }
}

async fn run_to_success(
    app: &TestApp,
    token: &str,
    mutation: &str,
    vars: Value,
    field: &str,
) -> Value {
    let job = app.data(token, mutation, vars, field).await;
    wait_for_status(app, token, job["id"].as_str().unwrap(), "SUCCEEDED").await
}

#[tokio::test]
async fn the_whole_flow_from_keywords_to_images() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("flow@jobs.io").await;
    let t = &w.s.token;
    let kws = keyword_ids(&app, &w).await;
    run_to_success(&app, t, CLUSTER, json!({"k": kws}), "autoClusterKeywords").await;
    let clusters = app.data(t, "{ clusters(orderBy: [{field: VOLUME, direction: DESC}]) { edges { node { id name keywordsCount } } } }", json!({}), "clusters").await;
    let cluster = clusters["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let j = run_to_success(
        &app,
        t,
        "mutation($c: ID!) { generateIdeas(input: {clusterId: $c}) { id } }",
        json!({"c": cluster}),
        "generateIdeas",
    )
    .await;
    let ideas = app.data(t, "{ ideas { totalCount edges { node { id title outline { sections { heading } } targetKeywords } } } }", json!({}), "ideas").await;
    let n_ideas = ideas["totalCount"].as_i64().unwrap();
    assert!((3..=5).contains(&n_ideas), "{ideas}");
    assert_eq!(
        j["creditsCharged"].as_i64(),
        Some(n_ideas),
        "one credit per idea"
    );
    assert!(
        ideas["edges"][0]["node"]["outline"]["sections"]
            .as_array()
            .unwrap()
            .len()
            >= 4
    );

    let idea_ids = ids(&ideas);
    let tasks = app
        .data(
            t,
            "mutation($i: [ID!]!) { queueIdeasToWriter(input: {ideaIds: $i}) { id } }",
            json!({"i": idea_ids[..2]}),
            "queueIdeasToWriter",
        )
        .await;
    let task_ids: Vec<Value> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].clone())
        .collect();
    let j = run_to_success(
        &app,
        t,
        "mutation($t: [ID!]!) { generateContent(input: {taskIds: $t}) { id } }",
        json!({"t": task_ids}),
        "generateContent",
    )
    .await;
    assert_eq!(j["creditsCharged"], 6, "3 credits per article");
    let contents = app.data(t, "{ contents { totalCount edges { node { id wordCount metaTitle metaDescription html task { status } } } } }", json!({}), "contents").await;
    assert_eq!(contents["totalCount"], 2);
    let c0 = &contents["edges"][0]["node"];
    assert!(c0["wordCount"].as_i64().unwrap() > 300, "{c0}");
    assert!(c0["metaTitle"].as_str().unwrap().chars().count() <= 60);
    assert!(c0["metaDescription"].as_str().unwrap().chars().count() <= 160);
    assert!(c0["html"].as_str().unwrap().contains("<h2>"));
    assert_eq!(c0["task"]["status"], "REVIEW");

    let content_id = c0["id"].clone();
    let j = run_to_success(&app, t, "mutation($c: [ID!]!) { generateImagePrompts(input: {contentIds: $c, maxInArticle: 2}) { id } }", json!({"c": [content_id]}), "generateImagePrompts").await;
    assert_eq!(j["creditsCharged"], 0, "image prompts are free (seed 000)");
    let images = app.data(t, "{ images(orderBy: [{field: POSITION}]) { totalCount edges { node { id imageType prompt status url } } } }", json!({}), "images").await;
    assert_eq!(
        images["totalCount"], 3,
        "a featured and two in-article prompts: {images}"
    );
    assert_eq!(images["edges"][0]["node"]["imageType"], "FEATURED");
    let image_ids = ids(&images);
    let j = run_to_success(
        &app,
        t,
        "mutation($i: [ID!]!) { generateImages(input: {imageIds: $i}) { id } }",
        json!({"i": image_ids}),
        "generateImages",
    )
    .await;
    assert_eq!(j["creditsCharged"], 3);
    let images = app
        .data(
            t,
            "{ images { edges { node { status url } } } }",
            json!({}),
            "images",
        )
        .await;
    let url = images["edges"][0]["node"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(images["edges"][0]["node"]["status"], "GENERATED");
    let resp = app.http.get(app.url(&url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    let png = resp.bytes().await.unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // without a valid signature, nobody gets it
    let unsigned = url.split('?').next().unwrap();
    assert_eq!(
        app.http
            .get(app.url(&format!("{unsigned}?exp=99999999999&sig=00")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        app.http
            .get(app.url(&url.replace("sig=", "sig=0")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // the ledger adds up: 100 − what the jobs charged
    // (image prompts are free)
    let charged = 1 + n_ideas + 6 + 3;
    let acc = account(&app, t).await;
    assert_eq!(acc["credits"].as_i64(), Some(100 - charged), "{acc}");
    assert_eq!(
        app.count("credit_transactions WHERE kind = 'deduction'")
            .await,
        4
    );
    let totals = app
        .data(
            t,
            "{ creditUsageTotals { credits jobs byOperation { operation credits } } }",
            json!({}),
            "creditUsageTotals",
        )
        .await;
    assert_eq!(totals["credits"].as_i64(), Some(charged));
    assert_eq!(totals["jobs"], 5);
}

#[tokio::test]
async fn a_plan_can_override_credit_costs() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("plan@jobs.io").await;
    let kws = keyword_ids(&app, &w).await;
    app.sql("UPDATE plans SET credit_costs = '{\"keywords_per_cluster_credit\": 5}' WHERE slug = 'trial'").await;
    let job = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws[..12]}),
            "autoClusterKeywords",
        )
        .await;
    assert_eq!(job["creditsHeld"], 3, "12 keywords at 5 per credit");
    let j = wait_for_status(&app, &w.s.token, job["id"].as_str().unwrap(), "SUCCEEDED").await;
    assert!(j["creditsCharged"].as_i64().unwrap() <= 3);
    assert_eq!(account(&app, &w.s.token).await["creditsHeld"], 0);
}

#[tokio::test]
async fn a_job_delivered_too_often_is_dead_lettered_and_its_hold_released() {
    // the worker starts once the job is not due: else it may claim it first
    let mut app = TestApp::spawn_with(|c| c.jobs.max_deliveries = 2).await;
    let w = app.workspace("dead@jobs.io").await;
    let kws = keyword_ids(&app, &w).await;
    // keep the job queued but not due, so deliveries pile up without a run
    let job = app
        .data(
            &w.s.token,
            CLUSTER,
            json!({"k": kws[..3]}),
            "autoClusterKeywords",
        )
        .await;
    let id = job["id"].as_str().unwrap().to_owned();
    app.sql(&format!(
        "UPDATE ai_jobs SET run_after = now() + interval '1 hour' WHERE id = '{id}'"
    ))
    .await;
    app.start_worker();
    let conn = igny8_jobs::redis_manager(&app.state.config.redis_url)
        .await
        .unwrap();
    let keys = igny8_jobs::queue::Keys {
        prefix: app.state.config.jobs.redis_prefix.clone(),
    };
    let queue = igny8_jobs::queue::Queue::new(keys.clone(), conn.clone());
    for _ in 0..3 {
        queue.push(id.parse().unwrap()).await.unwrap();
    }
    let j = wait_for_status(&app, &w.s.token, &id, "FAILED").await;
    assert!(
        j["error"].as_str().unwrap().contains("dead-lettered"),
        "{j}"
    );
    assert_eq!(j["creditsHeld"], 0);
    assert_eq!(account(&app, &w.s.token).await["creditsHeld"], 0);
    let mut c = conn;
    let dead: i64 = redis::cmd("XLEN")
        .arg(keys.dead_letter())
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(dead, 1);
}

/// Keyword ids of one sector.
async fn sector_keywords(app: &TestApp, token: &str, sector: &str) -> Vec<String> {
    ids(&app
        .data(
            token,
            "query($s: ID!) { keywords(first: 100, filter: {sectorId: $s}) { edges { node { id } } } }",
            json!({"s": sector}),
            "keywords",
        )
        .await)
}

#[tokio::test]
async fn site_grants_apply_to_jobs_usage_cancellation_and_live_events() {
    use crate::roles::{add_user, login_token};
    let mut app = TestApp::spawn_with_worker().await;
    let stop_worker = app.stop_worker.take().unwrap();
    let w = app.workspace("owner@job-grants.io").await;
    let owner = &w.s.token;
    let site2 = app.create_site(&w.s, "Second").await;
    let sector2 = app.create_sector(&w.s, &site2, "Dogs").await["data"]["createSector"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.import_csv(owner, &w.sector, KEYWORDS).await;
    app.import_csv(owner, &sector2, KEYWORDS).await;
    let k1 = sector_keywords(&app, owner, &w.sector).await;
    let k2 = sector_keywords(&app, owner, &sector2).await;
    add_user(&app, &w.s, "viewer@job-grants.io", "VIEWER", &[&w.site]).await;
    add_user(&app, &w.s, "editor@job-grants.io", "EDITOR", &[&w.site]).await;
    let viewer = login_token(&app, "viewer@job-grants.io").await;
    let editor = login_token(&app, "editor@job-grants.io").await;
    let enqueue = async |token: &str, k: &[String]| -> String {
        app.data(token, CLUSTER, json!({"k": k}), "autoClusterKeywords")
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // one finished job (with its usage) per site
    let done1 = enqueue(owner, &k1[..3]).await;
    let done2 = enqueue(owner, &k2[..3]).await;
    wait_for_status(&app, owner, &done1, "SUCCEEDED").await;
    wait_for_status(&app, owner, &done2, "SUCCEEDED").await;
    // then queued ones that stay queued
    let _ = stop_worker.send(true);
    let queued2 = enqueue(owner, &k2[3..6]).await;
    let queued1 = enqueue(owner, &k1[3..6]).await;

    const JOB: &str = "query($id: ID!) { job(id: $id) { id status } }";
    for token in [&viewer, &editor] {
        for id in [&done2, &queued2] {
            let r = app.gql(Some(token), JOB, json!({"id": id})).await;
            assert_eq!(
                code(&r),
                "NOT_FOUND",
                "a site-2 job is missing to them: {r}"
            );
        }
        assert_eq!(
            app.data(token, JOB, json!({"id": done1}), "job").await["id"],
            done1.as_str()
        );
        let jobs = app
            .data(
                token,
                "{ jobs { totalCount edges { node { id } } } }",
                json!({}),
                "jobs",
            )
            .await;
        assert_eq!(jobs["totalCount"], 2, "{jobs}");
        let mut seen = ids(&jobs);
        seen.sort();
        let mut want = vec![done1.clone(), queued1.clone()];
        want.sort();
        assert_eq!(seen, want);
        let usage = app
            .data(
                token,
                "{ creditUsage { totalCount edges { node { jobId siteId } } } }",
                json!({}),
                "creditUsage",
            )
            .await;
        assert_eq!(usage["totalCount"], 1, "{usage}");
        assert_eq!(usage["edges"][0]["node"]["jobId"], done1.as_str());
        let totals = app
            .data(
                token,
                "{ creditUsageTotals { credits jobs bySite { siteId } } }",
                json!({}),
                "creditUsageTotals",
            )
            .await;
        assert_eq!(totals["jobs"], 1, "{totals}");
        assert_eq!(totals["bySite"], json!([{"siteId": w.site}]));
    }
    // the owner sees everything
    assert_eq!(
        app.data(owner, "{ jobs { totalCount } }", json!({}), "jobs")
            .await["totalCount"],
        4
    );
    assert_eq!(
        app.data(
            owner,
            "{ creditUsageTotals { jobs } }",
            json!({}),
            "creditUsageTotals"
        )
        .await["jobs"],
        2
    );

    // an editor granted site 1 cannot cancel a site-2 job: it is missing
    const CANCEL: &str = "mutation($id: ID!) { cancelJob(input: {jobId: $id}) { status } }";
    let r = app.gql(Some(&editor), CANCEL, json!({"id": queued2})).await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    assert_eq!(
        app.count(&format!(
            "ai_jobs WHERE id = '{queued2}' AND status = 'queued' AND NOT cancel_requested"
        ))
        .await,
        1,
        "the site-2 job is untouched"
    );
    // a viewer cannot cancel one of its own site either
    let r = app.gql(Some(&viewer), CANCEL, json!({"id": queued1})).await;
    assert_eq!(code(&r), "FORBIDDEN", "{r}");

    // live events: jobProgress of a site-2 job is missing; accountJobs
    // carries site-1 jobs only (the queued site-2 job is active, too)
    let mut ws = socket(&app, &viewer).await;
    subscribe(&mut ws, "p", PROGRESS, json!({"id": queued2})).await;
    let m = next(&mut ws).await;
    let errors = if m["type"] == "error" {
        m["payload"].clone()
    } else {
        m["payload"]["errors"].clone()
    };
    assert_eq!(errors[0]["extensions"]["code"], "NOT_FOUND", "{m}");
    subscribe(
        &mut ws,
        "all",
        "subscription { accountJobs { jobId seq status } }",
        json!({}),
    )
    .await;
    let first = loop {
        let m = next(&mut ws).await;
        if m["id"] == "all" {
            break m;
        }
    };
    assert_eq!(
        first["payload"]["data"]["accountJobs"]["jobId"],
        queued1.as_str(),
        "only the site-1 active job: {first}"
    );
    for _ in 0..200 {
        if app.state.hub.subscribers() >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let late2 = enqueue(owner, &k2[6..9]).await;
    let sentinel = enqueue(owner, &k1[6..9]).await;
    loop {
        let m = next(&mut ws).await;
        let e = &m["payload"]["data"]["accountJobs"];
        assert_ne!(e["jobId"], late2.as_str(), "a site-2 event leaked");
        assert_ne!(e["jobId"], queued2.as_str(), "a site-2 event leaked");
        if e["jobId"] == sentinel.as_str() {
            break;
        }
    }
    // and an editor's cancel of a job of its own site works
    let r = app
        .data(&editor, CANCEL, json!({"id": queued1}), "cancelJob")
        .await;
    assert_eq!(r["status"], "CANCELLED");
}

#[tokio::test]
async fn a_job_written_by_the_previous_version_still_runs_and_a_bad_one_fails_clearly() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("legacy@jobs.io").await;
    let kws = keyword_ids(&app, &w).await;
    let acc = &w.s.account_id;
    // rows as the previous version wrote them: the untyped payload, no `v`
    let old = uuid::Uuid::now_v7();
    let bad = uuid::Uuid::now_v7();
    let ids = serde_json::to_string(&kws[..4]).unwrap();
    app.sql(&format!(
        "INSERT INTO ai_jobs (id, account_id, site_id, kind, payload, items_total, credits_held, seq, message)
         VALUES ('{old}', '{acc}', '{site}', 'auto_cluster',
                 '{{\"keyword_ids\": {ids}, \"sector_id\": \"{sector}\"}}', 1, 1, 1, 'queued'),
                ('{bad}', '{acc}', '{site}', 'generate_ideas',
                 '{{\"cluster_ids\": \"not a list\"}}', 1, 5, 1, 'queued');
         UPDATE accounts SET credits_held = 6 WHERE id = '{acc}'",
        site = w.site,
        sector = w.sector,
    ))
    .await;
    // queued on the stream as the previous version did after its commit
    let conn = igny8_jobs::redis_manager(&app.state.config.redis_url)
        .await
        .unwrap();
    let queue = igny8_jobs::queue::Queue::new(
        igny8_jobs::queue::Keys {
            prefix: app.state.config.jobs.redis_prefix.clone(),
        },
        conn,
    );
    queue.push(old).await.unwrap();
    queue.push(bad).await.unwrap();
    let j = wait_for_status(&app, &w.s.token, &old.to_string(), "SUCCEEDED").await;
    assert_eq!(j["creditsCharged"], 1, "{j}");
    let j = wait_for_status(&app, &w.s.token, &bad.to_string(), "FAILED").await;
    let error = j["error"].as_str().unwrap();
    assert!(
        error.starts_with("job input: generate_ideas payload:"),
        "a clear message: {error}"
    );
    assert_eq!(j["creditsHeld"], 0);
    assert_eq!(
        account(&app, &w.s.token).await["creditsHeld"],
        0,
        "both holds released"
    );
    assert!(app.count("clusters").await >= 1);
}
