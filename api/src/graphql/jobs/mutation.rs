use super::bus::JobsBus;
use super::types::AiJob;
use crate::error::{ApiError, ApiResult, gql};
use crate::graphql::connection::{parse_id, parse_ids};
use crate::graphql::context::{actor, db};
use crate::graphql::planner::mutation::ensure_writer;
use crate::graphql::thinker::query::not_found;
use async_graphql::{Context, ID, InputObject, Object, Result};
use igny8_core::jobs::{self as j, AiFunction, CreditCosts};
use igny8_core::{Actor, Scope};
use igny8_db::{DbError, Tx};
use serde_json::json;
use uuid::Uuid;

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

/// Ids of one request: present, within the limit, well-formed, unique.
fn request_ids(field: &str, ids: &[ID], max: usize) -> ApiResult<Vec<Uuid>> {
    if ids.is_empty() {
        return Err(ApiError::bad_input(
            field,
            format!("{field}: give at least one id"),
        ));
    }
    let mut ids = parse_ids(field, ids)?;
    ids.sort();
    ids.dedup();
    if ids.len() > max {
        return Err(ApiError::LimitExceeded(format!(
            "at most {max} per request ({} given)",
            ids.len()
        )));
    }
    Ok(ids)
}

/// Checks a set of rows: all visible (else `NOT_FOUND`), writable, one site.
fn same_site<T>(
    a: &Actor,
    rows: &[T],
    want: usize,
    site: impl Fn(&T) -> Uuid,
    what: &'static str,
) -> ApiResult<Uuid> {
    if rows.len() != want {
        return Err(ApiError::NotFound(what));
    }
    let s = site(&rows[0]);
    for r in rows {
        ensure_writer(a, site(r))?;
    }
    Ok(s)
}

/// Holds credits, records the job, commits, then queues and announces it.
async fn enqueue(
    ctx: &Context<'_>,
    mut tx: Tx,
    a: &Actor,
    f: AiFunction,
    payload: serde_json::Value,
    requested: i64,
    items_total: i32,
    site_id: Uuid,
) -> Result<AiJob> {
    let account = igny8_db::accounts::get(&mut tx, a.account_id)
        .await
        .map_err(gql)?;
    let plan = igny8_db::accounts::plan(&mut tx, account.plan_id)
        .await
        .map_err(gql)?;
    let hold = CreditCosts::with_overrides(&plan.credit_costs).hold(f, requested);
    let job = igny8_db::jobs::enqueue(
        &mut tx,
        igny8_db::jobs::NewJob {
            account_id: a.account_id,
            user_id: a.user_id,
            site_id: Some(site_id),
            function: f.as_str().into(),
            payload,
            items_total,
            hold,
        },
    )
    .await
    .map_err(|e| match e {
        DbError::InsufficientCredits { available, needed } => gql(ApiError::InsufficientCredits(
            format!("this needs {needed} credits; {available} are available"),
        )),
        other => gql(other),
    })?;
    tx.commit().await.map_err(gql)?;
    ctx.data_unchecked::<std::sync::Arc<JobsBus>>()
        .announce(&job)
        .await;
    tracing::info!(job.id = %job.id, job.function = f.as_str(), credits.held = hold, "job queued");
    Ok(AiJob(job))
}

/// Adds the author profile a request picked to its payload; another
/// account's profile is `NOT_FOUND`.
async fn with_author(
    tx: &mut Tx,
    a: &Actor,
    id: Option<&ID>,
    mut payload: serde_json::Value,
) -> Result<serde_json::Value> {
    if let Some(id) = id {
        let id = parse_id("authorProfileId", id)?;
        igny8_db::thinker::get_author(tx, a.account_id, id)
            .await
            .map_err(not_found("author profile"))?;
        payload["author_profile_id"] = json!(id);
    }
    Ok(payload)
}

async fn begin(ctx: &Context<'_>, a: &Actor) -> Result<Tx> {
    // the job is the account's: work in its tenant, see only what the actor sees
    db(ctx).begin_tenant(a.account_id).await.map_err(gql)
}

#[Object]
impl JobsMutation {
    /// Clusters up to 20 keywords of one sector (JOB-1). Returns the queued job at once.
    async fn auto_cluster_keywords(
        &self,
        ctx: &Context<'_>,
        input: AutoClusterKeywordsInput,
    ) -> Result<AiJob> {
        let a = actor(ctx).await?;
        let ids = request_ids("keywordIds", &input.keyword_ids, j::MAX_CLUSTER_KEYWORDS)?;
        let scope = a.scope();
        let mut tx = begin(ctx, a).await?;
        let rows = igny8_db::keywords::by_ids(&mut tx, &scope, &ids)
            .await
            .map_err(gql)?;
        let site = same_site(a, &rows, ids.len(), |k| k.site_id, "keyword")?;
        if rows.iter().any(|k| k.sector_id != rows[0].sector_id) {
            return Err(ApiError::bad_input(
                "keywordIds",
                "keywordIds: cluster keywords of one sector at a time",
            )
            .into());
        }
        let payload = json!({"keyword_ids": ids, "sector_id": rows[0].sector_id});
        enqueue(
            ctx,
            tx,
            a,
            AiFunction::AutoCluster,
            payload,
            ids.len() as i64,
            1,
            site,
        )
        .await
    }

    /// Writes content ideas for one cluster (JOB-1).
    async fn generate_ideas(&self, ctx: &Context<'_>, input: GenerateIdeasInput) -> Result<AiJob> {
        let a = actor(ctx).await?;
        let id = parse_id("clusterId", &input.cluster_id)?;
        let scope = a.scope();
        let mut tx = begin(ctx, a).await?;
        let rows = igny8_db::clusters::by_ids(&mut tx, &scope, &[id])
            .await
            .map_err(gql)?;
        let site = same_site(a, &rows, 1, |c| c.site_id, "cluster")?;
        let payload = with_author(
            &mut tx,
            a,
            input.author_profile_id.as_ref(),
            json!({"cluster_ids": [id]}),
        )
        .await?;
        enqueue(ctx, tx, a, AiFunction::GenerateIdeas, payload, 1, 1, site).await
    }

    /// Writes the articles of up to 50 tasks (JOB-1).
    async fn generate_content(
        &self,
        ctx: &Context<'_>,
        input: GenerateContentInput,
    ) -> Result<AiJob> {
        let a = actor(ctx).await?;
        let ids = request_ids("taskIds", &input.task_ids, j::MAX_CONTENT_TASKS)?;
        let scope = a.scope();
        let mut tx = begin(ctx, a).await?;
        let rows = igny8_db::tasks::by_ids(&mut tx, &scope, &ids)
            .await
            .map_err(gql)?;
        let site = same_site(a, &rows, ids.len(), |t| t.site_id, "task")?;
        let payload = with_author(
            &mut tx,
            a,
            input.author_profile_id.as_ref(),
            json!({"task_ids": ids}),
        )
        .await?;
        enqueue(
            ctx,
            tx,
            a,
            AiFunction::GenerateContent,
            payload,
            ids.len() as i64,
            ids.len() as i32,
            site,
        )
        .await
    }

    /// Writes a featured and 1–6 in-article image prompts per article (JOB-1).
    async fn generate_image_prompts(
        &self,
        ctx: &Context<'_>,
        input: GenerateImagePromptsInput,
    ) -> Result<AiJob> {
        let a = actor(ctx).await?;
        let ids = request_ids(
            "contentIds",
            &input.content_ids,
            j::MAX_IMAGE_PROMPT_CONTENTS,
        )?;
        let max = input.max_in_article.unwrap_or(3);
        if !(1..=6).contains(&max) {
            return Err(ApiError::bad_input(
                "maxInArticle",
                "maxInArticle: must be between 1 and 6",
            )
            .into());
        }
        let scope = a.scope();
        let mut tx = begin(ctx, a).await?;
        let rows = igny8_db::contents::by_ids(&mut tx, &scope, &ids)
            .await
            .map_err(gql)?;
        let site = same_site(a, &rows, ids.len(), |c| c.site_id, "content")?;
        let payload = json!({"content_ids": ids, "max_in_article": max});
        enqueue(
            ctx,
            tx,
            a,
            AiFunction::GenerateImagePrompts,
            payload,
            ids.len() as i64,
            ids.len() as i32,
            site,
        )
        .await
    }

    /// Renders up to 6 images from their prompts (JOB-1).
    async fn generate_images(
        &self,
        ctx: &Context<'_>,
        input: GenerateImagesInput,
    ) -> Result<AiJob> {
        let a = actor(ctx).await?;
        let ids = request_ids("imageIds", &input.image_ids, j::MAX_IMAGES)?;
        let scope = a.scope();
        let mut tx = begin(ctx, a).await?;
        let rows = igny8_db::images::by_ids(&mut tx, &scope, &ids)
            .await
            .map_err(gql)?;
        let site = same_site(a, &rows, ids.len(), |i| i.site_id, "image")?;
        if let Some(img) = rows.iter().find(|i| i.prompt.trim().is_empty()) {
            return Err(ApiError::bad_input(
                "imageIds",
                format!("imageIds: image {} has no prompt", img.id),
            )
            .into());
        }
        enqueue(
            ctx,
            tx,
            a,
            AiFunction::GenerateImages,
            json!({"image_ids": ids}),
            ids.len() as i64,
            ids.len() as i32,
            site,
        )
        .await
    }

    /// Cancels a job: a queued one at once, a running one at its next step.
    /// Its credit hold is released.
    async fn cancel_job(&self, ctx: &Context<'_>, input: CancelJobInput) -> Result<AiJob> {
        let a = actor(ctx).await?;
        let id = parse_id("jobId", &input.job_id)?;
        if !a.role.can_write() {
            return Err(ApiError::forbidden("viewers cannot cancel jobs").into());
        }
        let mut tx = db(ctx)
            .begin(&Scope::account(a.account_id))
            .await
            .map_err(gql)?;
        let job = igny8_db::jobs::request_cancel(&mut tx, a.account_id, id)
            .await
            .map_err(|e| match e {
                DbError::NotFound => gql(ApiError::NotFound("job")),
                other => gql(other),
            })?;
        tx.commit().await.map_err(gql)?;
        if job.status == "cancelled" {
            ctx.data_unchecked::<std::sync::Arc<JobsBus>>()
                .publish(&job)
                .await;
        }
        Ok(AiJob(job))
    }
}
