//! The scheduler's table (`scheduled_tasks`): schedule, claim, fenced
//! completion. System work only — call these on a system connection
//! ([`crate::Db::begin_system`] or [`crate::Db::system`]).
//!
//! Exactly once per due time: [`claim`] takes due rows with
//! `FOR UPDATE SKIP LOCKED` and gives each a fresh lease token; the runner
//! then opens one transaction, [`lock_claimed`] re-locks the row *by that
//! token*, the handler writes its effects, [`complete`] moves the row to its
//! next due time, and the commit makes both visible together. A runner whose
//! lease lapsed (and was taken over) finds no row in [`lock_claimed`], so it
//! writes nothing.

use crate::error::DbResult;
use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::prelude::OptionalExtension;
use diesel::sql_types::{
    Array, BigInt, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// One row of `scheduled_tasks`.
#[derive(Debug, Clone, QueryableByName)]
pub struct ScheduledTask {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    #[diesel(sql_type = Timestamptz)]
    pub due_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub lease_token: Option<Uuid>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub lease_until: Option<DateTime<Utc>>,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub runs: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_due_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_run_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, kind, key, payload, due_at, lease_token, lease_until, attempts, \
                       last_error, runs, last_due_at, last_run_at";

/// Schedules `(kind, key)` at `due_at` with `payload`: inserts it, or moves
/// an existing schedule to the new time and payload (dropping any claim, so
/// a runner working on the old due time cannot complete it).
pub async fn schedule(
    conn: &mut AsyncPgConnection,
    kind: &str,
    key: &str,
    due_at: DateTime<Utc>,
    payload: &serde_json::Value,
) -> DbResult<ScheduledTask> {
    Ok(diesel::sql_query(format!(
        "INSERT INTO scheduled_tasks (id, kind, key, payload, due_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kind, key) DO UPDATE
            SET payload = EXCLUDED.payload, due_at = EXCLUDED.due_at,
                lease_token = NULL, lease_until = NULL, attempts = 0, last_error = NULL
         RETURNING {COLUMNS}"
    ))
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(kind)
    .bind::<Text, _>(key)
    .bind::<Jsonb, _>(payload)
    .bind::<Timestamptz, _>(due_at)
    .get_result(conn)
    .await?)
}

/// Schedules `(kind, key)` only if it is not scheduled yet; returns the
/// schedule as stored either way (the existing one keeps its time).
pub async fn ensure(
    conn: &mut AsyncPgConnection,
    kind: &str,
    key: &str,
    due_at: DateTime<Utc>,
    payload: &serde_json::Value,
) -> DbResult<ScheduledTask> {
    diesel::sql_query(
        "INSERT INTO scheduled_tasks (id, kind, key, payload, due_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kind, key) DO NOTHING",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(kind)
    .bind::<Text, _>(key)
    .bind::<Jsonb, _>(payload)
    .bind::<Timestamptz, _>(due_at)
    .execute(conn)
    .await?;
    get(conn, kind, key).await?.ok_or(crate::DbError::NotFound)
}

/// The schedule of `(kind, key)`, if any.
pub async fn get(
    conn: &mut AsyncPgConnection,
    kind: &str,
    key: &str,
) -> DbResult<Option<ScheduledTask>> {
    Ok(diesel::sql_query(format!(
        "SELECT {COLUMNS} FROM scheduled_tasks WHERE kind = $1 AND key = $2"
    ))
    .bind::<Text, _>(kind)
    .bind::<Text, _>(key)
    .get_result(conn)
    .await
    .optional()?)
}

/// Removes the schedule of `(kind, key)`; whether there was one.
pub async fn cancel(conn: &mut AsyncPgConnection, kind: &str, key: &str) -> DbResult<bool> {
    let n = diesel::sql_query("DELETE FROM scheduled_tasks WHERE kind = $1 AND key = $2")
        .bind::<Text, _>(kind)
        .bind::<Text, _>(key)
        .execute(conn)
        .await?;
    Ok(n > 0)
}

/// Claims up to `limit` rows of `kinds` due at `now` (earliest first) that
/// no live lease holds, with a fresh `token` each, leased until
/// `now + lease_secs`. Rows another runner is claiming right now are skipped
/// (`SKIP LOCKED`), not waited for. One statement, autocommit.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    kinds: &[String],
    now: DateTime<Utc>,
    lease_secs: f64,
    limit: i64,
) -> DbResult<Vec<(ScheduledTask, Uuid)>> {
    // gen_random_uuid(): one fresh token per claimed row
    let rows: Vec<ScheduledTask> = diesel::sql_query(format!(
        "UPDATE scheduled_tasks
            SET lease_token = gen_random_uuid(),
                lease_until = $2 + make_interval(secs => $3)
          WHERE id IN (SELECT id FROM scheduled_tasks
                        WHERE kind = ANY($1) AND due_at <= $2
                          AND (lease_until IS NULL OR lease_until <= $2)
                        ORDER BY due_at
                        LIMIT $4
                        FOR UPDATE SKIP LOCKED)
         RETURNING {COLUMNS}"
    ))
    .bind::<Array<Text>, _>(kinds)
    .bind::<Timestamptz, _>(now)
    .bind::<diesel::sql_types::Double, _>(lease_secs)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?;
    let mut out: Vec<_> = rows
        .into_iter()
        .map(|t| {
            let token = t.lease_token.expect("a claimed row has a token");
            (t, token)
        })
        .collect();
    out.sort_by_key(|(t, _)| t.due_at);
    Ok(out)
}

/// Inside the run's transaction: locks the row if `token` still holds it.
/// `None`: the lease was lost (taken over, rescheduled or cancelled) — the
/// caller must write nothing.
pub async fn lock_claimed(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
) -> DbResult<Option<ScheduledTask>> {
    Ok(diesel::sql_query(format!(
        "SELECT {COLUMNS} FROM scheduled_tasks WHERE id = $1 AND lease_token = $2 FOR UPDATE"
    ))
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(token)
    .get_result(conn)
    .await
    .optional()?)
}

/// What follows a completed run.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Run again at this time, with this payload (`None`: keep it).
    At(DateTime<Utc>, Option<serde_json::Value>),
    /// The schedule is finished: remove it.
    Done,
}

/// What a recurring handler does with occurrences missed while nothing ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catchup {
    /// Run every missed occurrence, one after the other.
    EachMissed,
    /// Run once for all of them; the next run is the first due time after now.
    Once,
}

impl Next {
    /// The next occurrence of a schedule that repeats every `period` from
    /// `due_at`, as seen at `now`.
    pub fn every(
        due_at: DateTime<Utc>,
        period: chrono::Duration,
        now: DateTime<Utc>,
        catchup: Catchup,
    ) -> Next {
        let mut next = due_at + period;
        if catchup == Catchup::Once && next <= now && period > chrono::Duration::zero() {
            let behind = (now - next).num_milliseconds() / period.num_milliseconds().max(1);
            next += period * (behind as i32 + 1);
            while next <= now {
                next += period;
            }
        }
        Next::At(next, None)
    }
}

/// Inside the run's transaction, after [`lock_claimed`]: records the run of
/// `ran_due_at` at clock time `now` and moves the row to `next` (or deletes
/// it), releasing the claim.
pub async fn complete(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    ran_due_at: DateTime<Utc>,
    now: DateTime<Utc>,
    next: &Next,
) -> DbResult<bool> {
    let n = match next {
        Next::Done => {
            diesel::sql_query("DELETE FROM scheduled_tasks WHERE id = $1 AND lease_token = $2")
                .bind::<SqlUuid, _>(id)
                .bind::<SqlUuid, _>(token)
                .execute(conn)
                .await?
        }
        Next::At(due, payload) => {
            diesel::sql_query(
                "UPDATE scheduled_tasks
                    SET due_at = $3, payload = COALESCE($4, payload),
                        lease_token = NULL, lease_until = NULL, attempts = 0, last_error = NULL,
                        runs = runs + 1, last_due_at = $5, last_run_at = $6
                  WHERE id = $1 AND lease_token = $2",
            )
            .bind::<SqlUuid, _>(id)
            .bind::<SqlUuid, _>(token)
            .bind::<Timestamptz, _>(*due)
            .bind::<Nullable<Jsonb>, _>(payload.as_ref())
            .bind::<Timestamptz, _>(ran_due_at)
            .bind::<Timestamptz, _>(now)
            .execute(conn)
            .await?
        }
    };
    Ok(n == 1)
}

/// After a failed run (its transaction rolled back): counts the attempt,
/// keeps the due time and holds the row until `retry_at` (backoff), if
/// `token` still holds it. One statement, autocommit.
pub async fn fail(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: Uuid,
    retry_at: DateTime<Utc>,
    error: &str,
) -> DbResult<bool> {
    let n = diesel::sql_query(
        "UPDATE scheduled_tasks
            SET attempts = attempts + 1, last_error = left($4, 2000),
                lease_token = NULL, lease_until = $3
          WHERE id = $1 AND lease_token = $2",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<Timestamptz, _>(retry_at)
    .bind::<Text, _>(error)
    .execute(conn)
    .await?;
    Ok(n == 1)
}
