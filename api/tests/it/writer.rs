//! Writer over GraphQL: tasks, content, images; cascades.

use crate::harness::{TestApp, Workspace, code, field, ids, nodes};
use serde_json::{Value, json};

async fn task(app: &TestApp, w: &Workspace, title: &str, extra: Value) -> String {
    let mut input = json!({"sectorId": w.sector, "title": title});
    input
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let r = app
        .data(
            &w.s.token,
            "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
            json!({"i": input}),
            "createTask",
        )
        .await;
    r["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn content_html_is_sanitised_and_counted() {
    let app = TestApp::spawn().await;
    let w = app.workspace("content@w.io").await;
    let t = &w.s.token;
    let task_id = task(&app, &w, "Apple pie", json!({"contentStructure": "HOW_TO"})).await;
    let html = "<h2>Intro</h2><p onclick=\"steal()\">Bake the best apple pie.</p><script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>";
    let q = "mutation($i: CreateContentInput!) { createContent(input: $i) { id html wordCount status metaTitle task { title } } }";
    let c = app
        .data(
            t,
            q,
            json!({"i": {"taskId": task_id, "html": html, "metaTitle": "Apple pie"}}),
            "createContent",
        )
        .await;
    let clean = c["html"].as_str().unwrap();
    assert!(
        !clean.contains("script") && !clean.contains("onclick") && !clean.contains("javascript"),
        "{clean}"
    );
    assert!(clean.contains("<h2>Intro</h2>"));
    assert_eq!(c["wordCount"], 7, "{clean}");
    assert_eq!(c["status"], "DRAFT");
    let again = app.gql(Some(t), q, json!({"i": {"taskId": task_id}})).await;
    assert_eq!(code(&again), "CONFLICT", "one content per task");
    assert_eq!(field(&again), "taskId", "{again}");

    let upd = "mutation($i: UpdateContentInput!) { updateContent(input: $i) { html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords } }";
    let r = app
        .data(t, upd, json!({"i": {"id": c["id"], "html": "<p>one two three</p>", "status": "REVIEW", "metaTitle": null,
            "metaDescription": "desc", "primaryKeyword": "apple pie", "secondaryKeywords": ["pie crust"]}}), "updateContent")
        .await;
    assert_eq!(
        r,
        json!({"html": "<p>one two three</p>", "wordCount": 3, "status": "REVIEW", "metaTitle": null,
        "metaDescription": "desc", "primaryKeyword": "apple pie", "secondaryKeywords": ["pie crust"]})
    );
    let r = app
        .gql(
            Some(t),
            upd,
            json!({"i": {"id": c["id"], "metaDescription": "d".repeat(501)}}),
        )
        .await;
    assert_eq!(field(&r), "metaDescription");

    // drafts and published views
    let views = "query($s: ContentStatus) { contents(filter: {status: $s}) { totalCount } }";
    assert_eq!(
        app.data(t, views, json!({"s": "REVIEW"}), "contents").await["totalCount"],
        1
    );
    assert_eq!(
        app.data(t, views, json!({"s": "PUBLISHED"}), "contents")
            .await["totalCount"],
        0
    );
    let r = app
        .data(
            t,
            "{ contents(filter: {search: \"APPLE\", contentType: POST}) { totalCount } }",
            json!({}),
            "contents",
        )
        .await;
    assert_eq!(r["totalCount"], 1);
}

#[tokio::test]
async fn task_filters_bulk_operations_and_cascades() {
    let app = TestApp::spawn().await;
    let w = app.workspace("tasks@w.io").await;
    let t = &w.s.token;
    let c = app
        .data(
            t,
            "mutation($s: ID!) { createCluster(input: {sectorId: $s, name: \"C\"}) { id } }",
            json!({"s": w.sector}),
            "createCluster",
        )
        .await;
    let a = task(
        &app,
        &w,
        "Alpha guide",
        json!({"clusterId": c["id"], "contentType": "PAGE", "contentStructure": "GUIDE"}),
    )
    .await;
    let b = task(
        &app,
        &w,
        "Beta review",
        json!({"contentStructure": "REVIEW"}),
    )
    .await;
    let g = task(
        &app,
        &w,
        "Gamma list",
        json!({"contentStructure": "LISTICLE"}),
    )
    .await;
    let f = "query($f: TaskFilter, $o: [TaskOrder!]) { tasks(filter: $f, orderBy: $o) { totalCount edges { node { id title } } } }";
    for (filter, n) in [
        (json!({"clusterId": c["id"]}), 1),
        (json!({"contentType": "PAGE"}), 1),
        (json!({"contentStructure": "REVIEW"}), 1),
        (json!({"status": "DRAFT"}), 3),
        (json!({"search": "gAmMa"}), 1),
        (json!({"sectorId": w.sector}), 3),
    ] {
        assert_eq!(
            app.data(t, f, json!({"f": filter}), "tasks").await["totalCount"],
            n,
            "{filter}"
        );
    }
    let r = app
        .data(
            t,
            f,
            json!({"o": [{"field": "TITLE", "direction": "DESC"}]}),
            "tasks",
        )
        .await;
    assert_eq!(
        nodes(&r, "title"),
        [
            json!("Gamma list"),
            json!("Beta review"),
            json!("Alpha guide")
        ]
    );

    let r = app
        .data(
            t,
            "mutation($i: [ID!]!) { bulkUpdateTaskStatus(input: {ids: $i, status: IN_PROGRESS}) }",
            json!({"i": [a, b]}),
            "bulkUpdateTaskStatus",
        )
        .await;
    assert_eq!(r, 2);
    assert_eq!(
        app.data(t, f, json!({"f": {"status": "IN_PROGRESS"}}), "tasks")
            .await["totalCount"],
        2
    );
    let r = app
        .gql(
            Some(t),
            "mutation($i: ID!) { createTask(input: {sectorId: $i, title: \" \"}) { id } }",
            json!({"i": w.sector}),
        )
        .await;
    assert_eq!(field(&r), "title");

    // content and images go with their task
    let content = app
        .data(
            t,
            "mutation($t: ID!) { createContent(input: {taskId: $t, html: \"<p>x</p>\"}) { id } }",
            json!({"t": a}),
            "createContent",
        )
        .await;
    let img = "mutation($t: ID!, $p: Int) { createImage(input: {taskId: $t, imageType: IN_ARTICLE, prompt: \"a pie\", position: $p}) { id content { id } task { id } status } }";
    let i1 = app
        .data(t, img, json!({"t": a, "p": 2}), "createImage")
        .await;
    assert_eq!(
        i1["content"]["id"], content["id"],
        "an image of a task with content belongs to that content"
    );
    app.data(t, img, json!({"t": a, "p": 1}), "createImage")
        .await;
    app.data(t, img, json!({"t": b, "p": 0}), "createImage")
        .await;
    let r = app.data(t, "query($t: ID!) { task(id: $t) { images { totalCount edges { node { position } } } content { images { totalCount } } } }", json!({"t": a}), "task").await;
    assert_eq!(nodes(&r["images"], "position"), [json!(1), json!(2)]);
    assert_eq!(r["content"]["images"]["totalCount"], 2);
    let r = app
        .data(
            t,
            "{ images(filter: {imageType: IN_ARTICLE, status: PENDING}) { totalCount } }",
            json!({}),
            "images",
        )
        .await;
    assert_eq!(r["totalCount"], 3);
    let all_images = ids(&app
        .data(
            t,
            "{ images { edges { node { id } } } }",
            json!({}),
            "images",
        )
        .await);
    let r = app
        .data(
            t,
            "mutation($i: [ID!]!) { bulkUpdateImageStatus(input: {ids: $i, status: GENERATED}) }",
            json!({"i": all_images}),
            "bulkUpdateImageStatus",
        )
        .await;
    assert_eq!(r, 3);
    let r = app.gql(Some(t), "mutation($t: ID!) { createImage(input: {taskId: $t, imageType: FEATURED, url: \"javascript:x\"}) { id } }", json!({"t": a})).await;
    assert_eq!(field(&r), "url");

    let r = app
        .data(
            t,
            "mutation($i: [ID!]!) { bulkDeleteTasks(input: {ids: $i}) }",
            json!({"i": [a, g]}),
            "bulkDeleteTasks",
        )
        .await;
    assert_eq!(r, 2);
    assert_eq!(app.count("contents").await, 0);
    assert_eq!(app.count("images").await, 1, "only task b's image is left");
    assert_eq!(app.count("clusters").await, 1, "the cluster stays");
}
