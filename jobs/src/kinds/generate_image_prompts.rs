//! `generate_image_prompts`: a featured and 1–6 in-article image prompts
//! per article.

use super::{
    CallCtx, Called, Calls, Items, Kind, Prep, Refusal, RunError, Saved, one_writable_site,
    per_item,
};
use igny8_core::Actor;
use igny8_core::ai::prompts::{ImagePromptsOutput, PromptContext};
use igny8_core::jobs::{GenerateImagePromptsInput, ItemOutcome, JobKind};
use igny8_db::Tx;
use igny8_db::models::{Content, Task};
use serde_json::{Value, json};
use uuid::Uuid;

pub struct GenerateImagePrompts;

pub struct Prepared {
    items: Vec<(Content, Task, PromptContext, String)>,
}

impl Kind for GenerateImagePrompts {
    type Input = GenerateImagePromptsInput;
    type Prepared = Prepared;
    type Parsed = Items<ImagePromptsOutput>;
    const KIND: JobKind = JobKind::GenerateImagePrompts;
    const CALLS: Calls = Calls::PerItem {
        noun: "prompt sets written",
    };

    async fn admit(
        tx: &mut Tx,
        actor: &Actor,
        input: &mut GenerateImagePromptsInput,
    ) -> Result<Uuid, Refusal> {
        let ids = &input.content_ids;
        let rows = igny8_db::contents::by_ids(tx, &actor.scope(), ids).await?;
        one_writable_site(
            actor,
            &rows,
            ids.len(),
            |c| c.site_id,
            "content",
            "contentIds",
        )
    }

    async fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &GenerateImagePromptsInput,
    ) -> Result<Prepared, RunError> {
        let sc = prep.scope.clone();
        let max = input.max_in_article.clamp(1, 6) as usize;
        let contents = igny8_db::contents::by_ids(tx, &sc, &input.content_ids).await?;
        let mut items = vec![];
        for c in contents {
            let t = igny8_db::tasks::get(tx, &sc, c.task_id).await?;
            let ctx = PromptContext {
                title: c.meta_title.clone().unwrap_or_else(|| t.title.clone()),
                html: c.html.clone(),
                primary_keyword: c.primary_keyword.clone().unwrap_or_else(|| t.title.clone()),
                max_in_article: max,
            };
            let own = json!({
                "content": {"title": ctx.title, "primary_keyword": ctx.primary_keyword, "html": ctx.html},
                "max_in_article": max,
            });
            let prompt = prep
                .prompts
                .render(tx, &sc, c.site_id, c.sector_id, own)
                .await?;
            items.push((c, t, ctx, prompt));
        }
        Ok(Prepared { items })
    }

    fn items(p: &Prepared) -> i32 {
        p.items.len() as i32
    }

    async fn call(p: &Prepared, i: usize, ctx: &CallCtx<'_>) -> Result<Called, RunError> {
        let (content, _, pc, prompt) = &p.items[i];
        Called::item(content.id, ctx.ai.text.image_prompts(pc, prompt).await)
    }

    fn parse(_: &Prepared, raw: &Value) -> Result<Items<ImagePromptsOutput>, RunError> {
        per_item(raw)
    }

    async fn save(
        tx: &mut Tx,
        p: Prepared,
        out: Items<ImagePromptsOutput>,
    ) -> Result<Saved, RunError> {
        let mut created = vec![];
        let mut outcomes = vec![];
        let mut sets = 0;
        for (content_id, r) in out {
            let Some((content, task, ctx, _)) =
                p.items.iter().find(|(c, _, _, _)| c.id == content_id)
            else {
                continue;
            };
            match r {
                Ok(prompts) => {
                    let in_article: Vec<String> = prompts
                        .in_article
                        .into_iter()
                        .take(ctx.max_in_article)
                        .collect();
                    let imgs = igny8_db::images::replace_prompts(
                        tx,
                        task,
                        content.id,
                        &prompts.featured,
                        &in_article,
                    )
                    .await?;
                    created.extend(imgs.iter().map(|i| i.id));
                    sets += 1;
                    outcomes.push(ItemOutcome::succeeded(content_id));
                }
                Err(e) => outcomes.push(ItemOutcome::failed(content_id, e)),
            }
        }
        Ok(Saved {
            succeeded: sets,
            related: "image",
            summary: format!("{} image prompts for {sets} articles", created.len()),
            created,
            outcomes,
        })
    }
}
