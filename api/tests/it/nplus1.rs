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
