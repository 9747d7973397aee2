use super::query::{ensure_admin, providers, stored};
use super::types::{
    ImageGenerationTest, ImageProvider, IntegrationSettings, IntegrationTest, TextProvider,
};
use crate::config::Config;
use crate::error::gql;
use crate::graphql::jobs::types::AiFunction;
use crate::graphql::spine::caller;
use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result};
use base64::Engine;
use igny8_core::jobs as j;
use igny8_core::validate;
use igny8_jobs::integration_change::{IntegrationChange, UrlRules};
use igny8_jobs::provider::ProviderError;
use igny8_jobs::settings as s;
use std::sync::Arc;
use std::time::Instant;

#[derive(Default)]
pub struct IntegrationsMutation;

#[derive(InputObject)]
pub struct FunctionModelInput {
    pub function: AiFunction,
    /// `null` or empty: back to the server's default model.
    pub model: Option<String>,
}

/// Every field is optional: omitted fields stay, `null` goes back to the
/// server's default (or, for a key, removes the account's key).
#[derive(InputObject)]
pub struct UpdateIntegrationSettingsInput {
    pub text_provider: MaybeUndefined<TextProvider>,
    pub image_provider: MaybeUndefined<ImageProvider>,
    /// An OpenAI-compatible API, e.g. `https://api.openai.com/v1`. Needs
    /// the account's own key. Private, loopback and other internal addresses
    /// (a local Ollama, say) only where the operator allows them.
    pub openai_base_url: MaybeUndefined<String>,
    /// Stored encrypted; never returned.
    pub openai_api_key: MaybeUndefined<String>,
    /// Stored encrypted; never returned.
    pub runware_api_key: MaybeUndefined<String>,
    /// Model overrides per function; functions not named stay as they are.
    pub models: Option<Vec<FunctionModelInput>>,
}

#[derive(InputObject, Default)]
pub struct TestImageGenerationInput {
    /// Default: a small still life.
    pub prompt: Option<String>,
}

const TEST_PROMPT: &str =
    "A small still life of a teapot and two cups on a wooden table, soft daylight";
const TEST_SIDE: u32 = 512;

fn millis(since: Instant) -> i32 {
    i32::try_from(since.elapsed().as_millis()).unwrap_or(i32::MAX)
}

/// `MaybeUndefined` as a change: undefined leaves, `null` clears.
fn change<T, U>(v: MaybeUndefined<T>, f: impl FnOnce(T) -> U) -> Option<Option<U>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(f(v))),
    }
}

impl UpdateIntegrationSettingsInput {
    fn into_change(self) -> IntegrationChange {
        IntegrationChange {
            text_provider: change(self.text_provider, s::TextProvider::from),
            image_provider: change(self.image_provider, s::ImageProvider::from),
            openai_base_url: change(self.openai_base_url, |u| u),
            openai_api_key: change(self.openai_api_key, |k| k),
            runware_api_key: change(self.runware_api_key, |k| k),
            models: self
                .models
                .unwrap_or_default()
                .into_iter()
                .map(|m| (j::AiFunction::from(m.function), m.model))
                .collect(),
        }
    }
}

#[Object]
impl IntegrationsMutation {
    /// Changes the account's providers, models and keys (owner/admin).
    /// Refused when the result could not run: a provider without a key, or a
    /// base URL that is not an http(s) API address.
    async fn update_integration_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateIntegrationSettingsInput,
    ) -> Result<IntegrationSettings> {
        let c = caller(ctx).await?;
        let a = c.actor;
        ensure_admin(a)?;
        let config = ctx.data_unchecked::<Arc<Config>>();
        let p = providers(ctx);
        let urls = UrlRules {
            production: config.production,
            policy: &config.jobs.outbound,
        };
        let change = input.into_change();
        let (row, eff) = c
            .run_in_account(async |tx| {
                let row = igny8_db::integrations::get(tx, a.account_id).await?;
                let (row, eff) = p.apply_change(a, row, change, urls)?;
                Ok((igny8_db::integrations::put(tx, &row).await?, eff))
            })
            .await?;
        tracing::info!(
            account.id = %a.account_id,
            text = eff.text.as_str(),
            image = eff.image.as_str(),
            "integration settings changed"
        );
        Ok(IntegrationSettings {
            row: Some(row),
            effective: eff,
        })
    }

    /// Checks the text provider with a cheap authenticated call (listing
    /// models); costs no credits (owner/admin).
    async fn test_integration(&self, ctx: &Context<'_>) -> Result<IntegrationTest> {
        let c = caller(ctx).await?;
        let a = c.actor;
        ensure_admin(a)?;
        let p = providers(ctx);
        let row = stored(&c).await?;
        let eff = p.effective(row.as_ref());
        let started = Instant::now();
        if eff.text == s::TextProvider::Offline {
            return Ok(IntegrationTest {
                ok: true,
                provider: TextProvider::Offline,
                message: "the offline provider needs no key and no network".into(),
                models: vec![igny8_jobs::provider::OFFLINE_MODEL.into()],
                latency_ms: 0,
            });
        }
        let outcome = match p.openai_for_test(a.account_id, row.as_ref()) {
            Err(e) => Err(e),
            Ok(client) => client.list_models().await.map_err(|e| e.to_string()),
        };
        Ok(match outcome {
            Ok(models) => IntegrationTest {
                ok: true,
                provider: TextProvider::OpenAi,
                message: format!(
                    "{} answered: {} models available",
                    eff.openai_base_url,
                    models.len()
                ),
                models,
                latency_ms: millis(started),
            },
            Err(e) => IntegrationTest {
                ok: false,
                provider: TextProvider::OpenAi,
                message: e,
                models: vec![],
                latency_ms: millis(started),
            },
        })
    }

    /// Makes one small image with the account's image provider, without
    /// storing or charging it (owner/admin).
    async fn test_image_generation(
        &self,
        ctx: &Context<'_>,
        input: Option<TestImageGenerationInput>,
    ) -> Result<ImageGenerationTest> {
        let c = caller(ctx).await?;
        let a = c.actor;
        ensure_admin(a)?;
        let prompt = match input.and_then(|i| i.prompt) {
            Some(p) => validate::text("prompt", &p, 2_000).map_err(gql)?,
            None => String::new(),
        };
        let prompt = if prompt.is_empty() {
            TEST_PROMPT
        } else {
            &prompt
        };
        let p = providers(ctx);
        let row = stored(&c).await?;
        let eff = p.effective(row.as_ref());
        let model = eff.model(j::AiFunction::GenerateImages);
        let started = Instant::now();
        let failed = |message: String| ImageGenerationTest {
            ok: false,
            provider: eff.image.into(),
            model: model.clone(),
            message,
            content_type: None,
            bytes: 0,
            data_url: None,
            latency_ms: millis(started),
        };
        let resolved = match p.resolve(a.account_id, row.as_ref()) {
            Ok(r) => r,
            Err(e) => return Ok(failed(e)),
        };
        Ok(
            match resolved.image.image(prompt, TEST_SIDE, TEST_SIDE).await {
                Ok((bytes, _)) => {
                    let ct = igny8_jobs::media::content_type(&bytes);
                    ImageGenerationTest {
                        ok: true,
                        provider: eff.image.into(),
                        model: model.clone(),
                        message: format!("{} bytes of {ct}", bytes.len()),
                        content_type: Some(ct.into()),
                        bytes: i32::try_from(bytes.len()).unwrap_or(i32::MAX),
                        data_url: Some(format!(
                            "data:{ct};base64,{}",
                            base64::engine::general_purpose::STANDARD.encode(&bytes)
                        )),
                        latency_ms: millis(started),
                    }
                }
                Err(ProviderError::Permanent(m) | ProviderError::Transient(m)) => failed(m),
            },
        )
    }
}
