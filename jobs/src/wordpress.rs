//! A WordPress site's REST API (PUB-1, PUB-2), spoken through the SSRF-safe
//! outbound client: application-password Basic auth, `/wp-json/…` or, on a
//! site without pretty permalinks, `?rest_route=…`.
//!
//! Retries: 429 (honouring `Retry-After`), 5xx and timeouts retry with capped
//! exponential backoff and jitter, like the AI providers; 401/403 are
//! [`WpError::Unauthorized`]; other answers are [`WpError::Failed`] with
//! WordPress's own message. Creating a post is not retried blindly: the
//! caller looks the post up by its marker first (see `kinds::publish`).

use crate::openai::{RetryPolicy, retry_hint};
use crate::outbound::{Outbound, OutboundError};
use serde_json::{Value, json};
use std::time::Duration;

/// How the site's REST API is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestStyle {
    /// `{url}/wp-json/{route}`
    Pretty,
    /// `{url}/?rest_route=/{route}` (plain permalinks)
    Query,
}

impl RestStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            RestStyle::Pretty => "pretty",
            RestStyle::Query => "query",
        }
    }
    pub fn parse(s: &str) -> RestStyle {
        if s == "query" {
            RestStyle::Query
        } else {
            RestStyle::Pretty
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WpError {
    /// 401/403: the credentials no longer work (or lack a capability).
    #[error("WordPress refused the credentials ({status}): {message}")]
    Unauthorized { status: u16, message: String },
    /// Retries ran out on 429/5xx/timeouts/unreachable.
    #[error("{0}")]
    Transient(String),
    /// WordPress answered and said no (or answered nonsense).
    #[error("WordPress answered {status}: {message}")]
    Failed { status: u16, message: String },
}

impl WpError {
    fn from_outbound(e: &OutboundError) -> WpError {
        match e {
            OutboundError::Refused | OutboundError::Unreachable => {
                WpError::Transient("could not connect to the WordPress site".into())
            }
            OutboundError::Timeout => WpError::Transient("the WordPress site timed out".into()),
            OutboundError::Redirect => WpError::Failed {
                status: 0,
                message: "the site answered with a redirect (a login page, or another address: \
                          use the site's exact https address)"
                    .into(),
            },
            e if e.is_transient() => WpError::Transient(format!("the WordPress site: {e}")),
            e => WpError::Failed {
                status: 0,
                message: e.to_string(),
            },
        }
    }
}

/// A post as WordPress answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub id: i64,
    pub link: String,
    pub status: String,
    /// `content.raw` (edit context), when asked for.
    pub raw: Option<String>,
}

impl Post {
    fn from_json(v: &Value) -> Option<Post> {
        Some(Post {
            id: v["id"].as_i64()?,
            link: v["link"].as_str().unwrap_or_default().to_owned(),
            status: v["status"].as_str().unwrap_or_default().to_owned(),
            raw: v["content"]["raw"].as_str().map(str::to_owned),
        })
    }
}

/// One connected site.
pub struct Site {
    base: String,
    style: RestStyle,
    user: String,
    password: String,
    out: Outbound,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site")
            .field("base", &self.base)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// The body of a request.
pub enum Body {
    None,
    Json(Value),
    /// An upload: bytes, file name, content type.
    File(Vec<u8>, String, &'static str),
}

/// Normalises a site address: http(s), no query or fragment, no trailing
/// slash. `Err` says what is wrong.
pub fn normalize_url(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let mut u = url::Url::parse(raw).map_err(|_| "not a valid URL".to_owned())?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err("must start with https:// (or http://)".into());
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("has no host".into());
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err("must not contain a user name or password".into());
    }
    u.set_query(None);
    u.set_fragment(None);
    let mut s = u.to_string();
    // the REST API is under the site's address, not under wp-json or wp-admin
    for tail in ["/wp-json/", "/wp-json", "/wp-admin/", "/wp-admin"] {
        if let Some(stripped) = s.strip_suffix(tail) {
            s = stripped.to_owned();
        }
    }
    Ok(s.trim_end_matches('/').to_owned())
}

fn encode(q: &[(&str, String)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in q {
        ser.append_pair(k, v);
    }
    ser.finish()
}

/// WordPress's error message in an answer body.
fn message_of(status: u16, text: &str) -> (String, Value) {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let m = v["message"]
        .as_str()
        .map(crate::wordpress::plain)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| {
            if v.is_null() {
                format!("HTTP {status} (not a WordPress REST API answer)")
            } else {
                format!("HTTP {status}")
            }
        });
    (m, v)
}

/// WordPress messages may carry HTML; keep the words, short.
pub fn plain(m: &str) -> String {
    let mut out = String::with_capacity(m.len());
    let mut in_tag = false;
    for c in m.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    out.chars().take(300).collect()
}

/// One answer: status, headers' retry hint, parsed body.
struct Answer {
    status: u16,
    hint: Option<Duration>,
    text: String,
}

impl Site {
    pub fn new(
        out: &Outbound,
        base: &str,
        style: RestStyle,
        user: &str,
        password: &str,
        retry: RetryPolicy,
    ) -> Site {
        Site {
            base: base.trim_end_matches('/').to_owned(),
            style,
            user: user.to_owned(),
            password: password.to_owned(),
            out: out.clone(),
            retry,
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of `route` (`wp/v2/posts`) with a query.
    pub fn url(&self, route: &str, query: &[(&str, String)]) -> String {
        let route = route.trim_start_matches('/');
        let q = encode(query);
        match self.style {
            RestStyle::Pretty if q.is_empty() => format!("{}/wp-json/{route}", self.base),
            RestStyle::Pretty => format!("{}/wp-json/{route}?{q}", self.base),
            RestStyle::Query if q.is_empty() => format!("{}/?rest_route=/{route}", self.base),
            RestStyle::Query => format!("{}/?rest_route=/{route}&{q}", self.base),
        }
    }

    async fn once(
        &self,
        method: &reqwest::Method,
        route: &str,
        query: &[(&str, String)],
        body: &Body,
    ) -> Result<Answer, OutboundError> {
        let mut req = self
            .out
            .request(method.clone(), &self.url(route, query))
            .basic_auth(&self.user, &self.password)
            .header("Accept", "application/json")
            .timeout(self.retry.timeout);
        match body {
            Body::None => {}
            Body::Json(v) => req = req.json(v),
            Body::File(bytes, name, ct) => {
                let name: String = name
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    .collect();
                req = req
                    .header(
                        "Content-Disposition",
                        &format!("attachment; filename=\"{name}\""),
                    )
                    .header("Content-Type", ct)
                    .body(bytes.clone());
            }
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let hint = retry_hint(resp.headers());
        let text = resp.text().await?;
        Ok(Answer { status, hint, text })
    }

    fn delay(&self, attempt: u32, hinted: Option<Duration>) -> Duration {
        if let Some(h) = hinted {
            return h.min(self.retry.cap);
        }
        let exp = self.retry.base.saturating_mul(1 << attempt.min(10));
        exp.min(self.retry.cap)
            .mul_f64(1.0 + rand::random::<f64>() * 0.5)
    }

    /// Sends a request; `retry` allows another attempt after a transient
    /// failure (never for a create). A 2xx answer's JSON body, else the error.
    pub async fn call(
        &self,
        method: reqwest::Method,
        route: &str,
        query: &[(&str, String)],
        body: Body,
        retry: bool,
    ) -> Result<Value, WpError> {
        let attempts = if retry {
            self.retry.max_attempts.max(1)
        } else {
            1
        };
        let mut last = WpError::Transient("no attempt".into());
        for attempt in 0..attempts {
            let (err, hint) = match self.once(&method, route, query, &body).await {
                Err(e) => (WpError::from_outbound(&e), None),
                Ok(a) if (200..300).contains(&a.status) => {
                    return serde_json::from_str(&a.text).map_err(|_| WpError::Failed {
                        status: a.status,
                        message: "the answer is not JSON: is this the WordPress REST API?".into(),
                    });
                }
                Ok(a) => {
                    let (message, v) = message_of(a.status, &a.text);
                    // a term that exists: WordPress names its id
                    if a.status == 400
                        && v["code"] == "term_exists"
                        && let Some(id) = v["data"]["term_id"].as_i64()
                    {
                        return Ok(json!({ "id": id, "existing": true }));
                    }
                    // WordPress's own refusal of an upload (type, size) comes
                    // as a 500 with a code: an answer, not a failure to retry
                    let refused_upload = v["code"]
                        .as_str()
                        .is_some_and(|c| c.starts_with("rest_upload_"));
                    match a.status {
                        _ if refused_upload => {
                            return Err(WpError::Failed {
                                status: a.status,
                                message,
                            });
                        }
                        401 | 403 => {
                            return Err(WpError::Unauthorized {
                                status: a.status,
                                message,
                            });
                        }
                        408 | 429 | 500..=599 => (
                            WpError::Transient(format!(
                                "WordPress answered {}: {message}",
                                a.status
                            )),
                            a.hint,
                        ),
                        status => return Err(WpError::Failed { status, message }),
                    }
                }
            };
            if !matches!(err, WpError::Transient(_)) {
                return Err(err);
            }
            last = err;
            if attempt + 1 < attempts {
                tokio::time::sleep(self.delay(attempt, hint)).await;
            }
        }
        Err(match last {
            WpError::Transient(m) if attempts > 1 => {
                WpError::Transient(format!("gave up after {attempts} attempts: {m}"))
            }
            e => e,
        })
    }

    /// A term's id in `taxonomy` (`categories`, `tags`): created on first
    /// use; WordPress answers `term_exists` with the id when it exists.
    pub async fn term(&self, taxonomy: &str, name: &str) -> Result<i64, WpError> {
        let route = format!("wp/v2/{taxonomy}");
        match self
            .call(
                reqwest::Method::POST,
                &route,
                &[],
                Body::Json(json!({ "name": name })),
                true,
            )
            .await
        {
            Ok(v) => v["id"].as_i64().ok_or_else(|| WpError::Failed {
                status: 201,
                message: format!("the new {taxonomy} term has no id"),
            }),
            // a refusal without the id (older versions, odd names): look it up
            Err(WpError::Failed { status: 400, .. }) => self.find_term(taxonomy, name).await,
            Err(e) => Err(e),
        }
    }

    async fn find_term(&self, taxonomy: &str, name: &str) -> Result<i64, WpError> {
        let route = format!("wp/v2/{taxonomy}");
        let v = self
            .call(
                reqwest::Method::GET,
                &route,
                &[
                    ("search", name.to_owned()),
                    ("per_page", "100".into()),
                    ("hide_empty", "false".into()),
                ],
                Body::None,
                true,
            )
            .await?;
        let want = name.trim().to_lowercase();
        v.as_array()
            .into_iter()
            .flatten()
            .find(|t| {
                t["name"]
                    .as_str()
                    .is_some_and(|n| html_unescape(n).trim().to_lowercase() == want)
            })
            .and_then(|t| t["id"].as_i64())
            .ok_or_else(|| WpError::Failed {
                status: 400,
                message: format!("the {taxonomy} term \"{name}\" could not be created or found"),
            })
    }

    /// Uploads an image to the media library with its alt text.
    pub async fn upload(
        &self,
        bytes: Vec<u8>,
        file_name: &str,
        content_type: &'static str,
        alt: &str,
    ) -> Result<(i64, String), WpError> {
        let v = self
            .call(
                reqwest::Method::POST,
                "wp/v2/media",
                &[("alt_text", alt.to_owned())],
                Body::File(bytes, file_name.to_owned(), content_type),
                true,
            )
            .await?;
        let id = v["id"].as_i64().ok_or_else(|| WpError::Failed {
            status: 201,
            message: "the uploaded media has no id".into(),
        })?;
        Ok((id, v["source_url"].as_str().unwrap_or_default().to_owned()))
    }

    /// The post whose content carries `marker` (any status but trash).
    pub async fn find_post(&self, marker: &str) -> Result<Option<Post>, WpError> {
        let v = self
            .call(
                reqwest::Method::GET,
                "wp/v2/posts",
                &[
                    ("search", marker.to_owned()),
                    ("status", "any".into()),
                    ("context", "edit".into()),
                    ("per_page", "10".into()),
                    ("_fields", "id,link,status,content".into()),
                ],
                Body::None,
                true,
            )
            .await?;
        Ok(v.as_array()
            .into_iter()
            .flatten()
            .filter_map(Post::from_json)
            .find(|p| p.raw.as_deref().is_some_and(|r| r.contains(marker))))
    }

    /// Creates a post (one attempt: see the module doc).
    pub async fn create_post(&self, body: &Value) -> Result<Post, WpError> {
        let v = self
            .call(
                reqwest::Method::POST,
                "wp/v2/posts",
                &[],
                Body::Json(body.clone()),
                false,
            )
            .await?;
        Post::from_json(&v).ok_or_else(|| WpError::Failed {
            status: 201,
            message: "the created post has no id".into(),
        })
    }

    /// Updates a post; `None` when it no longer exists.
    pub async fn update_post(&self, id: i64, body: &Value) -> Result<Option<Post>, WpError> {
        match self
            .call(
                reqwest::Method::POST,
                &format!("wp/v2/posts/{id}"),
                &[],
                Body::Json(body.clone()),
                true,
            )
            .await
        {
            Ok(v) => Ok(Post::from_json(&v)),
            Err(WpError::Failed {
                status: 404 | 410, ..
            }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Posts by id in any status, trash included (what a sync reads).
    pub async fn posts(&self, ids: &[i64]) -> Result<Vec<Post>, WpError> {
        let mut out = vec![];
        for chunk in ids.chunks(100) {
            let include = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let v = self
                .call(
                    reqwest::Method::GET,
                    "wp/v2/posts",
                    &[
                        ("include", include),
                        (
                            "status",
                            "publish,future,draft,pending,private,trash".into(),
                        ),
                        ("context", "edit".into()),
                        ("per_page", "100".into()),
                        ("_fields", "id,link,status".into()),
                    ],
                    Body::None,
                    true,
                )
                .await?;
            out.extend(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Post::from_json),
            );
        }
        Ok(out)
    }

    /// Whether the igny8 Bridge plugin answers.
    pub async fn has_bridge(&self) -> bool {
        self.call(
            reqwest::Method::GET,
            "igny8/v1/status",
            &[],
            Body::None,
            false,
        )
        .await
        .is_ok_and(|v| v["version"].is_string())
    }
}

fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#039;", "'")
}

/// What verifying a connection found.
#[derive(Debug, Clone)]
pub struct Verified {
    pub style: RestStyle,
    pub has_bridge: bool,
    /// The user's display name.
    pub name: String,
}

/// Why a connection was not verified: the input field to blame and what
/// WordPress answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotVerified {
    pub field: &'static str,
    pub message: String,
    /// The credentials were refused (401/403).
    pub unauthorized: bool,
}

fn not_verified(field: &'static str, message: impl Into<String>) -> NotVerified {
    NotVerified {
        field,
        message: message.into(),
        unauthorized: false,
    }
}

/// Checks a site before it is stored (or again, `testWordPressConnection`):
/// `users/me?context=edit` with the application password, under
/// `/wp-json/` or else `?rest_route=`; the user must be able to
/// `publish_posts` and `upload_files`.
pub async fn verify(
    out: &Outbound,
    url: &str,
    user: &str,
    password: &str,
    retry: RetryPolicy,
) -> Result<(Site, Verified), NotVerified> {
    let mut first_failure: Option<NotVerified> = None;
    for style in [RestStyle::Pretty, RestStyle::Query] {
        let site = Site::new(out, url, style, user, password, retry.clone());
        let r = site
            .call(
                reqwest::Method::GET,
                "wp/v2/users/me",
                &[("context", "edit".into())],
                Body::None,
                false,
            )
            .await;
        let me = match r {
            Ok(v) if v["id"].is_i64() => v,
            Ok(_) => {
                first_failure.get_or_insert(not_verified(
                    "url",
                    "url: the site answered, but not like the WordPress REST API",
                ));
                continue;
            }
            Err(WpError::Unauthorized { status, message }) => {
                let field = if message.to_lowercase().contains("username")
                    || message.to_lowercase().contains("user name")
                {
                    "username"
                } else {
                    "applicationPassword"
                };
                return Err(NotVerified {
                    field,
                    message: format!(
                        "{field}: WordPress refused the login ({status}): {message}. \
                         Use an application password (Users → Profile → Application Passwords), \
                         not the account's password"
                    ),
                    unauthorized: true,
                });
            }
            Err(WpError::Transient(m)) => {
                return Err(not_verified("url", format!("url: {m}")));
            }
            Err(WpError::Failed { status, message }) => {
                first_failure.get_or_insert(not_verified(
                    "url",
                    if status == 0 {
                        format!("url: {message}")
                    } else if status == 404 {
                        format!(
                            "url: no WordPress REST API here (404: {message}); \
                             check the address and that the REST API is not disabled"
                        )
                    } else {
                        format!("url: WordPress answered {status}: {message}")
                    },
                ));
                continue;
            }
        };
        let caps = &me["capabilities"];
        let missing: Vec<&str> = ["publish_posts", "upload_files"]
            .into_iter()
            .filter(|c| caps[*c].as_bool() != Some(true))
            .collect();
        if !missing.is_empty() {
            return Err(not_verified(
                "username",
                format!(
                    "username: the WordPress user {user} cannot {} (an Author, Editor or \
                     Administrator can)",
                    missing.join(" or ")
                ),
            ));
        }
        let has_bridge = site.has_bridge().await;
        let name = me["name"].as_str().unwrap_or(user).to_owned();
        return Ok((
            site,
            Verified {
                style,
                has_bridge,
                name,
            },
        ));
    }
    Err(first_failure.unwrap_or_else(|| not_verified("url", "url: not a WordPress site")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            normalize_url(" https://Example.com/blog/ ").unwrap(),
            "https://example.com/blog"
        );
        assert_eq!(
            normalize_url("https://example.com/wp-json/?x=1#y").unwrap(),
            "https://example.com"
        );
        assert!(normalize_url("ftp://example.com").is_err());
        assert!(normalize_url("https://u:p@example.com").is_err());
        assert!(normalize_url("example.com").is_err());
    }

    #[test]
    fn routes_in_both_styles() {
        let out = Outbound::trusted().build().unwrap();
        let s = Site::new(
            &out,
            "https://x.test/",
            RestStyle::Pretty,
            "u",
            "p",
            RetryPolicy::default(),
        );
        assert_eq!(
            s.url("wp/v2/posts", &[("search", "a b".into())]),
            "https://x.test/wp-json/wp/v2/posts?search=a+b"
        );
        let s = Site::new(
            &out,
            "https://x.test",
            RestStyle::Query,
            "u",
            "p",
            RetryPolicy::default(),
        );
        assert_eq!(
            s.url("/wp/v2/users/me", &[("context", "edit".into())]),
            "https://x.test/?rest_route=/wp/v2/users/me&context=edit"
        );
    }

    #[test]
    fn messages_lose_their_html() {
        assert_eq!(
            plain("<strong>Error:</strong>  The  file is too big."),
            "Error: The file is too big."
        );
    }
}
