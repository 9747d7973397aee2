//! `auto_cluster`: groups keywords of one sector into clusters — named ones
//! or every unclustered active keyword of the sector — in provider calls of
//! at most [`MAX_CLUSTER_KEYWORDS_PER_CALL`] keywords (related keywords
//! share a call), then merges what the calls made: a cluster whose name
//! matches one made by another call, or one the sector already has, is
//! that cluster. Keywords already in a cluster are never moved unless the
//! request says `recluster`, and then each move is reported.

use super::{
    CallCtx, Called, Calls, Kind, Prep, Refusal, RunError, Saved, keyword_in, one_writable_site,
    provider_error,
};
use crate::provider::{ProviderError, Usage};
use igny8_core::Actor;
use igny8_core::ai::cluster::{ClusterOutput, KeywordIn, call_batches, describe_keywords};
use igny8_core::jobs::{
    AutoClusterInput, ItemOutcome, JobKind, MAX_CLUSTER_KEYWORDS, MAX_CLUSTER_KEYWORDS_PER_CALL,
};
use igny8_core::planner::cluster_name_key;
use igny8_db::Tx;
use igny8_db::models::{Keyword, Sector};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub struct AutoCluster;

pub struct Prepared {
    pub sector: Sector,
    pub keywords: Vec<Keyword>,
    /// The keywords (indices into `keywords`) of each provider call.
    pub batches: Vec<Vec<usize>>,
    /// Each call's rendered prompt.
    pub prompts: Vec<String>,
    /// Named keywords that will not be clustered, with the reason.
    pub skipped: Vec<(Uuid, String)>,
    pub recluster: bool,
    /// Named keywords enqueueing left out: already in a cluster.
    pub left_in_clusters: usize,
}

impl Prepared {
    /// All of `keywords` in one call (what a stored output of the previous
    /// version covers; also the fault tests' way in).
    pub fn one_call(sector: Sector, keywords: Vec<Keyword>) -> Prepared {
        let n = keywords.len();
        Prepared {
            sector,
            keywords,
            batches: vec![(0..n).collect()],
            prompts: vec![String::new()],
            skipped: vec![],
            recluster: false,
            left_in_clusters: 0,
        }
    }
}

/// Per call: its keywords and its checked output, or why it failed.
pub type Parsed = Vec<(Vec<usize>, Result<ClusterOutput, String>)>;

impl Kind for AutoCluster {
    type Input = AutoClusterInput;
    type Prepared = Prepared;
    type Parsed = Parsed;
    const KIND: JobKind = JobKind::AutoCluster;
    const CALLS: Calls = Calls::PerItem {
        noun: "keyword batches clustered",
    };

    async fn admit(
        tx: &mut Tx,
        actor: &Actor,
        input: &mut AutoClusterInput,
    ) -> Result<Uuid, Refusal> {
        let scope = actor.scope();
        if input.whole_sector {
            let sector_id = input.sector_id.ok_or(Refusal::NotFound("sector"))?;
            let sector = igny8_db::sectors::get(tx, &scope, sector_id)
                .await
                .map_err(|e| match e {
                    igny8_db::DbError::NotFound => Refusal::NotFound("sector"),
                    other => Refusal::Db(other),
                })?;
            if !actor.can_write_site(sector.site_id) {
                return Err(Refusal::Forbidden(
                    "you can read this site but not change it".into(),
                ));
            }
            let ids = igny8_db::keywords::for_clustering(
                tx,
                &scope,
                sector_id,
                input.recluster,
                MAX_CLUSTER_KEYWORDS as i64 + 1,
            )
            .await?;
            if ids.is_empty() {
                return Err(Refusal::BadInput(
                    "sectorId",
                    if input.recluster {
                        "sectorId: the sector has no active keywords".into()
                    } else {
                        "sectorId: every active keyword of the sector is in a cluster already \
                         (recluster: true regroups them)"
                            .into()
                    },
                ));
            }
            if ids.len() > MAX_CLUSTER_KEYWORDS {
                return Err(Refusal::LimitExceeded(format!(
                    "the sector has more than {MAX_CLUSTER_KEYWORDS} keywords to cluster; \
                     cluster them by keywordIds in parts"
                )));
            }
            input.keyword_ids = ids;
            return Ok(sector.site_id);
        }
        let ids = &input.keyword_ids;
        let rows = igny8_db::keywords::by_ids(tx, &scope, ids).await?;
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
        if !input.recluster {
            let free: Vec<Uuid> = rows
                .iter()
                .filter(|k| k.cluster_id.is_none())
                .map(|k| k.id)
                .collect();
            if free.is_empty() {
                return Err(Refusal::BadInput(
                    "keywordIds",
                    "keywordIds: every keyword is in a cluster already (recluster: true moves them)"
                        .into(),
                ));
            }
            input.left_in_clusters = rows.len() - free.len();
            input.keyword_ids.retain(|id| free.contains(id));
        }
        Ok(site)
    }

    async fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &AutoClusterInput,
    ) -> Result<Prepared, RunError> {
        let sc = prep.scope.clone();
        let found = igny8_db::keywords::by_ids(tx, &sc, &input.keyword_ids).await?;
        let mut skipped = vec![];
        let mut keywords = vec![];
        for k in found {
            if !input.recluster && k.cluster_id.is_some() {
                // another job or a person clustered it since the request
                skipped.push((
                    k.id,
                    "put in a cluster since the request; left there (recluster moves it)".into(),
                ));
            } else {
                keywords.push(k);
            }
        }
        let Some(first) = keywords.first() else {
            return Err(RunError::Permanent(
                "nothing left to cluster: the keywords were deleted or clustered meanwhile".into(),
            ));
        };
        let sector = prep.prompts.sector(tx, &sc, first.sector_id).await?;
        let list: Vec<KeywordIn> = keywords.iter().map(keyword_in).collect();
        let batches = call_batches(&list, MAX_CLUSTER_KEYWORDS_PER_CALL);
        let mut prompts = Vec::with_capacity(batches.len());
        for b in &batches {
            let part: Vec<&KeywordIn> = b.iter().map(|&i| &list[i]).collect();
            prompts.push(
                prep.prompts
                    .render(
                        tx,
                        &sc,
                        sector.site_id,
                        sector.id,
                        json!({"keywords": part}),
                    )
                    .await?,
            );
        }
        Ok(Prepared {
            sector,
            keywords,
            batches,
            prompts,
            skipped,
            recluster: input.recluster,
            left_in_clusters: input.left_in_clusters,
        })
    }

    fn items(p: &Prepared) -> i32 {
        p.batches.len() as i32
    }

    async fn call(p: &Prepared, i: usize, ctx: &CallCtx<'_>) -> Result<Called, RunError> {
        let input: Vec<KeywordIn> = p.batches[i]
            .iter()
            .map(|&k| keyword_in(&p.keywords[k]))
            .collect();
        match ctx.ai.text.cluster(&input, &p.prompts[i]).await {
            Ok((out, usage)) => Ok(Called {
                entry: json!({"batch": i, "output": out}),
                usage,
            }),
            // this call's keywords fail; the other calls go on
            Err(ProviderError::Permanent(m)) => Ok(Called {
                entry: json!({"batch": i, "error": m}),
                usage: Usage::default(),
            }),
            Err(e) => Err(provider_error(e)),
        }
    }

    fn parse(p: &Prepared, raw: &Value) -> Result<Parsed, RunError> {
        let Some(entries) = raw.get("items").and_then(Value::as_array) else {
            // the previous version stored one call's output for every keyword
            let all: Vec<usize> = (0..p.keywords.len()).collect();
            let out = serde_json::from_value::<ClusterOutput>(raw.clone())
                .map_err(|e| format!("malformed AI output: {e}"))
                .and_then(|o| checked(p, &all, o));
            return Ok(vec![(all, out)]);
        };
        Ok(entries
            .iter()
            .filter_map(|e| {
                let batch = p.batches.get(e["batch"].as_u64()? as usize)?;
                let out = match e.get("output") {
                    Some(o) => serde_json::from_value::<ClusterOutput>(o.clone())
                        .map_err(|e| format!("malformed AI output: {e}"))
                        .and_then(|o| checked(p, batch, o)),
                    None => Err(e["error"].as_str().unwrap_or("no output").to_owned()),
                };
                Some((batch.clone(), out))
            })
            .collect())
    }

    async fn save(tx: &mut Tx, p: Prepared, parsed: Parsed) -> Result<Saved, RunError> {
        let acc = p.sector.account_id;
        let existing = igny8_db::clusters::in_sector(tx, acc, p.sector.id).await?;
        let names: HashMap<Uuid, String> =
            existing.iter().map(|c| (c.id, c.name.clone())).collect();
        // one cluster per name: the sector's own, or one made here
        let mut by_key: HashMap<String, Uuid> = existing
            .iter()
            .map(|c| (cluster_name_key(&c.name), c.id))
            .collect();
        let mut fresh = vec![];
        let mut joined: HashSet<Uuid> = HashSet::new();
        let mut assignment: Vec<(Uuid, Uuid)> = vec![];
        let mut failed: Vec<(Uuid, String)> = vec![];
        for (batch, out) in parsed {
            let out = match out {
                Ok(o) => o,
                Err(m) => {
                    failed.extend(batch.iter().map(|&i| (p.keywords[i].id, m.clone())));
                    continue;
                }
            };
            for c in out.clusters {
                let name: String = c.name.trim().chars().take(200).collect();
                let key = cluster_name_key(&name);
                let target = match by_key.get(&key) {
                    Some(id) => {
                        if names.contains_key(id) {
                            joined.insert(*id);
                        }
                        *id
                    }
                    None => {
                        let mut row = igny8_db::clusters::new_row(
                            &p.sector,
                            name,
                            c.description.chars().take(5000).collect(),
                        );
                        // the offline provider's description counts keywords:
                        // rewritten below from what the cluster holds after merging
                        row.description_generated = row.description.starts_with("Searches about ");
                        by_key.insert(key, row.id);
                        let id = row.id;
                        fresh.push(row);
                        id
                    }
                };
                assignment.extend(
                    c.keyword_ids
                        .iter()
                        .filter_map(|k| k.parse().ok())
                        .map(|k| (k, target)),
                );
            }
        }
        // descriptions of new clusters from all the keywords they get (a
        // cluster may gather keywords of several calls): no query needed
        let target: HashMap<Uuid, Uuid> = assignment.iter().copied().collect();
        let mut members: HashMap<Uuid, Vec<KeywordIn>> = HashMap::new();
        for k in &p.keywords {
            if let Some(c) = target.get(&k.id) {
                members.entry(*c).or_default().push(keyword_in(k));
            }
        }
        for c in fresh.iter_mut().filter(|c| c.description_generated) {
            let m = members.get(&c.id).map_or(&[][..], Vec::as_slice);
            c.description = describe_keywords(&c.name, m);
        }
        // a job running at the same time may have made a cluster of the
        // same name since we looked: then that one is ours to join
        let inserted = igny8_db::clusters::create_many_new(tx, &fresh).await?;
        let mut target = target;
        if inserted.len() != fresh.len() {
            let now = igny8_db::clusters::in_sector(tx, acc, p.sector.id).await?;
            let by_name: HashMap<String, Uuid> = now
                .iter()
                .map(|c| (cluster_name_key(&c.name), c.id))
                .collect();
            for c in fresh.iter().filter(|c| !inserted.contains(&c.id)) {
                if let Some(theirs) = by_name.get(&cluster_name_key(&c.name)) {
                    joined.insert(*theirs);
                    for (_, to) in assignment.iter_mut().filter(|(_, to)| *to == c.id) {
                        *to = *theirs;
                    }
                }
            }
            fresh.retain(|c| inserted.contains(&c.id));
            target = assignment.iter().copied().collect();
        }
        let placed: HashSet<Uuid> =
            igny8_db::keywords::assign_clusters(tx, &p.sector, &assignment, p.recluster)
                .await?
                .into_iter()
                .collect();
        let failed: HashMap<Uuid, String> = failed.into_iter().collect();
        // clusters whose keywords changed beyond what was described above:
        // existing ones that gained keywords (and, below, lost some)
        let mut touched: HashSet<Uuid> = p
            .keywords
            .iter()
            .filter(|k| placed.contains(&k.id))
            .filter_map(|k| target.get(&k.id).filter(|t| k.cluster_id != Some(**t)))
            .filter(|t| joined.contains(t))
            .copied()
            .collect();
        if placed.len() != assignment.len() {
            touched.extend(fresh.iter().map(|c| c.id));
        }
        let mut moved = 0;
        let mut outcomes = Vec::with_capacity(p.keywords.len() + p.skipped.len());
        for k in &p.keywords {
            if let Some(m) = failed.get(&k.id) {
                outcomes.push(ItemOutcome::failed(k.id, m.clone()));
                continue;
            }
            let now = target.get(&k.id).filter(|_| placed.contains(&k.id));
            let outcome = match (k.cluster_id, now) {
                (_, None) if k.cluster_id.is_some() => ItemOutcome::succeeded(k.id)
                    .with_note("left in its cluster: no other keyword here shares its topic"),
                (_, None) => ItemOutcome::succeeded(k.id)
                    .with_note("left unclustered: no other keyword shares its topic"),
                (Some(old), Some(new)) if old != *new => {
                    moved += 1;
                    touched.insert(old);
                    let from = names.get(&old).map_or("another cluster", String::as_str);
                    ItemOutcome::succeeded(k.id).with_note(format!("moved from cluster {from}"))
                }
                _ => ItemOutcome::succeeded(k.id),
            };
            outcomes.push(outcome);
        }
        for (id, why) in &p.skipped {
            outcomes.push(ItemOutcome::failed(*id, why.clone()));
        }
        if !touched.is_empty() {
            let touched: Vec<Uuid> = touched.into_iter().collect();
            igny8_db::clusters::refresh_descriptions(tx, acc, &touched).await?;
        }

        let mut summary = format!(
            "{} keywords in {} new and {} existing clusters",
            placed.len(),
            fresh.len(),
            joined.len()
        );
        if moved > 0 {
            summary.push_str(&format!("; {moved} moved from another cluster"));
        }
        if p.left_in_clusters > 0 {
            summary.push_str(&format!(
                "; {} already in clusters left there",
                p.left_in_clusters
            ));
        }
        Ok(Saved {
            succeeded: placed.len() as i64,
            related: "cluster",
            summary,
            created: fresh.iter().map(|c| c.id).collect(),
            outcomes,
        })
    }
}

/// Checks one call's output against its keywords: named clusters, each
/// keyword known to the call and in at most one cluster.
fn checked(p: &Prepared, batch: &[usize], out: ClusterOutput) -> Result<ClusterOutput, String> {
    let known: HashSet<String> = batch
        .iter()
        .map(|&i| p.keywords[i].id.to_string())
        .collect();
    let mut seen = HashSet::new();
    for c in &out.clusters {
        if c.name.trim().is_empty() {
            return Err("malformed AI output: a cluster has no name".into());
        }
        for k in &c.keyword_ids {
            if !known.contains(k) || !seen.insert(k.clone()) {
                return Err(format!(
                    "malformed AI output: keyword {k} is unknown or in two clusters"
                ));
            }
        }
    }
    Ok(out)
}
