//! `generate_ideas`: 3–5 content ideas with outlines for one cluster.

use super::{
    CallCtx, Called, Calls, Kind, Prep, Refusal, RunError, Saved, keyword_in, malformed,
    one_writable_site, provider_error,
};
use igny8_core::Actor;
use igny8_core::ai::ideas::{IdeaContext, IdeasOutput};
use igny8_core::jobs::{GenerateIdeasInput, ItemOutcome, JobKind, MAX_IDEAS_PER_CLUSTER};
use igny8_core::planner::idea_title_key;
use igny8_db::Tx;
use igny8_db::models::Cluster;
use serde_json::{Value, json};
use uuid::Uuid;

pub struct GenerateIdeas;

pub struct Prepared {
    cluster: Cluster,
    ctx: IdeaContext,
    prompt: String,
    /// Title keys of the cluster's ideas: a new idea with one of them is a
    /// duplicate, not saved and not charged.
    existing: Vec<String>,
}

impl Kind for GenerateIdeas {
    type Input = GenerateIdeasInput;
    type Prepared = Prepared;
    type Parsed = IdeasOutput;
    const KIND: JobKind = JobKind::GenerateIdeas;
    const CALLS: Calls = Calls::One;

    async fn admit(
        tx: &mut Tx,
        actor: &Actor,
        input: &mut GenerateIdeasInput,
    ) -> Result<Uuid, Refusal> {
        let rows = igny8_db::clusters::by_ids(tx, &actor.scope(), &[input.cluster_id]).await?;
        one_writable_site(actor, &rows, 1, |c| c.site_id, "cluster", "clusterId")
    }

    async fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &GenerateIdeasInput,
    ) -> Result<Prepared, RunError> {
        let sc = prep.scope.clone();
        let id = input.cluster_id;
        let cluster = igny8_db::clusters::get(tx, &sc, id)
            .await
            .map_err(|_| RunError::Permanent("the cluster no longer exists".into()))?;
        let kws = igny8_db::keywords::children(
            tx,
            &sc,
            igny8_db::keywords::KeywordParent::Cluster,
            &[id],
            &Default::default(),
            &[],
            &igny8_core::page::PageArgs {
                first: Some(200),
                ..Default::default()
            },
        )
        .await?
        .remove(&id)
        .map(|l| l.rows)
        .unwrap_or_default();
        let sector = prep.prompts.sector(tx, &sc, cluster.sector_id).await?;
        let site = prep.prompts.site(tx, &sc, cluster.site_id).await?;
        let titles = igny8_db::ideas::titles_in_cluster(tx, &cluster).await?;
        let existing = titles.iter().map(|t| idea_title_key(t)).collect();
        let avoid = if input.more { titles } else { vec![] };
        let ctx = IdeaContext {
            cluster_name: cluster.name.clone(),
            cluster_description: cluster.description.clone(),
            keywords: kws.iter().map(keyword_in).collect(),
            sector: sector.name,
            site: site.name,
            tone: prep.prompts.tone(),
            language: prep.prompts.language(),
            avoid,
        };
        let own = json!({
            "cluster": {"name": cluster.name, "description": cluster.description},
            "keywords": ctx.keywords,
            "avoid": ctx.avoid,
        });
        let prompt = prep
            .prompts
            .render(tx, &sc, cluster.site_id, cluster.sector_id, own)
            .await?;
        Ok(Prepared {
            cluster,
            ctx,
            prompt,
            existing,
        })
    }

    fn items(_: &Prepared) -> i32 {
        1
    }

    async fn call(p: &Prepared, _: usize, ctx: &CallCtx<'_>) -> Result<Called, RunError> {
        let (out, usage) = ctx
            .ai
            .text
            .ideas(&p.ctx, &p.prompt)
            .await
            .map_err(provider_error)?;
        Ok(Called {
            entry: serde_json::to_value(out).unwrap_or_default(),
            usage,
        })
    }

    fn parse(_: &Prepared, raw: &Value) -> Result<IdeasOutput, RunError> {
        serde_json::from_value(raw.clone()).map_err(malformed)
    }

    async fn save(tx: &mut Tx, p: Prepared, out: IdeasOutput) -> Result<Saved, RunError> {
        let mut created = vec![];
        let mut errors: Vec<String> = vec![];
        let mut seen = p.existing.clone();
        let mut duplicates = 0;
        for (i, idea) in out
            .ideas
            .into_iter()
            .take(MAX_IDEAS_PER_CLUSTER as usize)
            .enumerate()
        {
            let key = idea_title_key(&idea.title);
            if seen.contains(&key) {
                duplicates += 1;
                continue;
            }
            seen.push(key);
            let outline = match idea.outline.validate() {
                Ok(o) => o,
                Err(e) => {
                    errors.push(format!("idea {}: outline: {}", i + 1, e.message));
                    continue;
                }
            };
            let row = igny8_db::ideas::create(
                tx,
                &p.cluster,
                igny8_db::ideas::NewIdea {
                    title: idea.title.chars().take(200).collect(),
                    description: idea.description.chars().take(5000).collect(),
                    content_type: idea.content_type.as_str().into(),
                    content_structure: idea.content_structure.as_str().into(),
                    outline: serde_json::to_value(outline).unwrap_or_default(),
                    target_keywords: idea.target_keywords.into_iter().take(50).collect(),
                    estimated_word_count: idea.estimated_word_count.clamp(100, 20_000),
                },
            )
            .await?;
            created.push(row.id);
        }
        if duplicates > 0 {
            errors.push(format!(
                "{duplicates} duplicating ideas the cluster has (not saved, not charged)"
            ));
        }
        // the item is the cluster: it succeeded if it got a new idea
        let outcome = if created.is_empty() {
            let why = if duplicates > 0 && errors.len() == 1 {
                "no new ideas: each one the AI proposed duplicates one the cluster has \
                 (ask for more ideas to get different ones)"
                    .to_owned()
            } else if errors.is_empty() {
                "the AI proposed no ideas".to_owned()
            } else {
                errors.join("; ")
            };
            ItemOutcome::failed(p.cluster.id, why)
        } else if errors.is_empty() {
            ItemOutcome::succeeded(p.cluster.id)
        } else {
            ItemOutcome::succeeded(p.cluster.id)
                .with_note(format!("skipped: {}", errors.join("; ")))
        };
        let mut summary = format!("{} new ideas for {}", created.len(), p.cluster.name);
        if duplicates > 0 {
            summary.push_str(&format!("; {duplicates} duplicates skipped"));
        }
        Ok(Saved {
            succeeded: created.len() as i64,
            related: "idea",
            summary,
            created,
            outcomes: vec![outcome],
        })
    }
}
