#[test]
fn schema_graphql_equals_the_exported_sdl() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    let exported = igny8_api::graphql::sdl();
    assert!(
        on_disk == exported,
        "schema.graphql is stale: run `cargo run --bin igny8 -- export-schema > schema.graphql`"
    );
}
