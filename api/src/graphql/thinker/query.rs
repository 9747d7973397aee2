use super::types::{AuthorProfile, PromptTemplate, Strategy};
use crate::error::{ApiError, gql};
use crate::graphql::connection::{Conn, connection, cost, page_args, parse_id};
use crate::graphql::context::{actor, db};
use crate::graphql::jobs::types::AiFunction;
use async_graphql::{Context, ID, InputObject, Object, Result};
use igny8_core::jobs as j;
use igny8_db::DbError;

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
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let l = igny8_db::thinker::list_authors(&mut tx, a.account_id, &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(connection(
            l.rows.into_iter().map(AuthorProfile).collect(),
            l.page,
            l.total,
        ))
    }

    /// One author profile; another account's id is `NOT_FOUND`.
    async fn author_profile(&self, ctx: &Context<'_>, id: ID) -> Result<AuthorProfile> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let p = igny8_db::thinker::get_author(&mut tx, a.account_id, id)
            .await
            .map_err(not_found("author profile"))?;
        tx.commit().await.map_err(gql)?;
        Ok(AuthorProfile(p))
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
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = igny8_db::thinker::StrategyFilter {
            sector_id: f
                .sector_id
                .as_ref()
                .map(|s| parse_id("filter.sectorId", s))
                .transpose()?,
            is_active: f.is_active,
        };
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let l = igny8_db::thinker::list_strategies(&mut tx, a.account_id, &f, &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(connection(
            l.rows.into_iter().map(Strategy).collect(),
            l.page,
            l.total,
        ))
    }

    /// One strategy; another account's id is `NOT_FOUND`.
    async fn strategy(&self, ctx: &Context<'_>, id: ID) -> Result<Strategy> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let s = igny8_db::thinker::get_strategy(&mut tx, a.account_id, id)
            .await
            .map_err(not_found("strategy"))?;
        tx.commit().await.map_err(gql)?;
        Ok(Strategy(s))
    }

    /// The prompt template of every AI function, as the account uses them.
    async fn prompts(&self, ctx: &Context<'_>) -> Result<Vec<PromptTemplate>> {
        let a = actor(ctx).await?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let mut overrides = igny8_db::thinker::prompt_overrides(&mut tx, a.account_id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
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
        let a = actor(ctx).await?;
        let f: j::AiFunction = function.into();
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let over = igny8_db::thinker::prompt_override(&mut tx, a.account_id, f.as_str())
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(PromptTemplate { function: f, over })
    }
}

/// A missing row, or another account's, is `NOT_FOUND` of `what`.
pub fn not_found(what: &'static str) -> impl Fn(DbError) -> async_graphql::Error {
    move |e| match e {
        DbError::NotFound => gql(ApiError::NotFound(what)),
        other => gql(other),
    }
}
