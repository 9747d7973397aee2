//! Enqueueing (DESIGN §5): one function for every kind. In one tenant
//! transaction it validates the input's limits, lets the kind check the
//! objects against the actor (visible, writable, one site), checks the
//! author profile, inserts the job and holds its credits (last); after the
//! commit it adds the job to the stream and publishes its first event
//! (`crate::bus`, on a time budget: Redis being down delays the job, it
//! never loses it or stalls the caller).

use crate::bus::JobsBus;
use crate::kinds::{Kind, Refusal};
use igny8_core::Actor;
use igny8_core::jobs::{CreditCosts, InputRefusal, JobInput};
use igny8_db::models::AiJob;
use igny8_db::{Db, DbError, Tx};
use uuid::Uuid;

/// Why a job was not queued; nothing was written or held.
#[derive(Debug)]
pub enum EnqueueError {
    Input(InputRefusal),
    Refused(Refusal),
    InsufficientCredits { available: i64, needed: i64 },
    Db(DbError),
}

impl From<DbError> for EnqueueError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::InsufficientCredits { available, needed } => {
                EnqueueError::InsufficientCredits { available, needed }
            }
            other => EnqueueError::Db(other),
        }
    }
}

impl From<Refusal> for EnqueueError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Db(e) => e.into(),
            other => EnqueueError::Refused(other),
        }
    }
}

/// Queues a job of `input` for `actor` and returns it (status `queued`).
pub async fn enqueue(
    db: &Db,
    bus: &JobsBus,
    actor: &Actor,
    input: JobInput,
) -> Result<AiJob, EnqueueError> {
    // the job is the account's: work in its tenant, see only what the actor sees
    let mut tx = db.begin_tenant(actor.account_id).await?;
    let job = enqueue_in(&mut tx, actor, input).await?;
    tx.commit().await?;
    bus.announce(&job).await;
    tracing::info!(job.id = %job.id, job.kind = %job.kind, credits.held = job.credits_held, "job queued");
    Ok(job)
}

/// The transactional part of [`enqueue`], in the caller's tenant
/// transaction of the actor's account (an automation run queues its batch
/// together with its own bookkeeping). On an error the caller must roll
/// back (the job row may be written); after the commit it announces the
/// job with [`JobsBus::announce`].
pub async fn enqueue_in(
    tx: &mut Tx,
    actor: &Actor,
    input: JobInput,
) -> Result<AiJob, EnqueueError> {
    let mut input = input.validated().map_err(EnqueueError::Input)?;
    let site = crate::for_each_kind!(&mut input, |K, i| K::admit(tx, actor, i).await)?;
    if let Some(author) = input.author_profile_id() {
        igny8_db::thinker::get_author(tx, actor.account_id, author)
            .await
            .map_err(|e| match e {
                DbError::NotFound => EnqueueError::Refused(Refusal::NotFound("author profile")),
                other => other.into(),
            })?;
    }
    insert(tx, actor, &input, site).await
}

/// The job row and its hold (the hold last, so the account row is locked
/// only from there to COMMIT).
async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    input: &JobInput,
    site: Uuid,
) -> Result<AiJob, EnqueueError> {
    let plan = igny8_db::accounts::plan_of_account(tx, actor.account_id).await?;
    let hold = input.hold(&CreditCosts::with_overrides(&plan.credit_costs));
    Ok(igny8_db::jobs::enqueue(
        tx,
        igny8_db::jobs::NewJob {
            account_id: actor.account_id,
            user_id: actor.user_id,
            site_id: Some(site),
            kind: input.kind(),
            payload: input.to_payload(),
            items_total: input.items_total(),
            hold,
        },
    )
    .await?)
}
