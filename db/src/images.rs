//! Images (WRT-3) of a task and, once it exists, its content.

use crate::Listed;
use crate::error::DbResult;
use crate::listing::{self, Listable, Order, Where};
use crate::models::{Image, Task};
use crate::schema::images;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::Scope;
use igny8_core::page::PageArgs;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ImageFilter {
    pub site_id: Option<Uuid>,
    pub sector_id: Option<Uuid>,
    pub content_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub image_type: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageField {
    Position,
    CreatedAt,
}

pub struct Images;

impl Listable for Images {
    type Row = Image;
    type Filter = ImageFilter;
    type Order = Order<ImageField>;
    const TABLE: &'static str = "images";

    fn filter(w: &mut Where<'_>, f: &ImageFilter) {
        w.eq_uuid("site_id", f.site_id);
        w.eq_uuid("sector_id", f.sector_id);
        w.eq_uuid("content_id", f.content_id);
        w.eq_uuid("task_id", f.task_id);
        w.eq_text("image_type", f.image_type.as_deref());
        w.eq_text("status", f.status.as_deref());
    }

    fn order(o: &[Order<ImageField>]) -> String {
        o.iter()
            .map(|o| match o.field {
                ImageField::Position => format!("t.position {}", o.dir()),
                ImageField::CreatedAt => format!("t.created_at {}", o.dir()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn default_order() -> &'static str {
        "t.position ASC, t.created_at ASC"
    }
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &ImageFilter,
    o: &[Order<ImageField>],
    args: &PageArgs,
) -> DbResult<Listed<Image>> {
    listing::list::<Images>(conn, scope, f, o, args).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageParent {
    Task,
    Content,
}

/// Images of many tasks or contents at once.
pub async fn children(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    parent: ImageParent,
    parents: &[Uuid],
    f: &ImageFilter,
    o: &[Order<ImageField>],
    args: &PageArgs,
) -> DbResult<HashMap<Uuid, Listed<Image>>> {
    match parent {
        ImageParent::Task => {
            listing::children::<Images>(conn, scope, "task_id", parents, f, o, args, |i| i.task_id)
                .await
        }
        ImageParent::Content => {
            listing::children::<Images>(conn, scope, "content_id", parents, f, o, args, |i| {
                i.content_id.unwrap_or_default()
            })
            .await
        }
    }
}

pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> DbResult<Image> {
    listing::get::<Images>(conn, scope, id).await
}

pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<Vec<Image>> {
    listing::by_column::<Images>(conn, scope, "id", ids).await
}

#[derive(Debug, Clone)]
pub struct NewImage {
    pub content_id: Option<Uuid>,
    pub image_type: String,
    pub prompt: String,
    pub url: Option<String>,
    pub position: i32,
}

pub async fn create(conn: &mut AsyncPgConnection, task: &Task, n: NewImage) -> DbResult<Image> {
    let now = Utc::now();
    let img = Image {
        id: Uuid::now_v7(),
        account_id: task.account_id,
        site_id: task.site_id,
        sector_id: task.sector_id,
        task_id: task.id,
        content_id: n.content_id,
        image_type: n.image_type,
        prompt: n.prompt,
        storage_key: None,
        url: n.url,
        position: n.position,
        status: "pending".into(),
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(images::table)
        .values(&img)
        .execute(conn)
        .await?;
    Ok(img)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = images)]
pub struct ImageChanges {
    pub image_type: Option<String>,
    pub prompt: Option<String>,
    pub url: Option<Option<String>>,
    pub position: Option<i32>,
    pub status: Option<String>,
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    c: ImageChanges,
) -> DbResult<Image> {
    let current = get(conn, scope, id).await?;
    if c.image_type.is_none()
        && c.prompt.is_none()
        && c.url.is_none()
        && c.position.is_none()
        && c.status.is_none()
    {
        return Ok(current);
    }
    Ok(
        diesel::update(images::table.filter(images::id.eq(current.id)))
            .set(c)
            .returning(Image::as_returning())
            .get_result(conn)
            .await?,
    )
}

pub async fn delete_many(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
) -> DbResult<usize> {
    listing::delete_many(conn, scope, "images", ids).await
}

pub async fn set_status(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    ids: &[Uuid],
    status: &str,
) -> DbResult<usize> {
    listing::set_status(conn, scope, "images", ids, status).await
}

/// Replaces the pending featured and in-article images of a content with
/// new prompts (a job's SAVE). Generated images are kept.
pub async fn replace_prompts(
    conn: &mut AsyncPgConnection,
    task: &Task,
    content_id: Uuid,
    featured: &str,
    in_article: &[String],
) -> DbResult<Vec<Image>> {
    diesel::delete(
        images::table
            .filter(images::task_id.eq(task.id))
            .filter(images::status.eq("pending"))
            .filter(images::image_type.eq_any(["featured", "in_article"])),
    )
    .execute(conn)
    .await?;
    let mut out = vec![];
    let all = std::iter::once(("featured", featured.to_owned()))
        .chain(in_article.iter().map(|p| ("in_article", p.clone())));
    for (i, (kind, prompt)) in all.enumerate() {
        out.push(
            create(
                conn,
                task,
                NewImage {
                    content_id: Some(content_id),
                    image_type: kind.into(),
                    prompt,
                    url: None,
                    position: i as i32,
                },
            )
            .await?,
        );
    }
    Ok(out)
}

/// Marks an image generated and stored under `key`, or failed.
pub async fn set_generated(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    key: Option<&str>,
) -> DbResult<usize> {
    let status = if key.is_some() { "generated" } else { "failed" };
    Ok(diesel::update(images::table.find(id))
        .set((images::storage_key.eq(key), images::status.eq(status)))
        .execute(conn)
        .await?)
}
