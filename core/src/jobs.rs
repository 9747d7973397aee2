//! Jobs (JOB-1…3) and their credit costs (BIL-1): the kinds the database
//! stores, the typed and versioned input of each kind, states, phases and
//! progress bands, request limits, and what a job holds and charges.

use crate::planner::stored_enum;
use crate::role::UnknownValue;
use crate::validate::ValidationError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

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
    /// What the database stores in `ai_jobs.kind` (one row of `job_kinds`
    /// each): one per [`JobInput`] variant. AI kinds map to an [`AiFunction`].
    pub enum JobKind {
        AutoCluster => "auto_cluster",
        GenerateIdeas => "generate_ideas",
        GenerateContent => "generate_content",
        GenerateImagePrompts => "generate_image_prompts",
        GenerateImages => "generate_images",
        Publish => "publish",
        SyncWordpress => "sync_wordpress",
    }
}

impl JobKind {
    /// The AI function a kind runs (its template, model and costs); `None`
    /// for kinds that call no AI provider.
    pub fn ai_function(self) -> Option<AiFunction> {
        Some(match self {
            JobKind::AutoCluster => AiFunction::AutoCluster,
            JobKind::GenerateIdeas => AiFunction::GenerateIdeas,
            JobKind::GenerateContent => AiFunction::GenerateContent,
            JobKind::GenerateImagePrompts => AiFunction::GenerateImagePrompts,
            JobKind::GenerateImages => AiFunction::GenerateImages,
            JobKind::Publish | JobKind::SyncWordpress => return None,
        })
    }
}

impl From<AiFunction> for JobKind {
    fn from(f: AiFunction) -> Self {
        match f {
            AiFunction::AutoCluster => JobKind::AutoCluster,
            AiFunction::GenerateIdeas => JobKind::GenerateIdeas,
            AiFunction::GenerateContent => JobKind::GenerateContent,
            AiFunction::GenerateImagePrompts => JobKind::GenerateImagePrompts,
            AiFunction::GenerateImages => JobKind::GenerateImages,
        }
    }
}

stored_enum! {
    pub enum JobStatus {
        Queued => "queued",
        Running => "running",
        /// Every item succeeded.
        Succeeded => "succeeded",
        /// Some items succeeded, some failed (each failure has its message).
        Partial => "partial",
        /// No item succeeded.
        Failed => "failed",
        /// Stopped on request; its items say what was saved before.
        Cancelled => "cancelled",
    }
    default = Queued;
}

impl JobStatus {
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobStatus::Succeeded | JobStatus::Partial | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}

stored_enum! {
    /// What became of one item of a finished job (a keyword, a cluster, a
    /// task, an article, an image … whatever its input names).
    pub enum ItemStatus {
        /// Done and saved.
        Succeeded => "succeeded",
        /// Not done; the outcome's `error` says why.
        Failed => "failed",
        /// Not done because the job was cancelled first; nothing was saved for it.
        Cancelled => "cancelled",
    }
}

/// The outcome of one item of a job, kept in `ai_jobs.outcomes` and sent
/// with every progress event. Kind-neutral: `id` is an id of the job's
/// input ([`JobInput::item_ids`]), so a retry can name it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemOutcome {
    pub id: Uuid,
    pub status: ItemStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What else happened to it worth telling (e.g. "moved from cluster Coffee").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ItemOutcome {
    pub fn succeeded(id: Uuid) -> Self {
        ItemOutcome {
            id,
            status: ItemStatus::Succeeded,
            error: None,
            note: None,
        }
    }

    pub fn failed(id: Uuid, error: impl Into<String>) -> Self {
        ItemOutcome {
            id,
            status: ItemStatus::Failed,
            error: Some(error.into()),
            note: None,
        }
    }

    pub fn cancelled(id: Uuid) -> Self {
        ItemOutcome {
            id,
            status: ItemStatus::Cancelled,
            error: None,
            note: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// Counts of a job's item outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub succeeded: usize,
    pub failed: usize,
    pub cancelled: usize,
}

impl OutcomeCounts {
    pub fn of(items: &[ItemOutcome]) -> Self {
        let mut c = OutcomeCounts::default();
        for i in items {
            match i.status {
                ItemStatus::Succeeded => c.succeeded += 1,
                ItemStatus::Failed => c.failed += 1,
                ItemStatus::Cancelled => c.cancelled += 1,
            }
        }
        c
    }
}

/// How a job that ran to SAVE ended, decided by its items alone: all
/// succeeded → `Succeeded`, some → `Partial`, none → `Failed`; a job
/// stopped on request is `Cancelled` whatever it saved before.
pub fn outcome_status(items: &[ItemOutcome], cancelled: bool) -> JobStatus {
    if cancelled {
        return JobStatus::Cancelled;
    }
    let c = OutcomeCounts::of(items);
    match (c.succeeded, c.failed + c.cancelled) {
        (_, 0) => JobStatus::Succeeded,
        (0, _) => JobStatus::Failed,
        _ => JobStatus::Partial,
    }
}

/// The message of a failed or partial job: how many items failed and the
/// first reason (each item keeps its own).
pub fn failure_message(items: &[ItemOutcome]) -> Option<String> {
    let first = items
        .iter()
        .find(|i| i.status == ItemStatus::Failed)?
        .error
        .clone()
        .unwrap_or_else(|| "failed".into());
    let c = OutcomeCounts::of(items);
    let total = items.len();
    Some(if c.failed == 1 && total == 1 {
        first
    } else {
        format!("{} of {total} items failed: {first}", c.failed)
    })
}

/// The message of a cancelled job: what was saved before the cancel
/// (`summary` is the kind's own account of it, "2 of 5 articles written").
pub fn cancelled_message(items: &[ItemOutcome], summary: &str) -> String {
    if OutcomeCounts::of(items).succeeded == 0 {
        "cancelled; nothing was saved".into()
    } else {
        format!("cancelled; saved before the cancel: {summary}")
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

/// Keywords one provider call clusters (seed 000's per-request limit); a
/// job works through more in calls of at most this many.
pub const MAX_CLUSTER_KEYWORDS_PER_CALL: usize = 20;
/// Most items one request may name (JOB-1): keywords one clustering job takes.
pub const MAX_CLUSTER_KEYWORDS: usize = 5000;
pub const MAX_IDEA_CLUSTERS: usize = 1;
pub const MAX_CONTENT_TASKS: usize = 50;
pub const MAX_IMAGE_PROMPT_CONTENTS: usize = 50;
pub const MAX_IMAGES: usize = 6;
/// Contents one publish request may name (PUB-1).
pub const MAX_PUBLISH_CONTENTS: usize = 20;
/// Ideas one `generate_ideas` run may create (what it holds credits for).
pub const MAX_IDEAS_PER_CLUSTER: i64 = 5;

/// The version of the input shapes this code writes. A payload without `v`
/// was written before inputs were typed (version 0) and is upgraded by
/// [`JobInput::decode`]; a newer version is refused with a clear message.
pub const INPUT_VERSION: u64 = 1;

/// What a job is asked to do: one variant per [`JobKind`], stored in
/// `ai_jobs.payload` as `{"v": 1, "kind": "…", …fields}`. Ids are the
/// caller's; enqueueing checks they exist, are writable and share a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobInput {
    AutoCluster(AutoClusterInput),
    GenerateIdeas(GenerateIdeasInput),
    GenerateContent(GenerateContentInput),
    GenerateImagePrompts(GenerateImagePromptsInput),
    GenerateImages(GenerateImagesInput),
    Publish(PublishInput),
    SyncWordpress(SyncWordpressInput),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoClusterInput {
    /// At most [`MAX_CLUSTER_KEYWORDS`], all of one sector. With
    /// `whole_sector`, enqueueing fills them in.
    pub keyword_ids: Vec<Uuid>,
    /// Filled in by enqueueing (the keywords' sector); with `whole_sector`
    /// the request's sector.
    #[serde(default)]
    pub sector_id: Option<Uuid>,
    /// Cluster every active keyword of `sector_id` that is in no cluster
    /// (or, with `recluster`, every active keyword).
    #[serde(default)]
    pub whole_sector: bool,
    /// Keywords already in a cluster may move to another; each move is
    /// reported. Without it they are never touched.
    #[serde(default)]
    pub recluster: bool,
    /// Named keywords left out because they are in a cluster already
    /// (enqueueing counts them, the summary reports them).
    #[serde(default)]
    pub left_in_clusters: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateIdeasInput {
    pub cluster_id: Uuid,
    #[serde(default)]
    pub author_profile_id: Option<Uuid>,
    /// More ideas for a cluster that has some: the provider is told the
    /// titles it has and asked for different ones.
    #[serde(default)]
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateContentInput {
    pub task_ids: Vec<Uuid>,
    #[serde(default)]
    pub author_profile_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateImagePromptsInput {
    pub content_ids: Vec<Uuid>,
    /// In-article prompts per article, 1–6.
    pub max_in_article: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateImagesInput {
    pub image_ids: Vec<Uuid>,
}

/// The WordPress status a publish asks for (PUB-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishStatus {
    Draft,
    Publish,
    /// Scheduled at `publish_at`.
    Future,
}

impl PublishStatus {
    /// WordPress's name of the status.
    pub fn as_wp(self) -> &'static str {
        match self {
            PublishStatus::Draft => "draft",
            PublishStatus::Publish => "publish",
            PublishStatus::Future => "future",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishInput {
    /// At most [`MAX_PUBLISH_CONTENTS`], all of one site.
    pub content_ids: Vec<Uuid>,
    pub status: PublishStatus,
    /// RFC 3339, UTC; required for [`PublishStatus::Future`].
    #[serde(default)]
    pub publish_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncWordpressInput {
    pub site_id: Uuid,
}

/// Why a request for a job was refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputRefusal {
    Invalid(ValidationError),
    /// More items than one request may name.
    TooMany(String),
}

/// A stored payload this code cannot run (the job fails with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("job input: {0}")]
pub struct PayloadError(pub String);

impl JobInput {
    pub fn kind(&self) -> JobKind {
        match self {
            JobInput::AutoCluster(_) => JobKind::AutoCluster,
            JobInput::GenerateIdeas(_) => JobKind::GenerateIdeas,
            JobInput::GenerateContent(_) => JobKind::GenerateContent,
            JobInput::GenerateImagePrompts(_) => JobKind::GenerateImagePrompts,
            JobInput::GenerateImages(_) => JobKind::GenerateImages,
            JobInput::Publish(_) => JobKind::Publish,
            JobInput::SyncWordpress(_) => JobKind::SyncWordpress,
        }
    }

    /// The request's id list, its GraphQL field and limit.
    fn ids_mut(&mut self) -> Option<(&'static str, &mut Vec<Uuid>, usize)> {
        Some(match self {
            JobInput::AutoCluster(i) => ("keywordIds", &mut i.keyword_ids, MAX_CLUSTER_KEYWORDS),
            JobInput::GenerateIdeas(_) => return None,
            JobInput::GenerateContent(i) => ("taskIds", &mut i.task_ids, MAX_CONTENT_TASKS),
            JobInput::GenerateImagePrompts(i) => {
                ("contentIds", &mut i.content_ids, MAX_IMAGE_PROMPT_CONTENTS)
            }
            JobInput::GenerateImages(i) => ("imageIds", &mut i.image_ids, MAX_IMAGES),
            JobInput::Publish(i) => ("contentIds", &mut i.content_ids, MAX_PUBLISH_CONTENTS),
            JobInput::SyncWordpress(_) => return None,
        })
    }

    /// Deduplicates the ids and checks the request's limits (JOB-1).
    pub fn validated(mut self) -> Result<JobInput, InputRefusal> {
        if let JobInput::AutoCluster(i) = &mut self {
            i.left_in_clusters = 0;
            if i.whole_sector {
                // the sector's keywords are listed when it is admitted
                if i.sector_id.is_none() {
                    return Err(InputRefusal::Invalid(ValidationError::new(
                        "sectorId",
                        "give keywordIds or a sectorId",
                    )));
                }
                if !i.keyword_ids.is_empty() {
                    return Err(InputRefusal::Invalid(ValidationError::new(
                        "keywordIds",
                        "give keywordIds or a sectorId, not both",
                    )));
                }
                return Ok(self);
            }
            i.sector_id = None;
        }
        if let Some((field, ids, max)) = self.ids_mut() {
            if ids.is_empty() {
                return Err(InputRefusal::Invalid(ValidationError::new(
                    field,
                    "give at least one id",
                )));
            }
            ids.sort();
            ids.dedup();
            if ids.len() > max {
                return Err(InputRefusal::TooMany(format!(
                    "at most {max} per request ({} given)",
                    ids.len()
                )));
            }
        }
        if let JobInput::GenerateImagePrompts(i) = &self
            && !(1..=6).contains(&i.max_in_article)
        {
            return Err(InputRefusal::Invalid(ValidationError::new(
                "maxInArticle",
                "must be between 1 and 6",
            )));
        }
        if let JobInput::Publish(i) = &self {
            match (i.status, &i.publish_at) {
                (PublishStatus::Future, None) => {
                    return Err(InputRefusal::Invalid(ValidationError::new(
                        "publishAt",
                        "give the date to publish at for FUTURE",
                    )));
                }
                (PublishStatus::Draft | PublishStatus::Publish, Some(_)) => {
                    return Err(InputRefusal::Invalid(ValidationError::new(
                        "publishAt",
                        "only FUTURE takes a date",
                    )));
                }
                _ => {}
            }
        }
        Ok(self)
    }

    /// Inputs the credit hold is computed over (keywords, clusters, tasks,
    /// articles, images).
    pub fn requested(&self) -> i64 {
        match self {
            JobInput::AutoCluster(i) => i.keyword_ids.len() as i64,
            JobInput::GenerateIdeas(_) => 1,
            JobInput::GenerateContent(i) => i.task_ids.len() as i64,
            JobInput::GenerateImagePrompts(i) => i.content_ids.len() as i64,
            JobInput::GenerateImages(i) => i.image_ids.len() as i64,
            JobInput::Publish(i) => i.content_ids.len() as i64,
            JobInput::SyncWordpress(_) => 1,
        }
    }

    /// Items the job's progress counts ("n of N"): provider calls for
    /// clustering, else the items.
    pub fn items_total(&self) -> i32 {
        match self {
            JobInput::AutoCluster(i) => i
                .keyword_ids
                .len()
                .div_ceil(MAX_CLUSTER_KEYWORDS_PER_CALL)
                .max(1) as i32,
            JobInput::GenerateIdeas(_) | JobInput::SyncWordpress(_) => 1,
            other => other.requested() as i32,
        }
    }

    /// The most the job can cost under `costs`.
    pub fn hold(&self, costs: &CreditCosts) -> i64 {
        match self.kind().ai_function() {
            Some(f) => costs.hold(f, self.requested()),
            None => 0,
        }
    }

    /// The items a job's outcomes are about, in input order: keywords,
    /// the cluster, tasks, articles, images.
    pub fn item_ids(&self) -> Vec<Uuid> {
        match self {
            JobInput::AutoCluster(i) => i.keyword_ids.clone(),
            JobInput::GenerateIdeas(i) => vec![i.cluster_id],
            JobInput::GenerateContent(i) => i.task_ids.clone(),
            JobInput::GenerateImagePrompts(i) => i.content_ids.clone(),
            JobInput::GenerateImages(i) => i.image_ids.clone(),
            JobInput::Publish(i) => i.content_ids.clone(),
            JobInput::SyncWordpress(i) => vec![i.site_id],
        }
    }

    /// The same request over only `ids` (a retry of a job's failed
    /// items); `None` when none of them is an item of this input.
    pub fn only_items(&self, ids: &[Uuid]) -> Option<JobInput> {
        let keep = |list: &[Uuid]| -> Vec<Uuid> {
            list.iter().copied().filter(|i| ids.contains(i)).collect()
        };
        let out = match self {
            JobInput::AutoCluster(i) => JobInput::AutoCluster(AutoClusterInput {
                keyword_ids: keep(&i.keyword_ids),
                recluster: i.recluster,
                ..AutoClusterInput::default()
            }),
            JobInput::GenerateIdeas(i) => {
                if !ids.contains(&i.cluster_id) {
                    return None;
                }
                JobInput::GenerateIdeas(i.clone())
            }
            JobInput::GenerateContent(i) => JobInput::GenerateContent(GenerateContentInput {
                task_ids: keep(&i.task_ids),
                ..i.clone()
            }),
            JobInput::GenerateImagePrompts(i) => {
                JobInput::GenerateImagePrompts(GenerateImagePromptsInput {
                    content_ids: keep(&i.content_ids),
                    ..i.clone()
                })
            }
            JobInput::GenerateImages(i) => JobInput::GenerateImages(GenerateImagesInput {
                image_ids: keep(&i.image_ids),
            }),
            JobInput::Publish(i) => JobInput::Publish(PublishInput {
                content_ids: keep(&i.content_ids),
                ..i.clone()
            }),
            JobInput::SyncWordpress(i) => {
                if !ids.contains(&i.site_id) {
                    return None;
                }
                JobInput::SyncWordpress(i.clone())
            }
        };
        (!out.item_ids().is_empty()).then_some(out)
    }

    /// The author profile the request picked, if any.
    pub fn author_profile_id(&self) -> Option<Uuid> {
        match self {
            JobInput::GenerateIdeas(i) => i.author_profile_id,
            JobInput::GenerateContent(i) => i.author_profile_id,
            _ => None,
        }
    }

    /// The stored payload: `{"v": INPUT_VERSION, "kind": …, …}`.
    pub fn to_payload(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(map) = v.as_object_mut() {
            map.insert("v".into(), INPUT_VERSION.into());
        }
        v
    }

    /// Reads a stored payload of a job of `kind`: the current shape, or the
    /// untyped shape of version 0 (`{"keyword_ids": […], "sector_id": …}`,
    /// `{"cluster_ids": [id], "author_profile_id": …}`, `{"task_ids": …}`,
    /// `{"content_ids": …, "max_in_article": n}`, `{"image_ids": …}`).
    /// Never panics: anything else is a [`PayloadError`] saying what is wrong.
    pub fn decode(kind: JobKind, payload: &Value) -> Result<JobInput, PayloadError> {
        let Some(map) = payload.as_object() else {
            return Err(PayloadError("the payload is not an object".into()));
        };
        let bad = |e: serde_json::Error| PayloadError(format!("{kind} payload: {e}"));
        match map.get("v") {
            None => Self::decode_v0(kind, map).map_err(bad),
            Some(v) if v.as_u64() == Some(INPUT_VERSION) => {
                let mut map = map.clone();
                map.remove("v");
                let input: JobInput = serde_json::from_value(Value::Object(map)).map_err(bad)?;
                if input.kind() != kind {
                    return Err(PayloadError(format!(
                        "the payload is for {} but the job is {kind}",
                        input.kind()
                    )));
                }
                Ok(input)
            }
            Some(v) => Err(PayloadError(format!(
                "payload version {v} is not known to this worker (it reads up to {INPUT_VERSION}); \
                 a newer version of igny8 wrote it"
            ))),
        }
    }

    fn decode_v0(
        kind: JobKind,
        map: &serde_json::Map<String, Value>,
    ) -> Result<JobInput, serde_json::Error> {
        fn from<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, serde_json::Error> {
            serde_json::from_value(v)
        }
        let field = |k: &str| map.get(k).cloned().unwrap_or(Value::Null);
        Ok(match kind {
            JobKind::AutoCluster => JobInput::AutoCluster(AutoClusterInput {
                keyword_ids: from(field("keyword_ids"))?,
                sector_id: from(field("sector_id"))?,
                ..AutoClusterInput::default()
            }),
            JobKind::GenerateIdeas => {
                let ids: Vec<Uuid> = from(field("cluster_ids"))?;
                let Some(cluster_id) = ids.into_iter().next() else {
                    return Err(serde::de::Error::custom("cluster_ids is empty"));
                };
                JobInput::GenerateIdeas(GenerateIdeasInput {
                    cluster_id,
                    author_profile_id: from(field("author_profile_id"))?,
                    more: false,
                })
            }
            JobKind::GenerateContent => JobInput::GenerateContent(GenerateContentInput {
                task_ids: from(field("task_ids"))?,
                author_profile_id: from(field("author_profile_id"))?,
            }),
            JobKind::GenerateImagePrompts => {
                let max: Option<u64> = from(field("max_in_article"))?;
                JobInput::GenerateImagePrompts(GenerateImagePromptsInput {
                    content_ids: from(field("content_ids"))?,
                    max_in_article: max.unwrap_or(3).clamp(1, 6) as u8,
                })
            }
            JobKind::GenerateImages => JobInput::GenerateImages(GenerateImagesInput {
                image_ids: from(field("image_ids"))?,
            }),
            // kinds born after version 0 have no untyped shape
            JobKind::Publish | JobKind::SyncWordpress => {
                return Err(serde::de::Error::custom(format!(
                    "{kind} payloads always carry a version"
                )));
            }
        })
    }
}

/// Credits per operation (BIL-1); a plan may override any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditCosts {
    /// Clustering costs 1 credit per this many keywords (at least 1).
    pub keywords_per_cluster_credit: i64,
    pub per_idea: i64,
    pub per_content: i64,
    /// Per article whose image prompts are written: free by default
    /// ("included in content generation", seed 000).
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
            per_image_prompts: 0,
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
        assert_eq!(c.cost(AiFunction::GenerateImagePrompts, 4), 0);
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
    fn inputs_round_trip_with_their_version() {
        let input = JobInput::GenerateIdeas(GenerateIdeasInput {
            cluster_id: Uuid::from_u128(7),
            author_profile_id: None,
            more: false,
        });
        let payload = input.to_payload();
        assert_eq!(payload["v"], 1);
        assert_eq!(payload["kind"], "generate_ideas");
        assert_eq!(
            JobInput::decode(JobKind::GenerateIdeas, &payload),
            Ok(input)
        );
    }

    #[test]
    fn version_0_payloads_are_upgraded() {
        let id = Uuid::from_u128(1);
        let p = serde_json::json!({"cluster_ids": [id], "author_profile_id": null});
        assert_eq!(
            JobInput::decode(JobKind::GenerateIdeas, &p),
            Ok(JobInput::GenerateIdeas(GenerateIdeasInput {
                cluster_id: id,
                author_profile_id: None,
                more: false,
            }))
        );
        let p = serde_json::json!({"content_ids": [id], "max_in_article": 9});
        let JobInput::GenerateImagePrompts(i) =
            JobInput::decode(JobKind::GenerateImagePrompts, &p).unwrap()
        else {
            panic!()
        };
        assert_eq!(i.max_in_article, 6);
        let p = serde_json::json!({"keyword_ids": [id], "sector_id": id});
        assert!(JobInput::decode(JobKind::AutoCluster, &p).is_ok());
    }

    #[test]
    fn unreadable_payloads_say_why_and_never_panic() {
        let cases = [
            (JobKind::AutoCluster, serde_json::json!([1, 2])),
            (
                JobKind::AutoCluster,
                serde_json::json!({"keyword_ids": "x"}),
            ),
            (
                JobKind::GenerateIdeas,
                serde_json::json!({"cluster_ids": []}),
            ),
            (
                JobKind::GenerateImages,
                serde_json::json!({"v": 2, "kind": "generate_images"}),
            ),
            (
                JobKind::GenerateImages,
                serde_json::json!({"v": 1, "kind": "auto_cluster", "keyword_ids": []}),
            ),
            (
                JobKind::GenerateImages,
                serde_json::json!({"v": 1, "kind": "publish"}),
            ),
        ];
        for (kind, p) in cases {
            let e = JobInput::decode(kind, &p).unwrap_err();
            assert!(!e.0.is_empty(), "{p}");
        }
        let e = JobInput::decode(
            JobKind::GenerateImages,
            &serde_json::json!({"v": 2, "kind": "generate_images"}),
        )
        .unwrap_err();
        assert!(e.0.contains("newer version"), "{e}");
    }

    #[test]
    fn requests_are_deduplicated_and_limited() {
        let ids = |n: u128| (0..n).map(Uuid::from_u128).collect::<Vec<_>>();
        let mut twice = ids(20);
        twice.extend(ids(20));
        let ok = JobInput::AutoCluster(AutoClusterInput {
            keyword_ids: twice,
            ..AutoClusterInput::default()
        })
        .validated()
        .unwrap();
        assert_eq!(ok.requested(), 20);
        assert_eq!(ok.items_total(), 1, "one provider call");
        let many = JobInput::AutoCluster(AutoClusterInput {
            keyword_ids: ids(120),
            ..AutoClusterInput::default()
        })
        .validated()
        .unwrap();
        assert_eq!(many.items_total(), 6, "calls of at most 20");
        assert!(matches!(
            JobInput::AutoCluster(AutoClusterInput {
                keyword_ids: ids(MAX_CLUSTER_KEYWORDS as u128 + 1),
                ..AutoClusterInput::default()
            })
            .validated(),
            Err(InputRefusal::TooMany(_))
        ));
        assert!(matches!(
            JobInput::AutoCluster(AutoClusterInput {
                whole_sector: true,
                ..AutoClusterInput::default()
            })
            .validated(),
            Err(InputRefusal::Invalid(e)) if e.field == "sectorId"
        ));
        assert!(
            JobInput::AutoCluster(AutoClusterInput {
                whole_sector: true,
                sector_id: Some(Uuid::from_u128(5)),
                ..AutoClusterInput::default()
            })
            .validated()
            .is_ok()
        );
        assert!(matches!(
            JobInput::GenerateImages(GenerateImagesInput { image_ids: ids(7) }).validated(),
            Err(InputRefusal::TooMany(_))
        ));
        assert!(matches!(
            JobInput::GenerateContent(GenerateContentInput {
                task_ids: vec![],
                author_profile_id: None
            })
            .validated(),
            Err(InputRefusal::Invalid(e)) if e.field == "taskIds"
        ));
        assert!(matches!(
            JobInput::GenerateImagePrompts(GenerateImagePromptsInput {
                content_ids: ids(1),
                max_in_article: 0
            })
            .validated(),
            Err(InputRefusal::Invalid(e)) if e.field == "maxInArticle"
        ));
    }

    #[test]
    fn every_kind_is_stored_as_its_function() {
        for f in AiFunction::ALL {
            let k = JobKind::from(f);
            assert_eq!(k.as_str(), f.as_str());
            assert_eq!(k.ai_function(), Some(f));
        }
    }

    #[test]
    fn a_job_ends_as_its_items_did() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let ok = ItemOutcome::succeeded;
        let bad = |id| ItemOutcome::failed(id, "provider unreachable");
        assert_eq!(outcome_status(&[ok(a), ok(b)], false), JobStatus::Succeeded);
        assert_eq!(outcome_status(&[ok(a), bad(b)], false), JobStatus::Partial);
        assert_eq!(outcome_status(&[bad(a), bad(b)], false), JobStatus::Failed);
        assert_eq!(
            outcome_status(&[ok(a), ItemOutcome::cancelled(b)], true),
            JobStatus::Cancelled
        );
        assert_eq!(
            failure_message(&[ok(a), bad(b)]).unwrap(),
            "1 of 2 items failed: provider unreachable"
        );
        assert_eq!(failure_message(&[bad(a)]).unwrap(), "provider unreachable");
        assert_eq!(failure_message(&[ok(a)]), None);
        assert_eq!(
            cancelled_message(
                &[ok(a), ItemOutcome::cancelled(b)],
                "1 of 2 articles written"
            ),
            "cancelled; saved before the cancel: 1 of 2 articles written"
        );
        assert_eq!(
            cancelled_message(&[ItemOutcome::cancelled(b)], "0 of 2 articles written"),
            "cancelled; nothing was saved"
        );
    }

    #[test]
    fn outcomes_read_back_without_optional_fields() {
        let o: ItemOutcome = serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(3), "status": "failed"
        }))
        .unwrap();
        assert_eq!(o.status, ItemStatus::Failed);
        assert_eq!(o.error, None);
    }

    #[test]
    fn a_retry_names_only_the_failed_items() {
        let ids = (0..4).map(Uuid::from_u128).collect::<Vec<_>>();
        let input = JobInput::GenerateContent(GenerateContentInput {
            task_ids: ids.clone(),
            author_profile_id: Some(Uuid::from_u128(9)),
        });
        let retry = input
            .only_items(&[ids[1], ids[3], Uuid::from_u128(77)])
            .unwrap();
        assert_eq!(retry.item_ids(), vec![ids[1], ids[3]]);
        assert_eq!(retry.author_profile_id(), Some(Uuid::from_u128(9)));
        assert_eq!(input.only_items(&[Uuid::from_u128(77)]), None);
        let ideas = JobInput::GenerateIdeas(GenerateIdeasInput {
            cluster_id: ids[0],
            author_profile_id: None,
            more: false,
        });
        assert_eq!(ideas.only_items(&[ids[0]]), Some(ideas.clone()));
        assert_eq!(ideas.only_items(&[ids[1]]), None);
    }

    #[test]
    fn terminal_states() {
        assert!(JobStatus::Partial.is_terminal());
        assert!(JobStatus::Cancelled.is_terminal());
        assert!(!JobStatus::Running.is_terminal());
        assert_eq!("AI_CALL".parse::<JobPhase>(), Ok(JobPhase::AiCall));
    }
}
