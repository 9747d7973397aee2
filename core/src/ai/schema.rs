//! JSON schemas for the planner and outline types that AI output contains.
//! They live here rather than beside the types so the stored types stay
//! free of AI concerns; each delegates to a private mirror that a test
//! keeps in step with serde.

use crate::outline::{Outline, OutlineSection};
use crate::planner::{ContentStructure, ContentType, KeywordIntent};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

/// Implements `JsonSchema` for a stored enum as a plain string enum of its
/// stored values (`ALL` / `as_str`), which is exactly what serde writes.
macro_rules! string_enum_schema {
    ($($ty:ty => $name:literal),+ $(,)?) => {$(
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let values: Vec<&str> = <$ty>::ALL.iter().map(|v| v.as_str()).collect();
                schemars::json_schema!({ "type": "string", "enum": values })
            }
        }
    )+};
}

string_enum_schema! {
    KeywordIntent => "KeywordIntent",
    ContentType => "ContentType",
    ContentStructure => "ContentStructure",
}

/// Mirror of [`OutlineSection`]. Every field is required here (serde's
/// defaults only help hand-written input) so strict structured output works.
#[derive(JsonSchema)]
#[schemars(rename = "OutlineSection")]
#[allow(dead_code)]
struct OutlineSectionSchema {
    heading: String,
    /// 2 (h2) or 3 (h3).
    #[schemars(range(min = 2, max = 3))]
    level: u8,
    notes: String,
    target_keywords: Vec<String>,
}

#[derive(JsonSchema)]
#[schemars(rename = "Outline")]
#[allow(dead_code)]
struct OutlineSchema {
    sections: Vec<OutlineSection>,
}

impl JsonSchema for OutlineSection {
    fn schema_name() -> Cow<'static, str> {
        OutlineSectionSchema::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        OutlineSectionSchema::json_schema(generator)
    }
}

impl JsonSchema for Outline {
    fn schema_name() -> Cow<'static, str> {
        OutlineSchema::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        OutlineSchema::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn schema_of<T: JsonSchema>() -> Value {
        serde_json::to_value(schemars::schema_for!(T)).unwrap()
    }

    #[test]
    fn enum_schemas_list_the_serde_values() {
        let s = schema_of::<ContentStructure>();
        assert_eq!(s["type"], "string");
        let values: Vec<Value> = ContentStructure::ALL
            .iter()
            .map(|v| serde_json::to_value(v).unwrap())
            .collect();
        assert_eq!(s["enum"], Value::Array(values));
        assert!(s["enum"].as_array().unwrap().contains(&json!("how_to")));
    }

    /// Every stored AI output has a plain schema: objects with every field
    /// required, enums as string lists, nothing untagged.
    #[test]
    fn output_schemas_are_plain() {
        use crate::ai::{
            article::ArticleOut, cluster::ClusterOutput, ideas::IdeasOutput,
            prompts::ImagePromptsOutput,
        };
        for schema in [
            schema_of::<ClusterOutput>(),
            schema_of::<IdeasOutput>(),
            schema_of::<ArticleOut>(),
            schema_of::<ImagePromptsOutput>(),
        ] {
            let text = schema.to_string();
            for banned in ["anyOf", "oneOf", "allOf", "\"null\""] {
                assert!(!text.contains(banned), "{banned} in {text}");
            }
            let mut objects = vec![&schema];
            objects.extend(
                schema["$defs"]
                    .as_object()
                    .into_iter()
                    .flat_map(|d| d.values()),
            );
            for object in objects.into_iter().filter(|o| o["type"] == "object") {
                let properties = object["properties"].as_object().unwrap();
                let required = object["required"].as_array().unwrap();
                assert_eq!(properties.len(), required.len(), "{object}");
            }
        }
        let ideas = schema_of::<IdeasOutput>();
        assert_eq!(ideas["$defs"]["ContentStructure"]["type"], "string");
        assert!(ideas["$defs"]["Outline"].is_object());
    }

    #[test]
    fn outline_schema_matches_the_serde_fields() {
        let s = schema_of::<Outline>();
        let section = &s["$defs"]["OutlineSection"];
        let sample = OutlineSection {
            heading: "h".into(),
            level: 2,
            notes: String::new(),
            target_keywords: vec![],
        };
        let fields = serde_json::to_value(&sample).unwrap();
        let mut serde_keys: Vec<&String> = fields.as_object().unwrap().keys().collect();
        let mut schema_keys: Vec<&String> =
            section["properties"].as_object().unwrap().keys().collect();
        serde_keys.sort();
        schema_keys.sort();
        assert_eq!(serde_keys, schema_keys);
        assert_eq!(section["required"].as_array().unwrap().len(), 4);
        assert_eq!(section["properties"]["level"]["minimum"], 2);
    }
}
