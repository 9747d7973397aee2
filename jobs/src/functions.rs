//! The five AI functions: what each loads (PREP), asks the provider
//! (AI_CALL), checks (PARSE) and writes with its settlement (SAVE, one
//! transaction fenced by the lease token).

use crate::engine::{Run, RunError};
use crate::provider::{ProviderError, Usage};
use crate::settings::Resolved;
use igny8_core::Scope;
use igny8_core::ai::article::{ArticleContext, ArticleOut};
use igny8_core::ai::cluster::{ClusterOutput, KeywordIn};
use igny8_core::ai::ideas::{IdeaContext, IdeasOutput};
use igny8_core::ai::prompts::{ImagePromptsOutput, PromptContext};
use igny8_core::ai::templates;
use igny8_core::jobs::{AiFunction, CreditCosts, JobPhase};
use igny8_core::outline::Outline;
use igny8_core::planner::{ContentStructure, KeywordIntent};
use igny8_db::Tx;
use igny8_db::jobs::{Settlement, Step};
use igny8_db::models::{
    AiJob, AuthorProfile, Cluster, Content, Image, IntegrationSettings, Keyword, Sector, Site,
    Strategy, Task,
};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
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

/// What a job works on, with the prompt rendered for each provider call.
pub enum Work {
    Cluster {
        sector: Sector,
        keywords: Vec<Keyword>,
        prompt: String,
    },
    Ideas {
        cluster: Cluster,
        ctx: IdeaContext,
        prompt: String,
    },
    Content {
        items: Vec<(Task, ArticleContext, String)>,
    },
    Prompts {
        items: Vec<(Content, Task, PromptContext, String)>,
    },
    Images {
        items: Vec<(Image, String)>,
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

/// PREP's view of the Thinker (JOB-8): the account's template for the
/// function, the author profile the request picked, and the active
/// strategies of the sectors involved.
struct Shaping {
    f: AiFunction,
    template: String,
    author: Option<AuthorProfile>,
    strategies: HashMap<Uuid, Option<Strategy>>,
    sites: HashMap<Uuid, Site>,
    sectors: HashMap<Uuid, Sector>,
}

impl Shaping {
    async fn load(tx: &mut Tx, job: &AiJob, f: AiFunction) -> Result<Shaping, RunError> {
        let template = igny8_db::thinker::prompt_override(tx, job.account_id, f.as_str())
            .await?
            .map_or_else(|| templates::default_template(f), |o| o.template);
        let author = match job.payload["author_profile_id"]
            .as_str()
            .and_then(|s| s.parse::<Uuid>().ok())
        {
            None => None,
            Some(id) => Some(
                igny8_db::thinker::get_author(tx, job.account_id, id)
                    .await
                    .map_err(|_| {
                        RunError::Permanent("the author profile no longer exists".into())
                    })?,
            ),
        };
        Ok(Shaping {
            f,
            template,
            author,
            strategies: HashMap::new(),
            sites: HashMap::new(),
            sectors: HashMap::new(),
        })
    }

    fn tone(&self) -> Option<String> {
        self.author.as_ref().map(|a| a.tone.clone())
    }

    fn language(&self) -> Option<String> {
        self.author.as_ref().map(|a| a.language.clone())
    }

    async fn sector(&mut self, tx: &mut Tx, sc: &Scope, id: Uuid) -> Result<Sector, RunError> {
        if let Some(s) = self.sectors.get(&id) {
            return Ok(s.clone());
        }
        let s = igny8_db::sectors::get(tx, sc, id).await?;
        self.sectors.insert(id, s.clone());
        Ok(s)
    }

    async fn site(&mut self, tx: &mut Tx, sc: &Scope, id: Uuid) -> Result<Site, RunError> {
        if let Some(s) = self.sites.get(&id) {
            return Ok(s.clone());
        }
        let s = igny8_db::sites::get(tx, sc, id).await?;
        self.sites.insert(id, s.clone());
        Ok(s)
    }

    /// Renders the template for one call in `sector_id`: site, sector,
    /// author and strategy, plus the function's own placeholders.
    async fn render(
        &mut self,
        tx: &mut Tx,
        sc: &Scope,
        account_id: Uuid,
        site_id: Uuid,
        sector_id: Uuid,
        own: Value,
    ) -> Result<String, RunError> {
        let site = self.site(tx, sc, site_id).await?;
        let sector = self.sector(tx, sc, sector_id).await?;
        if !self.strategies.contains_key(&sector_id) {
            let s =
                igny8_db::thinker::strategy_for(tx, account_id, sector_id, self.f.as_str()).await?;
            self.strategies.insert(sector_id, s);
        }
        let strategy = self.strategies.get(&sector_id).cloned().flatten();
        let mut vars = json!({
            "site": {"name": site.name, "domain": site.domain},
            "sector": {"name": sector.name},
            "author": self.author.as_ref().map(|a| json!({
                "name": a.name, "description": a.description, "tone": a.tone, "language": a.language,
            })),
            "strategy": strategy.map(|s| json!({
                "name": s.name, "description": s.description, "section_logic": s.section_logic,
            })),
        });
        if let (Some(v), Some(own)) = (vars.as_object_mut(), own.as_object()) {
            v.extend(own.clone());
        }
        templates::render(&self.template, &vars)
            .map_err(|e| RunError::Permanent(format!("prompt template: {}", e.message)))
    }
}

impl Work {
    /// PREP: loads what the function works on, in the job's tenant, and
    /// renders each call's prompt.
    /// Also reads the account's integration settings in the same
    /// transaction, for AI_CALL to resolve its providers with, and records
    /// (and publishes) the PREP and AI_CALL steps.
    pub async fn prepare(
        run: &mut Run<'_>,
    ) -> Result<(Work, Option<IntegrationSettings>), RunError> {
        let f: AiFunction = run
            .job
            .function
            .parse()
            .map_err(|_| RunError::Permanent("unknown function".into()))?;
        let payload = run.job.payload.clone();
        let sc = scope(&run.job);
        let acc = run.job.account_id;
        let mut tx = tenant(run).await?;
        let mut shaping = Shaping::load(&mut tx, &run.job, f).await?;
        let work = match f {
            AiFunction::AutoCluster => {
                let ids = ids(&payload, "keyword_ids")?;
                let keywords = igny8_db::keywords::by_ids(&mut tx, &sc, &ids).await?;
                let first = keywords
                    .first()
                    .ok_or_else(|| RunError::Permanent("the keywords no longer exist".into()))?;
                let sector = shaping.sector(&mut tx, &sc, first.sector_id).await?;
                let list: Vec<KeywordIn> = keywords.iter().map(keyword_in).collect();
                let prompt = shaping
                    .render(
                        &mut tx,
                        &sc,
                        acc,
                        sector.site_id,
                        sector.id,
                        json!({"keywords": list}),
                    )
                    .await?;
                Work::Cluster {
                    sector,
                    keywords,
                    prompt,
                }
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
                let sector = shaping.sector(&mut tx, &sc, cluster.sector_id).await?;
                let site = shaping.site(&mut tx, &sc, cluster.site_id).await?;
                let ctx = IdeaContext {
                    cluster_name: cluster.name.clone(),
                    cluster_description: cluster.description.clone(),
                    keywords: kws.iter().map(keyword_in).collect(),
                    sector: sector.name,
                    site: site.name,
                    tone: shaping.tone(),
                    language: shaping.language(),
                };
                let own = json!({
                    "cluster": {"name": cluster.name, "description": cluster.description},
                    "keywords": ctx.keywords,
                });
                let prompt = shaping
                    .render(&mut tx, &sc, acc, cluster.site_id, cluster.sector_id, own)
                    .await?;
                Work::Ideas {
                    cluster,
                    ctx,
                    prompt,
                }
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
                    let sector = shaping.sector(&mut tx, &sc, t.sector_id).await?;
                    let site = shaping.site(&mut tx, &sc, t.site_id).await?;
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
                        tone: shaping.tone(),
                        language: shaping.language(),
                    };
                    let own = json!({
                        "task": {
                            "title": ctx.title, "description": ctx.description,
                            "content_structure": t.content_structure,
                            "target_keywords": ctx.target_keywords,
                        },
                        "outline": ctx.outline,
                        "word_count": ctx.estimated_word_count,
                    });
                    let prompt = shaping
                        .render(&mut tx, &sc, acc, t.site_id, t.sector_id, own)
                        .await?;
                    items.push((t, ctx, prompt));
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
                    let own = json!({
                        "content": {"title": ctx.title, "primary_keyword": ctx.primary_keyword, "html": ctx.html},
                        "max_in_article": max,
                    });
                    let prompt = shaping
                        .render(&mut tx, &sc, acc, c.site_id, c.sector_id, own)
                        .await?;
                    items.push((c, t, ctx, prompt));
                }
                Work::Prompts { items }
            }
            AiFunction::GenerateImages => {
                let ids = ids(&payload, "image_ids")?;
                let mut items = vec![];
                for img in igny8_db::images::by_ids(&mut tx, &sc, &ids).await? {
                    let own = json!({"prompt": img.prompt, "image_type": img.image_type});
                    let prompt = shaping
                        .render(&mut tx, &sc, acc, img.site_id, img.sector_id, own)
                        .await?;
                    items.push((img, prompt));
                }
                Work::Images { items }
            }
        };
        let settings = igny8_db::integrations::get(&mut tx, acc).await?;
        let total = work.items();
        if total == 0 {
            return Err(RunError::Permanent(
                "nothing left to work on: the items were deleted".into(),
            ));
        }
        // the PREP and AI_CALL steps in this transaction, in one fenced
        // statement (RLS applies to the job row like to the rest), both
        // events published after the commit
        let prep = Step {
            phase: JobPhase::Prep.as_str(),
            percent: JobPhase::Prep.percent(0, total),
            items_done: 0,
            items_total: total,
            message: "loading data",
        };
        let row = igny8_db::jobs::progress_by(
            &mut tx,
            run.job.id,
            run.token,
            &Step {
                phase: JobPhase::AiCall.as_str(),
                percent: JobPhase::AiCall.percent(0, total),
                items_done: 0,
                items_total: total,
                message: "calling the AI provider",
            },
            2,
        )
        .await?;
        tx.commit().await?;
        run.accept_after(row, &[prep]).await?;
        Ok((work, settings))
    }

    pub fn items(&self) -> i32 {
        match self {
            Work::Cluster { .. } | Work::Ideas { .. } => 1,
            Work::Content { items } => items.len() as i32,
            Work::Prompts { items } => items.len() as i32,
            Work::Images { items } => items.len() as i32,
        }
    }

    /// AI_CALL: one provider call per item, progress after each. A
    /// permanent failure fails its item only; cancellation drops the call
    /// in flight.
    pub async fn call(&mut self, run: &mut Run<'_>, ai: &Resolved) -> Result<CallOutput, RunError> {
        let f = match self {
            Work::Cluster { .. } => AiFunction::AutoCluster,
            Work::Ideas { .. } => AiFunction::GenerateIdeas,
            Work::Content { .. } => AiFunction::GenerateContent,
            Work::Prompts { .. } => AiFunction::GenerateImagePrompts,
            Work::Images { .. } => AiFunction::GenerateImages,
        };
        let model = ai.model(f);
        let text = ai.text.clone();
        let image = ai.image.clone();
        let total = self.items();
        let mut usage = Usage::default();
        let raw = match self {
            Work::Cluster {
                keywords, prompt, ..
            } => {
                let input: Vec<KeywordIn> = keywords.iter().map(keyword_in).collect();
                let (out, u) = run
                    .abortable(text.cluster(&input, prompt))
                    .await?
                    .map_err(provider_error)?;
                add_usage(&mut usage, &u);
                serde_json::to_value(out).unwrap_or_default()
            }
            Work::Ideas { ctx, prompt, .. } => {
                let (out, u) = run
                    .abortable(text.ideas(ctx, prompt))
                    .await?
                    .map_err(provider_error)?;
                add_usage(&mut usage, &u);
                serde_json::to_value(out).unwrap_or_default()
            }
            Work::Content { items } => {
                let mut out = vec![];
                for (i, (task, ctx, prompt)) in items.iter().enumerate() {
                    out.push(match run.abortable(text.article(ctx, prompt)).await? {
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
                for (i, (content, _, ctx, prompt)) in items.iter().enumerate() {
                    out.push(
                        match run.abortable(text.image_prompts(ctx, prompt)).await? {
                            Ok((p, u)) => {
                                add_usage(&mut usage, &u);
                                json!({"id": content.id, "output": p})
                            }
                            Err(ProviderError::Permanent(m)) => {
                                json!({"id": content.id, "error": m})
                            }
                            Err(e) => return Err(provider_error(e)),
                        },
                    );
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
                for (i, (img, prompt)) in items.iter().enumerate() {
                    let (w, h) = IMAGE_SIZE;
                    out.push(match run.abortable(image.image(prompt, w, h)).await? {
                        Ok((bytes, u)) => {
                            add_usage(&mut usage, &u);
                            let key = format!("{}/{}.png", img.account_id, img.id);
                            run.rt.media.put(&key, bytes).await.map_err(|e| {
                                RunError::Transient(format!("storing the image: {e}"))
                            })?;
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

    /// SAVE: the SAVE step, results, fencing and settlement in one
    /// transaction. Returns the SAVE step's row and the finished job, for
    /// the caller to publish after the commit. The step comes first: a
    /// zombie (lost lease) stops before writing anything, and a cancel
    /// requested since PARSE is honoured at this boundary.
    pub async fn save(self, run: &mut Run<'_>, parsed: Parsed) -> Result<(AiJob, AiJob), RunError> {
        let f: AiFunction = run
            .job
            .function
            .parse()
            .map_err(|_| RunError::Permanent("unknown function".into()))?;
        let total = self.items();
        let mut tx = tenant(run).await?;
        let saving = igny8_db::jobs::progress(
            &mut tx,
            run.job.id,
            run.token,
            &Step {
                phase: JobPhase::Save.as_str(),
                percent: JobPhase::Save.percent(0, total),
                items_done: total,
                items_total: total,
                message: "saving",
            },
        )
        .await?
        .ok_or(RunError::LeaseLost)?;
        if saving.cancel_requested {
            // nothing written; the caller ends the job as cancelled
            return Err(RunError::Cancelled);
        }
        let plan_costs = {
            let plan = igny8_db::accounts::plan_of_account(&mut tx, run.job.account_id).await?;
            CreditCosts::with_overrides(&plan.credit_costs)
        };
        let mut created: Vec<Uuid> = vec![];
        let mut errors: Vec<Value> = vec![];
        let (succeeded, related, summary) = match (self, parsed) {
            (Work::Cluster { sector, .. }, Parsed::Cluster(out)) => {
                // one INSERT of every cluster, one UPDATE of every keyword
                let mut fresh = Vec::with_capacity(out.clusters.len());
                let mut assignment: Vec<(Uuid, Uuid)> = vec![];
                for c in out.clusters {
                    let name: String = c.name.trim().chars().take(200).collect();
                    let cluster = igny8_db::clusters::new_row(
                        &sector,
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
                igny8_db::clusters::create_many(&mut tx, &fresh).await?;
                let placed =
                    igny8_db::keywords::assign_clusters(&mut tx, &sector, &assignment).await?;
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
                    let Some((task, _, _)) = items.iter().find(|(t, _, _)| t.id == task_id) else {
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
                    let Some((content, task, ctx, _)) =
                        items.iter().find(|(c, _, _, _)| c.id == content_id)
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
                    if !items.iter().any(|(i, _)| i.id == image_id) {
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
        match igny8_db::jobs::settle_success(&mut tx, &saving, run.token, settlement).await? {
            Some(done) => {
                tx.commit().await?;
                Ok((saving, done))
            }
            // fencing refused: another worker owns the job; roll everything back
            None => Err(RunError::LeaseLost),
        }
    }
}
