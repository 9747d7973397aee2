//! AI providers (DESIGN §6): a [`TextModel`] answers the four text
//! functions with structured output, an [`ImageModel`] turns a prompt into
//! PNG bytes. Each call gets the prompt rendered from the function's
//! template (default or account override), and the structured input it was
//! rendered from, which the offline provider works on.
//!
//! The offline provider (the default) needs no key and no network: it runs
//! the algorithms of `igny8_core::ai`, deterministically, after an optional
//! simulated latency (`IGNY8_OFFLINE_LATENCY_MS`). It cannot read a prompt,
//! but it honours the author profile's tone and language, which reach it in
//! the contexts.

use futures::future::BoxFuture;
use igny8_core::ai::article::{ArticleContext, ArticleOut};
use igny8_core::ai::cluster::{ClusterOutput, ClusterParams, KeywordIn};
use igny8_core::ai::ideas::{IdeaContext, IdeasOutput};
use igny8_core::ai::prompts::{ImagePromptsOutput, PromptContext};
use std::time::Duration;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    /// Infrastructure trouble worth retrying the job for later.
    #[error("{0}")]
    Transient(String),
    /// Refusals, 4xx, malformed output, retries exhausted: the item fails.
    #[error("{0}")]
    Permanent(String),
}

/// Token usage and cost of one call.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    pub tokens_in: i32,
    pub tokens_out: i32,
    pub cost_micro_usd: i64,
}

pub type Call<'a, T> = BoxFuture<'a, Result<(T, Usage), ProviderError>>;

/// The four text functions. `prompt` is the rendered template.
pub trait TextModel: Send + Sync {
    fn cluster<'a>(&'a self, keywords: &'a [KeywordIn], prompt: &'a str)
    -> Call<'a, ClusterOutput>;
    fn ideas<'a>(&'a self, ctx: &'a IdeaContext, prompt: &'a str) -> Call<'a, IdeasOutput>;
    fn article<'a>(&'a self, ctx: &'a ArticleContext, prompt: &'a str) -> Call<'a, ArticleOut>;
    fn image_prompts<'a>(
        &'a self,
        ctx: &'a PromptContext,
        prompt: &'a str,
    ) -> Call<'a, ImagePromptsOutput>;
}

/// Images: PNG (or whatever the model returns) bytes for a prompt.
pub trait ImageModel: Send + Sync {
    fn image<'a>(&'a self, prompt: &'a str, width: u32, height: u32) -> Call<'a, Vec<u8>>;
}

/// The built-in provider: real local work, no network, no key.
pub struct Offline {
    pub latency: Duration,
}

/// The model name usage logs record for offline work.
pub const OFFLINE_MODEL: &str = "offline-1";

impl Offline {
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<(T, Usage), ProviderError> {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let out = tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| ProviderError::Transient(format!("offline provider crashed: {e}")))?;
        Ok((out, Usage::default()))
    }
}

impl TextModel for Offline {
    fn cluster<'a>(&'a self, keywords: &'a [KeywordIn], _: &'a str) -> Call<'a, ClusterOutput> {
        let input = keywords.to_vec();
        Box::pin(self.run(move || {
            igny8_core::ai::cluster::cluster_keywords(&input, &ClusterParams::default())
        }))
    }

    fn ideas<'a>(&'a self, ctx: &'a IdeaContext, _: &'a str) -> Call<'a, IdeasOutput> {
        let ctx = ctx.clone();
        Box::pin(self.run(move || igny8_core::ai::ideas::generate_ideas(&ctx)))
    }

    fn article<'a>(&'a self, ctx: &'a ArticleContext, _: &'a str) -> Call<'a, ArticleOut> {
        let ctx = ctx.clone();
        Box::pin(self.run(move || igny8_core::ai::article::generate_article(&ctx)))
    }

    fn image_prompts<'a>(
        &'a self,
        ctx: &'a PromptContext,
        _: &'a str,
    ) -> Call<'a, ImagePromptsOutput> {
        let ctx = ctx.clone();
        Box::pin(self.run(move || igny8_core::ai::prompts::generate_image_prompts(&ctx)))
    }
}

impl ImageModel for Offline {
    fn image<'a>(&'a self, prompt: &'a str, width: u32, height: u32) -> Call<'a, Vec<u8>> {
        let prompt = prompt.to_owned();
        Box::pin(self.run(move || igny8_core::ai::image::render_png(&prompt, width, height)))
    }
}
