use super::types::{AuthorProfile, PromptTemplate, Strategy};
use crate::error::{ApiError, ApiResult, gql, not_found};
use crate::graphql::jobs::types::AiFunction;
use crate::graphql::spine::{
    Caller, IdInput, caller, ensure_account_admin, maybe_id, optional_id, optional_name, parse_id,
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use igny8_core::Actor;
use igny8_core::ai::templates;
use igny8_core::jobs as j;
use igny8_core::validate;
use igny8_db::thinker as t;
use igny8_db::{Tx, sectors};
use uuid::Uuid;

#[derive(Default)]
pub struct ThinkerMutation;

const DESCRIPTION_MAX: usize = 2_000;
const TONE_MAX: usize = 60;
const LANGUAGE_MAX: usize = 35;
const SECTION_LOGIC_MAX: usize = 4_000;

#[derive(InputObject)]
pub struct CreateAuthorProfileInput {
    pub name: String,
    pub description: Option<String>,
    /// Default `professional`.
    pub tone: Option<String>,
    /// Default `en`.
    pub language: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateAuthorProfileInput {
    pub id: ID,
    pub name: Option<String>,
    pub description: Option<String>,
    pub tone: Option<String>,
    pub language: Option<String>,
}

#[derive(InputObject)]
pub struct CreateStrategyInput {
    pub name: String,
    pub description: Option<String>,
    /// The sector it applies to; omitted: every sector of the account.
    pub sector_id: Option<ID>,
    /// The AI functions it shapes; omitted or empty: all of them.
    pub prompt_types: Option<Vec<AiFunction>>,
    pub section_logic: Option<String>,
    /// Default true.
    pub is_active: Option<bool>,
}

#[derive(InputObject)]
pub struct UpdateStrategyInput {
    pub id: ID,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `null`: every sector of the account.
    pub sector_id: MaybeUndefined<ID>,
    pub prompt_types: Option<Vec<AiFunction>>,
    pub section_logic: Option<String>,
    pub is_active: Option<bool>,
}

#[derive(InputObject)]
pub struct SavePromptInput {
    pub function: AiFunction,
    /// Jinja syntax; see `PromptTemplate.placeholders`. At most 20,000
    /// characters.
    pub template: String,
}

#[derive(InputObject)]
pub struct ResetPromptInput {
    pub function: AiFunction,
}

/// Prompts, author profiles and strategies are account configuration.
fn ensure_admin(a: &Actor) -> ApiResult<()> {
    ensure_account_admin(a, "change prompts, author profiles and strategies")
}

fn opt_text(field: &'static str, v: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    Ok(v.map(|s| validate::text(field, s, max)).transpose()?)
}

fn opt_label(field: &'static str, v: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    Ok(v.map(|s| validate::label(field, s, max)).transpose()?)
}

fn stored_functions(fs: Option<&[AiFunction]>) -> Option<Vec<String>> {
    fs.map(|fs| {
        let mut v: Vec<String> = fs
            .iter()
            .map(|f| j::AiFunction::from(*f).as_str().to_owned())
            .collect();
        v.sort();
        v.dedup();
        v
    })
}

/// The sector a strategy names, with its site; another account's (or an
/// invisible) sector is `NOT_FOUND`.
async fn strategy_sector(
    tx: &mut Tx,
    c: &Caller<'_>,
    id: Uuid,
) -> ApiResult<(Option<Uuid>, Option<Uuid>)> {
    let s = sectors::get(tx, &c.scope, id)
        .await
        .map_err(not_found("sector"))?;
    Ok((Some(s.site_id), Some(s.id)))
}

#[Object]
impl ThinkerMutation {
    /// Adds an author profile (owner/admin).
    async fn create_author_profile(
        &self,
        ctx: &Context<'_>,
        input: CreateAuthorProfileInput,
    ) -> Result<AuthorProfile> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let fields = t::AuthorFields {
            name: validate::name("name", &input.name).map_err(gql)?,
            description: opt_text("description", input.description.as_deref(), DESCRIPTION_MAX)?
                .unwrap_or_default(),
            tone: opt_label("tone", input.tone.as_deref(), TONE_MAX)?
                .unwrap_or_else(|| "professional".into()),
            language: opt_label("language", input.language.as_deref(), LANGUAGE_MAX)?
                .unwrap_or_else(|| "en".into()),
        };
        c.run_in_account(async |tx| {
            Ok(AuthorProfile(
                t::create_author(tx, c.actor.account_id, fields).await?,
            ))
        })
        .await
    }

    /// Changes an author profile (owner/admin).
    async fn update_author_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateAuthorProfileInput,
    ) -> Result<AuthorProfile> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let id = parse_id("id", &input.id)?;
        let changes = t::AuthorChanges {
            name: optional_name("name", input.name.as_deref())?,
            description: opt_text("description", input.description.as_deref(), DESCRIPTION_MAX)?,
            tone: opt_label("tone", input.tone.as_deref(), TONE_MAX)?,
            language: opt_label("language", input.language.as_deref(), LANGUAGE_MAX)?,
        };
        c.run_in_account(async |tx| {
            let p = t::update_author(tx, c.actor.account_id, id, changes).await;
            Ok(AuthorProfile(p.map_err(not_found("author profile"))?))
        })
        .await
    }

    /// Deletes an author profile (owner/admin). Jobs already queued with it
    /// fail with a clear message rather than write in a voice nobody chose.
    async fn delete_author_profile(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let id = parse_id("id", &input.id)?;
        c.run_in_account(async |tx| {
            if !t::delete_author(tx, c.actor.account_id, id).await? {
                return Err(ApiError::NotFound("author profile"));
            }
            Ok(input.id)
        })
        .await
    }

    /// Adds a strategy (owner/admin).
    async fn create_strategy(
        &self,
        ctx: &Context<'_>,
        input: CreateStrategyInput,
    ) -> Result<Strategy> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let name = validate::name("name", &input.name).map_err(gql)?;
        let description = opt_text("description", input.description.as_deref(), DESCRIPTION_MAX)?
            .unwrap_or_default();
        let section_logic = opt_text(
            "sectionLogic",
            input.section_logic.as_deref(),
            SECTION_LOGIC_MAX,
        )?
        .unwrap_or_default();
        let sector_id = optional_id("sectorId", input.sector_id.as_ref())?;
        c.run_in_account(async |tx| {
            let (site_id, sector_id) = match sector_id {
                Some(id) => strategy_sector(tx, &c, id).await?,
                None => (None, None),
            };
            let fields = t::StrategyFields {
                site_id,
                sector_id,
                name,
                description,
                prompt_types: stored_functions(input.prompt_types.as_deref()).unwrap_or_default(),
                section_logic,
                is_active: input.is_active.unwrap_or(true),
            };
            Ok(Strategy(
                t::create_strategy(tx, c.actor.account_id, fields).await?,
            ))
        })
        .await
    }

    /// Changes a strategy (owner/admin).
    async fn update_strategy(
        &self,
        ctx: &Context<'_>,
        input: UpdateStrategyInput,
    ) -> Result<Strategy> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let id = parse_id("id", &input.id)?;
        let mut changes = t::StrategyChanges {
            name: optional_name("name", input.name.as_deref())?,
            description: opt_text("description", input.description.as_deref(), DESCRIPTION_MAX)?,
            prompt_types: stored_functions(input.prompt_types.as_deref()),
            section_logic: opt_text(
                "sectionLogic",
                input.section_logic.as_deref(),
                SECTION_LOGIC_MAX,
            )?,
            is_active: input.is_active,
            ..Default::default()
        };
        let sector_id = maybe_id("sectorId", &input.sector_id)?;
        c.run_in_account(async |tx| {
            match sector_id {
                None => {}
                Some(None) => {
                    changes.site_id = Some(None);
                    changes.sector_id = Some(None);
                }
                Some(Some(id)) => {
                    let (site, sector) = strategy_sector(tx, &c, id).await?;
                    changes.site_id = Some(site);
                    changes.sector_id = Some(sector);
                }
            }
            let s = t::update_strategy(tx, c.actor.account_id, id, changes).await;
            Ok(Strategy(s.map_err(not_found("strategy"))?))
        })
        .await
    }

    /// Deletes a strategy (owner/admin).
    async fn delete_strategy(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let id = parse_id("id", &input.id)?;
        c.run_in_account(async |tx| {
            if !t::delete_strategy(tx, c.actor.account_id, id).await? {
                return Err(ApiError::NotFound("strategy"));
            }
            Ok(input.id)
        })
        .await
    }

    /// Overrides the prompt template of one AI function (owner/admin). A
    /// template that does not parse is refused with the line it fails on.
    async fn save_prompt(
        &self,
        ctx: &Context<'_>,
        input: SavePromptInput,
    ) -> Result<PromptTemplate> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let f: j::AiFunction = input.function.into();
        templates::check(&input.template)
            .map_err(|e| ApiError::bad_input("template", format!("template: {}", e.message)))?;
        let a = c.actor;
        c.run_in_account(async |tx| {
            let over = t::set_prompt(tx, a.account_id, f.as_str(), &input.template, a.user_id);
            Ok(PromptTemplate {
                function: f,
                over: Some(over.await?),
            })
        })
        .await
    }

    /// Puts a function back on its default template (owner/admin).
    async fn reset_prompt(
        &self,
        ctx: &Context<'_>,
        input: ResetPromptInput,
    ) -> Result<PromptTemplate> {
        let c = caller(ctx).await?;
        ensure_admin(c.actor)?;
        let f: j::AiFunction = input.function.into();
        c.run_in_account(async |tx| {
            t::reset_prompt(tx, c.actor.account_id, f.as_str()).await?;
            Ok(PromptTemplate {
                function: f,
                over: None,
            })
        })
        .await
    }
}
