use super::types::{Sector, Site};
use crate::error::not_found;
use crate::graphql::connection::{Conn, cost, listed, page_args};
use crate::graphql::spine::{caller, optional_id, parse_id};
use async_graphql::{Context, ID, InputObject, Object, Result};
use igny8_db::{sectors, sites};

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
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = sites::SiteFilter {
            is_active: f.is_active,
            search: f.search,
        };
        let l = c
            .read(async |tx| Ok(sites::list(tx, &c.scope, &f, &args).await?))
            .await?;
        Ok(listed(l, Site))
    }

    /// One site; another account's id is `NOT_FOUND`.
    async fn site(&self, ctx: &Context<'_>, id: ID) -> Result<Site> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &id)?;
        c.read(async |tx| {
            let site = sites::get(tx, &c.scope, id).await;
            Ok(Site(site.map_err(not_found("site"))?))
        })
        .await
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
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = sectors::SectorFilter {
            site_id: optional_id("filter.siteId", f.site_id.as_ref())?,
            is_active: f.is_active,
            search: f.search,
        };
        let l = c
            .read(async |tx| Ok(sectors::list(tx, &c.scope, &f, &args).await?))
            .await?;
        Ok(listed(l, Sector))
    }

    /// One sector; another account's id is `NOT_FOUND`.
    async fn sector(&self, ctx: &Context<'_>, id: ID) -> Result<Sector> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &id)?;
        c.read(async |tx| {
            let sector = sectors::get(tx, &c.scope, id).await;
            Ok(Sector(sector.map_err(not_found("sector"))?))
        })
        .await
    }
}
