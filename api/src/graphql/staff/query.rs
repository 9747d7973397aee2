use super::types::{AdminAccount, AuditEntry};
use crate::error::ApiError;
use crate::graphql::connection::{Conn, connection, cost, page_args};
use crate::graphql::spine::{caller, parse_id, staff_caller};
use async_graphql::{Context, ID, Object, Result};
use igny8_core::Role;
use igny8_db::AsyncPgConnection;
use igny8_db::staff::AccountSummary;

#[derive(Default)]
pub struct StaffQuery;

/// The accounts with their plans (one query for every plan).
pub(super) async fn with_plans(
    tx: &mut AsyncPgConnection,
    rows: Vec<AccountSummary>,
) -> crate::error::ApiResult<Vec<AdminAccount>> {
    let mut out = Vec::with_capacity(rows.len());
    let mut plans = std::collections::HashMap::new();
    for r in rows {
        if let std::collections::hash_map::Entry::Vacant(e) = plans.entry(r.plan_id) {
            e.insert(igny8_db::accounts::plan(tx, r.plan_id).await?);
        }
        let plan = plans[&r.plan_id].clone();
        out.push(AdminAccount::new(r, plan));
    }
    Ok(out)
}

#[Object]
impl StaffQuery {
    /// Tenant accounts, newest first, whose name, slug, id or a user's
    /// email contains `search` (staff only).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn admin_accounts(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<AdminAccount>> {
        let s = staff_caller(ctx).await?;
        let args = page_args(first, after, last, before, offset)?;
        let (rows, page, total) = s
            .run(async |tx| {
                let l = igny8_db::staff::accounts(tx, search.as_deref(), &args).await?;
                Ok((with_plans(tx, l.rows).await?, l.page, l.total))
            })
            .await?;
        Ok(connection(rows, page, total))
    }

    /// One tenant account (staff only); the platform account or a missing
    /// id is `NOT_FOUND`.
    async fn admin_account(&self, ctx: &Context<'_>, id: ID) -> Result<AdminAccount> {
        let s = staff_caller(ctx).await?;
        let id = parse_id("id", &id)?;
        s.run(async |tx| {
            let a = igny8_db::staff::account(tx, id)
                .await
                .map_err(crate::error::not_found("account"))?;
            Ok(with_plans(tx, vec![a]).await?.remove(0))
        })
        .await
    }

    /// Staff actions, newest first: of one account, or of all (staff only).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn admin_audit_log(
        &self,
        ctx: &Context<'_>,
        account_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<AuditEntry>> {
        let s = staff_caller(ctx).await?;
        let account = crate::graphql::spine::optional_id("accountId", account_id.as_ref())?;
        let args = page_args(first, after, last, before, offset)?;
        let l = s
            .run(async |tx| Ok(igny8_db::staff::audit_entries(tx, account, &args).await?))
            .await?;
        Ok(connection(
            l.rows.into_iter().map(AuditEntry::from).collect(),
            l.page,
            l.total,
        ))
    }

    /// What platform staff did to the caller's account, newest first
    /// (owners only).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<AuditEntry>> {
        let c = caller(ctx).await?;
        if c.actor.role != Role::Owner {
            return Err(
                ApiError::forbidden("only the account's owners may read its audit log").into(),
            );
        }
        let args = page_args(first, after, last, before, offset)?;
        let account = c.actor.account_id;
        let l = c
            .read_in_account(async |tx| {
                Ok(igny8_db::staff::audit_entries(tx, Some(account), &args).await?)
            })
            .await?;
        Ok(connection(
            l.rows.into_iter().map(AuditEntry::from).collect(),
            l.page,
            l.total,
        ))
    }
}
