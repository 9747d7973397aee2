//! Ideas without duplicates (issue 18): generating again adds only new
//! titles (compared normalised), "more" asks for different ones, and a
//! duplicate is never saved nor charged.

use crate::harness::TestApp;
use crate::jobs::{CLUSTER, account, keyword_ids, wait_for_status};
use serde_json::json;

const IDEAS: &str =
    "mutation($c: ID!, $m: Boolean) { generateIdeas(input: {clusterId: $c, more: $m}) { id } }";

fn key(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[tokio::test]
async fn generating_again_adds_no_duplicate_and_more_asks_for_different_ideas() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("ideas@dupes.io").await;
    let t = &w.s.token;
    let kws = keyword_ids(&app, &w).await;
    let j = app
        .data(t, CLUSTER, json!({"k": kws}), "autoClusterKeywords")
        .await;
    wait_for_status(&app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    let cluster = app
        .data(
            t,
            "{ clusters(orderBy: [{field: VOLUME, direction: DESC}], first: 1) { nodes { id } } }",
            json!({}),
            "clusters",
        )
        .await["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let titles = || async {
        app.data(
            t,
            "query($c: ID!) { ideas(filter: {clusterId: $c}, first: 100) { nodes { title } } }",
            json!({"c": cluster}),
            "ideas",
        )
        .await["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };

    let run = |more: bool, want: &'static str| {
        let cluster = cluster.clone();
        let app = &app;
        async move {
            let j = app
                .data(t, IDEAS, json!({"c": cluster, "m": more}), "generateIdeas")
                .await;
            let id = j["id"].as_str().unwrap().to_owned();
            wait_for_status(app, t, &id, want).await
        }
    };
    let first = run(false, "SUCCEEDED").await;
    let n = titles().await.len();
    assert!(n >= 3, "{first}");
    assert_eq!(first["creditsCharged"].as_i64(), Some(n as i64));
    let credits = account(&app, t).await["credits"].as_i64().unwrap();

    // the same again: every idea is a duplicate — nothing saved, nothing charged, said so
    let again = run(false, "FAILED").await;
    assert!(
        again["error"].as_str().unwrap().contains("no new ideas"),
        "{again}"
    );
    assert_eq!(again["creditsCharged"], 0);
    assert_eq!(titles().await.len(), n);
    assert_eq!(account(&app, t).await["credits"].as_i64(), Some(credits));

    // more: different ones, each charged once
    let more = run(true, "SUCCEEDED").await;
    let all = titles().await;
    assert!(all.len() > n, "{more}");
    assert_eq!(
        more["creditsCharged"].as_i64(),
        Some((all.len() - n) as i64)
    );
    let mut keys: Vec<String> = all.iter().map(|t| key(t)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all.len(), "no two ideas share a title: {all:?}");
}
