//! The kinds of idea and which intent, structure and plans go together.

use crate::planner::{ContentStructure, KeywordIntent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Plan {
    Guide,
    HowTo,
    Mistakes,
    Faq,
    Best,
    Versus,
    Review,
    Buying,
    Offer,
    Pricing,
    Checklist,
    Hub,
    Resources,
}

impl Plan {
    pub(super) const ALL: [Plan; 13] = [
        Plan::Guide,
        Plan::HowTo,
        Plan::Mistakes,
        Plan::Faq,
        Plan::Best,
        Plan::Versus,
        Plan::Review,
        Plan::Buying,
        Plan::Offer,
        Plan::Pricing,
        Plan::Checklist,
        Plan::Hub,
        Plan::Resources,
    ];

    /// The plans that serve an intent, best first.
    pub(super) fn for_intent(intent: KeywordIntent) -> &'static [Plan] {
        match intent {
            KeywordIntent::Informational => &[Plan::Guide, Plan::HowTo, Plan::Mistakes, Plan::Faq],
            KeywordIntent::Commercial => &[Plan::Best, Plan::Versus, Plan::Review, Plan::Buying],
            KeywordIntent::Transactional => &[Plan::Offer, Plan::Pricing, Plan::Checklist],
            KeywordIntent::Navigational => &[Plan::Hub, Plan::Resources],
        }
    }

    pub(super) fn intent(self) -> KeywordIntent {
        match self {
            Plan::Guide | Plan::HowTo | Plan::Mistakes | Plan::Faq => KeywordIntent::Informational,
            Plan::Best | Plan::Versus | Plan::Review | Plan::Buying => KeywordIntent::Commercial,
            Plan::Offer | Plan::Pricing | Plan::Checklist => KeywordIntent::Transactional,
            Plan::Hub | Plan::Resources => KeywordIntent::Navigational,
        }
    }

    pub(super) fn structure(self) -> ContentStructure {
        match self {
            Plan::Guide | Plan::Buying | Plan::Pricing | Plan::Resources => ContentStructure::Guide,
            Plan::HowTo => ContentStructure::HowTo,
            Plan::Mistakes | Plan::Best | Plan::Checklist => ContentStructure::Listicle,
            Plan::Faq | Plan::Offer => ContentStructure::Article,
            Plan::Versus => ContentStructure::Comparison,
            Plan::Review => ContentStructure::Review,
            Plan::Hub => ContentStructure::ClusterHub,
        }
    }
}
