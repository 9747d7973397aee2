//! The seed-keyword library (TEN-8): reference keywords per industry sector.

use crate::error::DbResult;
use crate::models::SeedKeyword;
use crate::schema::seed_keywords;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct SeedFilter {
    pub industry_id: Option<Uuid>,
    pub industry_sector_id: Option<Uuid>,
    pub intent: Option<String>,
    pub search: Option<String>,
}

fn filtered(f: &SeedFilter) -> seed_keywords::BoxedQuery<'_, diesel::pg::Pg> {
    let mut q = seed_keywords::table.into_boxed();
    if let Some(s) = f.industry_sector_id {
        q = q.filter(seed_keywords::industry_sector_id.eq(s));
    }
    if let Some(i) = f.industry_id {
        q = q.filter(
            seed_keywords::industry_sector_id.eq_any(
                crate::schema::industry_sectors::table
                    .filter(crate::schema::industry_sectors::industry_id.eq(i))
                    .select(crate::schema::industry_sectors::id),
            ),
        );
    }
    if let Some(i) = &f.intent {
        q = q.filter(seed_keywords::intent.eq(i.clone()));
    }
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        q = q.filter(seed_keywords::keyword.ilike(format!("%{}%", crate::like_escape(s))));
    }
    q
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    f: &SeedFilter,
    args: &igny8_core::page::PageArgs,
) -> DbResult<crate::Listed<SeedKeyword>> {
    let total = filtered(f).count().get_result(conn).await?;
    let page = args.window(total);
    let rows = filtered(f)
        .order((
            seed_keywords::volume.desc().nulls_last(),
            seed_keywords::keyword.asc(),
        ))
        .offset(page.offset)
        .limit(page.limit)
        .select(SeedKeyword::as_select())
        .load(conn)
        .await?;
    Ok(crate::Listed { rows, page, total })
}

pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> DbResult<Vec<SeedKeyword>> {
    Ok(seed_keywords::table
        .filter(seed_keywords::id.eq_any(ids))
        .select(SeedKeyword::as_select())
        .load(conn)
        .await?)
}
