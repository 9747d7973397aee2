//! An idea's outline: the sections each plan calls for, fitted to the
//! allowed count, with the target keywords spread over them.

use super::keywords::topic_stems;
use super::phrases::*;
use super::plan::Plan;
use super::writer::IdeaWriter;
use super::{MAX_SECTION_KEYWORDS, MAX_SECTIONS, MIN_SECTIONS};
use crate::ai::text::{fill, hash_parts, title_case, truncate_words};
use crate::outline::{HEADING_MAX_CHARS, Outline, OutlineSection};
use crate::planner::{KeywordIntent, keyword_key};

/// A section being built.
pub(super) struct Sec {
    pub(super) heading: String,
    pub(super) level: u8,
    pub(super) keywords: Vec<String>,
}

impl Sec {
    pub(super) fn h2(heading: String) -> Sec {
        Sec {
            heading,
            level: 2,
            keywords: vec![],
        }
    }

    pub(super) fn h3(heading: String) -> Sec {
        Sec {
            heading,
            level: 3,
            keywords: vec![],
        }
    }

    pub(super) fn with(mut self, keyword: &str) -> Sec {
        self.keywords.push(keyword.to_owned());
        self
    }
}

impl IdeaWriter<'_> {
    fn faq(&self, secs: &mut Vec<Sec>, max_questions: usize) {
        let questions = self.questions();
        secs.push(Sec::h2(self.t(H_FAQ)));
        for q in questions.iter().take(max_questions) {
            secs.push(Sec::h3(Self::question_heading(q)).with(&q.text));
        }
        if questions.is_empty() {
            secs.push(Sec::h3(self.t(H_QUICK)));
        }
    }

    pub(super) fn sections(&self, plan: Plan) -> Vec<Sec> {
        let lang = self.lang;
        let subtopics = self.subtopics();
        let mut secs: Vec<Sec> = Vec::new();
        match plan {
            Plan::Guide => {
                secs.push(Sec::h2(self.t(H_UNDERSTANDING)));
                secs.push(Sec::h2(self.t(H_WHY)));
                secs.push(Sec::h3(self.t(H_BENEFITS)));
                secs.push(Sec::h3(self.t(H_MYTHS)));
                if subtopics.len() >= 2 {
                    secs.push(Sec::h2(self.t(H_TOPICS)));
                    for k in subtopics.iter().take(2) {
                        secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                    }
                }
                secs.push(Sec::h2(self.t(H_GET_STARTED)));
                self.faq(&mut secs, 1);
            }
            Plan::HowTo => {
                secs.push(Sec::h2(self.t(H_NEED)));
                secs.push(Sec::h2(self.t(H_STEPS)));
                for (i, name) in STEP_NAMES.iter().enumerate() {
                    let n = (i + 1).to_string();
                    secs.push(Sec::h3(fill(
                        lang.pick(H_STEP),
                        &[("n", &n), ("x", lang.pick(*name))],
                    )));
                }
                secs.push(Sec::h2(self.t(H_AVOID)));
                secs.push(Sec::h2(self.t(H_TROUBLE)));
            }
            Plan::Mistakes => {
                // Each mistake is its own h2; the list's one h3 explains fixing it.
                let start = (hash_parts(&[self.seed, "mistakes"]) % 3) as usize;
                for i in 0..5 {
                    let name = lang.pick(MISTAKES[(start + i) % MISTAKES.len()]);
                    let n = (i + 1).to_string();
                    secs.push(Sec::h2(fill(
                        lang.pick(H_MISTAKE),
                        &[("n", &n), ("x", name)],
                    )));
                }
                secs.push(Sec::h2(self.t(H_TIPS)));
                secs.push(Sec::h3(self.t(H_NEXT)));
            }
            Plan::Faq => {
                secs.push(Sec::h2(self.t(H_QUICK)));
                let questions = self.questions();
                for q in questions.iter().take(5) {
                    secs.push(Sec::h2(Self::question_heading(q)).with(&q.text));
                }
                if questions.len() < 3 {
                    secs.push(Sec::h2(self.t(H_UNDERSTANDING)));
                    secs.push(Sec::h3(self.t(H_MYTHS)));
                    secs.push(Sec::h2(self.t(H_TIPS)));
                }
                secs.push(Sec::h2(self.t(H_NEXT)));
                if !secs.iter().any(|s| s.level == 3) {
                    secs.push(Sec::h3(self.t(H_GET_STARTED)));
                }
            }
            Plan::Best => {
                secs.push(Sec::h2(self.t(H_HOW_WE_CHOSE)));
                for k in subtopics.iter().take(4) {
                    secs.push(Sec::h2(title_case(&k.text)).with(&k.text));
                }
                if subtopics.len() < 2 {
                    secs.push(Sec::h2(self.t(H_OVERVIEW)));
                    secs.push(Sec::h2(self.t(H_PRICE_VALUE)));
                }
                secs.push(Sec::h2(self.t(H_HOW_TO_CHOOSE)));
                secs.push(Sec::h3(self.t(H_PRICE_VALUE)));
                secs.push(Sec::h3(self.t(H_EASE)));
            }
            Plan::Versus => {
                let sides = self
                    .kws
                    .iter()
                    .find_map(|k| k.versus.clone().map(|s| (s, k.text.clone())));
                secs.push(Sec::h2(self.t(H_AT_A_GLANCE)));
                match sides {
                    Some(((a, b), kw)) => {
                        secs.push(Sec::h2(self.tx(H_STRENGTHS, &a)).with(&kw));
                        secs.push(Sec::h2(self.tx(H_STRENGTHS, &b)));
                    }
                    None => {
                        for k in subtopics.iter().take(2) {
                            secs.push(
                                Sec::h2(self.tx(H_STRENGTHS, &title_case(&k.text))).with(&k.text),
                            );
                        }
                    }
                }
                secs.push(Sec::h2(self.t(H_HEAD_TO_HEAD)));
                secs.push(Sec::h3(self.t(H_PRICE_VALUE)));
                secs.push(Sec::h3(self.t(H_EASE)));
                secs.push(Sec::h2(self.t(H_WHICH)));
            }
            Plan::Review => {
                secs.push(Sec::h2(self.t(H_OVERVIEW)));
                secs.push(Sec::h2(self.t(H_LIKE)));
                secs.push(Sec::h2(self.t(H_BETTER)));
                secs.push(Sec::h2(self.t(H_WHO_FOR)));
                secs.push(Sec::h2(self.t(H_ALTERNATIVES)));
                for k in subtopics.iter().take(2) {
                    secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                }
                secs.push(Sec::h2(self.t(H_VERDICT)));
            }
            Plan::Buying => {
                secs.push(Sec::h2(self.t(H_UNDERSTANDING)));
                secs.push(Sec::h2(self.t(H_WHAT_COMPARE)));
                secs.push(Sec::h3(self.t(H_PRICE_VALUE)));
                secs.push(Sec::h3(self.t(H_EASE)));
                secs.push(Sec::h2(self.t(H_RED_FLAGS)));
                secs.push(Sec::h2(self.t(H_HOW_TO_CHOOSE)));
                self.faq(&mut secs, 2);
            }
            Plan::Offer => {
                secs.push(Sec::h2(self.t(H_OVERVIEW)));
                secs.push(Sec::h2(self.t(H_FEATURES)));
                for k in subtopics.iter().take(2) {
                    secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                }
                secs.push(Sec::h2(self.t(H_PRICING)));
                secs.push(Sec::h2(self.t(H_HOW_IT_WORKS)));
                if !self.site.is_empty() {
                    secs.push(Sec::h2(self.t(H_WHY_US)));
                }
                secs.push(Sec::h2(self.t(H_START_TODAY)));
            }
            Plan::Pricing => {
                secs.push(Sec::h2(self.t(H_TYPICAL_COSTS)));
                secs.push(Sec::h2(self.t(H_PRICE_FACTORS)));
                for k in subtopics.iter().take(2) {
                    secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                }
                secs.push(Sec::h2(self.t(H_SAVE)));
                self.faq(&mut secs, 2);
            }
            Plan::Checklist => {
                secs.push(Sec::h2(self.t(H_BEFORE_BUY)));
                secs.push(Sec::h2(self.t(H_WHAT_COMPARE)));
                secs.push(Sec::h3(self.t(H_PRICE_VALUE)));
                secs.push(Sec::h3(self.t(H_EASE)));
                secs.push(Sec::h2(self.t(H_RED_FLAGS)));
                secs.push(Sec::h2(self.t(H_AFTER_BUY)));
            }
            Plan::Hub => {
                secs.push(Sec::h2(self.t(H_START_HERE)));
                let groups = [
                    (H_GUIDES, KeywordIntent::Informational),
                    (H_COMPARISONS, KeywordIntent::Commercial),
                    (H_BUYING, KeywordIntent::Transactional),
                ];
                for (heading, intent) in groups {
                    let mut sec = Sec::h2(self.t(heading));
                    for k in self.kws.iter().filter(|k| k.intent == intent).take(3) {
                        sec.keywords.push(k.text.clone());
                    }
                    secs.push(sec);
                }
                secs.push(Sec::h2(self.t(H_TOOLS)));
                self.faq(&mut secs, 2);
            }
            Plan::Resources => {
                secs.push(Sec::h2(self.t(H_OVERVIEW)));
                secs.push(Sec::h2(self.t(H_TOOLS)));
                for k in subtopics.iter().take(2) {
                    secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                }
                secs.push(Sec::h2(self.t(H_GUIDES)));
                self.faq(&mut secs, 2);
            }
        }
        self.fit_section_count(secs)
    }

    /// Between MIN_SECTIONS and MAX_SECTIONS, with at least one h3: extra
    /// h3s go first (from the end), then h2s before the last; missing
    /// sections are general ones the outline does not have yet.
    fn fit_section_count(&self, mut secs: Vec<Sec>) -> Vec<Sec> {
        while secs.len() > MAX_SECTIONS {
            let h3s = secs.iter().filter(|s| s.level == 3).count();
            let drop = if h3s > 1 {
                secs.iter().rposition(|s| s.level == 3)
            } else {
                secs.iter()
                    .rposition(|s| s.level == 2)
                    .filter(|&i| i + 1 < secs.len())
                    .or(Some(secs.len() - 2))
            };
            match drop {
                Some(i) => {
                    secs.remove(i);
                }
                None => break,
            }
        }
        for extra in [H_TIPS, H_NEXT, H_OVERVIEW, H_FAQ, H_GET_STARTED] {
            if secs.len() >= MIN_SECTIONS {
                break;
            }
            let heading = self.t(extra);
            if !secs.iter().any(|s| s.heading == heading) {
                secs.push(Sec::h2(heading));
            }
        }
        if !secs.iter().any(|s| s.level == 3)
            && let Some(i) = secs.iter().position(|s| s.level == 2)
        {
            let sub = Sec::h3(self.t(H_TIPS));
            if secs.len() >= MAX_SECTIONS {
                if let Some(next) = secs.get_mut(i + 1) {
                    next.level = 3;
                }
            } else if secs.iter().all(|s| s.heading != sub.heading) {
                secs.insert(i + 1, sub);
            } else {
                secs.insert(i + 1, Sec::h3(self.t(H_NEXT)));
            }
        }
        secs
    }

    /// Gives every target keyword a section, at most three per section:
    /// the h2 whose heading shares the most words with the keyword (beyond
    /// the topic's own), else the h2 with the fewest keywords.
    pub(super) fn spread_keywords(&self, secs: &mut [Sec], targets: &[String]) {
        let topic = topic_stems(&self.topic);
        let heading_stems: Vec<Vec<String>> =
            secs.iter().map(|s| topic_stems(&s.heading)).collect();
        let placed = |secs: &[Sec], key: &str| {
            secs.iter()
                .any(|s| s.keywords.iter().any(|x| keyword_key(x) == key))
        };
        for k in targets {
            if placed(secs, &keyword_key(k)) {
                continue;
            }
            let stems: Vec<String> = topic_stems(k)
                .into_iter()
                .filter(|s| !topic.contains(s))
                .collect();
            let slot = secs
                .iter()
                .enumerate()
                .filter(|(_, s)| s.level == 2 && s.keywords.len() < MAX_SECTION_KEYWORDS)
                .min_by_key(|(i, s)| {
                    let shared = stems
                        .iter()
                        .filter(|x| heading_stems[*i].contains(x))
                        .count();
                    (std::cmp::Reverse(shared), s.keywords.len(), *i)
                })
                .map(|(i, _)| i);
            if let Some(i) = slot {
                secs[i].keywords.push(k.clone());
            }
        }
        for s in secs.iter_mut() {
            s.keywords.truncate(MAX_SECTION_KEYWORDS);
        }
    }

    pub(super) fn notes(&self, sec: &Sec, i: usize) -> String {
        let pick = (hash_parts(&[self.seed, &sec.heading, &i.to_string()]) % 3) as usize;
        let mut note = self.tx(NOTES[pick], &sec.heading);
        if !sec.keywords.is_empty() {
            note.push_str(&fill(
                self.lang.pick(NOTE_KEYWORDS),
                &[("k", &sec.keywords.join(", "))],
            ));
        }
        note
    }

    /// An outline with nothing taken from input; used only if a generated
    /// one were ever rejected by `Outline::validate`.
    pub(super) fn fallback_outline(&self) -> Outline {
        let sections = [
            (H_OVERVIEW, 2),
            (H_BENEFITS, 3),
            (H_GET_STARTED, 2),
            (H_TIPS, 2),
            (H_NEXT, 2),
        ]
        .into_iter()
        .map(|(h, level)| OutlineSection {
            heading: truncate_words(&self.t(h), HEADING_MAX_CHARS),
            level,
            notes: String::new(),
            target_keywords: vec![],
        })
        .collect();
        Outline { sections }
    }
}
