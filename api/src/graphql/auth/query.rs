use super::types::User;
use crate::error::gql;
use crate::graphql::context::{any_actor, db};
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The signed-in user. Answers even for suspended accounts (TEN-5).
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        let a = any_actor(ctx).await?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let u = igny8_db::users::get(
            &mut tx,
            &igny8_core::Scope::account(a.account_id),
            a.user_id,
        )
        .await
        .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(User(u))
    }
}
