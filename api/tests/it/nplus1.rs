//! A nested query costs the same number of SQL statements whatever the
//! number of rows: every relation goes through a batching DataLoader.

use crate::harness::TestApp;
use serde_json::json;

const NESTED: &str =
    "{ sites(first: 2) { edges { node { name sectors(first: 5) { edges { node { name
  keywords(first: 100) { totalCount edges { node { keyword cluster { name keywordsCount volume
    ideas(first: 2) { edges { node { title task { title content { wordCount
      images(first: 2) { edges { node { prompt } } } } } } } } } } } } } } } } } } }";

/// One site with `sectors` sectors of `per_sector` keywords; every keyword
/// has its own cluster with two ideas, each idea a task with content and two
/// images. Written as the superuser, for speed.
async fn seed(app: &TestApp, sectors: usize, per_sector: usize) -> usize {
    let s = app
        .signup(&format!("n{sectors}x{per_sector}@nplus1.io"), "N+1")
        .await;
    let site = app.create_site(&s, "Site").await;
    for i in 0..sectors {
        app.create_sector(&s, &site, &format!("Sector {i}")).await;
    }
    app.sql(&format!(
        "INSERT INTO clusters (id, account_id, site_id, sector_id, name)
           SELECT gen_random_uuid(), s.account_id, s.site_id, s.id, 'cluster ' || s.name || ' ' || g
           FROM sectors s, generate_series(1, {per_sector}) g;
         INSERT INTO keywords (id, account_id, site_id, sector_id, keyword, keyword_key, volume, cluster_id)
           SELECT gen_random_uuid(), c.account_id, c.site_id, c.sector_id, 'kw ' || c.name, 'kw ' || c.name, 10, c.id FROM clusters c;
         INSERT INTO content_ideas (id, account_id, site_id, sector_id, cluster_id, title)
           SELECT gen_random_uuid(), c.account_id, c.site_id, c.sector_id, c.id, 'idea ' || g || ' of ' || c.name
           FROM clusters c, generate_series(1, 2) g;
         INSERT INTO tasks (id, account_id, site_id, sector_id, cluster_id, idea_id, title)
           SELECT gen_random_uuid(), i.account_id, i.site_id, i.sector_id, i.cluster_id, i.id, i.title FROM content_ideas i;
         INSERT INTO contents (id, account_id, site_id, sector_id, task_id, html, word_count)
           SELECT gen_random_uuid(), t.account_id, t.site_id, t.sector_id, t.id, '<p>x</p>', 1 FROM tasks t;
         INSERT INTO images (id, account_id, site_id, sector_id, task_id, content_id, image_type, prompt, position)
           SELECT gen_random_uuid(), c.account_id, c.site_id, c.sector_id, c.task_id, c.id, 'in_article', 'p' || g, g
           FROM contents c, generate_series(1, 2) g;"
    ))
    .await;
    let before = app.state.db.statements();
    let r = app.gql(Some(&s.token), NESTED, json!({})).await;
    assert!(r.get("errors").is_none(), "{r}");
    let statements = (app.state.db.statements() - before) as usize;
    // the response really holds the rows
    let sectors_json = &r["data"]["sites"]["edges"][0]["node"]["sectors"]["edges"];
    let kws: usize = sectors_json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["node"]["keywords"]["edges"].as_array().unwrap().len())
        .sum();
    assert_eq!(kws, sectors * per_sector);
    let first = &sectors_json[0]["node"]["keywords"]["edges"][0]["node"];
    assert_eq!(first["cluster"]["keywordsCount"], 1);
    assert_eq!(
        first["cluster"]["ideas"]["edges"][1]["node"]["task"]["content"]["images"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    statements
}

#[tokio::test]
async fn statement_count_does_not_grow_with_rows() {
    let small_app = TestApp::spawn().await;
    let small = seed(&small_app, 1, 5).await;
    let large_app = TestApp::spawn().await;
    let large = seed(&large_app, 5, 100).await;
    assert_eq!(
        small, large,
        "5 rows: {small} statements, 500 rows: {large}"
    );
    // bounded by the depth: per level one transaction of a few statements
    assert!(large <= 50, "{large} statements");
}

const PAGE: &str = "query($id: ID!, $after: String) { site(id: $id) { sectors { edges { node {
  keywords(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { keyword cluster { name } } } } } } } } }";

const COUNTED: &str = "query($id: ID!) { site(id: $id) { sectors { edges { node {
  keywords(first: 50) { totalCount edges { node { keyword } } } } } } } }";

/// Statements sent while answering one request.
async fn counted(
    app: &TestApp,
    token: &str,
    query: &str,
    vars: serde_json::Value,
) -> (serde_json::Value, u64) {
    let before = app.state.db.statements();
    let r = app.gql(Some(token), query, vars).await;
    (r, app.state.db.statements() - before)
}

/// A query over HTTP reads in one transaction (one BEGIN, one `set_config`,
/// one COMMIT for the actor and every resolver and loader), and a nested
/// page nobody asks the `totalCount` of is not counted, while `hasNextPage`
/// stays exact.
#[tokio::test]
async fn a_query_reads_in_one_transaction_and_counts_only_when_asked() {
    let app = TestApp::spawn().await;
    let s = app.signup("one-tx@nplus1.io", "One tx").await;
    let site = app.create_site(&s, "Site").await;
    for i in 0..2 {
        app.create_sector(&s, &site, &format!("Sector {i}")).await;
    }
    // 60 keywords per sector, in 6 clusters of 10
    app.sql(
        "INSERT INTO clusters (id, account_id, site_id, sector_id, name)
           SELECT gen_random_uuid(), s.account_id, s.site_id, s.id, 'c ' || s.name || ' ' || g
           FROM sectors s, generate_series(1, 6) g;
         INSERT INTO keywords (id, account_id, site_id, sector_id, keyword, keyword_key, volume, cluster_id, created_at)
           SELECT gen_random_uuid(), c.account_id, c.site_id, c.sector_id, 'kw ' || c.name || ' ' || g,
                  'kw ' || c.name || ' ' || g, 10, c.id, now() + g * interval '1 ms'
           FROM clusters c, generate_series(1, 10) g;",
    )
    .await;

    let (r, n) = counted(&app, &s.token, PAGE, json!({"id": site})).await;
    assert!(r.get("errors").is_none(), "{r}");
    // BEGIN, set_config, actor, site, sectors, the keyword page, its clusters, COMMIT
    assert_eq!(n, 8, "statements for the first page");
    let sectors = r["data"]["site"]["sectors"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(sectors.len(), 2);
    for sec in &sectors {
        let k = &sec["node"]["keywords"];
        assert_eq!(k["edges"].as_array().unwrap().len(), 50);
        assert_eq!(k["pageInfo"]["hasNextPage"], true, "{k}");
        assert!(k["edges"][0]["node"]["cluster"]["name"].is_string());
    }
    // the second page: 10 rows, and no further page
    let cursor = sectors[0]["node"]["keywords"]["pageInfo"]["endCursor"].clone();
    let (r, _) = counted(&app, &s.token, PAGE, json!({"id": site, "after": cursor})).await;
    assert!(r.get("errors").is_none(), "{r}");
    for sec in r["data"]["site"]["sectors"]["edges"].as_array().unwrap() {
        let k = &sec["node"]["keywords"];
        assert_eq!(k["edges"].as_array().unwrap().len(), 10, "{k}");
        assert_eq!(k["pageInfo"]["hasNextPage"], false, "{k}");
    }

    // asking for the total adds exactly the count
    let (r, n) = counted(&app, &s.token, COUNTED, json!({"id": site})).await;
    assert!(r.get("errors").is_none(), "{r}");
    assert_eq!(
        n, 8,
        "BEGIN, set_config, actor, site, sectors, count, page, COMMIT"
    );
    for sec in r["data"]["site"]["sectors"]["edges"].as_array().unwrap() {
        assert_eq!(sec["node"]["keywords"]["totalCount"], 60);
    }

    // a resolver that fails (another account's site) ends the shared
    // transaction; the request's other reads still answer, and the tenant
    // wall holds for them
    let other = app.signup("other-tx@nplus1.io", "Other").await;
    let theirs = app.create_site(&other, "Theirs").await;
    let r = app
        .gql(
            Some(&s.token),
            "query($a: ID!, $b: ID!) { a: site(id: $a) { name } b: site(id: $b) { name sectors { edges { node { name } } } } }",
            json!({"a": theirs, "b": site}),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
    assert_eq!(r["errors"][0]["path"][0], "a", "{r}");
    assert_eq!(r["data"]["b"]["name"], "Site", "{r}");
    assert_eq!(
        r["data"]["b"]["sectors"]["edges"].as_array().unwrap().len(),
        2
    );

    // a query after a mutation (which commits its own transaction) sees
    // the mutation's write
    let r = app.create_sector(&s, &site, "Sector 2").await;
    assert!(r.get("errors").is_none(), "{r}");
    let (r, _) = counted(&app, &s.token, COUNTED, json!({"id": site})).await;
    assert_eq!(
        r["data"]["site"]["sectors"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

/// Reads run in READ ONLY transactions: a write through a `ReadTx`, shared
/// (an HTTP query's) or its own, fails in PostgreSQL and changes nothing,
/// while the shared transaction's later reads still answer.
#[tokio::test]
async fn a_read_transaction_refuses_writes() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::spawn().await;
    let s = app.signup("read-only@nplus1.io", "Read only").await;
    app.create_site(&s, "Site").await;
    let account: uuid::Uuid = s.account_id.parse().unwrap();
    let rename = "UPDATE sites SET name = 'renamed'";
    for reads in [app.state.db.shared_reads(), app.state.db.reads()] {
        let mut tx = reads.begin_tenant(account).await.unwrap();
        let write = diesel::sql_query(rename).execute(&mut *tx).await;
        let e = write.expect_err("a write in a read transaction");
        assert!(e.to_string().contains("read-only transaction"), "{e}");
        drop(tx);
        // the failed transaction ended; the next read opens a fresh one
        let mut tx = reads.begin_tenant(account).await.unwrap();
        let n = diesel::sql_query("SELECT 1")
            .execute(&mut *tx)
            .await
            .unwrap();
        assert_eq!(n, 1);
        tx.done().await.unwrap();
        reads.finish().await.unwrap();
    }
    assert_eq!(app.count("sites WHERE name = 'renamed'").await, 0);
    // a write transaction of the same pool still writes
    let mut tx = app.state.db.begin_tenant(account).await.unwrap();
    let n = diesel::sql_query(rename).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 1);
}
