//! AI jobs (JOB-1…3) and their credit costs (BIL-1): the functions, states,
//! phases and progress bands, request limits, and what a job holds and
//! charges.

use crate::planner::stored_enum;
use crate::role::UnknownValue;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

stored_enum! {
    /// The five AI functions.
    pub enum AiFunction {
        AutoCluster => "auto_cluster",
        GenerateIdeas => "generate_ideas",
        GenerateContent => "generate_content",
        GenerateImagePrompts => "generate_image_prompts",
        GenerateImages => "generate_images",
    }
}

stored_enum! {
    pub enum JobStatus {
        Queued => "queued",
        Running => "running",
        Succeeded => "succeeded",
        Failed => "failed",
        Cancelled => "cancelled",
    }
    default = Queued;
}

impl JobStatus {
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobStatus::Succeeded | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}

stored_enum! {
    /// INIT → PREP → AI_CALL → PARSE → SAVE → DONE.
    pub enum JobPhase {
        Init => "init",
        Prep => "prep",
        AiCall => "ai_call",
        Parse => "parse",
        Save => "save",
        Done => "done",
    }
    default = Init;
}

impl JobPhase {
    /// The percent band of a phase: INIT 0–10, PREP 10–20, AI_CALL 20–80,
    /// PARSE 80–90, SAVE 90–100, DONE 100.
    pub fn band(self) -> (i32, i32) {
        match self {
            JobPhase::Init => (0, 10),
            JobPhase::Prep => (10, 20),
            JobPhase::AiCall => (20, 80),
            JobPhase::Parse => (80, 90),
            JobPhase::Save => (90, 100),
            JobPhase::Done => (100, 100),
        }
    }

    /// Percent inside the phase's band after `done` of `total` items.
    pub fn percent(self, done: i32, total: i32) -> i32 {
        let (lo, hi) = self.band();
        if total <= 0 {
            return lo;
        }
        let done = done.clamp(0, total);
        lo + (hi - lo) * done / total
    }
}

/// Most items one request may name (JOB-1).
pub const MAX_CLUSTER_KEYWORDS: usize = 20;
pub const MAX_IDEA_CLUSTERS: usize = 1;
pub const MAX_CONTENT_TASKS: usize = 50;
pub const MAX_IMAGE_PROMPT_CONTENTS: usize = 50;
pub const MAX_IMAGES: usize = 6;
/// Ideas one `generate_ideas` run may create (what it holds credits for).
pub const MAX_IDEAS_PER_CLUSTER: i64 = 5;

/// Credits per operation (BIL-1); a plan may override any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditCosts {
    /// Clustering costs 1 credit per this many keywords (at least 1).
    pub keywords_per_cluster_credit: i64,
    pub per_idea: i64,
    pub per_content: i64,
    /// Per article whose image prompts are written.
    pub per_image_prompts: i64,
    pub per_image: i64,
    pub reparse: i64,
}

impl Default for CreditCosts {
    fn default() -> Self {
        CreditCosts {
            keywords_per_cluster_credit: 30,
            per_idea: 1,
            per_content: 3,
            per_image_prompts: 1,
            per_image: 1,
            reparse: 1,
        }
    }
}

impl CreditCosts {
    /// The defaults with a plan's overrides (a JSON object of the same
    /// fields) applied; unknown or invalid entries are ignored.
    pub fn with_overrides(overrides: &serde_json::Value) -> Self {
        let mut c = CreditCosts::default();
        let Some(map) = overrides.as_object() else {
            return c;
        };
        let get = |k: &str| map.get(k).and_then(|v| v.as_i64()).filter(|v| *v >= 0);
        if let Some(v) = get("keywords_per_cluster_credit").filter(|v| *v > 0) {
            c.keywords_per_cluster_credit = v;
        }
        for (k, slot) in [
            ("per_idea", &mut c.per_idea),
            ("per_content", &mut c.per_content),
            ("per_image_prompts", &mut c.per_image_prompts),
            ("per_image", &mut c.per_image),
            ("reparse", &mut c.reparse),
        ] {
            if let Some(v) = get(k) {
                *slot = v;
            }
        }
        c
    }

    /// Credits for `items` successful items of `f` (keywords clustered,
    /// ideas created, articles written, articles prompted, images made).
    pub fn cost(&self, f: AiFunction, items: i64) -> i64 {
        let items = items.max(0);
        match f {
            AiFunction::AutoCluster if items == 0 => 0,
            AiFunction::AutoCluster => ((items + self.keywords_per_cluster_credit - 1)
                / self.keywords_per_cluster_credit)
                .max(1),
            AiFunction::GenerateIdeas => items * self.per_idea,
            AiFunction::GenerateContent => items * self.per_content,
            AiFunction::GenerateImagePrompts => items * self.per_image_prompts,
            AiFunction::GenerateImages => items * self.per_image,
        }
    }

    /// What to hold when a job over `requested` inputs is queued: the most
    /// it can cost. (Ideas: a cluster yields at most `MAX_IDEAS_PER_CLUSTER`.)
    pub fn hold(&self, f: AiFunction, requested: i64) -> i64 {
        match f {
            AiFunction::GenerateIdeas => self.cost(f, requested * MAX_IDEAS_PER_CLUSTER),
            _ => self.cost(f, requested),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_moves_inside_each_band() {
        assert_eq!(JobPhase::Init.percent(0, 0), 0);
        assert_eq!(JobPhase::AiCall.percent(0, 10), 20);
        assert_eq!(JobPhase::AiCall.percent(5, 10), 50);
        assert_eq!(JobPhase::AiCall.percent(10, 10), 80);
        assert_eq!(JobPhase::AiCall.percent(99, 10), 80);
        assert_eq!(JobPhase::Done.percent(1, 1), 100);
    }

    #[test]
    fn default_costs_follow_bil_1() {
        let c = CreditCosts::default();
        assert_eq!(c.cost(AiFunction::AutoCluster, 1), 1);
        assert_eq!(c.cost(AiFunction::AutoCluster, 30), 1);
        assert_eq!(c.cost(AiFunction::AutoCluster, 31), 2);
        assert_eq!(c.cost(AiFunction::AutoCluster, 0), 0);
        assert_eq!(c.cost(AiFunction::GenerateIdeas, 4), 4);
        assert_eq!(c.cost(AiFunction::GenerateContent, 2), 6);
        assert_eq!(c.cost(AiFunction::GenerateImages, 6), 6);
        assert_eq!(c.hold(AiFunction::GenerateIdeas, 1), 5);
    }

    #[test]
    fn plans_override_costs() {
        let c = CreditCosts::with_overrides(
            &serde_json::json!({"per_content": 5, "keywords_per_cluster_credit": 10, "per_image": -3, "x": 1}),
        );
        assert_eq!(c.cost(AiFunction::GenerateContent, 2), 10);
        assert_eq!(c.cost(AiFunction::AutoCluster, 20), 2);
        assert_eq!(c.per_image, 1, "negative overrides are ignored");
    }

    #[test]
    fn terminal_states() {
        assert!(JobStatus::Cancelled.is_terminal());
        assert!(!JobStatus::Running.is_terminal());
        assert_eq!("AI_CALL".parse::<JobPhase>(), Ok(JobPhase::AiCall));
    }
}
