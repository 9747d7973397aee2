//! Job outcomes (issue 18): a job ends SUCCEEDED, PARTIAL, FAILED or
//! CANCELLED by what became of its items; each item carries its outcome
//! and failure message, over HTTP and the subscriptions alike; failed
//! items can be retried as a new job.

use crate::fake_ai::{Fake, Fault};
use crate::harness::{TestApp, Workspace, code, field};
use crate::jobs::{account, next, socket, subscribe, wait_for_status};
use crate::providers::{KEY, job_to, on_loopback, use_fake_openai};
use serde_json::{Value, json};
use std::time::Duration;

const JOB: &str = "query($id: ID!) { job(id: $id) { status message error creditsCharged creditsHeld itemsSucceeded itemsFailed itemsCancelled items { id status error } } }";
const CONTENT: &str =
    "mutation($t: [ID!]!) { generateContent(input: {taskIds: $t}) { id status items { id } } }";
const RETRY: &str = "mutation($id: ID!) { retryFailedItems(input: {jobId: $id}) { id status } }";

async fn tasks(app: &TestApp, w: &Workspace, titles: &[&str]) -> Vec<String> {
    let mut out = vec![];
    for title in titles {
        out.push(
            app.data(
                &w.s.token,
                "mutation($s: ID!, $n: String!) { createTask(input: {sectorId: $s, title: $n}) { id } }",
                json!({"s": w.sector, "n": title}),
                "createTask",
            )
            .await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    out
}

async fn job(app: &TestApp, token: &str, id: &str) -> Value {
    app.data(token, JOB, json!({"id": id}), "job").await
}

async fn contents(app: &TestApp, token: &str) -> i64 {
    app.data(token, "{ contents { totalCount } }", json!({}), "contents")
        .await["totalCount"]
        .as_i64()
        .unwrap()
}

/// The last event of a jobProgress subscription (it completes at the end).
async fn final_event(app: &TestApp, token: &str, id: &str) -> Value {
    let mut ws = socket(app, token).await;
    subscribe(
        &mut ws,
        "p",
        "subscription($id: ID!) { jobProgress(jobId: $id) { status error itemsSucceeded itemsFailed items { id status error } } }",
        json!({"id": id}),
    )
    .await;
    let mut last = Value::Null;
    loop {
        let m = next(&mut ws).await;
        match m["type"].as_str() {
            Some("next") => last = m["payload"]["data"]["jobProgress"].clone(),
            Some("complete") => return last,
            Some("error") => panic!("{m}"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn an_unreachable_provider_fails_every_item_with_its_reason_and_a_retry_succeeds() {
    let app = TestApp::spawn_worker_with(on_loopback).await;
    let w = app.workspace("down@outcomes.io").await;
    let t = &w.s.token;
    // a provider nobody answers at: the account's base URL on a closed port
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/v1", closed.local_addr().unwrap());
    drop(closed);
    app.data(
        t,
        "mutation($i: UpdateIntegrationSettingsInput!) { updateIntegrationSettings(input: $i) { textProvider } }",
        json!({"i": {"textProvider": "OPENAI", "openaiBaseUrl": dead, "openaiApiKey": KEY}}),
        "updateIntegrationSettings",
    )
    .await;
    let ids = tasks(&app, &w, &["First", "Second"]).await;
    let queued = app
        .data(t, CONTENT, json!({"t": ids}), "generateContent")
        .await;
    assert_eq!(queued["items"], json!([]), "no outcomes before the end");
    let id = queued["id"].as_str().unwrap();
    wait_for_status(&app, t, id, "FAILED").await;
    let j = job(&app, t, id).await;
    assert_eq!(j["itemsFailed"], 2, "{j}");
    assert_eq!(j["itemsSucceeded"], 0, "{j}");
    assert_eq!(j["creditsCharged"], 0);
    assert_eq!(j["creditsHeld"], 0);
    let items = j["items"].as_array().unwrap();
    assert_eq!(
        items.iter().map(|i| i["id"].clone()).collect::<Vec<_>>(),
        vec![json!(ids[0]), json!(ids[1])],
        "every item, in input order"
    );
    for i in items {
        assert_eq!(i["status"], "FAILED");
        assert!(
            i["error"].as_str().unwrap().contains("could not connect"),
            "the reason: {i}"
        );
    }
    assert!(
        j["error"]
            .as_str()
            .unwrap()
            .starts_with("2 of 2 items failed: "),
        "{j}"
    );
    // the subscription carries the same, also to a late subscriber
    let ev = final_event(&app, t, id).await;
    assert_eq!(ev["status"], "FAILED");
    assert_eq!(ev["itemsFailed"], 2);
    assert_eq!(ev["items"], j["items"]);
    assert_eq!(ev["error"], j["error"]);
    assert_eq!(account(&app, t).await["credits"], 100);

    // the provider is back (the server's offline default): retry them
    app.data(
        t,
        "mutation { updateIntegrationSettings(input: {textProvider: null, openaiBaseUrl: null, openaiApiKey: null}) { textProvider } }",
        json!({}),
        "updateIntegrationSettings",
    )
    .await;
    let again = app
        .data(t, RETRY, json!({"id": id}), "retryFailedItems")
        .await;
    assert_ne!(again["id"], json!(id), "a new job");
    let again = again["id"].as_str().unwrap();
    wait_for_status(&app, t, again, "SUCCEEDED").await;
    let r = job(&app, t, again).await;
    assert_eq!(r["itemsSucceeded"], 2, "{r}");
    assert_eq!(r["creditsCharged"], 6);
    assert_eq!(contents(&app, t).await, 2);
    // nothing left to retry
    let r = app.gql(Some(t), RETRY, json!({"id": again})).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(field(&r), "jobId");
}

#[tokio::test]
async fn some_items_failing_make_a_partial_job_charged_for_the_rest_and_retry_names_only_them() {
    let app = TestApp::spawn_worker_with(on_loopback).await;
    let fake = Fake::start(KEY).await;
    let w = app.workspace("partial@outcomes.io").await;
    let t = &w.s.token;
    use_fake_openai(&app, t, &fake).await;
    let ids = tasks(&app, &w, &["First", "Second", "Third"]).await;
    // the first call is refused; the two others succeed
    fake.fail_next([Fault::completion("", "stop", Some("No."))]);
    let j = job_to(
        &app,
        t,
        CONTENT,
        json!({"t": ids}),
        "generateContent",
        "PARTIAL",
    )
    .await;
    assert_eq!(j["creditsCharged"], 6, "two articles: {j}");
    let id = app
        .data(
            t,
            "{ jobs(first: 1) { edges { node { id } } } }",
            json!({}),
            "jobs",
        )
        .await["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let j = job(&app, t, &id).await;
    assert_eq!(
        (j["itemsSucceeded"].as_i64(), j["itemsFailed"].as_i64()),
        (Some(2), Some(1))
    );
    let failed: Vec<&Value> = j["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "FAILED")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["id"], json!(ids[0]));
    assert!(
        failed[0]["error"].as_str().unwrap().contains("refused"),
        "{j}"
    );
    assert!(
        j["error"]
            .as_str()
            .unwrap()
            .starts_with("1 of 3 items failed"),
        "{j}"
    );
    assert_eq!(contents(&app, t).await, 2);

    // a retry is a new job over just the failed task
    let before = crate::providers::chats(&fake);
    let again = app
        .data(t, RETRY, json!({"id": id}), "retryFailedItems")
        .await;
    let again = again["id"].as_str().unwrap();
    let r = wait_for_status(&app, t, again, "SUCCEEDED").await;
    assert_eq!(r["creditsCharged"], 3, "{r}");
    let r = job(&app, t, again).await;
    assert_eq!(r["items"].as_array().unwrap().len(), 1);
    assert_eq!(r["items"][0]["id"], json!(ids[0]));
    assert_eq!(crate::providers::chats(&fake) - before, 1, "one call");
    assert_eq!(contents(&app, t).await, 3);
}

#[tokio::test]
async fn a_cancelled_job_says_what_it_saved_and_charges_only_that() {
    let app = TestApp::spawn_worker_with(|c| c.jobs.offline_latency_ms = 1500).await;
    let w = app.workspace("cancel@outcomes.io").await;
    let t = &w.s.token;
    let ids = tasks(&app, &w, &["One", "Two", "Three"]).await;
    let id = app
        .data(t, CONTENT, json!({"t": ids}), "generateContent")
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // once the first article is written, cancel
    for _ in 0..400 {
        let p = app
            .data(
                t,
                "query($id: ID!) { job(id: $id) { itemsDone } }",
                json!({"id": id}),
                "job",
            )
            .await;
        if p["itemsDone"].as_i64() >= Some(1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.data(
        t,
        "mutation($id: ID!) { cancelJob(input: {jobId: $id}) { status } }",
        json!({"id": id}),
        "cancelJob",
    )
    .await;
    wait_for_status(&app, t, &id, "CANCELLED").await;
    let j = job(&app, t, &id).await;
    let saved = j["itemsSucceeded"].as_i64().unwrap();
    assert!((1..3).contains(&saved), "the first was saved, not all: {j}");
    assert_eq!(j["itemsCancelled"].as_i64(), Some(3 - saved));
    assert_eq!(
        j["message"],
        format!("cancelled; saved before the cancel: {saved} of 3 articles written"),
        "{j}"
    );
    assert_eq!(j["creditsCharged"].as_i64(), Some(3 * saved), "{j}");
    assert_eq!(j["creditsHeld"], 0);
    assert_eq!(contents(&app, t).await, saved);
    assert_eq!(account(&app, t).await["creditsHeld"], 0);
    // the unfinished ones can be retried
    let again = app
        .data(t, RETRY, json!({"id": id}), "retryFailedItems")
        .await;
    let r = wait_for_status(&app, t, again["id"].as_str().unwrap(), "SUCCEEDED").await;
    assert_eq!(r["creditsCharged"].as_i64(), Some(3 * (3 - saved)));
    assert_eq!(contents(&app, t).await, 3);
}

#[tokio::test]
async fn a_queued_job_cancelled_says_nothing_was_saved_and_retry_needs_a_finished_job() {
    // no worker: the job stays queued
    let app = TestApp::spawn().await;
    let w = app.workspace("queued@outcomes.io").await;
    let t = &w.s.token;
    let ids = tasks(&app, &w, &["One"]).await;
    let id = app
        .data(t, CONTENT, json!({"t": ids}), "generateContent")
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.gql(Some(t), RETRY, json!({"id": id})).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    app.data(
        t,
        "mutation($id: ID!) { cancelJob(input: {jobId: $id}) { status } }",
        json!({"id": id}),
        "cancelJob",
    )
    .await;
    let j = job(&app, t, &id).await;
    assert_eq!(j["status"], "CANCELLED");
    assert_eq!(
        j["message"],
        "cancelled before it started; nothing was saved"
    );
    assert_eq!(
        j["items"],
        json!([{"id": ids[0], "status": "CANCELLED", "error": null}])
    );
    // another account's job is not found
    let other = app.workspace("other@outcomes.io").await;
    let r = app
        .gql(Some(&other.s.token), RETRY, json!({"id": id}))
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
}
