//! `auto_cluster`: groups up to 20 keywords of one sector into clusters.

use super::{
    CallCtx, Called, Calls, Kind, Prep, Refusal, RunError, Saved, keyword_in, malformed,
    one_writable_site, provider_error,
};
use igny8_core::Actor;
use igny8_core::ai::cluster::{ClusterOutput, KeywordIn};
use igny8_core::jobs::{AutoClusterInput, ItemOutcome, JobKind};
use igny8_db::Tx;
use igny8_db::models::{Keyword, Sector};
use serde_json::{Value, json};
use std::collections::HashSet;
use uuid::Uuid;

pub struct AutoCluster;

pub struct Prepared {
    pub sector: Sector,
    pub keywords: Vec<Keyword>,
    pub prompt: String,
}

impl Kind for AutoCluster {
    type Input = AutoClusterInput;
    type Prepared = Prepared;
    type Parsed = ClusterOutput;
    const KIND: JobKind = JobKind::AutoCluster;
    const CALLS: Calls = Calls::One;

    async fn admit(
        tx: &mut Tx,
        actor: &Actor,
        input: &mut AutoClusterInput,
    ) -> Result<Uuid, Refusal> {
        let ids = &input.keyword_ids;
        let rows = igny8_db::keywords::by_ids(tx, &actor.scope(), ids).await?;
        let site = one_writable_site(
            actor,
            &rows,
            ids.len(),
            |k| k.site_id,
            "keyword",
            "keywordIds",
        )?;
        if rows.iter().any(|k| k.sector_id != rows[0].sector_id) {
            return Err(Refusal::BadInput(
                "keywordIds",
                "keywordIds: cluster keywords of one sector at a time".into(),
            ));
        }
        input.sector_id = Some(rows[0].sector_id);
        Ok(site)
    }

    async fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &AutoClusterInput,
    ) -> Result<Prepared, RunError> {
        let sc = prep.scope.clone();
        let keywords = igny8_db::keywords::by_ids(tx, &sc, &input.keyword_ids).await?;
        let first = keywords
            .first()
            .ok_or_else(|| RunError::Permanent("the keywords no longer exist".into()))?;
        let sector = prep.prompts.sector(tx, &sc, first.sector_id).await?;
        let list: Vec<KeywordIn> = keywords.iter().map(keyword_in).collect();
        let prompt = prep
            .prompts
            .render(
                tx,
                &sc,
                sector.site_id,
                sector.id,
                json!({"keywords": list}),
            )
            .await?;
        Ok(Prepared {
            sector,
            keywords,
            prompt,
        })
    }

    fn items(_: &Prepared) -> i32 {
        1
    }

    async fn call(p: &Prepared, _: usize, ctx: &CallCtx<'_>) -> Result<Called, RunError> {
        let input: Vec<KeywordIn> = p.keywords.iter().map(keyword_in).collect();
        let (out, usage) = ctx
            .ai
            .text
            .cluster(&input, &p.prompt)
            .await
            .map_err(provider_error)?;
        Ok(Called {
            entry: serde_json::to_value(out).unwrap_or_default(),
            usage,
        })
    }

    fn parse(p: &Prepared, raw: &Value) -> Result<ClusterOutput, RunError> {
        let out: ClusterOutput = serde_json::from_value(raw.clone()).map_err(malformed)?;
        let known: HashSet<String> = p.keywords.iter().map(|k| k.id.to_string()).collect();
        let mut seen = HashSet::new();
        for c in &out.clusters {
            if c.name.trim().is_empty() {
                return Err(RunError::Permanent(
                    "malformed AI output: a cluster has no name".into(),
                ));
            }
            for k in &c.keyword_ids {
                if !known.contains(k) || !seen.insert(k.clone()) {
                    return Err(RunError::Permanent(format!(
                        "malformed AI output: keyword {k} is unknown or in two clusters"
                    )));
                }
            }
        }
        Ok(out)
    }

    async fn save(tx: &mut Tx, p: Prepared, out: ClusterOutput) -> Result<Saved, RunError> {
        // one INSERT of every cluster, one UPDATE of every keyword
        let mut created = Vec::with_capacity(out.clusters.len());
        let mut fresh = Vec::with_capacity(out.clusters.len());
        let mut assignment: Vec<(Uuid, Uuid)> = vec![];
        for c in out.clusters {
            let name: String = c.name.trim().chars().take(200).collect();
            let cluster = igny8_db::clusters::new_row(
                &p.sector,
                name,
                c.description.chars().take(5000).collect(),
            );
            assignment.extend(
                c.keyword_ids
                    .iter()
                    .filter_map(|k| k.parse().ok())
                    .map(|k| (k, cluster.id)),
            );
            created.push(cluster.id);
            fresh.push(cluster);
        }
        igny8_db::clusters::create_many(tx, &fresh).await?;
        let placed = igny8_db::keywords::assign_clusters(tx, &p.sector, &assignment).await?;
        let outcomes = p
            .keywords
            .iter()
            .map(|k| match assignment.iter().any(|(id, _)| *id == k.id) {
                true => ItemOutcome::succeeded(k.id),
                // not a failure: no other keyword shares its topic
                false => ItemOutcome::succeeded(k.id)
                    .with_note("left unclustered: no other keyword shares its topic"),
            })
            .collect();
        Ok(Saved {
            succeeded: placed as i64,
            related: "cluster",
            summary: format!("{} clusters from {placed} keywords", created.len()),
            created,
            outcomes,
        })
    }
}
