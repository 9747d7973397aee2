//! `sync_wordpress`: reads back the posts igny8 published on a site and
//! records what WordPress says now (PUB-2): status (published, drafted,
//! scheduled, trashed; a post that is gone is `deleted`) and permalink. A
//! change made in WordPress sets the record's `changed_remotely`; a trashed
//! or deleted post leaves its content no longer `published`. No credits.

use super::publish::{open_site, refused};
use super::{CallCtx, Called, Calls, Kind, Prep, Refusal, RunError, Saved};
use crate::provider::Usage;
use crate::wordpress::WpError;
use igny8_core::Actor;
use igny8_core::jobs::{ItemOutcome, JobKind, SyncWordpressInput};
use igny8_db::Tx;
use igny8_db::publishing::{self as pubs, Connection, Record};
use serde_json::{Value, json};
use uuid::Uuid;

pub struct SyncWordpress;

pub struct Prepared {
    account_id: Uuid,
    conn: Connection,
    records: Vec<Record>,
}

impl Kind for SyncWordpress {
    type Input = SyncWordpressInput;
    type Prepared = Prepared;
    type Parsed = Value;
    const KIND: JobKind = JobKind::SyncWordpress;
    const CALLS: Calls = Calls::One;

    async fn admit(
        tx: &mut Tx,
        actor: &Actor,
        input: &mut SyncWordpressInput,
    ) -> Result<Uuid, Refusal> {
        let site = match igny8_db::sites::get(tx, &actor.scope(), input.site_id).await {
            Ok(s) => s,
            Err(igny8_db::DbError::NotFound) => return Err(Refusal::NotFound("site")),
            Err(e) => return Err(e.into()),
        };
        if !actor.can_write_site(site.id) {
            return Err(Refusal::Forbidden(
                "you can read this site but not change it".into(),
            ));
        }
        if pubs::connection(tx, actor.account_id, site.id)
            .await?
            .is_none()
        {
            return Err(Refusal::BadInput(
                "siteId",
                "siteId: the site has no WordPress connection".into(),
            ));
        }
        Ok(site.id)
    }

    async fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &SyncWordpressInput,
    ) -> Result<Prepared, RunError> {
        let acc = prep.job.account_id;
        let conn = pubs::connection(tx, acc, input.site_id)
            .await?
            .ok_or_else(|| {
                RunError::Permanent("the site is no longer connected to WordPress".into())
            })?;
        let records = pubs::records_of_site(tx, acc, input.site_id).await?;
        Ok(Prepared {
            account_id: acc,
            conn,
            records,
        })
    }

    fn items(_: &Prepared) -> i32 {
        1
    }

    async fn call(p: &Prepared, _: usize, ctx: &CallCtx<'_>) -> Result<Called, RunError> {
        let ids: Vec<i64> = p.records.iter().filter_map(|r| r.wp_post_id).collect();
        let site = open_site(&p.conn, ctx.providers)?;
        let posts = match site.posts(&ids).await {
            Ok(posts) => posts,
            Err(e @ WpError::Unauthorized { .. }) => {
                return Err(refused(ctx.db, &p.conn, &e).await);
            }
            Err(WpError::Transient(m)) => return Err(RunError::Transient(m)),
            Err(e) => return Err(RunError::Permanent(e.to_string())),
        };
        Ok(Called {
            entry: json!({
                "posts": posts
                    .iter()
                    .map(|p| json!({"id": p.id, "status": p.status, "link": p.link}))
                    .collect::<Vec<_>>(),
            }),
            usage: Usage::default(),
        })
    }

    fn parse(_: &Prepared, raw: &Value) -> Result<Value, RunError> {
        if raw["posts"].is_array() {
            Ok(raw.clone())
        } else {
            Err(RunError::Permanent("malformed sync output".into()))
        }
    }

    async fn save(tx: &mut Tx, p: Prepared, raw: Value) -> Result<Saved, RunError> {
        let posts = raw["posts"].as_array().cloned().unwrap_or_default();
        let mut changed = vec![];
        for r in &p.records {
            let Some(post_id) = r.wp_post_id else {
                continue;
            };
            let found = posts.iter().find(|x| x["id"].as_i64() == Some(post_id));
            let (status, link) = match found {
                Some(x) => (
                    x["status"].as_str().unwrap_or("unknown").to_owned(),
                    x["link"].as_str().map(str::to_owned),
                ),
                None => ("deleted".to_owned(), None),
            };
            let before = r.wp_status.clone();
            pubs::record_remote_status(
                tx,
                p.account_id,
                r.content_id,
                post_id,
                &status,
                link.as_deref(),
            )
            .await?;
            if before.as_deref() != Some(status.as_str()) {
                changed.push(r.content_id);
            }
        }
        pubs::set_connection_status(tx, p.account_id, p.conn.site_id, "connected", None).await?;
        Ok(Saved {
            succeeded: p.records.len() as i64,
            related: "content",
            summary: format!(
                "{} posts checked, {} changed in WordPress",
                p.records.len(),
                changed.len()
            ),
            created: changed,
            outcomes: vec![ItemOutcome::succeeded(p.conn.site_id)],
        })
    }
}
