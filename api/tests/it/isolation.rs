//! Planner and writer: another account's ids behave as missing ids in every
//! mutation and query, one foreign id rejects a whole bulk call, and roles hold.

use crate::harness::{TestApp, code, ids};
use serde_json::{Value, json};

pub struct Fixture {
    sector: String,
    keyword: String,
    cluster: String,
    idea: String,
    task: String,
    content: String,
    image: String,
}

pub async fn fixture(app: &TestApp, token: &str, sector: &str) -> Fixture {
    app.import_csv(token, sector, "keyword,volume\nalpha,10\nbeta,20\n")
        .await;
    let keyword = ids(&app
        .data(
            token,
            "{ keywords { edges { node { id } } } }",
            json!({}),
            "keywords",
        )
        .await)[0]
        .clone();
    let cluster = app
        .data(
            token,
            "mutation($s: ID!) { createCluster(input: {sectorId: $s, name: \"C\"}) { id } }",
            json!({"s": sector}),
            "createCluster",
        )
        .await;
    let cluster = cluster["id"].as_str().unwrap().to_owned();
    let idea = app
        .data(
            token,
            "mutation($c: ID!) { createIdea(input: {clusterId: $c, title: \"I\"}) { id } }",
            json!({"c": cluster}),
            "createIdea",
        )
        .await;
    let idea = idea["id"].as_str().unwrap().to_owned();
    let task = app
        .data(
            token,
            "mutation($s: ID!) { createTask(input: {sectorId: $s, title: \"T\"}) { id } }",
            json!({"s": sector}),
            "createTask",
        )
        .await;
    let task = task["id"].as_str().unwrap().to_owned();
    let content = app
        .data(
            token,
            "mutation($t: ID!) { createContent(input: {taskId: $t, html: \"<p>x</p>\"}) { id } }",
            json!({"t": task}),
            "createContent",
        )
        .await;
    let image = app
        .data(
            token,
            "mutation($t: ID!) { createImage(input: {taskId: $t, imageType: FEATURED}) { id } }",
            json!({"t": task}),
            "createImage",
        )
        .await;
    Fixture {
        sector: sector.to_owned(),
        keyword,
        cluster,
        idea,
        task,
        content: content["id"].as_str().unwrap().to_owned(),
        image: image["id"].as_str().unwrap().to_owned(),
    }
}

fn mutations(a: &Fixture, mine: &Fixture) -> Vec<(&'static str, Value)> {
    vec![
        (
            "mutation($v: ID!) { createKeyword(input: {sectorId: $v, keyword: \"x\"}) { id } }",
            json!({"v": a.sector}),
        ),
        (
            "mutation($v: ID!) { updateKeyword(input: {id: $v, keyword: \"x\"}) { id } }",
            json!({"v": a.keyword}),
        ),
        (
            "mutation($v: ID!) { deleteKeyword(input: {id: $v}) }",
            json!({"v": a.keyword}),
        ),
        (
            "mutation($v: [ID!]!) { bulkDeleteKeywords(input: {ids: $v}) }",
            json!({"v": [mine.keyword, a.keyword]}),
        ),
        (
            "mutation($v: [ID!]!) { bulkUpdateKeywordStatus(input: {ids: $v, status: ARCHIVED}) }",
            json!({"v": [mine.keyword, a.keyword]}),
        ),
        (
            "mutation($v: ID!) { importKeywords(input: {sectorId: $v, csv: \"keyword\\nx\"}) { created } }",
            json!({"v": a.sector}),
        ),
        (
            "mutation($v: ID!) { createCluster(input: {sectorId: $v, name: \"x\"}) { id } }",
            json!({"v": a.sector}),
        ),
        (
            "mutation($v: ID!) { updateCluster(input: {id: $v, name: \"x\"}) { id } }",
            json!({"v": a.cluster}),
        ),
        (
            "mutation($v: ID!) { deleteCluster(input: {id: $v}) }",
            json!({"v": a.cluster}),
        ),
        (
            "mutation($c: ID!, $k: [ID!]!) { addKeywordsToCluster(input: {clusterId: $c, keywordIds: $k}) { id } }",
            json!({"c": a.cluster, "k": [mine.keyword]}),
        ),
        (
            "mutation($c: ID!, $k: [ID!]!) { addKeywordsToCluster(input: {clusterId: $c, keywordIds: $k}) { id } }",
            json!({"c": mine.cluster, "k": [a.keyword]}),
        ),
        (
            "mutation($c: ID!, $k: [ID!]!) { removeKeywordsFromCluster(input: {clusterId: $c, keywordIds: $k}) { id } }",
            json!({"c": a.cluster, "k": [a.keyword]}),
        ),
        (
            "mutation($v: ID!) { createIdea(input: {clusterId: $v, title: \"x\"}) { id } }",
            json!({"v": a.cluster}),
        ),
        (
            "mutation($v: ID!) { updateIdea(input: {id: $v, title: \"x\"}) { id } }",
            json!({"v": a.idea}),
        ),
        (
            "mutation($v: ID!) { deleteIdea(input: {id: $v}) }",
            json!({"v": a.idea}),
        ),
        (
            "mutation($v: [ID!]!) { queueIdeasToWriter(input: {ideaIds: $v}) { id } }",
            json!({"v": [mine.idea, a.idea]}),
        ),
        (
            "mutation($v: ID!) { createTask(input: {sectorId: $v, title: \"x\"}) { id } }",
            json!({"v": a.sector}),
        ),
        (
            "mutation($s: ID!, $c: ID!) { createTask(input: {sectorId: $s, title: \"x\", clusterId: $c}) { id } }",
            json!({"s": mine.sector, "c": a.cluster}),
        ),
        (
            "mutation($v: ID!) { updateTask(input: {id: $v, title: \"x\"}) { id } }",
            json!({"v": a.task}),
        ),
        (
            "mutation($v: ID!) { deleteTask(input: {id: $v}) }",
            json!({"v": a.task}),
        ),
        (
            "mutation($v: [ID!]!) { bulkDeleteTasks(input: {ids: $v}) }",
            json!({"v": [mine.task, a.task]}),
        ),
        (
            "mutation($v: [ID!]!) { bulkUpdateTaskStatus(input: {ids: $v, status: ARCHIVED}) }",
            json!({"v": [mine.task, a.task]}),
        ),
        (
            "mutation($v: ID!) { createContent(input: {taskId: $v}) { id } }",
            json!({"v": a.task}),
        ),
        (
            "mutation($v: ID!) { updateContent(input: {id: $v, html: \"x\"}) { id } }",
            json!({"v": a.content}),
        ),
        (
            "mutation($v: ID!) { deleteContent(input: {id: $v}) }",
            json!({"v": a.content}),
        ),
        (
            "mutation($v: ID!) { createImage(input: {taskId: $v, imageType: FEATURED}) { id } }",
            json!({"v": a.task}),
        ),
        (
            "mutation($v: ID!) { updateImage(input: {id: $v, prompt: \"x\"}) { id } }",
            json!({"v": a.image}),
        ),
        (
            "mutation($v: ID!) { deleteImage(input: {id: $v}) }",
            json!({"v": a.image}),
        ),
        (
            "mutation($v: [ID!]!) { bulkUpdateImageStatus(input: {ids: $v, status: FAILED}) }",
            json!({"v": [mine.image, a.image]}),
        ),
        (
            "query($v: ID!) { keyword(id: $v) { id } }",
            json!({"v": a.keyword}),
        ),
        (
            "query($v: ID!) { cluster(id: $v) { id } }",
            json!({"v": a.cluster}),
        ),
        (
            "query($v: ID!) { idea(id: $v) { id } }",
            json!({"v": a.idea}),
        ),
        (
            "query($v: ID!) { task(id: $v) { id } }",
            json!({"v": a.task}),
        ),
        (
            "query($v: ID!) { content(id: $v) { id } }",
            json!({"v": a.content}),
        ),
        (
            "query($v: ID!) { image(id: $v) { id } }",
            json!({"v": a.image}),
        ),
    ]
}

async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut out = vec![];
    for t in [
        "keywords",
        "clusters",
        "content_ideas",
        "tasks",
        "contents",
        "images",
    ] {
        out.push(app.count(t).await);
    }
    out.push(
        app.count("keywords WHERE status = 'active' AND cluster_id IS NULL")
            .await,
    );
    out.push(app.count("tasks WHERE status = 'draft'").await);
    out.push(app.count("images WHERE status = 'pending'").await);
    out.push(app.count("content_ideas WHERE status = 'new'").await);
    out
}

#[tokio::test]
async fn another_accounts_ids_are_not_found_in_every_planner_and_writer_operation() {
    let app = TestApp::spawn().await;
    assert_planner_and_writer_keep_tenants_apart(&app).await;
}

/// B's calls with A's ids answer NOT_FOUND and change nothing; B's lists show
/// only B's rows. Also run with row-level security off (`rls.rs`).
pub async fn assert_planner_and_writer_keep_tenants_apart(app: &TestApp) {
    let a = app.workspace("a@iso.io").await;
    let b = app.workspace("b@iso.io").await;
    let fa = fixture(app, &a.s.token, &a.sector).await;
    let fb = fixture(app, &b.s.token, &b.sector).await;
    let before = snapshot(app).await;
    for (q, vars) in mutations(&fa, &fb) {
        let r = app.gql(Some(&b.s.token), q, vars).await;
        assert_eq!(code(&r), "NOT_FOUND", "{q}: {r}");
    }
    assert_eq!(
        snapshot(app).await,
        before,
        "nothing changed, for either account"
    );
    // lists show B exactly its own fixture: none of A's rows
    for (q, own) in [
        ("{ keywords { totalCount } }", 2),
        ("{ clusters { totalCount } }", 1),
        ("{ ideas { totalCount } }", 1),
        ("{ tasks { totalCount } }", 1),
        ("{ contents { totalCount } }", 1),
        ("{ images { totalCount } }", 1),
    ] {
        let r = app.gql(Some(&b.s.token), q, json!({})).await;
        let n = r["data"].as_object().unwrap().values().next().unwrap()["totalCount"]
            .as_i64()
            .unwrap();
        assert_eq!(n, own, "{q}: {r}");
    }
    let csv = app
        .data(
            &b.s.token,
            "{ exportKeywordsCsv }",
            json!({}),
            "exportKeywordsCsv",
        )
        .await;
    assert_eq!(
        csv.as_str().unwrap().lines().count(),
        3,
        "B exports only B's two keywords"
    );
}

#[tokio::test]
async fn viewers_cannot_write_and_editors_only_on_granted_sites() {
    let app = TestApp::spawn().await;
    let owner = app.workspace("owner@roles-p.io").await;
    let other_site = app.create_site(&owner.s, "Other").await;
    let other_sector =
        app.create_sector(&owner.s, &other_site, "Other").await["data"]["createSector"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let f = fixture(&app, &owner.s.token, &owner.sector).await;
    let mk = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    for (email, role) in [
        ("viewer@roles-p.io", "VIEWER"),
        ("editor@roles-p.io", "EDITOR"),
    ] {
        app.data(&owner.s.token, mk, json!({"i": {"email": email, "password": "member password", "role": role, "siteIds": [owner.site]}}), "createUser").await;
    }
    let token = |r: Value| {
        r["data"]["login"]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let viewer = token(app.login("viewer@roles-p.io", "member password").await);
    let editor = token(app.login("editor@roles-p.io", "member password").await);

    let before = snapshot(&app).await;
    // viewers read everything on their site and change nothing
    assert_eq!(
        app.data(
            &viewer,
            "{ keywords { totalCount } }",
            json!({}),
            "keywords"
        )
        .await["totalCount"],
        2
    );
    for (q, vars) in mutations(&f, &f) {
        if q.starts_with("query") {
            continue;
        }
        let r = app.gql(Some(&viewer), q, vars).await;
        assert_eq!(code(&r), "FORBIDDEN", "{q}: {r}");
    }
    assert_eq!(snapshot(&app).await, before);

    // editors write on the granted site, and the other site is invisible
    let q =
        "mutation($s: ID!) { createKeyword(input: {sectorId: $s, keyword: \"by editor\"}) { id } }";
    assert!(
        app.gql(Some(&editor), q, json!({"s": owner.sector})).await["data"]["createKeyword"]
            .is_object()
    );
    assert_eq!(
        code(&app.gql(Some(&editor), q, json!({"s": other_sector})).await),
        "NOT_FOUND"
    );
    let r = app.gql(Some(&editor), "mutation($s: ID!) { importKeywords(input: {sectorId: $s, csv: \"keyword\\nx\"}) { created } }", json!({"s": other_sector})).await;
    assert_eq!(code(&r), "NOT_FOUND");
    assert_eq!(app.count("keywords").await, 3);
}
