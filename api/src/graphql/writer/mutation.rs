use super::types::{Content, Image, Task};
use crate::error::{ApiError, ApiResult, gql, not_found};
use crate::graphql::enums::*;
use crate::graphql::planner::mutation::{keywords_list as keywords, opt_text};
use crate::graphql::spine::{
    Caller, IdInput, IdsInput, caller, maybe, maybe_id, optional_id, optional_name, parse_id,
    writable,
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use igny8_core::planner as p;
use igny8_core::{html, validate};
use igny8_db::models::{Cluster, Sector};
use igny8_db::{Tx, clusters, contents, images, sectors, tasks};
use uuid::Uuid;

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
    // blank text clears the field, as `null` does
    Ok(maybe(v, |s| opt_text(field, Some(s), max))?.map(Option::flatten))
}

/// The cluster a task names: of the task's sector, or `BAD_USER_INPUT`.
async fn cluster_of_sector(
    tx: &mut Tx,
    c: &Caller<'_>,
    cluster_id: Uuid,
    sector_id: Uuid,
) -> ApiResult<Cluster> {
    let cluster = clusters::get(tx, &c.scope, cluster_id)
        .await
        .map_err(not_found("cluster"))?;
    if cluster.sector_id != sector_id {
        return Err(ApiError::bad_input(
            "clusterId",
            "clusterId: the cluster is in another sector",
        ));
    }
    Ok(cluster)
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
        let c = caller(ctx).await?;
        let sector_id = parse_id("sectorId", &input.sector_id)?;
        let cluster_id = optional_id("clusterId", input.cluster_id.as_ref())?;
        let n = tasks::NewTask {
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
        c.run(async |tx| {
            let sector: Sector = writable(
                c.actor,
                "sector",
                sectors::get(tx, &c.scope, sector_id).await,
            )?;
            if let Some(cluster_id) = cluster_id {
                cluster_of_sector(tx, &c, cluster_id, sector.id).await?;
            }
            Ok(Task(tasks::create(tx, &sector, n).await?))
        })
        .await
    }

    async fn update_task(&self, ctx: &Context<'_>, input: UpdateTaskInput) -> Result<Task> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let cluster_id = maybe_id("clusterId", &input.cluster_id)?;
        let changes = tasks::TaskChanges {
            title: optional_name("title", input.title.as_deref())?,
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
        c.run(async |tx| {
            let current = writable(c.actor, "task", tasks::get(tx, &c.scope, id).await)?;
            if let Some(Some(cluster_id)) = changes.cluster_id {
                cluster_of_sector(tx, &c, cluster_id, current.sector_id).await?;
            }
            Ok(Task(tasks::update(tx, &c.scope, id, changes).await?))
        })
        .await
    }

    /// Deletes a task with its content and images.
    async fn delete_task(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        c.delete_one(input.id, "task", tasks::delete_many).await
    }

    async fn bulk_delete_tasks(&self, ctx: &Context<'_>, input: IdsInput) -> Result<i32> {
        let c = caller(ctx).await?;
        c.bulk_count("ids", &input.ids, "task", tasks::delete_many)
            .await
    }

    async fn bulk_update_task_status(
        &self,
        ctx: &Context<'_>,
        input: BulkUpdateTaskStatusInput,
    ) -> Result<i32> {
        let c = caller(ctx).await?;
        let status = task_status_str(input.status);
        c.bulk_count("ids", &input.ids, "task", async |tx, scope, ids| {
            tasks::set_status(tx, scope, ids, &status).await
        })
        .await
    }

    /// Writes a task's article by hand (AI jobs write it too); one per task.
    async fn create_content(
        &self,
        ctx: &Context<'_>,
        input: CreateContentInput,
    ) -> Result<Content> {
        let c = caller(ctx).await?;
        let task_id = parse_id("taskId", &input.task_id)?;
        let (html, word_count) = clean_html(&input.html)?;
        let fields = contents::ContentFields {
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
        c.run(async |tx| {
            let task = writable(c.actor, "task", tasks::get(tx, &c.scope, task_id).await)?;
            Ok(Content(contents::create(tx, &task, fields).await?))
        })
        .await
    }

    /// Edits an article: HTML is sanitised and its word count recomputed.
    async fn update_content(
        &self,
        ctx: &Context<'_>,
        input: UpdateContentInput,
    ) -> Result<Content> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let (html, word_count) = match input.html.as_deref().map(clean_html).transpose()? {
            Some((h, w)) => (Some(h), Some(w)),
            None => (None, None),
        };
        let changes = contents::ContentChanges {
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
        c.run(async |tx| {
            let before = writable(c.actor, "content", contents::get(tx, &c.scope, id).await)?;
            // PUBLISHED means a WordPress post exists: only publishing sets it
            if changes.status.as_deref() == Some("published") && before.status != "published" {
                let has_post = igny8_db::publishing::records(tx, before.account_id, &[id])
                    .await?
                    .iter()
                    .any(|r| r.wp_post_id.is_some() && r.wp_status.as_deref() != Some("deleted"));
                if !has_post {
                    return Err(ApiError::bad_input(
                        "status",
                        "status: PUBLISHED means a WordPress post exists; publish the content \
                         (publishContent) instead",
                    ));
                }
            }
            Ok(Content(contents::update(tx, &c.scope, id, changes).await?))
        })
        .await
    }

    async fn delete_content(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        c.run(async |tx| {
            writable(c.actor, "content", contents::get(tx, &c.scope, id).await)?;
            contents::delete(tx, &c.scope, id).await?;
            Ok(input.id)
        })
        .await
    }

    async fn create_image(&self, ctx: &Context<'_>, input: CreateImageInput) -> Result<Image> {
        let c = caller(ctx).await?;
        let task_id = parse_id("taskId", &input.task_id)?;
        let n = images::NewImage {
            content_id: None,
            image_type: image_type_str(input.image_type),
            prompt: opt_text("prompt", Some(input.prompt), 4000)?.unwrap_or_default(),
            url: input.url.as_deref().map(image_url).transpose()?,
            position: position(input.position.unwrap_or(0))?,
        };
        c.run(async |tx| {
            let task = writable(c.actor, "task", tasks::get(tx, &c.scope, task_id).await)?;
            // attached to the task's article when it has one
            let content = contents::by_tasks(tx, &c.scope, &[task.id]).await?;
            let n = images::NewImage {
                content_id: content.first().map(|c| c.id),
                ..n
            };
            Ok(Image(images::create(tx, &task, n).await?))
        })
        .await
    }

    async fn update_image(&self, ctx: &Context<'_>, input: UpdateImageInput) -> Result<Image> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let changes = images::ImageChanges {
            image_type: input.image_type.map(image_type_str),
            prompt: input
                .prompt
                .map(|p| opt_text("prompt", Some(p), 4000).map(Option::unwrap_or_default))
                .transpose()?,
            url: maybe(input.url, |u| image_url(&u))?,
            position: input.position.map(position).transpose()?,
            status: input.status.map(image_status_str),
        };
        c.run(async |tx| {
            writable(c.actor, "image", images::get(tx, &c.scope, id).await)?;
            Ok(Image(images::update(tx, &c.scope, id, changes).await?))
        })
        .await
    }

    async fn delete_image(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        c.delete_one(input.id, "image", images::delete_many).await
    }

    async fn bulk_update_image_status(
        &self,
        ctx: &Context<'_>,
        input: BulkUpdateImageStatusInput,
    ) -> Result<i32> {
        let c = caller(ctx).await?;
        let status = image_status_str(input.status);
        c.bulk_count("ids", &input.ids, "image", async |tx, scope, ids| {
            images::set_status(tx, scope, ids, &status).await
        })
        .await
    }
}
