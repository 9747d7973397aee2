//! Content ideas (PLN-7) and queueing them to the writer (PLN-8).

use crate::Listed;
use crate::error::DbResult;
use crate::listing::{self, Bind, Listable, Order, Sql, Where};
use crate::models::{Cluster, Idea, Task};
use crate::schema::{content_ideas, tasks};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IdeaFilter {
    pub site_id: Option<Uuid>,
    pub sector_id: Option<Uuid>,
    pub cluster_id: Option<Uuid>,
    pub status: Option<String>,
    pub content_type: Option<String>,
    pub content_structure: Option<String>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdeaField {
    Title,
    EstimatedWordCount,
    CreatedAt,
}

pub struct Ideas;

impl Listable for Ideas {
    type Row = Idea;
    type Filter = IdeaFilter;
    type Order = Order<IdeaField>;
    const TABLE: &'static str = "content_ideas";

    fn filter(w: &mut Where<'_>, f: &IdeaFilter) {
        w.eq_uuid("site_id", f.site_id);
        w.eq_uuid("sector_id", f.sector_id);
        w.eq_uuid("cluster_id", f.cluster_id);
        w.eq_text("status", f.status.as_deref());
        w.eq_text("content_type", f.content_type.as_deref());
        w.eq_text("content_structure", f.content_structure.as_deref());
        w.contains("title", f.search.as_deref());
    }

    fn order(o: &[Order<IdeaField>]) -> String {
        o.iter()
            .map(|o| match o.field {
                IdeaField::Title => format!("lower(t.title) {}", o.dir()),
                IdeaField::EstimatedWordCount => format!("t.estimated_word_count {}", o.dir()),
                IdeaField::CreatedAt => format!("t.created_at {}", o.dir()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &IdeaFilter,
    o: &[Order<IdeaField>],
    args: &PageArgs,
) -> DbResult<Listed<Idea>> {
    listing::list::<Ideas>(conn, scope, f, o, args).await
}

/// Ideas of many clusters at once.
pub async fn by_clusters(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    clusters: &[Uuid],
    f: &IdeaFilter,
    o: &[Order<IdeaField>],
    args: &PageArgs,
) -> DbResult<HashMap<Uuid, Listed<Idea>>> {
    listing::children::<Ideas>(conn, scope, "cluster_id", clusters, f, o, args, |i| {
        i.cluster_id.unwrap_or_default()
    })
    .await
}

/// Titles of a cluster's ideas (new ideas are compared with them).
pub async fn titles_in_cluster(
    conn: &mut AsyncPgConnection,
    cluster: &Cluster,
) -> DbResult<Vec<String>> {
    Ok(content_ideas::table
        .filter(content_ideas::account_id.eq(cluster.account_id))
        .filter(content_ideas::cluster_id.eq(cluster.id))
        .select(content_ideas::title)
        .order(content_ideas::created_at)
        .load(conn)
        .await?)
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Idea> {
    listing::get::<Ideas>(conn, scope, id).await
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Idea>> {
    listing::by_column::<Ideas>(conn, scope, "id", ids).await
}

#[derive(Debug, Clone)]
pub struct NewIdea {
    pub title: String,
    pub description: String,
    pub content_type: String,
    pub content_structure: String,
    pub outline: serde_json::Value,
    pub target_keywords: Vec<String>,
    pub estimated_word_count: i32,
}

pub async fn create(conn: &mut AsyncPgConnection, cluster: &Cluster, n: NewIdea) -> DbResult<Idea> {
    let now = Utc::now();
    let idea = Idea {
        id: Uuid::now_v7(),
        account_id: cluster.account_id,
        site_id: cluster.site_id,
        sector_id: cluster.sector_id,
        cluster_id: Some(cluster.id),
        title: n.title,
        description: n.description,
        content_type: n.content_type,
        content_structure: n.content_structure,
        outline: n.outline,
        target_keywords: n.target_keywords,
        estimated_word_count: n.estimated_word_count,
        status: "new".into(),
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(content_ideas::table)
        .values(&idea)
        .execute(conn)
        .await?;
    Ok(idea)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = content_ideas)]
pub struct IdeaChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub content_type: Option<String>,
    pub content_structure: Option<String>,
    pub outline: Option<serde_json::Value>,
    pub target_keywords: Option<Vec<String>>,
    pub estimated_word_count: Option<i32>,
    pub status: Option<String>,
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    c: IdeaChanges,
) -> DbResult<Idea> {
    let current = get(conn, scope, id).await?;
    let empty = c.title.is_none()
        && c.description.is_none()
        && c.content_type.is_none()
        && c.content_structure.is_none()
        && c.outline.is_none()
        && c.target_keywords.is_none()
        && c.estimated_word_count.is_none()
        && c.status.is_none();
    if empty {
        return Ok(current);
    }
    Ok(
        diesel::update(content_ideas::table.filter(content_ideas::id.eq(current.id)))
            .set(c)
            .returning(Idea::as_returning())
            .get_result(conn)
            .await?,
    )
}

pub async fn delete(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<usize> {
    listing::delete_many(conn, scope, "content_ideas", &[id]).await
}

/// Turns ideas into tasks, once: an idea already queued keeps its task
/// (the unique `idea_id` makes a concurrent second queueing a no-op).
/// Returns the tasks in the order of `ids`.
pub async fn queue_to_writer(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Task>> {
    listing::ensure_visible(conn, scope, "content_ideas", ids).await?;
    let ideas = by_ids(conn, scope, ids).await?;
    let now = Utc::now();
    let new_tasks: Vec<Task> = ideas
        .iter()
        .map(|i| Task {
            id: Uuid::now_v7(),
            account_id: i.account_id,
            site_id: i.site_id,
            sector_id: i.sector_id,
            cluster_id: i.cluster_id,
            idea_id: Some(i.id),
            title: i.title.clone(),
            description: i.description.clone(),
            target_keywords: i.target_keywords.clone(),
            content_type: i.content_type.clone(),
            content_structure: i.content_structure.clone(),
            status: "draft".into(),
            created_at: now,
            updated_at: now,
        })
        .collect();
    diesel::insert_into(tasks::table)
        .values(&new_tasks)
        .on_conflict(tasks::idea_id)
        .do_nothing()
        .execute(conn)
        .await?;
    let mut q = Sql::new("UPDATE content_ideas t SET status = 'queued'");
    Where::start(&mut q, scope)
        .and("t.status = 'new' AND t.id = ANY(")
        .bind(Bind::Uuids(ids.to_vec()))
        .push(")");
    q.run(conn).await?;
    let mut tasks = crate::tasks::by_ideas(conn, scope, ids).await?;
    tasks.sort_by_key(|t| ids.iter().position(|i| Some(*i) == t.idea_id));
    Ok(tasks)
}
