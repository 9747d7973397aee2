use crate::error::{ApiError, gql};
use crate::graphql::auth::types::User;
use crate::graphql::connection::{Conn, connection, cost, page_args, parse_id};
use crate::graphql::context::{actor, db};
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
        let a = actor(ctx).await?;
        if !a.can_manage_users() {
            return Err(ApiError::forbidden("only owners and admins can list users").into());
        }
        let args = page_args(first, after, last, before, offset)?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let l = igny8_db::users::list(&mut tx, a.account_id, &args)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(connection(
            l.rows.into_iter().map(User).collect(),
            l.page,
            l.total,
        ))
    }

    /// One user of the caller's account.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> Result<User> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        if !a.can_manage_users() && id != a.user_id {
            return Err(ApiError::NotFound("user").into());
        }
        let mut tx = db(ctx).begin(&a.scope()).await.map_err(gql)?;
        let u = igny8_db::users::get(&mut tx, &a.scope(), id)
            .await
            .map_err(|_| gql(ApiError::NotFound("user")))?;
        tx.commit().await.map_err(gql)?;
        Ok(User(u))
    }
}
