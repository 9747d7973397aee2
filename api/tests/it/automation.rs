//! Automation runs (AUT-1) end to end: real PostgreSQL, Redis, workers
//! (in process and as killed processes) and WebSocket.

use crate::harness::{TestApp, Workspace, code};
use crate::jobs::{KEYWORDS, next, socket, subscribe};
use serde_json::{Value, json};
use std::time::Duration;

const RUN: &str = "id siteId status stage stageNumber pauseReason message trigger creditsSpent creditCap \
    currentJobId finishedAt seq stages { stage number status itemsIn done skipped failed remaining percent \
    creditsSpent jobs issues { itemId outcome message } }";

fn start_q() -> String {
    format!("mutation($s: ID!) {{ startAutomationRun(input: {{siteId: $s}}) {{ {RUN} }} }}")
}

async fn start(app: &TestApp, token: &str, site: &str) -> Value {
    app.data(token, &start_q(), json!({"s": site}), "startAutomationRun")
        .await
}

async fn run(app: &TestApp, token: &str, id: &str) -> Value {
    app.data(
        token,
        &format!("query($id: ID!) {{ automationRun(id: $id) {{ {RUN} }} }}"),
        json!({"id": id}),
        "automationRun",
    )
    .await
}

async fn change(app: &TestApp, token: &str, op: &str, id: &str) -> Value {
    app.gql(
        Some(token),
        &format!("mutation($id: ID!) {{ {op}(input: {{runId: $id}}) {{ {RUN} }} }}"),
        json!({"id": id}),
    )
    .await
}

/// Polls the run until `done` holds (observable state, no fixed sleeps).
async fn wait_run(
    app: &TestApp,
    token: &str,
    id: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let mut last = Value::Null;
    for _ in 0..3000 {
        last = run(app, token, id).await;
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("run {id} never reached {what}: {last}");
}

async fn configure(app: &TestApp, token: &str, site: &str, extra: Value) -> Value {
    let mut input = json!({"siteId": site});
    input
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    app.gql(
        Some(token),
        "mutation($i: UpdateAutomationConfigInput!) { updateAutomationConfig(input: $i) { siteId enabled publishMode publishingAvailable creditCap imagesPerArticle delaySeconds stages { stage number enabled batchSize maxBatchSize } } }",
        json!({"i": input}),
    )
    .await
}

/// Only the first stages run (the rest are turned off).
fn only_stages(n: i32) -> Value {
    let names = [
        "CLUSTERS",
        "IDEAS",
        "TASKS",
        "CONTENT",
        "IMAGE_PROMPTS",
        "IMAGES",
        "REVIEW",
    ];
    json!({"stages": names.iter().enumerate().map(|(i, s)| json!({"stage": s, "enabled": (i as i32) < n})).collect::<Vec<_>>()})
}

/// 60 keywords over six topics, ten each.
fn sixty_keywords() -> String {
    let topics = [
        "running shoes",
        "sourdough bread",
        "dog training",
        "coffee beans",
        "yoga mats",
        "electric bikes",
    ];
    let mods = [
        "best {}",
        "cheap {}",
        "{} for beginners",
        "{} reviews",
        "{} near me",
        "{} for women",
        "{} for men",
        "how to choose {}",
        "top rated {}",
        "{} buying guide",
    ];
    let mut csv = String::from("keyword,volume,intent\n");
    for (i, t) in topics.iter().enumerate() {
        for (j, m) in mods.iter().enumerate() {
            csv.push_str(&format!(
                "{},{},informational\n",
                m.replace("{}", t),
                100 + i * 10 + j
            ));
        }
    }
    csv
}

fn stage<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == name)
        .unwrap_or_else(|| panic!("no stage {name} in {r}"))
}

/// Every item id any job of `kind` named: none twice.
async fn assert_each_item_once(app: &TestApp, kind: &str, key: &str) {
    let twice = app
        .count(&format!(
            "(SELECT x.id FROM ai_jobs j, jsonb_array_elements_text(j.payload->'{key}') x(id) \
              WHERE j.kind = '{kind}' AND j.status = 'succeeded' GROUP BY x.id HAVING count(*) > 1) d"
        ))
        .await;
    assert_eq!(twice, 0, "an item of {kind} was worked on twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_run_takes_sixty_keywords_to_images_with_live_progress() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("full@auto.io").await;
    let t = &w.s.token;
    app.sql("UPDATE accounts SET credits_balance = 100000")
        .await;
    let r = app.import_csv(t, &w.sector, &sixty_keywords()).await;
    assert_eq!(r["data"]["importKeywords"]["created"], 60, "{r}");
    let c = configure(&app, t, &w.site, json!({"imagesPerArticle": 1})).await;
    assert_eq!(
        c["data"]["updateAutomationConfig"]["imagesPerArticle"], 1,
        "{c}"
    );

    let o = app
        .data(
            t,
            "query($s: ID!) { automationOverview(siteId: $s) { estimatedCredits creditsAvailable activeRun { id } stages { stage number enabled pending estimatedCredits } } }",
            json!({"s": w.site}),
            "automationOverview",
        )
        .await;
    assert_eq!(o["stages"][0]["pending"], 60, "{o}");
    // 60 keywords in batches of 20: 1 credit each (BIL-1)
    assert_eq!(o["stages"][0]["estimatedCredits"], 3, "{o}");
    assert_eq!(o["estimatedCredits"], 3, "nothing else is pending yet: {o}");
    assert!(o["activeRun"].is_null());

    let before = crate::jobs::account(&app, t).await["credits"]
        .as_i64()
        .unwrap();
    let started = start(&app, t, &w.site).await;
    let id = started["id"].as_str().unwrap().to_owned();
    assert_eq!(started["status"], "RUNNING", "{started}");
    assert!(
        started["currentJobId"].is_string(),
        "the first batch is queued: {started}"
    );

    // a live subscriber: the snapshot first, then every change, in order
    let mut ws = socket(&app, t).await;
    subscribe(
        &mut ws,
        "p",
        "subscription($id: ID!) { automationRunProgress(runId: $id) { runId seq stagePercent run { status stage stageNumber } currentJob { jobId seq phase status } } }",
        json!({"id": id}),
    )
    .await;
    let mut events = vec![];
    loop {
        let m = next(&mut ws).await;
        match m["type"].as_str() {
            Some("next") => {
                assert!(m["payload"].get("errors").is_none(), "{m}");
                events.push(m["payload"]["data"]["automationRunProgress"].clone());
            }
            Some("complete") => break,
            Some("error") => panic!("{m}"),
            _ => {}
        }
    }
    let last = events.last().unwrap();
    assert_eq!(last["run"]["status"], "COMPLETED", "{last}");
    let order: Vec<(i64, i64)> = events
        .iter()
        .map(|e| {
            (
                e["seq"].as_i64().unwrap(),
                e["currentJob"]["seq"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        order.windows(2).all(|p| p[0].0 <= p[1].0),
        "run seq never goes back: {order:?}"
    );
    let stages_seen: std::collections::BTreeSet<i64> = events
        .iter()
        .map(|e| e["run"]["stageNumber"].as_i64().unwrap())
        .collect();
    assert!(
        stages_seen.len() >= 4,
        "progress moved through the stages: {stages_seen:?}"
    );
    assert!(
        events.iter().any(|e| e["currentJob"]["phase"] == "AI_CALL"),
        "the current job's phases are pushed"
    );

    let r = run(&app, t, &id).await;
    assert_eq!(r["status"], "COMPLETED", "{r}");
    assert!(r["finishedAt"].is_string());
    for s in r["stages"].as_array().unwrap() {
        assert_eq!(s["status"], "DONE", "{s}");
        assert_eq!(s["percent"], 100, "{s}");
        assert_eq!(
            s["itemsIn"].as_i64().unwrap(),
            s["done"].as_i64().unwrap()
                + s["skipped"].as_i64().unwrap()
                + s["failed"].as_i64().unwrap(),
            "{s}"
        );
    }
    assert_eq!(stage(&r, "CLUSTERS")["itemsIn"], 60, "{r}");
    assert_eq!(stage(&r, "CLUSTERS")["failed"], 0, "{r}");
    assert!(stage(&r, "CLUSTERS")["done"].as_i64().unwrap() >= 40, "{r}");
    assert_eq!(stage(&r, "CLUSTERS")["jobs"], 3, "three batches of 20: {r}");

    // the pipeline's products: every idea queued, written, illustrated, in review
    assert!(app.count("clusters").await >= 4);
    let ideas = app.count("content_ideas").await;
    assert!(ideas >= 10, "{ideas} ideas");
    assert_eq!(app.count("tasks").await, ideas);
    assert_eq!(app.count("contents").await, ideas);
    assert_eq!(app.count("contents WHERE status = 'review'").await, ideas);
    assert_eq!(
        app.count("images").await,
        2 * ideas,
        "featured + 1 in-article each"
    );
    assert_eq!(
        app.count("images WHERE status = 'generated'").await,
        2 * ideas
    );
    assert_eq!(stage(&r, "REVIEW")["done"].as_i64(), Some(ideas));
    assert_eq!(app.count("ai_jobs WHERE status <> 'succeeded'").await, 0);
    assert_each_item_once(&app, "auto_cluster", "keyword_ids").await;
    assert_each_item_once(&app, "generate_content", "task_ids").await;
    assert_each_item_once(&app, "generate_image_prompts", "content_ids").await;
    assert_each_item_once(&app, "generate_images", "image_ids").await;
    assert_eq!(
        app.count("(SELECT cluster_id FROM (SELECT payload->>'cluster_id' AS cluster_id FROM ai_jobs WHERE kind = 'generate_ideas') x GROUP BY cluster_id HAVING count(*) > 1) d").await,
        0
    );

    // credits: what the run says it spent is what the jobs charged and the account lost
    let charged = app
        .count("ai_jobs, LATERAL generate_series(1, credits_charged::int)")
        .await;
    let after = crate::jobs::account(&app, t).await;
    assert_eq!(r["creditsSpent"].as_i64(), Some(charged), "{r}");
    assert_eq!(after["credits"].as_i64(), Some(before - charged));
    assert_eq!(after["creditsHeld"], 0);
    let per_stage: i64 = r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["creditsSpent"].as_i64().unwrap())
        .sum();
    assert_eq!(per_stage, charged);

    // history
    let h = app
        .data(
            t,
            "query($s: ID!) { automationRuns(siteId: $s) { totalCount edges { node { id status } } } }",
            json!({"s": w.site}),
            "automationRuns",
        )
        .await;
    assert_eq!(h["totalCount"], 1);
    assert_eq!(h["edges"][0]["node"]["id"], id.as_str());
}

/// A workspace with the 15 test keywords and stages 1–2 only.
async fn small(app: &TestApp, email: &str) -> Workspace {
    let w = app.workspace(email).await;
    app.import_csv(&w.s.token, &w.sector, KEYWORDS).await;
    let c = configure(app, &w.s.token, &w.site, only_stages(2)).await;
    assert!(c.get("errors").is_none(), "{c}");
    w
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_waits_for_the_batch_in_flight_and_resume_continues() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.offline_latency_ms = 300).await;
    let w = small(&app, "pause@auto.io").await;
    let t = &w.s.token;
    let id = start(&app, t, &w.site).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // into stage 2 (one cluster per job), then pause with a job in flight
    let r = wait_run(&app, t, &id, "stage 2 with a job", |r| {
        r["stageNumber"] == 2 && r["currentJobId"].is_string()
    })
    .await;
    let in_flight = r["currentJobId"].as_str().unwrap().to_owned();
    let p = change(&app, t, "pauseAutomationRun", &id).await;
    let p = &p["data"]["pauseAutomationRun"];
    assert_eq!(p["status"], "PAUSED", "{p}");
    assert_eq!(p["pauseReason"], "REQUESTED");
    assert_eq!(
        p["currentJobId"],
        in_flight.as_str(),
        "the item in flight goes on"
    );
    // the batch in flight finishes and is recorded; nothing new is queued
    let r = wait_run(&app, t, &id, "settled", |r| r["currentJobId"].is_null()).await;
    assert_eq!(r["status"], "PAUSED");
    let jobs_when_paused = app.count("ai_jobs").await;
    assert_eq!(
        app.count(&format!(
            "ai_jobs WHERE id = '{in_flight}' AND status = 'succeeded'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("ai_jobs WHERE status IN ('queued', 'running')")
            .await,
        0
    );
    let ideas = stage(&r, "IDEAS");
    assert!(ideas["done"].as_i64().unwrap() >= 1, "{r}");
    assert!(ideas["remaining"].as_i64().unwrap() >= 1, "{r}");
    // pausing twice is a conflict
    assert_eq!(
        code(&change(&app, t, "pauseAutomationRun", &id).await),
        "CONFLICT"
    );

    let resumed = change(&app, t, "resumeAutomationRun", &id).await;
    assert_eq!(
        resumed["data"]["resumeAutomationRun"]["status"], "RUNNING",
        "{resumed}"
    );
    let r = wait_run(&app, t, &id, "completed", |r| r["status"] == "COMPLETED").await;
    assert!(app.count("ai_jobs").await > jobs_when_paused);
    assert_eq!(stage(&r, "IDEAS")["status"], "DONE");
    assert_eq!(stage(&r, "CONTENT")["status"], "SKIPPED");
    assert_eq!(
        app.count(
            "clusters c WHERE NOT EXISTS (SELECT 1 FROM content_ideas i WHERE i.cluster_id = c.id)"
        )
        .await,
        0,
        "every cluster got its ideas"
    );
    assert_each_item_once(&app, "auto_cluster", "keyword_ids").await;
    assert_eq!(
        app.count("(SELECT payload->>'cluster_id' FROM ai_jobs WHERE kind = 'generate_ideas' GROUP BY 1 HAVING count(*) > 1) d").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_takes_effect_after_the_batch_in_flight() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.offline_latency_ms = 300).await;
    let w = small(&app, "cancel@auto.io").await;
    let t = &w.s.token;
    let id = start(&app, t, &w.site).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = wait_run(&app, t, &id, "a job in flight", |r| {
        r["currentJobId"].is_string()
    })
    .await;
    let job = r["currentJobId"].as_str().unwrap().to_owned();
    let c = change(&app, t, "cancelAutomationRun", &id).await;
    assert_eq!(
        c["data"]["cancelAutomationRun"]["status"], "CANCELLED",
        "{c}"
    );
    // the site is busy until the batch in flight ends
    assert_eq!(
        code(&app.gql(Some(t), &start_q(), json!({"s": w.site})).await),
        "CONFLICT"
    );
    let r = wait_run(&app, t, &id, "finished", |r| r["finishedAt"].is_string()).await;
    assert_eq!(r["status"], "CANCELLED");
    assert!(r["currentJobId"].is_null());
    assert_eq!(
        app.count(&format!(
            "ai_jobs WHERE id = '{job}' AND status = 'succeeded'"
        ))
        .await,
        1,
        "the item in flight finished"
    );
    assert_eq!(
        app.count("ai_jobs WHERE status IN ('queued', 'running')")
            .await,
        0
    );
    assert_eq!(
        app.count("automation_run_items WHERE outcome = 'in_flight'")
            .await,
        0
    );
    assert_eq!(
        code(&change(&app, t, "resumeAutomationRun", &id).await),
        "CONFLICT"
    );
    // a new run may start now
    let again = start(&app, t, &w.site).await;
    assert_eq!(again["status"], "RUNNING");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_out_of_credits_pauses_cleanly_and_a_top_up_resumes() {
    let app = TestApp::spawn_with_worker().await;
    let w = small(&app, "credits@auto.io").await;
    let t = &w.s.token;
    // clustering costs 1, each cluster's ideas hold 5: the second cluster cannot start
    app.sql("UPDATE accounts SET credits_balance = 6, plan_credits = 0")
        .await;
    let id = start(&app, t, &w.site).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = wait_run(&app, t, &id, "paused", |r| r["status"] == "PAUSED").await;
    assert_eq!(r["pauseReason"], "INSUFFICIENT_CREDITS", "{r}");
    assert!(r["message"].as_str().unwrap().contains("credits"), "{r}");
    assert!(r["currentJobId"].is_null());
    assert_eq!(r["stageNumber"], 2);
    let acc = crate::jobs::account(&app, t).await;
    assert_eq!(acc["creditsHeld"], 0, "nothing held: {acc}");
    assert!(acc["credits"].as_i64().unwrap() < 5);
    assert_eq!(
        app.count("ai_jobs WHERE status IN ('queued', 'running')")
            .await,
        0
    );
    let ideas_before = stage(&r, "IDEAS").clone();
    assert_eq!(
        ideas_before["itemsIn"].as_i64(),
        Some(ideas_before["done"].as_i64().unwrap() + ideas_before["skipped"].as_i64().unwrap()),
        "no half-written stage: {r}"
    );
    // resuming without credits pauses again, cleanly
    let again = change(&app, t, "resumeAutomationRun", &id).await;
    assert_eq!(
        again["data"]["resumeAutomationRun"]["status"], "PAUSED",
        "{again}"
    );
    assert_eq!(
        again["data"]["resumeAutomationRun"]["pauseReason"],
        "INSUFFICIENT_CREDITS"
    );

    app.sql("UPDATE accounts SET credits_balance = credits_balance + 1000")
        .await;
    let resumed = change(&app, t, "resumeAutomationRun", &id).await;
    assert_eq!(
        resumed["data"]["resumeAutomationRun"]["status"], "RUNNING",
        "{resumed}"
    );
    let r = wait_run(&app, t, &id, "completed", |r| r["status"] == "COMPLETED").await;
    assert_eq!(
        app.count(
            "clusters c WHERE NOT EXISTS (SELECT 1 FROM content_ideas i WHERE i.cluster_id = c.id)"
        )
        .await,
        0
    );
    let charged = app
        .count("ai_jobs, LATERAL generate_series(1, credits_charged::int)")
        .await;
    assert_eq!(r["creditsSpent"].as_i64(), Some(charged));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_credit_cap_pauses_like_an_empty_balance() {
    let app = TestApp::spawn_with_worker().await;
    let w = small(&app, "cap@auto.io").await;
    let t = &w.s.token;
    let c = configure(&app, t, &w.site, json!({"creditCap": 3})).await;
    assert_eq!(c["data"]["updateAutomationConfig"]["creditCap"], 3, "{c}");
    let id = start(&app, t, &w.site).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = wait_run(&app, t, &id, "paused", |r| r["status"] == "PAUSED").await;
    assert_eq!(r["pauseReason"], "INSUFFICIENT_CREDITS", "{r}");
    assert!(r["message"].as_str().unwrap().contains("cap"), "{r}");
    assert!(r["creditsSpent"].as_i64().unwrap() <= 3, "{r}");
    assert_eq!(r["creditCap"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_starts_make_exactly_one_run() {
    let app = TestApp::spawn().await;
    let w = small(&app, "race@auto.io").await;
    let sibling = app.sibling().await;
    let q = start_q();
    let mut tasks = vec![];
    for i in 0..8 {
        let http = app.http.clone();
        let url = if i % 2 == 0 {
            app.url("/graphql")
        } else {
            format!("http://{}/graphql", sibling.addr)
        };
        let body = json!({"query": q, "variables": {"s": w.site}});
        let token = w.s.token.clone();
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }));
    }
    let mut ok = 0;
    let mut conflicts = 0;
    for t in tasks {
        let r = t.await.unwrap();
        if r["data"]["startAutomationRun"].is_object() {
            ok += 1;
        } else {
            assert_eq!(code(&r), "CONFLICT", "{r}");
            assert_eq!(crate::harness::field(&r), "siteId");
            conflicts += 1;
        }
    }
    assert_eq!((ok, conflicts), (1, 7));
    assert_eq!(app.count("automation_runs").await, 1);
    assert_eq!(app.count("ai_jobs").await, 1, "one first batch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_workers_and_an_api_that_died_mid_start_still_finish_each_item_once() {
    let app = TestApp::spawn_with(|c| c.jobs.lease_secs = 2).await;
    let w = small(&app, "kill@auto.io").await;
    let t = &w.s.token;
    // an API that committed the run and died before queueing its first
    // batch: the row exists, no job does
    app.sql(&format!(
        "INSERT INTO automation_runs (id, account_id, site_id, started_by, settings)
           SELECT gen_random_uuid(), '{a}', '{s}', '{u}', settings FROM automation_configs WHERE site_id = '{s}';
         INSERT INTO automation_run_stages (run_id, account_id, stage)
           SELECT r.id, r.account_id, g FROM automation_runs r, generate_series(1, 7) g;",
        a = w.s.account_id,
        s = w.site,
        u = w.s.user_id
    ))
    .await;
    let id = app
        .data(
            t,
            "query($s: ID!) { automationRuns(siteId: $s) { edges { node { id } } } }",
            json!({"s": w.site}),
            "automationRuns",
        )
        .await["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // a slow worker picks it up, gets into stage 2, and is killed mid-job
    let mut first = app.worker_process(&[
        ("IGNY8_JOB_LEASE_SECS", "2"),
        ("IGNY8_OFFLINE_LATENCY_MS", "60000"),
    ]);
    let r = wait_run(&app, t, &id, "a batch in flight", |r| {
        r["currentJobId"].is_string()
    })
    .await;
    let job = r["currentJobId"].as_str().unwrap().to_owned();
    for _ in 0..600 {
        if app
            .count(&format!("ai_jobs WHERE id = '{job}' AND phase = 'ai_call'"))
            .await
            == 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let mut second = app.worker_process(&[("IGNY8_JOB_LEASE_SECS", "2")]);
    let r = wait_run(&app, t, &id, "completed", |r| r["status"] == "COMPLETED").await;
    second.kill().unwrap();
    let _ = second.wait();
    assert_eq!(stage(&r, "IDEAS")["status"], "DONE", "{r}");
    assert_eq!(app.count("ai_jobs WHERE status <> 'succeeded'").await, 0);
    assert_each_item_once(&app, "auto_cluster", "keyword_ids").await;
    assert_eq!(
        app.count("(SELECT payload->>'cluster_id' FROM ai_jobs WHERE kind = 'generate_ideas' GROUP BY 1 HAVING count(*) > 1) d").await,
        0,
        "each cluster's ideas were generated once"
    );
    assert_eq!(
        app.count(
            "clusters c WHERE NOT EXISTS (SELECT 1 FROM content_ideas i WHERE i.cluster_id = c.id)"
        )
        .await,
        0
    );
    // credits charged once per job
    assert_eq!(
        app.count("credit_usage_logs").await,
        app.count("ai_jobs WHERE credits_charged > 0").await
    );
}

#[tokio::test]
async fn configuration_is_checked_and_for_admins() {
    let app = TestApp::spawn().await;
    let w = app.workspace("config@auto.io").await;
    let t = &w.s.token;
    let c = app
        .data(
            t,
            "query($s: ID!) { automationConfig(siteId: $s) { enabled publishMode publishingAvailable updatedAt stages { stage batchSize maxBatchSize enabled } } }",
            json!({"s": w.site}),
            "automationConfig",
        )
        .await;
    assert_eq!(c["stages"].as_array().unwrap().len(), 7);
    assert_eq!(c["stages"][0]["batchSize"], 20);
    assert_eq!(c["publishMode"], "REVIEW");
    assert_eq!(c["publishingAvailable"], false);
    assert!(c["updatedAt"].is_null());
    let bad = configure(
        &app,
        t,
        &w.site,
        // a run's clustering batch is one provider call's worth (≤ 20)
        json!({"stages": [{"stage": "CLUSTERS", "batchSize": 21}]}),
    )
    .await;
    assert_eq!(code(&bad), "BAD_USER_INPUT", "{bad}");
    assert_eq!(crate::harness::field(&bad), "stages");
    let bad = configure(&app, t, &w.site, json!({"imagesPerArticle": 7})).await;
    assert_eq!(crate::harness::field(&bad), "imagesPerArticle");
    let bad = configure(&app, t, &w.site, json!({"creditCap": -1})).await;
    assert_eq!(crate::harness::field(&bad), "creditCap");
    assert_eq!(
        app.count("automation_configs").await,
        0,
        "nothing half-written"
    );
    let ok = configure(&app, t, &w.site, json!({"publishMode": "PUBLISH", "delaySeconds": 5, "stages": [{"stage": "IMAGES", "enabled": false}]})).await;
    let ok = &ok["data"]["updateAutomationConfig"];
    assert_eq!(ok["publishMode"], "PUBLISH", "{ok}");
    assert_eq!(ok["delaySeconds"], 5);
    assert_eq!(ok["stages"][5]["enabled"], false);
    assert_eq!(ok["stages"][0]["batchSize"], 20, "other stages keep theirs");
    let missing = configure(
        &app,
        t,
        &w.site,
        json!({"authorProfileId": uuid::Uuid::now_v7().to_string()}),
    )
    .await;
    assert_eq!(code(&missing), "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_walls_and_roles_on_every_operation() {
    let app = TestApp::spawn_with(|c| c.jobs.offline_latency_ms = 200).await;
    let a = small(&app, "a@walls.io").await;
    let b = app.workspace("b@walls.io").await;
    let run_a = start(&app, &a.s.token, &a.site).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bt = Some(b.s.token.as_str());
    // another account's site and run behave as missing
    for (q, vars) in [
        (
            "query($s: ID!) { automationConfig(siteId: $s) { enabled } }",
            json!({"s": a.site}),
        ),
        (
            "query($s: ID!) { automationOverview(siteId: $s) { estimatedCredits } }",
            json!({"s": a.site}),
        ),
        (
            "query($s: ID!) { automationRuns(siteId: $s) { totalCount } }",
            json!({"s": a.site}),
        ),
        (
            "query($s: ID!) { automationRun(id: $s) { id } }",
            json!({"s": run_a}),
        ),
        (
            "mutation($s: ID!) { startAutomationRun(input: {siteId: $s}) { id } }",
            json!({"s": a.site}),
        ),
        (
            "mutation($s: ID!) { updateAutomationConfig(input: {siteId: $s, enabled: false}) { enabled } }",
            json!({"s": a.site}),
        ),
        (
            "mutation($s: ID!) { pauseAutomationRun(input: {runId: $s}) { id } }",
            json!({"s": run_a}),
        ),
        (
            "mutation($s: ID!) { resumeAutomationRun(input: {runId: $s}) { id } }",
            json!({"s": run_a}),
        ),
        (
            "mutation($s: ID!) { cancelAutomationRun(input: {runId: $s}) { id } }",
            json!({"s": run_a}),
        ),
    ] {
        let r = app.gql(bt, q, vars).await;
        assert_eq!(code(&r), "NOT_FOUND", "{q}: {r}");
    }
    let mut ws = socket(&app, &b.s.token).await;
    subscribe(
        &mut ws,
        "x",
        "subscription($id: ID!) { automationRunProgress(runId: $id) { seq } }",
        json!({"id": run_a}),
    )
    .await;
    let m = next(&mut ws).await;
    assert_eq!(
        m["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{m}"
    );
    assert_eq!(app.count("automation_configs").await, 1, "only A's own");

    // roles: an editor granted the site starts and pauses; resuming,
    // cancelling and configuring are for owners and admins; a viewer reads
    let owner = &a.s;
    crate::roles::add_user(&app, owner, "ed@walls.io", "EDITOR", &[&a.site]).await;
    crate::roles::add_user(&app, owner, "view@walls.io", "VIEWER", &[&a.site]).await;
    crate::roles::add_user(&app, owner, "other@walls.io", "EDITOR", &[]).await;
    let ed = crate::roles::login_token(&app, "ed@walls.io").await;
    let viewer = crate::roles::login_token(&app, "view@walls.io").await;
    let other = crate::roles::login_token(&app, "other@walls.io").await;
    assert_eq!(run(&app, &viewer, &run_a).await["id"], run_a.as_str());
    assert_eq!(
        code(&change(&app, &viewer, "pauseAutomationRun", &run_a).await),
        "FORBIDDEN"
    );
    assert_eq!(
        code(&change(&app, &other, "pauseAutomationRun", &run_a).await),
        "NOT_FOUND"
    );
    let p = change(&app, &ed, "pauseAutomationRun", &run_a).await;
    assert_eq!(p["data"]["pauseAutomationRun"]["status"], "PAUSED", "{p}");
    assert_eq!(
        code(&change(&app, &ed, "resumeAutomationRun", &run_a).await),
        "FORBIDDEN"
    );
    assert_eq!(
        code(&change(&app, &ed, "cancelAutomationRun", &run_a).await),
        "FORBIDDEN"
    );
    assert_eq!(
        code(&configure(&app, &ed, &a.site, json!({"enabled": false})).await),
        "FORBIDDEN"
    );
    let c = change(&app, &owner.token, "cancelAutomationRun", &run_a).await;
    assert_eq!(
        c["data"]["cancelAutomationRun"]["status"], "CANCELLED",
        "{c}"
    );
}

const RULE: &str = "id name enabled trigger minPending actionStage maxExecutionsPerDay creditLimitPerExecution \
    executionsToday executions { outcome message event runId }";

async fn create_rule(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(
        Some(token),
        &format!("mutation($i: CreateAutomationRuleInput!) {{ createAutomationRule(input: $i) {{ {RULE} }} }}"),
        json!({"i": input}),
    )
    .await
}

async fn rules(app: &TestApp, token: &str, site: &str) -> Value {
    app.data(
        token,
        &format!("query($s: ID!) {{ automationRules(siteId: $s) {{ {RULE} }} }}"),
        json!({"s": site}),
        "automationRules",
    )
    .await
}

/// Polls the site's rules until `done` holds.
async fn wait_rules(
    app: &TestApp,
    token: &str,
    site: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let mut last = Value::Null;
    for _ in 0..1200 {
        last = rules(app, token, site).await;
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("rules never reached {what}: {last}");
}

fn outcomes(rule: &Value) -> Vec<String> {
    rule["executions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_fires_on_its_trigger_and_never_on_its_own_runs() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.lease_secs = 2).await;
    let w = app.workspace("rule@auto.io").await;
    let t = &w.s.token;
    let kws = crate::jobs::keyword_ids(&app, &w).await;
    // clusters created → cluster the rest: a rule that would feed itself
    let r = create_rule(
        &app,
        t,
        json!({"siteId": w.site, "name": "More clusters", "trigger": "CLUSTER_CREATED", "actionStage": "CLUSTERS"}),
    )
    .await;
    assert_eq!(
        r["data"]["createAutomationRule"]["maxExecutionsPerDay"], 10,
        "{r}"
    );
    assert_eq!(
        r["data"]["createAutomationRule"]["creditLimitPerExecution"],
        100
    );
    // a person clusters five keywords by hand
    let job = app
        .data(
            t,
            crate::jobs::CLUSTER,
            json!({"k": kws[..5]}),
            "autoClusterKeywords",
        )
        .await;
    crate::jobs::wait_for_status(&app, t, job["id"].as_str().unwrap(), "SUCCEEDED").await;
    // the rule starts one run; that run's own clusters are stopped as a loop
    let all = wait_rules(&app, t, &w.site, "a loop stopped", |r| {
        outcomes(&r[0]).contains(&"LOOP_PREVENTED".to_owned())
    })
    .await;
    let rule = &all[0];
    let o = outcomes(rule);
    assert_eq!(o.iter().filter(|x| *x == "STARTED").count(), 1, "{rule}");
    assert_eq!(rule["executionsToday"], 1);
    let started = rule["executions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["outcome"] == "STARTED")
        .unwrap();
    assert_eq!(
        started["event"],
        format!("job:{}", job["id"].as_str().unwrap())
    );
    let run_id = started["runId"].as_str().unwrap();
    let r = wait_run(&app, t, run_id, "completed", |r| r["status"] == "COMPLETED").await;
    assert_eq!(r["trigger"], "RULE");
    assert_eq!(r["creditCap"], 100);
    assert_eq!(stage(&r, "CLUSTERS")["status"], "DONE", "{r}");
    assert_eq!(
        stage(&r, "IDEAS")["status"],
        "SKIPPED",
        "only the rule's stage runs"
    );
    assert_eq!(
        app.count("automation_runs").await,
        1,
        "the run did not start another"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_respect_their_daily_limit_conditions_and_keyword_trigger() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.lease_secs = 2).await;
    let w = app.workspace("limits@auto.io").await;
    let t = &w.s.token;
    // keywords added → cluster them, at most once a day
    let r = create_rule(
        &app,
        t,
        json!({"siteId": w.site, "name": "Cluster new keywords", "trigger": "KEYWORD_ADDED", "actionStage": "CLUSTERS", "maxExecutionsPerDay": 1, "minPending": 3}),
    )
    .await;
    assert!(r.get("errors").is_none(), "{r}");
    app.import_csv(t, &w.sector, KEYWORDS).await;
    let all = wait_rules(&app, t, &w.site, "started", |r| {
        outcomes(&r[0]) == ["STARTED"]
    })
    .await;
    let run_id = all[0]["executions"][0]["runId"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_run(&app, t, &run_id, "completed", |r| {
        r["status"] == "COMPLETED"
    })
    .await;
    // more keywords the same day: the limit holds
    app.import_csv(
        t,
        &w.sector,
        "keyword\nlemon tart recipe\nlemon tart pastry\neasy lemon tart\n",
    )
    .await;
    let all = wait_rules(&app, t, &w.site, "limited", |r| outcomes(&r[0]).len() == 2).await;
    assert_eq!(outcomes(&all[0]), ["SKIPPED_LIMIT", "STARTED"], "{all}");
    assert_eq!(app.count("automation_runs").await, 1);

    // validation, and walls
    let bad = create_rule(
        &app,
        t,
        json!({"siteId": w.site, "name": "x", "trigger": "SCHEDULE", "actionStage": "IDEAS"}),
    )
    .await;
    assert_eq!(crate::harness::field(&bad), "trigger", "{bad}");
    let bad = create_rule(&app, t, json!({"siteId": w.site, "name": "x", "trigger": "IDEA_CREATED", "actionStage": "IDEAS", "maxExecutionsPerDay": 0})).await;
    assert_eq!(crate::harness::field(&bad), "maxExecutionsPerDay");
    let b = app.workspace("other@limits.io").await;
    let rule = all[0]["id"].as_str().unwrap();
    assert_eq!(
        code(&create_rule(&app, &b.s.token, json!({"siteId": w.site, "name": "x", "trigger": "IDEA_CREATED", "actionStage": "IDEAS"})).await),
        "NOT_FOUND"
    );
    for q in [
        "mutation($id: ID!) { updateAutomationRule(input: {id: $id, enabled: false}) { id } }",
        "mutation($id: ID!) { deleteAutomationRule(input: {id: $id}) }",
    ] {
        assert_eq!(
            code(&app.gql(Some(&b.s.token), q, json!({"id": rule})).await),
            "NOT_FOUND",
            "{q}"
        );
    }
    assert_eq!(
        code(
            &app.gql(
                Some(&b.s.token),
                "query($s: ID!) { automationRules(siteId: $s) { id } }",
                json!({"s": w.site})
            )
            .await
        ),
        "NOT_FOUND"
    );
    let off = app
        .gql(Some(t), "mutation($id: ID!) { updateAutomationRule(input: {id: $id, enabled: false}) { enabled } }", json!({"id": rule}))
        .await;
    assert_eq!(
        off["data"]["updateAutomationRule"]["enabled"], false,
        "{off}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_starts_one_run_per_due_time_across_instances_and_after_downtime() {
    use igny8_jobs::scheduler::{ManualClock, Scheduler, with_every_kind};
    let app = TestApp::spawn().await;
    let w = small(&app, "schedule@auto.io").await;
    let t = &w.s.token;
    let c = configure(
        &app,
        t,
        &w.site,
        json!({"schedule": {"frequency": "DAILY", "time": "03:00", "timeZone": "Europe/Berlin"}}),
    )
    .await;
    assert!(c.get("errors").is_none(), "{c}");
    let c = app
        .data(
            t,
            "query($s: ID!) { automationConfig(siteId: $s) { schedule { frequency cron timeZone nextRunAt } } }",
            json!({"s": w.site}),
            "automationConfig",
        )
        .await;
    assert_eq!(c["schedule"]["cron"], "0 3 * * *", "{c}");
    let due = chrono::DateTime::parse_from_rfc3339(c["schedule"]["nextRunAt"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let at = |d: chrono::DateTime<chrono::Utc>| {
        format!(
            "scheduled_tasks WHERE kind = 'automation.run' AND due_at = '{}'",
            d.to_rfc3339()
        )
    };
    assert_eq!(
        app.count(&at(due)).await,
        1,
        "the scheduler holds the next due time"
    );
    let schedule_runs = "automation_runs WHERE trigger = 'schedule'";

    // two scheduler instances race the due time: one run
    let clock = ManualClock::new(due + chrono::Duration::minutes(1));
    let instance = || {
        with_every_kind(Scheduler::new(
            igny8_db::Db::connect_worker(&app.db_url, 2).unwrap(),
            std::sync::Arc::new(clock.clone()),
        ))
    };
    let (a, b) = (instance(), instance());
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    assert_eq!(ra.unwrap().ran + rb.unwrap().ran, 1);
    assert_eq!(app.count(schedule_runs).await, 1);
    let next = due + chrono::Duration::days(1);
    assert_eq!(
        app.count(&at(next)).await,
        1,
        "moved to the next day's 03:00"
    );
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    assert_eq!(ra.unwrap().ran + rb.unwrap().ran, 0, "not due again");

    // downtime across three due times: one run, then the first due time after now
    app.sql("UPDATE automation_runs SET status = 'completed'")
        .await;
    clock.set(due + chrono::Duration::days(3) + chrono::Duration::minutes(1));
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    assert_eq!(ra.unwrap().ran + rb.unwrap().ran, 1);
    assert_eq!(app.count(schedule_runs).await, 2);
    assert_eq!(app.count(&at(due + chrono::Duration::days(4))).await, 1);

    // a busy site skips its due time; removing the schedule takes it off
    clock.set(due + chrono::Duration::days(4) + chrono::Duration::minutes(1));
    a.tick().await.unwrap();
    assert_eq!(
        app.count(schedule_runs).await,
        2,
        "the running run kept the site busy"
    );
    let mine = "scheduled_tasks WHERE kind = 'automation.run'";
    let off = configure(&app, t, &w.site, json!({"enabled": false})).await;
    assert!(off.get("errors").is_none(), "{off}");
    assert_eq!(app.count(mine).await, 0, "automation off: no schedule");
    let on = configure(&app, t, &w.site, json!({"enabled": true})).await;
    assert!(on.get("errors").is_none(), "{on}");
    assert_eq!(app.count(mine).await, 1, "back on: scheduled again");
    let off = configure(&app, t, &w.site, json!({"schedule": null})).await;
    assert!(off.get("errors").is_none(), "{off}");
    assert_eq!(app.count(mine).await, 0);
    let bad = configure(
        &app,
        t,
        &w.site,
        json!({"schedule": {"frequency": "WEEKLY", "time": "03:00", "timeZone": "UTC"}}),
    )
    .await;
    assert_eq!(crate::harness::field(&bad), "weekday", "{bad}");
}

/// Stages 1–6 off, stage 7 on with `extra` (publish mode, batch size).
fn only_review(extra: Value) -> Value {
    let stages: Vec<Value> = [
        "CLUSTERS",
        "IDEAS",
        "TASKS",
        "CONTENT",
        "IMAGE_PROMPTS",
        "IMAGES",
    ]
    .iter()
    .map(|s| json!({"stage": s, "enabled": false}))
    .chain([json!({"stage": "REVIEW", "enabled": true, "batchSize": 2})])
    .collect();
    let mut v = json!({ "stages": stages });
    v.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage_seven_publishes_drafts_to_wordpress_or_says_why_it_cannot() {
    use crate::publish::{article, connect, unique, wp};
    let wp = wp();
    let app = TestApp::spawn_worker_with(crate::harness::allow_loopback).await;
    let w = app.workspace("stage7@auto.io").await;
    let t = &w.s.token;
    let tag = unique();
    let cluster = app
        .data(
            t,
            "mutation($s: ID!, $n: String!) { createCluster(input: {sectorId: $s, name: $n}) { id } }",
            json!({"s": w.sector, "n": format!("Cluster {tag}")}),
            "createCluster",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = configure(
        &app,
        t,
        &w.site,
        only_review(json!({"publishMode": "DRAFT"})),
    )
    .await;
    let c = &c["data"]["updateAutomationConfig"];
    assert_eq!(c["publishMode"], "DRAFT", "{c}");
    assert_eq!(c["publishingAvailable"], false, "not connected yet: {c}");

    // without a connection: the article stays in review and the run says why
    let lone = article(&app, &w, &cluster, 1, &tag).await;
    let id = start(&app, t, &w.site).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = wait_run(&app, t, &id, "completed", |r| r["status"] == "COMPLETED").await;
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("WordPress connection"),
        "{r}"
    );
    assert_eq!(stage(&r, "REVIEW")["done"], 1, "{r}");
    assert_eq!(
        app.count(&format!(
            "contents WHERE id = '{lone}' AND status = 'review'"
        ))
        .await,
        1
    );
    assert_eq!(app.count("ai_jobs WHERE kind = 'publish'").await, 0);

    // connected: three articles in batches of two become WordPress drafts
    connect(&app, t, &w.site, &wp).await;
    let ids: Vec<String> = {
        let mut v = vec![];
        for n in 2..=4 {
            v.push(article(&app, &w, &cluster, n, &tag).await);
        }
        v
    };
    let id = start(&app, t, &w.site).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = wait_run(&app, t, &id, "completed", |r| r["status"] == "COMPLETED").await;
    let review = stage(&r, "REVIEW");
    assert_eq!(review["itemsIn"], 3, "{r}");
    assert_eq!(review["done"], 3, "{r}");
    assert_eq!(review["jobs"], 2, "two batches: {r}");
    assert_eq!(review["creditsSpent"], 0, "publishing is free: {r}");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("3 article(s) sent to WordPress (draft)"),
        "{r}"
    );
    assert_eq!(
        app.count("ai_jobs WHERE kind = 'publish' AND status = 'succeeded'")
            .await,
        2
    );
    for (n, id) in ids.iter().enumerate() {
        let c = app
            .data(
                t,
                "query($id: ID!) { content(id: $id) { status wpPostId } }",
                json!({"id": id}),
                "content",
            )
            .await;
        let post_id = c["wpPostId"]
            .as_i64()
            .unwrap_or_else(|| panic!("no post for {id}: {c}"));
        let post = wp.get(&format!("wp/v2/posts/{post_id}?context=edit")).await;
        assert_eq!(post["status"], "draft", "{post}");
        assert_eq!(post["title"]["raw"], format!("Article {} {tag}", n + 2));
    }
    // the lone article from before was not part of this run
    assert_eq!(
        app.count(&format!(
            "contents WHERE id = '{lone}' AND status = 'review'"
        ))
        .await,
        1
    );
    let o = app
        .data(
            t,
            "query($s: ID!) { automationConfig(siteId: $s) { publishingAvailable } }",
            json!({"s": w.site}),
            "automationConfig",
        )
        .await;
    assert_eq!(o["publishingAvailable"], true);
}
