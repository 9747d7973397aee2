use super::types::Industry;
use crate::error::ApiError;
use crate::graphql::context::loaders;
use crate::graphql::spine::{caller, parse_id};
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// Every industry, by name.
    async fn industries(&self, ctx: &Context<'_>) -> Result<Vec<Industry>> {
        let c = caller(ctx).await?;
        let rows = c
            .read(async |tx| Ok(igny8_db::industries::list(tx).await?))
            .await?;
        Ok(rows.into_iter().map(Industry).collect())
    }

    async fn industry(&self, ctx: &Context<'_>, id: ID) -> Result<Industry> {
        let id = parse_id("id", &id)?;
        let i = loaders(ctx).await?.industries.load_one(id).await?;
        i.map(Industry)
            .ok_or_else(|| ApiError::NotFound("industry").into())
    }
}
