use super::types::{Sector, Site};
use crate::error::{ApiError, gql};
use crate::graphql::connection::{Conn, connection, cost, page_args, parse_id};
use crate::graphql::context::{actor, db};
use async_graphql::{Context, ID, InputObject, Object, Result};

#[derive(Default)]
pub struct SitesQuery;

#[derive(InputObject, Default)]
pub struct SiteFilter {
    pub is_active: Option<bool>,
    /// Case-insensitive substring of name or domain.
    pub search: Option<String>,
}

#[derive(InputObject, Default)]
pub struct SectorFilter {
    pub site_id: Option<ID>,
    pub is_active: Option<bool>,
    /// Case-insensitive substring of the name.
    pub search: Option<String>,
}

#[Object]
impl SitesQuery {
    /// Sites the caller can see, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn sites(
        &self,
        ctx: &Context<'_>,
        filter: Option<SiteFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Site>> {
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = igny8_db::sites::SiteFilter {
            is_active: f.is_active,
            search: f.search,
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let l = igny8_db::sites::list(&mut tx, &scope, &f, &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(connection(
            l.rows.into_iter().map(Site).collect(),
            l.page,
            l.total,
        ))
    }

    /// One site; another account's id is `NOT_FOUND`.
    async fn site(&self, ctx: &Context<'_>, id: ID) -> Result<Site> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let site = igny8_db::sites::get(&mut tx, &scope, id)
            .await
            .map_err(|_| gql(ApiError::NotFound("site")))?;
        tx.commit().await.map_err(gql)?;
        Ok(Site(site))
    }

    /// Sectors the caller can see, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn sectors(
        &self,
        ctx: &Context<'_>,
        filter: Option<SectorFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Sector>> {
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = igny8_db::sectors::SectorFilter {
            site_id: f
                .site_id
                .as_ref()
                .map(|id| parse_id("filter.siteId", id))
                .transpose()?,
            is_active: f.is_active,
            search: f.search,
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let l = igny8_db::sectors::list(&mut tx, &scope, &f, &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(connection(
            l.rows.into_iter().map(Sector).collect(),
            l.page,
            l.total,
        ))
    }

    /// One sector; another account's id is `NOT_FOUND`.
    async fn sector(&self, ctx: &Context<'_>, id: ID) -> Result<Sector> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let s = igny8_db::sectors::get(&mut tx, &scope, id)
            .await
            .map_err(|_| gql(ApiError::NotFound("sector")))?;
        tx.commit().await.map_err(gql)?;
        Ok(Sector(s))
    }
}
