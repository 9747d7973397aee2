//! Automation (AUT-1): a site's configuration, its runs, each run's stage
//! records and the items a run has taken. One active run per site is the
//! unique index `automation_runs_one_active`; a run is changed only under
//! its row lock ([`lock_run`]), so concurrent advancers serialise.
//!
//! What counts as pending for each stage is here, in one place
//! ([`pending_sql`]): the overview counts it, a run takes its batches from
//! it, and a batch's items are judged against it when their job ends.

use crate::error::DbResult;
use crate::listing::{Bind, Sql, Where};
use crate::stored::Stored;
use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::AsyncPgConnection;
use igny8_core::Scope;
use igny8_core::automation::{RuleOutcome, RuleTrigger, RunStatus, Stage, StageStatus};
use uuid::Uuid;

#[derive(Debug, Clone, QueryableByName, serde::Serialize, serde::Deserialize)]
pub struct RunRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub account_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub site_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub started_by: Uuid,
    #[diesel(sql_type = Text)]
    pub trigger: String,
    #[diesel(sql_type = Text, deserialize_as = Stored<RunStatus>)]
    pub status: RunStatus,
    #[diesel(sql_type = Integer)]
    pub stage: i32,
    #[diesel(sql_type = Nullable<Text>)]
    pub pause_reason: Option<String>,
    #[diesel(sql_type = Text)]
    pub message: String,
    #[diesel(sql_type = Jsonb)]
    pub settings: serde_json::Value,
    #[diesel(sql_type = BigInt)]
    pub credits_spent: i64,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub current_job_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub next_batch_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    pub seq: i64,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub finished_at: Option<DateTime<Utc>>,
}

/// One stage of a run with its item counts.
#[derive(Debug, Clone, QueryableByName, serde::Serialize, serde::Deserialize)]
pub struct StageRow {
    #[diesel(sql_type = SqlUuid)]
    pub run_id: Uuid,
    #[diesel(sql_type = Integer)]
    pub stage: i32,
    #[diesel(sql_type = Text, deserialize_as = Stored<StageStatus>)]
    pub status: StageStatus,
    #[diesel(sql_type = Integer)]
    pub remaining: i32,
    #[diesel(sql_type = BigInt)]
    pub credits: i64,
    #[diesel(sql_type = Integer)]
    pub jobs: i32,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub started_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub finished_at: Option<DateTime<Utc>>,
    /// Items taken (all outcomes).
    #[diesel(sql_type = Integer)]
    pub items_in: i32,
    #[diesel(sql_type = Integer)]
    pub done: i32,
    #[diesel(sql_type = Integer)]
    pub skipped: i32,
    #[diesel(sql_type = Integer)]
    pub failed: i32,
}

/// One item a run took, with its outcome.
#[derive(Debug, Clone, QueryableByName, serde::Serialize)]
pub struct ItemRow {
    #[diesel(sql_type = SqlUuid)]
    pub run_id: Uuid,
    #[diesel(sql_type = Integer)]
    pub stage: i32,
    #[diesel(sql_type = SqlUuid)]
    pub item_id: Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub job_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    pub outcome: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub message: Option<String>,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct ConfigRow {
    #[diesel(sql_type = SqlUuid)]
    pub site_id: Uuid,
    #[diesel(sql_type = Jsonb)]
    pub settings: serde_json::Value,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub updated_by: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
}

const RUN_COLUMNS: &str = "t.id, t.account_id, t.site_id, t.started_by, t.trigger, t.status, t.stage, \
     t.pause_reason, t.message, t.settings, t.credits_spent, t.current_job_id, t.next_batch_at, \
     t.seq, t.created_at, t.updated_at, t.finished_at";

/// The site's configuration, if it was ever saved.
pub async fn config(
    conn: &mut AsyncPgConnection,
    account: Uuid,
    site: Uuid,
) -> DbResult<Option<ConfigRow>> {
    let mut q = Sql::new(
        "SELECT site_id, settings, updated_by, updated_at FROM automation_configs WHERE account_id = ",
    );
    q.bind(Bind::Uuid(account))
        .push(" AND site_id = ")
        .bind(Bind::Uuid(site));
    Ok(q.fetch(conn).await?.pop())
}

pub async fn save_config(
    conn: &mut AsyncPgConnection,
    account: Uuid,
    site: Uuid,
    settings: &serde_json::Value,
    user: Uuid,
) -> DbResult<ConfigRow> {
    let mut q = Sql::new(
        "INSERT INTO automation_configs (site_id, account_id, settings, updated_by, updated_at) VALUES (",
    );
    q.bind(Bind::Uuid(site))
        .push(", ")
        .bind(Bind::Uuid(account))
        .push(", ")
        .bind(Bind::Text(settings.to_string()))
        .push("::jsonb, ")
        .bind(Bind::Uuid(user))
        .push(
            ", now()) ON CONFLICT (site_id) DO UPDATE SET settings = EXCLUDED.settings, \
             updated_by = EXCLUDED.updated_by, updated_at = now() \
             RETURNING site_id, settings, updated_by, updated_at",
        );
    q.fetch(conn).await?.pop().ok_or(crate::DbError::NotFound)
}

pub struct NewRun {
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub started_by: Uuid,
    pub trigger: &'static str,
    pub settings: serde_json::Value,
}

/// Inserts a running run at stage 1 with its seven stage rows. A second
/// active run of the site is `Conflict("automation_runs_one_active")`.
pub async fn insert_run(conn: &mut AsyncPgConnection, n: NewRun) -> DbResult<RunRow> {
    let id = Uuid::now_v7();
    let mut q = Sql::new(
        "INSERT INTO automation_runs AS t (id, account_id, site_id, started_by, trigger, settings) VALUES (",
    );
    q.bind(Bind::Uuid(id))
        .push(", ")
        .bind(Bind::Uuid(n.account_id))
        .push(", ")
        .bind(Bind::Uuid(n.site_id))
        .push(", ")
        .bind(Bind::Uuid(n.started_by))
        .push(", ")
        .bind(Bind::Text(n.trigger.into()))
        .push(", ")
        .bind(Bind::Text(n.settings.to_string()))
        .push(&format!("::jsonb) RETURNING {RUN_COLUMNS}"));
    let run: RunRow = q.fetch(conn).await?.pop().ok_or(crate::DbError::NotFound)?;
    let mut q = Sql::new("INSERT INTO automation_run_stages (run_id, account_id, stage) SELECT ");
    q.bind(Bind::Uuid(id))
        .push(", ")
        .bind(Bind::Uuid(n.account_id))
        .push(", s FROM generate_series(1, 7) s");
    q.run(conn).await?;
    Ok(run)
}

/// The run, locked for the rest of the transaction (tenant transaction).
pub async fn lock_run(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<RunRow>> {
    let mut q = Sql::new(&format!(
        "SELECT {RUN_COLUMNS} FROM automation_runs t WHERE t.id = "
    ));
    q.bind(Bind::Uuid(id)).push(" FOR UPDATE");
    Ok(q.fetch(conn).await?.pop())
}

/// One run the scope sees (its account, its granted sites), or `NotFound`.
pub async fn get_run(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<RunRow> {
    let mut q = Sql::new(&format!("SELECT {RUN_COLUMNS} FROM automation_runs t"));
    Where::start(&mut q, scope)
        .and("t.id = ")
        .bind(Bind::Uuid(id));
    q.fetch(conn).await?.pop().ok_or(crate::DbError::NotFound)
}

/// A site's runs, newest first (`offset`, `limit`), and how many there are.
pub async fn list_runs(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    site: Uuid,
    status: Option<RunStatus>,
    offset: i64,
    limit: i64,
) -> DbResult<(Vec<RunRow>, i64)> {
    let filter = |q: &mut Sql| {
        let mut w = Where::start(q, scope);
        w.eq_uuid("site_id", Some(site));
        w.eq_text("status", status.map(RunStatus::as_str));
    };
    let mut q = Sql::new(&format!("SELECT {RUN_COLUMNS} FROM automation_runs t"));
    filter(&mut q);
    q.push(" ORDER BY t.created_at DESC, t.id DESC LIMIT ")
        .bind(Bind::I64(limit))
        .push(" OFFSET ")
        .bind(Bind::I64(offset));
    let rows = q.fetch(conn).await?;
    let mut c = Sql::new("SELECT count(*) AS n FROM automation_runs t");
    filter(&mut c);
    let n: Vec<Count> = c.fetch(conn).await?;
    Ok((rows, n.first().map(|c| c.n).unwrap_or(0)))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// What changes on a run row; `seq` and `updated_at` move with every write.
pub async fn update_run(conn: &mut AsyncPgConnection, r: &RunRow) -> DbResult<RunRow> {
    let mut q = Sql::new("UPDATE automation_runs t SET status = ");
    q.bind(Bind::Text(r.status.as_str().into()))
        .push(", stage = ")
        .bind(Bind::I32(r.stage))
        .push(", pause_reason = NULLIF(")
        .bind(Bind::Text(r.pause_reason.clone().unwrap_or_default()))
        .push(", ''), message = ")
        .bind(Bind::Text(r.message.clone()))
        .push(", credits_spent = ")
        .bind(Bind::I64(r.credits_spent))
        .push(", started_by = ")
        .bind(Bind::Uuid(r.started_by))
        .push(", current_job_id = ");
    match r.current_job_id {
        Some(j) => q.bind(Bind::Uuid(j)),
        None => q.push("NULL"),
    };
    q.push(", next_batch_at = ");
    match r.next_batch_at {
        Some(at) => q
            .push("to_timestamp(")
            .bind(Bind::I64(at.timestamp_micros()))
            .push("::float8 / 1000000)"),
        None => q.push("NULL"),
    };
    q.push(", finished_at = ");
    if r.status.is_active() || r.current_job_id.is_some() {
        q.push("NULL");
    } else {
        q.push("COALESCE(t.finished_at, now())");
    }
    q.push(", seq = t.seq + 1, updated_at = now() WHERE t.id = ")
        .bind(Bind::Uuid(r.id))
        .push(&format!(" RETURNING {RUN_COLUMNS}"));
    q.fetch(conn).await?.pop().ok_or(crate::DbError::NotFound)
}

/// The stage rows of these runs with their item counts, in stage order.
pub async fn stages(conn: &mut AsyncPgConnection, runs: &[Uuid]) -> DbResult<Vec<StageRow>> {
    let mut q = Sql::new(
        "SELECT s.run_id, s.stage, s.status, s.remaining, s.credits, s.jobs, s.started_at, s.finished_at, \
           COALESCE(c.items_in, 0)::int AS items_in, COALESCE(c.done, 0)::int AS done, \
           COALESCE(c.skipped, 0)::int AS skipped, COALESCE(c.failed, 0)::int AS failed \
         FROM automation_run_stages s \
         LEFT JOIN (SELECT run_id, stage, count(*) AS items_in, \
                      count(*) FILTER (WHERE outcome = 'done') AS done, \
                      count(*) FILTER (WHERE outcome = 'skipped') AS skipped, \
                      count(*) FILTER (WHERE outcome = 'failed') AS failed \
                    FROM automation_run_items WHERE run_id = ANY(",
    );
    q.bind(Bind::Uuids(runs.to_vec()))
        .push(") GROUP BY run_id, stage) c ON c.run_id = s.run_id AND c.stage = s.stage WHERE s.run_id = ANY(")
        .bind(Bind::Uuids(runs.to_vec()))
        .push(") ORDER BY s.run_id, s.stage");
    q.fetch(conn).await
}

pub struct StageChange {
    pub status: StageStatus,
    pub remaining: i32,
    /// Added to the stage's credits and jobs.
    pub credits: i64,
    pub jobs: i32,
}

pub async fn update_stage(
    conn: &mut AsyncPgConnection,
    run: Uuid,
    stage: Stage,
    c: StageChange,
) -> DbResult<()> {
    let mut q = Sql::new("UPDATE automation_run_stages SET status = ");
    q.bind(Bind::Text(c.status.as_str().into()))
        .push(", remaining = ")
        .bind(Bind::I32(c.remaining))
        .push(", credits = credits + ")
        .bind(Bind::I64(c.credits))
        .push(", jobs = jobs + ")
        .bind(Bind::I32(c.jobs))
        .push(
            ", started_at = COALESCE(started_at, now())",
        )
        .push(", finished_at = CASE WHEN ")
        .bind(Bind::Text(c.status.as_str().into()))
        .push(" IN ('done', 'skipped') THEN COALESCE(finished_at, now()) ELSE NULL END WHERE run_id = ")
        .bind(Bind::Uuid(run))
        .push(" AND stage = ")
        .bind(Bind::I32(stage.number()));
    q.run(conn).await?;
    Ok(())
}

/// Appends the stage's items still to do on the site, as `SELECT t.id,
/// t.sector_id FROM … t WHERE …` over alias `t` (more conditions may follow).
fn push_pending(q: &mut Sql, stage: Stage, site: Uuid) {
    let (from, cond) = match stage {
        Stage::Clusters => ("keywords t", "t.status = 'active' AND t.cluster_id IS NULL"),
        Stage::Ideas => (
            "clusters t",
            "t.status = 'active' AND NOT EXISTS (SELECT 1 FROM content_ideas i WHERE i.cluster_id = t.id)",
        ),
        Stage::Tasks => (
            "content_ideas t",
            "t.status = 'new' AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.idea_id = t.id)",
        ),
        Stage::Content => (
            "tasks t",
            "t.status IN ('draft', 'in_progress') AND NOT EXISTS (SELECT 1 FROM contents c WHERE c.task_id = t.id)",
        ),
        Stage::ImagePrompts => (
            "contents t",
            "t.status = 'draft' AND NOT EXISTS (SELECT 1 FROM images i WHERE i.content_id = t.id)",
        ),
        Stage::Images => ("images t", "t.status = 'pending' AND t.prompt <> ''"),
        Stage::Review => (
            "contents t",
            "t.status = 'draft' AND NOT EXISTS \
             (SELECT 1 FROM images i WHERE i.content_id = t.id AND i.status = 'pending')",
        ),
    };
    q.push(&format!(
        "SELECT t.id, t.sector_id, t.created_at FROM {from} WHERE {cond} AND t.site_id = "
    ))
    .bind(Bind::Uuid(site));
}

fn pending_sql(stage: Stage, site: Uuid) -> Sql {
    let mut q = Sql::new("");
    push_pending(&mut q, stage, site);
    q
}

#[derive(Debug, Clone, Copy, QueryableByName)]
pub struct PendingItem {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub sector_id: Uuid,
}

/// Pending items of each stage on the site (tenant transaction), one statement.
pub async fn pending_counts(
    conn: &mut AsyncPgConnection,
    site: Uuid,
) -> DbResult<Vec<(Stage, i64)>> {
    let mut q = Sql::new("SELECT n FROM (");
    for (i, s) in Stage::ALL.iter().enumerate() {
        if i > 0 {
            q.push(" UNION ALL ");
        }
        q.push(&format!("SELECT {} AS s, count(*) AS n FROM (", s.number()));
        push_pending(&mut q, *s, site);
        q.push(") p");
    }
    q.push(") x ORDER BY s");
    let rows: Vec<Count> = q.fetch(conn).await?;
    Ok(Stage::ALL
        .iter()
        .zip(rows)
        .map(|(s, c)| (*s, c.n))
        .collect())
}

/// Up to `limit` pending items of the stage that this run has not taken.
/// Clustering takes keywords of one sector at a time.
pub async fn next_batch(
    conn: &mut AsyncPgConnection,
    run: Uuid,
    site: Uuid,
    stage: Stage,
    limit: i32,
) -> DbResult<(Vec<PendingItem>, i64)> {
    let mut q = pending_sql(stage, site);
    q.push(" AND NOT EXISTS (SELECT 1 FROM automation_run_items r WHERE r.run_id = ")
        .bind(Bind::Uuid(run))
        .push(" AND r.stage = ")
        .bind(Bind::I32(stage.number()))
        .push(" AND r.item_id = t.id) ORDER BY t.sector_id, t.created_at, t.id");
    let all: Vec<PendingItem> = q.fetch(conn).await?;
    let total = all.len() as i64;
    let Some(first) = all.first().copied() else {
        return Ok((vec![], 0));
    };
    let batch = all
        .into_iter()
        .filter(|i| stage != Stage::Clusters || i.sector_id == first.sector_id)
        .take(limit.max(1) as usize)
        .collect();
    Ok((batch, total))
}

/// Which of `ids` are still pending for the stage.
pub async fn still_pending(
    conn: &mut AsyncPgConnection,
    site: Uuid,
    stage: Stage,
    ids: &[Uuid],
) -> DbResult<Vec<Uuid>> {
    let mut q = pending_sql(stage, site);
    q.push(" AND t.id = ANY(")
        .bind(Bind::Uuids(ids.to_vec()))
        .push(")");
    let rows: Vec<PendingItem> = q.fetch(conn).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Which of `ids` the stage has not finished: still pending, or (images)
/// not generated.
pub async fn unfinished(
    conn: &mut AsyncPgConnection,
    site: Uuid,
    stage: Stage,
    ids: &[Uuid],
) -> DbResult<Vec<Uuid>> {
    if stage != Stage::Images {
        return still_pending(conn, site, stage, ids).await;
    }
    let mut q = Sql::new(
        "SELECT t.id, t.sector_id FROM images t WHERE t.status <> 'generated' AND t.id = ANY(",
    );
    q.bind(Bind::Uuids(ids.to_vec())).push(")");
    let rows: Vec<PendingItem> = q.fetch(conn).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

pub async fn add_stage_credits(
    conn: &mut AsyncPgConnection,
    run: Uuid,
    stage: Stage,
    credits: i64,
) -> DbResult<()> {
    let mut q = Sql::new("UPDATE automation_run_stages SET credits = credits + ");
    q.bind(Bind::I64(credits))
        .push(" WHERE run_id = ")
        .bind(Bind::Uuid(run))
        .push(" AND stage = ")
        .bind(Bind::I32(stage.number()));
    q.run(conn).await?;
    Ok(())
}

/// Records items a run took for a batch (`job`), or settled at once.
pub async fn take_items(
    conn: &mut AsyncPgConnection,
    account: Uuid,
    run: Uuid,
    stage: Stage,
    ids: &[Uuid],
    job: Option<Uuid>,
    outcome: &str,
) -> DbResult<usize> {
    let mut q = Sql::new(
        "INSERT INTO automation_run_items (run_id, account_id, stage, item_id, job_id, outcome) SELECT ",
    );
    q.bind(Bind::Uuid(run))
        .push(", ")
        .bind(Bind::Uuid(account))
        .push(", ")
        .bind(Bind::I32(stage.number()))
        .push(", i, ");
    match job {
        Some(j) => q.bind(Bind::Uuid(j)),
        None => q.push("NULL::uuid"),
    };
    q.push(", ")
        .bind(Bind::Text(outcome.into()))
        .push(" FROM unnest(")
        .bind(Bind::Uuids(ids.to_vec()))
        .push(") i ON CONFLICT DO NOTHING");
    q.run(conn).await
}

/// The run's items in flight in `job`.
pub async fn in_flight(
    conn: &mut AsyncPgConnection,
    run: Uuid,
    job: Uuid,
) -> DbResult<Vec<ItemRow>> {
    let mut q = Sql::new(
        "SELECT run_id, stage, item_id, job_id, outcome, message FROM automation_run_items WHERE run_id = ",
    );
    q.bind(Bind::Uuid(run))
        .push(" AND job_id = ")
        .bind(Bind::Uuid(job))
        .push(" AND outcome = 'in_flight'");
    q.fetch(conn).await
}

pub async fn settle_item(
    conn: &mut AsyncPgConnection,
    run: Uuid,
    stage: Stage,
    item: Uuid,
    outcome: &str,
    message: Option<&str>,
) -> DbResult<()> {
    let mut q = Sql::new("UPDATE automation_run_items SET outcome = ");
    q.bind(Bind::Text(outcome.into()))
        .push(", message = NULLIF(")
        .bind(Bind::Text(message.unwrap_or_default().into()))
        .push(", '') WHERE run_id = ")
        .bind(Bind::Uuid(run))
        .push(" AND stage = ")
        .bind(Bind::I32(stage.number()))
        .push(" AND item_id = ")
        .bind(Bind::Uuid(item));
    q.run(conn).await?;
    Ok(())
}

/// Items of a run that were skipped or failed (with their reasons), per stage.
pub async fn problems(
    conn: &mut AsyncPgConnection,
    runs: &[Uuid],
    limit: i64,
) -> DbResult<Vec<ItemRow>> {
    let mut q = Sql::new(
        "SELECT run_id, stage, item_id, job_id, outcome, message FROM ( \
           SELECT *, row_number() OVER (PARTITION BY run_id, stage ORDER BY item_id) AS rn \
           FROM automation_run_items WHERE outcome IN ('skipped', 'failed') AND run_id = ANY(",
    );
    q.bind(Bind::Uuids(runs.to_vec()))
        .push(")) x WHERE rn <= ")
        .bind(Bind::I64(limit))
        .push(" ORDER BY run_id, stage, item_id");
    q.fetch(conn).await
}

/// Moves finished draft articles of `ids` to review.
pub async fn to_review(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> DbResult<usize> {
    let mut q = Sql::new(
        "UPDATE contents SET status = 'review', updated_at = now() WHERE status = 'draft' AND id = ANY(",
    );
    q.bind(Bind::Uuids(ids.to_vec())).push(")");
    q.run(conn).await
}

#[derive(Debug, Clone, Copy, QueryableByName)]
pub struct RunRef {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub account_id: Uuid,
}

/// System work: the run whose batch in flight is `job`.
pub async fn run_of_job(conn: &mut AsyncPgConnection, job: Uuid) -> DbResult<Option<RunRef>> {
    let mut q = Sql::new("SELECT id, account_id FROM automation_runs WHERE current_job_id = ");
    q.bind(Bind::Uuid(job));
    Ok(q.fetch(conn).await?.pop())
}

/// System work: runs that can move — their batch's job ended (whatever the
/// run's status), or running with no batch in flight and due.
pub async fn due_runs(conn: &mut AsyncPgConnection, limit: i64) -> DbResult<Vec<RunRef>> {
    let mut q = Sql::new(
        "SELECT r.id, r.account_id FROM automation_runs r \
           JOIN ai_jobs j ON j.id = r.current_job_id \
          WHERE j.status IN ('succeeded', 'partial', 'failed', 'cancelled') \
         UNION \
         SELECT r.id, r.account_id FROM automation_runs r \
          WHERE r.status = 'running' AND r.current_job_id IS NULL \
            AND COALESCE(r.next_batch_at, r.updated_at) <= now() \
         LIMIT ",
    );
    q.bind(Bind::I64(limit));
    q.fetch(conn).await
}

/// The savepoint around a batch's enqueue: a refused enqueue (credits, a
/// vanished object) rolls back its job row and keeps the run's bookkeeping.
#[derive(Debug, Clone, Copy)]
pub enum Savepoint {
    Begin,
    Release,
    RollBack,
}

pub async fn savepoint(conn: &mut AsyncPgConnection, s: Savepoint) -> DbResult<()> {
    let statement = match s {
        Savepoint::Begin => "SAVEPOINT automation_batch",
        Savepoint::Release => "RELEASE SAVEPOINT automation_batch",
        Savepoint::RollBack => "ROLLBACK TO SAVEPOINT automation_batch",
    };
    Sql::new(statement).run(conn).await?;
    Ok(())
}

// ---- rules (AUT-2) ----

#[derive(Debug, Clone, QueryableByName)]
pub struct RuleRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub account_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub site_id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub enabled: bool,
    #[diesel(sql_type = Text, deserialize_as = Stored<RuleTrigger>)]
    pub trigger: RuleTrigger,
    #[diesel(sql_type = Integer)]
    pub min_pending: i32,
    #[diesel(sql_type = Integer)]
    pub action_stage: i32,
    #[diesel(sql_type = Integer)]
    pub max_executions_per_day: i32,
    #[diesel(sql_type = BigInt)]
    pub credit_limit_per_execution: i64,
    #[diesel(sql_type = SqlUuid)]
    pub created_by: Uuid,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// Executions that started a run today (UTC).
    #[diesel(sql_type = BigInt)]
    pub started_today: i64,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct ExecutionRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub rule_id: Uuid,
    #[diesel(sql_type = Text)]
    pub event_key: String,
    #[diesel(sql_type = Text, deserialize_as = Stored<RuleOutcome>)]
    pub outcome: RuleOutcome,
    #[diesel(sql_type = Text)]
    pub message: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub run_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

const RULE_COLUMNS: &str = "t.id, t.account_id, t.site_id, t.name, t.enabled, t.trigger, t.min_pending, \
     t.action_stage, t.max_executions_per_day, t.credit_limit_per_execution, t.created_by, t.created_at, \
     (SELECT count(*) FROM automation_rule_executions e WHERE e.rule_id = t.id AND e.outcome = 'started' \
        AND e.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS started_today";

pub struct RuleFields {
    pub name: String,
    pub enabled: bool,
    pub trigger: RuleTrigger,
    pub min_pending: i32,
    pub action_stage: Stage,
    pub max_executions_per_day: i32,
    pub credit_limit_per_execution: i64,
}

fn push_rule_fields(q: &mut Sql, f: &RuleFields) {
    q.bind(Bind::Text(f.name.clone()))
        .push(", ")
        .bind(Bind::Bool(f.enabled))
        .push(", ")
        .bind(Bind::Text(f.trigger.as_str().into()))
        .push(", ")
        .bind(Bind::I32(f.min_pending))
        .push(", ")
        .bind(Bind::I32(f.action_stage.number()))
        .push(", ")
        .bind(Bind::I32(f.max_executions_per_day))
        .push(", ")
        .bind(Bind::I64(f.credit_limit_per_execution));
}

pub async fn create_rule(
    conn: &mut AsyncPgConnection,
    account: Uuid,
    site: Uuid,
    user: Uuid,
    f: &RuleFields,
) -> DbResult<RuleRow> {
    let mut q = Sql::new(
        "INSERT INTO automation_rules AS t (id, account_id, site_id, created_by, name, enabled, trigger, \
         min_pending, action_stage, max_executions_per_day, credit_limit_per_execution) VALUES (",
    );
    q.bind(Bind::Uuid(Uuid::now_v7()))
        .push(", ")
        .bind(Bind::Uuid(account))
        .push(", ")
        .bind(Bind::Uuid(site))
        .push(", ")
        .bind(Bind::Uuid(user))
        .push(", ");
    push_rule_fields(&mut q, f);
    q.push(&format!(") RETURNING {RULE_COLUMNS}"));
    q.fetch(conn).await?.pop().ok_or(crate::DbError::NotFound)
}

pub async fn update_rule(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    f: &RuleFields,
) -> DbResult<RuleRow> {
    let mut q = Sql::new(
        "UPDATE automation_rules t SET (name, enabled, trigger, min_pending, action_stage, \
         max_executions_per_day, credit_limit_per_execution) = (",
    );
    push_rule_fields(&mut q, f);
    q.push(") WHERE t.id = ")
        .bind(Bind::Uuid(id))
        .push(&format!(" RETURNING {RULE_COLUMNS}"));
    q.fetch(conn).await?.pop().ok_or(crate::DbError::NotFound)
}

pub async fn delete_rule(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<()> {
    let mut q = Sql::new("DELETE FROM automation_rules WHERE id = ");
    q.bind(Bind::Uuid(id));
    q.run(conn).await?;
    Ok(())
}

/// One rule the scope sees (its account and granted sites), or `NotFound`.
pub async fn get_rule(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<RuleRow> {
    let mut q = Sql::new(&format!("SELECT {RULE_COLUMNS} FROM automation_rules t"));
    Where::start(&mut q, scope)
        .and("t.id = ")
        .bind(Bind::Uuid(id));
    q.fetch(conn).await?.pop().ok_or(crate::DbError::NotFound)
}

pub async fn list_rules(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    site: Uuid,
) -> DbResult<Vec<RuleRow>> {
    let mut q = Sql::new(&format!("SELECT {RULE_COLUMNS} FROM automation_rules t"));
    Where::start(&mut q, scope).eq_uuid("site_id", Some(site));
    q.push(" ORDER BY t.created_at, t.id");
    q.fetch(conn).await
}

/// The site's enabled rules of `trigger`, locked (tenant transaction):
/// concurrent events of one rule are judged one after the other.
pub async fn rules_for(
    conn: &mut AsyncPgConnection,
    site: Uuid,
    trigger: RuleTrigger,
    only: Option<Uuid>,
) -> DbResult<Vec<RuleRow>> {
    let mut q = Sql::new(&format!(
        "SELECT {RULE_COLUMNS} FROM automation_rules t WHERE t.enabled AND t.site_id = "
    ));
    q.bind(Bind::Uuid(site))
        .push(" AND t.trigger = ")
        .bind(Bind::Text(trigger.as_str().into()));
    if let Some(id) = only {
        q.push(" AND t.id = ").bind(Bind::Uuid(id));
    }
    q.push(" ORDER BY t.id FOR UPDATE");
    q.fetch(conn).await
}

/// The latest executions of these rules (at most `limit` each), newest first.
pub async fn executions(
    conn: &mut AsyncPgConnection,
    rules: &[Uuid],
    limit: i64,
) -> DbResult<Vec<ExecutionRow>> {
    let mut q = Sql::new(
        "SELECT id, rule_id, event_key, outcome, message, run_id, created_at FROM ( \
           SELECT *, row_number() OVER (PARTITION BY rule_id ORDER BY created_at DESC, id DESC) AS rn \
           FROM automation_rule_executions WHERE rule_id = ANY(",
    );
    q.bind(Bind::Uuids(rules.to_vec()))
        .push(")) x WHERE rn <= ")
        .bind(Bind::I64(limit))
        .push(" ORDER BY rule_id, created_at DESC, id DESC");
    q.fetch(conn).await
}

/// Whether the rule already judged this event.
pub async fn execution_exists(
    conn: &mut AsyncPgConnection,
    rule: Uuid,
    key: &str,
) -> DbResult<bool> {
    let mut q = Sql::new("SELECT count(*) AS n FROM automation_rule_executions WHERE rule_id = ");
    q.bind(Bind::Uuid(rule))
        .push(" AND event_key = ")
        .bind(Bind::Text(key.into()));
    let n: Vec<Count> = q.fetch(conn).await?;
    Ok(n.first().is_some_and(|c| c.n > 0))
}

pub async fn log_execution(
    conn: &mut AsyncPgConnection,
    rule: &RuleRow,
    key: &str,
    outcome: RuleOutcome,
    message: &str,
    run: Option<Uuid>,
) -> DbResult<()> {
    let mut q = Sql::new(
        "INSERT INTO automation_rule_executions (id, account_id, rule_id, event_key, outcome, message, run_id) VALUES (",
    );
    q.bind(Bind::Uuid(Uuid::now_v7()))
        .push(", ")
        .bind(Bind::Uuid(rule.account_id))
        .push(", ")
        .bind(Bind::Uuid(rule.id))
        .push(", ")
        .bind(Bind::Text(key.into()))
        .push(", ")
        .bind(Bind::Text(outcome.as_str().into()))
        .push(", ")
        .bind(Bind::Text(message.into()))
        .push(", ");
    match run {
        Some(r) => q.bind(Bind::Uuid(r)),
        None => q.push("NULL::uuid"),
    };
    q.push(") ON CONFLICT (rule_id, event_key) DO NOTHING");
    q.run(conn).await?;
    Ok(())
}

/// The trigger of the run a job was a batch of, if any (`rule` for runs
/// that rules started).
pub async fn run_trigger_of_job(
    conn: &mut AsyncPgConnection,
    job: Uuid,
) -> DbResult<Option<String>> {
    #[derive(QueryableByName)]
    struct T {
        #[diesel(sql_type = Text)]
        trigger: String,
    }
    let mut q = Sql::new(
        "SELECT r.trigger FROM automation_run_items i JOIN automation_runs r ON r.id = i.run_id WHERE i.job_id = ",
    );
    q.bind(Bind::Uuid(job)).push(" LIMIT 1");
    let rows: Vec<T> = q.fetch(conn).await?;
    Ok(rows.into_iter().next().map(|t| t.trigger))
}

#[derive(Debug, Clone, Copy, QueryableByName)]
pub struct JobRef {
    #[diesel(sql_type = SqlUuid)]
    pub account_id: Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub site_id: Option<Uuid>,
    #[diesel(sql_type = Text, deserialize_as = Stored<igny8_core::jobs::JobKind>)]
    pub kind: igny8_core::jobs::JobKind,
}

/// System work: a job that succeeded, with its account, site and kind.
pub async fn succeeded_job(conn: &mut AsyncPgConnection, job: Uuid) -> DbResult<Option<JobRef>> {
    let mut q = Sql::new(
        "SELECT account_id, site_id, kind FROM ai_jobs WHERE status = 'succeeded' AND id = ",
    );
    q.bind(Bind::Uuid(job));
    Ok(q.fetch(conn).await?.pop())
}

#[derive(Debug, Clone, Copy, QueryableByName)]
pub struct RuleRef {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub account_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub site_id: Uuid,
}

/// System work: enabled `keyword_added` rules whose site has keywords
/// newer than the rule's watermark.
pub async fn keyword_rules_due(conn: &mut AsyncPgConnection) -> DbResult<Vec<RuleRef>> {
    Sql::new(
        "SELECT r.id, r.account_id, r.site_id FROM automation_rules r \
          WHERE r.enabled AND r.trigger = 'keyword_added' \
            AND EXISTS (SELECT 1 FROM keywords k WHERE k.site_id = r.site_id AND k.created_at > r.watermark) \
          LIMIT 50",
    )
    .fetch(conn)
    .await
}

/// Moves a locked rule's watermark to its site's newest keyword; `None`
/// when no keyword is newer (another sweeper took them).
pub async fn advance_watermark(
    conn: &mut AsyncPgConnection,
    rule: Uuid,
) -> DbResult<Option<DateTime<Utc>>> {
    #[derive(QueryableByName)]
    struct W {
        #[diesel(sql_type = Timestamptz)]
        watermark: DateTime<Utc>,
    }
    let mut q = Sql::new(
        "UPDATE automation_rules r SET watermark = k.newest FROM \
           (SELECT site_id, max(created_at) AS newest FROM keywords GROUP BY site_id) k \
          WHERE k.site_id = r.site_id AND k.newest > r.watermark AND r.id = ",
    );
    q.bind(Bind::Uuid(rule)).push(" RETURNING r.watermark");
    let rows: Vec<W> = q.fetch(conn).await?;
    Ok(rows.into_iter().next().map(|w| w.watermark))
}
