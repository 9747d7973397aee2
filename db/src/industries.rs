//! Reference data: industries and their sectors (TEN-8).

use crate::error::DbResult;
use crate::models::{Industry, IndustrySector};
use crate::schema::{industries, industry_sectors};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

pub async fn list(conn: &mut AsyncPgConnection) -> DbResult<Vec<Industry>> {
    Ok(industries::table
        .order(industries::name.asc())
        .select(Industry::as_select())
        .load(conn)
        .await?)
}

pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> DbResult<Vec<Industry>> {
    Ok(industries::table
        .filter(industries::id.eq_any(ids))
        .select(Industry::as_select())
        .load(conn)
        .await?)
}

pub async fn sectors_by_industry_ids(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> DbResult<Vec<IndustrySector>> {
    Ok(industry_sectors::table
        .filter(industry_sectors::industry_id.eq_any(ids))
        .order(industry_sectors::name.asc())
        .select(IndustrySector::as_select())
        .load(conn)
        .await?)
}

pub async fn sectors_by_ids(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> DbResult<Vec<IndustrySector>> {
    Ok(industry_sectors::table
        .filter(industry_sectors::id.eq_any(ids))
        .select(IndustrySector::as_select())
        .load(conn)
        .await?)
}
