//! `generate_images`: renders up to 6 images from their prompts and stores
//! them in the media store during AI_CALL (the raw output keeps their keys).

use super::{
    CallCtx, Called, Calls, Items, Kind, Prep, Refusal, RunError, Saved, one_writable_site,
    per_item, provider_error,
};
use crate::provider::{ProviderError, Usage};
use igny8_core::Actor;
use igny8_core::jobs::{GenerateImagesInput, ItemOutcome, JobKind};
use igny8_db::Tx;
use igny8_db::models::Image;
use serde_json::{Value, json};
use uuid::Uuid;

/// Width and height of generated images.
pub const IMAGE_SIZE: (u32, u32) = (1024, 768);

pub struct GenerateImages;

pub struct Prepared {
    items: Vec<(Image, String)>,
}

impl Kind for GenerateImages {
    type Input = GenerateImagesInput;
    type Prepared = Prepared;
    type Parsed = Items<String>;
    const KIND: JobKind = JobKind::GenerateImages;
    const CALLS: Calls = Calls::PerItem {
        noun: "images rendered",
    };

    async fn admit(
        tx: &mut Tx,
        actor: &Actor,
        input: &mut GenerateImagesInput,
    ) -> Result<Uuid, Refusal> {
        let ids = &input.image_ids;
        let rows = igny8_db::images::by_ids(tx, &actor.scope(), ids).await?;
        let site = one_writable_site(actor, &rows, ids.len(), |i| i.site_id, "image", "imageIds")?;
        if let Some(img) = rows.iter().find(|i| i.prompt.trim().is_empty()) {
            return Err(Refusal::BadInput(
                "imageIds",
                format!("imageIds: image {} has no prompt", img.id),
            ));
        }
        Ok(site)
    }

    async fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &GenerateImagesInput,
    ) -> Result<Prepared, RunError> {
        let sc = prep.scope.clone();
        let mut items = vec![];
        for img in igny8_db::images::by_ids(tx, &sc, &input.image_ids).await? {
            let own = json!({"prompt": img.prompt, "image_type": img.image_type});
            let prompt = prep
                .prompts
                .render(tx, &sc, img.site_id, img.sector_id, own)
                .await?;
            items.push((img, prompt));
        }
        Ok(Prepared { items })
    }

    fn items(p: &Prepared) -> i32 {
        p.items.len() as i32
    }

    async fn call(p: &Prepared, i: usize, ctx: &CallCtx<'_>) -> Result<Called, RunError> {
        let (img, prompt) = &p.items[i];
        let (w, h) = IMAGE_SIZE;
        let (bytes, usage) = match ctx.ai.image.image(prompt, w, h).await {
            Ok(out) => out,
            Err(ProviderError::Permanent(m)) => {
                return Ok(Called {
                    entry: json!({"id": img.id, "error": m}),
                    usage: Usage::default(),
                });
            }
            Err(e) => return Err(provider_error(e)),
        };
        // the bytes go to the media store now; the raw output keeps the key
        let key = format!("{}/{}.png", img.account_id, img.id);
        ctx.media
            .put(&key, bytes)
            .await
            .map_err(|e| RunError::Transient(format!("storing the image: {e}")))?;
        Ok(Called {
            entry: json!({"id": img.id, "output": key}),
            usage,
        })
    }

    fn parse(_: &Prepared, raw: &Value) -> Result<Items<String>, RunError> {
        per_item(raw)
    }

    async fn save(tx: &mut Tx, p: Prepared, out: Items<String>) -> Result<Saved, RunError> {
        let mut created = vec![];
        let mut outcomes = vec![];
        for (image_id, r) in out {
            if !p.items.iter().any(|(i, _)| i.id == image_id) {
                continue;
            }
            match r {
                Ok(key) => {
                    igny8_db::images::set_generated(tx, image_id, Some(&key)).await?;
                    created.push(image_id);
                    outcomes.push(ItemOutcome::succeeded(image_id));
                }
                Err(e) => {
                    igny8_db::images::set_generated(tx, image_id, None).await?;
                    outcomes.push(ItemOutcome::failed(image_id, e));
                }
            }
        }
        Ok(Saved {
            succeeded: created.len() as i64,
            related: "image",
            summary: format!("{} of {} images generated", created.len(), p.items.len()),
            created,
            outcomes,
        })
    }
}
