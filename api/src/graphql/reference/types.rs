use crate::error::ApiError;
use crate::graphql::context::loaders;
use async_graphql::{Context, ID, Object, Result};
use igny8_db::models;

#[derive(Clone)]
pub struct Industry(pub models::Industry);

#[Object]
impl Industry {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<IndustrySector>> {
        let rows = loaders(ctx)
            .await?
            .industry_sectors_by_industry
            .load_one(self.0.id)
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(IndustrySector)
            .collect())
    }
}

#[derive(Clone)]
pub struct IndustrySector(pub models::IndustrySector);

#[Object]
impl IndustrySector {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn industry(&self, ctx: &Context<'_>) -> Result<Industry> {
        let i = loaders(ctx)
            .await?
            .industries
            .load_one(self.0.industry_id)
            .await?;
        i.map(Industry)
            .ok_or_else(|| ApiError::NotFound("industry").into())
    }
}
