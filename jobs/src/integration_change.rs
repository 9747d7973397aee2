//! A change to an account's integration settings (providers, base URL,
//! keys, models), applied to its stored row with the rules a change must
//! keep: keys sealed for the account, URLs through the outbound policy,
//! model names bounded, and nothing stored that could not run (a provider
//! without a key).

use crate::outbound::Policy;
use crate::secrets::hint;
use crate::settings::{
    Effective, ImageProvider, KeySource, OPENAI_KEY_FIELD, Providers, RUNWARE_KEY_FIELD,
    TextProvider, check_base_url,
};
use igny8_core::jobs::AiFunction;
use igny8_core::{Actor, ValidationError, validate};
use igny8_db::models::IntegrationSettings;

/// Longest model name an account may choose.
pub const MODEL_MAX: usize = 200;

/// Each field: `None` leaves it, `Some(None)` goes back to the server's
/// default (a key: removes the account's), `Some(Some(v))` sets it. Field
/// names in refusals are the GraphQL input's.
#[derive(Default)]
pub struct IntegrationChange {
    pub text_provider: Option<Option<TextProvider>>,
    pub image_provider: Option<Option<ImageProvider>>,
    pub openai_base_url: Option<Option<String>>,
    pub openai_api_key: Option<Option<String>>,
    pub runware_api_key: Option<Option<String>>,
    /// Model overrides; `None` or blank goes back to the default.
    pub models: Vec<(AiFunction, Option<String>)>,
}

/// Where base URLs may point: the deployment's rules.
pub struct UrlRules<'a> {
    pub production: bool,
    pub policy: &'a Policy,
}

impl Providers {
    /// `row` (the account's stored settings, if any) with `change` applied
    /// by `actor`, and what the account would then use; refused, before
    /// anything is stored, when a value is malformed or the result could
    /// not run.
    pub fn apply_change(
        &self,
        actor: &Actor,
        row: Option<IntegrationSettings>,
        change: IntegrationChange,
        urls: UrlRules<'_>,
    ) -> Result<(IntegrationSettings, Effective), ValidationError> {
        let mut row = row.unwrap_or_else(|| empty(actor));
        if let Some(p) = change.text_provider {
            row.text_provider = p.map(|p| p.as_str().into());
        }
        if let Some(p) = change.image_provider {
            row.image_provider = p.map(|p| p.as_str().into());
        }
        if let Some(u) = change.openai_base_url {
            row.openai_base_url = u
                .map(|u| {
                    check_base_url(&u, urls.production, urls.policy)
                        .map_err(|e| ValidationError::new("openaiBaseUrl", e))
                })
                .transpose()?;
        }
        let seal = |field, column, k: Option<String>| {
            k.map(|k| {
                let k = validate::api_key(field, &k)?;
                Ok((self.secrets.seal(actor.account_id, column, &k), hint(&k)))
            })
            .transpose()
        };
        if let Some(k) = change.openai_api_key {
            (row.openai_api_key, row.openai_key_hint) =
                seal("openaiApiKey", OPENAI_KEY_FIELD, k)?.unzip();
        }
        if let Some(k) = change.runware_api_key {
            (row.runware_api_key, row.runware_key_hint) =
                seal("runwareApiKey", RUNWARE_KEY_FIELD, k)?.unzip();
        }
        if !change.models.is_empty() {
            let mut map = row.models.as_object().cloned().unwrap_or_default();
            for (f, model) in change.models {
                match model.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
                    None => {
                        map.remove(f.as_str());
                    }
                    Some(name) => {
                        let name = validate::label("models", name, MODEL_MAX)?;
                        map.insert(f.as_str().into(), name.into());
                    }
                }
            }
            row.models = serde_json::Value::Object(map);
        }
        let eff = self.effective(Some(&row));
        let needs_openai = eff.text == TextProvider::OpenAi || eff.image == ImageProvider::OpenAi;
        if needs_openai && eff.openai_key == KeySource::None {
            let why = if row.openai_base_url.is_some() {
                "an account base URL needs the account's own OpenAI key"
            } else {
                "OpenAI is chosen but no OpenAI key is configured"
            };
            return Err(ValidationError::new("openaiApiKey", why));
        }
        if eff.image == ImageProvider::Runware && eff.runware_key == KeySource::None {
            return Err(ValidationError::new(
                "runwareApiKey",
                "Runware is chosen but no Runware key is configured",
            ));
        }
        row.updated_by = Some(actor.user_id);
        row.updated_at = chrono::Utc::now();
        Ok((row, eff))
    }
}

/// An account's settings before its first change: the server's defaults.
fn empty(actor: &Actor) -> IntegrationSettings {
    IntegrationSettings {
        account_id: actor.account_id,
        text_provider: None,
        image_provider: None,
        openai_base_url: None,
        openai_api_key: None,
        openai_key_hint: None,
        runware_api_key: None,
        runware_key_hint: None,
        models: serde_json::json!({}),
        updated_by: None,
        updated_at: chrono::Utc::now(),
    }
}
