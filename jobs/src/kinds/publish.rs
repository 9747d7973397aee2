//! `publish`: contents to their site's WordPress (PUB-1, PUB-3). No AI, no
//! credits. Per content (one item): upload the featured and in-article
//! images that are not in the media library yet (alt text = the image's
//! prompt), rewrite and place them in the HTML, make sure the category (the
//! sector) and tags (cluster, primary keyword) exist, then update the post
//! igny8 made before or create it.
//!
//! **Exactly once.** Every post igny8 writes carries a marker comment
//! `<!-- igny8:content:<id> -->`. Before creating a post, and again after
//! a create whose answer was lost, the site is searched for the marker: a
//! worker killed after WordPress created the post but before igny8 recorded
//! it finds that post on the rerun and updates it. Each upload and each
//! post is recorded in its own transaction as soon as WordPress answered,
//! so a rerun neither uploads an image twice nor forgets a post.
//!
//! Errors are per item (WordPress's message is kept on the content's
//! record); 401/403 marks the connection `unauthorized` and fails the job
//! at once; 429/5xx/timeouts retry inside the item (`crate::wordpress`).

use super::{CallCtx, Called, Calls, Kind, Prep, Refusal, RunError, Saved, one_writable_site};
use crate::provider::Usage;
use crate::wordpress::{Post, RestStyle, Site, WpError};
use igny8_core::Actor;
use igny8_core::html::{PlacedImage, place_images};
use igny8_core::jobs::{ItemOutcome, JobKind, PublishInput, PublishStatus};
use igny8_db::models::{Content, Image};
use igny8_db::publishing::{self as pubs, Connection, Media, Record};
use igny8_db::{Db, DbError, Tx};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub struct Publish;

/// The sealed fields of a connection (AAD: account ‖ site ‖ field).
pub fn password_field(site_id: Uuid) -> String {
    format!("site_integrations.password:{site_id}")
}
pub fn secret_field(site_id: Uuid) -> String {
    format!("site_integrations.secret:{site_id}")
}

pub struct Item {
    content: Content,
    title: String,
    sector: String,
    cluster: Option<String>,
    /// Generated images, featured first, each with its upload (if any).
    images: Vec<(Image, Option<Media>)>,
    record: Option<Record>,
}

pub struct Prepared {
    account_id: Uuid,
    site_id: Uuid,
    conn: Connection,
    status: PublishStatus,
    publish_at: Option<String>,
    items: Vec<Item>,
}

/// The marker every post igny8 writes carries in its content.
pub fn marker(content_id: Uuid) -> String {
    format!("igny8:content:{content_id}")
}

/// Opens the connection's application password and builds the client.
pub fn open_site(
    conn: &Connection,
    ctx_providers: &crate::settings::Providers,
) -> Result<Site, RunError> {
    let password = ctx_providers
        .secrets
        .open(
            conn.account_id,
            &password_field(conn.site_id),
            &conn.password_sealed,
        )
        .map_err(|e| {
            RunError::Permanent(format!(
                "the WordPress connection: {e}; connect the site again"
            ))
        })?;
    Ok(Site::new(
        ctx_providers.outbound(),
        &conn.url,
        RestStyle::parse(&conn.rest_style),
        &conn.username,
        &password,
        ctx_providers.server.retry.clone(),
    ))
}

/// Marks the connection refused (its own transaction) and fails the job.
pub async fn refused(db: &Db, conn: &Connection, e: &WpError) -> RunError {
    let msg =
        format!("{e}; check the WordPress connection (testWordPressConnection) or connect again");
    match db.begin_tenant(conn.account_id).await {
        Ok(mut tx) => {
            let r = pubs::set_connection_status(
                &mut tx,
                conn.account_id,
                conn.site_id,
                "unauthorized",
                Some(&msg),
            )
            .await;
            if let Err(e) = r.map(|_| ()) {
                return RunError::Db(e);
            }
            if let Err(e) = tx.commit().await {
                return RunError::Db(e);
            }
        }
        Err(e) => return RunError::Db(e),
    }
    RunError::Permanent(msg)
}

enum ItemError {
    /// 401/403: the whole job stops.
    Unauthorized(WpError),
    /// This content failed; the others go on.
    Failed(String),
    Db(DbError),
}

impl From<DbError> for ItemError {
    fn from(e: DbError) -> Self {
        ItemError::Db(e)
    }
}

fn wp(e: WpError) -> ItemError {
    match e {
        e @ WpError::Unauthorized { .. } => ItemError::Unauthorized(e),
        e => ItemError::Failed(e.to_string()),
    }
}

impl Kind for Publish {
    type Input = PublishInput;
    type Prepared = Prepared;
    type Parsed = Vec<(Uuid, Result<Value, String>)>;
    const KIND: JobKind = JobKind::Publish;
    const CALLS: Calls = Calls::PerItem {
        noun: "articles sent to WordPress",
    };

    async fn admit(tx: &mut Tx, actor: &Actor, input: &mut PublishInput) -> Result<Uuid, Refusal> {
        let ids = &input.content_ids;
        let rows = igny8_db::contents::by_ids(tx, &actor.scope(), ids).await?;
        let site = one_writable_site(
            actor,
            &rows,
            ids.len(),
            |c| c.site_id,
            "content",
            "contentIds",
        )?;
        if pubs::connection(tx, actor.account_id, site)
            .await?
            .is_none()
        {
            return Err(Refusal::BadInput(
                "contentIds",
                "contentIds: the site has no WordPress connection; connect it first (connectWordPress)".into(),
            ));
        }
        Ok(site)
    }

    async fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &PublishInput,
    ) -> Result<Prepared, RunError> {
        let sc = prep.scope.clone();
        let acc = prep.job.account_id;
        let contents = igny8_db::contents::by_ids(tx, &sc, &input.content_ids).await?;
        let site_id = prep
            .job
            .site_id
            .or_else(|| contents.first().map(|c| c.site_id))
            .ok_or_else(|| {
                RunError::Permanent("nothing left to publish: the contents were deleted".into())
            })?;
        let conn = pubs::connection(tx, acc, site_id).await?.ok_or_else(|| {
            RunError::Permanent("the site is no longer connected to WordPress".into())
        })?;
        let ids: Vec<Uuid> = contents.iter().map(|c| c.id).collect();
        let records = pubs::records(tx, acc, &ids).await?;
        let mut items = vec![];
        for c in contents.into_iter().filter(|c| c.site_id == site_id) {
            let t = igny8_db::tasks::get(tx, &sc, c.task_id).await?;
            let sector = igny8_db::sectors::get(tx, &sc, c.sector_id).await?;
            let cluster = match t.cluster_id {
                Some(id) => igny8_db::clusters::get(tx, &sc, id)
                    .await
                    .ok()
                    .map(|k| k.name),
                None => None,
            };
            let imgs = pubs::generated_images_of_task(tx, acc, t.id).await?;
            let img_ids: Vec<Uuid> = imgs.iter().map(|i| i.id).collect();
            let media = pubs::media_of_images(tx, acc, &img_ids).await?;
            let images = imgs
                .into_iter()
                .map(|i| {
                    let m = media.iter().find(|m| m.image_id == i.id).cloned();
                    (i, m)
                })
                .collect();
            items.push(Item {
                title: c
                    .meta_title
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| t.title.clone()),
                record: records.iter().find(|r| r.content_id == c.id).cloned(),
                content: c,
                sector: sector.name,
                cluster,
                images,
            });
        }
        Ok(Prepared {
            account_id: acc,
            site_id,
            conn,
            status: input.status,
            publish_at: input.publish_at.clone(),
            items,
        })
    }

    fn items(p: &Prepared) -> i32 {
        p.items.len() as i32
    }

    async fn call(p: &Prepared, i: usize, ctx: &CallCtx<'_>) -> Result<Called, RunError> {
        let item = &p.items[i];
        let site = open_site(&p.conn, ctx.providers)?;
        let id = item.content.id;
        let entry = match publish_one(p, item, &site, ctx).await {
            Ok(out) => json!({"id": id, "output": out}),
            Err(ItemError::Unauthorized(e)) => return Err(refused(ctx.db, &p.conn, &e).await),
            Err(ItemError::Db(e)) => return Err(RunError::Db(e)),
            Err(ItemError::Failed(m)) => {
                let mut tx = ctx.db.begin_tenant(p.account_id).await?;
                pubs::record_error(
                    &mut tx,
                    p.account_id,
                    p.site_id,
                    item.content.sector_id,
                    id,
                    &m,
                )
                .await?;
                tx.commit().await?;
                json!({"id": id, "error": m})
            }
        };
        Ok(Called {
            entry,
            usage: Usage::default(),
        })
    }

    fn parse(_: &Prepared, raw: &Value) -> Result<Self::Parsed, RunError> {
        super::per_item(raw)
    }

    async fn save(_tx: &mut Tx, p: Prepared, out: Self::Parsed) -> Result<Saved, RunError> {
        // every post was recorded as soon as WordPress answered (see the
        // module doc); SAVE only sums up
        let mut created = vec![];
        let mut outcomes = vec![];
        for (id, r) in out {
            match r {
                Ok(_) => {
                    created.push(id);
                    outcomes.push(ItemOutcome::succeeded(id));
                }
                Err(e) => outcomes.push(ItemOutcome::failed(id, e)),
            }
        }
        Ok(Saved {
            succeeded: created.len() as i64,
            related: "content",
            summary: format!(
                "{} of {} articles published to WordPress",
                created.len(),
                p.items.len()
            ),
            created,
            outcomes,
        })
    }
}

fn slug_of(item: &Item) -> String {
    let base = item
        .content
        .primary_keyword
        .as_deref()
        .filter(|k| !k.trim().is_empty())
        .unwrap_or(&item.title);
    igny8_core::validate::slugify(base)
}

async fn publish_one(
    p: &Prepared,
    item: &Item,
    site: &Site,
    ctx: &CallCtx<'_>,
) -> Result<Value, ItemError> {
    let c = &item.content;
    let slug = slug_of(item);

    // images: reuse what is in the media library, upload the rest
    let mut placed = vec![];
    let mut featured = None;
    let mut in_article = 0usize;
    for (n, (img, media)) in item.images.iter().enumerate() {
        let Some(source) = img.storage_key.clone().or_else(|| img.url.clone()) else {
            continue;
        };
        let reuse = media
            .as_ref()
            .filter(|m| m.uploaded_from == source && m.site_id == p.site_id);
        let (media_id, url) = match reuse {
            Some(m) => (m.media_id, m.source_url.clone()),
            None => {
                let bytes = match &img.storage_key {
                    Some(key) => ctx
                        .media
                        .get(key)
                        .await
                        .map_err(|e| ItemError::Failed(format!("reading image {}: {e}", n + 1)))?
                        .ok_or_else(|| {
                            ItemError::Failed(format!("image {} is no longer stored", n + 1))
                        })?,
                    None => ctx
                        .providers
                        .outbound()
                        .get(&source)
                        .send()
                        .await
                        .map_err(|e| {
                            ItemError::Failed(format!("downloading image {}: {e}", n + 1))
                        })?
                        .image()
                        .await
                        .map_err(|e| {
                            ItemError::Failed(format!("downloading image {}: {e}", n + 1))
                        })?,
                };
                let ct = crate::media::content_type(&bytes);
                let ext = ct
                    .rsplit('/')
                    .next()
                    .unwrap_or("png")
                    .replace("jpeg", "jpg");
                let alt: String = img.prompt.chars().take(250).collect();
                let (media_id, url) = site
                    .upload(bytes, &format!("{slug}-{}.{ext}", n + 1), ct, &alt)
                    .await
                    .map_err(|e| match e {
                        e @ WpError::Unauthorized { .. } => ItemError::Unauthorized(e),
                        e => ItemError::Failed(format!("uploading image {}: {e}", n + 1)),
                    })?;
                let mut tx = ctx.db.begin_tenant(p.account_id).await?;
                pubs::put_media(
                    &mut tx,
                    &Media {
                        image_id: img.id,
                        account_id: p.account_id,
                        site_id: p.site_id,
                        media_id,
                        source_url: url.clone(),
                        uploaded_from: source.clone(),
                        created_at: chrono::Utc::now(),
                        updated_at: chrono::Utc::now(),
                    },
                )
                .await?;
                tx.commit().await?;
                (media_id, url)
            }
        };
        let is_featured = img.image_type == "featured";
        if is_featured && featured.is_none() {
            featured = Some(media_id);
        }
        placed.push(PlacedImage {
            needle: img.storage_key.clone().unwrap_or(source),
            src: url,
            alt: img.prompt.chars().take(250).collect(),
            after_h2: if is_featured {
                None
            } else {
                in_article += 1;
                Some(in_article - 1)
            },
        });
    }
    let html = place_images(&c.html, &placed);

    // category and tags, created on first use
    let category = site.term("categories", &item.sector).await.map_err(wp)?;
    let mut tags = vec![];
    let mut names: Vec<&str> = vec![];
    for name in [item.cluster.as_deref(), c.primary_keyword.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if !names.iter().any(|x| x.eq_ignore_ascii_case(name)) {
            names.push(name);
            tags.push(site.term("tags", name).await.map_err(wp)?);
        }
    }

    let mark = marker(c.id);
    let mut body = json!({
        "title": item.title,
        "content": format!("<!-- {mark} -->\n{html}"),
        "excerpt": c.meta_description.clone().unwrap_or_default(),
        "slug": slug,
        "status": p.status.as_wp(),
        "categories": [category],
        "tags": tags,
        "featured_media": featured.unwrap_or(0),
        "meta": {
            "_igny8_content_id": c.id.to_string(),
            "_igny8_primary_keyword": c.primary_keyword.clone().unwrap_or_default(),
            "_igny8_secondary_keywords": c.secondary_keywords.join(", "),
            "_igny8_meta_description": c.meta_description.clone().unwrap_or_default(),
        },
    });
    if !p.conn.has_bridge {
        // without the plugin WordPress refuses unregistered meta
        body.as_object_mut().map(|b| b.remove("meta"));
    }
    if let (PublishStatus::Future, Some(at)) = (p.status, &p.publish_at) {
        body["date_gmt"] = json!(at);
    }

    let post = write_post(site, item, &mark, &body).await?;
    let hash = hex(&Sha256::digest(c.html.as_bytes()));
    let mut tx = ctx.db.begin_tenant(p.account_id).await?;
    pubs::record_post(
        &mut tx,
        &pubs::Published {
            content_id: c.id,
            account_id: p.account_id,
            site_id: p.site_id,
            sector_id: c.sector_id,
            wp_post_id: post.id,
            wp_url: &post.link,
            wp_status: &post.status,
            sent_hash: &hash,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(json!({"postId": post.id, "url": post.link, "status": post.status}))
}

/// Updates the post igny8 made before (by its recorded id, else by its
/// marker) or creates it. A create whose answer is lost is looked up by
/// the marker before it is tried again.
async fn write_post(site: &Site, item: &Item, mark: &str, body: &Value) -> Result<Post, ItemError> {
    if let Some(id) = item.record.as_ref().and_then(|r| r.wp_post_id)
        && let Some(post) = site.update_post(id, body).await.map_err(wp)?
    {
        return Ok(post);
    }
    let attempts = 3;
    let mut last = String::new();
    for _ in 0..attempts {
        if let Some(found) = site.find_post(mark).await.map_err(wp)? {
            return match site.update_post(found.id, body).await.map_err(wp)? {
                Some(post) => Ok(post),
                None => Err(ItemError::Failed(
                    "the post vanished while it was updated".into(),
                )),
            };
        }
        match site.create_post(body).await {
            Ok(post) => {
                // failpoint for the fault tests: die after WordPress made the
                // post and before igny8 recorded it
                if std::env::var("IGNY8_FAULT_CRASH_AFTER_WP_CREATE").is_ok_and(|v| v == "1") {
                    tracing::error!(
                        post = post.id,
                        "failpoint: crashing after the post was created"
                    );
                    std::process::abort();
                }
                return Ok(post);
            }
            Err(WpError::Transient(m)) => last = m,
            Err(e) => return Err(wp(e)),
        }
    }
    Err(ItemError::Failed(format!("creating the post: {last}")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
