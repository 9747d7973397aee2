//! Publishing to WordPress (PUB-1…3): a site's connection
//! (`site_integrations`), each content's publishing record
//! (`publishing_records`) and each image's media-library id
//! (`wordpress_media`). Secrets arrive sealed (`igny8_jobs::secrets`); this
//! module never sees plaintext. Every function filters by account (the first
//! wall) and runs under RLS (the second).

use crate::error::DbResult;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

diesel::table! {
    site_integrations (site_id) {
        site_id -> Uuid,
        account_id -> Uuid,
        platform -> Text,
        url -> Text,
        username -> Text,
        password_sealed -> Bytea,
        password_hint -> Text,
        secret_sealed -> Bytea,
        rest_style -> Text,
        has_bridge -> Bool,
        status -> Text,
        last_checked_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    publishing_records (content_id) {
        content_id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        sector_id -> Uuid,
        destination -> Text,
        wp_post_id -> Nullable<Int8>,
        wp_url -> Nullable<Text>,
        wp_status -> Nullable<Text>,
        published_at -> Nullable<Timestamptz>,
        sent_hash -> Nullable<Text>,
        changed_remotely -> Bool,
        last_error -> Nullable<Text>,
        synced_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    wordpress_media (image_id) {
        image_id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        media_id -> Int8,
        source_url -> Text,
        uploaded_from -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

/// A site's WordPress connection.
#[derive(Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = site_integrations)]
pub struct Connection {
    pub site_id: Uuid,
    pub account_id: Uuid,
    pub platform: String,
    pub url: String,
    pub username: String,
    pub password_sealed: Vec<u8>,
    pub password_hint: String,
    pub secret_sealed: Vec<u8>,
    pub rest_style: String,
    pub has_bridge: bool,
    pub status: String,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for Connection {
    // ciphertext is not secret, but nobody needs it in a log line either
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("site_id", &self.site_id)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Where a content was published.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = publishing_records)]
pub struct Record {
    pub content_id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub sector_id: Uuid,
    pub destination: String,
    pub wp_post_id: Option<i64>,
    pub wp_url: Option<String>,
    pub wp_status: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub sent_hash: Option<String>,
    pub changed_remotely: bool,
    pub last_error: Option<String>,
    pub synced_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An image already in a site's media library.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = wordpress_media)]
pub struct Media {
    pub image_id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub media_id: i64,
    pub source_url: String,
    pub uploaded_from: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn connection(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    site_id: Uuid,
) -> DbResult<Option<Connection>> {
    Ok(site_integrations::table
        .filter(site_integrations::account_id.eq(account_id))
        .filter(site_integrations::site_id.eq(site_id))
        .select(Connection::as_select())
        .first(conn)
        .await
        .optional()?)
}

pub async fn connections_of_sites(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    site_ids: &[Uuid],
) -> DbResult<Vec<Connection>> {
    Ok(site_integrations::table
        .filter(site_integrations::account_id.eq(account_id))
        .filter(site_integrations::site_id.eq_any(site_ids))
        .select(Connection::as_select())
        .load(conn)
        .await?)
}

/// Inserts or replaces a site's connection.
pub async fn put_connection(
    conn: &mut AsyncPgConnection,
    row: &Connection,
) -> DbResult<Connection> {
    Ok(diesel::insert_into(site_integrations::table)
        .values(row)
        .on_conflict(site_integrations::site_id)
        .do_update()
        .set(row)
        .returning(Connection::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn delete_connection(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    site_id: Uuid,
) -> DbResult<usize> {
    Ok(diesel::delete(
        site_integrations::table
            .filter(site_integrations::account_id.eq(account_id))
            .filter(site_integrations::site_id.eq(site_id)),
    )
    .execute(conn)
    .await?)
}

/// Records the outcome of a check (or of a refused publish).
pub async fn set_connection_status(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    site_id: Uuid,
    status: &str,
    error: Option<&str>,
) -> DbResult<usize> {
    Ok(diesel::update(
        site_integrations::table
            .filter(site_integrations::account_id.eq(account_id))
            .filter(site_integrations::site_id.eq(site_id)),
    )
    .set((
        site_integrations::status.eq(status),
        site_integrations::last_error.eq(error),
        site_integrations::last_checked_at.eq(Utc::now()),
    ))
    .execute(conn)
    .await?)
}

pub async fn records(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    content_ids: &[Uuid],
) -> DbResult<Vec<Record>> {
    Ok(publishing_records::table
        .filter(publishing_records::account_id.eq(account_id))
        .filter(publishing_records::content_id.eq_any(content_ids))
        .select(Record::as_select())
        .load(conn)
        .await?)
}

/// Records with a post on `site_id` (what a sync reads back).
pub async fn records_of_site(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    site_id: Uuid,
) -> DbResult<Vec<Record>> {
    Ok(publishing_records::table
        .filter(publishing_records::account_id.eq(account_id))
        .filter(publishing_records::site_id.eq(site_id))
        .filter(publishing_records::wp_post_id.is_not_null())
        .select(Record::as_select())
        .load(conn)
        .await?)
}

/// What a publish of one content wrote to WordPress.
pub struct Published<'a> {
    pub content_id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub sector_id: Uuid,
    pub wp_post_id: i64,
    pub wp_url: &'a str,
    pub wp_status: &'a str,
    pub sent_hash: &'a str,
}

/// Records a post (insert or update) and marks the content published: a
/// content is `published` only while it has a post.
pub async fn record_post(conn: &mut AsyncPgConnection, p: &Published<'_>) -> DbResult<()> {
    let now = Utc::now();
    diesel::insert_into(publishing_records::table)
        .values((
            publishing_records::content_id.eq(p.content_id),
            publishing_records::account_id.eq(p.account_id),
            publishing_records::site_id.eq(p.site_id),
            publishing_records::sector_id.eq(p.sector_id),
            publishing_records::wp_post_id.eq(p.wp_post_id),
            publishing_records::wp_url.eq(p.wp_url),
            publishing_records::wp_status.eq(p.wp_status),
            publishing_records::published_at.eq(now),
            publishing_records::sent_hash.eq(p.sent_hash),
            publishing_records::synced_at.eq(now),
        ))
        .on_conflict(publishing_records::content_id)
        .do_update()
        .set((
            publishing_records::wp_post_id.eq(p.wp_post_id),
            publishing_records::wp_url.eq(p.wp_url),
            publishing_records::wp_status.eq(p.wp_status),
            publishing_records::published_at.eq(now),
            publishing_records::sent_hash.eq(p.sent_hash),
            publishing_records::changed_remotely.eq(false),
            publishing_records::last_error.eq(None::<String>),
            publishing_records::synced_at.eq(now),
        ))
        .execute(conn)
        .await?;
    use crate::schema::contents;
    diesel::update(
        contents::table
            .filter(contents::account_id.eq(p.account_id))
            .filter(contents::id.eq(p.content_id)),
    )
    .set((
        contents::status.eq("published"),
        contents::wp_post_id.eq(Some(p.wp_post_id)),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Keeps a publish failure on the content's record.
pub async fn record_error(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    site_id: Uuid,
    sector_id: Uuid,
    content_id: Uuid,
    error: &str,
) -> DbResult<()> {
    diesel::insert_into(publishing_records::table)
        .values((
            publishing_records::content_id.eq(content_id),
            publishing_records::account_id.eq(account_id),
            publishing_records::site_id.eq(site_id),
            publishing_records::sector_id.eq(sector_id),
            publishing_records::last_error.eq(error),
        ))
        .on_conflict(publishing_records::content_id)
        .do_update()
        .set(publishing_records::last_error.eq(error))
        .execute(conn)
        .await?;
    Ok(())
}

/// What WordPress says about a post now (sync or webhook). `status`
/// `deleted` forgets the post: the content is no longer published.
pub async fn record_remote_status(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    content_id: Uuid,
    wp_post_id: i64,
    status: &str,
    url: Option<&str>,
) -> DbResult<bool> {
    let now = Utc::now();
    let changed = diesel::update(
        publishing_records::table
            .filter(publishing_records::account_id.eq(account_id))
            .filter(publishing_records::content_id.eq(content_id))
            .filter(publishing_records::wp_post_id.eq(wp_post_id)),
    )
    .set((
        publishing_records::changed_remotely.eq(publishing_records::changed_remotely
            .or(publishing_records::wp_status.is_distinct_from(status))),
        publishing_records::wp_status.eq(status),
        publishing_records::synced_at.eq(now),
    ))
    .execute(conn)
    .await?;
    if let (true, Some(url)) = (changed > 0, url) {
        diesel::update(
            publishing_records::table
                .filter(publishing_records::account_id.eq(account_id))
                .filter(publishing_records::content_id.eq(content_id)),
        )
        .set(publishing_records::wp_url.eq(url))
        .execute(conn)
        .await?;
    }
    if changed > 0 && matches!(status, "deleted" | "trash") {
        use crate::schema::contents;
        diesel::update(
            contents::table
                .filter(contents::account_id.eq(account_id))
                .filter(contents::id.eq(content_id))
                .filter(contents::status.eq("published")),
        )
        .set(contents::status.eq("review"))
        .execute(conn)
        .await?;
    }
    Ok(changed > 0)
}

/// The record holding `wp_post_id` on a site (webhooks name posts).
pub async fn record_by_post(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    site_id: Uuid,
    wp_post_id: i64,
) -> DbResult<Option<Record>> {
    Ok(publishing_records::table
        .filter(publishing_records::account_id.eq(account_id))
        .filter(publishing_records::site_id.eq(site_id))
        .filter(publishing_records::wp_post_id.eq(wp_post_id))
        .select(Record::as_select())
        .first(conn)
        .await
        .optional()?)
}

pub async fn media_of_images(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    image_ids: &[Uuid],
) -> DbResult<Vec<Media>> {
    Ok(wordpress_media::table
        .filter(wordpress_media::account_id.eq(account_id))
        .filter(wordpress_media::image_id.eq_any(image_ids))
        .select(Media::as_select())
        .load(conn)
        .await?)
}

/// Records an upload right after WordPress answered it.
pub async fn put_media(conn: &mut AsyncPgConnection, m: &Media) -> DbResult<()> {
    diesel::insert_into(wordpress_media::table)
        .values(m)
        .on_conflict(wordpress_media::image_id)
        .do_update()
        .set((
            wordpress_media::site_id.eq(m.site_id),
            wordpress_media::media_id.eq(m.media_id),
            wordpress_media::source_url.eq(&m.source_url),
            wordpress_media::uploaded_from.eq(&m.uploaded_from),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Media uploaded to a site that is no longer connected are forgotten
/// with the connection (a new site gets its own uploads).
pub async fn forget_site(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    site_id: Uuid,
) -> DbResult<()> {
    diesel::delete(
        wordpress_media::table
            .filter(wordpress_media::account_id.eq(account_id))
            .filter(wordpress_media::site_id.eq(site_id)),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A task's generated images, featured first, then by position.
pub async fn generated_images_of_task(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    task_id: Uuid,
) -> DbResult<Vec<crate::models::Image>> {
    use crate::schema::images;
    let mut rows: Vec<crate::models::Image> = images::table
        .filter(images::account_id.eq(account_id))
        .filter(images::task_id.eq(task_id))
        .filter(images::status.eq("generated"))
        .filter(images::image_type.eq_any(["featured", "in_article"]))
        .order((images::position.asc(), images::created_at.asc()))
        .select(crate::models::Image::as_select())
        .load(conn)
        .await?;
    rows.sort_by_key(|i| i.image_type != "featured");
    Ok(rows)
}

// --- reads for the API's DataLoaders (the caller's scope: account and sites)

pub async fn connections_in_scope(
    conn: &mut AsyncPgConnection,
    scope: &igny8_core::Scope,
    site_ids: &[Uuid],
) -> DbResult<Vec<Connection>> {
    let mut q = site_integrations::table
        .filter(site_integrations::site_id.eq_any(site_ids))
        .into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(site_integrations::account_id.eq(a));
    }
    if let Some(ids) = scope.site_ids() {
        q = q.filter(site_integrations::site_id.eq_any(ids));
    }
    Ok(q.select(Connection::as_select()).load(conn).await?)
}

pub async fn records_in_scope(
    conn: &mut AsyncPgConnection,
    scope: &igny8_core::Scope,
    content_ids: &[Uuid],
) -> DbResult<Vec<Record>> {
    let mut q = publishing_records::table
        .filter(publishing_records::content_id.eq_any(content_ids))
        .into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(publishing_records::account_id.eq(a));
    }
    if let Some(ids) = scope.site_ids() {
        q = q.filter(publishing_records::site_id.eq_any(ids));
    }
    Ok(q.select(Record::as_select()).load(conn).await?)
}

pub async fn media_in_scope(
    conn: &mut AsyncPgConnection,
    scope: &igny8_core::Scope,
    image_ids: &[Uuid],
) -> DbResult<Vec<Media>> {
    let mut q = wordpress_media::table
        .filter(wordpress_media::image_id.eq_any(image_ids))
        .into_boxed();
    if let Some(a) = scope.account_id {
        q = q.filter(wordpress_media::account_id.eq(a));
    }
    if let Some(ids) = scope.site_ids() {
        q = q.filter(wordpress_media::site_id.eq_any(ids));
    }
    Ok(q.select(Media::as_select()).load(conn).await?)
}

/// A site's connection found by the site alone, for the signed webhook
/// (system role: the signature is the credential; see `api::hooks`).
pub async fn connection_of_site(
    conn: &mut AsyncPgConnection,
    site_id: Uuid,
) -> DbResult<Option<Connection>> {
    Ok(site_integrations::table
        .filter(site_integrations::site_id.eq(site_id))
        .select(Connection::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Whether a `sync_wordpress` job of the site is queued or running (the
/// periodic sync does not pile up behind a slow one).
pub async fn sync_in_flight(conn: &mut AsyncPgConnection, site_id: Uuid) -> DbResult<bool> {
    use crate::schema::ai_jobs;
    let n: i64 = ai_jobs::table
        .filter(ai_jobs::site_id.eq(site_id))
        .filter(ai_jobs::kind.eq("sync_wordpress"))
        .filter(ai_jobs::status.eq_any(["queued", "running"]))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}
