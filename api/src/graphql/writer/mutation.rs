use super::types::{Content, Image, Task};
use crate::error::{ApiError, ApiResult, gql};
use crate::graphql::connection::parse_id;
use crate::graphql::context::{actor, db};
use crate::graphql::enums::*;
use crate::graphql::planner::mutation::{
    IdInput, IdsInput, bulk_ids, ensure_writer, keywords_list as keywords, not_found, opt_text,
    writable_sector,
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use igny8_core::planner as p;
use igny8_core::{html, validate};
use igny8_db::DbError;

#[derive(Default)]
pub struct WriterMutation;

/// Most HTML one content may hold.
const MAX_HTML_BYTES: usize = 2 * 1024 * 1024;

fn clean_html(raw: &str) -> ApiResult<(String, i32)> {
    if raw.len() > MAX_HTML_BYTES {
        return Err(ApiError::bad_input("html", "html: at most 2 MiB"));
    }
    let clean = html::sanitize_html(raw);
    let words = html::word_count(&clean);
    Ok((clean, words))
}

#[derive(InputObject)]
pub struct CreateTaskInput {
    pub sector_id: ID,
    pub title: String,
    pub description: Option<String>,
    pub cluster_id: Option<ID>,
    pub content_type: Option<ContentType>,
    pub content_structure: Option<ContentStructure>,
    pub target_keywords: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct UpdateTaskInput {
    pub id: ID,
    pub title: Option<String>,
    pub description: Option<String>,
    pub cluster_id: MaybeUndefined<ID>,
    pub content_type: Option<ContentType>,
    pub content_structure: Option<ContentStructure>,
    pub target_keywords: Option<Vec<String>>,
    pub status: Option<TaskStatus>,
}

#[derive(InputObject)]
pub struct BulkUpdateTaskStatusInput {
    pub ids: Vec<ID>,
    pub status: TaskStatus,
}

#[derive(InputObject)]
pub struct CreateContentInput {
    pub task_id: ID,
    #[graphql(default)]
    pub html: String,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub primary_keyword: Option<String>,
    pub secondary_keywords: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct UpdateContentInput {
    pub id: ID,
    /// Sanitised on save; the word count is recomputed.
    pub html: Option<String>,
    pub meta_title: MaybeUndefined<String>,
    pub meta_description: MaybeUndefined<String>,
    pub primary_keyword: MaybeUndefined<String>,
    pub secondary_keywords: Option<Vec<String>>,
    pub status: Option<ContentStatus>,
}

#[derive(InputObject)]
pub struct CreateImageInput {
    pub task_id: ID,
    pub image_type: ImageType,
    #[graphql(default)]
    pub prompt: String,
    pub position: Option<i32>,
    /// An image hosted elsewhere (http or https).
    pub url: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateImageInput {
    pub id: ID,
    pub image_type: Option<ImageType>,
    pub prompt: Option<String>,
    pub position: Option<i32>,
    pub url: MaybeUndefined<String>,
    pub status: Option<ImageStatus>,
}

#[derive(InputObject)]
pub struct BulkUpdateImageStatusInput {
    pub ids: Vec<ID>,
    pub status: ImageStatus,
}

fn maybe_text(
    field: &'static str,
    v: MaybeUndefined<String>,
    max: usize,
) -> ApiResult<Option<Option<String>>> {
    Ok(match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(s) => Some(opt_text(field, Some(s), max)?),
    })
}

fn image_url(v: &str) -> ApiResult<String> {
    let v = v.trim();
    if (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() <= 2048
        && !v.chars().any(char::is_whitespace)
    {
        Ok(v.to_owned())
    } else {
        Err(ApiError::bad_input(
            "url",
            "url: must be an http or https URL",
        ))
    }
}

fn position(v: i32) -> ApiResult<i32> {
    if (0..=1000).contains(&v) {
        Ok(v)
    } else {
        Err(ApiError::bad_input(
            "position",
            "position: must be between 0 and 1000",
        ))
    }
}

#[Object]
impl WriterMutation {
    async fn create_task(&self, ctx: &Context<'_>, input: CreateTaskInput) -> Result<Task> {
        let a = actor(ctx).await?;
        let sector_id = parse_id("sectorId", &input.sector_id)?;
        let cluster_id = input
            .cluster_id
            .as_ref()
            .map(|c| parse_id("clusterId", c))
            .transpose()?;
        let n = igny8_db::tasks::NewTask {
            cluster_id,
            idea_id: None,
            title: validate::name("title", &input.title).map_err(gql)?,
            description: opt_text("description", input.description, 5000)?.unwrap_or_default(),
            target_keywords: keywords("targetKeywords", input.target_keywords.unwrap_or_default())?,
            content_type: input.content_type.map_or_else(
                || p::ContentType::default().as_str().into(),
                content_type_str,
            ),
            content_structure: input.content_structure.map_or_else(
                || p::ContentStructure::default().as_str().into(),
                structure_str,
            ),
            status: p::TaskStatus::default().as_str().into(),
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let sector = writable_sector(&mut tx, a, sector_id).await?;
        if let Some(c) = cluster_id {
            let cluster = igny8_db::clusters::get(&mut tx, &scope, c)
                .await
                .map_err(not_found("cluster"))?;
            if cluster.sector_id != sector.id {
                return Err(ApiError::bad_input(
                    "clusterId",
                    "clusterId: the cluster is in another sector",
                )
                .into());
            }
        }
        let t = igny8_db::tasks::create(&mut tx, &sector, n)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(Task(t))
    }

    async fn update_task(&self, ctx: &Context<'_>, input: UpdateTaskInput) -> Result<Task> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let cluster_id = match &input.cluster_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(c) => Some(Some(parse_id("clusterId", c)?)),
        };
        let changes = igny8_db::tasks::TaskChanges {
            title: input
                .title
                .as_deref()
                .map(|t| validate::name("title", t))
                .transpose()
                .map_err(gql)?,
            description: input
                .description
                .map(|d| opt_text("description", Some(d), 5000).map(Option::unwrap_or_default))
                .transpose()?,
            target_keywords: input
                .target_keywords
                .map(|k| keywords("targetKeywords", k))
                .transpose()?,
            content_type: input.content_type.map(content_type_str),
            content_structure: input.content_structure.map(structure_str),
            status: input.status.map(task_status_str),
            cluster_id,
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let current = igny8_db::tasks::get(&mut tx, &scope, id)
            .await
            .map_err(not_found("task"))?;
        ensure_writer(a, current.site_id)?;
        if let Some(Some(c)) = changes.cluster_id {
            let cluster = igny8_db::clusters::get(&mut tx, &scope, c)
                .await
                .map_err(not_found("cluster"))?;
            if cluster.sector_id != current.sector_id {
                return Err(ApiError::bad_input(
                    "clusterId",
                    "clusterId: the cluster is in another sector",
                )
                .into());
            }
        }
        let t = igny8_db::tasks::update(&mut tx, &scope, id, changes)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(Task(t))
    }

    /// Deletes a task with its content and images.
    async fn delete_task(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let a = actor(ctx).await?;
        let ids = bulk_ids("id", std::slice::from_ref(&input.id), a)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        igny8_db::tasks::delete_many(&mut tx, &scope, &ids)
            .await
            .map_err(not_found("task"))?;
        tx.commit().await.map_err(gql)?;
        Ok(input.id)
    }

    async fn bulk_delete_tasks(&self, ctx: &Context<'_>, input: IdsInput) -> Result<i32> {
        let a = actor(ctx).await?;
        let ids = bulk_ids("ids", &input.ids, a)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let n = igny8_db::tasks::delete_many(&mut tx, &scope, &ids)
            .await
            .map_err(not_found("task"))?;
        tx.commit().await.map_err(gql)?;
        Ok(n as i32)
    }

    async fn bulk_update_task_status(
        &self,
        ctx: &Context<'_>,
        input: BulkUpdateTaskStatusInput,
    ) -> Result<i32> {
        let a = actor(ctx).await?;
        let ids = bulk_ids("ids", &input.ids, a)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let n = igny8_db::tasks::set_status(&mut tx, &scope, &ids, &task_status_str(input.status))
            .await
            .map_err(not_found("task"))?;
        tx.commit().await.map_err(gql)?;
        Ok(n as i32)
    }

    /// Writes a task's article by hand (AI jobs write it too); one per task.
    async fn create_content(
        &self,
        ctx: &Context<'_>,
        input: CreateContentInput,
    ) -> Result<Content> {
        let a = actor(ctx).await?;
        let task_id = parse_id("taskId", &input.task_id)?;
        let (html, word_count) = clean_html(&input.html)?;
        let fields = igny8_db::contents::ContentFields {
            html,
            word_count,
            status: p::ContentStatus::default().as_str().into(),
            meta_title: opt_text("metaTitle", input.meta_title, 200)?,
            meta_description: opt_text("metaDescription", input.meta_description, 500)?,
            primary_keyword: opt_text("primaryKeyword", input.primary_keyword, 200)?,
            secondary_keywords: keywords(
                "secondaryKeywords",
                input.secondary_keywords.unwrap_or_default(),
            )?,
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let task = igny8_db::tasks::get(&mut tx, &scope, task_id)
            .await
            .map_err(not_found("task"))?;
        ensure_writer(a, task.site_id)?;
        let c = igny8_db::contents::create(&mut tx, &task, fields)
            .await
            .map_err(|e| match e {
                DbError::Conflict(_) => ApiError::Conflict {
                    field: Some("taskId".into()),
                    message: "the task already has content".into(),
                },
                other => other.into(),
            })?;
        tx.commit().await.map_err(gql)?;
        Ok(Content(c))
    }

    /// Edits an article: HTML is sanitised and its word count recomputed.
    async fn update_content(
        &self,
        ctx: &Context<'_>,
        input: UpdateContentInput,
    ) -> Result<Content> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let (html, word_count) = match input.html.as_deref().map(clean_html).transpose()? {
            Some((h, w)) => (Some(h), Some(w)),
            None => (None, None),
        };
        let changes = igny8_db::contents::ContentChanges {
            html,
            word_count,
            status: input.status.map(content_status_str),
            meta_title: maybe_text("metaTitle", input.meta_title, 200)?,
            meta_description: maybe_text("metaDescription", input.meta_description, 500)?,
            primary_keyword: maybe_text("primaryKeyword", input.primary_keyword, 200)?,
            secondary_keywords: input
                .secondary_keywords
                .map(|k| keywords("secondaryKeywords", k))
                .transpose()?,
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let current = igny8_db::contents::get(&mut tx, &scope, id)
            .await
            .map_err(not_found("content"))?;
        ensure_writer(a, current.site_id)?;
        let c = igny8_db::contents::update(&mut tx, &scope, id, changes)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(Content(c))
    }

    async fn delete_content(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let current = igny8_db::contents::get(&mut tx, &scope, id)
            .await
            .map_err(not_found("content"))?;
        ensure_writer(a, current.site_id)?;
        igny8_db::contents::delete(&mut tx, &scope, id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(input.id)
    }

    async fn create_image(&self, ctx: &Context<'_>, input: CreateImageInput) -> Result<Image> {
        let a = actor(ctx).await?;
        let task_id = parse_id("taskId", &input.task_id)?;
        let n = igny8_db::images::NewImage {
            content_id: None,
            image_type: image_type_str(input.image_type),
            prompt: opt_text("prompt", Some(input.prompt), 4000)?.unwrap_or_default(),
            url: input.url.as_deref().map(image_url).transpose()?,
            position: position(input.position.unwrap_or(0))?,
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let task = igny8_db::tasks::get(&mut tx, &scope, task_id)
            .await
            .map_err(not_found("task"))?;
        ensure_writer(a, task.site_id)?;
        let content = igny8_db::contents::by_tasks(&mut tx, &scope, &[task.id])
            .await
            .map_err(gql)?;
        let n = igny8_db::images::NewImage {
            content_id: content.first().map(|c| c.id),
            ..n
        };
        let img = igny8_db::images::create(&mut tx, &task, n)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(Image(img))
    }

    async fn update_image(&self, ctx: &Context<'_>, input: UpdateImageInput) -> Result<Image> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let changes = igny8_db::images::ImageChanges {
            image_type: input.image_type.map(image_type_str),
            prompt: input
                .prompt
                .map(|p| opt_text("prompt", Some(p), 4000).map(Option::unwrap_or_default))
                .transpose()?,
            url: match &input.url {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(u) => Some(Some(image_url(u)?)),
            },
            position: input.position.map(position).transpose()?,
            status: input.status.map(image_status_str),
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let current = igny8_db::images::get(&mut tx, &scope, id)
            .await
            .map_err(not_found("image"))?;
        ensure_writer(a, current.site_id)?;
        let img = igny8_db::images::update(&mut tx, &scope, id, changes)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(Image(img))
    }

    async fn delete_image(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let a = actor(ctx).await?;
        let ids = bulk_ids("id", std::slice::from_ref(&input.id), a)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        igny8_db::images::delete_many(&mut tx, &scope, &ids)
            .await
            .map_err(not_found("image"))?;
        tx.commit().await.map_err(gql)?;
        Ok(input.id)
    }

    async fn bulk_update_image_status(
        &self,
        ctx: &Context<'_>,
        input: BulkUpdateImageStatusInput,
    ) -> Result<i32> {
        let a = actor(ctx).await?;
        let ids = bulk_ids("ids", &input.ids, a)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let n =
            igny8_db::images::set_status(&mut tx, &scope, &ids, &image_status_str(input.status))
                .await
                .map_err(not_found("image"))?;
        tx.commit().await.map_err(gql)?;
        Ok(n as i32)
    }
}
