use super::bus::JobsBus;
use super::types::AiJob;
use crate::error::{ApiError, gql};
use crate::graphql::spine::{caller, not_found, optional_id, parse_id, parse_ids};
use async_graphql::{Context, ID, InputObject, Object, Result};
use igny8_core::jobs::{self as j, JobInput};
use std::sync::Arc;

#[derive(Default)]
pub struct JobsMutation;

#[derive(InputObject)]
pub struct AutoClusterKeywordsInput {
    /// Keywords of one sector, at most 5,000 (the job clusters them in
    /// provider calls of at most 20 and merges the results). Give these or
    /// `sectorId`.
    pub keyword_ids: Option<Vec<ID>>,
    /// Cluster every active keyword of this sector that is in no cluster
    /// (with `recluster`, every active keyword).
    pub sector_id: Option<ID>,
    /// Keywords already in a cluster may move to another (each move is
    /// reported in the job's items). Default false: they are never touched,
    /// and named ones are left out of the job.
    pub recluster: Option<bool>,
}

#[derive(InputObject)]
pub struct GenerateIdeasInput {
    pub cluster_id: ID,
    /// Writes in this author's tone and language.
    pub author_profile_id: Option<ID>,
    /// The cluster has ideas and wants more: the provider is given their
    /// titles and asked for different ones. Either way an idea whose title
    /// (compared normalised) the cluster has is not saved and not charged.
    pub more: Option<bool>,
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

#[derive(InputObject)]
pub struct RetryFailedItemsInput {
    /// A finished job with failed (or, cancelled, unfinished) items.
    pub job_id: ID,
}

/// Queues a job of `input` for the caller (`igny8_jobs::enqueue` checks
/// everything) and returns it at once.
pub(crate) async fn enqueue(ctx: &Context<'_>, input: JobInput) -> Result<AiJob> {
    let c = caller(ctx).await?;
    let bus = ctx.data_unchecked::<Arc<JobsBus>>();
    let job = igny8_jobs::enqueue(c.db(), bus, c.actor, input)
        .await
        .map_err(gql)?;
    Ok(AiJob(job))
}

fn author(id: Option<&ID>) -> Result<Option<uuid::Uuid>> {
    Ok(optional_id("authorProfileId", id)?)
}

#[Object]
impl JobsMutation {
    /// Clusters keywords of one sector — the ones named, or the sector's
    /// unclustered active keywords — in provider calls of at most 20,
    /// merging clusters of the same name across calls and with the
    /// sector's existing clusters (JOB-1). Charged 1 credit per 30
    /// keywords clustered. Returns the queued job at once.
    async fn auto_cluster_keywords(
        &self,
        ctx: &Context<'_>,
        input: AutoClusterKeywordsInput,
    ) -> Result<AiJob> {
        let sector_id = input
            .sector_id
            .as_ref()
            .map(|s| parse_id("sectorId", s))
            .transpose()?;
        let input = j::AutoClusterInput {
            keyword_ids: parse_ids("keywordIds", input.keyword_ids.as_deref().unwrap_or(&[]))?,
            whole_sector: sector_id.is_some(),
            sector_id,
            recluster: input.recluster.unwrap_or(false),
            left_in_clusters: 0,
        };
        enqueue(ctx, JobInput::AutoCluster(input)).await
    }

    /// Writes content ideas for one cluster (JOB-1).
    async fn generate_ideas(&self, ctx: &Context<'_>, input: GenerateIdeasInput) -> Result<AiJob> {
        let input = j::GenerateIdeasInput {
            cluster_id: parse_id("clusterId", &input.cluster_id)?,
            author_profile_id: author(input.author_profile_id.as_ref())?,
            more: input.more.unwrap_or(false),
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

    /// Queues a new job of the same kind and options over just the items
    /// of `jobId` that failed or were cancelled before they were done. The
    /// new job is checked like any request (the items must still exist and
    /// be writable; credits are held for them). `BAD_USER_INPUT` on `jobId`
    /// when the job is not finished or every item succeeded.
    async fn retry_failed_items(
        &self,
        ctx: &Context<'_>,
        input: RetryFailedItemsInput,
    ) -> Result<AiJob> {
        let c = caller(ctx).await?.for_jobs();
        let id = parse_id("jobId", &input.job_id)?;
        let job = c
            .read(async |tx| {
                igny8_db::jobs::get(tx, &c.scope, id)
                    .await
                    .map_err(not_found("job"))
            })
            .await?;
        let bad = |m: &str| gql(ApiError::bad_input("jobId", m));
        if !job.status.is_terminal() {
            return Err(bad("the job has not finished yet"));
        }
        let again: Vec<uuid::Uuid> = job
            .item_outcomes()
            .into_iter()
            .filter(|o| o.status != j::ItemStatus::Succeeded)
            .map(|o| o.id)
            .collect();
        let original = JobInput::decode(job.kind, &job.payload)
            .map_err(|e| gql(ApiError::internal(e.to_string())))?;
        let retry = original
            .only_items(&again)
            .ok_or_else(|| bad("the job has no failed items to retry"))?;
        enqueue(ctx, retry).await
    }

    /// Cancels a job: a queued one at once, a running one at its next step.
    /// Its credit hold is released. A job of a site the caller was not
    /// granted is `NOT_FOUND`, as another account's.
    async fn cancel_job(&self, ctx: &Context<'_>, input: CancelJobInput) -> Result<AiJob> {
        let c = caller(ctx).await?;
        let id = parse_id("jobId", &input.job_id)?;
        let bus = ctx.data_unchecked::<Arc<JobsBus>>();
        let job = igny8_jobs::cancel(c.db(), bus, c.actor, id)
            .await
            .map_err(gql)?;
        Ok(AiJob(job))
    }
}
