use crate::graphql::context::loaders;
use crate::graphql::jobs::types::AiFunction;
use crate::graphql::sites::types::Sector;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use igny8_core::ai::templates;
use igny8_core::jobs as j;
use igny8_db::models;

/// How an author writes: generation calls that name the profile pass its
/// tone and language to the model (the offline provider honours both).
pub struct AuthorProfile(pub models::AuthorProfile);

#[Object]
impl AuthorProfile {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Free text, e.g. `friendly`, `authoritative`, `casual`.
    async fn tone(&self) -> &str {
        &self.0.tone
    }
    /// A language code or name, e.g. `en`, `es-MX`, `German`.
    async fn language(&self) -> &str {
        &self.0.language
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A content strategy: while active, it applies to the AI functions it
/// names (all when none) in its sector, or in every sector when it has none;
/// a sector's own strategy wins over an account-wide one.
pub struct Strategy(pub models::Strategy);

pub fn functions_of(stored: &[String]) -> Vec<AiFunction> {
    stored
        .iter()
        .filter_map(|s| s.parse::<j::AiFunction>().ok())
        .map(AiFunction::from)
        .collect()
}

#[Object]
impl Strategy {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The sector it applies to; `null` for the whole account (or a sector
    /// the caller cannot see).
    async fn sector(&self, ctx: &Context<'_>) -> Result<Option<Sector>> {
        let Some(id) = self.0.sector_id else {
            return Ok(None);
        };
        Ok(loaders(ctx).await?.sectors.load_one(id).await?.map(Sector))
    }
    /// The AI functions it shapes; empty means all of them.
    async fn prompt_types(&self) -> Vec<AiFunction> {
        functions_of(&self.0.prompt_types)
    }
    /// How articles should be sectioned, e.g. "end with an FAQ".
    async fn section_logic(&self) -> &str {
        &self.0.section_logic
    }
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// The prompt template of one AI function: the account's override when it
/// has one, else the built-in default. Templates use Jinja syntax
/// (`{{ site.name }}`, `{% if author %}…{% endif %}`).
pub struct PromptTemplate {
    pub function: j::AiFunction,
    pub over: Option<models::PromptOverride>,
}

#[Object]
impl PromptTemplate {
    async fn function(&self) -> AiFunction {
        self.function.into()
    }
    /// What the function renders: the override or the default.
    async fn template(&self) -> String {
        self.over.as_ref().map_or_else(
            || templates::default_template(self.function),
            |o| o.template.clone(),
        )
    }
    /// Whether the account overrides the default.
    async fn is_custom(&self) -> bool {
        self.over.is_some()
    }
    async fn default_template(&self) -> String {
        templates::default_template(self.function)
    }
    /// The placeholders this function's templates are given.
    async fn placeholders(&self) -> Vec<&'static str> {
        templates::placeholders(self.function).to_vec()
    }
    /// When the override was saved; `null` for the default.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.over.as_ref().map(|o| o.updated_at)
    }
}
