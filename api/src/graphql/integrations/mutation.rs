use super::query::{ensure_admin, providers};
use super::types::{
    ImageGenerationTest, ImageProvider, IntegrationSettings, IntegrationTest, TextProvider,
};
use crate::config::Config;
use crate::error::{ApiError, gql};
use crate::graphql::context::{actor, db};
use crate::graphql::jobs::types::AiFunction;
use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result};
use base64::Engine;
use chrono::Utc;
use igny8_core::jobs as j;
use igny8_core::validate;
use igny8_jobs::provider::ProviderError;
use igny8_jobs::secrets::hint;
use igny8_jobs::settings::{self as s, KeySource, OPENAI_KEY_FIELD, RUNWARE_KEY_FIELD};
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

const MODEL_MAX: usize = 200;
const TEST_PROMPT: &str =
    "A small still life of a teapot and two cups on a wooden table, soft daylight";
const TEST_SIDE: u32 = 512;

fn millis(since: Instant) -> i32 {
    i32::try_from(since.elapsed().as_millis()).unwrap_or(i32::MAX)
}

/// A key as the input changes it: `None` leaves it, `Some(None)` removes
/// it, else the new key sealed for the account and its hint.
#[allow(clippy::type_complexity)]
fn key_change(
    p: &igny8_jobs::settings::Providers,
    a: &igny8_core::Actor,
    input_field: &'static str,
    column: &str,
    v: &MaybeUndefined<String>,
) -> Result<Option<Option<(Vec<u8>, String)>>> {
    Ok(match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(k) => {
            let k = validate::api_key(input_field, k).map_err(gql)?;
            Some(Some((p.secrets.seal(a.account_id, column, &k), hint(&k))))
        }
    })
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
        let a = actor(ctx).await?;
        ensure_admin(a)?;
        let config = ctx.data_unchecked::<Arc<Config>>();
        let p = providers(ctx);
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let mut row = igny8_db::integrations::get(&mut tx, a.account_id)
            .await
            .map_err(gql)?
            .unwrap_or_else(|| igny8_db::models::IntegrationSettings {
                account_id: a.account_id,
                text_provider: None,
                image_provider: None,
                openai_base_url: None,
                openai_api_key: None,
                openai_key_hint: None,
                runware_api_key: None,
                runware_key_hint: None,
                models: serde_json::json!({}),
                updated_by: None,
                updated_at: Utc::now(),
            });
        match input.text_provider {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.text_provider = None,
            MaybeUndefined::Value(v) => {
                row.text_provider = Some(s::TextProvider::from(v).as_str().into());
            }
        }
        match input.image_provider {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.image_provider = None,
            MaybeUndefined::Value(v) => {
                row.image_provider = Some(s::ImageProvider::from(v).as_str().into());
            }
        }
        match &input.openai_base_url {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.openai_base_url = None,
            MaybeUndefined::Value(u) => {
                let u = s::check_base_url(u, config.production, &config.jobs.outbound).map_err(
                    |e| ApiError::bad_input("openaiBaseUrl", format!("openaiBaseUrl: {e}")),
                )?;
                row.openai_base_url = Some(u);
            }
        }
        if let Some(k) = key_change(
            p,
            a,
            "openaiApiKey",
            OPENAI_KEY_FIELD,
            &input.openai_api_key,
        )? {
            (row.openai_api_key, row.openai_key_hint) = k.unzip();
        }
        if let Some(k) = key_change(
            p,
            a,
            "runwareApiKey",
            RUNWARE_KEY_FIELD,
            &input.runware_api_key,
        )? {
            (row.runware_api_key, row.runware_key_hint) = k.unzip();
        }
        if let Some(models) = &input.models {
            let mut map = row.models.as_object().cloned().unwrap_or_default();
            for m in models {
                let f = j::AiFunction::from(m.function);
                match m.model.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
                    None => {
                        map.remove(f.as_str());
                    }
                    Some(name) => {
                        let name = validate::label("models", name, MODEL_MAX).map_err(gql)?;
                        map.insert(f.as_str().into(), name.into());
                    }
                }
            }
            row.models = serde_json::Value::Object(map);
        }
        // refuse what could not run, before anything is stored
        let eff = p.effective(Some(&row));
        let needs_openai =
            eff.text == s::TextProvider::OpenAi || eff.image == s::ImageProvider::OpenAi;
        if needs_openai && eff.openai_key == KeySource::None {
            let why = if row.openai_base_url.is_some() {
                "openaiApiKey: an account base URL needs the account's own OpenAI key"
            } else {
                "openaiApiKey: OpenAI is chosen but no OpenAI key is configured"
            };
            return Err(ApiError::bad_input("openaiApiKey", why).into());
        }
        if eff.image == s::ImageProvider::Runware && eff.runware_key == KeySource::None {
            return Err(ApiError::bad_input(
                "runwareApiKey",
                "runwareApiKey: Runware is chosen but no Runware key is configured",
            )
            .into());
        }
        row.updated_by = Some(a.user_id);
        row.updated_at = Utc::now();
        let row = igny8_db::integrations::put(&mut tx, &row)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
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
        let a = actor(ctx).await?;
        ensure_admin(a)?;
        let p = providers(ctx);
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let row = igny8_db::integrations::get(&mut tx, a.account_id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
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
        let a = actor(ctx).await?;
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
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let row = igny8_db::integrations::get(&mut tx, a.account_id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
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
