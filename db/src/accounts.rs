//! Accounts, plans, subscriptions and the signup that creates them.

use crate::error::{DbError, DbResult};
use crate::models::{Account, CreditTransaction, Plan, User};
use crate::schema::{accounts, credit_transactions, plans, subscriptions};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// Everything signup writes, prepared by the caller (ids, hash, slug).
pub struct NewSignup {
    pub account_id: Uuid,
    pub account_name: String,
    pub account_slug: String,
    pub user_id: Uuid,
    pub email: String,
    pub password_hash: String,
}

/// Creates the account on the default plan, its owner, its subscription,
/// and grants the plan's monthly credits as a `subscription` transaction.
/// Runs in a tenant transaction of the new account.
pub async fn sign_up(conn: &mut AsyncPgConnection, s: NewSignup) -> DbResult<(Account, User)> {
    let plan: Plan = plans::table
        .filter(plans::is_default)
        .select(Plan::as_select())
        .first(conn)
        .await?;
    let now = Utc::now();
    let account = Account {
        id: s.account_id,
        name: s.account_name,
        slug: s.account_slug,
        status: "trial".into(),
        plan_id: plan.id,
        credits_balance: plan.monthly_credits,
        credits_held: 0,
        created_at: now,
        updated_at: now,
        plan_credits: plan.monthly_credits,
    };
    diesel::insert_into(accounts::table)
        .values(&account)
        .execute(conn)
        .await?;
    let user = User {
        id: s.user_id,
        account_id: s.account_id,
        email: s.email,
        name: String::new(),
        password_hash: s.password_hash,
        role: "owner".into(),
        is_active: true,
        created_at: now,
        updated_at: now,
        email_verified_at: None,
    };
    diesel::insert_into(crate::schema::users::table)
        .values(&user)
        .execute(conn)
        .await?;
    diesel::insert_into(subscriptions::table)
        .values((
            subscriptions::id.eq(Uuid::now_v7()),
            subscriptions::account_id.eq(s.account_id),
            subscriptions::plan_id.eq(plan.id),
            subscriptions::status.eq("trialing"),
        ))
        .execute(conn)
        .await?;
    diesel::insert_into(credit_transactions::table)
        .values(&CreditTransaction {
            id: Uuid::now_v7(),
            account_id: s.account_id,
            kind: "subscription".into(),
            amount: plan.monthly_credits,
            balance_after: plan.monthly_credits,
            description: format!("{} plan: monthly credits", plan.name),
            reference: Some(format!("signup:{}", s.account_id)),
            created_at: now,
            plan_amount: plan.monthly_credits,
            purchased_amount: 0,
        })
        .execute(conn)
        .await?;
    Ok((account, user))
}

/// Locks the account row until the transaction ends: changes that must see
/// each other's effect (the account's last owner) queue here.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<()> {
    accounts::table
        .find(id)
        .select(accounts::id)
        .for_update()
        .first::<Uuid>(conn)
        .await
        .map_err(DbError::from)?;
    Ok(())
}

pub async fn get(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Account> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .await
        .map_err(DbError::from)
}

pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> DbResult<Vec<Account>> {
    Ok(accounts::table
        .filter(accounts::id.eq_any(ids))
        .select(Account::as_select())
        .load(conn)
        .await?)
}

/// The plan new accounts start on.
pub async fn default_plan(conn: &mut AsyncPgConnection) -> DbResult<Plan> {
    Ok(plans::table
        .filter(plans::is_default)
        .select(Plan::as_select())
        .first(conn)
        .await?)
}

pub async fn plan(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Plan> {
    Ok(plans::table
        .find(id)
        .select(Plan::as_select())
        .first(conn)
        .await?)
}

/// The plan of an account, in one query.
pub async fn plan_of_account(conn: &mut AsyncPgConnection, account_id: Uuid) -> DbResult<Plan> {
    Ok(plans::table
        .inner_join(accounts::table)
        .filter(accounts::id.eq(account_id))
        .select(Plan::as_select())
        .first(conn)
        .await?)
}

/// Changes an account's status (TEN-5): support tooling and tests.
pub async fn set_status(conn: &mut AsyncPgConnection, id: Uuid, status: &str) -> DbResult<()> {
    let n = diesel::update(accounts::table.find(id))
        .set(accounts::status.eq(status))
        .execute(conn)
        .await?;
    if n == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}
