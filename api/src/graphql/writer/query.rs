use super::types::{Content, Image, Task};
use crate::error::{ApiError, gql};
use crate::graphql::connection::{Conn, connection, cost, page_args, parse_id};
use crate::graphql::context::{actor, db, loaders};
use crate::graphql::planner::args::*;
use async_graphql::{Context, ID, Object, Result};

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
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let l = igny8_db::tasks::list(&mut tx, &scope, &f, &task_order(&order_by), &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(connection(
            l.rows.into_iter().map(Task).collect(),
            l.page,
            l.total,
        ))
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
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let l = igny8_db::contents::list(&mut tx, &scope, &f, &content_order(&order_by), &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(connection(
            l.rows.into_iter().map(Content).collect(),
            l.page,
            l.total,
        ))
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
        let a = actor(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let f = filter.unwrap_or_default().to_db()?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let l = igny8_db::images::list(&mut tx, &scope, &f, &image_order(&order_by), &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(connection(
            l.rows.into_iter().map(Image).collect(),
            l.page,
            l.total,
        ))
    }

    async fn image(&self, ctx: &Context<'_>, id: ID) -> Result<Image> {
        let id = parse_id("id", &id)?;
        let i = loaders(ctx).await?.planner.images.load_one(id).await?;
        i.map(Image)
            .ok_or_else(|| ApiError::NotFound("image").into())
    }
}
