//! The article's keywords: cleaned from the idea, or taken from its title,
//! and the two sides of a comparison.

use crate::ai::text::{is_modifier, is_stop_word, normalize};
use crate::planner::{keyword_key, keyword_text};

/// Cleaned target keywords: valid keyword text, no duplicates (case-
/// insensitive, first kept).
pub(super) fn clean_keywords(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for k in raw {
        if let Ok(k) = keyword_text(k) {
            let key = keyword_key(&k);
            if !keys.contains(&key) {
                keys.push(key);
                out.push(k);
            }
        }
    }
    out
}

/// A primary keyword from a title when the idea has none: its first run of
/// two or more topic words, else its longest single one ("The Complete
/// Guide to Running Shoes" → "running shoes").
pub(super) fn keyword_from_title(title: &str) -> String {
    let norm = normalize(title);
    let generic = ["guide", "complete", "step", "tips", "ways", "things"];
    let mut runs: Vec<Vec<&str>> = vec![vec![]];
    for w in norm.split(' ').filter(|w| !w.is_empty()) {
        if is_stop_word(w) || is_modifier(w) || generic.contains(&w) {
            runs.push(vec![]);
        } else if let Some(run) = runs.last_mut() {
            run.push(w);
        }
    }
    // The longest single word, the first on ties.
    let longest = || {
        runs.iter()
            .enumerate()
            .filter(|(_, r)| !r.is_empty())
            .min_by_key(|(i, r)| {
                (
                    std::cmp::Reverse(r.iter().map(|w| w.len()).sum::<usize>()),
                    *i,
                )
            })
            .map(|(_, r)| r)
    };
    let pick = runs.iter().find(|r| r.len() >= 2).or_else(longest);
    match pick {
        Some(run) => run.join(" "),
        None => norm,
    }
}

/// The two sides compared by a "X vs Y" title or keyword.
pub(super) fn versus(text: &str) -> Option<(String, String)> {
    let lower = text.to_lowercase();
    for sep in [" vs. ", " vs ", " versus "] {
        if let Some(at) = lower.find(sep) {
            let a = text[..at].trim();
            let b = text[at + sep.len()..]
                .split([':', '?', '|'])
                .next()
                .unwrap_or_default()
                .trim();
            if !a.is_empty() && !b.is_empty() {
                return Some((a.to_owned(), b.to_owned()));
            }
        }
    }
    None
}
