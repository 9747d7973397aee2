//! Writer tasks (WRT-1). Deleting a task deletes its content and images.

use crate::Listed;
use crate::error::DbResult;
use crate::listing::{self, Listable, Order, Where};
use crate::models::{Sector, Task};
use crate::schema::tasks;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TaskFilter {
    pub site_id: Option<Uuid>,
    pub sector_id: Option<Uuid>,
    pub cluster_id: Option<Uuid>,
    pub status: Option<String>,
    pub content_type: Option<String>,
    pub content_structure: Option<String>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskField {
    Title,
    Status,
    CreatedAt,
    UpdatedAt,
}

pub struct Tasks;

impl Listable for Tasks {
    type Row = Task;
    type Filter = TaskFilter;
    type Order = Order<TaskField>;
    const TABLE: &'static str = "tasks";

    fn filter(w: &mut Where<'_>, f: &TaskFilter) {
        w.eq_uuid("site_id", f.site_id);
        w.eq_uuid("sector_id", f.sector_id);
        w.eq_uuid("cluster_id", f.cluster_id);
        w.eq_text("status", f.status.as_deref());
        w.eq_text("content_type", f.content_type.as_deref());
        w.eq_text("content_structure", f.content_structure.as_deref());
        w.contains("title", f.search.as_deref());
    }

    fn order(o: &[Order<TaskField>]) -> String {
        o.iter()
            .map(|o| match o.field {
                TaskField::Title => format!("lower(t.title) {}", o.dir()),
                TaskField::Status => format!("t.status {}", o.dir()),
                TaskField::CreatedAt => format!("t.created_at {}", o.dir()),
                TaskField::UpdatedAt => format!("t.updated_at {}", o.dir()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &TaskFilter,
    o: &[Order<TaskField>],
    args: &PageArgs,
) -> DbResult<Listed<Task>> {
    listing::list::<Tasks>(conn, scope, f, o, args).await
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Task> {
    listing::get::<Tasks>(conn, scope, id).await
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Task>> {
    listing::by_column::<Tasks>(conn, scope, "id", ids).await
}

/// The task of each idea (at most one per idea).
pub async fn by_ideas(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    idea_ids: &[Uuid],
) -> DbResult<Vec<Task>> {
    listing::by_column::<Tasks>(conn, scope, "idea_id", idea_ids).await
}

#[derive(Debug, Clone)]
pub struct NewTask {
    pub cluster_id: Option<Uuid>,
    pub idea_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub target_keywords: Vec<String>,
    pub content_type: String,
    pub content_structure: String,
    pub status: String,
}

/// Inserts a task into a sector; cluster and idea must be of that sector
/// (the composite keys refuse anything else).
pub async fn create(conn: &mut AsyncPgConnection, sector: &Sector, n: NewTask) -> DbResult<Task> {
    let now = Utc::now();
    let t = Task {
        id: Uuid::now_v7(),
        account_id: sector.account_id,
        site_id: sector.site_id,
        sector_id: sector.id,
        cluster_id: n.cluster_id,
        idea_id: n.idea_id,
        title: n.title,
        description: n.description,
        target_keywords: n.target_keywords,
        content_type: n.content_type,
        content_structure: n.content_structure,
        status: n.status,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(tasks::table)
        .values(&t)
        .execute(conn)
        .await?;
    Ok(t)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tasks)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub target_keywords: Option<Vec<String>>,
    pub content_type: Option<String>,
    pub content_structure: Option<String>,
    pub status: Option<String>,
    pub cluster_id: Option<Option<Uuid>>,
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    c: TaskChanges,
) -> DbResult<Task> {
    let current = get(conn, scope, id).await?;
    let empty = c.title.is_none()
        && c.description.is_none()
        && c.target_keywords.is_none()
        && c.content_type.is_none()
        && c.content_structure.is_none()
        && c.status.is_none()
        && c.cluster_id.is_none();
    if empty {
        return Ok(current);
    }
    Ok(
        diesel::update(tasks::table.filter(tasks::id.eq(current.id)))
            .set(c)
            .returning(Task::as_returning())
            .get_result(conn)
            .await?,
    )
}

pub async fn delete_many(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<usize> {
    listing::delete_many(conn, scope, "tasks", ids).await
}

pub async fn set_status(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
    status: &str,
) -> DbResult<usize> {
    listing::set_status(conn, scope, "tasks", ids, status).await
}

pub async fn set_one_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: &str,
) -> DbResult<usize> {
    Ok(diesel::update(tasks::table.find(id))
        .set(tasks::status.eq(status))
        .execute(conn)
        .await?)
}
