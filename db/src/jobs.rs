//! AI jobs: enqueue with a credit hold, fenced claims and progress, one-
//! transaction settlement, cancellation, and the sweeper's queries.
//!
//! Every transition that a worker makes is fenced by its lease token: a
//! worker whose lease was taken over (a zombie) changes nothing.

use crate::Listed;
use crate::error::{DbError, DbResult};
use crate::listing::{self, Listable, Order, Where};
use crate::models::{AiJob, CreditTransaction, CreditUsageLog};
use crate::schema::{accounts, ai_jobs, credit_transactions, credit_usage_logs};
use crate::stored::Stored;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::jobs::{ItemOutcome, JobInput, JobKind, JobPhase, JobStatus};
use igny8_core::page::PageArgs;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JobFilter {
    pub status: Option<JobStatus>,
    pub kind: Option<JobKind>,
    pub site_id: Option<Uuid>,
    /// Only queued and running jobs.
    pub active: Option<bool>,
}

pub struct Jobs;

impl Listable for Jobs {
    type Row = AiJob;
    type Filter = JobFilter;
    type Order = Order<()>;
    const TABLE: &'static str = "ai_jobs";

    fn filter(w: &mut Where<'_>, f: &JobFilter) {
        w.eq_text("status", f.status.map(JobStatus::as_str));
        w.eq_text("kind", f.kind.map(JobKind::as_str));
        w.eq_uuid("site_id", f.site_id);
        match f.active {
            Some(true) => {
                w.and("t.status IN ('queued', 'running')");
            }
            Some(false) => {
                w.and("t.status NOT IN ('queued', 'running')");
            }
            None => {}
        }
    }

    fn order(_: &[Order<()>]) -> String {
        Self::default_order().to_owned()
    }

    fn default_order() -> &'static str {
        "t.created_at DESC"
    }
}

/// Jobs the scope sees: its account's, and of those only the jobs of its
/// granted sites when it has grants (a job belongs to the site its objects
/// are in; a job of an ungranted site is as missing as another account's).
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &JobFilter,
    args: &PageArgs,
) -> DbResult<Listed<AiJob>> {
    listing::list::<Jobs>(conn, scope, f, &[], args).await
}

/// One job the scope sees (account and granted sites), or `NotFound`.
pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<AiJob> {
    listing::get::<Jobs>(conn, scope, id).await
}

pub struct NewJob {
    pub account_id: Uuid,
    pub user_id: Uuid,
    pub site_id: Option<Uuid>,
    pub kind: JobKind,
    pub payload: serde_json::Value,
    pub items_total: i32,
    pub hold: i64,
}

/// Inserts a queued job and holds its credits in the same transaction:
/// `held += hold` only where `balance − held ≥ hold`, so concurrent
/// enqueues can never overdraw. The hold is the last statement: call it
/// last in the transaction too.
pub async fn enqueue(conn: &mut AsyncPgConnection, n: NewJob) -> DbResult<AiJob> {
    let now = Utc::now();
    let job = AiJob {
        id: Uuid::now_v7(),
        account_id: n.account_id,
        user_id: Some(n.user_id),
        site_id: n.site_id,
        kind: n.kind,
        payload: n.payload,
        status: JobStatus::Queued,
        phase: JobPhase::Init,
        attempt: 0,
        deliveries: 0,
        lease_token: None,
        lease_expires_at: None,
        run_after: now,
        percent: 0,
        items_done: 0,
        items_total: n.items_total,
        message: "queued".into(),
        error: None,
        raw_output: None,
        result: None,
        model: None,
        tokens_in: 0,
        tokens_out: 0,
        cost_micro_usd: 0,
        credits_held: n.hold,
        credits_charged: 0,
        cancel_requested: false,
        seq: 1,
        enqueued_at: now,
        created_at: now,
        started_at: None,
        finished_at: None,
    };
    diesel::insert_into(ai_jobs::table)
        .values(job.clone())
        .execute(conn)
        .await?;
    // the hold last: the account row stays locked (against SAVEs of the
    // same account) only from here to COMMIT
    let held = diesel::update(
        accounts::table
            .filter(accounts::id.eq(job.account_id))
            .filter((accounts::credits_balance - accounts::credits_held).ge(job.credits_held)),
    )
    .set(accounts::credits_held.eq(accounts::credits_held + job.credits_held))
    .execute(conn)
    .await?;
    if held == 0 {
        // the caller rolls back, the job row with it
        let acc = crate::accounts::get(conn, job.account_id).await?;
        return Err(DbError::InsufficientCredits {
            available: acc.credits_balance - acc.credits_held,
            needed: job.credits_held,
        });
    }
    Ok(job)
}

/// A progress step: what `ai_jobs` shows (and the event carries).
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub phase: JobPhase,
    pub percent: i32,
    pub items_done: i32,
    pub items_total: i32,
    pub message: &'a str,
}

/// What a stream delivery found.
#[derive(Debug)]
pub enum Delivery {
    /// No such job.
    Missing,
    /// Claimed with the new lease token and at the claim's step.
    Claimed(AiJob),
    /// Not claimable (owned, not due, finished, or delivered more than
    /// `max_deliveries` times); the row as it is, deliveries counted.
    Refused(AiJob),
}

#[derive(QueryableByName)]
struct Delivered {
    #[diesel(embed)]
    job: AiJob,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    claimed: bool,
}

/// A stream delivery in one statement: counts it and, if the job is due
/// (queued and due, or running with an expired lease) and not delivered
/// more than `max_deliveries` times, claims it with a fresh lease token
/// and records its first progress step (`phase`, `percent`, `message`, no
/// item done; `seq` + 1). System work: the worker crosses tenants.
#[allow(clippy::too_many_arguments)]
pub async fn deliver(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    lease_secs: i64,
    max_deliveries: i32,
    phase: JobPhase,
    percent: i32,
    message: &str,
) -> DbResult<Delivery> {
    let row: Option<Delivered> = diesel::sql_query(
        "WITH c AS (SELECT id, (deliveries + 1 <= $4
                                AND ((status = 'queued' AND run_after <= now())
                                  OR (status = 'running' AND lease_expires_at < now()))) AS ok
                      FROM ai_jobs WHERE id = $1 FOR UPDATE)
         UPDATE ai_jobs j SET deliveries = j.deliveries + 1,
                status = CASE WHEN c.ok THEN 'running' ELSE j.status END,
                lease_token = CASE WHEN c.ok THEN $2 ELSE j.lease_token END,
                lease_expires_at = CASE WHEN c.ok THEN now() + make_interval(secs => $3) ELSE j.lease_expires_at END,
                attempt = CASE WHEN c.ok THEN j.attempt + 1 ELSE j.attempt END,
                started_at = CASE WHEN c.ok THEN COALESCE(j.started_at, now()) ELSE j.started_at END,
                phase = CASE WHEN c.ok THEN $5 ELSE j.phase END,
                percent = CASE WHEN c.ok THEN $6 ELSE j.percent END,
                items_done = CASE WHEN c.ok THEN 0 ELSE j.items_done END,
                message = CASE WHEN c.ok THEN $7 ELSE j.message END,
                seq = CASE WHEN c.ok THEN j.seq + 1 ELSE j.seq END
           FROM c WHERE j.id = c.id
         RETURNING j.*, c.ok AS claimed",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<BigInt, _>(lease_secs)
    .bind::<Integer, _>(max_deliveries)
    .bind::<Text, _>(Stored(phase))
    .bind::<Integer, _>(percent)
    .bind::<Text, _>(message)
    .get_result(conn)
    .await
    .optional()?;
    Ok(match row {
        None => Delivery::Missing,
        Some(d) if d.claimed => Delivery::Claimed(d.job),
        Some(d) => Delivery::Refused(d.job),
    })
}

/// Extends a lease; `false` means the lease is lost.
/// Extends the lease. `None`: the lease is lost; else whether cancellation
/// was requested (so a call in flight can be aborted).
pub async fn renew(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    lease_secs: i64,
) -> DbResult<Option<bool>> {
    #[derive(QueryableByName)]
    struct Renewed {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        cancel_requested: bool,
    }
    let row: Option<Renewed> = diesel::sql_query(
        "UPDATE ai_jobs SET lease_expires_at = now() + make_interval(secs => $3)
          WHERE id = $1 AND lease_token = $2 AND status = 'running'
          RETURNING cancel_requested",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<BigInt, _>(lease_secs)
    .get_result(conn)
    .await
    .optional()?;
    Ok(row.map(|r| r.cancel_requested))
}

/// Extends every lease of `leases` (job id, token) in one statement.
/// Returns the leases still held, each with whether cancellation was
/// requested; a lease missing from the answer is lost.
pub async fn renew_many(
    conn: &mut AsyncPgConnection,
    leases: &[(Uuid, Uuid)],
    lease_secs: i64,
) -> DbResult<Vec<(Uuid, bool)>> {
    #[derive(QueryableByName)]
    struct Renewed {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        cancel_requested: bool,
    }
    if leases.is_empty() {
        return Ok(vec![]);
    }
    let (ids, tokens): (Vec<Uuid>, Vec<Uuid>) = leases.iter().copied().unzip();
    let rows: Vec<Renewed> = diesel::sql_query(
        "UPDATE ai_jobs j SET lease_expires_at = now() + make_interval(secs => $3)
           FROM unnest($1::uuid[], $2::uuid[]) AS l(id, token)
          WHERE j.id = l.id AND j.lease_token = l.token AND j.status = 'running'
          RETURNING j.id, j.cancel_requested",
    )
    .bind::<diesel::sql_types::Array<SqlUuid>, _>(ids)
    .bind::<diesel::sql_types::Array<SqlUuid>, _>(tokens)
    .bind::<BigInt, _>(lease_secs)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.cancel_requested))
        .collect())
}

/// Records a progress step (next `seq`), fenced by the lease token. `None`:
/// the lease is lost. Also reports whether cancellation was requested.
/// One statement: the worker sends it through [`crate::Db::system`], or
/// inside the job's tenant transaction.
pub async fn progress(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    step: &Step<'_>,
) -> DbResult<Option<AiJob>> {
    progress_by(conn, id, token, step, 1).await
}

/// [`progress`] for a step that the caller publishes with `events − 1`
/// steps passed through before it (`seq` advances by `events`).
pub async fn progress_by(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    step: &Step<'_>,
    events: i64,
) -> DbResult<Option<AiJob>> {
    Ok(diesel::sql_query(
        "UPDATE ai_jobs SET phase = $3, percent = $4, items_done = $5, items_total = $6, message = $7, seq = seq + $8
          WHERE id = $1 AND lease_token = $2 AND status = 'running'
          RETURNING *",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<Text, _>(Stored(step.phase))
    .bind::<Integer, _>(step.percent)
    .bind::<Integer, _>(step.items_done)
    .bind::<Integer, _>(step.items_total)
    .bind::<Text, _>(step.message)
    .bind::<BigInt, _>(events)
    .get_result(conn)
    .await
    .optional()?)
}

/// What AI_CALL produced and paid for.
pub struct RawOutput<'a> {
    pub raw: &'a serde_json::Value,
    pub model: &'a str,
    pub tokens_in: i32,
    pub tokens_out: i32,
    pub cost_micro_usd: i64,
}

/// Keeps the provider's output so a retry parses it instead of paying
/// again, and records the next step (PARSE) in the same statement. Fenced
/// like [`progress`]; `None`: the lease is lost.
pub async fn store_raw_output(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    out: &RawOutput<'_>,
    step: &Step<'_>,
) -> DbResult<Option<AiJob>> {
    Ok(diesel::sql_query(
        "UPDATE ai_jobs SET raw_output = $3, model = $4, tokens_in = $5, tokens_out = $6, cost_micro_usd = $7,
                phase = $8, percent = $9, items_done = $10, items_total = $11, message = $12, seq = seq + 1
          WHERE id = $1 AND lease_token = $2 AND status = 'running'
          RETURNING *",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<Jsonb, _>(out.raw)
    .bind::<Text, _>(out.model)
    .bind::<Integer, _>(out.tokens_in)
    .bind::<Integer, _>(out.tokens_out)
    .bind::<BigInt, _>(out.cost_micro_usd)
    .bind::<Text, _>(Stored(step.phase))
    .bind::<Integer, _>(step.percent)
    .bind::<Integer, _>(step.items_done)
    .bind::<Integer, _>(step.items_total)
    .bind::<Text, _>(step.message)
    .get_result(conn)
    .await
    .optional()?)
}

/// What a SAVE settles.
pub struct Settlement {
    /// Decided by the items (`core::jobs::outcome_status`): succeeded,
    /// partial, failed, or cancelled after saving what was finished.
    pub status: JobStatus,
    /// Set when items failed: how many, and the first reason.
    pub error: Option<String>,
    pub charge: i64,
    /// `{summary, items, errors, outcomes: [ItemOutcome]}`.
    pub result: serde_json::Value,
    pub message: String,
    pub operation: String,
    pub related_type: Option<String>,
    pub related_ids: Vec<Uuid>,
}

#[derive(QueryableByName)]
struct Fenced {
    #[diesel(embed)]
    job: AiJob,
    #[diesel(sql_type = BigInt)]
    old_held: i64,
}

#[derive(QueryableByName)]
struct Balance {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)] // the row's presence is what counts
    credits_balance: i64,
}

/// SAVE, part two (call inside the transaction that wrote the results,
/// as its last statements): ends the job as its items say — only with the
/// current lease token —, writes the usage log (unique per job), then turns
/// the hold into a charge for what succeeded, releases the rest and writes
/// the credit transaction in one statement, so the account row is locked
/// only from there to COMMIT. `None`: the lease was lost; the caller must
/// roll back everything.
pub async fn settle_success(
    conn: &mut AsyncPgConnection,
    job: &AiJob,
    token: Uuid,
    s: Settlement,
) -> DbResult<Option<AiJob>> {
    let fenced: Option<Fenced> = diesel::sql_query(
        "WITH old AS (SELECT credits_held AS old_held FROM ai_jobs WHERE id = $1 AND lease_token = $2 AND status = 'running' FOR UPDATE)
         UPDATE ai_jobs j SET status = $6, phase = 'done', percent = 100, seq = seq + 1,
                credits_charged = LEAST($3, old.old_held), credits_held = 0, lease_token = NULL, lease_expires_at = NULL,
                result = $4, message = $5, finished_at = now(), error = $7,
                items_done = items_total
           FROM old WHERE j.id = $1
         RETURNING j.*, old.old_held",
    )
    .bind::<SqlUuid, _>(job.id)
    .bind::<SqlUuid, _>(token)
    .bind::<BigInt, _>(s.charge)
    .bind::<Jsonb, _>(&s.result)
    .bind::<Text, _>(&s.message)
    .bind::<Text, _>(Stored(s.status))
    .bind::<Nullable<Text>, _>(s.error.as_deref())
    .get_result(conn)
    .await
    .optional()?;
    let Some(Fenced {
        job: done,
        old_held,
    }) = fenced
    else {
        return Ok(None);
    };
    let charge = done.credits_charged;
    let now = Utc::now();
    diesel::insert_into(credit_usage_logs::table)
        .values(&CreditUsageLog {
            id: Uuid::now_v7(),
            account_id: done.account_id,
            site_id: done.site_id,
            job_id: done.id,
            operation: s.operation.clone(),
            credits: charge,
            model: done.model.clone(),
            tokens_in: done.tokens_in,
            tokens_out: done.tokens_out,
            cost_micro_usd: done.cost_micro_usd,
            related_type: s.related_type,
            related_ids: s.related_ids,
            created_at: now,
        })
        .execute(conn)
        .await?;
    // the account row last: balance and ledger in one statement, so
    // `balance_after` is the balance this very update left
    let settled: Option<Balance> = diesel::sql_query(
        // plan credits first: `p` is the part of the charge they cover
        "WITH cur AS (SELECT LEAST(plan_credits, $2) AS p FROM accounts WHERE id = $1 FOR UPDATE),
              a AS (UPDATE accounts SET credits_balance = credits_balance - $2, credits_held = credits_held - $3,
                                        plan_credits = plan_credits - cur.p
                      FROM cur WHERE id = $1 RETURNING credits_balance, cur.p),
              t AS (INSERT INTO credit_transactions (id, account_id, kind, amount, plan_amount, purchased_amount,
                                                     balance_after, description, reference, created_at)
                    SELECT $4, $1, 'deduction', 0 - $2, 0 - a.p, a.p - $2, a.credits_balance, $5, $6, $7
                      FROM a WHERE $2 > 0)
         SELECT credits_balance FROM a",
    )
    .bind::<SqlUuid, _>(done.account_id)
    .bind::<BigInt, _>(charge)
    .bind::<BigInt, _>(old_held)
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(format!("{}: {}", s.operation, s.message))
    .bind::<Text, _>(format!("job:{}", done.id))
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .get_result(conn)
    .await
    .optional()?;
    if settled.is_none() {
        return Err(DbError::NotFound);
    }
    Ok(Some(done))
}

/// Ends a job as failed or cancelled with nothing saved, and releases its
/// hold. With a token, only the lease holder may; without one, only a
/// queued job. Every item of its input gets the outcome this says
/// (failed with `error`, or cancelled). `None`: not in that state any more.
pub async fn finish_unsuccessful(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Option<Uuid>,
    status: JobStatus,
    error: Option<&str>,
    message: &str,
) -> DbResult<Option<AiJob>> {
    // the items come from the stored payload (read in the same statement's
    // lock below would need SQL that knows every kind: read it first)
    let payload: Option<(String, serde_json::Value)> = ai_jobs::table
        .find(id)
        .select((ai_jobs::kind, ai_jobs::payload))
        .first(conn)
        .await
        .optional()?;
    let outcomes: Vec<ItemOutcome> = payload
        .and_then(|(kind, p)| JobInput::decode(kind.parse().ok()?, &p).ok())
        .map(|input| {
            input
                .item_ids()
                .into_iter()
                .map(|i| match (status, error) {
                    (JobStatus::Failed, Some(e)) => ItemOutcome::failed(i, e),
                    (JobStatus::Failed, None) => ItemOutcome::failed(i, message),
                    _ => ItemOutcome::cancelled(i),
                })
                .collect()
        })
        .unwrap_or_default();
    let result = serde_json::json!({"outcomes": outcomes});
    // one statement (job row, then account row), so it is atomic even
    // outside a transaction
    Ok(diesel::sql_query(
        "WITH old AS (SELECT credits_held AS old_held FROM ai_jobs
                       WHERE id = $1 AND ((($2::uuid IS NOT NULL) AND lease_token = $2 AND status = 'running')
                                       OR ($2::uuid IS NULL AND status = 'queued'))
                       FOR UPDATE),
              ended AS (UPDATE ai_jobs j SET status = $3, error = $4, message = $5, seq = seq + 1, credits_held = 0,
                               lease_token = NULL, lease_expires_at = NULL, finished_at = now(), result = $6
                          FROM old WHERE j.id = $1
                        RETURNING j.*, old.old_held),
              released AS (UPDATE accounts SET credits_held = accounts.credits_held - ended.old_held
                             FROM ended WHERE accounts.id = ended.account_id)
         SELECT * FROM ended",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Nullable<SqlUuid>, _>(token)
    .bind::<Text, _>(Stored(status))
    .bind::<Nullable<Text>, _>(error)
    .bind::<Text, _>(message)
    .bind::<Jsonb, _>(&result)
    .get_result::<Fenced>(conn)
    .await
    .optional()?
    .map(|f| f.job))
}

/// Puts a running job back in the queue after a transient failure, due at
/// `run_after`; its hold stays. `false`: the lease is lost.
pub async fn retry_later(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    run_after: DateTime<Utc>,
    error: &str,
) -> DbResult<Option<AiJob>> {
    Ok(diesel::update(
        ai_jobs::table
            .filter(ai_jobs::id.eq(id))
            .filter(ai_jobs::lease_token.eq(token))
            .filter(ai_jobs::status.eq("running")),
    )
    .set((
        ai_jobs::status.eq("queued"),
        ai_jobs::lease_token.eq(None::<Uuid>),
        ai_jobs::lease_expires_at.eq(None::<DateTime<Utc>>),
        ai_jobs::run_after.eq(run_after),
        ai_jobs::message.eq(format!("retrying: {error}")),
        ai_jobs::seq.eq(ai_jobs::seq + 1),
        ai_jobs::enqueued_at.eq(Utc::now()),
    ))
    .returning(AiJob::as_returning())
    .get_result(conn)
    .await
    .optional()?)
}

/// Asks a job the scope sees to stop. A queued job is cancelled at once
/// (hold released); a running one is flagged and stops at its next phase
/// boundary.
pub async fn request_cancel(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> DbResult<AiJob> {
    let job = get(conn, scope, id).await?;
    match job.status {
        JobStatus::Queued => {
            if let Some(j) = finish_unsuccessful(
                conn,
                id,
                None,
                JobStatus::Cancelled,
                None,
                "cancelled before it started; nothing was saved",
            )
            .await?
            {
                return Ok(j);
            }
            // it was claimed meanwhile: flag it like a running job
            flag_cancel(conn, id).await
        }
        JobStatus::Running => flag_cancel(conn, id).await,
        _ => Ok(job),
    }
}

async fn flag_cancel(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<AiJob> {
    Ok(diesel::update(ai_jobs::table.find(id))
        .set(ai_jobs::cancel_requested.eq(true))
        .returning(AiJob::as_returning())
        .get_result(conn)
        .await?)
}

/// Jobs the stream may have lost: queued and due, enqueued more than
/// `stale_secs` ago, or running with an expired lease. Marks them
/// re-enqueued now. (System transaction.)
pub async fn take_stale(
    conn: &mut AsyncPgConnection,
    stale_secs: i64,
    limit: i64,
) -> DbResult<Vec<Uuid>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let rows: Vec<Id> = diesel::sql_query(
        "UPDATE ai_jobs SET enqueued_at = now()
          WHERE id IN (SELECT id FROM ai_jobs
                        WHERE (status = 'queued' AND run_after <= now() AND enqueued_at < now() - make_interval(secs => $1))
                           OR (status = 'running' AND lease_expires_at < now() - make_interval(secs => $1))
                        ORDER BY enqueued_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id",
    )
    .bind::<BigInt, _>(stale_secs)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// A history filter: one kind or operation, and a time range.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Credit transactions of an account, newest first.
pub async fn transactions(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    f: &HistoryFilter,
    args: &PageArgs,
) -> DbResult<Listed<CreditTransaction>> {
    let base = || {
        let mut q = credit_transactions::table
            .filter(credit_transactions::account_id.eq(account_id))
            .into_boxed();
        if let Some(k) = &f.kind {
            q = q.filter(credit_transactions::kind.eq(k.clone()));
        }
        if let Some(t) = f.from {
            q = q.filter(credit_transactions::created_at.ge(t));
        }
        if let Some(t) = f.to {
            q = q.filter(credit_transactions::created_at.lt(t));
        }
        q
    };
    let total: i64 = base().count().get_result(conn).await?;
    let page = args.window(total);
    let rows = base()
        .order((
            credit_transactions::created_at.desc(),
            credit_transactions::id.desc(),
        ))
        .offset(page.offset)
        .limit(page.limit)
        .select(CreditTransaction::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}

/// Usage is the account's, and only of the granted sites for a scope with
/// grants (account-wide usage, without a site, is not theirs to see).
fn usage_filtered(
    scope: &Scope,
    f: &HistoryFilter,
) -> credit_usage_logs::BoxedQuery<'static, diesel::pg::Pg> {
    let mut q = credit_usage_logs::table.into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(credit_usage_logs::account_id.eq(a));
    }
    if let Some(sites) = scope.site_ids() {
        q = q.filter(credit_usage_logs::site_id.eq_any(sites.to_vec()));
    }
    if let Some(o) = &f.kind {
        q = q.filter(credit_usage_logs::operation.eq(o.clone()));
    }
    if let Some(t) = f.from {
        q = q.filter(credit_usage_logs::created_at.ge(t));
    }
    if let Some(t) = f.to {
        q = q.filter(credit_usage_logs::created_at.lt(t));
    }
    q
}

/// Credits and jobs per (operation, site) over the filter.
pub async fn usage_totals(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &HistoryFilter,
) -> DbResult<Vec<UsageTotal>> {
    Ok(diesel::sql_query(
        "SELECT operation, site_id, COALESCE(sum(credits), 0)::bigint AS credits, count(*) AS jobs
           FROM credit_usage_logs
          WHERE ($1::uuid IS NULL OR account_id = $1) AND ($2::text IS NULL OR operation = $2)
            AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)
            AND ($5::uuid[] IS NULL OR site_id = ANY($5))
          GROUP BY operation, site_id ORDER BY operation, site_id",
    )
    .bind::<Nullable<SqlUuid>, _>(scope.account_id)
    .bind::<Nullable<Text>, _>(f.kind.clone())
    .bind::<Nullable<diesel::sql_types::Timestamptz>, _>(f.from)
    .bind::<Nullable<diesel::sql_types::Timestamptz>, _>(f.to)
    .bind::<Nullable<diesel::sql_types::Array<SqlUuid>>, _>(scope.site_ids().map(<[Uuid]>::to_vec))
    .load(conn)
    .await?)
}

#[derive(Debug, Clone, QueryableByName)]
pub struct UsageTotal {
    #[diesel(sql_type = Text)]
    pub operation: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub site_id: Option<Uuid>,
    #[diesel(sql_type = BigInt)]
    pub credits: i64,
    #[diesel(sql_type = BigInt)]
    pub jobs: i64,
}

/// Usage logs the scope sees, newest first.
pub async fn usage(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &HistoryFilter,
    args: &PageArgs,
) -> DbResult<Listed<CreditUsageLog>> {
    let base = || usage_filtered(scope, f);
    let total: i64 = base().count().get_result(conn).await?;
    let page = args.window(total);
    let rows = base()
        .order((
            credit_usage_logs::created_at.desc(),
            credit_usage_logs::id.desc(),
        ))
        .offset(page.offset)
        .limit(page.limit)
        .select(CreditUsageLog::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}
