use async_graphql::{Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_db::publishing::{Connection, Record};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum WordPressConnectionStatus {
    /// The last check or publish was accepted.
    Connected,
    /// WordPress refused the application password (401/403): connect again.
    Unauthorized,
    /// The last check could not reach the site or got no REST API answer.
    Error,
}

/// A site's WordPress connection. The application password is stored
/// encrypted and never returned.
pub struct WordPressConnection {
    pub row: Connection,
    /// Only in `connectWordPress`'s answer: the secret the bridge plugin
    /// signs its webhooks with. Shown once.
    pub secret: Option<String>,
}

#[Object]
impl WordPressConnection {
    async fn site_id(&self) -> ID {
        ID(self.row.site_id.to_string())
    }
    /// The site's address (the REST API is under it).
    async fn url(&self) -> &str {
        &self.row.url
    }
    async fn username(&self) -> &str {
        &self.row.username
    }
    /// `abcd…wxyz`; never the password.
    async fn password_hint(&self) -> &str {
        &self.row.password_hint
    }
    async fn status(&self) -> WordPressConnectionStatus {
        match self.row.status.as_str() {
            "connected" => WordPressConnectionStatus::Connected,
            "unauthorized" => WordPressConnectionStatus::Unauthorized,
            _ => WordPressConnectionStatus::Error,
        }
    }
    async fn last_checked_at(&self) -> Option<DateTime<Utc>> {
        self.row.last_checked_at
    }
    async fn last_error(&self) -> Option<&str> {
        self.row.last_error.as_deref()
    }
    /// Whether the igny8 Bridge plugin answered at the last check. Without
    /// it, posts are published without igny8's meta and status changes in
    /// WordPress reach igny8 only through `syncWordPress`.
    async fn has_bridge_plugin(&self) -> bool {
        self.row.has_bridge
    }
    /// Where the bridge plugin sends status changes (a path on this server).
    async fn webhook_path(&self) -> String {
        format!("/hooks/wordpress/{}", self.row.site_id)
    }
    /// The webhook secret, only in `connectWordPress`'s answer (null after).
    async fn webhook_secret(&self) -> Option<&str> {
        self.secret.as_deref()
    }
}

#[derive(SimpleObject)]
pub struct WordPressConnectionTest {
    pub ok: bool,
    /// What WordPress answered.
    pub message: String,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "igny8_core::jobs::PublishStatus")]
pub enum PublishStatus {
    /// A draft in WordPress.
    Draft,
    /// Published now.
    Publish,
    /// Scheduled at `publishAt`.
    Future,
}

/// Where a content was published (PUB-3).
pub struct PublishingRecord(pub Record);

#[Object]
impl PublishingRecord {
    /// The WordPress post; null when it does not exist (never published, or
    /// deleted in WordPress).
    async fn wp_post_id(&self) -> Option<i64> {
        self.0.wp_post_id
    }
    /// The post's permalink.
    async fn wp_url(&self) -> Option<&str> {
        self.0.wp_url.as_deref()
    }
    /// WordPress's status of the post: `publish`, `future`, `draft`,
    /// `pending`, `private`, `trash`, or `deleted`.
    async fn wp_status(&self) -> Option<&str> {
        self.0.wp_status.as_deref()
    }
    /// When igny8 last wrote the post.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// The post was changed in WordPress (status, trash) since igny8 wrote it.
    async fn changed_in_word_press(&self) -> bool {
        self.0.changed_remotely
    }
    /// Why the last publish of this content failed, if it did.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When WordPress's status was last read back (sync or webhook).
    async fn synced_at(&self) -> Option<DateTime<Utc>> {
        self.0.synced_at
    }
}
