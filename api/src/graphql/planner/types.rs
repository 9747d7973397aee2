use crate::error::ApiError;
use crate::graphql::connection::{Conn, child_page_args, connection, cost};
use crate::graphql::context::loaders;
use crate::graphql::enums::*;
use crate::graphql::loaders::{ChildKey, ListArgs};
use crate::graphql::planner::args::*;
use crate::graphql::reference::types::IndustrySector;
use crate::graphql::sites::types::{Sector, Site};
use crate::graphql::writer::types::Task;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_db::keywords::KeywordParent;
use igny8_db::models;
use std::sync::Arc;

pub async fn sector_of(ctx: &Context<'_>, id: uuid::Uuid) -> Result<Sector> {
    let s = loaders(ctx).await?.sectors.load_one(id).await?;
    s.map(Sector)
        .ok_or_else(|| ApiError::NotFound("sector").into())
}

pub async fn site_of(ctx: &Context<'_>, id: uuid::Uuid) -> Result<Site> {
    let s = loaders(ctx).await?.sites.load_one(id).await?;
    s.map(Site).ok_or_else(|| ApiError::NotFound("site").into())
}

/// A page of the keywords of a sector or of a cluster, through the loader
/// that batches every parent asked for with the same arguments.
#[allow(clippy::too_many_arguments)]
pub async fn keywords_of(
    ctx: &Context<'_>,
    parent: uuid::Uuid,
    of: KeywordParent,
    filter: Option<KeywordFilter>,
    order_by: Option<Vec<KeywordOrder>>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    offset: Option<i32>,
) -> Result<Conn<Keyword>> {
    let args = ListArgs {
        filter: filter.unwrap_or_default().to_db()?,
        order: keyword_order(&order_by),
        page: child_page_args(ctx, first, after, last, before, offset)?,
    };
    let key = ChildKey {
        parent,
        args: Arc::new(args),
    };
    let planner = &loaders(ctx).await?.planner;
    let l = match of {
        KeywordParent::Sector => planner.sector_keywords.load_one(key).await?,
        KeywordParent::Cluster => planner.cluster_keywords.load_one(key).await?,
    }
    .unwrap_or_default();
    // the page's clusters in one batch of the level, so each
    // `Keyword.cluster` below is a cache hit rather than a pending load
    let wants_cluster = ctx
        .look_ahead()
        .field("edges")
        .field("node")
        .field("cluster")
        .exists();
    if wants_cluster {
        let mut ids: Vec<uuid::Uuid> = l.rows.iter().filter_map(|k| k.cluster_id).collect();
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            planner.clusters.load_many(ids).await?;
        }
    }
    Ok(connection(
        l.rows.into_iter().map(Keyword).collect(),
        l.page,
        l.total,
    ))
}

#[derive(Clone)]
pub struct Keyword(pub models::Keyword);

#[Object]
impl Keyword {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn keyword(&self) -> &str {
        &self.0.keyword
    }
    async fn volume(&self) -> Option<i64> {
        self.0.volume
    }
    /// 0–100.
    async fn difficulty(&self) -> Option<i32> {
        self.0.difficulty
    }
    async fn intent(&self) -> Result<Option<KeywordIntent>> {
        self.0
            .intent
            .as_deref()
            .map(parse::<igny8_core::planner::KeywordIntent, _>)
            .transpose()
    }
    async fn status(&self) -> Result<KeywordStatus> {
        parse::<igny8_core::planner::KeywordStatus, _>(&self.0.status)
    }
    async fn cluster(&self, ctx: &Context<'_>) -> Result<Option<Cluster>> {
        let Some(id) = self.0.cluster_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)
            .await?
            .planner
            .clusters
            .load_one(id)
            .await?
            .map(Cluster))
    }
    async fn sector(&self, ctx: &Context<'_>) -> Result<Sector> {
        sector_of(ctx, self.0.sector_id).await
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        site_of(ctx, self.0.site_id).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(Clone)]
pub struct Cluster(pub models::Cluster);

#[Object]
impl Cluster {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn status(&self) -> Result<ClusterStatus> {
        parse::<igny8_core::planner::ClusterStatus, _>(&self.0.status)
    }
    /// Keywords in the cluster, counted on read: always exact.
    async fn keywords_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let s = loaders(ctx)
            .await?
            .planner
            .cluster_stats
            .load_one(self.0.id)
            .await?;
        Ok(s.map_or(0, |s| s.keywords_count))
    }
    /// Sum of the keywords' search volume.
    async fn volume(&self, ctx: &Context<'_>) -> Result<i64> {
        let s = loaders(ctx)
            .await?
            .planner
            .cluster_stats
            .load_one(self.0.id)
            .await?;
        Ok(s.map_or(0, |s| s.volume))
    }
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
            KeywordParent::Cluster,
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
        let args = ListArgs {
            filter: filter.unwrap_or_default().to_db()?,
            order: idea_order(&order_by),
            page: child_page_args(ctx, first, after, last, before, offset)?,
        };
        let key = ChildKey {
            parent: self.0.id,
            args: Arc::new(args),
        };
        let l = loaders(ctx)
            .await?
            .planner
            .cluster_ideas
            .load_one(key)
            .await?
            .unwrap_or_default();
        Ok(connection(
            l.rows.into_iter().map(Idea).collect(),
            l.page,
            l.total,
        ))
    }
    async fn sector(&self, ctx: &Context<'_>) -> Result<Sector> {
        sector_of(ctx, self.0.sector_id).await
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        site_of(ctx, self.0.site_id).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One section of an idea's outline.
#[derive(SimpleObject, Clone)]
pub struct OutlineSection {
    pub heading: String,
    /// 2 (h2) or 3 (h3).
    pub level: i32,
    pub notes: String,
    pub target_keywords: Vec<String>,
}

/// The article plan of an idea, stored as JSON.
#[derive(SimpleObject, Clone)]
pub struct Outline {
    pub sections: Vec<OutlineSection>,
}

#[derive(Clone)]
pub struct Idea(pub models::Idea);

#[Object]
impl Idea {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn content_type(&self) -> Result<ContentType> {
        parse::<igny8_core::planner::ContentType, _>(&self.0.content_type)
    }
    async fn content_structure(&self) -> Result<ContentStructure> {
        parse::<igny8_core::planner::ContentStructure, _>(&self.0.content_structure)
    }
    async fn outline(&self) -> Result<Outline> {
        let o: igny8_core::outline::Outline =
            serde_json::from_value(self.0.outline.clone()).map_err(ApiError::internal)?;
        Ok(Outline {
            sections: o
                .sections
                .into_iter()
                .map(|s| OutlineSection {
                    heading: s.heading,
                    level: i32::from(if s.level == 0 { 2 } else { s.level }),
                    notes: s.notes,
                    target_keywords: s.target_keywords,
                })
                .collect(),
        })
    }
    async fn target_keywords(&self) -> &[String] {
        &self.0.target_keywords
    }
    async fn estimated_word_count(&self) -> i32 {
        self.0.estimated_word_count
    }
    async fn status(&self) -> Result<IdeaStatus> {
        parse::<igny8_core::planner::IdeaStatus, _>(&self.0.status)
    }
    async fn cluster(&self, ctx: &Context<'_>) -> Result<Option<Cluster>> {
        let Some(id) = self.0.cluster_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)
            .await?
            .planner
            .clusters
            .load_one(id)
            .await?
            .map(Cluster))
    }
    /// The writer task made from this idea, once queued.
    async fn task(&self, ctx: &Context<'_>) -> Result<Option<Task>> {
        Ok(loaders(ctx)
            .await?
            .planner
            .task_by_idea
            .load_one(self.0.id)
            .await?
            .map(Task))
    }
    async fn sector(&self, ctx: &Context<'_>) -> Result<Sector> {
        sector_of(ctx, self.0.sector_id).await
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        site_of(ctx, self.0.site_id).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(Clone)]
pub struct SeedKeyword(pub models::SeedKeyword);

#[Object]
impl SeedKeyword {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn keyword(&self) -> &str {
        &self.0.keyword
    }
    async fn volume(&self) -> Option<i64> {
        self.0.volume
    }
    async fn difficulty(&self) -> Option<i32> {
        self.0.difficulty
    }
    async fn intent(&self) -> Result<Option<KeywordIntent>> {
        self.0
            .intent
            .as_deref()
            .map(parse::<igny8_core::planner::KeywordIntent, _>)
            .transpose()
    }
    async fn industry_sector(&self, ctx: &Context<'_>) -> Result<IndustrySector> {
        let s = loaders(ctx)
            .await?
            .industry_sectors
            .load_one(self.0.industry_sector_id)
            .await?;
        s.map(IndustrySector)
            .ok_or_else(|| ApiError::NotFound("industry sector").into())
    }
}

/// One refused CSV row.
#[derive(SimpleObject, Clone)]
pub struct ImportRowError {
    /// The row's line number in the file (the header is line 1).
    pub line: i32,
    pub message: String,
}

#[derive(SimpleObject, Clone)]
pub struct ImportKeywordsPayload {
    pub created: i32,
    /// Duplicates, in the file or already stored.
    pub skipped: i32,
    pub errors: Vec<ImportRowError>,
    /// Header cells of the columns that were not read (a tool's CPC,
    /// trend, position …), as the file wrote them.
    pub ignored_columns: Vec<String>,
    /// The field separator found: `,`, `;` or `\t` (files only).
    pub delimiter: Option<String>,
    /// `UTF-8`, `UTF-16LE` or `UTF-16BE` (files only).
    pub encoding: Option<String>,
}
