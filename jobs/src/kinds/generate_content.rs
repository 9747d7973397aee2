//! `generate_content`: writes the article of each of up to 50 tasks.

use super::{
    CallCtx, Called, Calls, Items, Kind, Prep, Refusal, RunError, Saved, one_writable_site,
    per_item,
};
use igny8_core::Actor;
use igny8_core::ai::article::{ArticleContext, ArticleOut};
use igny8_core::jobs::{GenerateContentInput, ItemOutcome, JobKind};
use igny8_core::outline::Outline;
use igny8_core::planner::ContentStructure;
use igny8_db::Tx;
use igny8_db::models::Task;
use serde_json::{Value, json};
use uuid::Uuid;

pub struct GenerateContent;

pub struct Prepared {
    items: Vec<(Task, ArticleContext, String)>,
}

impl Kind for GenerateContent {
    type Input = GenerateContentInput;
    type Prepared = Prepared;
    type Parsed = Items<ArticleOut>;
    const KIND: JobKind = JobKind::GenerateContent;
    const CALLS: Calls = Calls::PerItem {
        noun: "articles written",
    };

    async fn admit(
        tx: &mut Tx,
        actor: &Actor,
        input: &mut GenerateContentInput,
    ) -> Result<Uuid, Refusal> {
        let ids = &input.task_ids;
        let rows = igny8_db::tasks::by_ids(tx, &actor.scope(), ids).await?;
        one_writable_site(actor, &rows, ids.len(), |t| t.site_id, "task", "taskIds")
    }

    async fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &GenerateContentInput,
    ) -> Result<Prepared, RunError> {
        let sc = prep.scope.clone();
        let tasks = igny8_db::tasks::by_ids(tx, &sc, &input.task_ids).await?;
        let mut items = vec![];
        for t in tasks {
            let idea = match t.idea_id {
                Some(i) => igny8_db::ideas::by_ids(tx, &sc, &[i])
                    .await?
                    .into_iter()
                    .next(),
                None => None,
            };
            let sector = prep.prompts.sector(tx, &sc, t.sector_id).await?;
            let site = prep.prompts.site(tx, &sc, t.site_id).await?;
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
                estimated_word_count: idea.as_ref().map_or(1200, |i| i.estimated_word_count),
                sector: sector.name,
                site: site.name,
                tone: prep.prompts.tone(),
                language: prep.prompts.language(),
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
            let prompt = prep
                .prompts
                .render(tx, &sc, t.site_id, t.sector_id, own)
                .await?;
            items.push((t, ctx, prompt));
        }
        Ok(Prepared { items })
    }

    fn items(p: &Prepared) -> i32 {
        p.items.len() as i32
    }

    async fn call(p: &Prepared, i: usize, ctx: &CallCtx<'_>) -> Result<Called, RunError> {
        let (task, article, prompt) = &p.items[i];
        Called::item(task.id, ctx.ai.text.article(article, prompt).await)
    }

    fn parse(_: &Prepared, raw: &Value) -> Result<Items<ArticleOut>, RunError> {
        per_item(raw)
    }

    async fn save(tx: &mut Tx, p: Prepared, out: Items<ArticleOut>) -> Result<Saved, RunError> {
        let mut created = vec![];
        let mut outcomes = vec![];
        for (task_id, r) in out {
            let Some((task, _, _)) = p.items.iter().find(|(t, _, _)| t.id == task_id) else {
                continue;
            };
            match r {
                Ok(a) => {
                    let html = igny8_core::html::sanitize_html(&a.html);
                    let words = igny8_core::html::word_count(&html);
                    let c = igny8_db::contents::upsert_for_task(
                        tx,
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
                    igny8_db::tasks::set_one_status(tx, task.id, "review").await?;
                    created.push(c.id);
                    outcomes.push(ItemOutcome::succeeded(task_id));
                }
                Err(e) => outcomes.push(ItemOutcome::failed(task_id, e)),
            }
        }
        Ok(Saved {
            succeeded: created.len() as i64,
            related: "content",
            summary: format!("{} of {} articles written", created.len(), p.items.len()),
            created,
            outcomes,
        })
    }
}
