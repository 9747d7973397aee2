use super::types::Industry;
use crate::error::{ApiError, gql};
use crate::graphql::connection::parse_id;
use crate::graphql::context::{actor, db, loaders};
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// Every industry, by name.
    async fn industries(&self, ctx: &Context<'_>) -> Result<Vec<Industry>> {
        let a = actor(ctx).await?;
        let mut tx = db(ctx).begin(&a.scope()).await.map_err(gql)?;
        let rows = igny8_db::industries::list(&mut tx).await.map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(rows.into_iter().map(Industry).collect())
    }

    async fn industry(&self, ctx: &Context<'_>, id: ID) -> Result<Industry> {
        let id = parse_id("id", &id)?;
        let i = loaders(ctx).await?.industries.load_one(id).await?;
        i.map(Industry)
            .ok_or_else(|| ApiError::NotFound("industry").into())
    }
}
