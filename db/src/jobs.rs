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
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JobFilter {
    pub status: Option<String>,
    pub function: Option<String>,
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
        w.eq_text("status", f.status.as_deref());
        w.eq_text("function", f.function.as_deref());
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

/// Jobs are listed in the account scope only (site grants do not apply:
/// a job belongs to the account that paid for it).
pub async fn list(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    f: &JobFilter,
    args: &PageArgs,
) -> DbResult<Listed<AiJob>> {
    listing::list::<Jobs>(conn, &Scope::account(account_id), f, &[], args).await
}

pub async fn get(
    conn: &mut AsyncPgConnection,
    account_id: Option<Uuid>,
    id: Uuid,
) -> DbResult<AiJob> {
    let mut q = ai_jobs::table.filter(ai_jobs::id.eq(id)).into_boxed();
    if let Some(a) = account_id {
        q = q.filter(ai_jobs::account_id.eq(a));
    }
    Ok(q.select(AiJob::as_select()).first(conn).await?)
}

pub struct NewJob {
    pub account_id: Uuid,
    pub user_id: Uuid,
    pub site_id: Option<Uuid>,
    pub function: String,
    pub payload: serde_json::Value,
    pub items_total: i32,
    pub hold: i64,
}

/// Inserts a queued job and holds its credits in the same transaction:
/// `held += hold` only where `balance − held ≥ hold`, so concurrent
/// enqueues can never overdraw.
pub async fn enqueue(conn: &mut AsyncPgConnection, n: NewJob) -> DbResult<AiJob> {
    let held = diesel::update(
        accounts::table
            .filter(accounts::id.eq(n.account_id))
            .filter((accounts::credits_balance - accounts::credits_held).ge(n.hold)),
    )
    .set(accounts::credits_held.eq(accounts::credits_held + n.hold))
    .execute(conn)
    .await?;
    if held == 0 {
        let acc = crate::accounts::get(conn, n.account_id).await?;
        return Err(DbError::InsufficientCredits {
            available: acc.credits_balance - acc.credits_held,
            needed: n.hold,
        });
    }
    let now = Utc::now();
    let job = AiJob {
        id: Uuid::now_v7(),
        account_id: n.account_id,
        user_id: Some(n.user_id),
        site_id: n.site_id,
        function: n.function,
        payload: n.payload,
        status: "queued".into(),
        phase: "init".into(),
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
        .values(&job)
        .execute(conn)
        .await?;
    Ok(job)
}

/// Claims a job for a run with a fresh lease token: only a queued job that
/// is due, or a running one whose lease expired. `None`: someone else owns
/// it, or it is finished. (System transaction: the worker crosses tenants.)
pub async fn claim(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    lease_secs: i64,
) -> DbResult<Option<AiJob>> {
    Ok(diesel::sql_query(
        "UPDATE ai_jobs SET status = 'running', lease_token = $2,
                lease_expires_at = now() + make_interval(secs => $3),
                attempt = attempt + 1, started_at = COALESCE(started_at, now())
          WHERE id = $1
            AND ((status = 'queued' AND run_after <= now())
              OR (status = 'running' AND lease_expires_at < now()))
          RETURNING *",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<BigInt, _>(lease_secs)
    .get_result(conn)
    .await
    .optional()?)
}

/// Counts a stream delivery of a job; returns the count.
pub async fn count_delivery(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<i32>> {
    Ok(diesel::update(ai_jobs::table.find(id))
        .set(ai_jobs::deliveries.eq(ai_jobs::deliveries + 1))
        .returning(ai_jobs::deliveries)
        .get_result(conn)
        .await
        .optional()?)
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

/// Records a progress step (next `seq`), fenced by the lease token. `None`:
/// the lease is lost. Also reports whether cancellation was requested.
pub async fn progress(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    phase: &str,
    percent: i32,
    items_done: i32,
    items_total: i32,
    message: &str,
) -> DbResult<Option<AiJob>> {
    Ok(diesel::sql_query(
        "UPDATE ai_jobs SET phase = $3, percent = $4, items_done = $5, items_total = $6, message = $7, seq = seq + 1
          WHERE id = $1 AND lease_token = $2 AND status = 'running'
          RETURNING *",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<Text, _>(phase)
    .bind::<Integer, _>(percent)
    .bind::<Integer, _>(items_done)
    .bind::<Integer, _>(items_total)
    .bind::<Text, _>(message)
    .get_result(conn)
    .await
    .optional()?)
}

/// Keeps the provider's output so a retry parses it instead of paying again.
pub async fn store_raw_output(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    raw: &serde_json::Value,
    model: &str,
    tokens_in: i32,
    tokens_out: i32,
    cost_micro_usd: i64,
) -> DbResult<bool> {
    let n = diesel::update(
        ai_jobs::table
            .filter(ai_jobs::id.eq(id))
            .filter(ai_jobs::lease_token.eq(token)),
    )
    .set((
        ai_jobs::raw_output.eq(raw),
        ai_jobs::model.eq(model),
        ai_jobs::tokens_in.eq(tokens_in),
        ai_jobs::tokens_out.eq(tokens_out),
        ai_jobs::cost_micro_usd.eq(cost_micro_usd),
    ))
    .execute(conn)
    .await?;
    Ok(n == 1)
}

/// What a successful SAVE settles.
pub struct Settlement {
    pub charge: i64,
    /// `{summary, items, errors}`.
    pub result: serde_json::Value,
    pub message: String,
    pub operation: String,
    pub related_type: Option<String>,
    pub related_ids: Vec<Uuid>,
}

#[derive(QueryableByName)]
struct Fenced {
    #[diesel(sql_type = BigInt)]
    old_held: i64,
}

/// SAVE, part two (call inside the transaction that wrote the results):
/// marks the job succeeded — only with the current lease token —, turns the
/// hold into a charge for what succeeded, releases the rest, and writes the
/// credit transaction and usage log (unique per job). `None`: the lease was
/// lost; the caller must roll back everything.
pub async fn settle_success(
    conn: &mut AsyncPgConnection,
    job: &AiJob,
    token: Uuid,
    s: Settlement,
) -> DbResult<Option<AiJob>> {
    let fenced: Option<Fenced> = diesel::sql_query(
        "WITH old AS (SELECT credits_held AS old_held FROM ai_jobs WHERE id = $1 AND lease_token = $2 AND status = 'running' FOR UPDATE)
         UPDATE ai_jobs j SET status = 'succeeded', phase = 'done', percent = 100, seq = seq + 1,
                credits_charged = LEAST($3, old.old_held), credits_held = 0, lease_token = NULL, lease_expires_at = NULL,
                result = $4, message = $5, finished_at = now(),
                items_done = items_total
           FROM old WHERE j.id = $1
         RETURNING old.old_held",
    )
    .bind::<SqlUuid, _>(job.id)
    .bind::<SqlUuid, _>(token)
    .bind::<BigInt, _>(s.charge)
    .bind::<Jsonb, _>(&s.result)
    .bind::<Text, _>(&s.message)
    .get_result(conn)
    .await
    .optional()?;
    let Some(Fenced { old_held }) = fenced else {
        return Ok(None);
    };
    let charge = s.charge.min(old_held);
    let balance: i64 = diesel::update(accounts::table.find(job.account_id))
        .set((
            accounts::credits_balance.eq(accounts::credits_balance - charge),
            accounts::credits_held.eq(accounts::credits_held - old_held),
        ))
        .returning(accounts::credits_balance)
        .get_result(conn)
        .await?;
    let now = Utc::now();
    if charge > 0 {
        diesel::insert_into(credit_transactions::table)
            .values(&CreditTransaction {
                id: Uuid::now_v7(),
                account_id: job.account_id,
                kind: "deduction".into(),
                amount: -charge,
                balance_after: balance,
                description: format!("{}: {}", s.operation, s.message),
                reference: Some(format!("job:{}", job.id)),
                created_at: now,
            })
            .execute(conn)
            .await?;
    }
    let done = get(conn, None, job.id).await?;
    diesel::insert_into(credit_usage_logs::table)
        .values(&CreditUsageLog {
            id: Uuid::now_v7(),
            account_id: job.account_id,
            site_id: job.site_id,
            job_id: job.id,
            operation: s.operation,
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
    Ok(Some(done))
}

/// Ends a job as failed or cancelled and releases its hold. With a token,
/// only the lease holder may; without one, only a queued job. `None`: not
/// in that state any more.
pub async fn finish_unsuccessful(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Option<Uuid>,
    status: &str,
    error: Option<&str>,
    message: &str,
) -> DbResult<Option<AiJob>> {
    #[derive(QueryableByName)]
    struct Released {
        #[diesel(sql_type = BigInt)]
        old_held: i64,
        #[diesel(sql_type = SqlUuid)]
        account_id: Uuid,
    }
    let released: Option<Released> = diesel::sql_query(
        "WITH old AS (SELECT credits_held AS old_held FROM ai_jobs
                       WHERE id = $1 AND ((($2::uuid IS NOT NULL) AND lease_token = $2 AND status = 'running')
                                       OR ($2::uuid IS NULL AND status = 'queued'))
                       FOR UPDATE)
         UPDATE ai_jobs j SET status = $3, error = $4, message = $5, seq = seq + 1, credits_held = 0,
                lease_token = NULL, lease_expires_at = NULL, finished_at = now()
           FROM old WHERE j.id = $1
         RETURNING old.old_held, j.account_id",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Nullable<SqlUuid>, _>(token)
    .bind::<Text, _>(status)
    .bind::<Nullable<Text>, _>(error)
    .bind::<Text, _>(message)
    .get_result(conn)
    .await
    .optional()?;
    let Some(r) = released else { return Ok(None) };
    diesel::update(accounts::table.find(r.account_id))
        .set(accounts::credits_held.eq(accounts::credits_held - r.old_held))
        .execute(conn)
        .await?;
    Ok(Some(get(conn, None, id).await?))
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

/// Asks a job to stop. A queued job is cancelled at once (hold released);
/// a running one is flagged and stops at its next phase boundary.
pub async fn request_cancel(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
) -> DbResult<AiJob> {
    let job = get(conn, Some(account_id), id).await?;
    match job.status.as_str() {
        "queued" => {
            if let Some(j) =
                finish_unsuccessful(conn, id, None, "cancelled", None, "cancelled").await?
            {
                return Ok(j);
            }
            // it was claimed meanwhile: flag it like a running job
            flag_cancel(conn, id).await
        }
        "running" => flag_cancel(conn, id).await,
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

fn usage_filtered(
    account_id: Uuid,
    f: &HistoryFilter,
) -> credit_usage_logs::BoxedQuery<'static, diesel::pg::Pg> {
    let mut q = credit_usage_logs::table
        .filter(credit_usage_logs::account_id.eq(account_id))
        .into_boxed();
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
    account_id: Uuid,
    f: &HistoryFilter,
) -> DbResult<Vec<UsageTotal>> {
    Ok(diesel::sql_query(
        "SELECT operation, site_id, COALESCE(sum(credits), 0)::bigint AS credits, count(*) AS jobs
           FROM credit_usage_logs
          WHERE account_id = $1 AND ($2::text IS NULL OR operation = $2)
            AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)
          GROUP BY operation, site_id ORDER BY operation, site_id",
    )
    .bind::<SqlUuid, _>(account_id)
    .bind::<Nullable<Text>, _>(f.kind.clone())
    .bind::<Nullable<diesel::sql_types::Timestamptz>, _>(f.from)
    .bind::<Nullable<diesel::sql_types::Timestamptz>, _>(f.to)
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

/// Usage logs of an account, newest first.
pub async fn usage(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    f: &HistoryFilter,
    args: &PageArgs,
) -> DbResult<Listed<CreditUsageLog>> {
    let base = || usage_filtered(account_id, f);
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
