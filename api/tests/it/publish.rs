//! Publishing to a real WordPress (PUB-1…3): Debian's `wordpress` under
//! `php -S` with MariaDB, started by `scripts/test` (`scripts/lib/wordpress.sh`)
//! and named by `IGNY8_TEST_WP_*`. Results are checked through WordPress's
//! own REST API. A local fake WordPress (`fake_wp` below) serves only the
//! faults a real one will not produce on demand (429, 5xx, lost answers).

use crate::harness::{TestApp, Workspace, allow_loopback, code, field};
use crate::jobs::wait_for_status;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::time::Duration;

/// The WordPress `scripts/test` started. Missing: the test fails, loudly.
pub struct Wp {
    pub url: String,
    pub user: String,
    pub password: String,
    pub sub_user: String,
    pub sub_password: String,
    http: reqwest::Client,
}

pub fn wp() -> Wp {
    let var = |k: &str| {
        std::env::var(k).unwrap_or_else(|_| {
            panic!(
                "{k} is not set: these tests need a real WordPress. Run scripts/test, or start one \
                 with `scripts/lib/wordpress.sh start` and export what it prints"
            )
        })
    };
    Wp {
        url: var("IGNY8_TEST_WP_URL"),
        user: var("IGNY8_TEST_WP_USER"),
        password: var("IGNY8_TEST_WP_APP_PASSWORD"),
        sub_user: var("IGNY8_TEST_WP_SUB_USER"),
        sub_password: var("IGNY8_TEST_WP_SUB_PASSWORD"),
        http: reqwest::Client::new(),
    }
}

impl Wp {
    /// GET `/wp-json/{route}` as the administrator.
    pub async fn get(&self, route: &str) -> Value {
        let r = self
            .http
            .get(format!("{}/wp-json/{route}", self.url))
            .basic_auth(&self.user, Some(&self.password))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "GET {route}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn post(&self, route: &str, body: Value) -> Value {
        let r = self
            .http
            .post(format!("{}/wp-json/{route}", self.url))
            .basic_auth(&self.user, Some(&self.password))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "POST {route}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn delete(&self, route: &str) -> Value {
        let r = self
            .http
            .delete(format!("{}/wp-json/{route}", self.url))
            .basic_auth(&self.user, Some(&self.password))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "DELETE {route}: {}", r.status());
        r.json().await.unwrap()
    }

    /// Posts (any status but trash) whose content carries igny8's marker
    /// of `content`.
    pub async fn posts_of(&self, content: &str) -> Vec<Value> {
        let marker = format!("igny8:content:{content}");
        let v = self
            .get(&format!(
                "wp/v2/posts?search={marker}&status=any&context=edit&per_page=100"
            ))
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .filter(|p| {
                p["content"]["raw"]
                    .as_str()
                    .is_some_and(|r| r.contains(&marker))
            })
            .cloned()
            .collect()
    }
}

const CONNECT: &str = "mutation($s: ID!, $u: String!, $n: String!, $p: String!) { connectWordPress(input: {siteId: $s, url: $u, username: $n, applicationPassword: $p}) { siteId url username passwordHint status hasBridgePlugin webhookPath webhookSecret lastCheckedAt } }";
const PUBLISH: &str = "mutation($c: [ID!]!, $s: PublishStatus!, $at: DateTime) { publishContent(input: {contentIds: $c, status: $s, publishAt: $at}) { id } }";
const RECORD: &str = "query($id: ID!) { content(id: $id) { status wpPostId publishing { wpPostId wpUrl wpStatus publishedAt changedInWordPress lastError } images { edges { node { id imageType prompt wpMediaId } } } } }";

pub async fn connect(app: &TestApp, token: &str, site: &str, wp: &Wp) -> Value {
    app.data(
        token,
        CONNECT,
        json!({"s": site, "u": wp.url, "n": wp.user, "p": wp.password}),
        "connectWordPress",
    )
    .await
}

pub fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_owned()
}

/// A task (in `cluster`) with a hand-written article: returns the content id.
pub async fn article(app: &TestApp, w: &Workspace, cluster: &str, n: usize, tag: &str) -> String {
    let t = &w.s.token;
    let task = app
        .data(
            t,
            "mutation($s: ID!, $c: ID!, $t: String!) { createTask(input: {sectorId: $s, clusterId: $c, title: $t}) { id } }",
            json!({"s": w.sector, "c": cluster, "t": format!("Task {n} {tag}")}),
            "createTask",
        )
        .await;
    let html = format!(
        "<p>Intro {n}.</p><h2>First part</h2><p>Body one of article {n}.</p><h2>Second part</h2><p>Body two.</p>"
    );
    app.data(
        t,
        "mutation($t: ID!, $h: String!, $m: String!, $d: String!, $k: String!) { createContent(input: {taskId: $t, html: $h, metaTitle: $m, metaDescription: $d, primaryKeyword: $k, secondaryKeywords: [\"second\", \"third\"]}) { id } }",
        json!({"t": task["id"], "h": html, "m": format!("Article {n} {tag}"), "d": format!("What article {n} is about."), "k": format!("keyword {n} {tag}")}),
        "createContent",
    )
    .await["id"]
    .as_str()
    .unwrap()
    .to_owned()
}

/// `n` articles of one cluster, each with a featured and an in-article
/// image made by the (offline) image jobs.
async fn articles_with_images(app: &TestApp, w: &Workspace, n: usize, tag: &str) -> Vec<String> {
    let t = &w.s.token;
    let cluster = app
        .data(
            t,
            "mutation($s: ID!, $n: String!) { createCluster(input: {sectorId: $s, name: $n}) { id } }",
            json!({"s": w.sector, "n": format!("Cluster {tag}")}),
            "createCluster",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ids = vec![];
    for i in 0..n {
        ids.push(article(app, w, &cluster, i + 1, tag).await);
    }
    let j = app
        .data(
            t,
            "mutation($c: [ID!]!) { generateImagePrompts(input: {contentIds: $c, maxInArticle: 1}) { id } }",
            json!({"c": ids}),
            "generateImagePrompts",
        )
        .await;
    wait_for_status(app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    let images = app
        .data(
            t,
            "{ images(first: 100) { edges { node { id status } } } }",
            json!({}),
            "images",
        )
        .await;
    let image_ids: Vec<Value> = images["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["status"] == "PENDING")
        .map(|e| e["node"]["id"].clone())
        .collect();
    assert_eq!(image_ids.len(), 2 * n);
    for chunk in image_ids.chunks(6) {
        let j = app
            .data(
                t,
                "mutation($i: [ID!]!) { generateImages(input: {imageIds: $i}) { id } }",
                json!({"i": chunk}),
                "generateImages",
            )
            .await;
        wait_for_status(app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    }
    ids
}

async fn publish(
    app: &TestApp,
    token: &str,
    ids: &[String],
    status: &str,
    at: Option<&str>,
) -> Value {
    publish_ending(app, token, ids, status, at, "SUCCEEDED").await
}

/// Publishes and waits for the job to end in `end` (`PARTIAL` when some
/// articles fail).
async fn publish_ending(
    app: &TestApp,
    token: &str,
    ids: &[String],
    status: &str,
    at: Option<&str>,
    end: &str,
) -> Value {
    let j = app
        .data(
            token,
            PUBLISH,
            json!({"c": ids, "s": status, "at": at}),
            "publishContent",
        )
        .await;
    wait_for_status(app, token, j["id"].as_str().unwrap(), end).await
}

async fn record(app: &TestApp, token: &str, id: &str) -> Value {
    app.data(token, RECORD, json!({"id": id}), "content").await
}

#[tokio::test]
async fn connecting_checks_with_wordpress_before_storing_anything() {
    let wp = wp();
    let app = TestApp::spawn_with(allow_loopback).await;
    let w = app.workspace("connect@publish.io").await;
    let t = &w.s.token;
    let site_wp =
        "query($s: ID!) { site(id: $s) { wordpress { url status passwordHint webhookSecret } } }";
    let try_connect = async |u: &str, n: &str, p: &str| {
        app.gql(
            Some(t),
            CONNECT,
            json!({"s": w.site, "u": u, "n": n, "p": p}),
        )
        .await
    };

    // a wrong application password: WordPress's answer, on the field
    let r = try_connect(&wp.url, &wp.user, "abcd efgh ijkl mnop qrst uvwx").await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(field(&r), "applicationPassword", "{r}");
    assert!(
        r["errors"][0]["message"].as_str().unwrap().contains("401"),
        "{r}"
    );
    // a user who cannot publish (a subscriber)
    let r = try_connect(&wp.url, &wp.sub_user, &wp.sub_password).await;
    assert_eq!(field(&r), "username", "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("publish_posts"),
        "{r}"
    );
    // not WordPress: igny8's own server answers /wp-json/… with its web 404
    let r = try_connect(&app.url(""), &wp.user, &wp.password).await;
    assert_eq!((code(&r), field(&r)), ("BAD_USER_INPUT", "url"), "{r}");
    // nobody listening
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let r = try_connect(&dead, &wp.user, &wp.password).await;
    assert_eq!(field(&r), "url", "{r}");
    // not a URL
    let r = try_connect("ftp://example.com", &wp.user, &wp.password).await;
    assert_eq!(field(&r), "url", "{r}");
    // nothing stored by any of these
    let s = app.data(t, site_wp, json!({"s": w.site}), "site").await;
    assert!(s["wordpress"].is_null(), "{s}");

    // the real thing
    let c = connect(&app, t, &w.site, &wp).await;
    assert_eq!(c["status"], "CONNECTED");
    assert_eq!(c["hasBridgePlugin"], true, "the bridge plugin is active");
    assert_eq!(c["webhookPath"], format!("/hooks/wordpress/{}", w.site));
    let secret = c["webhookSecret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    let hint = c["passwordHint"].as_str().unwrap();
    assert!(!hint.contains(&wp.password[4..wp.password.len() - 4]));
    // the password is stored sealed, never in clear
    assert_eq!(
        app.count(&format!(
            "site_integrations WHERE position(convert_to('{}', 'UTF8') in password_sealed) > 0",
            wp.password
        ))
        .await,
        0
    );
    // shown once: reading the site later has no secret
    let s = app.data(t, site_wp, json!({"s": w.site}), "site").await;
    assert_eq!(s["wordpress"]["status"], "CONNECTED");
    assert!(s["wordpress"]["webhookSecret"].is_null());
    let test = app
        .data(
            t,
            "mutation($s: ID!) { testWordPressConnection(input: {siteId: $s}) { ok message } }",
            json!({"s": w.site}),
            "testWordPressConnection",
        )
        .await;
    assert_eq!(test["ok"], true, "{test}");
    assert!(
        test["message"]
            .as_str()
            .unwrap()
            .contains("bridge plugin is active")
    );

    // another tenant: the site is NOT_FOUND, and nothing reaches WordPress
    let other = app.workspace("other@publish.io").await;
    let r = app
        .gql(
            Some(&other.s.token),
            CONNECT,
            json!({"s": w.site, "u": wp.url, "n": wp.user, "p": wp.password}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    for m in [
        "mutation($s: ID!) { testWordPressConnection(input: {siteId: $s}) { ok } }",
        "mutation($s: ID!) { disconnectWordPress(input: {siteId: $s}) }",
        "mutation($s: ID!) { syncWordPress(input: {siteId: $s}) { id } }",
    ] {
        let r = app.gql(Some(&other.s.token), m, json!({"s": w.site})).await;
        assert_eq!(code(&r), "NOT_FOUND", "{m}: {r}");
    }

    // disconnecting forgets it
    app.data(
        t,
        "mutation($s: ID!) { disconnectWordPress(input: {siteId: $s}) }",
        json!({"s": w.site}),
        "disconnectWordPress",
    )
    .await;
    let s = app.data(t, site_wp, json!({"s": w.site}), "site").await;
    assert!(s["wordpress"].is_null());
}

#[tokio::test]
async fn publishing_three_articles_uploads_their_images_and_republishing_updates_the_same_posts() {
    let wp = wp();
    let app = TestApp::spawn_worker_with(allow_loopback).await;
    let w = app.workspace("three@publish.io").await;
    let t = &w.s.token;
    let tag = unique();
    let ids = articles_with_images(&app, &w, 3, &tag).await;

    // not connected yet: refused before anything is queued
    let r = app
        .gql(Some(t), PUBLISH, json!({"c": ids, "s": "PUBLISH"}))
        .await;
    assert_eq!(
        (code(&r), field(&r)),
        ("BAD_USER_INPUT", "contentIds"),
        "{r}"
    );
    // nor can a content be PUBLISHED by hand without a post
    let r = app
        .gql(
            Some(t),
            "mutation($id: ID!) { updateContent(input: {id: $id, status: PUBLISHED}) { id } }",
            json!({"id": ids[0]}),
        )
        .await;
    assert_eq!((code(&r), field(&r)), ("BAD_USER_INPUT", "status"), "{r}");

    connect(&app, t, &w.site, &wp).await;
    let credits_before = crate::jobs::account(&app, t).await["credits"].clone();
    let j = publish(&app, t, &ids, "PUBLISH", None).await;
    assert_eq!(j["creditsCharged"], 0, "publishing is free: {j}");
    assert_eq!(
        crate::jobs::account(&app, t).await["credits"],
        credits_before
    );
    assert_eq!(j["result"]["items"].as_array().unwrap().len(), 3, "{j}");

    let mut first = vec![];
    for (n, id) in ids.iter().enumerate() {
        let c = record(&app, t, id).await;
        assert_eq!(c["status"], "PUBLISHED", "{c}");
        let p = &c["publishing"];
        let post_id = p["wpPostId"].as_i64().unwrap();
        assert_eq!(c["wpPostId"].as_i64(), Some(post_id));
        assert_eq!(p["wpStatus"], "publish");
        assert!(p["publishedAt"].is_string());
        // what WordPress has
        let post = wp.get(&format!("wp/v2/posts/{post_id}?context=edit")).await;
        assert_eq!(post["status"], "publish");
        assert_eq!(post["link"], p["wpUrl"]);
        assert_eq!(post["title"]["raw"], format!("Article {} {tag}", n + 1));
        assert_eq!(
            post["excerpt"]["raw"],
            format!("What article {} is about.", n + 1)
        );
        assert_eq!(post["slug"], format!("keyword-{}-{tag}", n + 1));
        assert_eq!(
            post["meta"]["_igny8_content_id"],
            id.as_str(),
            "the bridge stores igny8's meta"
        );
        assert_eq!(
            post["meta"]["_igny8_primary_keyword"],
            format!("keyword {} {tag}", n + 1)
        );
        let raw = post["content"]["raw"].as_str().unwrap();
        assert!(
            !raw.contains("/media/"),
            "no igny8 image address is left: {raw}"
        );
        // the images: in the media library with their prompt as alt text
        let images: Vec<Value> = c["images"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"].clone())
            .collect();
        assert_eq!(images.len(), 2);
        for im in &images {
            let media_id = im["wpMediaId"].as_i64().expect("uploaded");
            let m = wp
                .get(&format!("wp/v2/media/{media_id}?context=edit"))
                .await;
            let alt: String = im["prompt"].as_str().unwrap().chars().take(250).collect();
            assert_eq!(m["alt_text"].as_str().unwrap().trim(), alt.trim());
            let src = m["source_url"].as_str().unwrap();
            if im["imageType"] == "FEATURED" {
                assert_eq!(post["featured_media"].as_i64(), Some(media_id));
            } else {
                assert!(raw.contains(src), "the in-article image is placed: {raw}");
            }
            // WordPress serves it
            let got = wp.http.get(src).send().await.unwrap();
            assert_eq!(got.status(), 200);
        }
        // category = the sector, tags = the cluster and the primary keyword
        let cats = post["categories"].as_array().unwrap();
        assert_eq!(cats.len(), 1);
        let cat = wp.get(&format!("wp/v2/categories/{}", cats[0])).await;
        assert_eq!(cat["name"], "Sector");
        let mut tags: Vec<String> = vec![];
        for tid in post["tags"].as_array().unwrap() {
            tags.push(
                wp.get(&format!("wp/v2/tags/{tid}")).await["name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        tags.sort();
        assert_eq!(
            tags,
            vec![format!("Cluster {tag}"), format!("keyword {} {tag}", n + 1)]
        );
        assert_eq!(wp.posts_of(id).await.len(), 1, "one post per content");
        first.push((post_id, images));
    }
    // the tag of the cluster was created once and reused
    let cluster_tags = wp.get(&format!("wp/v2/tags?search=Cluster%20{tag}")).await;
    assert_eq!(cluster_tags.as_array().unwrap().len(), 1);
    assert_eq!(cluster_tags[0]["count"], 3);

    // an edit, then publishing again: the same post, no new upload
    app.data(
        t,
        "mutation($id: ID!) { updateContent(input: {id: $id, html: \"<p>Edited body.</p><h2>Only part</h2><p>New.</p>\"}) { id } }",
        json!({"id": ids[0]}),
        "updateContent",
    )
    .await;
    let media_before = wp
        .get(&format!("wp/v2/media?search=keyword-1-{tag}&per_page=100"))
        .await;
    publish(&app, t, &ids[..1], "PUBLISH", None).await;
    let c = record(&app, t, &ids[0]).await;
    assert_eq!(
        c["publishing"]["wpPostId"].as_i64(),
        Some(first[0].0),
        "the same post"
    );
    let post = wp
        .get(&format!("wp/v2/posts/{}?context=edit", first[0].0))
        .await;
    assert!(
        post["content"]["raw"]
            .as_str()
            .unwrap()
            .contains("Edited body.")
    );
    assert_eq!(wp.posts_of(&ids[0]).await.len(), 1);
    let media_after = wp
        .get(&format!("wp/v2/media?search=keyword-1-{tag}&per_page=100"))
        .await;
    assert_eq!(
        media_after.as_array().unwrap().len(),
        media_before.as_array().unwrap().len(),
        "unchanged images are not uploaded again"
    );
    assert_eq!(media_after.as_array().unwrap().len(), 2);
    for (im, before) in c["images"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&first[0].1)
    {
        assert_eq!(im["node"]["wpMediaId"], before["wpMediaId"]);
    }
}

#[tokio::test]
async fn scheduling_sets_future_and_one_failing_upload_fails_only_its_article() {
    let wp = wp();
    let app = TestApp::spawn_worker_with(allow_loopback).await;
    let w = app.workspace("schedule@publish.io").await;
    let t = &w.s.token;
    let tag = unique();
    let ids = articles_with_images(&app, &w, 2, &tag).await;
    connect(&app, t, &w.site, &wp).await;

    // the second article's featured image is no image any more: WordPress
    // refuses the upload (its own message), the first article publishes
    let c = record(&app, t, &ids[1]).await;
    let featured = c["images"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["imageType"] == "FEATURED")
        .unwrap()["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = format!("{}/{featured}.png", w.s.account_id);
    std::fs::write(
        app.state.config.media_dir.join(&key),
        b"this is not an image at all",
    )
    .unwrap();

    let at = (chrono::Utc::now() + chrono::Duration::days(3))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let j = publish_ending(&app, t, &ids, "FUTURE", Some(&at), "PARTIAL").await;
    assert_eq!(j["result"]["items"].as_array().unwrap().len(), 1, "{j}");
    let errors = j["result"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{j}");
    assert_eq!(errors[0]["id"], ids[1].as_str());
    let msg = errors[0]["error"].as_str().unwrap();
    assert!(
        msg.contains("uploading image 1") && msg.contains("WordPress answered"),
        "{msg}"
    );

    let ok = record(&app, t, &ids[0]).await;
    let post_id = ok["publishing"]["wpPostId"].as_i64().unwrap();
    let post = wp.get(&format!("wp/v2/posts/{post_id}?context=edit")).await;
    assert_eq!(post["status"], "future");
    assert_eq!(post["date_gmt"].as_str().unwrap(), &at[..19]);
    assert_eq!(ok["publishing"]["wpStatus"], "future");

    let failed = record(&app, t, &ids[1]).await;
    assert_ne!(failed["status"], "PUBLISHED");
    assert!(failed["publishing"]["wpPostId"].is_null());
    assert!(
        failed["publishing"]["lastError"]
            .as_str()
            .unwrap()
            .contains("uploading image 1")
    );
    assert!(
        wp.posts_of(&ids[1]).await.is_empty(),
        "no post for the failed article"
    );

    // publishAt must be in the future, and only with FUTURE
    let r = app
        .gql(
            Some(t),
            PUBLISH,
            json!({"c": ids, "s": "FUTURE", "at": "2001-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(field(&r), "publishAt", "{r}");
    let r = app
        .gql(Some(t), PUBLISH, json!({"c": ids, "s": "FUTURE"}))
        .await;
    assert_eq!(field(&r), "publishAt", "{r}");
}

#[tokio::test]
async fn sync_reads_back_trashed_and_deleted_posts_and_the_signed_webhook_records_changes() {
    let wp = wp();
    let app = TestApp::spawn_worker_with(allow_loopback).await;
    let w = app.workspace("sync@publish.io").await;
    let t = &w.s.token;
    let tag = unique();
    let ids = articles_with_images(&app, &w, 2, &tag).await;
    let secret = connect(&app, t, &w.site, &wp).await["webhookSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    publish(&app, t, &ids, "PUBLISH", None).await;
    let p0 = record(&app, t, &ids[0]).await["publishing"]["wpPostId"]
        .as_i64()
        .unwrap();
    let p1 = record(&app, t, &ids[1]).await["publishing"]["wpPostId"]
        .as_i64()
        .unwrap();

    // trashed and deleted in WordPress, then a sync
    wp.delete(&format!("wp/v2/posts/{p0}")).await;
    wp.delete(&format!("wp/v2/posts/{p1}?force=true")).await;
    let j = app
        .data(
            t,
            "mutation($s: ID!) { syncWordPress(input: {siteId: $s}) { id } }",
            json!({"s": w.site}),
            "syncWordPress",
        )
        .await;
    let j = wait_for_status(&app, t, j["id"].as_str().unwrap(), "SUCCEEDED").await;
    assert_eq!(j["creditsCharged"], 0);
    let c0 = record(&app, t, &ids[0]).await;
    assert_eq!(c0["publishing"]["wpStatus"], "trash", "{c0}");
    assert_eq!(c0["publishing"]["changedInWordPress"], true);
    assert_ne!(
        c0["status"], "PUBLISHED",
        "a trashed post is no longer published"
    );
    let c1 = record(&app, t, &ids[1]).await;
    assert_eq!(c1["publishing"]["wpStatus"], "deleted", "{c1}");

    // the webhook: signed with the secret shown at connect
    let hook = app.url(&format!("/hooks/wordpress/{}", w.site));
    let send = async |body: &str, ts: i64, secret: &str| {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{ts}.{body}").as_bytes());
        let sig: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        app.http
            .post(&hook)
            .header("content-type", "application/json")
            .header("x-igny8-timestamp", ts.to_string())
            .header("x-igny8-signature", format!("sha256={sig}"))
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let now = chrono::Utc::now().timestamp();
    let body = json!({"postId": p0, "contentId": ids[0], "status": "draft", "link": "http://x.test/?p=1", "timestamp": now}).to_string();
    assert_eq!(
        send(&body, now, "not the secret").await,
        401,
        "a bad signature"
    );
    assert_eq!(
        send(&body, now - 3600, &secret).await,
        401,
        "an old timestamp"
    );
    assert_eq!(
        record(&app, t, &ids[0]).await["publishing"]["wpStatus"],
        "trash",
        "nothing recorded"
    );
    assert_eq!(send(&body, now, &secret).await, 200);
    assert_eq!(
        record(&app, t, &ids[0]).await["publishing"]["wpStatus"],
        "draft"
    );
    assert_eq!(send(&body, now, &secret).await, 409, "a replay is refused");
    // another account's site id: unknown
    let other = app.workspace("hooks@publish.io").await;
    let hook_other = app.url(&format!("/hooks/wordpress/{}", other.site));
    let r = app
        .http
        .post(&hook_other)
        .body(body.clone())
        .header("x-igny8-timestamp", now.to_string())
        .header("x-igny8-signature", "sha256=00")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // the bridge plugin itself: given the webhook URL and the secret, a
    // status change in WordPress reaches igny8
    wp.post(
        "wp/v2/settings",
        json!({"igny8_bridge_webhook_url": hook, "igny8_bridge_secret": secret}),
    )
    .await;
    wp.post(&format!("wp/v2/posts/{p0}"), json!({"status": "publish"}))
        .await;
    let mut seen = Value::Null;
    for _ in 0..100 {
        seen = record(&app, t, &ids[0]).await["publishing"].clone();
        if seen["wpStatus"] == "publish" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        seen["wpStatus"], "publish",
        "the plugin's webhook arrived: {seen}"
    );
    // the meta description is printed in <head>
    let html = wp
        .http
        .get(format!("{}/?p={p0}", wp.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<meta name=\"description\" content=\"What article 1 is about.\""),
        "{}",
        &html[..html.len().min(2000)]
    );
}

#[tokio::test]
async fn another_tenants_contents_are_not_found_and_nothing_reaches_wordpress() {
    let wp = wp();
    let app = TestApp::spawn_worker_with(allow_loopback).await;
    let w = app.workspace("owner@publish.io").await;
    let tag = unique();
    let ids = articles_with_images(&app, &w, 1, &tag).await;
    connect(&app, &w.s.token, &w.site, &wp).await;
    let other = app.workspace("intruder@publish.io").await;
    connect(&app, &other.s.token, &other.site, &wp).await;
    let r = app
        .gql(
            Some(&other.s.token),
            PUBLISH,
            json!({"c": ids, "s": "PUBLISH"}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    assert_eq!(app.count("ai_jobs WHERE kind = 'publish'").await, 0);
    assert!(wp.posts_of(&ids[0]).await.is_empty());
    // its publishing record is invisible too
    let r = app
        .gql(Some(&other.s.token), RECORD, json!({"id": ids[0]}))
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
}

/// Worker killed after WordPress created the post and before igny8
/// recorded it: the rerun finds the post by its marker, one post.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_after_wordpress_created_the_post_leaves_one_post() {
    let wp = wp();
    let app = TestApp::spawn_with(|c| {
        allow_loopback(c);
        c.jobs.lease_secs = 2;
    })
    .await;
    let w = app.workspace("kill@publish.io").await;
    let t = &w.s.token;
    let tag = unique();
    // images made by an in-process worker first
    let mut helper = app.worker_process(&[("IGNY8_JOB_LEASE_SECS", "2")]);
    let ids = articles_with_images(&app, &w, 1, &tag).await;
    helper.kill().unwrap();
    helper.wait().unwrap();
    connect(&app, t, &w.site, &wp).await;

    let mut doomed = app.worker_process(&[
        ("IGNY8_JOB_LEASE_SECS", "2"),
        ("IGNY8_FAULT_CRASH_AFTER_WP_CREATE", "1"),
    ]);
    let j = app
        .data(
            t,
            PUBLISH,
            json!({"c": ids, "s": "PUBLISH"}),
            "publishContent",
        )
        .await;
    let id = j["id"].as_str().unwrap().to_owned();
    // it aborts right after WordPress answered the create
    let mut died = false;
    for _ in 0..600 {
        if doomed.try_wait().unwrap().is_some() {
            died = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(died, "the failpoint fired");
    let made = wp.posts_of(&ids[0]).await;
    assert_eq!(made.len(), 1, "WordPress has the post");
    assert!(
        record(&app, t, &ids[0]).await["publishing"]["wpPostId"].is_null(),
        "igny8 did not record it"
    );
    let mut second = app.worker_process(&[("IGNY8_JOB_LEASE_SECS", "2")]);
    let done = wait_for_status(&app, t, &id, "SUCCEEDED").await;
    second.kill().unwrap();
    let _ = second.wait();
    assert_eq!(
        done["result"]["items"].as_array().unwrap().len(),
        1,
        "{done}"
    );
    let posts = wp.posts_of(&ids[0]).await;
    assert_eq!(posts.len(), 1, "still one post: {posts:?}");
    assert_eq!(
        record(&app, t, &ids[0]).await["publishing"]["wpPostId"].as_i64(),
        posts[0]["id"].as_i64(),
        "the rerun recorded the post WordPress made"
    );
}

/// A WordPress that misbehaves on demand: 429, 5xx, a create whose answer
/// never arrives (the post is made), and a site without pretty permalinks.
mod fake_wp {
    use axum::extract::{Query, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use serde_json::{Value, json};
    use std::collections::{HashMap, VecDeque};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    #[derive(Clone, Debug)]
    pub enum Fault {
        Status(u16),
        /// Makes the post, then answers after `Duration` (past the client's timeout).
        SlowAfterCreate(Duration),
    }

    #[derive(Default)]
    pub struct Fake {
        pub posts: Vec<(i64, String)>,
        pub creates: usize,
        pub faults: VecDeque<Fault>,
    }

    pub type Shared = Arc<Mutex<Fake>>;

    async fn handle(
        State(s): State<Shared>,
        Query(q): Query<HashMap<String, String>>,
        method: axum::http::Method,
        headers: HeaderMap,
        body: axum::body::Bytes,
    ) -> Response {
        // plain permalinks only: everything comes through ?rest_route=
        let Some(route) = q.get("rest_route").cloned() else {
            return (StatusCode::NOT_FOUND, "<html>not found</html>").into_response();
        };
        if headers.get("authorization").is_none() {
            return (StatusCode::UNAUTHORIZED, axum::Json(json!({"code": "rest_not_logged_in", "message": "You are not currently logged in."}))).into_response();
        }
        let ok = |v: Value| (StatusCode::OK, axum::Json(v)).into_response();
        match (method.as_str(), route.as_str()) {
            ("GET", "/wp/v2/users/me") => ok(json!({"id": 1, "name": "Fake", "capabilities": {"publish_posts": true, "upload_files": true}})),
            ("POST", "/wp/v2/categories") | ("POST", "/wp/v2/tags") => ok(json!({"id": 7})),
            ("GET", "/wp/v2/posts") => {
                let search = q.get("search").cloned().unwrap_or_default();
                let f = s.lock().unwrap();
                ok(Value::Array(
                    f.posts
                        .iter()
                        .filter(|(_, c)| c.contains(&search))
                        .map(|(id, c)| json!({"id": id, "link": format!("http://fake/?p={id}"), "status": "publish", "content": {"raw": c}}))
                        .collect(),
                ))
            }
            ("POST", "/wp/v2/posts") => {
                let fault = {
                    let mut f = s.lock().unwrap();
                    f.creates += 1;
                    f.faults.pop_front()
                };
                let v: Value = serde_json::from_slice(&body).unwrap_or_default();
                let content = v["content"].as_str().unwrap_or_default().to_owned();
                let make = || {
                    let mut f = s.lock().unwrap();
                    let id = 100 + f.posts.len() as i64;
                    f.posts.push((id, content.clone()));
                    id
                };
                match fault {
                    Some(Fault::Status(429)) => (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")], axum::Json(json!({"code": "rate", "message": "slow down"}))).into_response(),
                    Some(Fault::Status(code)) => (StatusCode::from_u16(code).unwrap(), axum::Json(json!({"code": "oops", "message": "the server had a bad day"}))).into_response(),
                    Some(Fault::SlowAfterCreate(d)) => {
                        let id = make();
                        tokio::time::sleep(d).await;
                        (StatusCode::CREATED, axum::Json(json!({"id": id, "link": "http://fake/late", "status": "publish"}))).into_response()
                    }
                    None => {
                        let id = make();
                        (StatusCode::CREATED, axum::Json(json!({"id": id, "link": format!("http://fake/?p={id}"), "status": "publish"}))).into_response()
                    }
                }
            }
            ("POST", r) if r.starts_with("/wp/v2/posts/") => {
                let id: i64 = r.trim_start_matches("/wp/v2/posts/").parse().unwrap_or(0);
                if s.lock().unwrap().posts.iter().any(|(p, _)| *p == id) {
                    ok(json!({"id": id, "link": format!("http://fake/?p={id}"), "status": "publish"}))
                } else {
                    (StatusCode::NOT_FOUND, axum::Json(json!({"code": "rest_post_invalid_id", "message": "Invalid post ID."}))).into_response()
                }
            }
            _ => (StatusCode::NOT_FOUND, axum::Json(json!({"code": "rest_no_route", "message": "No route was found matching the URL and request method."}))).into_response(),
        }
    }

    pub async fn start() -> (String, Shared) {
        let s: Shared = Arc::default();
        let app = axum::Router::new().fallback(handle).with_state(s.clone());
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
        (url, s)
    }
}

#[tokio::test]
async fn retries_on_429_and_5xx_and_a_lost_create_answer_makes_no_second_post() {
    use fake_wp::Fault;
    let (url, fake) = fake_wp::start().await;
    let app = TestApp::spawn_worker_with(|c| {
        allow_loopback(c);
        c.jobs.ai.retry = igny8_jobs::openai::RetryPolicy {
            max_attempts: 3,
            base: Duration::from_millis(10),
            cap: Duration::from_millis(50),
            timeout: Duration::from_millis(700),
        };
    })
    .await;
    let w = app.workspace("faults@publish.io").await;
    let t = &w.s.token;
    let cluster = app
        .data(
            t,
            "mutation($s: ID!) { createCluster(input: {sectorId: $s, name: \"C\"}) { id } }",
            json!({"s": w.sector}),
            "createCluster",
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a = article(&app, &w, &cluster, 1, "f").await;
    let b = article(&app, &w, &cluster, 2, "f").await;
    // the site has plain permalinks: connecting falls back to ?rest_route=
    let c = app
        .data(
            t,
            CONNECT,
            json!({"s": w.site, "u": url, "n": "admin", "p": "abcd efgh ijkl mnop"}),
            "connectWordPress",
        )
        .await;
    assert_eq!(c["hasBridgePlugin"], false);

    // 429 then 503 on the first create, then it works: one post
    fake.lock().unwrap().faults = VecDeque::from([Fault::Status(429), Fault::Status(503)]);
    let j = publish(&app, t, std::slice::from_ref(&a), "DRAFT", None).await;
    assert_eq!(j["result"]["items"].as_array().unwrap().len(), 1, "{j}");
    assert_eq!(fake.lock().unwrap().creates, 3);
    assert_eq!(fake.lock().unwrap().posts.len(), 1);

    // the answer to a create is lost (the post was made): the retry finds
    // the post by its marker and updates it
    fake.lock().unwrap().faults = VecDeque::from([Fault::SlowAfterCreate(Duration::from_secs(3))]);
    let j = publish(&app, t, std::slice::from_ref(&b), "DRAFT", None).await;
    assert_eq!(j["result"]["items"].as_array().unwrap().len(), 1, "{j}");
    {
        let f = fake.lock().unwrap();
        assert_eq!(f.creates, 4, "no second create");
        assert_eq!(f.posts.len(), 2, "one post per content");
    }
    let rb = record(&app, t, &b).await;
    assert_eq!(rb["publishing"]["wpPostId"].as_i64(), Some(101));

    // 5xx that never ends: the item fails with the reason, the job ends
    fake.lock().unwrap().posts.clear();
    fake.lock().unwrap().faults = VecDeque::from(vec![Fault::Status(502); 10]);
    let j = publish_ending(&app, t, std::slice::from_ref(&a), "DRAFT", None, "FAILED").await;
    // the recorded post no longer exists (404): a new one is tried, and fails
    let e = j["result"]["errors"][0]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(e.contains("502"), "{j}");

    // 401: the password was revoked in WordPress; the connection says so and
    // the job fails at once (no retry, no second article tried)
    fake.lock().unwrap().faults = VecDeque::from([Fault::Status(401)]);
    let creates = fake.lock().unwrap().creates;
    let j = app
        .data(
            t,
            PUBLISH,
            json!({"c": [&a, &b], "s": "DRAFT"}),
            "publishContent",
        )
        .await;
    let failed = wait_for_status(&app, t, j["id"].as_str().unwrap(), "FAILED").await;
    assert!(
        failed["error"].as_str().unwrap().contains("401"),
        "{failed}"
    );
    assert_eq!(fake.lock().unwrap().creates, creates + 1, "one attempt");
    let site = app
        .data(
            t,
            "query($s: ID!) { site(id: $s) { wordpress { status lastError } } }",
            json!({"s": w.site}),
            "site",
        )
        .await;
    assert_eq!(site["wordpress"]["status"], "UNAUTHORIZED", "{site}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduler_syncs_each_connected_site_once_per_due_time() {
    use igny8_jobs::scheduler::{ManualClock, Scheduler, with_every_kind};
    let wp = wp();
    let app = TestApp::spawn_with(allow_loopback).await;
    let w = app.workspace("periodic@publish.io").await;
    let t = &w.s.token;
    let row = "scheduled_tasks WHERE kind = 'wordpress.sync'";
    assert_eq!(app.count(row).await, 0);
    let before = chrono::Utc::now();
    connect(&app, t, &w.site, &wp).await;
    assert_eq!(
        app.count(&format!("{row} AND key = '{}'", w.site)).await,
        1,
        "connecting schedules the site's sync"
    );
    // first due 15 minutes after connecting (IGNY8_WORDPRESS_SYNC_MINUTES)
    let due = before + chrono::Duration::minutes(15);
    let syncs = "ai_jobs WHERE kind = 'sync_wordpress'";
    let clock = ManualClock::new(due - chrono::Duration::minutes(1));
    let instance = || {
        with_every_kind(Scheduler::new(
            igny8_db::Db::connect_worker(&app.db_url, 2).unwrap(),
            std::sync::Arc::new(clock.clone()),
        ))
    };
    let (a, b) = (instance(), instance());
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    assert_eq!(ra.unwrap().ran + rb.unwrap().ran, 0, "not due yet");
    assert_eq!(app.count(syncs).await, 0);

    // two instances race the due time: one sync job, queued for the site
    clock.set(due + chrono::Duration::seconds(30));
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    assert_eq!(ra.unwrap().ran + rb.unwrap().ran, 1);
    assert_eq!(
        app.count(&format!(
            "{syncs} AND status = 'queued' AND site_id = '{}'",
            w.site
        ))
        .await,
        1
    );
    // still queued at the next due time: no second one piles up behind it
    clock.advance(chrono::Duration::minutes(15));
    a.drain().await.unwrap();
    assert_eq!(app.count(syncs).await, 1);

    // downtime across three due times: one more sync, not three
    app.sql("UPDATE ai_jobs SET status = 'succeeded' WHERE kind = 'sync_wordpress'")
        .await;
    clock.advance(chrono::Duration::minutes(46));
    let ran = a.drain().await.unwrap().ran + b.drain().await.unwrap().ran;
    assert_eq!(ran, 1);
    assert_eq!(app.count(syncs).await, 2);

    // disconnecting takes the site off the scheduler
    let r = app
        .gql(
            Some(t),
            "mutation($s: ID!) { disconnectWordPress(input: {siteId: $s}) }",
            json!({"s": w.site}),
        )
        .await;
    assert!(r.get("errors").is_none(), "{r}");
    assert_eq!(app.count(row).await, 0);
}
