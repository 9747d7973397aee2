use crate::graphql::jobs::types::AiFunction;
use async_graphql::{Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_db::models;
use igny8_jobs::settings as s;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "s::TextProvider")]
pub enum TextProvider {
    /// Built in: no key, no network.
    Offline,
    /// Any OpenAI-compatible API (OpenAI, gateways, vLLM, Ollama …).
    #[graphql(name = "OPENAI")]
    OpenAi,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "s::ImageProvider")]
pub enum ImageProvider {
    Offline,
    #[graphql(name = "OPENAI")]
    OpenAi,
    Runware,
}

/// Where a provider's API key comes from.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "s::KeySource")]
pub enum KeySource {
    /// There is none.
    None,
    /// The server's own key (`OPENAI_API_KEY`, `RUNWARE_API_KEY`).
    Server,
    /// The account's key, stored encrypted.
    Account,
}

/// What the API shows of a key: where it comes from and a masked hint.
#[derive(SimpleObject)]
pub struct ApiKeyStatus {
    pub source: KeySource,
    /// `sk-…a1b2` for the account's own key; never the key.
    pub hint: Option<String>,
}

#[derive(SimpleObject)]
pub struct FunctionModel {
    pub function: AiFunction,
    /// The model that serves it (`offline-1` on the offline provider).
    pub model: String,
    /// Whether the account chose it (else it is the server's default).
    pub is_override: bool,
}

/// The account's integration settings and what they resolve to.
pub struct IntegrationSettings {
    pub row: Option<models::IntegrationSettings>,
    pub effective: s::Effective,
}

impl IntegrationSettings {
    fn own_model(&self, f: igny8_core::jobs::AiFunction) -> bool {
        self.row.as_ref().is_some_and(|r| {
            r.models
                .get(f.as_str())
                .and_then(|m| m.as_str())
                .is_some_and(|m| !m.is_empty())
        })
    }
}

#[Object]
impl IntegrationSettings {
    /// The provider of the text functions, after the server default.
    async fn text_provider(&self) -> TextProvider {
        self.effective.text.into()
    }
    /// The provider of images, after the server default.
    async fn image_provider(&self) -> ImageProvider {
        self.effective.image.into()
    }
    /// The account's choice; `null`: the server's default.
    async fn text_provider_override(&self) -> Option<TextProvider> {
        self.row
            .as_ref()
            .and_then(|r| r.text_provider.as_deref())
            .and_then(s::TextProvider::parse)
            .map(Into::into)
    }
    async fn image_provider_override(&self) -> Option<ImageProvider> {
        self.row
            .as_ref()
            .and_then(|r| r.image_provider.as_deref())
            .and_then(s::ImageProvider::parse)
            .map(Into::into)
    }
    /// Where OpenAI-compatible calls go.
    async fn openai_base_url(&self) -> &str {
        &self.effective.openai_base_url
    }
    /// The account's own base URL; `null`: the server's.
    async fn openai_base_url_override(&self) -> Option<&str> {
        self.row.as_ref().and_then(|r| r.openai_base_url.as_deref())
    }
    async fn openai_key(&self) -> ApiKeyStatus {
        ApiKeyStatus {
            source: self.effective.openai_key.into(),
            hint: self.row.as_ref().and_then(|r| r.openai_key_hint.clone()),
        }
    }
    async fn runware_key(&self) -> ApiKeyStatus {
        ApiKeyStatus {
            source: self.effective.runware_key.into(),
            hint: self.row.as_ref().and_then(|r| r.runware_key_hint.clone()),
        }
    }
    /// The model of every AI function.
    async fn models(&self) -> Vec<FunctionModel> {
        self.effective
            .models
            .iter()
            .map(|(f, m)| FunctionModel {
                function: (*f).into(),
                model: m.clone(),
                is_override: self.own_model(*f),
            })
            .collect()
    }
    /// When the account last changed them; `null`: never.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.row.as_ref().map(|r| r.updated_at)
    }
}

/// The result of `testIntegration`: the call ran, and this is what it said.
#[derive(SimpleObject)]
pub struct IntegrationTest {
    pub ok: bool,
    pub provider: TextProvider,
    pub message: String,
    /// Models the key may use (OpenAI-compatible servers list them).
    pub models: Vec<String>,
    pub latency_ms: i32,
}

/// The result of `testImageGeneration`: one small image, not stored and not
/// charged.
#[derive(SimpleObject)]
pub struct ImageGenerationTest {
    pub ok: bool,
    pub provider: ImageProvider,
    pub model: String,
    pub message: String,
    pub content_type: Option<String>,
    pub bytes: i32,
    /// The image as a `data:` URL, to show it at once.
    pub data_url: Option<String>,
    pub latency_ms: i32,
}
