use crate::error::ApiError;
use crate::graphql::connection::{
    Conn, child_page_args, connection, connection_of, cost, page_args,
};
use crate::graphql::context::loaders;
use crate::graphql::loaders::{ChildKey, ListArgs};
use crate::graphql::planner::args::{
    ClusterFilter, ClusterOrder, KeywordFilter, KeywordOrder, cluster_order,
};
use crate::graphql::planner::types::{Cluster, Keyword, keywords_of};
use crate::graphql::reference::types::{Industry, IndustrySector};
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use igny8_db::keywords::KeywordParent;
use igny8_db::models;
use std::sync::Arc;

#[derive(Clone)]
pub struct Site(pub models::Site);

#[derive(InputObject, Default)]
pub struct SiteSectorFilter {
    pub is_active: Option<bool>,
}

#[Object]
impl Site {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Unique within the account.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn domain(&self) -> Option<&str> {
        self.0.domain.as_deref()
    }
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    /// The site's WordPress connection, if it has one.
    async fn wordpress(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::publishing::types::WordPressConnection>> {
        let row = loaders(ctx)
            .await?
            .publishing
            .connections
            .load_one(self.0.id)
            .await?;
        Ok(row.map(
            |row| crate::graphql::publishing::types::WordPressConnection { row, secret: None },
        ))
    }
    async fn industry(&self, ctx: &Context<'_>) -> Result<Option<Industry>> {
        let Some(id) = self.0.industry_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)
            .await?
            .industries
            .load_one(id)
            .await?
            .map(Industry))
    }
    /// The site's sectors, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn sectors(
        &self,
        ctx: &Context<'_>,
        filter: Option<SiteSectorFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Sector>> {
        let args = page_args(first, after, last, before, offset)?;
        let all = loaders(ctx)
            .await?
            .sectors_by_site
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let active = filter.unwrap_or_default().is_active;
        let rows = all
            .into_iter()
            .filter(|s| active.is_none_or(|a| s.is_active == a))
            .map(Sector)
            .collect();
        Ok(connection_of(rows, &args))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(Clone)]
pub struct Sector(pub models::Sector);

#[Object]
impl Sector {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Unique within the site.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// At most 5 active sectors per site.
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        let site = loaders(ctx).await?.sites.load_one(self.0.site_id).await?;
        site.map(Site)
            .ok_or_else(|| ApiError::NotFound("site").into())
    }
    /// Keywords of the sector (PLN-4).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn keywords(
        &self,
        ctx: &Context<'_>,
        filter: Option<KeywordFilter>,
        order_by: Option<Vec<KeywordOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Keyword>> {
        keywords_of(
            ctx,
            self.0.id,
            KeywordParent::Sector,
            filter,
            order_by,
            first,
            after,
            last,
            before,
            offset,
        )
        .await
    }
    /// Clusters of the sector (PLN-6).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn clusters(
        &self,
        ctx: &Context<'_>,
        filter: Option<ClusterFilter>,
        order_by: Option<Vec<ClusterOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Cluster>> {
        let args = ListArgs {
            filter: filter.unwrap_or_default().to_db()?,
            order: cluster_order(&order_by),
            page: child_page_args(ctx, first, after, last, before, offset)?,
        };
        let key = ChildKey {
            parent: self.0.id,
            args: Arc::new(args),
        };
        let l = loaders(ctx)
            .await?
            .planner
            .sector_clusters
            .load_one(key)
            .await?
            .unwrap_or_default();
        Ok(connection(
            l.rows.into_iter().map(Cluster).collect(),
            l.page,
            l.total,
        ))
    }
    /// The reference sector this one follows, if any.
    async fn industry_sector(&self, ctx: &Context<'_>) -> Result<Option<IndustrySector>> {
        let Some(id) = self.0.industry_sector_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)
            .await?
            .industry_sectors
            .load_one(id)
            .await?
            .map(IndustrySector))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}
