//! Real AI providers (JOB-7…9) against a local fake OpenAI/Runware server:
//! per-account integration settings with encrypted keys, the whole job flow
//! over structured outputs, prompt overrides and author profiles visible in
//! the requests, and the provider's errors inside real jobs.

use crate::fake_ai::{Fake, Fault};
use crate::harness::{TestApp, Workspace, allow_loopback, code, field, ids};
use crate::jobs::{CLUSTER, account, keyword_ids, wait_for_status};
use crate::roles::{add_user, login_token};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use igny8_jobs::openai::RetryPolicy;
use igny8_jobs::settings::{Credentials, ImageProvider};
use serde_json::{Value, json};
use std::time::Duration;

pub const KEY: &str = "sk-test-account-key-0123456789abcdef";

const SETTINGS: &str = "{ integrationSettings { textProvider imageProvider textProviderOverride imageProviderOverride openaiBaseUrl openaiBaseUrlOverride openaiKey { source hint } runwareKey { source hint } models { function model isOverride } updatedAt } }";
const UPDATE: &str = "mutation($i: UpdateIntegrationSettingsInput!) { updateIntegrationSettings(input: $i) { textProvider imageProvider openaiBaseUrl openaiKey { source hint } runwareKey { source hint } models { function model isOverride } updatedAt } }";

/// Quick retries, and the fake on 127.0.0.1 reachable as the account's URL.
pub fn on_loopback(c: &mut igny8_api::config::Config) {
    fast_retries(c);
    allow_loopback(c);
}

/// Quick retries so the error tests take milliseconds.
fn fast_retries(c: &mut igny8_api::config::Config) {
    c.jobs.ai.retry = RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(50),
        timeout: Duration::from_millis(800),
    };
}

pub async fn use_fake_openai(app: &TestApp, token: &str, fake: &Fake) -> Value {
    app.data(
        token,
        UPDATE,
        json!({"i": {"textProvider": "OPENAI", "imageProvider": "OPENAI", "openaiBaseUrl": fake.openai_url(), "openaiApiKey": KEY}}),
        "updateIntegrationSettings",
    )
    .await
}

fn model_of(settings: &Value, function: &str) -> Value {
    settings["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["function"] == function)
        .cloned()
        .unwrap()
}

#[derive(QueryableByName)]
struct Sealed {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bytea>)]
    openai_api_key: Option<Vec<u8>>,
}

#[tokio::test]
async fn integration_settings_keep_keys_encrypted_and_owner_only() {
    let app = TestApp::spawn_with(allow_loopback).await;
    let fake = Fake::start(KEY).await;
    let w = app.workspace("settings@providers.io").await;
    let t = &w.s.token;

    let s = app
        .data(t, SETTINGS, json!({}), "integrationSettings")
        .await;
    assert_eq!(s["textProvider"], "OFFLINE", "the server default: {s}");
    assert_eq!(s["openaiKey"], json!({"source": "NONE", "hint": null}));
    assert!(s["updatedAt"].is_null());
    assert_eq!(model_of(&s, "GENERATE_CONTENT")["model"], "offline-1");

    // bad input names its field and stores nothing
    for (input, f) in [
        (json!({"textProvider": "OPENAI"}), "openaiApiKey"),
        (json!({"imageProvider": "RUNWARE"}), "runwareApiKey"),
        (
            json!({"openaiBaseUrl": "ftp://files.example.com"}),
            "openaiBaseUrl",
        ),
        (
            json!({"openaiBaseUrl": "https://user:pw@api.example.com/v1"}),
            "openaiBaseUrl",
        ),
        (json!({"openaiApiKey": "short"}), "openaiApiKey"),
        (
            json!({"openaiApiKey": "sk has spaces 12345"}),
            "openaiApiKey",
        ),
        (
            json!({"models": [{"function": "GENERATE_CONTENT", "model": "x\ny"}]}),
            "models",
        ),
    ] {
        let r = app.gql(Some(t), UPDATE, json!({"i": input})).await;
        assert_eq!(code(&r), "BAD_USER_INPUT", "{input}: {r}");
        assert_eq!(field(&r), f, "{input}: {r}");
    }
    assert_eq!(app.count("integration_settings").await, 0);

    let s = app
        .data(
            t,
            UPDATE,
            json!({"i": {"textProvider": "OPENAI", "openaiBaseUrl": fake.openai_url(), "openaiApiKey": format!("  {KEY} "),
                          "models": [{"function": "GENERATE_CONTENT", "model": "gpt-4o"}]}}),
            "updateIntegrationSettings",
        )
        .await;
    assert_eq!(s["textProvider"], "OPENAI");
    assert_eq!(s["imageProvider"], "OFFLINE", "untouched: the server's");
    assert_eq!(s["openaiBaseUrl"], fake.openai_url());
    assert_eq!(
        s["openaiKey"],
        json!({"source": "ACCOUNT", "hint": "sk-…cdef"})
    );
    assert_eq!(
        model_of(&s, "GENERATE_CONTENT"),
        json!({"function": "GENERATE_CONTENT", "model": "gpt-4o", "isOverride": true})
    );
    assert_eq!(
        model_of(&s, "AUTO_CLUSTER"),
        json!({"function": "AUTO_CLUSTER", "model": "gpt-4o-mini", "isOverride": false})
    );

    // the key is never returned, and at rest it is ciphertext
    let raw = app.gql(Some(t), SETTINGS, json!({})).await.to_string();
    assert!(
        !raw.contains(KEY) && !raw.contains("0123456789abcdef"),
        "{raw}"
    );
    let mut su = app.superuser().await;
    let sealed: Sealed = diesel::sql_query("SELECT openai_api_key FROM integration_settings")
        .get_result(&mut su)
        .await
        .unwrap();
    let sealed = sealed.openai_api_key.unwrap();
    assert!(
        sealed.len() >= 12 + 16 + KEY.len(),
        "nonce ‖ ciphertext ‖ tag"
    );
    assert!(
        !sealed
            .windows(8)
            .any(|w| KEY.as_bytes().windows(8).any(|k| k == w))
    );

    // ciphertext moved to another account does not open there
    let other = app.workspace("other@providers.io").await;
    app.sql(&format!(
        "INSERT INTO integration_settings (account_id, text_provider, openai_base_url, openai_api_key, openai_key_hint)
         SELECT '{}', text_provider, openai_base_url, openai_api_key, openai_key_hint FROM integration_settings",
        other.s.account_id
    ))
    .await;
    let r = app
        .data(
            &other.s.token,
            "mutation { testIntegration { ok message } }",
            json!({}),
            "testIntegration",
        )
        .await;
    assert_eq!(r["ok"], false, "{r}");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("cannot be decrypted"),
        "{r}"
    );
    assert!(
        fake.seen().is_empty(),
        "nothing was sent with a key that did not open"
    );

    // members who are not owner or admin see none of it
    add_user(&app, &w.s, "ed@providers.io", "EDITOR", &[&w.site]).await;
    let ed = login_token(&app, "ed@providers.io").await;
    for (q, v) in [
        (SETTINGS, json!({})),
        (UPDATE, json!({"i": {"textProvider": null}})),
        ("mutation { testIntegration { ok } }", json!({})),
        ("mutation { testImageGeneration { ok } }", json!({})),
    ] {
        let r = app.gql(Some(&ed), q, v).await;
        assert_eq!(code(&r), "FORBIDDEN", "{q}: {r}");
    }

    // null goes back to the server default and removes the account's key
    let s = app
        .data(
            t,
            UPDATE,
            json!({"i": {"textProvider": null, "openaiApiKey": null, "openaiBaseUrl": null, "models": [{"function": "GENERATE_CONTENT", "model": null}]}}),
            "updateIntegrationSettings",
        )
        .await;
    assert_eq!(s["textProvider"], "OFFLINE");
    assert_eq!(s["openaiKey"], json!({"source": "NONE", "hint": null}));
    assert_eq!(model_of(&s, "GENERATE_CONTENT")["isOverride"], false);
}

#[tokio::test]
async fn connection_and_image_tests_use_the_account_key_and_cost_nothing() {
    let app = TestApp::spawn_with(allow_loopback).await;
    let fake = Fake::start(KEY).await;
    let w = app.workspace("tests@providers.io").await;
    let t = &w.s.token;

    let r = app
        .data(
            t,
            "mutation { testIntegration { ok provider message models } }",
            json!({}),
            "testIntegration",
        )
        .await;
    assert_eq!(
        (r["ok"].as_bool(), r["provider"].as_str()),
        (Some(true), Some("OFFLINE"))
    );
    let img = app
        .data(
            t,
            "mutation { testImageGeneration(input: {prompt: \"a red bicycle\"}) { ok provider contentType bytes dataUrl } }",
            json!({}),
            "testImageGeneration",
        )
        .await;
    assert_eq!(img["ok"], true, "{img}");
    assert_eq!(img["contentType"], "image/png");
    assert!(
        img["dataUrl"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,iVBOR")
    );

    use_fake_openai(&app, t, &fake).await;
    let r = app
        .data(
            t,
            "mutation { testIntegration { ok provider message models latencyMs } }",
            json!({}),
            "testIntegration",
        )
        .await;
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["provider"], "OPENAI");
    assert!(
        r["models"]
            .as_array()
            .unwrap()
            .contains(&json!("gpt-4o-mini")),
        "{r}"
    );
    let seen = fake.seen();
    assert_eq!(seen.last().unwrap().path, "/v1/models");
    assert_eq!(
        seen.last().unwrap().authorization.as_deref(),
        Some(&*format!("Bearer {KEY}"))
    );

    let img = app
        .data(
            t,
            "mutation { testImageGeneration { ok provider model contentType bytes } }",
            json!({}),
            "testImageGeneration",
        )
        .await;
    assert_eq!(img["ok"], true, "{img}");
    assert_eq!(
        (img["provider"].as_str(), img["model"].as_str()),
        (Some("OPENAI"), Some("gpt-image-1"))
    );
    assert_eq!(img["contentType"], "image/png");
    let generation = fake.seen().last().unwrap().clone();
    assert_eq!(generation.path, "/v1/images/generations");
    assert_eq!(
        generation.body["size"], "1024x1024",
        "gpt-image-1's smallest size"
    );

    // a wrong key: the test runs and says so, without echoing the key
    app.data(
        t,
        UPDATE,
        json!({"i": {"openaiApiKey": "sk-wrong-key-999999"}}),
        "updateIntegrationSettings",
    )
    .await;
    let r = app
        .data(
            t,
            "mutation { testIntegration { ok message } }",
            json!({}),
            "testIntegration",
        )
        .await;
    assert_eq!(r["ok"], false, "{r}");
    assert!(r["message"].as_str().unwrap().contains("401"), "{r}");
    assert!(!r.to_string().contains("sk-wrong-key"), "{r}");

    // nothing listening: a plain message, with no network detail to probe with
    // (outbound.rs shows it reads the same as a refused destination)
    app.data(
        t,
        UPDATE,
        json!({"i": {"openaiBaseUrl": "http://127.0.0.1:9/v1"}}),
        "updateIntegrationSettings",
    )
    .await;
    let r = app
        .data(
            t,
            "mutation { testIntegration { ok message } }",
            json!({}),
            "testIntegration",
        )
        .await;
    assert_eq!(r["ok"], false, "{r}");
    assert_eq!(
        r["message"],
        "could not connect to the provider at the configured base URL"
    );

    // tests are free: no credits held or charged, no usage logged
    let acc = account(&app, t).await;
    assert_eq!(
        (acc["credits"].as_i64(), acc["creditsHeld"].as_i64()),
        (Some(100), Some(0))
    );
    assert_eq!(app.count("credit_usage_logs").await, 0);
}

pub async fn job_to(
    app: &TestApp,
    token: &str,
    mutation: &str,
    vars: Value,
    field: &str,
    want: &str,
) -> Value {
    let job = app.data(token, mutation, vars, field).await;
    wait_for_status(app, token, job["id"].as_str().unwrap(), want).await
}

async fn clusters(app: &TestApp, token: &str) -> Value {
    app.data(
        token,
        "{ clusters { totalCount edges { node { id name keywordsCount } } } }",
        json!({}),
        "clusters",
    )
    .await
}

#[tokio::test]
async fn the_whole_flow_runs_on_an_openai_compatible_server_shaped_by_prompts_and_authors() {
    let app = TestApp::spawn_worker_with(on_loopback).await;
    let fake = Fake::start(KEY).await;
    let w = app.workspace("flow@providers.io").await;
    let t = &w.s.token;
    use_fake_openai(&app, t, &fake).await;
    app.data(
        t,
        UPDATE,
        json!({"i": {"models": [{"function": "GENERATE_CONTENT", "model": "gpt-4o"}]}}),
        "updateIntegrationSettings",
    )
    .await;
    let author = app
        .data(
            t,
            "mutation { createAuthorProfile(input: {name: \"Ana\", tone: \"friendly\", language: \"es\"}) { id } }",
            json!({}),
            "createAuthorProfile",
        )
        .await["id"]
        .clone();
    app.data(
        t,
        "mutation($s: ID!) { createStrategy(input: {name: \"Pillars\", sectorId: $s, promptTypes: [GENERATE_IDEAS], sectionLogic: \"End with an FAQ\"}) { id } }",
        json!({"s": w.sector}),
        "createStrategy",
    )
    .await;

    // clustering: the default prompt carries the keywords; the answer is the fake's
    let kws = keyword_ids(&app, &w).await;
    let j = job_to(
        &app,
        t,
        CLUSTER,
        json!({"k": kws}),
        "autoClusterKeywords",
        "SUCCEEDED",
    )
    .await;
    assert_eq!(j["creditsCharged"], 1);
    let c = clusters(&app, t).await;
    assert_eq!(c["totalCount"], 1, "{c}");
    assert_eq!(c["edges"][0]["node"]["name"], "Fake Topic");
    assert_eq!(
        c["edges"][0]["node"]["keywordsCount"].as_u64(),
        Some(kws.len() as u64)
    );
    let first = fake.seen()[0].clone();
    assert_eq!(first.path, "/v1/chat/completions");
    assert_eq!(
        first.authorization.as_deref(),
        Some(&*format!("Bearer {KEY}"))
    );
    assert_eq!(first.body["model"], "gpt-4o-mini");
    let rf = &first.body["response_format"];
    assert_eq!(
        (rf["type"].as_str(), rf["json_schema"]["name"].as_str()),
        (Some("json_schema"), Some("clusters"))
    );
    assert_eq!(rf["json_schema"]["strict"], true);
    assert!(
        rf["json_schema"]["schema"]["properties"]["clusters"].is_object(),
        "{rf}"
    );
    let prompt = &fake.prompts()[0];
    assert!(
        prompt.contains("best running shoes") && prompt.contains("\"Sector\""),
        "{prompt}"
    );
    let mut su = app.superuser().await;
    #[derive(QueryableByName)]
    struct UsageRow {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        model: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        tokens_in: i32,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        cost_micro_usd: i64,
    }
    let u: UsageRow = diesel::sql_query("SELECT model, tokens_in, cost_micro_usd FROM credit_usage_logs WHERE operation = 'auto_cluster'")
        .get_result(&mut su)
        .await
        .unwrap();
    assert_eq!(
        (u.model.as_deref(), u.tokens_in),
        (Some("gpt-4o-mini"), 1200)
    );
    assert!(u.cost_micro_usd > 0, "cost from the price table");

    // ideas: the author's tone and language and the sector's strategy reach the prompt
    let cluster = c["edges"][0]["node"]["id"].clone();
    job_to(
        &app,
        t,
        "mutation($c: ID!, $a: ID) { generateIdeas(input: {clusterId: $c, authorProfileId: $a}) { id } }",
        json!({"c": cluster, "a": author}),
        "generateIdeas",
        "SUCCEEDED",
    )
    .await;
    let prompt = fake.prompts().last().unwrap().clone();
    assert!(prompt.contains("tone friendly, language es"), "{prompt}");
    assert!(
        prompt.contains("Section logic: End with an FAQ"),
        "{prompt}"
    );
    let ideas = app
        .data(
            t,
            "{ ideas { totalCount edges { node { id title } } } }",
            json!({}),
            "ideas",
        )
        .await;
    assert_eq!(ideas["totalCount"], 3, "{ideas}");

    // content: the account's template, rendered, is exactly what is sent
    app.data(
        t,
        "mutation { savePrompt(input: {function: GENERATE_CONTENT, template: \"ZEBRA {{ task.title }} | tone={{ author.tone }} | {{ site.name }}\"}) { isCustom } }",
        json!({}),
        "savePrompt",
    )
    .await;
    let tasks = app
        .data(
            t,
            "mutation($i: [ID!]!) { queueIdeasToWriter(input: {ideaIds: $i}) { id title } }",
            json!({"i": ids(&ideas)[..2]}),
            "queueIdeasToWriter",
        )
        .await;
    let (t0, t1) = (&tasks[0], &tasks[1]);
    job_to(
        &app,
        t,
        "mutation($t: [ID!]!, $a: ID) { generateContent(input: {taskIds: $t, authorProfileId: $a}) { id } }",
        json!({"t": [t0["id"]], "a": author}),
        "generateContent",
        "SUCCEEDED",
    )
    .await;
    let sent = fake.seen().last().unwrap().clone();
    assert_eq!(
        sent.body["model"], "gpt-4o",
        "the account's model for content"
    );
    assert_eq!(
        fake.prompts().last().unwrap(),
        &format!(
            "ZEBRA {} | tone=friendly | Site",
            t0["title"].as_str().unwrap()
        )
    );
    // back to the default: the built-in template is sent again
    app.data(
        t,
        "mutation { resetPrompt(input: {function: GENERATE_CONTENT}) { isCustom } }",
        json!({}),
        "resetPrompt",
    )
    .await;
    job_to(
        &app,
        t,
        "mutation($t: [ID!]!) { generateContent(input: {taskIds: $t}) { id } }",
        json!({"t": [t1["id"]]}),
        "generateContent",
        "SUCCEEDED",
    )
    .await;
    let prompt = fake.prompts().last().unwrap().clone();
    assert!(prompt.starts_with("Write the article"), "{prompt}");
    assert!(
        !prompt.contains("tone "),
        "no author picked this time: {prompt}"
    );

    let contents = app
        .data(
            t,
            "{ contents { totalCount edges { node { id html metaTitle wordCount } } } }",
            json!({}),
            "contents",
        )
        .await;
    assert_eq!(contents["totalCount"], 2);
    let c0 = &contents["edges"][0]["node"];
    assert!(
        c0["html"]
            .as_str()
            .unwrap()
            .contains("<h2>Fake article</h2>"),
        "{c0}"
    );
    assert_eq!(c0["metaTitle"], "A fake article");

    // image prompts, then images from the provider, stored and served signed
    job_to(
        &app,
        t,
        "mutation($c: [ID!]!) { generateImagePrompts(input: {contentIds: $c, maxInArticle: 2}) { id } }",
        json!({"c": [c0["id"]]}),
        "generateImagePrompts",
        "SUCCEEDED",
    )
    .await;
    let images = app
        .data(t, "{ images(orderBy: [{field: POSITION}]) { totalCount edges { node { id imageType prompt } } } }", json!({}), "images")
        .await;
    assert_eq!(images["totalCount"], 3, "{images}");
    assert!(
        images["edges"][0]["node"]["prompt"]
            .as_str()
            .unwrap()
            .contains("fake featured")
    );
    let j = job_to(
        &app,
        t,
        "mutation($i: [ID!]!) { generateImages(input: {imageIds: $i}) { id } }",
        json!({"i": ids(&images)}),
        "generateImages",
        "SUCCEEDED",
    )
    .await;
    assert_eq!(j["creditsCharged"], 3);
    let gens: Vec<_> = fake
        .seen()
        .into_iter()
        .filter(|s| s.path == "/v1/images/generations")
        .collect();
    assert_eq!(gens.len(), 3, "one provider call per image");
    assert_eq!(gens[0].body["model"], "gpt-image-1");
    let url = app
        .data(
            t,
            "{ images { edges { node { url status } } } }",
            json!({}),
            "images",
        )
        .await["edges"][0]["node"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let resp = app.http.get(app.url(&url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(
        bytes.as_ref(),
        igny8_core::ai::image::render_png("fake provider image", 64, 64).as_slice()
    );
}

/// A workspace whose account runs on the fake, with its keywords.
async fn on_fake(app: &TestApp, fake: &Fake, email: &str) -> (Workspace, Vec<String>) {
    let w = app.workspace(email).await;
    use_fake_openai(app, &w.s.token, fake).await;
    let kws = keyword_ids(app, &w).await;
    (w, kws)
}

pub fn chats(fake: &Fake) -> usize {
    fake.seen()
        .iter()
        .filter(|s| s.path == "/v1/chat/completions")
        .count()
}

#[tokio::test]
async fn provider_errors_inside_jobs_retry_when_transient_and_fail_clearly_when_not() {
    let app = TestApp::spawn_worker_with(on_loopback).await;
    let fake = Fake::start(KEY).await;
    let (w, kws) = on_fake(&app, &fake, "errors@providers.io").await;
    let t = &w.s.token;
    let vars = json!({"k": kws[..5]});

    // 500, then 429 with retry-after-ms, then success: one job, three calls, charged once
    fake.fail_next([
        Fault::openai(500, "server_error", "The server had an error"),
        Fault::openai(429, "rate_limit_exceeded", "Rate limit reached")
            .with_header("retry-after-ms", "20"),
    ]);
    let j = job_to(
        &app,
        t,
        CLUSTER,
        vars.clone(),
        "autoClusterKeywords",
        "SUCCEEDED",
    )
    .await;
    assert_eq!(chats(&fake), 3);
    assert_eq!(j["creditsCharged"], 1);

    // each permanent failure fails the job at once, with a clear message,
    // no credits charged and the hold released
    let cases: Vec<(Vec<Fault>, usize, &str)> = vec![
        (
            (0..3)
                .map(|_| Fault::openai(503, "server_error", "overloaded"))
                .collect(),
            3,
            "gave up after 3 attempts",
        ),
        (
            vec![Fault::openai(
                429,
                "insufficient_quota",
                "You exceeded your current quota",
            )],
            1,
            "no quota left",
        ),
        (
            vec![Fault::openai(400, "invalid_request_error", "Invalid model")],
            1,
            "HTTP 400",
        ),
        (
            vec![Fault::completion(
                "",
                "stop",
                Some("I can't help with that."),
            )],
            1,
            "refused",
        ),
        (
            vec![Fault::completion("{\"clusters\": [", "length", None)],
            1,
            "cut off",
        ),
        (
            vec![Fault::completion("not json at all", "stop", None)],
            1,
            "malformed AI output",
        ),
        (
            vec![Fault {
                status: 200,
                headers: vec![],
                body: "{\"choices\": [".into(),
                delay: Duration::ZERO,
            }],
            1,
            "malformed JSON",
        ),
        (
            (0..3)
                .map(|_| Fault {
                    delay: Duration::from_millis(1500),
                    ..Fault::openai(500, "server_error", "slow")
                })
                .collect(),
            3,
            "timed out",
        ),
    ];
    // the same keywords again: they are clustered now, so regroup them
    let recluster = "mutation($k: [ID!]!) { autoClusterKeywords(input: {keywordIds: $k, recluster: true}) { id } }";
    for (faults, calls, message) in cases {
        let before = chats(&fake);
        fake.fail_next(faults);
        let j = job_to(
            &app,
            t,
            recluster,
            vars.clone(),
            "autoClusterKeywords",
            "FAILED",
        )
        .await;
        assert!(
            j["error"].as_str().unwrap_or_default().contains(message),
            "{message}: {j}"
        );
        assert!(!j.to_string().contains(KEY));
        assert_eq!(chats(&fake) - before, calls, "{message}: attempts");
        assert_eq!(j["creditsCharged"], 0, "{message}: {j}");
        assert_eq!(j["creditsHeld"], 0, "{message}: {j}");
        let acc = account(&app, t).await;
        assert_eq!(acc["creditsHeld"], 0, "{message}: {acc}");
    }
    assert_eq!(
        account(&app, t).await["credits"],
        99,
        "only the first job was charged"
    );
    assert_eq!(
        clusters(&app, t).await["totalCount"],
        1,
        "failed jobs saved nothing"
    );
}

#[tokio::test]
async fn one_failed_article_fails_its_item_while_the_others_are_saved_and_charged() {
    let app = TestApp::spawn_worker_with(on_loopback).await;
    let fake = Fake::start(KEY).await;
    let w = app.workspace("items@providers.io").await;
    let t = &w.s.token;
    use_fake_openai(&app, t, &fake).await;
    let mut tasks = vec![];
    for title in ["First", "Second", "Third"] {
        tasks.push(
            app.data(
                t,
                "mutation($s: ID!, $n: String!) { createTask(input: {sectorId: $s, title: $n}) { id } }",
                json!({"s": w.sector, "n": title}),
                "createTask",
            )
            .await["id"]
                .clone(),
        );
    }
    // the first call is refused; the two others succeed
    fake.fail_next([Fault::completion("", "stop", Some("No."))]);
    let j = job_to(
        &app,
        t,
        "mutation($t: [ID!]!) { generateContent(input: {taskIds: $t}) { id } }",
        json!({"t": tasks}),
        "generateContent",
        "PARTIAL",
    )
    .await;
    assert_eq!(
        j["creditsCharged"], 6,
        "3 credits for each of the two articles: {j}"
    );
    assert!(j["result"].to_string().contains("refused"), "{j}");
    let contents = app
        .data(t, "{ contents { totalCount } }", json!({}), "contents")
        .await;
    assert_eq!(contents["totalCount"], 2);
    assert_eq!(account(&app, t).await["credits"], 94);
}

#[tokio::test]
async fn runware_images_use_the_servers_key_and_account_settings_stay_per_account() {
    let fake = Fake::start("rw-server-key-123456").await;
    let runware = fake.runware_url();
    let app = TestApp::spawn_worker_with(move |c| {
        fast_retries(c);
        c.jobs.ai.image = ImageProvider::Runware;
        c.jobs.ai.runware = Some(Credentials {
            base_url: runware,
            api_key: "rw-server-key-123456".into(),
        });
    })
    .await;
    let w = app.workspace("runware@providers.io").await;
    let t = &w.s.token;
    let s = app
        .data(t, SETTINGS, json!({}), "integrationSettings")
        .await;
    assert_eq!(s["imageProvider"], "RUNWARE");
    assert_eq!(s["runwareKey"], json!({"source": "SERVER", "hint": null}));
    assert_eq!(model_of(&s, "GENERATE_IMAGES")["model"], "runware:101@1");

    let task = app
        .data(
            t,
            "mutation($s: ID!) { createTask(input: {sectorId: $s, title: \"Bread\"}) { id } }",
            json!({"s": w.sector}),
            "createTask",
        )
        .await["id"]
        .clone();
    let mut images = vec![];
    for prompt in [
        "A loaf of sourdough bread on a board",
        "Flour on a wooden table",
    ] {
        images.push(
            app.data(
                t,
                "mutation($t: ID!, $p: String!) { createImage(input: {taskId: $t, imageType: IN_ARTICLE, prompt: $p}) { id } }",
                json!({"t": task, "p": prompt}),
                "createImage",
            )
            .await["id"]
                .clone(),
        );
    }
    let j = job_to(
        &app,
        t,
        "mutation($i: [ID!]!) { generateImages(input: {imageIds: $i}) { id } }",
        json!({"i": images}),
        "generateImages",
        "SUCCEEDED",
    )
    .await;
    assert_eq!(j["creditsCharged"], 2);
    let calls = fake.seen();
    assert_eq!(calls.len(), 2);
    for c in &calls {
        assert_eq!(c.path, "/runware");
        assert_eq!(
            c.authorization.as_deref(),
            Some("Bearer rw-server-key-123456")
        );
        let task = &c.body[0];
        assert_eq!(task["taskType"], "imageInference");
        assert_eq!(task["model"], "runware:101@1");
        assert!(uuid::Uuid::parse_str(task["taskUUID"].as_str().unwrap()).is_ok());
        assert_eq!(
            (task["width"].as_u64(), task["height"].as_u64()),
            (Some(1024), Some(768))
        );
    }
    let statuses = app
        .data(
            t,
            "{ images { edges { node { status url } } } }",
            json!({}),
            "images",
        )
        .await;
    assert!(
        statuses["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["status"] == "GENERATED"),
        "{statuses}"
    );

    // an account that switches to the offline provider stops calling Runware
    app.data(
        t,
        UPDATE,
        json!({"i": {"imageProvider": "OFFLINE"}}),
        "updateIntegrationSettings",
    )
    .await;
    job_to(
        &app,
        t,
        "mutation($i: [ID!]!) { generateImages(input: {imageIds: $i}) { id } }",
        json!({"i": images[..1]}),
        "generateImages",
        "SUCCEEDED",
    )
    .await;
    assert_eq!(fake.seen().len(), 2, "offline now");
    // while another account still uses the server's Runware
    let other = app.workspace("runware-b@providers.io").await;
    let s = app
        .data(&other.s.token, SETTINGS, json!({}), "integrationSettings")
        .await;
    assert_eq!(s["imageProvider"], "RUNWARE");
}

#[tokio::test]
async fn the_key_never_reaches_a_log_line_of_the_worker() {
    let app = TestApp::spawn_with(allow_loopback).await;
    let fake = Fake::start(KEY).await;
    let (w, kws) = on_fake(&app, &fake, "logs@providers.io").await;
    let log = std::env::temp_dir().join(format!("igny8-worker-{}.log", uuid::Uuid::new_v4()));
    let mut worker = app.worker_process_logging(&[("RUST_LOG", "debug")], &log);
    // a transient error and a permanent one: both are logged
    fake.fail_next([Fault::openai(500, "server_error", "boom")]);
    job_to(
        &app,
        &w.s.token,
        CLUSTER,
        json!({"k": kws[..5]}),
        "autoClusterKeywords",
        "SUCCEEDED",
    )
    .await;
    fake.fail_next([Fault::openai(
        401,
        "invalid_api_key",
        &format!("Incorrect API key provided: {KEY}"),
    )]);
    let j = job_to(
        &app,
        &w.s.token,
        CLUSTER,
        json!({"k": kws[5..10]}),
        "autoClusterKeywords",
        "FAILED",
    )
    .await;
    worker.kill().unwrap();
    worker.wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    assert!(text.contains("job started"), "the worker logged: {text}");
    assert!(text.lines().count() > 5);
    assert!(!text.contains(KEY), "the key is in the worker's log");
    assert!(
        !j.to_string().contains(KEY),
        "the key is in the job's error: {j}"
    );
}

#[tokio::test]
async fn cancelling_a_job_aborts_the_provider_call_in_flight() {
    let app = TestApp::spawn_worker_with(|c| {
        allow_loopback(c);
        c.jobs.ai.retry = RetryPolicy {
            max_attempts: 1,
            base: Duration::from_millis(5),
            cap: Duration::from_millis(50),
            timeout: Duration::from_secs(60),
        };
    })
    .await;
    let fake = Fake::start(KEY).await;
    let (w, kws) = on_fake(&app, &fake, "cancel@providers.io").await;
    let t = &w.s.token;
    // the provider would take a minute to answer
    fake.fail_next([Fault {
        delay: Duration::from_secs(60),
        ..Fault::completion("{\"clusters\": []}", "stop", None)
    }]);
    let job = app
        .data(t, CLUSTER, json!({"k": kws[..5]}), "autoClusterKeywords")
        .await;
    let id = job["id"].as_str().unwrap();
    for _ in 0..200 {
        if chats(&fake) == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(chats(&fake), 1, "the call is in flight");
    let c = app
        .data(
            t,
            "mutation($id: ID!) { cancelJob(input: {jobId: $id}) { status } }",
            json!({"id": id}),
            "cancelJob",
        )
        .await;
    assert_eq!(
        c["status"], "RUNNING",
        "a running job stops at its next step: {c}"
    );
    // well before the provider would have answered
    let j = wait_for_status(&app, t, id, "CANCELLED").await;
    assert_eq!(j["creditsCharged"], 0);
    assert_eq!(account(&app, t).await["creditsHeld"], 0);
    assert_eq!(clusters(&app, t).await["totalCount"], 0);
}
