use super::types::{PublishStatus, WordPressConnection, WordPressConnectionTest};
use crate::error::{ApiError, not_found};
use crate::graphql::integrations::query::providers;
use crate::graphql::jobs::mutation::enqueue;
use crate::graphql::jobs::types::AiJob;
use crate::graphql::spine::{caller, ensure_site_admin, parse_id, parse_ids};
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use igny8_core::jobs::{self as j, JobInput};
use igny8_db::publishing::{self as pubs, Connection};
use igny8_jobs::kinds::publish::{password_field, secret_field};
use igny8_jobs::openai::RetryPolicy;
use igny8_jobs::settings::Providers;
use igny8_jobs::wordpress::{self as wp, NotVerified, Verified};
use std::time::Duration;

#[derive(Default)]
pub struct PublishingMutation;

#[derive(InputObject)]
pub struct ConnectWordPressInput {
    pub site_id: ID,
    /// The site's address, e.g. `https://blog.example.com`.
    pub url: String,
    /// The WordPress user (Author, Editor or Administrator).
    pub username: String,
    /// An application password of that user (Users → Profile →
    /// Application Passwords); stored encrypted, never returned.
    pub application_password: String,
}

#[derive(InputObject)]
pub struct SiteIdInput {
    pub site_id: ID,
}

#[derive(InputObject)]
pub struct PublishContentInput {
    /// At most 20 contents, all of one site (connected to WordPress).
    pub content_ids: Vec<ID>,
    pub status: PublishStatus,
    /// For FUTURE: when WordPress publishes the posts (in the future).
    pub publish_at: Option<DateTime<Utc>>,
}

/// Checking a connection: one attempt, a short timeout.
fn check_policy(p: &Providers) -> RetryPolicy {
    RetryPolicy {
        max_attempts: 1,
        timeout: p.server.retry.timeout.min(Duration::from_secs(20)),
        ..p.server.retry.clone()
    }
}

fn refused(e: NotVerified) -> ApiError {
    ApiError::bad_input(e.field, e.message)
}

fn secret() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[Object]
impl PublishingMutation {
    /// Connects a site to WordPress (owner/admin). WordPress is asked first
    /// (`users/me` with the application password); nothing is stored unless
    /// it accepts and the user may publish posts and upload files. The
    /// answer carries the bridge plugin's webhook secret, once.
    async fn connect_word_press(
        &self,
        ctx: &Context<'_>,
        input: ConnectWordPressInput,
    ) -> Result<WordPressConnection> {
        let c = caller(ctx).await?;
        ensure_site_admin(c.actor, "connect WordPress")?;
        let site_id = parse_id("siteId", &input.site_id)?;
        let url = wp::normalize_url(&input.url)
            .map_err(|e| ApiError::bad_input("url", format!("url: {e}")))?;
        let username = input.username.trim().to_owned();
        if username.is_empty() || username.chars().count() > 60 {
            return Err(
                ApiError::bad_input("username", "username: give the WordPress user name").into(),
            );
        }
        let password = input.application_password.trim().to_owned();
        if password.is_empty() || password.chars().count() > 200 {
            return Err(ApiError::bad_input(
                "applicationPassword",
                "applicationPassword: give an application password of the user",
            )
            .into());
        }
        // the site must be the caller's before anything is sent anywhere
        let account_id = c
            .run(async |tx| {
                let s = igny8_db::sites::get(tx, &c.scope, site_id)
                    .await
                    .map_err(not_found("site"))?;
                Ok(s.account_id)
            })
            .await?;
        let p = providers(ctx);
        let (_, found): (wp::Site, Verified) =
            wp::verify(p.outbound(), &url, &username, &password, check_policy(p))
                .await
                .map_err(refused)?;
        let secret = secret();
        let now = Utc::now();
        let row = Connection {
            site_id,
            account_id,
            platform: "wordpress".into(),
            url,
            username,
            password_sealed: p
                .secrets
                .seal(account_id, &password_field(site_id), &password),
            password_hint: igny8_jobs::secrets::hint(&password),
            secret_sealed: p.secrets.seal(account_id, &secret_field(site_id), &secret),
            rest_style: found.style.as_str().into(),
            has_bridge: found.has_bridge,
            status: "connected".into(),
            last_checked_at: Some(now),
            last_error: None,
            created_at: now,
            updated_at: now,
        };
        let row = c
            .run(async |tx| {
                let existing = pubs::connection(tx, account_id, site_id).await?;
                if existing.as_ref().is_some_and(|e| e.url != row.url) {
                    // another WordPress: its media library is another one
                    pubs::forget_site(tx, account_id, site_id).await?;
                }
                Ok(pubs::put_connection(tx, &row).await?)
            })
            .await?;
        tracing::info!(site.id = %site_id, url = %row.url, bridge = row.has_bridge, "WordPress connected");
        if p.wordpress_sync_minutes > 0 {
            let sync = igny8_jobs::wp_sync::SyncSchedule {
                account_id,
                site_id,
                user_id: c.actor.user_id,
                every_minutes: p.wordpress_sync_minutes,
            };
            igny8_jobs::wp_sync::schedule(crate::graphql::context::db(ctx), &sync, Utc::now())
                .await
                .map_err(|e| crate::error::gql(ApiError::internal(e)))?;
        }
        Ok(WordPressConnection {
            row,
            secret: Some(secret),
        })
    }

    /// Forgets a site's WordPress connection (owner/admin). Posts stay in
    /// WordPress, and so do their records here.
    async fn disconnect_word_press(&self, ctx: &Context<'_>, input: SiteIdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        ensure_site_admin(c.actor, "disconnect WordPress")?;
        let site_id = parse_id("siteId", &input.site_id)?;
        let id = c
            .run(async |tx| {
                let s = igny8_db::sites::get(tx, &c.scope, site_id)
                    .await
                    .map_err(not_found("site"))?;
                if pubs::delete_connection(tx, s.account_id, site_id).await? == 0 {
                    return Err(ApiError::NotFound("WordPress connection"));
                }
                pubs::forget_site(tx, s.account_id, site_id).await?;
                Ok(input.site_id.clone())
            })
            .await?;
        igny8_jobs::wp_sync::cancel(crate::graphql::context::db(ctx), site_id)
            .await
            .map_err(|e| crate::error::gql(ApiError::internal(e)))?;
        Ok(id)
    }

    /// Checks a site's stored connection again and records the outcome
    /// (`status`, `lastCheckedAt`, `lastError`).
    async fn test_word_press_connection(
        &self,
        ctx: &Context<'_>,
        input: SiteIdInput,
    ) -> Result<WordPressConnectionTest> {
        let c = caller(ctx).await?;
        ensure_site_admin(c.actor, "test the WordPress connection")?;
        let site_id = parse_id("siteId", &input.site_id)?;
        let conn = c
            .run(async |tx| {
                let s = igny8_db::sites::get(tx, &c.scope, site_id)
                    .await
                    .map_err(not_found("site"))?;
                pubs::connection(tx, s.account_id, site_id)
                    .await?
                    .ok_or(ApiError::NotFound("WordPress connection"))
            })
            .await?;
        let p = providers(ctx);
        let password = p
            .secrets
            .open(
                conn.account_id,
                &password_field(site_id),
                &conn.password_sealed,
            )
            .map_err(|_| {
                ApiError::bad_input(
                    "siteId",
                    "siteId: the stored password cannot be read; connect again",
                )
            })?;
        let outcome = wp::verify(
            p.outbound(),
            &conn.url,
            &conn.username,
            &password,
            check_policy(p),
        )
        .await;
        let (ok, status, message, found) = match outcome {
            Ok((_, v)) => (
                true,
                "connected",
                format!(
                    "WordPress accepted {} ({}); the bridge plugin is {}",
                    conn.username,
                    v.name,
                    if v.has_bridge {
                        "active"
                    } else {
                        "not installed"
                    }
                ),
                Some(v),
            ),
            Err(e) => (
                false,
                if e.unauthorized {
                    "unauthorized"
                } else {
                    "error"
                },
                e.message,
                None,
            ),
        };
        c.run(async |tx| {
            let mut row = conn.clone();
            row.status = status.into();
            row.last_checked_at = Some(Utc::now());
            row.last_error = (!ok).then(|| message.clone());
            if let Some(v) = &found {
                row.has_bridge = v.has_bridge;
                row.rest_style = v.style.as_str().into();
            }
            pubs::put_connection(tx, &row).await?;
            Ok(())
        })
        .await?;
        Ok(WordPressConnectionTest { ok, message })
    }

    /// Publishes contents to their site's WordPress (PUB-1): a job, with
    /// per-article progress; no credits. Editors on their granted sites.
    async fn publish_content(
        &self,
        ctx: &Context<'_>,
        input: PublishContentInput,
    ) -> Result<AiJob> {
        let publish_at = match input.publish_at {
            Some(at) if at <= Utc::now() => {
                return Err(
                    ApiError::bad_input("publishAt", "publishAt: must be in the future").into(),
                );
            }
            at => at.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        };
        let input = j::PublishInput {
            content_ids: parse_ids("contentIds", &input.content_ids)?,
            status: input.status.into(),
            publish_at,
        };
        enqueue(ctx, JobInput::Publish(input)).await
    }

    /// Reads back the posts igny8 published on a site and records their
    /// WordPress status and permalink (a job; no credits).
    async fn sync_word_press(&self, ctx: &Context<'_>, input: SiteIdInput) -> Result<AiJob> {
        let input = j::SyncWordpressInput {
            site_id: parse_id("siteId", &input.site_id)?,
        };
        enqueue(ctx, JobInput::SyncWordpress(input)).await
    }
}
