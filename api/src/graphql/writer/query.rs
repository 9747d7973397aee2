use super::types::{Content, Image, Task};
use crate::error::ApiError;
use crate::graphql::connection::{Conn, cost, listed, page_args};
use crate::graphql::context::loaders;
use crate::graphql::planner::args::*;
use crate::graphql::spine::{caller, parse_id};
use async_graphql::{Context, ID, Object, Result};
use igny8_db::{contents, images, tasks};

#[derive(Default)]
pub struct WriterQuery;

#[Object]
impl WriterQuery {
    /// Writer tasks the caller can see (WRT-1).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilter>,
        order_by: Option<Vec<TaskOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Task>> {
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let order = task_order(&order_by);
        let l = c
            .read(async |tx| Ok(tasks::list(tx, &c.scope, &f, &order, &args).await?))
            .await?;
        Ok(listed(l, Task))
    }

    async fn task(&self, ctx: &Context<'_>, id: ID) -> Result<Task> {
        let id = parse_id("id", &id)?;
        let t = loaders(ctx).await?.planner.tasks.load_one(id).await?;
        t.map(Task).ok_or_else(|| ApiError::NotFound("task").into())
    }

    /// Articles the caller can see (WRT-2); `filter.status` gives the
    /// drafts (DRAFT, REVIEW) and published views.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn contents(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContentFilter>,
        order_by: Option<Vec<ContentOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<Content>> {
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let order = content_order(&order_by);
        let l = c
            .read(async |tx| Ok(contents::list(tx, &c.scope, &f, &order, &args).await?))
            .await?;
        Ok(listed(l, Content))
    }

    async fn content(&self, ctx: &Context<'_>, id: ID) -> Result<Content> {
        let id = parse_id("id", &id)?;
        let c = loaders(ctx).await?.planner.contents.load_one(id).await?;
        c.map(Content)
            .ok_or_else(|| ApiError::NotFound("content").into())
    }

    /// Images the caller can see (WRT-3).
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
        let c = caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let order = image_order(&order_by);
        let l = c
            .read(async |tx| Ok(images::list(tx, &c.scope, &f, &order, &args).await?))
            .await?;
        Ok(listed(l, Image))
    }

    async fn image(&self, ctx: &Context<'_>, id: ID) -> Result<Image> {
        let id = parse_id("id", &id)?;
        let i = loaders(ctx).await?.planner.images.load_one(id).await?;
        i.map(Image)
            .ok_or_else(|| ApiError::NotFound("image").into())
    }
}
