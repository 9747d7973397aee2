use crate::error::ApiError;
use crate::graphql::auth::types::User;
use crate::graphql::connection::{Conn, connection, cost, page_args};
use crate::graphql::spine::{caller, ensure_account_admin, not_found, parse_id};
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// Users of the caller's account (owners and admins).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<User>> {
        let c = caller(ctx).await?;
        ensure_account_admin(c.actor, "can list users")?;
        let args = page_args(first, after, last, before, offset)?;
        let account = c.actor.account_id;
        let l = c
            .read_in_account(async |tx| Ok(igny8_db::users::list(tx, account, &args).await?))
            .await?;
        Ok(connection(
            l.rows.into_iter().map(User::of).collect(),
            l.page,
            l.total,
        ))
    }

    /// One user of the caller's account.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> Result<User> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &id)?;
        if !c.actor.can_manage_users() && id != c.actor.user_id {
            return Err(ApiError::NotFound("user").into());
        }
        c.read(async |tx| {
            let u = igny8_db::users::get(tx, &c.scope, id)
                .await
                .map_err(not_found("user"))?;
            Ok(User::of(u))
        })
        .await
    }
}
