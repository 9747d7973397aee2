//! Cancelling (JOB-4): who may stop a job, and telling its subscribers.
//! A queued job is cancelled at once, a running one flagged to stop at its
//! next step; either way its hold is released (`igny8_db::jobs::request_cancel`).

use crate::bus::JobsBus;
use crate::kinds::Refusal;
use igny8_core::Actor;
use igny8_core::jobs::JobStatus;
use igny8_db::models::AiJob;
use igny8_db::{Db, DbError};
use uuid::Uuid;

/// Cancels job `id` for `actor` and returns its new state. A job the actor
/// cannot see (another account's, or of a site not granted) is
/// `NotFound("job")`; viewers, and editors of a site they only read, are
/// refused.
pub async fn cancel(db: &Db, bus: &JobsBus, actor: &Actor, id: Uuid) -> Result<AiJob, Refusal> {
    let scope = actor.job_scope();
    let not_found = |e| match e {
        DbError::NotFound => Refusal::NotFound("job"),
        other => Refusal::Db(other),
    };
    let mut tx = db.begin(&scope).await?;
    let seen = igny8_db::jobs::get(&mut tx, &scope, id)
        .await
        .map_err(not_found)?;
    if !actor.role.can_write() {
        return Err(Refusal::Forbidden("viewers cannot cancel jobs".into()));
    }
    if let Some(site) = seen.site_id
        && !actor.can_write_site(site)
    {
        return Err(Refusal::Forbidden(
            "you can read this site but not change it".into(),
        ));
    }
    let job = igny8_db::jobs::request_cancel(&mut tx, &scope, id)
        .await
        .map_err(not_found)?;
    tx.commit().await?;
    if job.status == JobStatus::Cancelled {
        bus.publish(&job).await;
    }
    Ok(job)
}
