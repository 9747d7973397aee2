//! Which provider and model serve an account (JOB-9): the server's defaults
//! (`IGNY8_AI_PROVIDER`, `OPENAI_*`, `RUNWARE_*`), overridden per account by
//! its integration settings, whose keys are decrypted here and only here.
//!
//! A server key is only ever sent to the server's own base URL: an account
//! that points the OpenAI provider elsewhere must bring its own key.
//!
//! The operator's endpoints (`OPENAI_BASE_URL`, `RUNWARE_BASE_URL`, used with
//! the server's keys) are trusted and may be internal; everything an account
//! chooses — its base URL, the public defaults it reaches with its own key —
//! and every image URL a provider answers with goes through the outbound
//! policy ([`crate::outbound`]).

use crate::openai::{Models, OpenAi, RetryPolicy};
use crate::outbound::{Outbound, Policy};
use crate::provider::{ImageModel, OFFLINE_MODEL, Offline, TextModel};
use crate::runware::{self, Runware};
use crate::secrets::SecretBox;
use igny8_core::jobs::AiFunction;
use igny8_db::models::IntegrationSettings;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

pub const OPENAI_DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// Where an account's text functions run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProvider {
    Offline,
    OpenAi,
}

/// Where an account's images are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageProvider {
    Offline,
    OpenAi,
    Runware,
}

impl TextProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            TextProvider::Offline => "offline",
            TextProvider::OpenAi => "openai",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "offline" => Some(TextProvider::Offline),
            "openai" => Some(TextProvider::OpenAi),
            _ => None,
        }
    }
}

impl ImageProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            ImageProvider::Offline => "offline",
            ImageProvider::OpenAi => "openai",
            ImageProvider::Runware => "runware",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "offline" => Some(ImageProvider::Offline),
            "openai" => Some(ImageProvider::OpenAi),
            "runware" => Some(ImageProvider::Runware),
            _ => None,
        }
    }
}

/// A base URL and a key. `Debug` never prints the key.
#[derive(Clone, PartialEq)]
pub struct Credentials {
    pub base_url: String,
    pub api_key: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials {{ base_url: {:?}, api_key: *** }}",
            self.base_url
        )
    }
}

/// The server's defaults, from the environment.
#[derive(Debug, Clone)]
pub struct AiSettings {
    pub text: TextProvider,
    pub image: ImageProvider,
    pub openai: Option<Credentials>,
    pub runware: Option<Credentials>,
    /// OpenAI models per function.
    pub models: Models,
    pub runware_model: String,
    pub retry: RetryPolicy,
    pub offline_latency: Duration,
}

impl Default for AiSettings {
    fn default() -> Self {
        AiSettings {
            text: TextProvider::Offline,
            image: ImageProvider::Offline,
            openai: None,
            runware: None,
            models: Models::default(),
            runware_model: runware::DEFAULT_MODEL.into(),
            retry: RetryPolicy::default(),
            offline_latency: Duration::ZERO,
        }
    }
}

/// Where a key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    None,
    Server,
    Account,
}

/// An account's effective choices, before any key is decrypted.
#[derive(Debug, Clone)]
pub struct Effective {
    pub text: TextProvider,
    pub image: ImageProvider,
    pub openai_key: KeySource,
    pub runware_key: KeySource,
    pub openai_base_url: String,
    /// The model that serves each function.
    pub models: Vec<(AiFunction, String)>,
}

/// The models an account serves each function with.
pub struct Resolved {
    pub text: Arc<dyn TextModel>,
    pub image: Arc<dyn ImageModel>,
    pub effective: Effective,
}

impl Effective {
    /// The model that serves `f`.
    pub fn model(&self, f: AiFunction) -> String {
        self.models
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| OFFLINE_MODEL.into())
    }
}

impl Resolved {
    /// The model usage logs record for `f`.
    pub fn model(&self, f: AiFunction) -> String {
        self.effective.model(f)
    }
}

/// The account field a sealed key is bound to (part of its AAD).
pub const OPENAI_KEY_FIELD: &str = "integration_settings.openai_api_key";
pub const RUNWARE_KEY_FIELD: &str = "integration_settings.runware_api_key";

/// Builds providers for accounts; one per worker and one per API instance.
pub struct Providers {
    pub server: AiSettings,
    pub secrets: SecretBox,
    /// The operator's own endpoints, with the server's keys.
    trusted: Outbound,
    /// Everything an account chose, and image URLs in answers.
    policed: Outbound,
    /// Minutes between two periodic syncs of a connected WordPress site
    /// (`IGNY8_WORDPRESS_SYNC_MINUTES`, default 15; 0: none).
    pub wordpress_sync_minutes: i64,
}

impl Providers {
    pub fn new(server: AiSettings, secrets: SecretBox, outbound: Policy) -> Self {
        let timeout = server.retry.timeout;
        // building fails only if TLS cannot initialise at all: nothing could run
        let trusted = Outbound::trusted()
            .timeout(timeout)
            .build()
            .expect("the outbound HTTP client builds");
        let policed = Outbound::builder(outbound)
            .timeout(timeout)
            .build()
            .expect("the outbound HTTP client builds");
        Providers {
            server,
            secrets,
            trusted,
            policed,
            wordpress_sync_minutes: 15,
        }
    }

    /// The client for `source`'s key: the operator's endpoint is trusted.
    fn client_for(&self, source: KeySource) -> Outbound {
        match source {
            KeySource::Server => self.trusted.clone(),
            KeySource::Account | KeySource::None => self.policed.clone(),
        }
    }

    /// The client for tenant-supplied URLs (publishing reuses it).
    pub fn outbound(&self) -> &Outbound {
        &self.policed
    }

    /// What an account would use, and where its keys would come from.
    pub fn effective(&self, acc: Option<&IntegrationSettings>) -> Effective {
        let text = acc
            .and_then(|a| a.text_provider.as_deref())
            .and_then(TextProvider::parse)
            .unwrap_or(self.server.text);
        let image = acc
            .and_then(|a| a.image_provider.as_deref())
            .and_then(ImageProvider::parse)
            .unwrap_or(self.server.image);
        let own_openai = acc.is_some_and(|a| a.openai_api_key.is_some());
        let own_base = acc.and_then(|a| a.openai_base_url.clone());
        let openai_key = if own_openai {
            KeySource::Account
        } else if self.server.openai.is_some() && own_base.is_none() {
            KeySource::Server
        } else {
            KeySource::None
        };
        let openai_base_url = match openai_key {
            KeySource::Server => self
                .server
                .openai
                .as_ref()
                .map(|c| c.base_url.clone())
                .unwrap_or_default(),
            _ => own_base.unwrap_or_else(|| OPENAI_DEFAULT_BASE_URL.into()),
        };
        let runware_key = if acc.is_some_and(|a| a.runware_api_key.is_some()) {
            KeySource::Account
        } else if self.server.runware.is_some() {
            KeySource::Server
        } else {
            KeySource::None
        };
        let overrides = acc.map(|a| &a.models);
        let models = AiFunction::ALL
            .into_iter()
            .map(|f| {
                let own = overrides
                    .and_then(|m| m.get(f.as_str()))
                    .and_then(|m| m.as_str())
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned);
                let model = if f == AiFunction::GenerateImages {
                    match image {
                        ImageProvider::Offline => OFFLINE_MODEL.into(),
                        ImageProvider::OpenAi => {
                            own.unwrap_or_else(|| self.server.models.get(f).into())
                        }
                        ImageProvider::Runware => {
                            own.unwrap_or_else(|| self.server.runware_model.clone())
                        }
                    }
                } else {
                    match text {
                        TextProvider::Offline => OFFLINE_MODEL.into(),
                        TextProvider::OpenAi => {
                            own.unwrap_or_else(|| self.server.models.get(f).into())
                        }
                    }
                };
                (f, model)
            })
            .collect();
        Effective {
            text,
            image,
            openai_key,
            runware_key,
            openai_base_url,
            models,
        }
    }

    fn key(
        &self,
        account_id: Uuid,
        field: &str,
        sealed: Option<&Vec<u8>>,
        source: KeySource,
        server: Option<&Credentials>,
    ) -> Result<String, String> {
        match source {
            KeySource::Account => self
                .secrets
                .open(
                    account_id,
                    field,
                    sealed.map(Vec::as_slice).unwrap_or_default(),
                )
                .map_err(|e| e.to_string()),
            KeySource::Server => Ok(server.map(|c| c.api_key.clone()).unwrap_or_default()),
            KeySource::None => Err("no API key is configured for it".into()),
        }
    }

    /// The providers that serve `account_id`. An error is a configuration
    /// problem the account must fix: retrying will not help.
    pub fn resolve(
        &self,
        account_id: Uuid,
        acc: Option<&IntegrationSettings>,
    ) -> Result<Resolved, String> {
        let eff = self.effective(acc);
        let offline = Arc::new(Offline {
            latency: self.server.offline_latency,
        });
        let mut models = self.server.models.clone();
        for (f, m) in &eff.models {
            models.set(*f, m.clone());
        }
        let openai = |what: &str| -> Result<Arc<OpenAi>, String> {
            let key = self
                .key(
                    account_id,
                    OPENAI_KEY_FIELD,
                    acc.and_then(|a| a.openai_api_key.as_ref()),
                    eff.openai_key,
                    self.server.openai.as_ref(),
                )
                .map_err(|e| format!("{what} uses OpenAI, but {e}"))?;
            Ok(Arc::new(OpenAi::with_clients(
                self.client_for(eff.openai_key),
                self.policed.clone(),
                &eff.openai_base_url,
                &key,
                models.clone(),
                self.server.retry.clone(),
            )))
        };
        let text: Arc<dyn TextModel> = match eff.text {
            TextProvider::Offline => offline.clone(),
            TextProvider::OpenAi => openai("text generation")?,
        };
        let image: Arc<dyn ImageModel> = match eff.image {
            ImageProvider::Offline => offline,
            ImageProvider::OpenAi => openai("image generation")?,
            ImageProvider::Runware => {
                let key = self
                    .key(
                        account_id,
                        RUNWARE_KEY_FIELD,
                        acc.and_then(|a| a.runware_api_key.as_ref()),
                        eff.runware_key,
                        self.server.runware.as_ref(),
                    )
                    .map_err(|e| format!("image generation uses Runware, but {e}"))?;
                let base = match eff.runware_key {
                    KeySource::Server => self
                        .server
                        .runware
                        .as_ref()
                        .map(|c| c.base_url.clone())
                        .unwrap_or_else(|| runware::DEFAULT_BASE_URL.into()),
                    _ => runware::DEFAULT_BASE_URL.into(),
                };
                Arc::new(Runware::new(
                    self.client_for(eff.runware_key),
                    self.policed.clone(),
                    &base,
                    &key,
                    models.get(AiFunction::GenerateImages),
                    self.server.retry.clone(),
                ))
            }
        };
        Ok(Resolved {
            text,
            image,
            effective: eff,
        })
    }

    /// An OpenAI client for `testIntegration`.
    pub fn openai_for_test(
        &self,
        account_id: Uuid,
        acc: Option<&IntegrationSettings>,
    ) -> Result<OpenAi, String> {
        let eff = self.effective(acc);
        let key = self.key(
            account_id,
            OPENAI_KEY_FIELD,
            acc.and_then(|a| a.openai_api_key.as_ref()),
            eff.openai_key,
            self.server.openai.as_ref(),
        )?;
        Ok(OpenAi::with_clients(
            self.client_for(eff.openai_key),
            self.policed.clone(),
            &eff.openai_base_url,
            &key,
            self.server.models.clone(),
            self.server.retry.clone(),
        ))
    }
}

/// Checks an account's OpenAI-compatible base URL when it is saved:
/// `http(s)://host[:port]/path` with no credentials, query or fragment, and
/// no destination the outbound policy refuses outright (an internal IP
/// literal, `localhost`). Names are judged again when connecting, after
/// resolution: that is the wall, this is the early, clear answer. In
/// production `http` is accepted only for destinations the operator allowed.
pub fn check_base_url(raw: &str, production: bool, policy: &Policy) -> Result<String, String> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| format!("not a URL: {e}"))?;
    let allowed = policy.names_destination(&url);
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("unsupported scheme {:?}: use https", url.scheme()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain credentials: set the API key instead".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or fragment".into());
    }
    let Some(host) = url.host() else {
        return Err("needs a host".into());
    };
    let local_name = match host {
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        _ => false,
    };
    if (local_name && !allowed) || policy.check_url(&url).is_err() {
        return Err(
            "must point at a public address, not a private, loopback or other internal one".into(),
        );
    }
    if url.scheme() == "http" && production && !allowed {
        return Err("must use https".into());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::json;

    fn server() -> AiSettings {
        AiSettings {
            text: TextProvider::OpenAi,
            image: ImageProvider::OpenAi,
            openai: Some(Credentials {
                base_url: "https://gateway.internal/v1".into(),
                api_key: "sk-server".into(),
            }),
            ..AiSettings::default()
        }
    }

    fn row(acc: Uuid) -> IntegrationSettings {
        IntegrationSettings {
            account_id: acc,
            text_provider: None,
            image_provider: None,
            openai_base_url: None,
            openai_api_key: None,
            openai_key_hint: None,
            runware_api_key: None,
            runware_key_hint: None,
            models: json!({}),
            updated_by: None,
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn accounts_inherit_the_server_and_override_it() {
        let p = Providers::new(server(), SecretBox::from_config("k"), Policy::default());
        let acc = Uuid::now_v7();
        let e = p.effective(None);
        assert_eq!(e.text, TextProvider::OpenAi);
        assert_eq!(e.openai_key, KeySource::Server);
        assert_eq!(e.openai_base_url, "https://gateway.internal/v1");

        let mut r = row(acc);
        r.text_provider = Some("offline".into());
        r.models = json!({"generate_images": "dall-e-3"});
        let e = p.effective(Some(&r));
        assert_eq!(e.text, TextProvider::Offline);
        let m: std::collections::HashMap<_, _> = e.models.into_iter().collect();
        assert_eq!(m[&AiFunction::GenerateContent], OFFLINE_MODEL);
        assert_eq!(m[&AiFunction::GenerateImages], "dall-e-3");
    }

    #[test]
    fn the_server_key_never_goes_to_an_account_url() {
        let p = Providers::new(server(), SecretBox::from_config("k"), Policy::default());
        let acc = Uuid::now_v7();
        let mut r = row(acc);
        r.openai_base_url = Some("https://attacker.example/v1".into());
        let e = p.effective(Some(&r));
        assert_eq!(e.openai_key, KeySource::None);
        let err = p.resolve(acc, Some(&r)).err().unwrap();
        assert!(err.contains("no API key"), "{err}");

        r.openai_api_key = Some(p.secrets.seal(acc, OPENAI_KEY_FIELD, "sk-own-key-123456"));
        let e = p.effective(Some(&r));
        assert_eq!(e.openai_key, KeySource::Account);
        assert_eq!(e.openai_base_url, "https://attacker.example/v1");
        assert!(p.resolve(acc, Some(&r)).is_ok());
        // the sealed key of one account does not open for another
        assert!(p.resolve(Uuid::now_v7(), Some(&r)).is_err());
    }

    #[test]
    fn account_base_urls_are_checked_in_every_mode() {
        let deny = Policy::deny_internal();
        assert_eq!(
            check_base_url("https://gw.example.com/v1/", true, &deny).unwrap(),
            "https://gw.example.com/v1"
        );
        assert!(check_base_url("http://gw.example.com/v1", false, &deny).is_ok());
        assert!(check_base_url("http://gw.example.com/v1", true, &deny).is_err());
        for production in [false, true] {
            for internal in [
                "http://127.0.0.1:11434/v1",
                "https://127.0.0.1/v1",
                "https://10.1.2.3/v1",
                "https://localhost/v1",
                "https://LocalHost./v1",
                "https://api.localhost/v1",
                "https://[::ffff:127.0.0.1]:8443/v1",
                "https://[::1]/v1",
                "https://0.0.0.0/v1",
                "https://100.64.0.1/v1",
                "https://[64:ff9b::7f00:1]/v1",
                "https://169.254.169.254/v1",
            ] {
                let e = check_base_url(internal, production, &deny).unwrap_err();
                assert!(e.contains("public address"), "{internal}: {e}");
            }
        }
        assert!(check_base_url("https://u:p@gw.example.com/v1", false, &deny).is_err());
        assert!(check_base_url("ftp://gw.example.com", false, &deny).is_err());
        assert!(check_base_url("not a url", false, &deny).is_err());
        // what the operator allowed, even over http in production
        let allow = Policy::parse("127.0.0.1/32,llm.internal,localhost").unwrap();
        assert!(check_base_url("http://127.0.0.1:11434/v1", true, &allow).is_ok());
        assert!(check_base_url("http://llm.internal/v1", true, &allow).is_ok());
        assert!(check_base_url("http://localhost:11434/v1", true, &allow).is_ok());
        assert!(check_base_url("http://[::1]:11434/v1", false, &allow).is_err());
    }
}
