//! Sectors of a site (TEN-6): at most 5 active per site, enforced by a
//! trigger that locks the site row.

use crate::Listed;
use crate::error::{DbError, DbResult};
use crate::models::Sector;
use crate::schema::sectors;
use chrono::Utc;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use uuid::Uuid;

type Boxed<'a> = sectors::BoxedQuery<'a, Pg>;

fn scoped<'a>(scope: &'a Scope) -> Boxed<'a> {
    let mut q = sectors::table.into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(sectors::account_id.eq(a));
    }
    if let Some(ids) = scope.site_ids() {
        q = q.filter(sectors::site_id.eq_any(ids));
    }
    q
}

#[derive(Debug, Default, Clone)]
pub struct SectorFilter {
    pub site_id: Option<Uuid>,
    pub is_active: Option<bool>,
    pub search: Option<String>,
}

fn filtered<'a>(scope: &'a Scope, f: &'a SectorFilter) -> Boxed<'a> {
    let mut q = scoped(scope);
    if let Some(site) = f.site_id {
        q = q.filter(sectors::site_id.eq(site));
    }
    if let Some(active) = f.is_active {
        q = q.filter(sectors::is_active.eq(active));
    }
    if let Some(s) = f.search.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(sectors::name.ilike(format!("%{}%", crate::like_escape(s))));
    }
    q
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &SectorFilter,
    args: &PageArgs,
) -> DbResult<Listed<Sector>> {
    let total = filtered(scope, f).count().get_result(conn).await?;
    let page = args.window(total);
    let rows = filtered(scope, f)
        .order((sectors::created_at.asc(), sectors::id.asc()))
        .offset(page.offset)
        .limit(page.limit)
        .select(Sector::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Sector> {
    Ok(scoped(scope)
        .filter(sectors::id.eq(id))
        .select(Sector::as_select())
        .first(conn)
        .await?)
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Sector>> {
    Ok(scoped(scope)
        .filter(sectors::id.eq_any(ids))
        .select(Sector::as_select())
        .load(conn)
        .await?)
}

/// Every sector of the given sites, oldest first, for the `Site.sectors` loader.
pub async fn by_site_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    site_ids: &[Uuid],
) -> DbResult<Vec<Sector>> {
    Ok(scoped(scope)
        .filter(sectors::site_id.eq_any(site_ids))
        .order((sectors::created_at.asc(), sectors::id.asc()))
        .select(Sector::as_select())
        .load(conn)
        .await?)
}

pub struct NewSector {
    pub site_id: Uuid,
    pub name: String,
    pub slug: String,
    pub industry_sector_id: Option<Uuid>,
    pub is_active: bool,
}

/// Inserts a sector under a site the scope can see; the account comes from
/// the site row, never from input.
pub async fn create(conn: &mut AsyncPgConnection, scope: &Scope, s: NewSector) -> DbResult<Sector> {
    let site = crate::sites::get(conn, scope, s.site_id).await?;
    let now = Utc::now();
    let sector = Sector {
        id: Uuid::now_v7(),
        account_id: site.account_id,
        site_id: site.id,
        name: s.name,
        slug: s.slug,
        industry_sector_id: s.industry_sector_id,
        is_active: s.is_active,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(sectors::table)
        .values(&sector)
        .execute(conn)
        .await?;
    Ok(sector)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = sectors)]
pub struct SectorChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub industry_sector_id: Option<Option<Uuid>>,
    pub is_active: Option<bool>,
}

impl SectorChanges {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.slug.is_none()
            && self.industry_sector_id.is_none()
            && self.is_active.is_none()
    }
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    changes: SectorChanges,
) -> DbResult<Sector> {
    let sector = get(conn, scope, id).await?;
    if changes.is_empty() {
        return Ok(sector);
    }
    Ok(
        diesel::update(sectors::table.filter(sectors::id.eq(sector.id)))
            .set(changes)
            .returning(Sector::as_returning())
            .get_result(conn)
            .await?,
    )
}

pub async fn delete(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Sector> {
    let sector = get(conn, scope, id).await?;
    let n = diesel::delete(sectors::table.filter(sectors::id.eq(sector.id)))
        .execute(conn)
        .await?;
    if n == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(sector)
    }
}
