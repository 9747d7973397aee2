use super::types::{AuthorProfile, PromptTemplate, Strategy};
use crate::graphql::connection::{Conn, cost, listed, page_args};
use crate::graphql::jobs::types::AiFunction;
use crate::graphql::spine::{caller, not_found, optional_id, parse_id};
use async_graphql::{Context, ID, InputObject, Object, Result};
use igny8_core::jobs as j;
use igny8_db::thinker as t;

#[derive(Default)]
pub struct ThinkerQuery;

#[derive(InputObject, Default)]
pub struct StrategyFilter {
    pub sector_id: Option<ID>,
    pub is_active: Option<bool>,
}

#[Object]
impl ThinkerQuery {
    /// The account's author profiles, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn author_profiles(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<AuthorProfile>> {
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let l = c
            .read_in_account(async |tx| Ok(t::list_authors(tx, c.actor.account_id, &args).await?))
            .await?;
        Ok(listed(l, AuthorProfile))
    }

    /// One author profile; another account's id is `NOT_FOUND`.
    async fn author_profile(&self, ctx: &Context<'_>, id: ID) -> Result<AuthorProfile> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &id)?;
        c.read_in_account(async |tx| {
            let p = t::get_author(tx, c.actor.account_id, id).await;
            Ok(AuthorProfile(p.map_err(not_found("author profile"))?))
        })
        .await
    }

    /// The account's strategies, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn strategies(
        &self,
        ctx: &Context<'_>,
        filter: Option<StrategyFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Strategy>> {
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = t::StrategyFilter {
            sector_id: optional_id("filter.sectorId", f.sector_id.as_ref())?,
            is_active: f.is_active,
        };
        let l = c
            .read_in_account(async |tx| {
                Ok(t::list_strategies(tx, c.actor.account_id, &f, &args).await?)
            })
            .await?;
        Ok(listed(l, Strategy))
    }

    /// One strategy; another account's id is `NOT_FOUND`.
    async fn strategy(&self, ctx: &Context<'_>, id: ID) -> Result<Strategy> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &id)?;
        c.read_in_account(async |tx| {
            let s = t::get_strategy(tx, c.actor.account_id, id).await;
            Ok(Strategy(s.map_err(not_found("strategy"))?))
        })
        .await
    }

    /// The prompt template of every AI function, as the account uses them.
    async fn prompts(&self, ctx: &Context<'_>) -> Result<Vec<PromptTemplate>> {
        let c = caller(ctx).await?;
        let mut overrides = c
            .read_in_account(async |tx| Ok(t::prompt_overrides(tx, c.actor.account_id).await?))
            .await?;
        Ok(j::AiFunction::ALL
            .into_iter()
            .map(|f| PromptTemplate {
                function: f,
                over: overrides
                    .iter()
                    .position(|o| o.function == f.as_str())
                    .map(|i| overrides.swap_remove(i)),
            })
            .collect())
    }

    /// The prompt template of one AI function.
    async fn prompt(&self, ctx: &Context<'_>, function: AiFunction) -> Result<PromptTemplate> {
        let c = caller(ctx).await?;
        let f: j::AiFunction = function.into();
        let over = c
            .read_in_account(async |tx| {
                Ok(t::prompt_override(tx, c.actor.account_id, f.as_str()).await?)
            })
            .await?;
        Ok(PromptTemplate { function: f, over })
    }
}
