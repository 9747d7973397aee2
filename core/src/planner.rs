//! Planner and writer values (PLN-1…8, WRT-1…3): the status and kind enums
//! stored as text in their rows, and the rules for a keyword's value.

use crate::role::UnknownValue;
use crate::validate::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares an enum stored as lower snake_case text, with `ALL`, `as_str`,
/// `Display` and a lenient `FromStr` (trimmed, case-insensitive) so CSV and
/// API input such as ` Informational ` parses. The serde names are the same
/// text as `as_str` (a test checks it).
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
        $(default = $default:ident;)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            pub const ALL: [Self; [$($text),+].len()] = [$(Self::$variant),+];

            /// The text stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let s = s.trim();
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| UnknownValue(s.to_owned()))
            }
        }

        $(
            impl Default for $name {
                fn default() -> Self {
                    Self::$default
                }
            }
        )?
    };
}
pub(crate) use stored_enum;

stored_enum! {
    /// Why a searcher types a keyword (PLN-1).
    pub enum KeywordIntent {
        Informational => "informational",
        Navigational => "navigational",
        Commercial => "commercial",
        Transactional => "transactional",
    }
}

stored_enum! {
    /// PLN-1.
    pub enum KeywordStatus {
        Active => "active",
        Inactive => "inactive",
        Archived => "archived",
    }
    default = Active;
}

stored_enum! {
    /// PLN-6.
    pub enum ClusterStatus {
        Active => "active",
        Inactive => "inactive",
        Archived => "archived",
    }
    default = Active;
}

stored_enum! {
    /// PLN-7. An idea becomes `queued` when it is sent to the writer (PLN-8).
    pub enum IdeaStatus {
        New => "new",
        Queued => "queued",
        Completed => "completed",
        Archived => "archived",
    }
    default = New;
}

stored_enum! {
    /// What kind of page a piece of content becomes (PLN-7, WRT-1).
    pub enum ContentType {
        Post => "post",
        Page => "page",
        Product => "product",
        Service => "service",
    }
    default = Post;
}

stored_enum! {
    /// The shape of a piece of content (PLN-7, WRT-1).
    pub enum ContentStructure {
        Article => "article",
        Guide => "guide",
        Listicle => "listicle",
        HowTo => "how_to",
        Comparison => "comparison",
        Review => "review",
        /// The pillar page of a cluster, linking to its other pieces.
        ClusterHub => "cluster_hub",
    }
    default = Article;
}

stored_enum! {
    /// WRT-1.
    pub enum TaskStatus {
        Draft => "draft",
        InProgress => "in_progress",
        Review => "review",
        Completed => "completed",
        Archived => "archived",
    }
    default = Draft;
}

stored_enum! {
    /// WRT-2.
    pub enum ContentStatus {
        Draft => "draft",
        Review => "review",
        Published => "published",
    }
    default = Draft;
}

stored_enum! {
    /// Where an image goes (WRT-3).
    pub enum ImageType {
        Featured => "featured",
        InArticle => "in_article",
        Desktop => "desktop",
        Mobile => "mobile",
    }
}

stored_enum! {
    /// WRT-3.
    pub enum ImageStatus {
        Pending => "pending",
        Generated => "generated",
        Failed => "failed",
    }
    default = Pending;
}

pub const KEYWORD_MAX_CHARS: usize = 200;
pub const DIFFICULTY_MAX: i32 = 100;
/// Far above any real monthly search volume; it only keeps nonsense out.
pub const VOLUME_MAX: i64 = 1_000_000_000;

/// Trims and turns every run of whitespace (tabs and newlines included) into
/// one space, so pasted and CSV keywords compare equal to typed ones.
fn collapse_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A keyword as displayed (PLN-1): whitespace collapsed, case kept,
/// non-empty, at most 200 characters, no control characters.
pub fn keyword_text(raw: &str) -> Result<String, ValidationError> {
    let text = collapse_whitespace(raw);
    if text.is_empty() {
        return Err(ValidationError::new("keyword", "must not be empty"));
    }
    if text.chars().count() > KEYWORD_MAX_CHARS {
        return Err(ValidationError::new(
            "keyword",
            format!("must be at most {KEYWORD_MAX_CHARS} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(ValidationError::new(
            "keyword",
            "must not contain control characters",
        ));
    }
    Ok(text)
}

/// The uniqueness key of a keyword within a sector (PLN-1: case-insensitive,
/// trimmed): the `keyword_text` normalisation, lower-cased. Stored beside the
/// keyword so the database enforces it.
pub fn keyword_key(text: &str) -> String {
    collapse_whitespace(text).to_lowercase()
}

/// What makes two idea titles the same: letters and digits only,
/// lower-cased, words single-spaced ("How to Brew: Cold-Brew!" ≡ "how to
/// brew cold brew").
pub fn idea_title_key(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What makes two cluster names of a sector the same (trimmed,
/// whitespace-collapsed, lower-cased): the database's unique index
/// `clusters_sector_name_key` compares the same way.
pub fn cluster_name_key(name: &str) -> String {
    collapse_whitespace(name).to_lowercase()
}

/// Keyword difficulty, 0–100.
pub fn difficulty(v: i32) -> Result<i32, ValidationError> {
    if (0..=DIFFICULTY_MAX).contains(&v) {
        Ok(v)
    } else {
        Err(ValidationError::new(
            "difficulty",
            format!("must be between 0 and {DIFFICULTY_MAX}"),
        ))
    }
}

/// Monthly search volume: not negative, at most [`VOLUME_MAX`].
pub fn volume(v: i64) -> Result<i64, ValidationError> {
    if v < 0 {
        Err(ValidationError::new("volume", "must not be negative"))
    } else if v > VOLUME_MAX {
        Err(ValidationError::new(
            "volume",
            format!("must be at most {VOLUME_MAX}"),
        ))
    } else {
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value survives `as_str`/`FromStr` and serde, and serde spells it
    /// exactly as the database does.
    fn round_trips<T>(all: &[T])
    where
        T: Copy + fmt::Debug + PartialEq + FromStr<Err = UnknownValue> + Serialize + fmt::Display,
        T: for<'de> Deserialize<'de>,
    {
        for &v in all {
            let text = v.to_string();
            assert_eq!(text.parse::<T>(), Ok(v));
            assert_eq!(text.to_uppercase().parse::<T>(), Ok(v));
            assert_eq!(format!("  {text}\t").parse::<T>(), Ok(v));
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
        }
        assert_eq!(
            "no such value".parse::<T>(),
            Err(UnknownValue("no such value".into()))
        );
        assert!("".parse::<T>().is_err());
    }

    #[test]
    fn every_enum_round_trips_through_text_and_serde() {
        round_trips(&KeywordIntent::ALL);
        round_trips(&KeywordStatus::ALL);
        round_trips(&ClusterStatus::ALL);
        round_trips(&IdeaStatus::ALL);
        round_trips(&ContentType::ALL);
        round_trips(&ContentStructure::ALL);
        round_trips(&TaskStatus::ALL);
        round_trips(&ContentStatus::ALL);
        round_trips(&ImageType::ALL);
        round_trips(&ImageStatus::ALL);
    }

    #[test]
    fn multi_word_values_are_stored_in_snake_case() {
        assert_eq!(ContentStructure::HowTo.as_str(), "how_to");
        assert_eq!(ContentStructure::ClusterHub.as_str(), "cluster_hub");
        assert_eq!(TaskStatus::InProgress.as_str(), "in_progress");
        assert_eq!(ImageType::InArticle.as_str(), "in_article");
        assert_eq!(" COMMERCIAL ".parse(), Ok(KeywordIntent::Commercial));
        assert_eq!("Informational".parse(), Ok(KeywordIntent::Informational));
        assert_eq!("In_Progress".parse(), Ok(TaskStatus::InProgress));
        assert!("in progress".parse::<TaskStatus>().is_err());
    }

    #[test]
    fn all_lists_every_value_once() {
        assert_eq!(ContentStructure::ALL.len(), 7);
        assert_eq!(TaskStatus::ALL.len(), 5);
        let mut seen = std::collections::HashSet::new();
        assert!(
            ContentStructure::ALL
                .iter()
                .all(|v| seen.insert(v.as_str()))
        );
    }

    #[test]
    fn defaults_are_the_first_state() {
        assert_eq!(KeywordStatus::default(), KeywordStatus::Active);
        assert_eq!(ClusterStatus::default(), ClusterStatus::Active);
        assert_eq!(IdeaStatus::default(), IdeaStatus::New);
        assert_eq!(ContentType::default(), ContentType::Post);
        assert_eq!(ContentStructure::default(), ContentStructure::Article);
        assert_eq!(TaskStatus::default(), TaskStatus::Draft);
        assert_eq!(ContentStatus::default(), ContentStatus::Draft);
        assert_eq!(ImageStatus::default(), ImageStatus::Pending);
    }

    #[test]
    fn keywords_are_trimmed_and_whitespace_collapsed() {
        assert_eq!(
            keyword_text("  Best  Running\tShoes \n").unwrap(),
            "Best Running Shoes"
        );
        assert_eq!(keyword_text("café\u{a0}au lait").unwrap(), "café au lait");
        let e = keyword_text(" \t ").unwrap_err();
        assert_eq!(
            (e.field, e.message.as_str()),
            ("keyword", "must not be empty")
        );
        assert!(keyword_text(&"k".repeat(200)).is_ok());
        assert!(keyword_text(&"é".repeat(201)).is_err());
        // Long only before collapsing is fine.
        assert!(keyword_text(&format!("a{}b", " ".repeat(300))).is_ok());
        assert!(keyword_text("bad\u{0}keyword").is_err());
        assert!(keyword_text("bell\u{7}").is_err());
    }

    #[test]
    fn keyword_keys_ignore_case_and_spacing() {
        assert_eq!(keyword_key("  Best  Running SHOES "), "best running shoes");
        assert_eq!(keyword_key("ÉCOLE"), keyword_key("école"));
        assert_eq!(
            keyword_key(&keyword_text(" Straße ").unwrap()),
            keyword_key("STRAßE")
        );
    }

    #[test]
    fn difficulty_and_volume_have_bounds() {
        assert_eq!(difficulty(0), Ok(0));
        assert_eq!(difficulty(100), Ok(100));
        assert_eq!(difficulty(101).unwrap_err().field, "difficulty");
        assert!(difficulty(-1).is_err());
        assert_eq!(volume(0), Ok(0));
        assert_eq!(volume(VOLUME_MAX), Ok(VOLUME_MAX));
        assert_eq!(volume(-5).unwrap_err().field, "volume");
        assert!(volume(VOLUME_MAX + 1).is_err());
    }
}
