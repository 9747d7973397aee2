//! Planner over GraphQL: keywords, CSV, clusters, ideas, seeds.

use crate::harness::{TestApp, code, field, ids, nodes};
use serde_json::{Value, json};

const CSV: &str = "keyword,volume,difficulty,intent\n\
apple pie recipe,5000,30,informational\n\
best apple pie,3000,60,commercial\n\
buy apple pie,800,20,transactional\n\
apple pie near me,1200,10,navigational\n\
banana bread,9000,45,informational\n\
cherry tart,,,\n";

const KW: &str = "query($f: KeywordFilter, $o: [KeywordOrder!]) { keywords(filter: $f, orderBy: $o, first: 100) { totalCount edges { node { id keyword volume } } } }";

async fn keywords(app: &TestApp, token: &str, f: Value, o: Value) -> Vec<String> {
    let r = app
        .data(token, KW, json!({"f": f, "o": o}), "keywords")
        .await;
    nodes(&r, "keyword")
        .into_iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn keyword_filters_and_sorts() {
    let app = TestApp::spawn().await;
    let w = app.workspace("filters@p.io").await;
    let r = app.import_csv(&w.s.token, &w.sector, CSV).await;
    assert_eq!(r["data"]["importKeywords"]["created"], 6, "{r}");
    let t = &w.s.token;

    let by = |f: Value| {
        keywords(
            &app,
            t,
            f,
            json!([{"field": "KEYWORD", "direction": "ASC"}]),
        )
    };
    assert_eq!(
        by(json!({"search": "APPLE"})).await,
        [
            "apple pie near me",
            "apple pie recipe",
            "best apple pie",
            "buy apple pie"
        ]
    );
    assert_eq!(
        by(json!({"intent": "COMMERCIAL"})).await,
        ["best apple pie"]
    );
    assert_eq!(
        by(json!({"difficultyMin": 30, "difficultyMax": 45})).await,
        ["apple pie recipe", "banana bread"]
    );
    assert_eq!(
        by(json!({"volumeMin": 1000, "volumeMax": 5000})).await,
        ["apple pie near me", "apple pie recipe", "best apple pie"]
    );
    assert_eq!(
        by(json!({"sectorId": w.sector, "search": "tart"})).await,
        ["cherry tart"]
    );
    assert_eq!(
        by(json!({"siteId": w.site, "search": "bread"})).await,
        ["banana bread"]
    );
    assert_eq!(
        by(json!({"search": "%"})).await,
        Vec::<String>::new(),
        "search is literal"
    );

    let vol = keywords(
        &app,
        t,
        json!({}),
        json!([{"field": "VOLUME", "direction": "DESC"}]),
    )
    .await;
    assert_eq!(
        vol,
        [
            "banana bread",
            "apple pie recipe",
            "best apple pie",
            "apple pie near me",
            "buy apple pie",
            "cherry tart"
        ],
        "nulls last"
    );
    let diff = keywords(&app, t, json!({}), json!([{"field": "DIFFICULTY"}])).await;
    assert_eq!(diff[0], "apple pie near me");
    let created = keywords(
        &app,
        t,
        json!({}),
        json!([{"field": "CREATED_AT", "direction": "DESC"}]),
    )
    .await;
    assert_eq!(created.len(), 6);

    // status, cluster and clustered
    let all = app
        .data(t, KW, json!({"f": {"search": "apple"}}), "keywords")
        .await;
    let apple_ids = ids(&all);
    let r = app
        .gql(
            Some(t),
            "mutation($i: [ID!]!) { bulkUpdateKeywordStatus(input: {ids: $i, status: ARCHIVED}) }",
            json!({"i": apple_ids[..2]}),
        )
        .await;
    assert_eq!(r["data"]["bulkUpdateKeywordStatus"], 2);
    assert_eq!(by(json!({"status": "ARCHIVED"})).await.len(), 2);
    assert_eq!(by(json!({"status": "ACTIVE"})).await.len(), 4);
    let c = app
        .data(t, "mutation($s: ID!) { createCluster(input: {sectorId: $s, name: \"Apple pies\"}) { id } }", json!({"s": w.sector}), "createCluster")
        .await;
    let cid = c["id"].as_str().unwrap();
    app.data(t, "mutation($c: ID!, $k: [ID!]!) { addKeywordsToCluster(input: {clusterId: $c, keywordIds: $k}) { id } }", json!({"c": cid, "k": apple_ids}), "addKeywordsToCluster").await;
    assert_eq!(by(json!({"clusterId": cid})).await.len(), 4);
    assert_eq!(by(json!({"clustered": true})).await.len(), 4);
    assert_eq!(
        by(json!({"clustered": false})).await,
        ["banana bread", "cherry tart"]
    );
}

#[tokio::test]
async fn keyword_pages_in_every_direction() {
    let app = TestApp::spawn().await;
    let w = app.workspace("pages@p.io").await;
    let csv: String = std::iter::once("keyword".to_owned())
        .chain((0..25).map(|i| format!("kw {i:02}")))
        .collect::<Vec<_>>()
        .join("\n");
    app.import_csv(&w.s.token, &w.sector, &csv).await;
    let q = "query($f: Int, $a: String, $l: Int, $b: String, $o: Int) { keywords(orderBy: [{field: KEYWORD}], first: $f, after: $a, last: $l, before: $b, offset: $o) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { keyword } } } }";
    let page = |v: Value| {
        let app = &app;
        let t = w.s.token.clone();
        async move { app.data(&t, q, v, "keywords").await }
    };
    let words = |c: &Value| {
        nodes(c, "keyword")
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let p1 = page(json!({"f": 10})).await;
    assert_eq!(words(&p1).first().unwrap(), "kw 00");
    assert_eq!(p1["totalCount"], 25);
    let p2 = page(json!({"f": 10, "a": p1["pageInfo"]["endCursor"]})).await;
    assert_eq!(words(&p2).first().unwrap(), "kw 10");
    let p3 = page(json!({"f": 10, "a": p2["pageInfo"]["endCursor"]})).await;
    assert_eq!(words(&p3).len(), 5);
    assert_eq!(p3["pageInfo"]["hasNextPage"], false);
    let empty = page(json!({"f": 10, "a": p3["pageInfo"]["endCursor"]})).await;
    assert!(words(&empty).is_empty());
    assert_eq!(empty["totalCount"], 25);
    let last = page(json!({"l": 3})).await;
    assert_eq!(words(&last), ["kw 22", "kw 23", "kw 24"]);
    let before = page(json!({"l": 3, "b": last["pageInfo"]["startCursor"]})).await;
    assert_eq!(words(&before), ["kw 19", "kw 20", "kw 21"]);
    let off = page(json!({"f": 4, "o": 20})).await;
    assert_eq!(words(&off), ["kw 20", "kw 21", "kw 22", "kw 23"]);
    assert_eq!(off["pageInfo"]["hasPreviousPage"], true);
    let zero = page(json!({"f": 0})).await;
    assert!(words(&zero).is_empty());
    assert_eq!(zero["pageInfo"]["hasNextPage"], true);

    // the same windows nested under a sector
    let nested = "query($s: ID!, $l: Int, $o: Int, $f: Int) { sector(id: $s) { keywords(orderBy: [{field: KEYWORD}], first: $f, last: $l, offset: $o) { totalCount edges { node { keyword } } } } }";
    let r = app
        .data(&w.s.token, nested, json!({"s": w.sector, "l": 2}), "sector")
        .await;
    assert_eq!(words(&r["keywords"]), ["kw 23", "kw 24"]);
    let r = app
        .data(
            &w.s.token,
            nested,
            json!({"s": w.sector, "f": 2, "o": 30}),
            "sector",
        )
        .await;
    assert!(words(&r["keywords"]).is_empty());
    assert_eq!(r["keywords"]["totalCount"], 25);
}

#[tokio::test]
async fn csv_import_reports_rows_skips_duplicates_and_refuses_bad_files() {
    let app = TestApp::spawn().await;
    let w = app.workspace("csv@p.io").await;
    let t = &w.s.token;
    let csv = "\u{feff}Intent,KEYWORD,Difficulty,volume\r\ncommercial,Running Shoes,40,\"1,200\"\r\nINFORMATIONAL,\"shoes, trail\",5,10\r\n,running shoes,1,1\r\nmaybe,bad one,200,x\r\n";
    let r = app.import_csv(t, &w.sector, csv).await;
    let p = &r["data"]["importKeywords"];
    assert_eq!(p["created"], 2, "{r}");
    assert_eq!(p["skipped"], 1, "the in-file duplicate");
    assert_eq!(p["errors"].as_array().unwrap().len(), 1);
    assert_eq!(p["errors"][0]["line"], 5);
    let msg = p["errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("intent") && msg.contains("difficulty") && msg.contains("volume"),
        "{msg}"
    );
    let kw = app.data(t, "{ keywords(orderBy: [{field: KEYWORD}]) { edges { node { keyword volume intent } } } }", json!({}), "keywords").await;
    assert_eq!(
        kw["edges"][0]["node"],
        json!({"keyword": "Running Shoes", "volume": 1200, "intent": "COMMERCIAL"})
    );

    // importing again: everything is already stored
    let r = app
        .import_csv(
            t,
            &w.sector,
            "keyword\n RUNNING  shoes\n\"  Shoes,   trail \"\n",
        )
        .await;
    assert_eq!(
        r["data"]["importKeywords"],
        json!({"created": 0, "skipped": 2, "errors": []}),
        "{r}"
    );

    // whole-file refusals: nothing written
    let before = app.count("keywords").await;
    for bad in ["", "volume,difficulty\n1,2\n", "\u{0}\u{1}binary\u{2}"] {
        let r = app.import_csv(t, &w.sector, bad).await;
        assert_eq!(code(&r), "BAD_USER_INPUT", "{bad:?}: {r}");
        assert_eq!(field(&r), "csv");
    }
    let huge = format!(
        "keyword\n{}",
        (0..50_001)
            .map(|i| format!("k{i}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let r = app.import_csv(t, &w.sector, &huge).await;
    assert_eq!(code(&r), "BAD_USER_INPUT");
    assert_eq!(app.count("keywords").await, before);
}

#[tokio::test]
async fn csv_import_as_a_multipart_upload() {
    let app = TestApp::spawn().await;
    let w = app.workspace("upload@p.io").await;
    let ops = json!({
        "query": "mutation($s: ID!, $f: Upload!) { importKeywordsFile(input: {sectorId: $s, file: $f}) { created skipped errors { line } } }",
        "variables": {"s": w.sector, "f": null}
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", ops.to_string())
        .text("map", json!({"0": ["variables.f"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(
                b"keyword,volume\nuploaded one,5\nuploaded two,x\n".to_vec(),
            )
            .file_name("k.csv"),
        );
    let r: Value = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&w.s.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        r["data"]["importKeywordsFile"],
        json!({"created": 1, "skipped": 0, "errors": [{"line": 3}]}),
        "{r}"
    );
}

#[tokio::test]
async fn export_returns_the_filtered_rows_as_csv() {
    let app = TestApp::spawn().await;
    let w = app.workspace("export@p.io").await;
    app.import_csv(&w.s.token, &w.sector, CSV).await;
    let csv = app
        .data(&w.s.token, "{ exportKeywordsCsv(filter: {search: \"apple\"}, orderBy: [{field: VOLUME, direction: DESC}]) }", json!({}), "exportKeywordsCsv")
        .await;
    let lines: Vec<&str> = csv.as_str().unwrap().lines().collect();
    assert_eq!(
        lines[0],
        "keyword,volume,difficulty,intent,status,cluster,sector,created_at"
    );
    assert_eq!(lines.len(), 5);
    assert!(
        lines[1].starts_with("apple pie recipe,5000,30,informational,active,,Sector,"),
        "{}",
        lines[1]
    );
}

const CLUSTER: &str = "query($id: ID!) { cluster(id: $id) { keywordsCount volume keywords(orderBy: [{field: KEYWORD}]) { totalCount edges { node { keyword } } } } }";

#[tokio::test]
async fn cluster_counts_stay_exact_through_add_remove_and_delete() {
    let app = TestApp::spawn().await;
    let w = app.workspace("cluster@p.io").await;
    let t = &w.s.token;
    app.import_csv(t, &w.sector, CSV).await;
    let all = ids(&app
        .data(
            t,
            "{ keywords(orderBy: [{field: KEYWORD}]) { edges { node { id } } } }",
            json!({}),
            "keywords",
        )
        .await);
    let new_cluster = |name: &str| {
        let app = &app;
        let q = format!(
            "mutation($s: ID!) {{ createCluster(input: {{sectorId: $s, name: \"{name}\", description: \"d\"}}) {{ id keywordsCount volume }} }}"
        );
        let vars = json!({"s": w.sector});
        async move { app.data(t, &q, vars, "createCluster").await }
    };
    let a = new_cluster("A").await;
    assert_eq!(
        (a["keywordsCount"].as_i64(), a["volume"].as_i64()),
        (Some(0), Some(0))
    );
    let a = a["id"].as_str().unwrap().to_owned();
    let add = "mutation($c: ID!, $k: [ID!]!) { addKeywordsToCluster(input: {clusterId: $c, keywordIds: $k}) { keywordsCount volume } }";
    // all[0..3] = apple pie near me (1200), apple pie recipe (5000), banana bread (9000)
    let r = app
        .data(
            t,
            add,
            json!({"c": a, "k": all[0..3]}),
            "addKeywordsToCluster",
        )
        .await;
    assert_eq!(r, json!({"keywordsCount": 3, "volume": 15200}));
    let b = new_cluster("B").await["id"].as_str().unwrap().to_owned();
    // moving a keyword to B takes it out of A
    app.data(
        t,
        add,
        json!({"c": b, "k": [all[2]]}),
        "addKeywordsToCluster",
    )
    .await;
    let ra = app.data(t, CLUSTER, json!({"id": a}), "cluster").await;
    assert_eq!(
        (
            ra["keywordsCount"].as_i64(),
            ra["volume"].as_i64(),
            ra["keywords"]["totalCount"].as_i64()
        ),
        (Some(3 - 1), Some(6200), Some(2))
    );
    let rm = "mutation($c: ID!, $k: [ID!]!) { removeKeywordsFromCluster(input: {clusterId: $c, keywordIds: $k}) { keywordsCount volume } }";
    let r = app
        .data(
            t,
            rm,
            json!({"c": a, "k": [all[0]]}),
            "removeKeywordsFromCluster",
        )
        .await;
    assert_eq!(r, json!({"keywordsCount": 1, "volume": 5000}));
    // sorted by count and volume
    let q = "{ clusters(orderBy: [{field: VOLUME, direction: DESC}]) { edges { node { name keywordsCount volume } } } }";
    let r = app.data(t, q, json!({}), "clusters").await;
    assert_eq!(nodes(&r, "name"), [json!("B"), json!("A")]);
    // deleting a cluster unlinks its keywords; they remain
    app.data(
        t,
        "mutation($c: ID!) { deleteCluster(input: {id: $c}) }",
        json!({"c": b}),
        "deleteCluster",
    )
    .await;
    assert_eq!(app.count("keywords").await, 6);
    assert_eq!(app.count("keywords WHERE cluster_id IS NOT NULL").await, 1);
    assert_eq!(
        code(&app.gql(Some(t), CLUSTER, json!({"id": b})).await),
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn a_keyword_joins_only_a_cluster_of_its_own_sector() {
    let app = TestApp::spawn().await;
    let w = app.workspace("sector@p.io").await;
    let t = &w.s.token;
    let other = app.create_sector(&w.s, &w.site, "Other").await["data"]["createSector"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.import_csv(t, &other, "keyword\nelsewhere\n").await;
    let kid = ids(&app
        .data(
            t,
            "{ keywords { edges { node { id } } } }",
            json!({}),
            "keywords",
        )
        .await)[0]
        .clone();
    let c = app
        .data(
            t,
            "mutation($s: ID!) { createCluster(input: {sectorId: $s, name: \"Here\"}) { id } }",
            json!({"s": w.sector}),
            "createCluster",
        )
        .await;
    let r = app
        .gql(Some(t), "mutation($c: ID!, $k: [ID!]!) { addKeywordsToCluster(input: {clusterId: $c, keywordIds: $k}) { id } }", json!({"c": c["id"], "k": [kid]}))
        .await;
    assert_eq!(code(&r), "BAD_USER_INPUT");
    assert_eq!(field(&r), "keywordIds");
    assert_eq!(app.count("keywords WHERE cluster_id IS NOT NULL").await, 0);
}

#[tokio::test]
async fn keywords_are_unique_per_sector_after_trimming_and_case_folding() {
    let app = TestApp::spawn().await;
    let w = app.workspace("unique@p.io").await;
    let q = "mutation($s: ID!, $k: String!) { createKeyword(input: {sectorId: $s, keyword: $k, volume: 10, difficulty: 50, intent: COMMERCIAL}) { id keyword } }";
    let r = app
        .data(
            &w.s.token,
            q,
            json!({"s": w.sector, "k": "  Best   Shoes "}),
            "createKeyword",
        )
        .await;
    assert_eq!(r["keyword"], "Best Shoes");
    let r = app
        .gql(
            Some(&w.s.token),
            q,
            json!({"s": w.sector, "k": "best shoes"}),
        )
        .await;
    assert_eq!(code(&r), "CONFLICT");
    assert_eq!(field(&r), "keyword");
    for (k, f) in [("", "keyword"), (&"x".repeat(201) as &str, "keyword")] {
        let r = app
            .gql(Some(&w.s.token), q, json!({"s": w.sector, "k": k}))
            .await;
        assert_eq!((code(&r), field(&r)), ("BAD_USER_INPUT", f));
    }
    let bad = "mutation($s: ID!) { createKeyword(input: {sectorId: $s, keyword: \"x\", difficulty: 101}) { id } }";
    assert_eq!(
        field(&app.gql(Some(&w.s.token), bad, json!({"s": w.sector})).await),
        "difficulty"
    );
    let bad = "mutation($s: ID!) { createKeyword(input: {sectorId: $s, keyword: \"x\", volume: -1}) { id } }";
    assert_eq!(
        field(&app.gql(Some(&w.s.token), bad, json!({"s": w.sector})).await),
        "volume"
    );
    let upd = "mutation($id: ID!) { updateKeyword(input: {id: $id, volume: null, intent: null, status: INACTIVE}) { volume intent status } }";
    let r = app
        .data(
            &w.s.token,
            upd,
            json!({"id": r_id(&app, &w.s.token).await}),
            "updateKeyword",
        )
        .await;
    assert_eq!(
        r,
        json!({"volume": null, "intent": null, "status": "INACTIVE"})
    );
    assert_eq!(app.count("keywords").await, 1);
}

async fn r_id(app: &TestApp, t: &str) -> String {
    ids(&app
        .data(
            t,
            "{ keywords { edges { node { id } } } }",
            json!({}),
            "keywords",
        )
        .await)[0]
        .clone()
}

#[tokio::test]
async fn ideas_with_outlines_and_idempotent_queueing() {
    let app = TestApp::spawn().await;
    let w = app.workspace("ideas@p.io").await;
    let t = &w.s.token;
    let c = app
        .data(
            t,
            "mutation($s: ID!) { createCluster(input: {sectorId: $s, name: \"Pies\"}) { id } }",
            json!({"s": w.sector}),
            "createCluster",
        )
        .await;
    let q = "mutation($i: CreateIdeaInput!) { createIdea(input: $i) { id title contentType contentStructure estimatedWordCount status targetKeywords
             outline { sections { heading level notes targetKeywords } } cluster { name } } }";
    let input = json!({"clusterId": c["id"], "title": "How to bake an apple pie", "contentType": "POST", "contentStructure": "HOW_TO",
        "estimatedWordCount": 1800, "targetKeywords": ["apple pie", " Apple  Pie recipe "],
        "outline": {"sections": [{"heading": "Ingredients", "notes": "list them", "targetKeywords": ["apples"]}, {"heading": "Crust", "level": 3}]}});
    let idea = app.data(t, q, json!({"i": input}), "createIdea").await;
    assert_eq!(
        idea["outline"]["sections"][0],
        json!({"heading": "Ingredients", "level": 2, "notes": "list them", "targetKeywords": ["apples"]})
    );
    assert_eq!(idea["outline"]["sections"][1]["level"], 3);
    assert_eq!(idea["contentStructure"], "HOW_TO");
    assert_eq!(idea["status"], "NEW");
    assert_eq!(
        idea["targetKeywords"],
        json!(["apple pie", "Apple Pie recipe"])
    );
    let bad = json!({"i": {"clusterId": c["id"], "title": "x", "outline": {"sections": [{"heading": " "}]}}});
    assert_eq!(field(&app.gql(Some(t), q, bad).await), "outline");
    let bad = json!({"i": {"clusterId": c["id"], "title": "x", "estimatedWordCount": 5}});
    assert_eq!(field(&app.gql(Some(t), q, bad).await), "estimatedWordCount");

    let queue = "mutation($i: [ID!]!) { queueIdeasToWriter(input: {ideaIds: $i}) { id title status idea { id status } cluster { name } } }";
    let first = app
        .data(t, queue, json!({"i": [idea["id"]]}), "queueIdeasToWriter")
        .await;
    assert_eq!(first[0]["title"], "How to bake an apple pie");
    assert_eq!(first[0]["idea"]["status"], "QUEUED");
    assert_eq!(first[0]["cluster"]["name"], "Pies");
    let again = app
        .data(
            t,
            queue,
            json!({"i": [idea["id"], idea["id"]]}),
            "queueIdeasToWriter",
        )
        .await;
    assert_eq!(
        again[0]["id"], first[0]["id"],
        "the existing task, not a second one"
    );
    // concurrent queueing still makes one task
    let results = futures::future::join_all(
        (0..5).map(|_| app.gql(Some(t), queue, json!({"i": [idea["id"]]}))),
    )
    .await;
    assert!(
        results
            .iter()
            .all(|r| r["data"]["queueIdeasToWriter"][0]["id"] == first[0]["id"]),
        "{results:?}"
    );
    assert_eq!(app.count("tasks").await, 1);
    let r = app
        .data(
            t,
            "query($id: ID!) { idea(id: $id) { task { id } } }",
            json!({"id": idea["id"]}),
            "idea",
        )
        .await;
    assert_eq!(r["task"]["id"], first[0]["id"]);

    let f = "query($f: IdeaFilter) { ideas(filter: $f) { totalCount } }";
    for (filter, n) in [
        (json!({"clusterId": c["id"]}), 1),
        (json!({"status": "QUEUED"}), 1),
        (json!({"status": "NEW"}), 0),
        (json!({"contentType": "PAGE"}), 0),
        (json!({"search": "APPLE"}), 1),
        (json!({"sectorId": w.sector}), 1),
    ] {
        assert_eq!(
            app.data(t, f, json!({"f": filter}), "ideas").await["totalCount"],
            n,
            "{filter}"
        );
    }
}

#[tokio::test]
async fn the_seed_library_adds_keywords_once() {
    let app = TestApp::spawn().await;
    let w = app.workspace("seeds@p.io").await;
    let t = &w.s.token;
    let seeds = app.data(t, "{ seedKeywords(first: 5, filter: {search: \"yoga\"}) { totalCount edges { node { id keyword intent } } } }", json!({}), "seedKeywords").await;
    assert!(seeds["totalCount"].as_i64().unwrap() >= 10, "{seeds}");
    let seed_ids = ids(&seeds);
    let add = "mutation($s: ID!, $i: [ID!]!) { addSeedKeywords(input: {sectorId: $s, seedKeywordIds: $i}) { created skipped } }";
    assert_eq!(
        app.data(
            t,
            add,
            json!({"s": w.sector, "i": seed_ids}),
            "addSeedKeywords"
        )
        .await,
        json!({"created": 5, "skipped": 0})
    );
    assert_eq!(
        app.data(
            t,
            add,
            json!({"s": w.sector, "i": seed_ids}),
            "addSeedKeywords"
        )
        .await,
        json!({"created": 0, "skipped": 5})
    );
    let r = app
        .gql(
            Some(t),
            add,
            json!({"s": w.sector, "i": ["01a20137-e6e5-711c-b008-fe3d195dbab9"]}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND");
}
