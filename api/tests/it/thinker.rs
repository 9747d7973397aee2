//! The Thinker (JOB-8): prompt templates, author profiles and strategies
//! over GraphQL — validation, roles and tenant isolation.

use crate::harness::{TestApp, code, field};
use crate::roles::{add_user, login_token};
use serde_json::json;

const PROMPT: &str = "query($f: AiFunction!) { prompt(function: $f) { function template isCustom defaultTemplate placeholders updatedAt } }";
const SAVE: &str = "mutation($i: SavePromptInput!) { savePrompt(input: $i) { function template isCustom updatedAt } }";

#[tokio::test]
async fn prompts_default_override_and_reset() {
    let app = TestApp::spawn().await;
    let w = app.workspace("prompts@thinker.io").await;
    let t = &w.s.token;

    let all = app
        .data(
            t,
            "{ prompts { function isCustom template } }",
            json!({}),
            "prompts",
        )
        .await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 5, "one per AI function");
    assert!(all.iter().all(|p| p["isCustom"] == false));

    let p = app
        .data(t, PROMPT, json!({"f": "GENERATE_CONTENT"}), "prompt")
        .await;
    assert_eq!(p["template"], p["defaultTemplate"]);
    assert!(p["template"].as_str().unwrap().contains("{{ task.title }}"));
    assert!(
        p["placeholders"]
            .as_array()
            .unwrap()
            .contains(&json!("author"))
    );
    assert!(p["updatedAt"].is_null());

    // a template that does not parse is refused, with its line, and not stored
    let r = app
        .gql(
            Some(t),
            SAVE,
            json!({"i": {"function": "GENERATE_CONTENT", "template": "Write {{ task.title }}\n{% if author %}unclosed"}}),
        )
        .await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(field(&r), "template");
    assert!(
        r["errors"][0]["message"].as_str().unwrap().contains("line"),
        "{r}"
    );
    let r = app
        .gql(
            Some(t),
            SAVE,
            json!({"i": {"function": "GENERATE_CONTENT", "template": "   "}}),
        )
        .await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(app.count("prompt_overrides").await, 0);

    let saved = app
        .data(
            t,
            SAVE,
            json!({"i": {"function": "GENERATE_CONTENT", "template": "Write {{ task.title }} for {{ site.name }}."}}),
            "savePrompt",
        )
        .await;
    assert_eq!(saved["isCustom"], true);
    assert!(saved["updatedAt"].is_string());
    // saving again replaces, it does not add a second override
    app.data(
        t,
        SAVE,
        json!({"i": {"function": "GENERATE_CONTENT", "template": "Second {{ task.title }}"}}),
        "savePrompt",
    )
    .await;
    assert_eq!(app.count("prompt_overrides").await, 1);
    let p = app
        .data(t, PROMPT, json!({"f": "GENERATE_CONTENT"}), "prompt")
        .await;
    assert_eq!(p["template"], "Second {{ task.title }}");
    assert_ne!(p["template"], p["defaultTemplate"]);

    let reset = app
        .data(
            t,
            "mutation { resetPrompt(input: {function: GENERATE_CONTENT}) { isCustom template defaultTemplate } }",
            json!({}),
            "resetPrompt",
        )
        .await;
    assert_eq!(reset["isCustom"], false);
    assert_eq!(reset["template"], reset["defaultTemplate"]);
    assert_eq!(app.count("prompt_overrides").await, 0);

    // another account never sees the override
    app.data(
        t,
        SAVE,
        json!({"i": {"function": "AUTO_CLUSTER", "template": "Mine {{ keywords | tojson }}"}}),
        "savePrompt",
    )
    .await;
    let other = app.workspace("other@thinker.io").await;
    let p = app
        .data(
            &other.s.token,
            PROMPT,
            json!({"f": "AUTO_CLUSTER"}),
            "prompt",
        )
        .await;
    assert_eq!(p["isCustom"], false, "{p}");
}

const CREATE_AUTHOR: &str = "mutation($i: CreateAuthorProfileInput!) { createAuthorProfile(input: $i) { id name description tone language } }";

#[tokio::test]
async fn author_profiles_crud_validation_and_isolation() {
    let app = TestApp::spawn().await;
    let a = app.workspace("authors@thinker.io").await;
    let b = app.workspace("authors-b@thinker.io").await;
    let t = &a.s.token;

    let p = app
        .data(
            t,
            CREATE_AUTHOR,
            json!({"i": {"name": "  Ana  ", "tone": "friendly", "language": "es"}}),
            "createAuthorProfile",
        )
        .await;
    assert_eq!(p["name"], "Ana");
    assert_eq!(p["tone"], "friendly");
    let id = p["id"].as_str().unwrap().to_owned();
    let d = app
        .data(
            t,
            CREATE_AUTHOR,
            json!({"i": {"name": "Default voice"}}),
            "createAuthorProfile",
        )
        .await;
    assert_eq!(
        (d["tone"].as_str(), d["language"].as_str()),
        (Some("professional"), Some("en"))
    );

    // bad input names its field and writes nothing
    for (input, f) in [
        (json!({"name": " "}), "name"),
        (json!({"name": "X", "tone": ""}), "tone"),
        (json!({"name": "X", "language": "a\nb"}), "language"),
        (
            json!({"name": "X", "description": "d".repeat(2001)}),
            "description",
        ),
    ] {
        let r = app.gql(Some(t), CREATE_AUTHOR, json!({"i": input})).await;
        assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
        assert_eq!(field(&r), f, "{r}");
    }
    let r = app
        .gql(Some(t), CREATE_AUTHOR, json!({"i": {"name": "Ana"}}))
        .await;
    assert_eq!(code(&r), "CONFLICT", "{r}");
    assert_eq!(app.count("author_profiles").await, 2);

    let u = app
        .data(
            t,
            "mutation($i: UpdateAuthorProfileInput!) { updateAuthorProfile(input: $i) { name tone language description } }",
            json!({"i": {"id": id, "tone": "authoritative", "description": "Bakes bread."}}),
            "updateAuthorProfile",
        )
        .await;
    assert_eq!(u["tone"], "authoritative");
    assert_eq!(u["language"], "es", "untouched fields stay");
    assert_eq!(u["description"], "Bakes bread.");

    let list = app
        .data(
            t,
            "{ authorProfiles(first: 10) { totalCount edges { node { name } } } }",
            json!({}),
            "authorProfiles",
        )
        .await;
    assert_eq!(list["totalCount"], 2);

    // another account: the id is missing everywhere, its list is its own
    let bt = &b.s.token;
    let list = app
        .data(
            bt,
            "{ authorProfiles { totalCount } }",
            json!({}),
            "authorProfiles",
        )
        .await;
    assert_eq!(list["totalCount"], 0);
    for (q, v) in [
        (
            "query($id: ID!) { authorProfile(id: $id) { id } }",
            json!({"id": id}),
        ),
        (
            "mutation($id: ID!) { updateAuthorProfile(input: {id: $id, name: \"Stolen\"}) { id } }",
            json!({"id": id}),
        ),
        (
            "mutation($id: ID!) { deleteAuthorProfile(input: {id: $id}) }",
            json!({"id": id}),
        ),
    ] {
        let r = app.gql(Some(bt), q, v).await;
        assert_eq!(code(&r), "NOT_FOUND", "{q}: {r}");
    }
    // nor can it pick the profile for its own jobs: refused before anything is queued
    let task = app
        .data(
            bt,
            "mutation($s: ID!) { createTask(input: {sectorId: $s, title: \"B's task\"}) { id } }",
            json!({"s": b.sector}),
            "createTask",
        )
        .await;
    let r = app
        .gql(
            Some(bt),
            "mutation($t: [ID!]!, $a: ID) { generateContent(input: {taskIds: $t, authorProfileId: $a}) { id } }",
            json!({"t": [task["id"]], "a": id}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    assert_eq!(app.count("ai_jobs").await, 0);
    let p = app
        .data(
            t,
            "query($id: ID!) { authorProfile(id: $id) { name } }",
            json!({"id": id}),
            "authorProfile",
        )
        .await;
    assert_eq!(p["name"], "Ana", "B changed nothing");

    let gone = app
        .data(
            t,
            "mutation($id: ID!) { deleteAuthorProfile(input: {id: $id}) }",
            json!({"id": id}),
            "deleteAuthorProfile",
        )
        .await;
    assert_eq!(gone, id.as_str());
    assert_eq!(app.count("author_profiles").await, 1);
}

const CREATE_STRATEGY: &str = "mutation($i: CreateStrategyInput!) { createStrategy(input: $i) { id name sector { id } promptTypes sectionLogic isActive } }";

#[tokio::test]
async fn strategies_belong_to_a_visible_sector_or_the_whole_account() {
    let app = TestApp::spawn().await;
    let a = app.workspace("strategies@thinker.io").await;
    let b = app.workspace("strategies-b@thinker.io").await;
    let t = &a.s.token;

    let s = app
        .data(
            t,
            CREATE_STRATEGY,
            json!({"i": {"name": "Pillars", "sectorId": a.sector, "promptTypes": ["GENERATE_CONTENT", "GENERATE_IDEAS", "GENERATE_CONTENT"], "sectionLogic": "End with an FAQ"}}),
            "createStrategy",
        )
        .await;
    assert_eq!(s["sector"]["id"], a.sector.as_str());
    assert_eq!(
        s["promptTypes"],
        json!(["GENERATE_CONTENT", "GENERATE_IDEAS"])
    );
    assert_eq!(s["isActive"], true);
    let id = s["id"].as_str().unwrap().to_owned();

    let whole = app
        .data(
            t,
            CREATE_STRATEGY,
            json!({"i": {"name": "House style"}}),
            "createStrategy",
        )
        .await;
    assert!(whole["sector"].is_null());
    assert_eq!(whole["promptTypes"], json!([]));

    // another account's sector is a missing sector
    let r = app
        .gql(
            Some(t),
            CREATE_STRATEGY,
            json!({"i": {"name": "Theirs", "sectorId": b.sector}}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    let r = app
        .gql(
            Some(t),
            CREATE_STRATEGY,
            json!({"i": {"name": "Long", "sectionLogic": "x".repeat(4001)}}),
        )
        .await;
    assert_eq!(field(&r), "sectionLogic", "{r}");
    assert_eq!(app.count("strategies").await, 2);

    let f = app
        .data(
            t,
            "query($s: ID!) { strategies(filter: {sectorId: $s, isActive: true}) { totalCount edges { node { name } } } }",
            json!({"s": a.sector}),
            "strategies",
        )
        .await;
    assert_eq!(f["totalCount"], 1);

    let u = app
        .data(
            t,
            "mutation($i: UpdateStrategyInput!) { updateStrategy(input: $i) { sector { id } isActive name } }",
            json!({"i": {"id": id, "sectorId": null, "isActive": false}}),
            "updateStrategy",
        )
        .await;
    assert!(u["sector"].is_null(), "{u}");
    assert_eq!(u["isActive"], false);
    assert_eq!(u["name"], "Pillars");

    let bt = &b.s.token;
    let r = app
        .gql(
            Some(bt),
            "query($id: ID!) { strategy(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    let r = app
        .gql(
            Some(bt),
            "mutation($id: ID!) { deleteStrategy(input: {id: $id}) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    assert_eq!(
        app.data(bt, "{ strategies { totalCount } }", json!({}), "strategies")
            .await["totalCount"],
        0
    );
    app.data(
        t,
        "mutation($id: ID!) { deleteStrategy(input: {id: $id}) }",
        json!({"id": id}),
        "deleteStrategy",
    )
    .await;
    assert_eq!(app.count("strategies").await, 1);
}

#[tokio::test]
async fn members_read_the_thinker_but_only_owners_and_admins_change_it() {
    let app = TestApp::spawn().await;
    let w = app.workspace("roles@thinker.io").await;
    let r = add_user(&app, &w.s, "ed@thinker.io", "EDITOR", &[&w.site]).await;
    assert!(r["errors"].is_null(), "{r}");
    let r = add_user(&app, &w.s, "admin@thinker.io", "ADMIN", &[]).await;
    assert!(r["errors"].is_null(), "{r}");
    let ed = login_token(&app, "ed@thinker.io").await;
    let admin = login_token(&app, "admin@thinker.io").await;

    let p = app
        .data(
            &admin,
            CREATE_AUTHOR,
            json!({"i": {"name": "By admin"}}),
            "createAuthorProfile",
        )
        .await;
    // an editor reads (to pick a profile) but changes nothing
    let list = app
        .data(
            &ed,
            "{ authorProfiles { totalCount } prompts { function } strategies { totalCount } }",
            json!({}),
            "authorProfiles",
        )
        .await;
    assert_eq!(list["totalCount"], 1);
    for (q, v) in [
        (CREATE_AUTHOR, json!({"i": {"name": "By editor"}})),
        (
            "mutation($id: ID!) { deleteAuthorProfile(input: {id: $id}) }",
            json!({"id": p["id"]}),
        ),
        (
            SAVE,
            json!({"i": {"function": "AUTO_CLUSTER", "template": "x {{ keywords }}"}}),
        ),
        (
            "mutation { resetPrompt(input: {function: AUTO_CLUSTER}) { isCustom } }",
            json!({}),
        ),
        (CREATE_STRATEGY, json!({"i": {"name": "By editor"}})),
    ] {
        let r = app.gql(Some(&ed), q, v).await;
        assert_eq!(code(&r), "FORBIDDEN", "{q}: {r}");
    }
    assert_eq!(app.count("author_profiles").await, 1);
    assert_eq!(app.count("strategies").await, 0);
}
