//! The fixed data set, created through igny8's own GraphQL API (so every
//! row is made by the code paths users hit, RLS and composite keys included):
//!
//! - account "bench-read": 3 sites × 5 sectors × 200 keywords; per sector 10
//!   clusters of 15 keywords (50 keywords stay unclustered), one idea per
//!   cluster, a writer task per idea, an article per task.
//! - account "bench-jobs": 1 site × 5 sectors × 200 keywords, cut into 50
//!   groups of 20 for auto-cluster jobs (its rows grow; the read set does not).

use crate::load::{Target, post_once};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub const PASSWORD: &str = "bench password 0123";

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Seeded {
    pub read_email: String,
    pub read_account: String,
    pub site_ids: Vec<String>,
    pub jobs_email: String,
    pub jobs_account: String,
    /// keyword id groups of 20, each within one sector
    pub keyword_groups: Vec<Vec<String>>,
    /// more job accounts (email, keyword groups), to drain jobs of many tenants
    pub spread: Vec<(String, Vec<Vec<String>>)>,
}

/// Accounts in `Seeded::spread`.
pub const SPREAD_ACCOUNTS: usize = 8;

pub async fn gql(t: &Target, query: &str, variables: Value) -> Result<Value> {
    let body = serde_json::to_vec(&json!({"query": query, "variables": variables}))?;
    let v = post_once(t, body)
        .await
        .with_context(|| query.chars().take(60).collect::<String>())?;
    Ok(v["data"].clone())
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

const MODS: [&str; 10] = [
    "best",
    "cheap",
    "how to choose",
    "top",
    "easy",
    "homemade",
    "quick",
    "healthy",
    "vegan",
    "classic",
];
const TAILS: [&str; 20] = [
    "recipe",
    "ideas",
    "guide",
    "for beginners",
    "near me",
    "reviews",
    "tips",
    "at home",
    "2026",
    "for kids",
    "without oven",
    "in 30 minutes",
    "on a budget",
    "for two",
    "step by step",
    "with video",
    "printable",
    "for parties",
    "low carb",
    "gluten free",
];
const INTENTS: [&str; 4] = [
    "informational",
    "commercial",
    "transactional",
    "navigational",
];

fn csv_for(topic: &str) -> String {
    let mut csv = String::from("keyword,volume,difficulty,intent\n");
    for i in 0..200usize {
        let kw = format!("{} {} {}", MODS[i % 10], topic, TAILS[i / 10]);
        csv.push_str(&format!(
            "{kw},{},{},{}\n",
            (i * 37) % 5000 + 10,
            (i * 13) % 100,
            INTENTS[i % 4]
        ));
    }
    csv
}

async fn login(t: &Target, email: &str) -> Result<String> {
    let d = gql(
        t,
        "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken } }",
        json!({"e": email, "p": PASSWORD}),
    )
    .await?;
    Ok(s(&d["login"]["accessToken"]))
}

pub async fn token(api: &Target, email: &str) -> Result<String> {
    login(api, email).await
}

async fn signup(t: &Target, email: &str, name: &str) -> Result<(String, String)> {
    let d = gql(
        t,
        "mutation($e: String!, $p: String!, $n: String!) { signup(input: {email: $e, password: $p, accountName: $n}) { accessToken account { id } } }",
        json!({"e": email, "p": PASSWORD, "n": name}),
    )
    .await?;
    Ok((
        s(&d["signup"]["accessToken"]),
        s(&d["signup"]["account"]["id"]),
    ))
}

/// Creates a site with 5 sectors of 200 keywords; returns (site id, per sector (id, keyword ids)).
async fn site_with_keywords(
    t: &Target,
    site_name: &str,
    sector_topics: &[&str],
) -> Result<(String, Vec<(String, Vec<String>)>)> {
    let d = gql(
        t,
        "mutation($n: String!, $d: String) { createSite(input: {name: $n, domain: $d}) { id } }",
        json!({"n": site_name, "d": format!("{}.example.com", site_name.to_lowercase().replace(' ', "-"))}),
    )
    .await?;
    let site = s(&d["createSite"]["id"]);
    let mut sectors = vec![];
    for topic in sector_topics {
        let d = gql(
            t,
            "mutation($s: ID!, $n: String!) { createSector(input: {siteId: $s, name: $n}) { id } }",
            json!({"s": site, "n": topic}),
        )
        .await?;
        let sector = s(&d["createSector"]["id"]);
        let d = gql(
            t,
            "mutation($s: ID!, $c: String!) { importKeywords(input: {sectorId: $s, csv: $c}) { created skipped } }",
            json!({"s": sector, "c": csv_for(topic)}),
        )
        .await?;
        anyhow::ensure!(d["importKeywords"]["created"] == 200, "import: {d}");
        let d = gql(
            t,
            "query($s: ID!) { sector(id: $s) { keywords(first: 200) { edges { node { id } } } } }",
            json!({"s": sector}),
        )
        .await?;
        let ids: Vec<String> = d["sector"]["keywords"]["edges"]
            .as_array()
            .context("keywords")?
            .iter()
            .map(|e| s(&e["node"]["id"]))
            .collect();
        anyhow::ensure!(ids.len() == 200);
        sectors.push((sector, ids));
    }
    Ok((site, sectors))
}

pub async fn seed(api: &Target) -> Result<Seeded> {
    let read_email = "read@bench.example.com".to_owned();
    let (tok, read_account) = signup(api, &read_email, "bench-read").await?;
    let t = api.clone().bearer(&tok);
    let sites = [
        ("Kitchen Blog", ["pie", "bread", "pasta", "soup", "salad"]),
        (
            "Garden Blog",
            ["roses", "tomatoes", "lawn", "compost", "herbs"],
        ),
        ("Travel Blog", ["lisbon", "kyoto", "oslo", "lima", "cairo"]),
    ];
    let mut site_ids = vec![];
    for (name, topics) in sites {
        let (site, sectors) = site_with_keywords(&t, name, &topics).await?;
        for (sector, kws) in sectors {
            let mut ideas = vec![];
            for c in 0..10usize {
                let d = gql(
                    &t,
                    "mutation($s: ID!, $n: String!) { createCluster(input: {sectorId: $s, name: $n}) { id } }",
                    json!({"s": sector, "n": format!("cluster {c}")}),
                )
                .await?;
                let cluster = s(&d["createCluster"]["id"]);
                let members: Vec<&String> = kws.iter().skip(c).step_by(10).take(15).collect();
                gql(
                    &t,
                    "mutation($c: ID!, $k: [ID!]!) { addKeywordsToCluster(input: {clusterId: $c, keywordIds: $k}) { id } }",
                    json!({"c": cluster, "k": members}),
                )
                .await?;
                let d = gql(
                    &t,
                    "mutation($c: ID!, $t: String!) { createIdea(input: {clusterId: $c, title: $t, description: \"bench idea\"}) { id } }",
                    json!({"c": cluster, "t": format!("Idea for cluster {c}")}),
                )
                .await?;
                ideas.push(s(&d["createIdea"]["id"]));
            }
            let d = gql(
                &t,
                "mutation($i: [ID!]!) { queueIdeasToWriter(input: {ideaIds: $i}) { id } }",
                json!({"i": ideas}),
            )
            .await?;
            for task in d["queueIdeasToWriter"].as_array().context("tasks")? {
                gql(
                    &t,
                    "mutation($t: ID!, $h: String!) { createContent(input: {taskId: $t, html: $h}) { id } }",
                    json!({"t": s(&task["id"]), "h": "<h2>Intro</h2><p>A short benchmark article with a few words in it.</p>"}),
                )
                .await?;
            }
        }
        site_ids.push(site);
    }

    let jobs_email = "jobs@bench.example.com".to_owned();
    let (tok, jobs_account) = signup(api, &jobs_email, "bench-jobs").await?;
    let t = api.clone().bearer(&tok);
    let (_site, sectors) = site_with_keywords(
        &t,
        "Jobs Blog",
        &["coffee", "tea", "cocoa", "juice", "water"],
    )
    .await?;
    let mut keyword_groups = vec![];
    // interleave sectors so consecutive jobs touch different sectors
    for g in 0..10 {
        for (_, kws) in &sectors {
            keyword_groups.push(kws[g * 20..(g + 1) * 20].to_vec());
        }
    }
    let mut spread = vec![];
    for k in 0..SPREAD_ACCOUNTS {
        let email = format!("jobs{k}@bench.example.com");
        let (tok, _) = signup(api, &email, &format!("bench-jobs-{k}")).await?;
        let t = api.clone().bearer(&tok);
        let (_site, sectors) =
            site_with_keywords(&t, &format!("Jobs Blog {k}"), &["coffee"]).await?;
        let groups = (0..10)
            .map(|g| sectors[0].1[g * 20..(g + 1) * 20].to_vec())
            .collect();
        spread.push((email, groups));
    }
    Ok(Seeded {
        spread,
        read_email,
        read_account,
        site_ids,
        jobs_email,
        jobs_account,
        keyword_groups,
    })
}
