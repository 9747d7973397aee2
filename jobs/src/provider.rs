//! AI providers. The offline provider (the default) needs no key and no
//! network: it runs the algorithms of `igny8_core::ai`, deterministically,
//! after an optional simulated latency (`IGNY8_OFFLINE_LATENCY_MS`).

use futures::future::BoxFuture;
use igny8_core::ai::article::{ArticleContext, ArticleOut};
use igny8_core::ai::cluster::{ClusterOutput, ClusterParams, KeywordIn};
use igny8_core::ai::ideas::{IdeaContext, IdeasOutput};
use igny8_core::ai::prompts::{ImagePromptsOutput, PromptContext};
use std::time::Duration;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    /// Timeouts, 429, 5xx: worth retrying.
    #[error("{0}")]
    Transient(String),
    /// Refusals, 4xx, malformed output: not worth retrying.
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

/// What every provider can do, one method per AI function.
pub trait Provider: Send + Sync {
    /// The model name recorded in usage logs.
    fn model(&self) -> &str;
    fn cluster<'a>(&'a self, keywords: &'a [KeywordIn]) -> Call<'a, ClusterOutput>;
    fn ideas<'a>(&'a self, ctx: &'a IdeaContext) -> Call<'a, IdeasOutput>;
    fn article<'a>(&'a self, ctx: &'a ArticleContext) -> Call<'a, ArticleOut>;
    fn image_prompts<'a>(&'a self, ctx: &'a PromptContext) -> Call<'a, ImagePromptsOutput>;
    /// PNG bytes for a prompt.
    fn image<'a>(&'a self, prompt: &'a str, width: u32, height: u32) -> Call<'a, Vec<u8>>;
}

/// The built-in provider: real local work, no network, no key.
pub struct Offline {
    pub latency: Duration,
}

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

impl Provider for Offline {
    fn model(&self) -> &str {
        "offline-1"
    }

    fn cluster<'a>(&'a self, keywords: &'a [KeywordIn]) -> Call<'a, ClusterOutput> {
        let input = keywords.to_vec();
        Box::pin(self.run(move || {
            igny8_core::ai::cluster::cluster_keywords(&input, &ClusterParams::default())
        }))
    }

    fn ideas<'a>(&'a self, ctx: &'a IdeaContext) -> Call<'a, IdeasOutput> {
        let ctx = ctx.clone();
        Box::pin(self.run(move || igny8_core::ai::ideas::generate_ideas(&ctx)))
    }

    fn article<'a>(&'a self, ctx: &'a ArticleContext) -> Call<'a, ArticleOut> {
        let ctx = ctx.clone();
        Box::pin(self.run(move || igny8_core::ai::article::generate_article(&ctx)))
    }

    fn image_prompts<'a>(&'a self, ctx: &'a PromptContext) -> Call<'a, ImagePromptsOutput> {
        let ctx = ctx.clone();
        Box::pin(self.run(move || igny8_core::ai::prompts::generate_image_prompts(&ctx)))
    }

    fn image<'a>(&'a self, prompt: &'a str, width: u32, height: u32) -> Call<'a, Vec<u8>> {
        let prompt = prompt.to_owned();
        Box::pin(self.run(move || igny8_core::ai::image::render_png(&prompt, width, height)))
    }
}
