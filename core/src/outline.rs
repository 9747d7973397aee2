//! The outline of an idea (PLN-7), stored as JSON. It comes from users and
//! from the AI, so it is cleaned and bounded before it is stored.

use crate::planner::{keyword_key, keyword_text};
use crate::validate::ValidationError;
use serde::{Deserialize, Serialize};

pub const MAX_SECTIONS: usize = 50;
pub const HEADING_MAX_CHARS: usize = 200;
pub const NOTES_MAX_CHARS: usize = 2000;
pub const MAX_SECTION_KEYWORDS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Outline {
    pub sections: Vec<OutlineSection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineSection {
    pub heading: String,
    /// 2 or 3 (h2/h3). 0 (or absent) in input means 2.
    #[serde(default)]
    pub level: u8,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub target_keywords: Vec<String>,
}

fn bad(section: usize, message: impl std::fmt::Display) -> ValidationError {
    ValidationError::new("outline", format!("section {section}: {message}"))
}

impl Outline {
    /// The cleaned outline: headings trimmed with whitespace collapsed,
    /// levels 2 or 3, notes trimmed, target keywords normalised like
    /// keywords and de-duplicated (case-insensitively, first kept). Errors
    /// name the 1-based section.
    pub fn validate(self) -> Result<Outline, ValidationError> {
        if self.sections.len() > MAX_SECTIONS {
            return Err(ValidationError::new(
                "outline",
                format!("must have at most {MAX_SECTIONS} sections"),
            ));
        }
        let mut sections = Vec::with_capacity(self.sections.len());
        for (i, s) in self.sections.into_iter().enumerate() {
            let n = i + 1;
            let heading = s.heading.split_whitespace().collect::<Vec<_>>().join(" ");
            if heading.is_empty() {
                return Err(bad(n, "heading must not be empty"));
            }
            if heading.chars().count() > HEADING_MAX_CHARS {
                return Err(bad(
                    n,
                    format_args!("heading must be at most {HEADING_MAX_CHARS} characters"),
                ));
            }
            if heading.chars().any(char::is_control) {
                return Err(bad(n, "heading must not contain control characters"));
            }
            let level = match s.level {
                0 | 2 => 2,
                3 => 3,
                _ => return Err(bad(n, "level must be 2 or 3")),
            };
            let notes = s.notes.trim().to_owned();
            if notes.chars().count() > NOTES_MAX_CHARS {
                return Err(bad(
                    n,
                    format_args!("notes must be at most {NOTES_MAX_CHARS} characters"),
                ));
            }
            let mut target_keywords: Vec<String> = Vec::new();
            let mut keys = Vec::new();
            for (j, raw) in s.target_keywords.iter().enumerate() {
                let kw = keyword_text(raw)
                    .map_err(|e| bad(n, format_args!("target keyword {} {}", j + 1, e.message)))?;
                let key = keyword_key(&kw);
                if !keys.contains(&key) {
                    keys.push(key);
                    target_keywords.push(kw);
                }
            }
            if target_keywords.len() > MAX_SECTION_KEYWORDS {
                return Err(bad(
                    n,
                    format_args!("must have at most {MAX_SECTION_KEYWORDS} target keywords"),
                ));
            }
            sections.push(OutlineSection {
                heading,
                level,
                notes,
                target_keywords,
            });
        }
        Ok(Outline { sections })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(heading: &str) -> OutlineSection {
        OutlineSection {
            heading: heading.into(),
            level: 0,
            notes: String::new(),
            target_keywords: vec![],
        }
    }

    fn outline(sections: Vec<OutlineSection>) -> Outline {
        Outline { sections }
    }

    fn err(o: Outline) -> String {
        let e = o.validate().unwrap_err();
        assert_eq!(e.field, "outline");
        e.message
    }

    #[test]
    fn a_good_outline_is_cleaned() {
        let raw = outline(vec![
            OutlineSection {
                heading: "  Why   run? ".into(),
                level: 0,
                notes: "  cover the basics \n".into(),
                target_keywords: vec![" Running  Shoes ".into(), "running shoes".into()],
            },
            OutlineSection {
                heading: "Details".into(),
                level: 3,
                notes: String::new(),
                target_keywords: vec!["trail".into()],
            },
        ]);
        let clean = raw.validate().unwrap();
        assert_eq!(clean.sections[0].heading, "Why run?");
        assert_eq!(clean.sections[0].level, 2);
        assert_eq!(clean.sections[0].notes, "cover the basics");
        assert_eq!(clean.sections[0].target_keywords, vec!["Running Shoes"]);
        assert_eq!(clean.sections[1].level, 3);
        // Cleaning is idempotent.
        assert_eq!(clean.clone().validate().unwrap(), clean);
    }

    #[test]
    fn an_empty_outline_is_valid() {
        assert_eq!(Outline::default().validate().unwrap(), Outline::default());
    }

    #[test]
    fn bounds_are_enforced() {
        assert!(outline(vec![section("h"); 50]).validate().is_ok());
        assert_eq!(
            err(outline(vec![section("h"); 51])),
            "must have at most 50 sections"
        );
        assert_eq!(
            err(outline(vec![section("ok"), section("  ")])),
            "section 2: heading must not be empty"
        );
        assert!(outline(vec![section(&"h".repeat(200))]).validate().is_ok());
        assert_eq!(
            err(outline(vec![section(&"h".repeat(201))])),
            "section 1: heading must be at most 200 characters"
        );
        assert!(err(outline(vec![section("a\u{0}b")])).contains("control"));

        for (level, ok) in [(0, true), (1, false), (2, true), (3, true), (4, false)] {
            let mut s = section("h");
            s.level = level;
            assert_eq!(outline(vec![s]).validate().is_ok(), ok, "level {level}");
        }

        let mut s = section("h");
        s.notes = "n".repeat(2000);
        assert!(outline(vec![s.clone()]).validate().is_ok());
        s.notes.push('n');
        assert_eq!(
            err(outline(vec![s])),
            "section 1: notes must be at most 2000 characters"
        );

        let mut s = section("h");
        s.target_keywords = (0..20).map(|i| format!("kw {i}")).collect();
        assert!(outline(vec![s.clone()]).validate().is_ok());
        s.target_keywords.push("kw 20".into());
        assert_eq!(
            err(outline(vec![s])),
            "section 1: must have at most 20 target keywords"
        );

        let mut s = section("h");
        s.target_keywords = vec!["fine".into(), " ".into()];
        assert_eq!(
            err(outline(vec![s])),
            "section 1: target keyword 2 must not be empty"
        );
    }

    #[test]
    fn json_fields_other_than_heading_are_optional() {
        let o: Outline = serde_json::from_str(
            r#"{"sections":[{"heading":"Intro"},{"heading":"More","level":3}]}"#,
        )
        .unwrap();
        let o = o.validate().unwrap();
        assert_eq!(o.sections[0].level, 2);
        assert!(o.sections[0].target_keywords.is_empty());
        assert_eq!(o.sections[1].level, 3);
        let back: Outline = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
        assert_eq!(back, o);
    }
}
