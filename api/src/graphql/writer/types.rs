use crate::graphql::connection::{Conn, child_page_args, connection, cost};
use crate::graphql::context::loaders;
use crate::graphql::enums::*;
use crate::graphql::loaders::{ChildKey, ListArgs};
use crate::graphql::planner::args::{ImageFilter, ImageOrder, image_order};
use crate::graphql::planner::types::{Cluster, Idea, sector_of, site_of};
use crate::graphql::sites::types::{Sector, Site};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use igny8_db::models;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone)]
pub struct Task(pub models::Task);

#[allow(clippy::too_many_arguments)]
async fn images_of(
    ctx: &Context<'_>,
    parent: Uuid,
    by_content: bool,
    filter: Option<ImageFilter>,
    order_by: Option<Vec<ImageOrder>>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    offset: Option<i32>,
) -> Result<Conn<Image>> {
    let args = ListArgs {
        filter: filter.unwrap_or_default().to_db()?,
        order: image_order(&order_by),
        page: child_page_args(ctx, first, after, last, before, offset)?,
    };
    let key = ChildKey {
        parent,
        args: Arc::new(args),
    };
    let l = loaders(ctx).await?;
    let listed = if by_content {
        l.planner.content_images.load_one(key).await?
    } else {
        l.planner.task_images.load_one(key).await?
    }
    .unwrap_or_default();
    Ok(connection(
        listed.rows.into_iter().map(Image).collect(),
        listed.page,
        listed.total,
    ))
}

#[Object]
impl Task {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn status(&self) -> Result<TaskStatus> {
        parse::<igny8_core::planner::TaskStatus, _>(&self.0.status)
    }
    async fn content_type(&self) -> Result<ContentType> {
        parse::<igny8_core::planner::ContentType, _>(&self.0.content_type)
    }
    async fn content_structure(&self) -> Result<ContentStructure> {
        parse::<igny8_core::planner::ContentStructure, _>(&self.0.content_structure)
    }
    async fn target_keywords(&self) -> &[String] {
        &self.0.target_keywords
    }
    async fn idea(&self, ctx: &Context<'_>) -> Result<Option<Idea>> {
        let Some(id) = self.0.idea_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)
            .await?
            .planner
            .ideas
            .load_one(id)
            .await?
            .map(Idea))
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
    /// The article, once written.
    async fn content(&self, ctx: &Context<'_>) -> Result<Option<Content>> {
        Ok(loaders(ctx)
            .await?
            .planner
            .content_by_task
            .load_one(self.0.id)
            .await?
            .map(Content))
    }
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn images(
        &self,
        ctx: &Context<'_>,
        filter: Option<ImageFilter>,
        order_by: Option<Vec<ImageOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Image>> {
        images_of(
            ctx, self.0.id, false, filter, order_by, first, after, last, before, offset,
        )
        .await
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
pub struct Content(pub models::Content);

#[Object]
impl Content {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Sanitised HTML.
    async fn html(&self) -> &str {
        &self.0.html
    }
    /// Words of the visible text, recomputed on every change.
    async fn word_count(&self) -> i32 {
        self.0.word_count
    }
    async fn status(&self) -> Result<ContentStatus> {
        parse::<igny8_core::planner::ContentStatus, _>(&self.0.status)
    }
    async fn meta_title(&self) -> Option<&str> {
        self.0.meta_title.as_deref()
    }
    async fn meta_description(&self) -> Option<&str> {
        self.0.meta_description.as_deref()
    }
    async fn primary_keyword(&self) -> Option<&str> {
        self.0.primary_keyword.as_deref()
    }
    async fn secondary_keywords(&self) -> &[String] {
        &self.0.secondary_keywords
    }
    /// The WordPress post, once published.
    async fn wp_post_id(&self) -> Option<i64> {
        self.0.wp_post_id
    }
    /// Where and how the content was published to WordPress (null: never
    /// tried).
    async fn publishing(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::publishing::types::PublishingRecord>> {
        Ok(loaders(ctx)
            .await?
            .publishing
            .records
            .load_one(self.0.id)
            .await?
            .map(crate::graphql::publishing::types::PublishingRecord))
    }
    async fn task(&self, ctx: &Context<'_>) -> Result<Task> {
        let t = loaders(ctx)
            .await?
            .planner
            .tasks
            .load_one(self.0.task_id)
            .await?;
        t.map(Task)
            .ok_or_else(|| crate::error::ApiError::NotFound("task").into())
    }
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn images(
        &self,
        ctx: &Context<'_>,
        filter: Option<ImageFilter>,
        order_by: Option<Vec<ImageOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Image>> {
        images_of(
            ctx, self.0.id, true, filter, order_by, first, after, last, before, offset,
        )
        .await
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
pub struct Image(pub models::Image);

#[Object]
impl Image {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The image's id in the site's WordPress media library, once uploaded.
    async fn wp_media_id(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        Ok(loaders(ctx)
            .await?
            .publishing
            .media
            .load_one(self.0.id)
            .await?
            .map(|m| m.media_id))
    }
    async fn image_type(&self) -> Result<ImageType> {
        parse::<igny8_core::planner::ImageType, _>(&self.0.image_type)
    }
    async fn prompt(&self) -> &str {
        &self.0.prompt
    }
    /// A stored image's signed link (valid for an hour), or the external URL.
    async fn url(&self, ctx: &Context<'_>) -> Option<String> {
        match &self.0.storage_key {
            Some(key) => {
                let secret = &ctx
                    .data_unchecked::<std::sync::Arc<crate::config::Config>>()
                    .secret_key;
                Some(crate::media::signed_url(
                    secret.as_bytes(),
                    key,
                    chrono::Utc::now().timestamp(),
                ))
            }
            None => self.0.url.clone(),
        }
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn status(&self) -> Result<ImageStatus> {
        parse::<igny8_core::planner::ImageStatus, _>(&self.0.status)
    }
    async fn task(&self, ctx: &Context<'_>) -> Result<Task> {
        let t = loaders(ctx)
            .await?
            .planner
            .tasks
            .load_one(self.0.task_id)
            .await?;
        t.map(Task)
            .ok_or_else(|| crate::error::ApiError::NotFound("task").into())
    }
    async fn content(&self, ctx: &Context<'_>) -> Result<Option<Content>> {
        let Some(id) = self.0.content_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)
            .await?
            .planner
            .contents
            .load_one(id)
            .await?
            .map(Content))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
