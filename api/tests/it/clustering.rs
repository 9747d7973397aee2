//! Clustering a whole sector (issue 18): calls of at most 20 keywords,
//! clusters merged across calls and with the sector's own, clustered
//! keywords never moved unless asked (and then reported), names unique per
//! sector, descriptions that follow the keywords.

use crate::harness::{TestApp, Workspace, code, field};
use crate::jobs::{KEYWORDS, keyword_ids, next, socket, subscribe, wait_for_status};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

const SECTOR: &str = "mutation($s: ID!, $r: Boolean) { autoClusterKeywords(input: {sectorId: $s, recluster: $r}) { id itemsTotal creditsHeld } }";
const IDS: &str = "mutation($k: [ID!]!, $r: Boolean) { autoClusterKeywords(input: {keywordIds: $k, recluster: $r}) { id itemsTotal creditsHeld } }";
const JOB: &str = "query($id: ID!) { job(id: $id) { status message creditsCharged items { id status note error } } }";
const CLUSTERS: &str = "{ clusters(first: 100) { nodes { id name description keywordsCount sector { id } keywords(first: 100) { nodes { id } } } } }";

/// 120 keywords in six topics of 20.
fn six_topics() -> String {
    let topics = [
        "espresso machine",
        "pour over kettle",
        "cold brew maker",
        "french press",
        "moka pot",
        "milk frother",
    ];
    let mods = [
        "best",
        "cheap",
        "how to clean a",
        "buy",
        "review of a",
        "small",
        "quiet",
        "electric",
        "manual",
        "travel",
        "large",
        "used",
        "vintage",
        "modern",
        "simple",
        "stainless",
        "glass",
        "ceramic",
        "portable",
        "automatic",
    ];
    let mut csv = String::from("keyword,volume\n");
    for (t, topic) in topics.iter().enumerate() {
        for (m, modifier) in mods.iter().enumerate() {
            csv.push_str(&format!("{modifier} {topic},{}\n", 100 + t * 20 + m));
        }
    }
    csv
}

async fn job(app: &TestApp, t: &str, id: &str) -> Value {
    app.data(t, JOB, json!({"id": id}), "job").await
}

async fn clusters(app: &TestApp, t: &str) -> Vec<Value> {
    app.data(t, CLUSTERS, json!({}), "clusters").await["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

/// keyword id → cluster id
fn membership(clusters: &[Value]) -> HashMap<String, String> {
    clusters
        .iter()
        .flat_map(|c| {
            c["keywords"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| {
                    (
                        k["id"].as_str().unwrap().to_owned(),
                        c["id"].as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every generated description counts what its cluster holds now.
fn descriptions_are_current(clusters: &[Value]) {
    for c in clusters {
        let d = c["description"].as_str().unwrap();
        if let Some(rest) = d.strip_prefix("Searches about ") {
            let n = c["keywordsCount"].as_i64().unwrap();
            let want = if n == 0 {
                "no keywords yet".to_owned()
            } else {
                format!("{n} keyword{}", if n == 1 { "" } else { "s" })
            };
            assert!(
                rest.contains(&want),
                "stale description of {}: {d}",
                c["name"]
            );
        }
    }
}

fn names_are_unique(clusters: &[Value]) {
    let mut seen = HashSet::new();
    for c in clusters {
        let key = (
            c["sector"]["id"].as_str().unwrap().to_owned(),
            c["name"].as_str().unwrap().to_lowercase(),
        );
        assert!(
            seen.insert(key),
            "two clusters named {} in a sector",
            c["name"]
        );
    }
}

#[tokio::test]
async fn a_whole_sector_of_120_keywords_is_clustered_by_one_job_in_calls_of_20() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("sector@clustering.io").await;
    let t = &w.s.token;
    let r = app.import_csv(t, &w.sector, &six_topics()).await;
    assert_eq!(r["data"]["importKeywords"]["created"], 120, "{r}");
    let queued = app
        .data(t, SECTOR, json!({"s": w.sector}), "autoClusterKeywords")
        .await;
    assert_eq!(queued["itemsTotal"], 6, "calls of at most 20: {queued}");
    assert_eq!(queued["creditsHeld"], 4, "1 credit per 30 keywords");
    let id = queued["id"].as_str().unwrap();
    // progress per call, seen live
    let mut ws = socket(&app, t).await;
    subscribe(
        &mut ws,
        "p",
        "subscription($id: ID!) { jobProgress(jobId: $id) { status phase itemsDone itemsTotal message } }",
        json!({"id": id}),
    )
    .await;
    let mut calls = HashSet::new();
    let mut last = Value::Null;
    loop {
        let m = next(&mut ws).await;
        match m["type"].as_str() {
            Some("next") => {
                let p = m["payload"]["data"]["jobProgress"].clone();
                if p["phase"] == "AI_CALL" && p["itemsDone"].as_i64() > Some(0) {
                    calls.insert(p["itemsDone"].as_i64().unwrap());
                    assert!(
                        p["message"]
                            .as_str()
                            .unwrap()
                            .ends_with("keyword batches clustered"),
                        "{p}"
                    );
                }
                last = p;
            }
            Some("complete") => break,
            _ => {}
        }
    }
    assert_eq!(last["status"], "SUCCEEDED", "{last}");
    let total = last["itemsTotal"].as_i64().unwrap();
    assert!((6..=8).contains(&total), "{last}");
    assert_eq!(calls.len() as i64, total, "an event per call: {calls:?}");

    let j = job(&app, t, id).await;
    let items = j["items"].as_array().unwrap();
    assert_eq!(items.len(), 120, "an outcome per keyword");
    let cs = clusters(&app, t).await;
    let placed = membership(&cs).len() as i64;
    assert!(placed >= 100, "most keywords found a topic: {placed}");
    assert_eq!(
        j["creditsCharged"].as_i64(),
        Some((placed + 29) / 30),
        "{j}"
    );
    // one cluster per topic, whichever call saw it
    assert!(
        cs.len() >= 6 && cs.len() <= 12,
        "{:?}",
        cs.iter().map(|c| &c["name"]).collect::<Vec<_>>()
    );
    names_are_unique(&cs);
    descriptions_are_current(&cs);

    // everything is clustered now: nothing left to do without recluster
    let r = app.gql(Some(t), SECTOR, json!({"s": w.sector})).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(field(&r), "sectorId");
}

#[tokio::test]
async fn clustered_keywords_never_move_unless_asked_and_each_move_is_reported() {
    let app = TestApp::spawn_with_worker().await;
    let w: Workspace = app.workspace("moves@clustering.io").await;
    let t = &w.s.token;
    let kws = keyword_ids(&app, &w).await;
    let first = app
        .data(t, IDS, json!({"k": kws}), "autoClusterKeywords")
        .await;
    wait_for_status(&app, t, first["id"].as_str().unwrap(), "SUCCEEDED").await;
    let before = membership(&clusters(&app, t).await);
    assert!(before.len() >= 10, "{before:?}");

    // a person puts one keyword in a cluster of their own
    let misc = app
        .data(
            t,
            "mutation($s: ID!) { createCluster(input: {sectorId: $s, name: \"Misc\"}) { id } }",
            json!({"s": w.sector}),
            "createCluster",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (moved_kw, old_cluster) = before
        .iter()
        .next()
        .map(|(k, c)| (k.clone(), c.clone()))
        .unwrap();
    app.data(
        t,
        "mutation($c: ID!, $k: [ID!]!) { addKeywordsToCluster(input: {clusterId: $c, keywordIds: $k}) { id } }",
        json!({"c": misc, "k": [moved_kw]}),
        "addKeywordsToCluster",
    )
    .await;
    // the cluster it left tells its new count at once
    descriptions_are_current(&clusters(&app, t).await);

    // new keywords, then the whole sector: only they are taken
    app.import_csv(
        t,
        &w.sector,
        "keyword,volume\nrye sourdough bread,300\nwhole wheat sourdough bread,200\n",
    )
    .await;
    let j = app
        .data(t, SECTOR, json!({"s": w.sector}), "autoClusterKeywords")
        .await;
    wait_for_status(&app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    let r = job(&app, t, j["id"].as_str().unwrap()).await;
    assert_eq!(
        r["items"].as_array().unwrap().len(),
        2,
        "only the unclustered: {r}"
    );
    let after = membership(&clusters(&app, t).await);
    for (k, c) in &before {
        if *k != moved_kw {
            assert_eq!(
                after.get(k),
                Some(c),
                "keyword {k} was moved without recluster"
            );
        }
    }
    assert_eq!(after.get(&moved_kw), Some(&misc));

    // named clustered keywords are left out and said so
    let mut named = kws[..3].to_vec();
    let new_ids: Vec<String> = app
        .data(
            t,
            "{ keywords(filter: {clustered: false}) { nodes { id } } }",
            json!({}),
            "keywords",
        )
        .await["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    if new_ids.is_empty() {
        let r = app.gql(Some(t), IDS, json!({"k": named})).await;
        assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
        assert_eq!(field(&r), "keywordIds");
    }
    named.retain(|k| before.contains_key(k));
    let r = app.gql(Some(t), IDS, json!({"k": named})).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "every one is clustered: {r}");

    // recluster: the person's odd placement is undone, and reported
    let j = app
        .data(t, IDS, json!({"k": kws, "r": true}), "autoClusterKeywords")
        .await;
    wait_for_status(&app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    let r = job(&app, t, j["id"].as_str().unwrap()).await;
    let item = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == json!(moved_kw))
        .unwrap()
        .clone();
    assert_eq!(item["note"], "moved from cluster Misc", "{r}");
    assert!(r["message"].as_str().unwrap().contains("1 moved"), "{r}");
    let cs = clusters(&app, t).await;
    assert_eq!(membership(&cs).get(&moved_kw), Some(&old_cluster));
    names_are_unique(&cs);
    descriptions_are_current(&cs);
    // deleting a keyword rewrites its cluster's description too
    app.data(
        t,
        "mutation($id: ID!) { deleteKeyword(input: {id: $id}) }",
        json!({"id": moved_kw}),
        "deleteKeyword",
    )
    .await;
    descriptions_are_current(&clusters(&app, t).await);
}

#[tokio::test]
async fn cluster_names_are_unique_per_sector_and_clustering_joins_an_existing_one() {
    let app = TestApp::spawn_with_worker().await;
    let w = app.workspace("names@clustering.io").await;
    let t = &w.s.token;
    let create = "mutation($s: ID!, $n: String!) { createCluster(input: {sectorId: $s, name: $n}) { id name } }";
    app.data(
        t,
        create,
        json!({"s": w.sector, "n": "Coffee"}),
        "createCluster",
    )
    .await;
    for dup in ["Coffee", "  coffee ", "COFFEE"] {
        let r = app
            .gql(Some(t), create, json!({"s": w.sector, "n": dup}))
            .await;
        assert_eq!(code(&r), "CONFLICT", "{dup}: {r}");
        assert_eq!(field(&r), "name");
    }
    let other = app.create_sector(&w.s, &w.site, "Other").await["data"]["createSector"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.data(
        t,
        create,
        json!({"s": other, "n": "Coffee"}),
        "createCluster",
    )
    .await;

    // learn a name clustering gives in the other sector, then have it in this one
    app.import_csv(t, &other, KEYWORDS).await;
    let j = app
        .data(t, SECTOR, json!({"s": other}), "autoClusterKeywords")
        .await;
    wait_for_status(&app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    let cs = clusters(&app, t).await;
    let made = cs
        .iter()
        .find(|c| c["name"] != "Coffee" && c["keywordsCount"].as_i64() > Some(2))
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = app
        .data(
            t,
            create,
            json!({"s": w.sector, "n": made.to_uppercase()}),
            "createCluster",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.import_csv(t, &w.sector, KEYWORDS).await;
    let j = app
        .data(t, SECTOR, json!({"s": w.sector}), "autoClusterKeywords")
        .await;
    wait_for_status(&app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    let r = job(&app, t, j["id"].as_str().unwrap()).await;
    assert!(r["message"].as_str().unwrap().contains("1 existing"), "{r}");
    let cs = clusters(&app, t).await;
    names_are_unique(&cs);
    let joined = cs.iter().find(|c| c["id"] == json!(mine)).unwrap();
    assert!(
        joined["keywordsCount"].as_i64() > Some(2),
        "the job joined it: {joined}"
    );
}
