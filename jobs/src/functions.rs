//! The five AI functions: what each loads (PREP), asks the provider
//! (AI_CALL), checks (PARSE) and writes with its settlement (SAVE, one
//! transaction fenced by the lease token).

use crate::engine::{Run, RunError};
use crate::provider::{ProviderError, Usage};
use igny8_core::Scope;
use igny8_core::ai::article::{ArticleContext, ArticleOut};
use igny8_core::ai::cluster::{ClusterOutput, KeywordIn};
use igny8_core::ai::ideas::{IdeaContext, IdeasOutput};
use igny8_core::ai::prompts::{ImagePromptsOutput, PromptContext};
use igny8_core::jobs::{AiFunction, CreditCosts, JobPhase};
use igny8_core::outline::Outline;
use igny8_core::planner::{ContentStructure, KeywordIntent};
use igny8_db::Tx;
use igny8_db::jobs::Settlement;
use igny8_db::models::{AiJob, Cluster, Content, Image, Keyword, Sector, Task};
use serde_json::{Value, json};
use std::collections::HashSet;
use uuid::Uuid;

/// What AI_CALL produced: the raw output (stored) and its cost.
pub struct CallOutput {
    pub raw: Value,
    pub model: String,
    pub tokens_in: i32,
    pub tokens_out: i32,
    pub cost_micro_usd: i64,
}

/// Width and height of generated images.
pub const IMAGE_SIZE: (u32, u32) = (1024, 768);

pub enum Work {
    Cluster {
        sector: Sector,
        keywords: Vec<Keyword>,
    },
    Ideas {
        cluster: Cluster,
        ctx: IdeaContext,
    },
    Content {
        items: Vec<(Task, ArticleContext)>,
    },
    Prompts {
        items: Vec<(Content, Task, PromptContext)>,
    },
    Images {
        items: Vec<Image>,
    },
}

/// Per-item outcomes of a multi-item call: the item id and its output or error.
pub type Items<T> = Vec<(Uuid, Result<T, String>)>;

pub enum Parsed {
    Cluster(ClusterOutput),
    Ideas(IdeasOutput),
    Content(Items<ArticleOut>),
    Prompts(Items<ImagePromptsOutput>),
    Images(Items<String>),
}

fn ids(payload: &Value, key: &str) -> Result<Vec<Uuid>, RunError> {
    payload[key]
        .as_array()
        .ok_or_else(|| RunError::Permanent(format!("payload has no {key}")))?
        .iter()
        .map(|v| {
            v.as_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| RunError::Permanent(format!("bad id in {key}")))
        })
        .collect()
}

fn provider_error(e: ProviderError) -> RunError {
    match e {
        ProviderError::Transient(m) => RunError::Transient(m),
        ProviderError::Permanent(m) => RunError::Permanent(m),
    }
}

fn scope(job: &AiJob) -> Scope {
    Scope::account(job.account_id)
}

async fn tenant(run: &Run<'_>) -> Result<Tx, RunError> {
    Ok(run.rt.db.begin_tenant(run.job.account_id).await?)
}

fn keyword_in(k: &Keyword) -> KeywordIn {
    KeywordIn {
        id: k.id.to_string(),
        keyword: k.keyword.clone(),
        volume: k.volume,
        intent: k
            .intent
            .as_deref()
            .and_then(|i| i.parse::<KeywordIntent>().ok()),
    }
}

fn add_usage(total: &mut Usage, u: &Usage) {
    total.tokens_in += u.tokens_in;
    total.tokens_out += u.tokens_out;
    total.cost_micro_usd += u.cost_micro_usd;
}

impl Work {
    /// PREP: loads what the function works on, in the job's tenant.
    pub async fn prepare(run: &mut Run<'_>) -> Result<Work, RunError> {
        let f: AiFunction = run
            .job
            .function
            .parse()
            .map_err(|_| RunError::Permanent("unknown function".into()))?;
        let payload = run.job.payload.clone();
        let sc = scope(&run.job);
        let mut tx = tenant(run).await?;
        let work = match f {
            AiFunction::AutoCluster => {
                let ids = ids(&payload, "keyword_ids")?;
                let keywords = igny8_db::keywords::by_ids(&mut tx, &sc, &ids).await?;
                let first = keywords
                    .first()
                    .ok_or_else(|| RunError::Permanent("the keywords no longer exist".into()))?;
                let sector = igny8_db::sectors::get(&mut tx, &sc, first.sector_id).await?;
                Work::Cluster { sector, keywords }
            }
            AiFunction::GenerateIdeas => {
                let id = ids(&payload, "cluster_ids")?
                    .into_iter()
                    .next()
                    .ok_or_else(|| RunError::Permanent("no cluster".into()))?;
                let cluster = igny8_db::clusters::get(&mut tx, &sc, id)
                    .await
                    .map_err(|_| RunError::Permanent("the cluster no longer exists".into()))?;
                let kws = igny8_db::keywords::children(
                    &mut tx,
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
                let sector = igny8_db::sectors::get(&mut tx, &sc, cluster.sector_id).await?;
                let site = igny8_db::sites::get(&mut tx, &sc, cluster.site_id).await?;
                let ctx = IdeaContext {
                    cluster_name: cluster.name.clone(),
                    cluster_description: cluster.description.clone(),
                    keywords: kws.iter().map(keyword_in).collect(),
                    sector: sector.name,
                    site: site.name,
                    tone: None,
                    language: None,
                };
                Work::Ideas { cluster, ctx }
            }
            AiFunction::GenerateContent => {
                let ids = ids(&payload, "task_ids")?;
                let tasks = igny8_db::tasks::by_ids(&mut tx, &sc, &ids).await?;
                let mut items = vec![];
                for t in tasks {
                    let idea = match t.idea_id {
                        Some(i) => igny8_db::ideas::by_ids(&mut tx, &sc, &[i])
                            .await?
                            .into_iter()
                            .next(),
                        None => None,
                    };
                    let sector = igny8_db::sectors::get(&mut tx, &sc, t.sector_id).await?;
                    let site = igny8_db::sites::get(&mut tx, &sc, t.site_id).await?;
                    let outline: Outline = idea
                        .as_ref()
                        .and_then(|i| serde_json::from_value(i.outline.clone()).ok())
                        .unwrap_or_default();
                    let ctx = ArticleContext {
                        title: t.title.clone(),
                        description: t.description.clone(),
                        outline,
                        target_keywords: if t.target_keywords.is_empty() {
                            idea.as_ref()
                                .map(|i| i.target_keywords.clone())
                                .unwrap_or_default()
                        } else {
                            t.target_keywords.clone()
                        },
                        content_structure: t
                            .content_structure
                            .parse::<ContentStructure>()
                            .unwrap_or_default(),
                        estimated_word_count: idea
                            .as_ref()
                            .map_or(1200, |i| i.estimated_word_count),
                        sector: sector.name,
                        site: site.name,
                        tone: None,
                        language: None,
                    };
                    items.push((t, ctx));
                }
                Work::Content { items }
            }
            AiFunction::GenerateImagePrompts => {
                let ids = ids(&payload, "content_ids")?;
                let max = payload["max_in_article"].as_u64().unwrap_or(3).clamp(1, 6) as usize;
                let contents = igny8_db::contents::by_ids(&mut tx, &sc, &ids).await?;
                let mut items = vec![];
                for c in contents {
                    let t = igny8_db::tasks::get(&mut tx, &sc, c.task_id).await?;
                    let ctx = PromptContext {
                        title: c.meta_title.clone().unwrap_or_else(|| t.title.clone()),
                        html: c.html.clone(),
                        primary_keyword: c
                            .primary_keyword
                            .clone()
                            .unwrap_or_else(|| t.title.clone()),
                        max_in_article: max,
                    };
                    items.push((c, t, ctx));
                }
                Work::Prompts { items }
            }
            AiFunction::GenerateImages => {
                let ids = ids(&payload, "image_ids")?;
                Work::Images {
                    items: igny8_db::images::by_ids(&mut tx, &sc, &ids).await?,
                }
            }
        };
        tx.commit().await?;
        if work.items() == 0 {
            return Err(RunError::Permanent(
                "nothing left to work on: the items were deleted".into(),
            ));
        }
        Ok(work)
    }

    pub fn items(&self) -> i32 {
        match self {
            Work::Cluster { .. } | Work::Ideas { .. } => 1,
            Work::Content { items } => items.len() as i32,
            Work::Prompts { items } => items.len() as i32,
            Work::Images { items } => items.len() as i32,
        }
    }

    /// AI_CALL: one provider call per item, progress after each.
    pub async fn call(&mut self, run: &mut Run<'_>) -> Result<CallOutput, RunError> {
        let provider = run.rt.provider.clone();
        let model = provider.model().to_owned();
        let total = self.items();
        let mut usage = Usage::default();
        let raw = match self {
            Work::Cluster { keywords, .. } => {
                let input: Vec<KeywordIn> = keywords.iter().map(keyword_in).collect();
                let (out, u) = provider.cluster(&input).await.map_err(provider_error)?;
                add_usage(&mut usage, &u);
                serde_json::to_value(out).unwrap_or_default()
            }
            Work::Ideas { ctx, .. } => {
                let (out, u) = provider.ideas(ctx).await.map_err(provider_error)?;
                add_usage(&mut usage, &u);
                serde_json::to_value(out).unwrap_or_default()
            }
            Work::Content { items } => {
                let mut out = vec![];
                for (i, (task, ctx)) in items.iter().enumerate() {
                    out.push(match provider.article(ctx).await {
                        Ok((a, u)) => {
                            add_usage(&mut usage, &u);
                            json!({"id": task.id, "output": a})
                        }
                        Err(ProviderError::Permanent(m)) => json!({"id": task.id, "error": m}),
                        Err(e) => return Err(provider_error(e)),
                    });
                    run.step(
                        JobPhase::AiCall,
                        i as i32 + 1,
                        total,
                        &format!("{} of {total} articles written", i + 1),
                    )
                    .await?;
                }
                json!({"items": out})
            }
            Work::Prompts { items } => {
                let mut out = vec![];
                for (i, (content, _, ctx)) in items.iter().enumerate() {
                    out.push(match provider.image_prompts(ctx).await {
                        Ok((p, u)) => {
                            add_usage(&mut usage, &u);
                            json!({"id": content.id, "output": p})
                        }
                        Err(ProviderError::Permanent(m)) => json!({"id": content.id, "error": m}),
                        Err(e) => return Err(provider_error(e)),
                    });
                    run.step(
                        JobPhase::AiCall,
                        i as i32 + 1,
                        total,
                        &format!("{} of {total} prompt sets written", i + 1),
                    )
                    .await?;
                }
                json!({"items": out})
            }
            Work::Images { items } => {
                let mut out = vec![];
                for (i, img) in items.iter().enumerate() {
                    let (w, h) = IMAGE_SIZE;
                    out.push(match provider.image(&img.prompt, w, h).await {
                        Ok((png, u)) => {
                            add_usage(&mut usage, &u);
                            let key = format!("{}/{}.png", img.account_id, img.id);
                            store_file(&run.rt.media_dir, &key, &png).await?;
                            json!({"id": img.id, "output": key})
                        }
                        Err(ProviderError::Permanent(m)) => json!({"id": img.id, "error": m}),
                        Err(e) => return Err(provider_error(e)),
                    });
                    run.step(
                        JobPhase::AiCall,
                        i as i32 + 1,
                        total,
                        &format!("{} of {total} images rendered", i + 1),
                    )
                    .await?;
                }
                json!({"items": out})
            }
        };
        Ok(CallOutput {
            raw,
            model,
            tokens_in: usage.tokens_in,
            tokens_out: usage.tokens_out,
            cost_micro_usd: usage.cost_micro_usd,
        })
    }

    /// PARSE: the stored raw output into checked results.
    pub fn parse(&self, raw: &Value) -> Result<Parsed, RunError> {
        let malformed =
            |e: serde_json::Error| RunError::Permanent(format!("malformed AI output: {e}"));
        fn per_item<T: serde::de::DeserializeOwned>(raw: &Value) -> Result<Items<T>, RunError> {
            let items = raw["items"]
                .as_array()
                .ok_or_else(|| RunError::Permanent("malformed AI output: no items".into()))?;
            Ok(items
                .iter()
                .filter_map(|it| {
                    let id = it["id"].as_str()?.parse().ok()?;
                    Some(match it.get("output") {
                        Some(o) => (
                            id,
                            serde_json::from_value::<T>(o.clone())
                                .map_err(|e| format!("malformed AI output: {e}")),
                        ),
                        None => (
                            id,
                            Err(it["error"].as_str().unwrap_or("no output").to_owned()),
                        ),
                    })
                })
                .collect())
        }
        Ok(match self {
            Work::Cluster { keywords, .. } => {
                let out: ClusterOutput = serde_json::from_value(raw.clone()).map_err(malformed)?;
                let known: HashSet<String> = keywords.iter().map(|k| k.id.to_string()).collect();
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
                Parsed::Cluster(out)
            }
            Work::Ideas { .. } => {
                Parsed::Ideas(serde_json::from_value(raw.clone()).map_err(malformed)?)
            }
            Work::Content { .. } => Parsed::Content(per_item(raw)?),
            Work::Prompts { .. } => Parsed::Prompts(per_item(raw)?),
            Work::Images { .. } => Parsed::Images(per_item(raw)?),
        })
    }

    /// SAVE: results, fencing and settlement in one transaction.
    pub async fn save(self, run: &mut Run<'_>, parsed: Parsed) -> Result<AiJob, RunError> {
        let f: AiFunction = run
            .job
            .function
            .parse()
            .map_err(|_| RunError::Permanent("unknown function".into()))?;
        let mut tx = tenant(run).await?;
        let plan_costs = {
            let acc = igny8_db::accounts::get(&mut tx, run.job.account_id).await?;
            let plan = igny8_db::accounts::plan(&mut tx, acc.plan_id).await?;
            CreditCosts::with_overrides(&plan.credit_costs)
        };
        let mut created: Vec<Uuid> = vec![];
        let mut errors: Vec<Value> = vec![];
        let (succeeded, related, summary) = match (self, parsed) {
            (Work::Cluster { sector, .. }, Parsed::Cluster(out)) => {
                let mut placed = 0;
                for c in out.clusters {
                    let name: String = c.name.trim().chars().take(200).collect();
                    let cluster = igny8_db::clusters::create(
                        &mut tx,
                        &sector,
                        name,
                        c.description.chars().take(5000).collect(),
                    )
                    .await?;
                    let ids: Vec<Uuid> = c
                        .keyword_ids
                        .iter()
                        .filter_map(|k| k.parse().ok())
                        .collect();
                    placed += igny8_db::keywords::move_to_cluster(&mut tx, &cluster, &ids).await?;
                    created.push(cluster.id);
                }
                (
                    placed as i64,
                    "cluster",
                    format!("{} clusters from {placed} keywords", created.len()),
                )
            }
            (Work::Ideas { cluster, .. }, Parsed::Ideas(out)) => {
                for (i, idea) in out
                    .ideas
                    .into_iter()
                    .take(igny8_core::jobs::MAX_IDEAS_PER_CLUSTER as usize)
                    .enumerate()
                {
                    let outline = match idea.outline.validate() {
                        Ok(o) => o,
                        Err(e) => {
                            errors.push(
                                json!({"item": i, "error": format!("outline: {}", e.message)}),
                            );
                            continue;
                        }
                    };
                    let row = igny8_db::ideas::create(
                        &mut tx,
                        &cluster,
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
                (
                    created.len() as i64,
                    "idea",
                    format!("{} ideas for {}", created.len(), cluster.name),
                )
            }
            (Work::Content { items }, Parsed::Content(out)) => {
                for (task_id, r) in out {
                    let Some((task, _)) = items.iter().find(|(t, _)| t.id == task_id) else {
                        continue;
                    };
                    match r {
                        Ok(a) => {
                            let html = igny8_core::html::sanitize_html(&a.html);
                            let words = igny8_core::html::word_count(&html);
                            let c = igny8_db::contents::upsert_for_task(
                                &mut tx,
                                task,
                                igny8_db::contents::ContentFields {
                                    html,
                                    word_count: words,
                                    status: "draft".into(),
                                    meta_title: Some(a.meta_title),
                                    meta_description: Some(a.meta_description),
                                    primary_keyword: Some(a.primary_keyword),
                                    secondary_keywords: a.secondary_keywords,
                                },
                            )
                            .await?;
                            igny8_db::tasks::set_one_status(&mut tx, task.id, "review").await?;
                            created.push(c.id);
                        }
                        Err(e) => errors.push(json!({"id": task_id, "error": e})),
                    }
                }
                (
                    created.len() as i64,
                    "content",
                    format!("{} of {} articles written", created.len(), items.len()),
                )
            }
            (Work::Prompts { items }, Parsed::Prompts(out)) => {
                let mut sets = 0;
                for (content_id, r) in out {
                    let Some((content, task, ctx)) =
                        items.iter().find(|(c, _, _)| c.id == content_id)
                    else {
                        continue;
                    };
                    match r {
                        Ok(p) => {
                            let in_article: Vec<String> =
                                p.in_article.into_iter().take(ctx.max_in_article).collect();
                            let imgs = igny8_db::images::replace_prompts(
                                &mut tx,
                                task,
                                content.id,
                                &p.featured,
                                &in_article,
                            )
                            .await?;
                            created.extend(imgs.iter().map(|i| i.id));
                            sets += 1;
                        }
                        Err(e) => errors.push(json!({"id": content_id, "error": e})),
                    }
                }
                (
                    sets,
                    "image",
                    format!("{} image prompts for {sets} articles", created.len()),
                )
            }
            (Work::Images { items }, Parsed::Images(out)) => {
                for (image_id, r) in out {
                    if !items.iter().any(|i| i.id == image_id) {
                        continue;
                    }
                    match r {
                        Ok(key) => {
                            igny8_db::images::set_generated(&mut tx, image_id, Some(&key)).await?;
                            created.push(image_id);
                        }
                        Err(e) => {
                            igny8_db::images::set_generated(&mut tx, image_id, None).await?;
                            errors.push(json!({"id": image_id, "error": e}));
                        }
                    }
                }
                (
                    created.len() as i64,
                    "image",
                    format!("{} of {} images generated", created.len(), items.len()),
                )
            }
            _ => {
                return Err(RunError::Permanent(
                    "internal: output does not match the function".into(),
                ));
            }
        };
        let settlement = Settlement {
            charge: plan_costs.cost(f, succeeded),
            result: json!({"summary": summary, "items": created, "errors": errors}),
            message: summary.clone(),
            operation: f.as_str().into(),
            related_type: Some(related.into()),
            related_ids: created.clone(),
        };
        match igny8_db::jobs::settle_success(&mut tx, &run.job, run.token, settlement).await? {
            Some(done) => {
                tx.commit().await?;
                Ok(done)
            }
            // fencing refused: another worker owns the job; roll everything back
            None => Err(RunError::LeaseLost),
        }
    }
}

async fn store_file(dir: &std::path::Path, key: &str, bytes: &[u8]) -> Result<(), RunError> {
    let path = dir.join(key);
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(|e| RunError::Transient(format!("media directory: {e}")))?;
    }
    // write then rename: a reader never sees half a file
    let tmp = path.with_extension("png.tmp");
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(|e| RunError::Transient(format!("writing image: {e}")))?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(|e| RunError::Transient(format!("writing image: {e}")))?;
    Ok(())
}
