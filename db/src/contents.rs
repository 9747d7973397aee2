//! Content (WRT-2): one per task.

use crate::Listed;
use crate::error::DbResult;
use crate::listing::{self, Listable, Order, Where};
use crate::models::{Content, Task};
use crate::schema::contents;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ContentFilter {
    pub site_id: Option<Uuid>,
    pub sector_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub status: Option<String>,
    /// Matches the task's content type.
    pub content_type: Option<String>,
    /// Meta title or primary keyword.
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentField {
    WordCount,
    CreatedAt,
    UpdatedAt,
}

pub struct Contents;

impl Listable for Contents {
    type Row = Content;
    type Filter = ContentFilter;
    type Order = Order<ContentField>;
    const TABLE: &'static str = "contents";

    fn filter(w: &mut Where<'_>, f: &ContentFilter) {
        w.eq_uuid("site_id", f.site_id);
        w.eq_uuid("sector_id", f.sector_id);
        w.eq_uuid("task_id", f.task_id);
        w.eq_text("status", f.status.as_deref());
        if let Some(ct) = &f.content_type {
            w.and("EXISTS (SELECT 1 FROM tasks k WHERE k.id = t.task_id AND k.content_type = ")
                .bind(crate::listing::Bind::Text(ct.clone()))
                .push(")");
        }
        if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let p = format!("%{}%", crate::like_escape(s));
            w.and("(t.meta_title ILIKE ")
                .bind(crate::listing::Bind::Text(p.clone()))
                .push(" OR t.primary_keyword ILIKE ")
                .bind(crate::listing::Bind::Text(p))
                .push(")");
        }
    }

    fn order(o: &[Order<ContentField>]) -> String {
        o.iter()
            .map(|o| match o.field {
                ContentField::WordCount => format!("t.word_count {}", o.dir()),
                ContentField::CreatedAt => format!("t.created_at {}", o.dir()),
                ContentField::UpdatedAt => format!("t.updated_at {}", o.dir()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &ContentFilter,
    o: &[Order<ContentField>],
    args: &PageArgs,
) -> DbResult<Listed<Content>> {
    listing::list::<Contents>(conn, scope, f, o, args).await
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Content> {
    listing::get::<Contents>(conn, scope, id).await
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Content>> {
    listing::by_column::<Contents>(conn, scope, "id", ids).await
}

pub async fn by_tasks(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    task_ids: &[Uuid],
) -> DbResult<Vec<Content>> {
    listing::by_column::<Contents>(conn, scope, "task_id", task_ids).await
}

#[derive(Debug, Clone, Default)]
pub struct ContentFields {
    pub html: String,
    pub word_count: i32,
    pub status: String,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub primary_keyword: Option<String>,
    pub secondary_keywords: Vec<String>,
}

/// Creates the task's content; a second one is a `Conflict` (one per task).
pub async fn create(
    conn: &mut AsyncPgConnection,
    task: &Task,
    c: ContentFields,
) -> DbResult<Content> {
    let now = Utc::now();
    let content = Content {
        id: Uuid::now_v7(),
        account_id: task.account_id,
        site_id: task.site_id,
        sector_id: task.sector_id,
        task_id: task.id,
        html: c.html,
        word_count: c.word_count,
        status: c.status,
        meta_title: c.meta_title,
        meta_description: c.meta_description,
        primary_keyword: c.primary_keyword,
        secondary_keywords: c.secondary_keywords,
        wp_post_id: None,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(contents::table)
        .values(&content)
        .execute(conn)
        .await?;
    Ok(content)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = contents)]
pub struct ContentChanges {
    pub html: Option<String>,
    pub word_count: Option<i32>,
    pub status: Option<String>,
    pub meta_title: Option<Option<String>>,
    pub meta_description: Option<Option<String>>,
    pub primary_keyword: Option<Option<String>>,
    pub secondary_keywords: Option<Vec<String>>,
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    c: ContentChanges,
) -> DbResult<Content> {
    let current = get(conn, scope, id).await?;
    let empty = c.html.is_none()
        && c.status.is_none()
        && c.meta_title.is_none()
        && c.meta_description.is_none()
        && c.primary_keyword.is_none()
        && c.secondary_keywords.is_none();
    if empty {
        return Ok(current);
    }
    Ok(
        diesel::update(contents::table.filter(contents::id.eq(current.id)))
            .set(c)
            .returning(Content::as_returning())
            .get_result(conn)
            .await?,
    )
}

pub async fn delete(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<usize> {
    listing::delete_many(conn, scope, "contents", &[id]).await
}

/// Writes a task's content, creating it or replacing the generated fields.
pub async fn upsert_for_task(
    conn: &mut AsyncPgConnection,
    task: &Task,
    c: ContentFields,
) -> DbResult<Content> {
    let now = Utc::now();
    let row = Content {
        id: Uuid::now_v7(),
        account_id: task.account_id,
        site_id: task.site_id,
        sector_id: task.sector_id,
        task_id: task.id,
        html: c.html,
        word_count: c.word_count,
        status: c.status,
        meta_title: c.meta_title,
        meta_description: c.meta_description,
        primary_keyword: c.primary_keyword,
        secondary_keywords: c.secondary_keywords,
        wp_post_id: None,
        created_at: now,
        updated_at: now,
    };
    Ok(diesel::insert_into(contents::table)
        .values(&row)
        .on_conflict(contents::task_id)
        .do_update()
        .set((
            contents::html.eq(&row.html),
            contents::word_count.eq(row.word_count),
            contents::status.eq(&row.status),
            contents::meta_title.eq(&row.meta_title),
            contents::meta_description.eq(&row.meta_description),
            contents::primary_keyword.eq(&row.primary_keyword),
            contents::secondary_keywords.eq(&row.secondary_keywords),
        ))
        .returning(Content::as_returning())
        .get_result(conn)
        .await?)
}
