//! Body sentences and section transitions: templates rotate through the
//! language's pool, filled with the section's heading and keywords.

use super::phrases::{BODY_DE, BODY_EN, BODY_ES, BODY_FR, CONNECTORS, TRANSITIONS};
use crate::ai::text::{Language, Tone, capitalize_first, fill, hash_parts};

/// A section of the article: its heading, keywords and a paragraph to fill.
pub(super) struct Section {
    pub(super) heading: String,
    pub(super) level: u8,
    pub(super) keywords: Vec<String>,
}

pub(super) struct SentenceWriter<'a> {
    pub(super) lang: Language,
    pub(super) tone: Tone,
    /// The primary keyword, as given.
    pub(super) topic: String,
    pub(super) keywords: &'a [String],
    pub(super) seed: String,
    /// Next body template per language pool.
    pub(super) body_cursor: usize,
    pub(super) sentence_no: usize,
}

impl SentenceWriter<'_> {
    fn tone_index(&self) -> usize {
        match self.tone {
            Tone::Professional => 0,
            Tone::Friendly => 1,
            Tone::Authoritative => 2,
        }
    }

    fn lang_index(&self) -> usize {
        self.lang as usize
    }

    pub(super) fn body_pool(&self) -> &'static [&'static str] {
        match self.lang {
            Language::En => BODY_EN,
            Language::Es => BODY_ES,
            Language::Fr => BODY_FR,
            Language::De => BODY_DE,
        }
    }

    pub(super) fn pick(&self, salt: &str, n: usize) -> usize {
        (hash_parts(&[&self.seed, salt]) % n.max(1) as u64) as usize
    }

    /// The next body sentence for a section: templates rotate so a section
    /// never repeats one until all have been used; keywords rotate too.
    pub(super) fn body_sentence(&mut self, section: &Section) -> String {
        let pool = self.body_pool();
        let template = pool[self.body_cursor % pool.len()];
        self.body_cursor += 1;
        self.sentence_no += 1;
        let keyword = if section.keywords.is_empty() {
            if self.keywords.is_empty() {
                self.topic.clone()
            } else {
                self.keywords[self.sentence_no % self.keywords.len()].clone()
            }
        } else {
            section.keywords[self.sentence_no % section.keywords.len()].clone()
        };
        let h = heading_phrase(&section.heading);
        let sentence = fill(template, &[("h", &h), ("k", &keyword), ("t", &self.topic)]);
        let sentence = capitalize_first(&sentence);
        if self.sentence_no.is_multiple_of(3) {
            let connectors = CONNECTORS[self.tone_index()][self.lang_index()];
            let c = connectors[(self.sentence_no / 3) % connectors.len()];
            format!("{c} {sentence}")
        } else {
            sentence
        }
    }

    pub(super) fn transition(&self, section: &Section, i: usize) -> String {
        let options = TRANSITIONS[self.tone_index()][self.lang_index()];
        let template = options[self.pick(&format!("transition{i}"), options.len())];
        let h = heading_phrase(&section.heading);
        capitalize_first(&fill(
            template,
            &[("h", &h), ("H", &capitalize_first(&h)), ("t", &self.topic)],
        ))
    }
}

/// A heading as it reads inside a sentence: lower-cased unless a word looks
/// like a name or acronym (capitals after the first letter), colons turned
/// into dashes, and no trailing question mark.
fn heading_phrase(heading: &str) -> String {
    let words: Vec<String> = heading
        .trim_end_matches(['?', '!', '.', ' '])
        .split_whitespace()
        .map(|w| {
            // "iPhone", "NASA" keep their case; "Head-to-Head" does not.
            let named = w
                .split('-')
                .any(|part| part.chars().skip(1).any(char::is_uppercase));
            if named {
                w.to_owned()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    words.join(" ").replace(" :", ":").replace(": ", " – ")
}

/// "Step 2: Prepare" → "Prepare", for list items under a numbered `<ol>`.
pub(super) fn strip_step_number(heading: &str) -> String {
    match heading.split_once(':') {
        Some((before, after))
            if before.chars().any(|c| c.is_ascii_digit()) && !after.trim().is_empty() =>
        {
            after.trim().to_owned()
        }
        _ => heading.to_owned(),
    }
}
