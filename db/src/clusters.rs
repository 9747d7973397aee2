//! Clusters (PLN-6). `keywords_count` and `volume` are computed on read from
//! the keywords themselves, so they are always exact.

use crate::Listed;
use crate::error::DbResult;
use crate::listing::{self, Listable, Order, Where};
use crate::models::{Cluster, Sector};
use crate::schema::clusters;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::ai::cluster::{KeywordIn, describe_keywords};
use igny8_core::page::PageArgs;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ClusterFilter {
    pub site_id: Option<Uuid>,
    pub sector_id: Option<Uuid>,
    pub status: Option<String>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClusterField {
    Name,
    KeywordsCount,
    Volume,
    CreatedAt,
}

pub struct Clusters;

impl Listable for Clusters {
    type Row = Cluster;
    type Filter = ClusterFilter;
    type Order = Order<ClusterField>;
    const TABLE: &'static str = "clusters";

    fn filter(w: &mut Where<'_>, f: &ClusterFilter) {
        w.eq_uuid("site_id", f.site_id);
        w.eq_uuid("sector_id", f.sector_id);
        w.eq_text("status", f.status.as_deref());
        w.contains("name", f.search.as_deref());
    }

    fn order(o: &[Order<ClusterField>]) -> String {
        o.iter()
            .map(|o| match o.field {
                ClusterField::Name => format!("lower(t.name) {}", o.dir()),
                ClusterField::KeywordsCount => format!("(SELECT count(*) FROM keywords k WHERE k.cluster_id = t.id) {}", o.dir()),
                ClusterField::Volume => {
                    format!("(SELECT COALESCE(sum(k.volume), 0) FROM keywords k WHERE k.cluster_id = t.id) {}", o.dir())
                }
                ClusterField::CreatedAt => format!("t.created_at {}", o.dir()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &ClusterFilter,
    o: &[Order<ClusterField>],
    args: &PageArgs,
) -> DbResult<Listed<Cluster>> {
    listing::list::<Clusters>(conn, scope, f, o, args).await
}

/// Clusters of many sectors at once.
pub async fn by_sectors(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    sectors: &[Uuid],
    f: &ClusterFilter,
    o: &[Order<ClusterField>],
    args: &PageArgs,
) -> DbResult<HashMap<Uuid, Listed<Cluster>>> {
    listing::children::<Clusters>(conn, scope, "sector_id", sectors, f, o, args, |c| {
        c.sector_id
    })
    .await
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Cluster> {
    listing::get::<Clusters>(conn, scope, id).await
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Cluster>> {
    listing::by_column::<Clusters>(conn, scope, "id", ids).await
}

/// A new cluster row in `sector`, not yet inserted (see [`create_many`]).
pub fn new_row(sector: &Sector, name: String, description: String) -> Cluster {
    let now = Utc::now();
    Cluster {
        id: Uuid::now_v7(),
        account_id: sector.account_id,
        site_id: sector.site_id,
        sector_id: sector.id,
        name,
        description,
        status: "active".into(),
        created_at: now,
        updated_at: now,
        description_generated: false,
    }
}

/// Every cluster of a sector (clustering matches names against them).
pub async fn in_sector(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    sector_id: Uuid,
) -> DbResult<Vec<Cluster>> {
    Ok(clusters::table
        .filter(clusters::account_id.eq(account_id))
        .filter(clusters::sector_id.eq(sector_id))
        .select(Cluster::as_select())
        .load(conn)
        .await?)
}

/// (id, cluster, keyword, volume, intent) of a keyword a description names.
type DescribedKeyword = (Uuid, Option<Uuid>, String, Option<i64>, Option<String>);

/// Rewrites the generated descriptions of `ids` from their keywords as
/// they are now (counts, intent, top keywords), so they never go stale;
/// descriptions a person wrote are left alone. Call it after any change
/// of which keywords a cluster holds (or of their volume or intent).
pub async fn refresh_descriptions(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    ids: &[Uuid],
) -> DbResult<()> {
    use crate::schema::keywords;
    if ids.is_empty() {
        return Ok(());
    }
    let generated: Vec<Cluster> = clusters::table
        .filter(clusters::account_id.eq(account_id))
        .filter(clusters::id.eq_any(ids))
        .filter(clusters::description_generated.eq(true))
        .select(Cluster::as_select())
        .load(conn)
        .await?;
    if generated.is_empty() {
        return Ok(());
    }
    let cids: Vec<Uuid> = generated.iter().map(|c| c.id).collect();
    let rows: Vec<DescribedKeyword> = keywords::table
        .filter(keywords::account_id.eq(account_id))
        .filter(keywords::cluster_id.eq_any(&cids))
        .select((
            keywords::id,
            keywords::cluster_id,
            keywords::keyword,
            keywords::volume,
            keywords::intent,
        ))
        .load(conn)
        .await?;
    let mut by_cluster: HashMap<Uuid, Vec<KeywordIn>> = HashMap::new();
    for (id, cluster, keyword, volume, intent) in rows {
        let Some(c) = cluster else { continue };
        by_cluster.entry(c).or_default().push(KeywordIn {
            id: id.to_string(),
            keyword,
            volume,
            intent: intent.and_then(|i| i.parse().ok()),
        });
    }
    for c in generated {
        let d = describe_keywords(&c.name, by_cluster.get(&c.id).map_or(&[][..], |v| v));
        if d != c.description {
            diesel::update(clusters::table.filter(clusters::id.eq(c.id)))
                .set(clusters::description.eq(d))
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// Inserts many clusters in one statement.
pub async fn create_many(conn: &mut AsyncPgConnection, rows: &[Cluster]) -> DbResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    Ok(diesel::insert_into(clusters::table)
        .values(rows)
        .execute(conn)
        .await?)
}

/// Inserts the clusters whose name the sector does not have (the unique
/// index `clusters_sector_name_key` decides, also against a concurrent
/// insert) in one statement; returns the ids inserted.
pub async fn create_many_new(
    conn: &mut AsyncPgConnection,
    rows: &[Cluster],
) -> DbResult<HashSet<Uuid>> {
    if rows.is_empty() {
        return Ok(HashSet::new());
    }
    let ids: Vec<Uuid> = diesel::insert_into(clusters::table)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(clusters::id)
        .get_results(conn)
        .await?;
    Ok(ids.into_iter().collect())
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    sector: &Sector,
    name: String,
    description: String,
) -> DbResult<Cluster> {
    let c = new_row(sector, name, description);
    diesel::insert_into(clusters::table)
        .values(&c)
        .execute(conn)
        .await?;
    Ok(c)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = clusters)]
pub struct ClusterChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    /// Set by [`update`]: a description given by hand is no longer rewritten.
    pub description_generated: Option<bool>,
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    c: ClusterChanges,
) -> DbResult<Cluster> {
    let current = get(conn, scope, id).await?;
    if c.name.is_none() && c.description.is_none() && c.status.is_none() {
        return Ok(current);
    }
    let mut c = c;
    if c.description.is_some() {
        c.description_generated = Some(false);
    }
    Ok(
        diesel::update(clusters::table.filter(clusters::id.eq(current.id)))
            .set(c)
            .returning(Cluster::as_returning())
            .get_result(conn)
            .await?,
    )
}

/// Deletes a cluster; its keywords stay, unlinked (the foreign key sets
/// `cluster_id` to NULL), and so do its ideas and tasks.
pub async fn delete(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<usize> {
    listing::delete_many(conn, scope, "clusters", &[id]).await
}
