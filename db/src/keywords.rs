//! Keywords (PLN-1…5): unique per sector by their normalised key.

use crate::Listed;
use crate::error::{DbError, DbResult};
use crate::listing::{self, Bind, Listable, Order, Sql, Where};
use crate::models::{Keyword, Sector};
use crate::schema::keywords;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct KeywordFilter {
    pub site_id: Option<Uuid>,
    pub sector_id: Option<Uuid>,
    pub status: Option<String>,
    pub intent: Option<String>,
    pub cluster_id: Option<Uuid>,
    pub clustered: Option<bool>,
    pub difficulty_min: Option<i64>,
    pub difficulty_max: Option<i64>,
    pub volume_min: Option<i64>,
    pub volume_max: Option<i64>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeywordField {
    Keyword,
    Volume,
    Difficulty,
    CreatedAt,
}

pub struct Keywords;

impl Listable for Keywords {
    type Row = Keyword;
    type Filter = KeywordFilter;
    type Order = Order<KeywordField>;
    const TABLE: &'static str = "keywords";

    fn filter(w: &mut Where<'_>, f: &KeywordFilter) {
        w.eq_uuid("site_id", f.site_id);
        w.eq_uuid("sector_id", f.sector_id);
        w.eq_text("status", f.status.as_deref());
        w.eq_text("intent", f.intent.as_deref());
        w.eq_uuid("cluster_id", f.cluster_id);
        match f.clustered {
            Some(true) => {
                w.and("t.cluster_id IS NOT NULL");
            }
            Some(false) => {
                w.and("t.cluster_id IS NULL");
            }
            None => {}
        }
        w.range_i64("difficulty", f.difficulty_min, f.difficulty_max);
        w.range_i64("volume", f.volume_min, f.volume_max);
        w.contains("keyword", f.search.as_deref());
    }

    fn order(o: &[Order<KeywordField>]) -> String {
        o.iter()
            .map(|o| match o.field {
                KeywordField::Keyword => format!("t.keyword_key {}", o.dir()),
                KeywordField::Volume => format!("t.volume {} NULLS LAST", o.dir()),
                KeywordField::Difficulty => format!("t.difficulty {} NULLS LAST", o.dir()),
                KeywordField::CreatedAt => format!("t.created_at {}", o.dir()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &KeywordFilter,
    o: &[Order<KeywordField>],
    args: &PageArgs,
) -> DbResult<Listed<Keyword>> {
    listing::list::<Keywords>(conn, scope, f, o, args).await
}

/// Keywords of many sectors or clusters at once (`parent` is the column).
#[allow(clippy::too_many_arguments)]
pub async fn children(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    parent: KeywordParent,
    parents: &[Uuid],
    f: &KeywordFilter,
    o: &[Order<KeywordField>],
    args: &PageArgs,
) -> DbResult<HashMap<Uuid, Listed<Keyword>>> {
    match parent {
        KeywordParent::Sector => {
            listing::children::<Keywords>(conn, scope, "sector_id", parents, f, o, args, |k| {
                k.sector_id
            })
            .await
        }
        KeywordParent::Cluster => {
            listing::children::<Keywords>(conn, scope, "cluster_id", parents, f, o, args, |k| {
                k.cluster_id.unwrap_or_default()
            })
            .await
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeywordParent {
    Sector,
    Cluster,
}

/// Up to `cap` keywords matching, for CSV export.
pub async fn export(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &KeywordFilter,
    o: &[Order<KeywordField>],
    cap: i64,
) -> DbResult<Vec<Keyword>> {
    listing::all::<Keywords>(conn, scope, f, o, cap).await
}

fn scoped<'a>(scope: &'a Scope) -> keywords::BoxedQuery<'a, diesel::pg::Pg> {
    let mut q = keywords::table.into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(keywords::account_id.eq(a));
    }
    if let Some(ids) = scope.site_ids() {
        q = q.filter(keywords::site_id.eq_any(ids));
    }
    q
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Keyword> {
    Ok(scoped(scope)
        .filter(keywords::id.eq(id))
        .select(Keyword::as_select())
        .first(conn)
        .await?)
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Keyword>> {
    Ok(scoped(scope)
        .filter(keywords::id.eq_any(ids))
        .select(Keyword::as_select())
        .load(conn)
        .await?)
}

/// A keyword to insert into a sector; the caller normalised the text.
#[derive(Debug, Clone)]
pub struct NewKeyword {
    pub keyword: String,
    pub key: String,
    pub volume: Option<i64>,
    pub difficulty: Option<i32>,
    pub intent: Option<String>,
    pub seed_keyword_id: Option<Uuid>,
}

fn row(sector: &Sector, k: NewKeyword) -> Keyword {
    let now = Utc::now();
    Keyword {
        id: Uuid::now_v7(),
        account_id: sector.account_id,
        site_id: sector.site_id,
        sector_id: sector.id,
        keyword: k.keyword,
        keyword_key: k.key,
        volume: k.volume,
        difficulty: k.difficulty,
        intent: k.intent,
        status: "active".into(),
        cluster_id: None,
        seed_keyword_id: k.seed_keyword_id,
        created_at: now,
        updated_at: now,
    }
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    sector: &Sector,
    k: NewKeyword,
) -> DbResult<Keyword> {
    let kw = row(sector, k);
    diesel::insert_into(keywords::table)
        .values(&kw)
        .execute(conn)
        .await?;
    Ok(kw)
}

/// Inserts many keywords into a sector, skipping keys already stored;
/// returns how many were created.
pub async fn insert_many(
    conn: &mut AsyncPgConnection,
    sector: &Sector,
    rows: Vec<NewKeyword>,
) -> DbResult<usize> {
    let mut created = 0;
    let rows: Vec<Keyword> = rows.into_iter().map(|k| row(sector, k)).collect();
    // 14 columns a row; PostgreSQL allows 65,535 binds a statement
    for chunk in rows.chunks(2000) {
        created += diesel::insert_into(keywords::table)
            .values(chunk)
            .on_conflict((keywords::sector_id, keywords::keyword_key))
            .do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(created)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = keywords)]
pub struct KeywordChanges {
    pub keyword: Option<String>,
    pub keyword_key: Option<String>,
    pub volume: Option<Option<i64>>,
    pub difficulty: Option<Option<i32>>,
    pub intent: Option<Option<String>>,
    pub status: Option<String>,
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    c: KeywordChanges,
) -> DbResult<Keyword> {
    let k = get(conn, scope, id).await?;
    if c.keyword.is_none()
        && c.volume.is_none()
        && c.difficulty.is_none()
        && c.intent.is_none()
        && c.status.is_none()
    {
        return Ok(k);
    }
    let row: Keyword = diesel::update(keywords::table.filter(keywords::id.eq(k.id)))
        .set(c)
        .returning(Keyword::as_returning())
        .get_result(conn)
        .await?;
    if let Some(cluster) = row.cluster_id {
        crate::clusters::refresh_descriptions(conn, row.account_id, &[cluster]).await?;
    }
    Ok(row)
}

/// Deletes all of `ids` or none (one invisible id → `NotFound`); the
/// descriptions of the clusters they leave are rewritten.
pub async fn delete_many(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<usize> {
    let touched = match scope.account_id {
        Some(a) => Some((a, clusters_of(conn, a, ids).await?)),
        None => None,
    };
    let n = listing::delete_many(conn, scope, "keywords", ids).await?;
    if let Some((a, touched)) = touched {
        crate::clusters::refresh_descriptions(conn, a, &touched).await?;
    }
    Ok(n)
}

/// Keywords of `sector_id` a clustering of the whole sector takes: the
/// active ones in no cluster (with `include_clustered`, every active one),
/// in keyword order, at most `limit`.
pub async fn for_clustering(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    sector_id: Uuid,
    include_clustered: bool,
    limit: i64,
) -> DbResult<Vec<Uuid>> {
    let mut q = keywords::table
        .filter(keywords::sector_id.eq(sector_id))
        .filter(keywords::status.eq("active"))
        .into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(keywords::account_id.eq(a));
    }
    if let Some(sites) = scope.site_ids() {
        q = q.filter(keywords::site_id.eq_any(sites.to_vec()));
    }
    if !include_clustered {
        q = q.filter(keywords::cluster_id.is_null());
    }
    Ok(q.order(keywords::keyword_key)
        .select(keywords::id)
        .limit(limit)
        .load(conn)
        .await?)
}

pub async fn set_status(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
    status: &str,
) -> DbResult<usize> {
    listing::set_status(conn, scope, "keywords", ids, status).await
}

/// Links keywords to a cluster. Every keyword must be visible and of the
/// cluster's sector (else `NotFound` / `InvalidReference`); all or nothing.
pub async fn assign_cluster(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    cluster: &crate::models::Cluster,
    ids: &[Uuid],
) -> DbResult<usize> {
    listing::ensure_visible(conn, scope, "keywords", ids).await?;
    let foreign: i64 = keywords::table
        .filter(keywords::id.eq_any(ids))
        .filter(keywords::sector_id.ne(cluster.sector_id))
        .count()
        .get_result(conn)
        .await?;
    if foreign > 0 {
        return Err(DbError::InvalidReference("keywords_cluster_sector".into()));
    }
    let mut touched = clusters_of(conn, cluster.account_id, ids).await?;
    let n = diesel::update(
        keywords::table
            .filter(keywords::id.eq_any(ids))
            .filter(keywords::account_id.eq(cluster.account_id)),
    )
    .set(keywords::cluster_id.eq(cluster.id))
    .execute(conn)
    .await?;
    touched.push(cluster.id);
    crate::clusters::refresh_descriptions(conn, cluster.account_id, &touched).await?;
    Ok(n)
}

/// The clusters holding any of `ids` (their descriptions change with them).
async fn clusters_of(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    ids: &[Uuid],
) -> DbResult<Vec<Uuid>> {
    let found: Vec<Option<Uuid>> = keywords::table
        .filter(keywords::account_id.eq(account_id))
        .filter(keywords::id.eq_any(ids))
        .filter(keywords::cluster_id.is_not_null())
        .select(keywords::cluster_id)
        .distinct()
        .load(conn)
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Unlinks keywords from a cluster; keywords of other clusters are untouched.
pub async fn unassign_cluster(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    cluster: &crate::models::Cluster,
    ids: &[Uuid],
) -> DbResult<usize> {
    listing::ensure_visible(conn, scope, "keywords", ids).await?;
    let n = diesel::update(
        keywords::table
            .filter(keywords::id.eq_any(ids))
            .filter(keywords::account_id.eq(cluster.account_id))
            .filter(keywords::cluster_id.eq(cluster.id)),
    )
    .set(keywords::cluster_id.eq(None::<Uuid>))
    .execute(conn)
    .await?;
    crate::clusters::refresh_descriptions(conn, cluster.account_id, &[cluster.id]).await?;
    Ok(n)
}

#[derive(Debug, Clone, Copy, QueryableByName)]
pub struct ClusterStats {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub cluster_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub keywords_count: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub volume: i64,
}

/// Exact keyword count and volume sum per cluster, computed on read.
pub async fn cluster_stats(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    cluster_ids: &[Uuid],
) -> DbResult<Vec<ClusterStats>> {
    let mut q = Sql::new(
        "SELECT t.cluster_id, count(*) AS keywords_count, COALESCE(sum(t.volume), 0)::bigint AS volume FROM keywords t",
    );
    Where::start(&mut q, scope)
        .and("t.cluster_id = ANY(")
        .bind(Bind::Uuids(cluster_ids.to_vec()))
        .push(")");
    q.push(" GROUP BY t.cluster_id");
    q.fetch(conn).await
}

/// Which of `keys` a sector already holds.
pub async fn existing_keys(
    conn: &mut AsyncPgConnection,
    sector_id: Uuid,
    keys: &[String],
) -> DbResult<Vec<String>> {
    Ok(keywords::table
        .filter(keywords::sector_id.eq(sector_id))
        .filter(keywords::keyword_key.eq_any(keys))
        .select(keywords::keyword_key)
        .load(conn)
        .await?)
}

/// Puts each keyword `(id, cluster_id)` of `sector` into its cluster, in
/// one statement; returns the keywords placed. Keywords of another account
/// or sector, keywords deleted meanwhile and — unless `recluster` —
/// keywords that are in a cluster by now are left alone.
pub async fn assign_clusters(
    conn: &mut AsyncPgConnection,
    sector: &Sector,
    assignment: &[(Uuid, Uuid)],
    recluster: bool,
) -> DbResult<Vec<Uuid>> {
    #[derive(QueryableByName)]
    struct Placed {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    if assignment.is_empty() {
        return Ok(vec![]);
    }
    let (ids, clusters): (Vec<Uuid>, Vec<Uuid>) = assignment.iter().copied().unzip();
    let placed: Vec<Placed> = diesel::sql_query(
        "UPDATE keywords k SET cluster_id = v.cluster_id
           FROM unnest($1::uuid[], $2::uuid[]) AS v(id, cluster_id)
          WHERE k.id = v.id AND k.account_id = $3 AND k.sector_id = $4
            AND ($5 OR k.cluster_id IS NULL)
         RETURNING k.id",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(ids)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(clusters)
    .bind::<diesel::sql_types::Uuid, _>(sector.account_id)
    .bind::<diesel::sql_types::Uuid, _>(sector.id)
    .bind::<diesel::sql_types::Bool, _>(recluster)
    .load(conn)
    .await?;
    Ok(placed.into_iter().map(|p| p.id).collect())
}
