//! Sites (TEN-6).

use crate::Listed;
use crate::error::{DbError, DbResult};
use crate::models::Site;
use crate::schema::sites;
use chrono::Utc;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use uuid::Uuid;

type Boxed<'a> = sites::BoxedQuery<'a, Pg>;

/// Rows of `scope` only: the first wall (RLS is the second).
fn scoped<'a>(scope: &'a Scope) -> Boxed<'a> {
    let mut q = sites::table.into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(sites::account_id.eq(a));
    }
    if let Some(ids) = scope.site_ids() {
        q = q.filter(sites::id.eq_any(ids));
    }
    q
}

#[derive(Debug, Default, Clone)]
pub struct SiteFilter {
    pub is_active: Option<bool>,
    /// Case-insensitive substring of name or domain.
    pub search: Option<String>,
}

fn filtered<'a>(scope: &'a Scope, f: &'a SiteFilter) -> Boxed<'a> {
    let mut q = scoped(scope);
    if let Some(active) = f.is_active {
        q = q.filter(sites::is_active.eq(active));
    }
    if let Some(s) = f.search.as_deref().filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", crate::like_escape(s));
        q = q.filter(
            sites::name
                .ilike(pattern.clone())
                .or(sites::domain.ilike(pattern)),
        );
    }
    q
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &SiteFilter,
    args: &PageArgs,
) -> DbResult<Listed<Site>> {
    let total = filtered(scope, f).count().get_result(conn).await?;
    let page = args.window(total);
    let rows = filtered(scope, f)
        .order((sites::created_at.asc(), sites::id.asc()))
        .offset(page.offset)
        .limit(page.limit)
        .select(Site::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Site> {
    Ok(scoped(scope)
        .filter(sites::id.eq(id))
        .select(Site::as_select())
        .first(conn)
        .await?)
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Site>> {
    Ok(scoped(scope)
        .filter(sites::id.eq_any(ids))
        .select(Site::as_select())
        .load(conn)
        .await?)
}

pub struct NewSite {
    pub account_id: Uuid,
    pub name: String,
    pub slug: String,
    pub domain: Option<String>,
    pub industry_id: Option<Uuid>,
}

pub async fn create(conn: &mut AsyncPgConnection, s: NewSite) -> DbResult<Site> {
    let now = Utc::now();
    let site = Site {
        id: Uuid::now_v7(),
        account_id: s.account_id,
        name: s.name,
        slug: s.slug,
        domain: s.domain,
        industry_id: s.industry_id,
        is_active: true,
        wp_url: None,
        wp_username: None,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(sites::table)
        .values(&site)
        .execute(conn)
        .await?;
    Ok(site)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = sites)]
pub struct SiteChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    /// `Some(None)` clears the domain.
    pub domain: Option<Option<String>>,
    pub industry_id: Option<Option<Uuid>>,
    pub is_active: Option<bool>,
}

impl SiteChanges {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.slug.is_none()
            && self.domain.is_none()
            && self.industry_id.is_none()
            && self.is_active.is_none()
    }
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    changes: SiteChanges,
) -> DbResult<Site> {
    // the row must be visible to the scope before anything is written
    let site = get(conn, scope, id).await?;
    if changes.is_empty() {
        return Ok(site);
    }
    Ok(diesel::update(sites::table.filter(sites::id.eq(site.id)))
        .set(changes)
        .returning(Site::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn delete(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<()> {
    let site = get(conn, scope, id).await?;
    let n = diesel::delete(sites::table.filter(sites::id.eq(site.id)))
        .execute(conn)
        .await?;
    if n == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}
