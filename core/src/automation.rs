//! Automation (AUT-1): the seven stages of a site's pipeline, a run's
//! states, a site's configuration and its validation, and the credit
//! estimate of pending work from the BIL-1 costs. No I/O.

use crate::jobs::{AiFunction, CreditCosts, MAX_IDEAS_PER_CLUSTER};
use crate::planner::stored_enum;
use crate::role::UnknownValue;
use crate::validate::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

stored_enum! {
    /// The stages, strictly in this order (stored as their text).
    pub enum Stage {
        /// Unclustered active keywords → clusters (per sector, ≤ 20 a batch).
        Clusters => "clusters",
        /// Clusters without ideas → ideas (one cluster a job).
        Ideas => "ideas",
        /// New ideas → writer tasks (no AI, no job).
        Tasks => "tasks",
        /// Tasks without content → articles.
        Content => "content",
        /// Articles without images → image prompts.
        ImagePrompts => "image_prompts",
        /// Pending prompts → images (≤ 6 a job).
        Images => "images",
        /// Finished articles → review (or the publish hook).
        Review => "review",
    }
}

impl Stage {
    /// 1-based position (`automation_runs.stage`).
    pub fn number(self) -> i32 {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0) as i32 + 1
    }

    pub fn from_number(n: i32) -> Option<Stage> {
        usize::try_from(n - 1)
            .ok()
            .and_then(|i| Stage::ALL.get(i).copied())
    }

    pub fn next(self) -> Option<Stage> {
        Stage::from_number(self.number() + 1)
    }

    /// The AI function a stage runs through a job; `None` for the stages
    /// the run does itself (queueing to the writer, the review gate).
    pub fn function(self) -> Option<AiFunction> {
        match self {
            Stage::Clusters => Some(AiFunction::AutoCluster),
            Stage::Ideas => Some(AiFunction::GenerateIdeas),
            Stage::Content => Some(AiFunction::GenerateContent),
            Stage::ImagePrompts => Some(AiFunction::GenerateImagePrompts),
            Stage::Images => Some(AiFunction::GenerateImages),
            Stage::Tasks | Stage::Review => None,
        }
    }

    /// The most items one batch (one job) may take: the job's own limit.
    pub fn max_batch(self) -> i32 {
        match self {
            // the job takes up to 5,000 keywords; a run's batch is one call's worth
            Stage::Clusters => crate::jobs::MAX_CLUSTER_KEYWORDS_PER_CALL as i32,
            Stage::Ideas => crate::jobs::MAX_IDEA_CLUSTERS as i32,
            Stage::Tasks => 100,
            Stage::Content => crate::jobs::MAX_CONTENT_TASKS as i32,
            Stage::ImagePrompts => crate::jobs::MAX_IMAGE_PROMPT_CONTENTS as i32,
            Stage::Images => crate::jobs::MAX_IMAGES as i32,
            Stage::Review => 100,
        }
    }

    pub fn default_batch(self) -> i32 {
        match self {
            Stage::Content => 5,
            Stage::ImagePrompts => 10,
            other => other.max_batch(),
        }
    }

    /// What one item of the stage is (messages).
    pub fn noun(self) -> &'static str {
        match self {
            Stage::Clusters => "keyword",
            Stage::Ideas => "cluster",
            Stage::Tasks => "idea",
            Stage::Content => "task",
            Stage::ImagePrompts | Stage::Review => "article",
            Stage::Images => "image",
        }
    }

    /// Credits `items` pending items of the stage may cost, in batches of
    /// `batch` (clustering is charged per job, with a minimum of 1; ideas
    /// are estimated at the most a cluster can yield).
    pub fn estimate(self, costs: &CreditCosts, items: i64, batch: i32) -> i64 {
        let Some(f) = self.function() else {
            return 0;
        };
        match self {
            Stage::Clusters => {
                let b = i64::from(batch.max(1));
                (items / b) * costs.cost(f, b) + costs.cost(f, items % b)
            }
            Stage::Ideas => costs.cost(f, items * MAX_IDEAS_PER_CLUSTER),
            _ => costs.cost(f, items),
        }
    }
}

stored_enum! {
    pub enum RunStatus {
        Running => "running",
        Paused => "paused",
        Completed => "completed",
        Cancelled => "cancelled",
        Failed => "failed",
    }
    default = Running;
}

impl RunStatus {
    /// A site has at most one run that is not finished (a unique index).
    pub fn is_active(self) -> bool {
        matches!(self, RunStatus::Running | RunStatus::Paused)
    }
}

stored_enum! {
    /// Why a run is paused.
    pub enum PauseReason {
        /// Somebody paused it.
        Requested => "requested",
        /// The account's credits, or the run's credit cap, do not cover the next batch.
        InsufficientCredits => "insufficient_credits",
    }
}

stored_enum! {
    pub enum StageStatus {
        Pending => "pending",
        Running => "running",
        Done => "done",
        /// Turned off in the site's configuration.
        Skipped => "skipped",
    }
    default = Pending;
}

stored_enum! {
    /// What happens after the review gate (stage 7).
    pub enum PublishMode {
        /// Stop with the articles in review.
        Review => "review",
        Draft => "draft",
        Publish => "publish",
        Scheduled => "scheduled",
    }
    default = Review;
}

stored_enum! {
    /// How a run started.
    pub enum RunTrigger {
        Manual => "manual",
        Schedule => "schedule",
        Rule => "rule",
    }
    default = Manual;
}

/// One stage's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSettings {
    pub stage: Stage,
    pub enabled: bool,
    pub batch_size: i32,
}

/// A site's automation configuration (stored as its row; a run keeps the
/// copy it started with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomationSettings {
    pub enabled: bool,
    /// One entry per stage, in order.
    pub stages: Vec<StageSettings>,
    pub author_profile_id: Option<uuid::Uuid>,
    pub publish_mode: PublishMode,
    /// Most credits one run may spend; `None`: the account's balance.
    pub credit_cap: Option<i64>,
    /// In-article image prompts per article (1–6).
    pub images_per_article: i32,
    /// Pause between two batches, in seconds (0–3600).
    pub delay_seconds: i32,
    /// When runs start by themselves (with `enabled`).
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// `PublishMode::Scheduled`: the posts go live this many minutes
    /// after stage 7 queued them (5–43,200).
    #[serde(default = "default_publish_delay")]
    pub publish_delay_minutes: i32,
}

fn default_publish_delay() -> i32 {
    1440
}

stored_enum! {
    pub enum Frequency {
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
        Cron => "cron",
    }
}

/// A schedule: a five-field cron expression read in an IANA time zone
/// (daily, weekly and monthly schedules are written as one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub frequency: Frequency,
    pub cron: String,
    pub time_zone: String,
}

impl Schedule {
    /// Builds and checks a schedule. `time` is `HH:MM` (daily, weekly,
    /// monthly); `weekday` 0–6 from Sunday (weekly); `day_of_month` 1–28
    /// (monthly); `cron` for `Frequency::Cron`.
    pub fn build(
        frequency: Frequency,
        time: Option<&str>,
        weekday: Option<i32>,
        day_of_month: Option<i32>,
        cron: Option<&str>,
        time_zone: &str,
    ) -> Result<Schedule, ValidationError> {
        time_zone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| ValidationError::new("timeZone", "not a known IANA time zone"))?;
        let at = || -> Result<(u32, u32), ValidationError> {
            let bad = || ValidationError::new("time", "give the time as HH:MM (24 hours)");
            let (h, m) = time.ok_or_else(bad)?.split_once(':').ok_or_else(bad)?;
            let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
            if h > 23 || m > 59 {
                return Err(bad());
            }
            Ok((h, m))
        };
        let cron = match frequency {
            Frequency::Daily => {
                let (h, m) = at()?;
                format!("{m} {h} * * *")
            }
            Frequency::Weekly => {
                let (h, m) = at()?;
                let d = weekday.filter(|d| (0..=6).contains(d)).ok_or_else(|| {
                    ValidationError::new("weekday", "give a weekday from 0 (Sunday) to 6")
                })?;
                format!("{m} {h} * * {d}")
            }
            Frequency::Monthly => {
                let (h, m) = at()?;
                let d = day_of_month
                    .filter(|d| (1..=28).contains(d))
                    .ok_or_else(|| {
                        ValidationError::new("dayOfMonth", "give a day of the month from 1 to 28")
                    })?;
                format!("{m} {h} {d} * *")
            }
            Frequency::Cron => {
                let c = cron.map(str::trim).unwrap_or_default().to_owned();
                if c.split_whitespace().count() != 5 {
                    return Err(ValidationError::new(
                        "cron",
                        "give five fields: minute hour day-of-month month day-of-week",
                    ));
                }
                c
            }
        };
        <croner::Cron as std::str::FromStr>::from_str(&cron).map_err(|e| {
            ValidationError::new("cron", format!("not a valid cron expression: {e}"))
        })?;
        Ok(Schedule {
            frequency,
            cron,
            time_zone: time_zone.to_owned(),
        })
    }

    /// The first due time strictly after `t`, read in the schedule's time
    /// zone (daylight-saving changes included); `None` if it never comes.
    pub fn next_after(
        &self,
        t: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        let tz: chrono_tz::Tz = self.time_zone.parse().ok()?;
        let cron = <croner::Cron as std::str::FromStr>::from_str(&self.cron).ok()?;
        use chrono::Timelike;
        // whole seconds: a due time is a minute, never "03:00 and 0.52 s"
        let t = t.with_nanosecond(0)?;
        cron.find_next_occurrence(&t.with_timezone(&tz), false)
            .ok()
            .and_then(|d| d.with_timezone(&chrono::Utc).with_nanosecond(0))
    }
}

impl Default for AutomationSettings {
    fn default() -> Self {
        AutomationSettings {
            enabled: true,
            stages: Stage::ALL
                .iter()
                .map(|s| StageSettings {
                    stage: *s,
                    enabled: true,
                    batch_size: s.default_batch(),
                })
                .collect(),
            author_profile_id: None,
            publish_mode: PublishMode::Review,
            credit_cap: None,
            images_per_article: 3,
            delay_seconds: 0,
            schedule: None,
            publish_delay_minutes: default_publish_delay(),
        }
    }
}

impl AutomationSettings {
    pub fn stage(&self, s: Stage) -> StageSettings {
        self.stages
            .iter()
            .find(|x| x.stage == s)
            .copied()
            .unwrap_or(StageSettings {
                stage: s,
                enabled: true,
                batch_size: s.default_batch(),
            })
    }

    /// Applies changes to stages (each named once) and checks every value.
    pub fn validated(mut self) -> Result<Self, ValidationError> {
        let mut seen = vec![];
        for st in &self.stages {
            if seen.contains(&st.stage) {
                return Err(ValidationError::new(
                    "stages",
                    format!("stage {} is named twice", st.stage),
                ));
            }
            seen.push(st.stage);
            if !(1..=st.stage.max_batch()).contains(&st.batch_size) {
                return Err(ValidationError::new(
                    "stages",
                    format!(
                        "the batch size of stage {} must be between 1 and {}",
                        st.stage,
                        st.stage.max_batch()
                    ),
                ));
            }
        }
        self.stages = Stage::ALL.iter().map(|s| self.stage(*s)).collect();
        if let Some(cap) = self.credit_cap
            && cap < 0
        {
            return Err(ValidationError::new("creditCap", "must not be negative"));
        }
        if !(1..=6).contains(&self.images_per_article) {
            return Err(ValidationError::new(
                "imagesPerArticle",
                "must be between 1 and 6",
            ));
        }
        if !(5..=43_200).contains(&self.publish_delay_minutes) {
            return Err(ValidationError::new(
                "publishDelayMinutes",
                "must be between 5 and 43200 (30 days)",
            ));
        }
        if !(0..=3600).contains(&self.delay_seconds) {
            return Err(ValidationError::new(
                "delaySeconds",
                "must be between 0 and 3600",
            ));
        }
        Ok(self)
    }
}

stored_enum! {
    /// What fires a rule (AUT-2).
    pub enum RuleTrigger {
        KeywordAdded => "keyword_added",
        ClusterCreated => "cluster_created",
        IdeaCreated => "idea_created",
        ContentGenerated => "content_generated",
        /// Refused on save: times are the site's schedule's business
        /// (`AutomationSettings::schedule`), not a rule's.
        Schedule => "schedule",
    }
}

impl RuleTrigger {
    /// The trigger a finished job of `kind` raises.
    pub fn of_job(kind: crate::jobs::JobKind) -> Option<RuleTrigger> {
        use crate::jobs::JobKind as K;
        match kind {
            K::AutoCluster => Some(RuleTrigger::ClusterCreated),
            K::GenerateIdeas => Some(RuleTrigger::IdeaCreated),
            K::GenerateContent => Some(RuleTrigger::ContentGenerated),
            _ => None,
        }
    }
}

stored_enum! {
    /// What one firing of a rule did.
    pub enum RuleOutcome {
        Started => "started",
        /// Fewer items pending for its stage than the rule asks for.
        SkippedCondition => "skipped_condition",
        /// `maxExecutionsPerDay` reached.
        SkippedLimit => "skipped_limit",
        /// The site already has a run that is not finished.
        SkippedBusy => "skipped_busy",
        /// The site's automation is turned off.
        SkippedDisabled => "skipped_disabled",
        /// The event came from a run a rule started: rules never fire rules.
        LoopPrevented => "loop_prevented",
    }
}

/// Checks a rule's numbers (GraphQL field names).
pub fn check_rule(
    min_pending: i32,
    max_per_day: i32,
    credit_limit: i64,
    trigger: RuleTrigger,
) -> Result<(), ValidationError> {
    if trigger == RuleTrigger::Schedule {
        return Err(ValidationError::new(
            "trigger",
            "a rule cannot fire on SCHEDULE: give the site a schedule instead \
             (updateAutomationConfig's schedule starts runs at set times)",
        ));
    }
    if min_pending < 0 {
        return Err(ValidationError::new("minPending", "must not be negative"));
    }
    if !(1..=1000).contains(&max_per_day) {
        return Err(ValidationError::new(
            "maxExecutionsPerDay",
            "must be between 1 and 1000",
        ));
    }
    if credit_limit < 0 {
        return Err(ValidationError::new(
            "creditLimitPerExecution",
            "must not be negative",
        ));
    }
    Ok(())
}

/// The settings of a run a rule starts: the site's, with only the rule's
/// stage turned on and the credit cap at most the rule's limit.
pub fn rule_run_settings(
    site: &AutomationSettings,
    stage: Stage,
    credit_limit: i64,
) -> AutomationSettings {
    let mut s = site.clone();
    s.stages = Stage::ALL
        .iter()
        .map(|st| StageSettings {
            enabled: *st == stage,
            ..site.stage(*st)
        })
        .collect();
    s.credit_cap = Some(s.credit_cap.map_or(credit_limit, |c| c.min(credit_limit)));
    s
}

/// Percent of a stage: settled items of all it has had or still has.
pub fn stage_percent(settled: i32, remaining: i32) -> i32 {
    let total = settled + remaining;
    if total <= 0 {
        return 100;
    }
    (settled.clamp(0, total) * 100 / total).clamp(0, 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_numbered_in_order() {
        assert_eq!(Stage::Clusters.number(), 1);
        assert_eq!(Stage::Review.number(), 7);
        assert_eq!(Stage::from_number(4), Some(Stage::Content));
        assert_eq!(Stage::from_number(8), None);
        assert_eq!(Stage::from_number(0), None);
        assert_eq!(Stage::Images.next(), Some(Stage::Review));
        assert_eq!(Stage::Review.next(), None);
    }

    #[test]
    fn estimates_follow_bil_1() {
        let c = CreditCosts::default();
        // 45 keywords in batches of 20: 1 + 1 + 1
        assert_eq!(Stage::Clusters.estimate(&c, 45, 20), 3);
        assert_eq!(Stage::Clusters.estimate(&c, 0, 20), 0);
        assert_eq!(Stage::Ideas.estimate(&c, 2, 1), 10);
        assert_eq!(Stage::Tasks.estimate(&c, 9, 100), 0);
        assert_eq!(Stage::Content.estimate(&c, 4, 5), 12);
        assert_eq!(Stage::Images.estimate(&c, 7, 6), 7);
        assert_eq!(Stage::Review.estimate(&c, 7, 6), 0);
    }

    #[test]
    fn settings_are_checked_and_completed() {
        let s = AutomationSettings {
            stages: vec![StageSettings {
                stage: Stage::Images,
                enabled: false,
                batch_size: 2,
            }],
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(s.stages.len(), 7);
        assert!(!s.stage(Stage::Images).enabled);
        assert_eq!(s.stage(Stage::Clusters).batch_size, 20);
        let bad = AutomationSettings {
            stages: vec![StageSettings {
                stage: Stage::Clusters,
                enabled: true,
                batch_size: 21,
            }],
            ..Default::default()
        };
        assert_eq!(bad.validated().unwrap_err().field, "stages");
        let bad = AutomationSettings {
            delay_seconds: -1,
            ..Default::default()
        };
        assert_eq!(bad.validated().unwrap_err().field, "delaySeconds");
    }

    #[test]
    fn rules_run_one_stage_within_their_limit() {
        let s = rule_run_settings(&AutomationSettings::default(), Stage::Ideas, 100);
        assert!(s.stage(Stage::Ideas).enabled);
        assert!(!s.stage(Stage::Clusters).enabled);
        assert_eq!(s.credit_cap, Some(100));
        let capped = AutomationSettings {
            credit_cap: Some(7),
            ..Default::default()
        };
        assert_eq!(
            rule_run_settings(&capped, Stage::Ideas, 100).credit_cap,
            Some(7)
        );
        assert_eq!(
            check_rule(1, 10, 100, RuleTrigger::Schedule)
                .unwrap_err()
                .field,
            "trigger"
        );
        assert_eq!(
            check_rule(1, 0, 100, RuleTrigger::IdeaCreated)
                .unwrap_err()
                .field,
            "maxExecutionsPerDay"
        );
        assert!(check_rule(0, 10, 100, RuleTrigger::KeywordAdded).is_ok());
        assert_eq!(
            RuleTrigger::of_job(crate::jobs::JobKind::AutoCluster),
            Some(RuleTrigger::ClusterCreated)
        );
    }

    #[test]
    fn schedules_follow_their_time_zone_across_daylight_saving() {
        use chrono::TimeZone;
        let utc = |y, mo, d, h, mi| chrono::Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap();
        let s = Schedule::build(
            Frequency::Daily,
            Some("03:00"),
            None,
            None,
            None,
            "Europe/Berlin",
        )
        .unwrap();
        assert_eq!(s.cron, "0 3 * * *");
        // 03:00 in Berlin is 02:00 UTC in winter, 01:00 UTC after the change on 2027-03-28
        assert_eq!(
            s.next_after(utc(2027, 3, 26, 12, 0)),
            Some(utc(2027, 3, 27, 2, 0))
        );
        assert_eq!(
            s.next_after(utc(2027, 3, 27, 12, 0)),
            Some(utc(2027, 3, 28, 1, 0))
        );
        // with a fraction of a second: the due time is still the whole minute
        assert_eq!(
            s.next_after(utc(2027, 3, 26, 12, 0) + chrono::Duration::milliseconds(520)),
            Some(utc(2027, 3, 27, 2, 0))
        );
        // 02:30 does not exist in Berlin on 2027-03-28 (02:00 → 03:00) and
        // happens twice on 2027-10-31 (03:00 → 02:00): runs once each day
        let gap = Schedule::build(
            Frequency::Daily,
            Some("02:30"),
            None,
            None,
            None,
            "Europe/Berlin",
        )
        .unwrap();
        let spring = gap.next_after(utc(2027, 3, 27, 12, 0)).unwrap();
        assert!(
            spring > utc(2027, 3, 27, 12, 0) && spring <= utc(2027, 3, 29, 0, 30),
            "{spring}"
        );
        assert_eq!(
            gap.next_after(spring),
            Some(utc(2027, 3, 29, 0, 30)),
            "the day after: 02:30 summer time"
        );
        let autumn = gap.next_after(utc(2027, 10, 30, 12, 0)).unwrap();
        assert!(
            autumn == utc(2027, 10, 31, 0, 30) || autumn == utc(2027, 10, 31, 1, 30),
            "{autumn}"
        );
        assert_eq!(
            gap.next_after(autumn),
            Some(utc(2027, 11, 1, 1, 30)),
            "not twice on the day the clocks go back"
        );
        let w =
            Schedule::build(Frequency::Weekly, Some("9:30"), Some(1), None, None, "UTC").unwrap();
        assert_eq!(
            w.next_after(utc(2026, 12, 8, 0, 0)),
            Some(utc(2026, 12, 14, 9, 30))
        );
        let m = Schedule::build(
            Frequency::Monthly,
            Some("00:00"),
            None,
            Some(1),
            None,
            "Asia/Tokyo",
        )
        .unwrap();
        assert_eq!(
            m.next_after(utc(2026, 12, 8, 0, 0)),
            Some(utc(2026, 12, 31, 15, 0))
        );
        for (f, time, cron, tz, field) in [
            (Frequency::Daily, Some("25:00"), None, "UTC", "time"),
            (
                Frequency::Daily,
                Some("03:00"),
                None,
                "Mars/Olympus",
                "timeZone",
            ),
            (Frequency::Cron, None, Some("* * *"), "UTC", "cron"),
            (Frequency::Cron, None, Some("99 * * * *"), "UTC", "cron"),
        ] {
            assert_eq!(
                Schedule::build(f, time, None, None, cron, tz)
                    .unwrap_err()
                    .field,
                field
            );
        }
    }

    #[test]
    fn percent_of_a_stage() {
        assert_eq!(stage_percent(0, 0), 100);
        assert_eq!(stage_percent(1, 3), 25);
        assert_eq!(stage_percent(4, 0), 100);
    }
}
