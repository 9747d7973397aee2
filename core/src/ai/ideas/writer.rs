//! The idea writer: picks the plans a cluster calls for, then titles,
//! keywords and descriptions for each idea.

use super::keywords::Kw;
use super::phrases::*;
use super::plan::Plan;
use super::{IdeaOut, MAX_IDEAS, MAX_TARGET_KEYWORDS, MIN_IDEAS, TITLE_MAX_CHARS, estimate_words};
use crate::ai::text::{
    Language, Tone, capitalize_first, fill, normalize, title_case, truncate_words,
};
use crate::outline::{HEADING_MAX_CHARS, Outline, OutlineSection};
use crate::planner::{ContentStructure, ContentType, KeywordIntent, keyword_key};

/// Writes the ideas of one cluster; built once per `generate_ideas` call.
pub(super) struct IdeaWriter<'a> {
    pub(super) lang: Language,
    pub(super) tone: Tone,
    pub(super) topic: String,
    pub(super) site: String,
    pub(super) sector: String,
    /// Highest volume first.
    pub(super) kws: Vec<Kw>,
    /// Salt for deterministic choices.
    pub(super) seed: &'a str,
}

impl IdeaWriter<'_> {
    pub(super) fn t(&self, text: L) -> String {
        fill(
            self.lang.pick(text),
            &[("t", &self.topic), ("s", &self.site)],
        )
    }

    pub(super) fn tx(&self, text: L, x: &str) -> String {
        fill(
            self.lang.pick(text),
            &[("t", &self.topic), ("s", &self.site), ("x", x)],
        )
    }

    /// How many keywords have each intent, most common first (ties to more
    /// volume, then to the order of `KeywordIntent::ALL`).
    fn intent_shares(&self) -> Vec<(KeywordIntent, usize)> {
        let mut shares: Vec<(KeywordIntent, usize, i64)> = KeywordIntent::ALL
            .iter()
            .map(|&i| {
                let matching = self.kws.iter().filter(|k| k.intent == i);
                (
                    i,
                    matching.clone().count(),
                    matching.map(|k| k.volume).sum(),
                )
            })
            .filter(|(_, c, _)| *c > 0)
            .collect();
        shares.sort_by_key(|&(i, c, v)| {
            let pos = KeywordIntent::ALL.iter().position(|&x| x == i);
            (std::cmp::Reverse(c), std::cmp::Reverse(v), pos)
        });
        if shares.is_empty() {
            return vec![(KeywordIntent::Informational, 1)];
        }
        shares.into_iter().map(|(i, c, _)| (i, c)).collect()
    }

    /// Which plans to write: the idea count grows with the number of
    /// intents and keywords; slots go to intents in proportion to their
    /// keywords (D'Hondt), each intent using its plans in order.
    pub(super) fn choose_plans(&self) -> Vec<Plan> {
        let shares = self.intent_shares();
        let count =
            (2 + shares.len() + usize::from(self.kws.len() >= 8)).clamp(MIN_IDEAS, MAX_IDEAS);
        let mut used = vec![0usize; shares.len()];
        let mut plans: Vec<Plan> = Vec::new();
        while plans.len() < count {
            let mut pick: Option<(usize, f64)> = None;
            for (i, &(intent, c)) in shares.iter().enumerate() {
                if used[i] >= Plan::for_intent(intent).len() {
                    continue;
                }
                let quotient = c as f64 / (used[i] + 1) as f64;
                if pick.is_none_or(|(_, q)| quotient > q) {
                    pick = Some((i, quotient));
                }
            }
            let Some((i, _)) = pick else { break };
            plans.push(Plan::for_intent(shares[i].0)[used[i]]);
            used[i] += 1;
        }
        // Too few intents to fill the count: fall back to general plans.
        for fallback in [
            Plan::Guide,
            Plan::HowTo,
            Plan::Faq,
            Plan::Hub,
            Plan::Mistakes,
        ] {
            if plans.len() >= count {
                break;
            }
            if !plans.contains(&fallback) {
                plans.push(fallback);
            }
        }
        plans
    }

    pub(super) fn questions(&self) -> Vec<&Kw> {
        self.kws.iter().filter(|k| k.question).collect()
    }

    /// Keywords that can stand as sub-topic headings: not questions, not
    /// comparisons, not just the topic itself.
    pub(super) fn subtopics(&self) -> Vec<&Kw> {
        let topic = keyword_key(&self.topic);
        self.kws
            .iter()
            .filter(|k| !k.question && k.versus.is_none() && keyword_key(&k.text) != topic)
            .collect()
    }

    pub(super) fn question_heading(k: &Kw) -> String {
        let q = capitalize_first(k.text.trim_end_matches('?'));
        format!("{q}?")
    }

    pub(super) fn title(&self, plan: Plan) -> String {
        let lang = self.lang;
        let raw = match plan {
            Plan::Guide => self.t(T_GUIDE),
            Plan::HowTo => match self.how_to_keyword() {
                Some(k) => fill(lang.pick(T_HOWTO_KW), &[("k", &title_case(&k.text))]),
                None => self.t(T_HOWTO),
            },
            Plan::Mistakes => fill(lang.pick(T_MISTAKES), &[("t", &self.topic), ("n", "7")]),
            Plan::Faq => self.t(T_FAQ),
            Plan::Best => self.t(T_BEST),
            Plan::Versus => match self.kws.iter().find_map(|k| k.versus.clone()) {
                Some((a, b)) => fill(lang.pick(T_VERSUS), &[("a", &a), ("b", &b)]),
                None => self.t(T_COMPARE),
            },
            Plan::Review => self.t(T_REVIEW),
            Plan::Buying => self.t(T_BUYING),
            Plan::Offer if self.is_service() => self.t(T_OFFER_SERVICE),
            Plan::Offer => self.t(T_OFFER_PRODUCT),
            Plan::Pricing => self.t(T_PRICING),
            Plan::Checklist => self.t(T_CHECKLIST),
            Plan::Hub => self.t(T_HUB),
            Plan::Resources => self.t(T_RESOURCES),
        };
        truncate_words(&raw, TITLE_MAX_CHARS)
    }

    fn how_to_keyword(&self) -> Option<&Kw> {
        self.kws
            .iter()
            .find(|k| normalize(&k.text).starts_with("how to "))
    }

    /// Service wording when the transactional keywords talk about booking,
    /// hiring or local providers.
    fn is_service(&self) -> bool {
        let transactional: Vec<&Kw> = self
            .kws
            .iter()
            .filter(|k| k.intent == KeywordIntent::Transactional)
            .collect();
        let service = transactional.iter().filter(|k| k.service).count();
        service * 2 > transactional.len()
    }

    /// The idea's keywords: `primary` first, then the others of the plan's
    /// intent, then the rest, by volume.
    pub(super) fn target_keywords(&self, plan: Plan, primary: &str) -> Vec<String> {
        let mut out = vec![primary.to_owned()];
        let mut keys = vec![keyword_key(primary)];
        let same = self.kws.iter().filter(|k| k.intent == plan.intent());
        let other = self.kws.iter().filter(|k| k.intent != plan.intent());
        for k in same.chain(other) {
            if out.len() >= MAX_TARGET_KEYWORDS {
                break;
            }
            let key = keyword_key(&k.text);
            if !keys.contains(&key) {
                keys.push(key);
                out.push(k.text.clone());
            }
        }
        out
    }

    /// The idea's primary keyword: the keyword its title is about when it
    /// has one, else the biggest keyword of its intent not yet primary for
    /// another idea, else the biggest keyword, else the topic.
    pub(super) fn primary(&self, plan: Plan, taken: &[String]) -> String {
        let specific = match plan {
            Plan::HowTo => self.how_to_keyword(),
            Plan::Versus => self.kws.iter().find(|k| k.versus.is_some()),
            _ => None,
        };
        if let Some(k) = specific {
            return k.text.clone();
        }
        let free = |k: &&Kw| !taken.contains(&keyword_key(&k.text));
        self.kws
            .iter()
            .filter(|k| k.intent == plan.intent())
            .find(free)
            .or_else(|| self.kws.iter().find(free))
            .or_else(|| self.kws.first())
            .map_or_else(|| self.topic.clone(), |k| k.text.clone())
    }

    pub(super) fn description(&self, plan: Plan, primary: &str) -> String {
        let kind = match plan.structure() {
            ContentStructure::Guide => KIND_GUIDE,
            ContentStructure::HowTo => KIND_HOWTO,
            ContentStructure::Listicle => KIND_LISTICLE,
            ContentStructure::Comparison => KIND_COMPARISON,
            ContentStructure::Review => KIND_REVIEW,
            ContentStructure::ClusterHub => KIND_HUB,
            ContentStructure::Article => KIND_ARTICLE,
        };
        let audience = if self.sector.is_empty() {
            self.lang.pick(AUDIENCE_ANY).to_owned()
        } else {
            fill(self.lang.pick(AUDIENCE_SECTOR), &[("x", &self.sector)])
        };
        let template = match self.tone {
            Tone::Professional => DESC_PROFESSIONAL,
            Tone::Friendly => DESC_FRIENDLY,
            Tone::Authoritative => DESC_AUTHORITATIVE,
        };
        let text = fill(
            self.lang.pick(template),
            &[
                ("x", &capitalize_first(self.lang.pick(kind))),
                ("t", &self.topic),
                ("s", &audience),
                ("k", primary),
            ],
        );
        truncate_words(&text, 1000)
    }

    pub(super) fn idea(&self, plan: Plan, taken: &[String]) -> IdeaOut {
        let primary = self.primary(plan, taken);
        let targets = self.target_keywords(plan, &primary);
        let mut secs = self.sections(plan);
        self.spread_keywords(&mut secs, &targets);
        let sections: Vec<OutlineSection> = secs
            .iter()
            .enumerate()
            .map(|(i, s)| OutlineSection {
                heading: truncate_words(&s.heading, HEADING_MAX_CHARS),
                level: s.level,
                notes: self.notes(s, i),
                target_keywords: s.keywords.clone(),
            })
            .collect();
        let outline = Outline { sections }
            .validate()
            .unwrap_or_else(|_| self.fallback_outline());
        let content_type = match plan {
            Plan::Offer if self.is_service() => ContentType::Service,
            Plan::Offer => ContentType::Product,
            Plan::Hub => ContentType::Page,
            _ => ContentType::Post,
        };
        IdeaOut {
            title: self.title(plan),
            description: self.description(plan, &primary),
            content_type,
            content_structure: plan.structure(),
            estimated_word_count: estimate_words(&outline, plan.structure()),
            outline,
            target_keywords: targets,
        }
    }
}
