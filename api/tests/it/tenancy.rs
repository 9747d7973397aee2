use crate::harness::{TestApp, code, field};
use serde_json::json;

#[tokio::test]
async fn another_accounts_ids_are_not_found_everywhere_and_nothing_changes() {
    let app = TestApp::spawn().await;
    assert_sites_sectors_and_users_keep_tenants_apart(&app).await;
}

/// B's calls with A's site, sector and user ids answer NOT_FOUND and change
/// nothing. Also run with row-level security off (`rls.rs`).
pub async fn assert_sites_sectors_and_users_keep_tenants_apart(app: &TestApp) {
    let a = app.signup("a@tenant.io", "Tenant A").await;
    let b = app.signup("b@tenant.io", "Tenant B").await;
    let site = app.create_site(&a, "A's site").await;
    let sector = app.create_sector(&a, &site, "A's sector").await["data"]["createSector"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let cases = [
        (
            "query($id: ID!) { site(id: $id) { id } }",
            json!({"id": site}),
        ),
        (
            "query($id: ID!) { sector(id: $id) { id } }",
            json!({"id": sector}),
        ),
        (
            "mutation($id: ID!) { updateSite(input: {id: $id, name: \"hijacked\"}) { id } }",
            json!({"id": site}),
        ),
        (
            "mutation($id: ID!) { deleteSite(input: {id: $id}) }",
            json!({"id": site}),
        ),
        (
            "mutation($id: ID!) { createSector(input: {siteId: $id, name: \"intruder\"}) { id } }",
            json!({"id": site}),
        ),
        (
            "mutation($id: ID!) { updateSector(input: {id: $id, name: \"hijacked\"}) { id } }",
            json!({"id": sector}),
        ),
        (
            "mutation($id: ID!) { deleteSector(input: {id: $id}) }",
            json!({"id": sector}),
        ),
        (
            "mutation($id: ID!, $u: ID!) { grantSiteAccess(input: {userId: $u, siteId: $id}) { id } }",
            json!({"id": site, "u": b.user_id}),
        ),
        (
            "mutation($u: ID!) { updateUserRole(input: {userId: $u, role: VIEWER}) { id } }",
            json!({"u": a.user_id}),
        ),
        (
            "mutation($u: ID!) { removeUser(input: {userId: $u}) }",
            json!({"u": a.user_id}),
        ),
        (
            "query($u: ID!) { user(id: $u) { id } }",
            json!({"u": a.user_id}),
        ),
    ];
    for (q, vars) in cases {
        let r = app.gql(Some(&b.token), q, vars).await;
        assert_eq!(code(&r), "NOT_FOUND", "{q}: {r}");
    }
    // B's lists show none of A's rows
    let r = app
        .gql(
            Some(&b.token),
            "{ sites { totalCount } sectors { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["sites"]["totalCount"], 0);
    assert_eq!(r["data"]["sectors"]["totalCount"], 0);
    // and nothing of A's changed
    assert_eq!(app.count("sites WHERE name = 'A''s site'").await, 1);
    assert_eq!(app.count("sectors WHERE name = 'A''s sector'").await, 1);
    assert_eq!(app.count("sectors").await, 1);
    assert_eq!(app.count("users WHERE role = 'owner'").await, 2);
    assert_eq!(app.count("site_user_access").await, 0);
}

#[tokio::test]
async fn a_site_holds_five_active_sectors_and_refuses_the_sixth() {
    let app = TestApp::spawn().await;
    let s = app.signup("limit@example.com", "Limits").await;
    let site = app.create_site(&s, "Site").await;
    for i in 1..=5 {
        let r = app.create_sector(&s, &site, &format!("Sector {i}")).await;
        assert!(r["data"]["createSector"]["id"].is_string(), "{r}");
    }
    let r = app.create_sector(&s, &site, "Sector 6").await;
    assert_eq!(code(&r), "LIMIT_EXCEEDED", "{r}");
    assert_eq!(app.count("sectors").await, 5);

    // an inactive sector may be added, but not activated while five are active
    let r = app
        .gql(
            Some(&s.token),
            "mutation($s: ID!) { createSector(input: {siteId: $s, name: \"Parked\", isActive: false}) { id isActive } }",
            json!({"s": site}),
        )
        .await;
    let parked = r["data"]["createSector"]["id"]
        .as_str()
        .expect("inactive sector allowed")
        .to_owned();
    let activate = "mutation($id: ID!) { updateSector(input: {id: $id, isActive: true}) { id } }";
    assert_eq!(
        code(
            &app.gql(Some(&s.token), activate, json!({"id": parked}))
                .await
        ),
        "LIMIT_EXCEEDED"
    );
    assert_eq!(app.count("sectors WHERE is_active").await, 5);
    // deactivating one frees a slot
    let first = app
        .gql(
            Some(&s.token),
            "query($s: ID!) { site(id: $s) { sectors(first: 1) { edges { node { id } } } } }",
            json!({"s": site}),
        )
        .await;
    let first = first["data"]["site"]["sectors"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.gql(
        Some(&s.token),
        "mutation($id: ID!) { updateSector(input: {id: $id, isActive: false}) { id } }",
        json!({"id": first}),
    )
    .await;
    assert!(
        app.gql(Some(&s.token), activate, json!({"id": parked}))
            .await["data"]["updateSector"]
            .is_object()
    );
}

#[tokio::test]
async fn concurrent_requests_cannot_both_create_the_sixth_sector() {
    let app = TestApp::spawn().await;
    let s = app.signup("race@example.com", "Race").await;
    let site = app.create_site(&s, "Site").await;
    for i in 1..=3 {
        app.create_sector(&s, &site, &format!("Existing {i}")).await;
    }
    // 8 requests race for the last 2 slots
    let names: Vec<String> = (0..8).map(|i| format!("Racer {i}")).collect();
    let results =
        futures::future::join_all(names.iter().map(|n| app.create_sector(&s, &site, n))).await;
    let ok = results
        .iter()
        .filter(|r| r["data"]["createSector"].is_object())
        .count();
    let refused = results
        .iter()
        .filter(|r| r["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED")
        .count();
    assert_eq!((ok, refused), (2, 6), "{results:?}");
    assert_eq!(app.count("sectors WHERE is_active").await, 5);
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let s = app.signup("input@example.com", "Input").await;
    let site = app.create_site(&s, "Site").await;
    let cases = [
        (
            "mutation { createSite(input: {name: \"   \"}) { id } }",
            json!({}),
            "name",
        ),
        (
            "mutation { createSite(input: {name: \"ok\", domain: \"not a domain\"}) { id } }",
            json!({}),
            "domain",
        ),
        (
            "mutation { createSite(input: {name: \"ok\", slug: \"Not A Slug\"}) { id } }",
            json!({}),
            "slug",
        ),
        (
            "mutation { createSite(input: {name: \"ok\", industryId: \"nope\"}) { id } }",
            json!({}),
            "industryId",
        ),
        (
            "mutation { createSite(input: {name: \"ok\", industryId: \"01a20137-e6e5-711c-b008-fe3d195dbab9\"}) { id } }",
            json!({}),
            "industryId",
        ),
        (
            "mutation($s: ID!) { createSector(input: {siteId: $s, name: \"\"}) { id } }",
            json!({"s": site}),
            "name",
        ),
        // dangling references the database refuses, named by the error boundary
        (
            "mutation($s: ID!) { createSector(input: {siteId: $s, name: \"x\", industrySectorId: \"01a20137-e6e5-711c-b008-fe3d195dbab9\"}) { id } }",
            json!({"s": site}),
            "industrySectorId",
        ),
        (
            "mutation($s: ID!) { updateSite(input: {id: $s, industryId: \"01a20137-e6e5-711c-b008-fe3d195dbab9\"}) { id } }",
            json!({"s": site}),
            "industryId",
        ),
        (
            "mutation { createSector(input: {siteId: \"123\", name: \"x\"}) { id } }",
            json!({}),
            "siteId",
        ),
        ("query { site(id: \"zzz\") { id } }", json!({}), "id"),
        (
            "query { sites(first: -1) { totalCount } }",
            json!({}),
            "first",
        ),
        (
            "query { sites(first: 10000) { totalCount } }",
            json!({}),
            "first",
        ),
        (
            "query { sites(after: \"bogus\") { totalCount } }",
            json!({}),
            "after",
        ),
        (
            "query { sectors(filter: {siteId: \"x\"}) { totalCount } }",
            json!({}),
            "filter.siteId",
        ),
    ];
    for (q, vars, f) in cases {
        let r = app.gql(Some(&s.token), q, vars).await;
        assert_eq!(code(&r), "BAD_USER_INPUT", "{q}: {r}");
        assert_eq!(field(&r), f, "{q}: {r}");
    }
    let long = "x".repeat(201);
    let r = app
        .gql(
            Some(&s.token),
            "mutation($n: String!) { createSite(input: {name: $n}) { id } }",
            json!({"n": long}),
        )
        .await;
    assert_eq!(field(&r), "name");
    assert_eq!(app.count("sites").await, 1);
    assert_eq!(app.count("sectors").await, 0);
}

#[tokio::test]
async fn slugs_are_unique_per_account_and_per_site() {
    let app = TestApp::spawn().await;
    let a = app.signup("slug-a@example.com", "A").await;
    let b = app.signup("slug-b@example.com", "B").await;
    app.create_site(&a, "Blog").await;
    let r = app
        .gql(
            Some(&a.token),
            "mutation { createSite(input: {name: \"Blog!\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&r), "CONFLICT");
    assert_eq!(field(&r), "slug");
    // another account may use the same slug
    app.create_site(&b, "Blog").await;
    assert_eq!(app.count("sites WHERE slug = 'blog'").await, 2);
}

#[tokio::test]
async fn sites_page_forward_backward_and_by_offset() {
    let app = TestApp::spawn().await;
    let s = app.signup("pages@example.com", "Pages").await;
    for i in 0..7 {
        app.create_site(&s, &format!("Site {i}")).await;
    }
    let q = "query($f: Int, $a: String, $l: Int, $b: String, $o: Int) {
        sites(first: $f, after: $a, last: $l, before: $b, offset: $o) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { name } } } }";
    let names = |r: &serde_json::Value| -> Vec<String> {
        r["data"]["sites"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let p1 = app.gql(Some(&s.token), q, json!({"f": 3})).await;
    assert_eq!(names(&p1), ["Site 0", "Site 1", "Site 2"]);
    assert_eq!(p1["data"]["sites"]["totalCount"], 7);
    assert_eq!(p1["data"]["sites"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(p1["data"]["sites"]["pageInfo"]["hasPreviousPage"], false);
    let end = p1["data"]["sites"]["pageInfo"]["endCursor"].clone();
    let p2 = app.gql(Some(&s.token), q, json!({"f": 3, "a": end})).await;
    assert_eq!(names(&p2), ["Site 3", "Site 4", "Site 5"]);
    let end = p2["data"]["sites"]["pageInfo"]["endCursor"].clone();
    let p3 = app.gql(Some(&s.token), q, json!({"f": 3, "a": end})).await;
    assert_eq!(names(&p3), ["Site 6"]);
    assert_eq!(p3["data"]["sites"]["pageInfo"]["hasNextPage"], false);
    let end = p3["data"]["sites"]["pageInfo"]["endCursor"].clone();
    let empty = app.gql(Some(&s.token), q, json!({"f": 3, "a": end})).await;
    assert_eq!(names(&empty), Vec::<String>::new());

    let last = app.gql(Some(&s.token), q, json!({"l": 2})).await;
    assert_eq!(names(&last), ["Site 5", "Site 6"]);
    let start = last["data"]["sites"]["pageInfo"]["startCursor"].clone();
    let before = app
        .gql(Some(&s.token), q, json!({"l": 2, "b": start}))
        .await;
    assert_eq!(names(&before), ["Site 3", "Site 4"]);
    assert_eq!(before["data"]["sites"]["pageInfo"]["hasPreviousPage"], true);

    let by_offset = app.gql(Some(&s.token), q, json!({"f": 2, "o": 4})).await;
    assert_eq!(names(&by_offset), ["Site 4", "Site 5"]);
    let past = app.gql(Some(&s.token), q, json!({"f": 2, "o": 40})).await;
    assert_eq!(names(&past), Vec::<String>::new());
    assert_eq!(past["data"]["sites"]["totalCount"], 7);
}

#[tokio::test]
async fn nested_sites_sectors_resolve_through_loaders_and_updates_apply() {
    let app = TestApp::spawn().await;
    let s = app.signup("nested@example.com", "Nested").await;
    let industry = app
        .gql(
            Some(&s.token),
            "{ industries { id name sectors { id name industry { name } } } }",
            json!({}),
        )
        .await;
    let industries = industry["data"]["industries"].as_array().unwrap();
    assert!(industries.len() >= 8, "{industry}");
    assert!(
        industries
            .iter()
            .all(|i| i["sectors"].as_array().unwrap().len() >= 3)
    );
    let tech = industries
        .iter()
        .find(|i| i["name"] == "Technology")
        .unwrap();
    let ind_sector = tech["sectors"][0]["id"].clone();
    assert_eq!(tech["sectors"][0]["industry"]["name"], "Technology");

    let r = app
        .gql(Some(&s.token), "mutation($i: ID!) { createSite(input: {name: \"Tech\", domain: \"tech.example\", industryId: $i}) { id industry { name } } }", json!({"i": tech["id"]}))
        .await;
    let site = r["data"]["createSite"]["id"].as_str().unwrap().to_owned();
    assert_eq!(r["data"]["createSite"]["industry"]["name"], "Technology");
    let r = app
        .gql(Some(&s.token), "mutation($s: ID!, $i: ID!) { createSector(input: {siteId: $s, name: \"Cloud\", industrySectorId: $i}) { id industrySector { id } site { name } } }", json!({"s": site, "i": ind_sector}))
        .await;
    assert_eq!(
        r["data"]["createSector"]["industrySector"]["id"],
        ind_sector
    );
    assert_eq!(r["data"]["createSector"]["site"]["name"], "Tech");

    let r = app
        .gql(Some(&s.token), "mutation($s: ID!) { updateSite(input: {id: $s, name: \"Tech 2\", domain: null, isActive: false}) { name domain isActive slug } }", json!({"s": site}))
        .await;
    assert_eq!(
        r["data"]["updateSite"],
        json!({"name": "Tech 2", "domain": null, "isActive": false, "slug": "tech"})
    );
    let r = app.gql(Some(&s.token), "{ sites(filter: {isActive: false}) { totalCount } a: sites(filter: {search: \"TECH\"}) { totalCount } b: sites(filter: {search: \"%\"}) { totalCount } }", json!({})).await;
    assert_eq!(r["data"]["sites"]["totalCount"], 1);
    assert_eq!(r["data"]["a"]["totalCount"], 1);
    assert_eq!(
        r["data"]["b"]["totalCount"], 0,
        "search is literal, not a LIKE pattern"
    );

    let r = app
        .gql(
            Some(&s.token),
            "mutation($s: ID!) { deleteSite(input: {id: $s}) }",
            json!({"s": site}),
        )
        .await;
    assert_eq!(r["data"]["deleteSite"], site);
    assert_eq!(app.count("sectors").await, 0, "sectors go with their site");
    assert_eq!(
        code(
            &app.gql(
                Some(&s.token),
                "query($s: ID!) { site(id: $s) { id } }",
                json!({"s": site})
            )
            .await
        ),
        "NOT_FOUND"
    );
}
