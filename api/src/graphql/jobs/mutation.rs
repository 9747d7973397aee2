use super::bus::JobsBus;
use super::query::job_scope;
use super::types::AiJob;
use crate::error::{ApiError, gql};
use crate::graphql::connection::{parse_id, parse_ids};
use crate::graphql::context::{actor, db};
use crate::graphql::planner::mutation::ensure_writer;
use async_graphql::{Context, ID, InputObject, Object, Result};
use igny8_core::jobs::{self as j, JobInput, JobStatus};
use igny8_db::DbError;
use std::sync::Arc;

#[derive(Default)]
pub struct JobsMutation;

#[derive(InputObject)]
pub struct AutoClusterKeywordsInput {
    /// At most 20 keywords, all of one sector.
    pub keyword_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct GenerateIdeasInput {
    pub cluster_id: ID,
    /// Writes in this author's tone and language.
    pub author_profile_id: Option<ID>,
}

#[derive(InputObject)]
pub struct GenerateContentInput {
    /// At most 50 tasks.
    pub task_ids: Vec<ID>,
    /// Writes in this author's tone and language.
    pub author_profile_id: Option<ID>,
}

#[derive(InputObject)]
pub struct GenerateImagePromptsInput {
    pub content_ids: Vec<ID>,
    /// In-article prompts per article, 1–6 (default 3).
    pub max_in_article: Option<i32>,
}

#[derive(InputObject)]
pub struct GenerateImagesInput {
    /// At most 6 images.
    pub image_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct CancelJobInput {
    pub job_id: ID,
}

/// Queues a job of `input` for the caller (`igny8_jobs::enqueue` checks
/// everything) and returns it at once.
pub(crate) async fn enqueue(ctx: &Context<'_>, input: JobInput) -> Result<AiJob> {
    let a = actor(ctx).await?;
    let bus = ctx.data_unchecked::<Arc<JobsBus>>();
    let job = igny8_jobs::enqueue(db(ctx), bus, a, input)
        .await
        .map_err(gql)?;
    Ok(AiJob(job))
}

fn author(id: Option<&ID>) -> Result<Option<uuid::Uuid>> {
    Ok(id.map(|i| parse_id("authorProfileId", i)).transpose()?)
}

#[Object]
impl JobsMutation {
    /// Clusters up to 20 keywords of one sector (JOB-1). Returns the queued job at once.
    async fn auto_cluster_keywords(
        &self,
        ctx: &Context<'_>,
        input: AutoClusterKeywordsInput,
    ) -> Result<AiJob> {
        let input = j::AutoClusterInput {
            keyword_ids: parse_ids("keywordIds", &input.keyword_ids)?,
            sector_id: None,
        };
        enqueue(ctx, JobInput::AutoCluster(input)).await
    }

    /// Writes content ideas for one cluster (JOB-1).
    async fn generate_ideas(&self, ctx: &Context<'_>, input: GenerateIdeasInput) -> Result<AiJob> {
        let input = j::GenerateIdeasInput {
            cluster_id: parse_id("clusterId", &input.cluster_id)?,
            author_profile_id: author(input.author_profile_id.as_ref())?,
        };
        enqueue(ctx, JobInput::GenerateIdeas(input)).await
    }

    /// Writes the articles of up to 50 tasks (JOB-1).
    async fn generate_content(
        &self,
        ctx: &Context<'_>,
        input: GenerateContentInput,
    ) -> Result<AiJob> {
        let input = j::GenerateContentInput {
            task_ids: parse_ids("taskIds", &input.task_ids)?,
            author_profile_id: author(input.author_profile_id.as_ref())?,
        };
        enqueue(ctx, JobInput::GenerateContent(input)).await
    }

    /// Writes a featured and 1–6 in-article image prompts per article (JOB-1).
    async fn generate_image_prompts(
        &self,
        ctx: &Context<'_>,
        input: GenerateImagePromptsInput,
    ) -> Result<AiJob> {
        let max = input.max_in_article.unwrap_or(3);
        let input = j::GenerateImagePromptsInput {
            content_ids: parse_ids("contentIds", &input.content_ids)?,
            // out of range stays out of range: the contract refuses it
            max_in_article: u8::try_from(max.clamp(0, 255)).unwrap_or(0),
        };
        enqueue(ctx, JobInput::GenerateImagePrompts(input)).await
    }

    /// Renders up to 6 images from their prompts (JOB-1).
    async fn generate_images(
        &self,
        ctx: &Context<'_>,
        input: GenerateImagesInput,
    ) -> Result<AiJob> {
        let input = j::GenerateImagesInput {
            image_ids: parse_ids("imageIds", &input.image_ids)?,
        };
        enqueue(ctx, JobInput::GenerateImages(input)).await
    }

    /// Cancels a job: a queued one at once, a running one at its next step.
    /// Its credit hold is released. A job of a site the caller was not
    /// granted is `NOT_FOUND`, as another account's.
    async fn cancel_job(&self, ctx: &Context<'_>, input: CancelJobInput) -> Result<AiJob> {
        let a = actor(ctx).await?;
        let id = parse_id("jobId", &input.job_id)?;
        let scope = job_scope(a);
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let not_found = |e: DbError| match e {
            DbError::NotFound => gql(ApiError::NotFound("job")),
            other => gql(other),
        };
        let seen = igny8_db::jobs::get(&mut tx, &scope, id)
            .await
            .map_err(not_found)?;
        if !a.role.can_write() {
            return Err(ApiError::forbidden("viewers cannot cancel jobs").into());
        }
        if let Some(site) = seen.site_id {
            ensure_writer(a, site)?;
        }
        let job = igny8_db::jobs::request_cancel(&mut tx, &scope, id)
            .await
            .map_err(not_found)?;
        tx.commit().await.map_err(gql)?;
        if job.status == JobStatus::Cancelled {
            ctx.data_unchecked::<Arc<JobsBus>>().publish(&job).await;
        }
        Ok(AiJob(job))
    }
}
