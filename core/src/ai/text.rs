//! Text helpers shared by the offline AI functions: keyword normalisation,
//! tokens, Snowball stems, stop words and search modifiers, intent guessing,
//! title case, a stable hash for deterministic choices, and the tone and
//! language the generators write in.
//!
//! Everything here is pure: the same input gives the same output on every
//! machine and every run, because the results are stored and compared.

use crate::planner::KeywordIntent;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

/// Lower-cases, drops apostrophes (`men's` → `mens`, so possessives match
/// their plain form), turns every other non-alphanumeric character into a
/// space and collapses spaces. Digits and letters of any script are kept.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else if !matches!(c, '\'' | '\u{2019}' | '\u{2018}') {
            pending_space = true;
        }
    }
    out
}

/// The words of [`normalize`]d text.
pub fn words(raw: &str) -> Vec<String> {
    normalize(raw)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// The Snowball (Porter 2) English stem of a normalised word, so `running`,
/// `run` and `runs` count as one feature.
pub fn stem(word: &str) -> String {
    STEMMER.stem(word).into_owned()
}

/// Function words that say nothing about a keyword's topic. Sorted, so
/// membership is a binary search (a test checks the order).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "get",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Words searchers add to almost any topic ("best", "near me", "vs",
/// "2026", "for beginners"). They carry intent, not topic, so they weigh
/// little in similarity and never start or end a cluster name. Sorted.
const MODIFIERS: &[&str] = &[
    "affordable",
    "alternative",
    "alternatives",
    "beginner",
    "beginners",
    "best",
    "buy",
    "cheap",
    "cheapest",
    "compare",
    "comparison",
    "complete",
    "cost",
    "costs",
    "coupon",
    "deal",
    "deals",
    "discount",
    "easy",
    "free",
    "good",
    "guide",
    "latest",
    "near",
    "nearby",
    "new",
    "online",
    "price",
    "prices",
    "pricing",
    "rated",
    "review",
    "reviews",
    "sale",
    "simple",
    "today",
    "top",
    "ultimate",
    "versus",
    "vs",
    "worth",
];

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// A search modifier (see [`MODIFIERS`]), or a year such as `2026`.
pub fn is_modifier(word: &str) -> bool {
    MODIFIERS.binary_search(&word).is_ok() || is_year(word)
}

fn is_year(word: &str) -> bool {
    word.len() == 4
        && word.bytes().all(|b| b.is_ascii_digit())
        && (word.starts_with("19") || word.starts_with("20"))
}

/// A best guess at why someone searches `keyword` when no intent was given:
/// buying and local words are transactional, comparing words commercial,
/// questions informational, and "login"/"official site" navigational.
pub fn infer_intent(keyword: &str) -> KeywordIntent {
    let words = words(keyword);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let phrase = words.join(" ");
    if has(&["login", "signin", "website", "official", "app"]) && words.len() <= 3
        || phrase.contains("sign in")
        || phrase.contains("customer service")
    {
        KeywordIntent::Navigational
    } else if has(&[
        "buy", "price", "prices", "pricing", "cost", "cheap", "cheapest", "coupon", "deal",
        "deals", "discount", "order", "hire", "rental", "sale", "shop", "store", "quote",
    ]) || phrase.contains("near me")
    {
        KeywordIntent::Transactional
    } else if has(&[
        "best",
        "top",
        "vs",
        "versus",
        "review",
        "reviews",
        "compare",
        "comparison",
        "alternative",
        "alternatives",
        "rated",
    ]) {
        KeywordIntent::Commercial
    } else {
        KeywordIntent::Informational
    }
}

/// Words kept lower case inside a title ("Dog Training for Beginners").
const SMALL_TITLE_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "vs",
    "with",
];

/// Title case for names built from normalised words: each word capitalised
/// except short connectors after the first; words containing digits
/// (`4k`, `k8s`) are left alone.
pub fn title_case(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            if w.chars().any(|c| c.is_ascii_digit())
                || (i > 0 && SMALL_TITLE_WORDS.contains(&w.to_lowercase().as_str()))
            {
                w.to_owned()
            } else {
                let mut chars = w.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Upper-cases the first character only.
pub fn capitalize_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// At most `max` characters of `s`, cut at a word boundary when it has to
/// be cut (a single over-long word is cut mid-word), trailing punctuation
/// that would dangle (`:`, `,`, `-`, `–`, `|`) removed.
pub fn truncate_words(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out = String::new();
    for word in s.split(' ') {
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        if out.chars().count() + extra > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = s.chars().take(max).collect();
    }
    out.trim_end_matches([':', ',', ';', '-', '–', '—', '|', ' '])
        .to_owned()
}

/// Replaces `{name}` placeholders in a phrase template.
pub(crate) fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Escapes text for an HTML text node exactly as the sanitiser's serialiser
/// does (`&`, `<`, `>`; a non-breaking space as `&nbsp;`), so generated
/// HTML comes back from `sanitize_html` byte for byte.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// 64-bit FNV-1a. std's `DefaultHasher` may change between releases; this
/// may not, because it picks stored wording and image colours.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// [`stable_hash`] of several parts, separated so `("ab","c")` and
/// `("a","bc")` differ.
pub fn hash_parts(parts: &[&str]) -> u64 {
    let mut joined = Vec::new();
    for p in parts {
        joined.extend_from_slice(p.as_bytes());
        joined.push(0x1f);
    }
    stable_hash(&joined)
}

/// The voice of generated text. Unknown or absent values are
/// [`Tone::Professional`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Professional,
    /// "friendly" and "casual".
    Friendly,
    Authoritative,
}

impl Tone {
    pub fn parse(raw: Option<&str>) -> Tone {
        match raw.map(|t| t.trim().to_lowercase()).as_deref() {
            Some("friendly" | "casual" | "conversational" | "informal") => Tone::Friendly,
            Some("authoritative" | "expert" | "formal") => Tone::Authoritative,
            _ => Tone::Professional,
        }
    }
}

/// The language of generated boilerplate. Keyword text is never
/// translated. Unknown or absent values are English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    En,
    Es,
    Fr,
    De,
}

impl Language {
    /// Accepts codes (`es`, `es-MX`, `de_DE`) and English names (`Spanish`).
    pub fn parse(raw: Option<&str>) -> Language {
        let Some(raw) = raw else {
            return Language::En;
        };
        let raw = raw.trim().to_lowercase();
        let code = raw.split(['-', '_']).next().unwrap_or_default();
        match code {
            "es" | "spanish" | "español" | "espanol" => Language::Es,
            "fr" | "french" | "français" | "francais" => Language::Fr,
            "de" | "german" | "deutsch" => Language::De,
            _ => Language::En,
        }
    }

    /// Picks the text for this language from an `[en, es, fr, de]` row.
    pub fn pick<T: Copy>(self, row: [T; 4]) -> T {
        row[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(MODIFIERS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && is_stop_word("how") && !is_stop_word("shoes"));
        assert!(is_modifier("best") && is_modifier("2026") && is_modifier("vs"));
        assert!(!is_modifier("2026x") && !is_modifier("running") && !is_modifier("3000"));
    }

    #[test]
    fn normalisation_lowercases_and_strips_punctuation() {
        assert_eq!(
            normalize("  Best  Running-Shoes!! (2026) "),
            "best running shoes 2026"
        );
        assert_eq!(normalize("Men's shoes, size 10.5"), "mens shoes size 10 5");
        assert_eq!(normalize("Café\u{a0}AU lait"), "café au lait");
        assert_eq!(normalize("?!"), "");
        assert_eq!(words("How to: K8s?"), vec!["how", "to", "k8s"]);
    }

    #[test]
    fn stems_join_word_forms() {
        assert_eq!(stem("running"), stem("run"));
        assert_eq!(stem("shoes"), stem("shoe"));
        assert_eq!(stem("meditation"), stem("meditate"));
        assert_eq!(stem("training"), stem("train"));
    }

    #[test]
    fn intents_are_guessed_from_modifiers() {
        assert_eq!(
            infer_intent("dog training near me"),
            KeywordIntent::Transactional
        );
        assert_eq!(
            infer_intent("buy running shoes"),
            KeywordIntent::Transactional
        );
        assert_eq!(
            infer_intent("best running shoes"),
            KeywordIntent::Commercial
        );
        assert_eq!(
            infer_intent("kubernetes vs docker"),
            KeywordIntent::Commercial
        );
        assert_eq!(
            infer_intent("how to meditate"),
            KeywordIntent::Informational
        );
        assert_eq!(infer_intent("chase login"), KeywordIntent::Navigational);
    }

    #[test]
    fn titles_and_truncation() {
        assert_eq!(
            title_case("dog training for beginners"),
            "Dog Training for Beginners"
        );
        assert_eq!(title_case("for the 4k tv"), "For the 4k Tv");
        assert_eq!(title_case("école vs café"), "École vs Café");
        assert_eq!(truncate_words("one two three", 9), "one two");
        assert_eq!(truncate_words("Title: subtitle here", 8), "Title");
        assert_eq!(truncate_words("abcdefghij", 4), "abcd");
        assert_eq!(truncate_words("  short  ", 60), "short");
        let long = "word ".repeat(40);
        assert!(truncate_words(&long, 60).chars().count() <= 60);
    }

    #[test]
    fn escaping_matches_the_sanitiser() {
        let text = "R&D <b> \"quoted\" it's\u{a0}ok";
        let escaped = escape_html(text);
        assert_eq!(escaped, "R&amp;D &lt;b&gt; \"quoted\" it's&nbsp;ok");
        let html = format!("<p>{escaped}</p>");
        assert_eq!(crate::html::sanitize_html(&html), html);
    }

    #[test]
    fn the_hash_is_fnv1a() {
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(hash_parts(&["ab", "c"]), hash_parts(&["a", "bc"]));
    }

    #[test]
    fn tone_and_language_fall_back_to_defaults() {
        assert_eq!(Tone::parse(None), Tone::Professional);
        assert_eq!(Tone::parse(Some(" Casual ")), Tone::Friendly);
        assert_eq!(Tone::parse(Some("authoritative")), Tone::Authoritative);
        assert_eq!(Tone::parse(Some("sarcastic")), Tone::Professional);
        assert_eq!(Language::parse(Some("es-MX")), Language::Es);
        assert_eq!(Language::parse(Some("FR")), Language::Fr);
        assert_eq!(Language::parse(Some("de_DE")), Language::De);
        assert_eq!(Language::parse(Some("German")), Language::De);
        assert_eq!(Language::parse(Some("ja")), Language::En);
        assert_eq!(Language::parse(None), Language::En);
        assert_eq!(Language::Fr.pick(["a", "b", "c", "d"]), "c");
    }
}
