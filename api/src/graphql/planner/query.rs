use super::args::*;
use super::types::{Cluster, Idea, Keyword, SeedKeyword};
use crate::error::ApiError;
use crate::graphql::connection::{Conn, cost, listed, page_args};
use crate::graphql::context::loaders;
use crate::graphql::enums::{KeywordIntent, intent_str};
use crate::graphql::spine::{caller, optional_id, parse_id};
use async_graphql::{Context, ID, InputObject, Object, Result};
use igny8_core::csv_import::{CsvExportRow, keywords_to_csv};
use igny8_core::planner as p;
use igny8_db::{clusters, ideas, keywords, seeds};

#[derive(Default)]
pub struct PlannerQuery;

/// Most rows one CSV export returns.
pub const EXPORT_MAX_ROWS: i64 = 50_000;

#[derive(InputObject, Default)]
pub struct SeedKeywordFilter {
    pub industry_id: Option<ID>,
    pub industry_sector_id: Option<ID>,
    pub intent: Option<KeywordIntent>,
    pub search: Option<String>,
}

#[Object]
impl PlannerQuery {
    /// Keywords the caller can see (PLN-4).
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
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let order = keyword_order(&order_by);
        let l = c
            .read(async |tx| Ok(keywords::list(tx, &c.scope, &f, &order, &args).await?))
            .await?;
        Ok(listed(l, Keyword))
    }

    async fn keyword(&self, ctx: &Context<'_>, id: ID) -> Result<Keyword> {
        let id = parse_id("id", &id)?;
        let k = loaders(ctx).await?.planner.keywords.load_one(id).await?;
        k.map(Keyword)
            .ok_or_else(|| ApiError::NotFound("keyword").into())
    }

    /// The filtered keywords as CSV text (PLN-3), at most 50,000 rows.
    async fn export_keywords_csv(
        &self,
        ctx: &Context<'_>,
        filter: Option<KeywordFilter>,
        order_by: Option<Vec<KeywordOrder>>,
    ) -> Result<String> {
        let c = caller(ctx).await?;
        let f = filter.unwrap_or_default().to_db()?;
        let order = keyword_order(&order_by);
        let rows = c
            .read(async |tx| Ok(keywords::export(tx, &c.scope, &f, &order, EXPORT_MAX_ROWS).await?))
            .await?;
        let l = loaders(ctx).await?;
        let clusters = l
            .planner
            .clusters
            .load_many(rows.iter().filter_map(|k| k.cluster_id))
            .await?;
        let sectors = l
            .sectors
            .load_many(rows.iter().map(|k| k.sector_id))
            .await?;
        let out = rows.into_iter().map(|k| CsvExportRow {
            cluster: k
                .cluster_id
                .and_then(|c| clusters.get(&c))
                .map(|c| c.name.clone()),
            sector: sectors
                .get(&k.sector_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            intent: k
                .intent
                .as_deref()
                .and_then(|i| i.parse::<p::KeywordIntent>().ok()),
            status: k.status.parse::<p::KeywordStatus>().unwrap_or_default(),
            created_at: k.created_at.to_rfc3339(),
            keyword: k.keyword,
            volume: k.volume,
            difficulty: k.difficulty,
        });
        Ok(keywords_to_csv(out))
    }

    /// Clusters the caller can see (PLN-6).
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
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let order = cluster_order(&order_by);
        let l = c
            .read(async |tx| Ok(clusters::list(tx, &c.scope, &f, &order, &args).await?))
            .await?;
        Ok(listed(l, Cluster))
    }

    async fn cluster(&self, ctx: &Context<'_>, id: ID) -> Result<Cluster> {
        let id = parse_id("id", &id)?;
        let c = loaders(ctx).await?.planner.clusters.load_one(id).await?;
        c.map(Cluster)
            .ok_or_else(|| ApiError::NotFound("cluster").into())
    }

    /// Content ideas the caller can see (PLN-7).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn ideas(
        &self,
        ctx: &Context<'_>,
        filter: Option<IdeaFilter>,
        order_by: Option<Vec<IdeaOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Idea>> {
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let order = idea_order(&order_by);
        let l = c
            .read(async |tx| Ok(ideas::list(tx, &c.scope, &f, &order, &args).await?))
            .await?;
        Ok(listed(l, Idea))
    }

    async fn idea(&self, ctx: &Context<'_>, id: ID) -> Result<Idea> {
        let id = parse_id("id", &id)?;
        let i = loaders(ctx).await?.planner.ideas.load_one(id).await?;
        i.map(Idea).ok_or_else(|| ApiError::NotFound("idea").into())
    }

    /// The seed-keyword library (TEN-8), by volume.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn seed_keywords(
        &self,
        ctx: &Context<'_>,
        filter: Option<SeedKeywordFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<SeedKeyword>> {
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default();
        let f = seeds::SeedFilter {
            industry_id: optional_id("filter.industryId", f.industry_id.as_ref())?,
            industry_sector_id: optional_id(
                "filter.industrySectorId",
                f.industry_sector_id.as_ref(),
            )?,
            intent: f.intent.map(intent_str),
            search: f.search,
        };
        let l = c
            .read(async |tx| Ok(seeds::list(tx, &f, &args).await?))
            .await?;
        Ok(listed(l, SeedKeyword))
    }
}
