//! Billing: subscriptions and their periods, the two credit pools, renewal.
//!
//! Every change of an account's credits is one statement that updates the
//! account row and writes its ledger entry from the row it left
//! (`balance_after`), under the row's lock, so concurrent changes (a job's
//! settlement racing a renewal) each see the other's result and the ledger
//! chain stays exact (`seq` is taken in the same order).

use crate::error::DbResult;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// A subscription: the account's plan and its current period.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::subscriptions)]
pub struct Subscription {
    pub id: Uuid,
    pub account_id: Uuid,
    pub plan_id: Uuid,
    pub status: String,
    pub current_period_start: DateTime<Utc>,
    pub current_period_end: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// The plan the next period renews on (a downgrade at period end).
    pub pending_plan_id: Option<Uuid>,
    pub stripe_subscription_id: Option<String>,
    pub past_due_since: Option<DateTime<Utc>>,
}

/// The account's subscription (one per account).
pub async fn subscription(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
) -> DbResult<Option<Subscription>> {
    use crate::schema::subscriptions::dsl as s;
    Ok(s::subscriptions
        .filter(s::account_id.eq(account_id))
        .select(Subscription::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// What a renewal run found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Renewal {
    /// The period ending at the due time was closed: its unused plan
    /// credits expired (`expired`), the next period's were granted
    /// (`granted`); it ends at `next_end`.
    Renewed {
        expired: i64,
        granted: i64,
        next_end: DateTime<Utc>,
    },
    /// The subscription's period no longer ends at the due time (it was
    /// moved): nothing done; it ends at `next_end`.
    Moved { next_end: DateTime<Utc> },
    /// No such subscription, or cancelled: nothing to renew any more.
    Gone,
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = SqlUuid)]
    account_id: Uuid,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Timestamptz)]
    current_period_end: DateTime<Utc>,
    #[diesel(sql_type = SqlUuid)]
    next_plan: Uuid,
}

#[derive(QueryableByName)]
struct Moved {
    #[diesel(sql_type = BigInt)]
    amount: i64,
}

#[derive(QueryableByName)]
struct End {
    #[diesel(sql_type = Timestamptz)]
    current_period_end: DateTime<Utc>,
}

/// Closes the period of `subscription` that ends at `period_end` and opens
/// the next one: one `expiry` entry for the plan credits nobody spent or
/// holds, one `subscription` entry granting the plan's credits for the new
/// period (its monthly credits times the months of its cycle), the pending
/// plan (if any) taking effect. System work (the scheduler's transaction);
/// the ledger's references (`period:<subscription>:<end>`) are unique, so a
/// period can never be closed twice even by a runner that lost its claim.
pub async fn renew(
    conn: &mut AsyncPgConnection,
    subscription: Uuid,
    period_end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DbResult<Renewal> {
    let sub: Option<Locked> = diesel::sql_query(
        "SELECT account_id, status, current_period_end, COALESCE(pending_plan_id, plan_id) AS next_plan
           FROM subscriptions WHERE id = $1 FOR UPDATE",
    )
    .bind::<SqlUuid, _>(subscription)
    .get_result(conn)
    .await
    .optional()?;
    let Some(sub) = sub else {
        return Ok(Renewal::Gone);
    };
    if sub.status == "cancelled" {
        return Ok(Renewal::Gone);
    }
    if sub.current_period_end != period_end {
        return Ok(Renewal::Moved {
            next_end: sub.current_period_end,
        });
    }
    let reference = format!(
        "period:{subscription}:{}",
        period_end.format("%Y-%m-%dT%H:%M:%S%.6fZ")
    );
    // held credits are taken from plan credits first, so they do not expire
    let expired: Moved = diesel::sql_query(
        "WITH cur AS (SELECT GREATEST(plan_credits - credits_held, 0) AS e FROM accounts WHERE id = $1 FOR UPDATE),
              a AS (UPDATE accounts SET credits_balance = credits_balance - cur.e, plan_credits = plan_credits - cur.e
                      FROM cur WHERE id = $1 RETURNING credits_balance, cur.e),
              t AS (INSERT INTO credit_transactions (id, account_id, kind, amount, plan_amount, purchased_amount,
                                                     balance_after, description, reference, created_at)
                    SELECT $2, $1, 'expiry', 0 - a.e, 0 - a.e, 0, a.credits_balance,
                           'Unused plan credits of the period ending ' || to_char($4 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC expired',
                           $3, $5 FROM a)
         SELECT e AS amount FROM a",
    )
    .bind::<SqlUuid, _>(sub.account_id)
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(&reference)
    .bind::<Timestamptz, _>(period_end)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .await?;
    let granted: Moved = diesel::sql_query(
        "WITH p AS (SELECT id, name, monthly_credits * CASE billing_cycle WHEN 'annual' THEN 12 ELSE 1 END AS g
                      FROM plans WHERE id = $2),
              a AS (UPDATE accounts SET credits_balance = credits_balance + p.g, plan_credits = plan_credits + p.g,
                                        plan_id = p.id
                      FROM p WHERE accounts.id = $1 RETURNING credits_balance, p.g, p.name),
              t AS (INSERT INTO credit_transactions (id, account_id, kind, amount, plan_amount, purchased_amount,
                                                     balance_after, description, reference, created_at)
                    SELECT $3, $1, 'subscription', a.g, a.g, 0, a.credits_balance,
                           a.name || ' plan: credits of the period from ' || to_char($5 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC',
                           $4, $6 FROM a)
         SELECT g AS amount FROM a",
    )
    .bind::<SqlUuid, _>(sub.account_id)
    .bind::<SqlUuid, _>(sub.next_plan)
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(&reference)
    .bind::<Timestamptz, _>(period_end)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .await?;
    let end: End = diesel::sql_query(
        "UPDATE subscriptions s
            SET plan_id = $2, pending_plan_id = NULL,
                current_period_start = s.current_period_end,
                current_period_end = s.current_period_end
                  + CASE (SELECT billing_cycle FROM plans WHERE id = $2)
                      WHEN 'annual' THEN interval '1 year' ELSE interval '1 month' END
          WHERE s.id = $1
         RETURNING s.current_period_end",
    )
    .bind::<SqlUuid, _>(subscription)
    .bind::<SqlUuid, _>(sub.next_plan)
    .get_result(conn)
    .await?;
    Ok(Renewal::Renewed {
        expired: expired.amount,
        granted: granted.amount,
        next_end: end.current_period_end,
    })
}

/// The limits a plan sets: each `max_*` feature with a number, by name.
pub fn plan_limits(plan: &crate::models::Plan) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = plan
        .features
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.starts_with("max_"))
        .filter_map(|(k, v)| v.as_i64().map(|n| (k.clone(), n)))
        .collect();
    out.sort();
    out
}

/// The rows each plan limit counts (the database's `igny8_enforce_plan_limit`
/// triggers enforce the same ones).
fn counted(limit: &str) -> Option<&'static str> {
    Some(match limit {
        "max_sites" => "sites",
        "max_users" => "users WHERE is_active",
        "max_keywords" => "keywords",
        "max_clusters" => "clusters",
        "max_ideas" => "content_ideas",
        _ => return None,
    })
}

/// Each limit of the account's plan with its usage: (limit, max, usage).
/// In the account's tenant transaction (row-level security scopes the counts).
pub async fn limit_usage(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
) -> DbResult<Vec<(String, i64, i64)>> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let plan = crate::accounts::plan_of_account(conn, account_id).await?;
    let mut out = vec![];
    for (limit, max) in plan_limits(&plan) {
        let Some(from) = counted(&limit) else {
            continue;
        };
        let (table, cond) = from.split_once(" WHERE ").unwrap_or((from, "true"));
        let n: N = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM {table} WHERE account_id = $1 AND {cond}"
        ))
        .bind::<SqlUuid, _>(account_id)
        .get_result(conn)
        .await?;
        out.push((limit, max, n.n));
    }
    Ok(out)
}

/// The plans one can subscribe to, cheapest first.
pub async fn active_plans(conn: &mut AsyncPgConnection) -> DbResult<Vec<crate::models::Plan>> {
    use crate::schema::plans::dsl as p;
    Ok(p::plans
        .filter(p::is_active)
        .order((p::price_cents.asc(), p::slug.asc()))
        .select(crate::models::Plan::as_select())
        .load(conn)
        .await?)
}

/// A plan by slug (active or not).
pub async fn plan_by_slug(
    conn: &mut AsyncPgConnection,
    slug: &str,
) -> DbResult<Option<crate::models::Plan>> {
    use crate::schema::plans::dsl as p;
    Ok(p::plans
        .filter(p::slug.eq(slug))
        .select(crate::models::Plan::as_select())
        .first(conn)
        .await
        .optional()?)
}
