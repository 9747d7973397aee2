//! One module per job kind, each implementing [`Kind`]: what enqueueing
//! checks ([`Kind::admit`]), what PREP loads, one provider call per item
//! (AI_CALL), how the stored output is checked (PARSE), and what SAVE writes.
//! The engine (`crate::engine`) runs the phases, records every progress
//! step and owns the transactions' fencing and settlement; kinds never
//! record steps and never import the engine.
//!
//! Adding a kind: a `JobInput` variant and `JobKind` in `igny8_core::jobs`,
//! a module here implementing [`Kind`], its line in [`for_each_kind!`], a
//! resolver calling `crate::enqueue::enqueue`, and a migration inserting
//! the kind into `job_kinds`.

pub mod auto_cluster;
pub mod generate_content;
pub mod generate_ideas;
pub mod generate_image_prompts;
pub mod generate_images;
pub mod prompt;
pub mod publish;
pub mod sync_wordpress;

use crate::media::MediaStore;
use crate::provider::{ProviderError, Usage};
use crate::settings::Resolved;
use igny8_core::ai::cluster::KeywordIn;
use igny8_core::jobs::{ItemOutcome, JobKind};
use igny8_core::planner::KeywordIntent;
use igny8_core::{Actor, Scope};
use igny8_db::models::{AiJob, Keyword};
use igny8_db::{DbError, Tx};
use serde_json::Value;
use uuid::Uuid;

pub use prompt::Prompts;

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The provider or a dependency failed in a way worth retrying.
    #[error("{0}")]
    Transient(String),
    /// Bad input or bad AI output: retrying will not help.
    #[error("{0}")]
    Permanent(String),
    #[error("cancelled")]
    Cancelled,
    /// Another worker owns the job now; change nothing.
    #[error("lease lost")]
    LeaseLost,
    #[error("database: {0}")]
    Db(#[from] DbError),
}

pub fn provider_error(e: ProviderError) -> RunError {
    match e {
        ProviderError::Transient(m) => RunError::Transient(m),
        ProviderError::Permanent(m) => RunError::Permanent(m),
    }
}

/// Why enqueueing refused a request (nothing was written).
#[derive(Debug)]
pub enum Refusal {
    /// A named object is missing, another tenant's or of an ungranted site.
    NotFound(&'static str),
    /// The caller may read the site but not change it.
    Forbidden(String),
    /// The request is well-formed but cannot run (`field`, message).
    BadInput(&'static str, String),
    /// It names more than one job may take.
    LimitExceeded(String),
    Db(DbError),
}

impl From<DbError> for Refusal {
    fn from(e: DbError) -> Self {
        Refusal::Db(e)
    }
}

/// Checks rows an input names: all visible to the actor (else
/// `NOT_FOUND`), on sites the actor may write, all of one site. Returns it.
/// A job belongs to one site (site grants apply to it), so the objects of
/// one request must be of one site (`field`, else `BAD_USER_INPUT`).
pub fn one_writable_site<T>(
    actor: &Actor,
    rows: &[T],
    want: usize,
    site: impl Fn(&T) -> Uuid,
    what: &'static str,
    field: &'static str,
) -> Result<Uuid, Refusal> {
    let Some(first) = rows.first() else {
        return Err(Refusal::NotFound(what));
    };
    if rows.len() != want {
        return Err(Refusal::NotFound(what));
    }
    for r in rows {
        if !actor.can_write_site(site(r)) {
            return Err(Refusal::Forbidden(
                "you can read this site but not change it".into(),
            ));
        }
    }
    let s = site(first);
    if rows.iter().any(|r| site(r) != s) {
        return Err(Refusal::BadInput(
            field,
            format!("{field}: name {what}s of one site at a time"),
        ));
    }
    Ok(s)
}

/// How AI_CALL's outputs are stored in `raw_output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calls {
    /// One call; the raw output is its answer.
    One,
    /// One call per item, each followed by a progress step "n of N
    /// {noun}"; the raw output is `{"items": [{id, output | error}]}`.
    PerItem { noun: &'static str },
}

/// One provider call's answer: the raw entry and what it cost.
pub struct Called {
    pub entry: Value,
    pub usage: Usage,
}

impl Called {
    /// A per-item entry: the item's output, or its permanent failure.
    pub fn item<T: serde::Serialize>(
        id: Uuid,
        r: Result<(T, Usage), ProviderError>,
    ) -> Result<Called, RunError> {
        match r {
            Ok((out, usage)) => Ok(Called {
                entry: serde_json::json!({"id": id, "output": out}),
                usage,
            }),
            Err(ProviderError::Permanent(m)) => Ok(Called {
                entry: serde_json::json!({"id": id, "error": m}),
                usage: Usage::default(),
            }),
            Err(e) => Err(provider_error(e)),
        }
    }
}

/// What SAVE wrote, for the settlement and the job's result.
pub struct Saved {
    /// Items that succeeded (what is charged for).
    pub succeeded: i64,
    /// The type of the rows created (`credit_usage_logs.related_type`).
    pub related: &'static str,
    pub created: Vec<Uuid>,
    /// What became of each input item the kind worked on (items it does
    /// not report are completed by the engine: failed, or cancelled).
    pub outcomes: Vec<ItemOutcome>,
    pub summary: String,
}

/// PREP's context: the job, its tenant's scope, and the prompt renderer.
pub struct Prep<'a> {
    pub job: &'a AiJob,
    pub scope: Scope,
    pub prompts: Prompts,
}

/// AI_CALL's context: the account's providers and the media store; the
/// database and the server's providers (outbound client, secrets) for kinds
/// that record their side effects as they happen (publishing).
pub struct CallCtx<'a> {
    pub ai: &'a Resolved,
    pub media: &'a MediaStore,
    pub db: &'a igny8_db::Db,
    pub providers: &'a crate::settings::Providers,
}

/// One job kind. `Input` is its `JobInput` variant's data.
pub trait Kind: Send + Sync + 'static {
    type Input: Send + Sync;
    /// What PREP loaded: the rows worked on and each call's prompt.
    type Prepared: Send + Sync;
    /// PARSE's checked results.
    type Parsed: Send;
    const KIND: JobKind;
    const CALLS: Calls;

    /// Enqueue: checks the input's objects against the actor (in the
    /// enqueueing transaction) and returns the site the job belongs to.
    fn admit(
        tx: &mut Tx,
        actor: &Actor,
        input: &mut Self::Input,
    ) -> impl Future<Output = Result<Uuid, Refusal>> + Send;

    /// PREP: loads what the job works on in its tenant transaction and
    /// renders each call's prompt.
    fn prep(
        tx: &mut Tx,
        prep: &mut Prep<'_>,
        input: &Self::Input,
    ) -> impl Future<Output = Result<Self::Prepared, RunError>> + Send;

    /// Items progress counts ("n of N"); 0 means nothing is left to do.
    fn items(p: &Self::Prepared) -> i32;

    /// AI_CALL: the provider call for item `i` (0-based). A permanent
    /// provider failure of one item is its entry's `error`, not an `Err`.
    fn call(
        p: &Self::Prepared,
        i: usize,
        ctx: &CallCtx<'_>,
    ) -> impl Future<Output = Result<Called, RunError>> + Send;

    /// PARSE: the stored raw output into checked results.
    fn parse(p: &Self::Prepared, raw: &Value) -> Result<Self::Parsed, RunError>;

    /// SAVE: writes the results in the engine's fenced transaction.
    fn save(
        tx: &mut Tx,
        p: Self::Prepared,
        parsed: Self::Parsed,
    ) -> impl Future<Output = Result<Saved, RunError>> + Send;
}

/// Runs `$body` with `$K` the [`Kind`] of `$input` (a `JobInput`, by value
/// or by `&mut`) and `$i` its data: the one list of kinds.
#[macro_export]
macro_rules! for_each_kind {
    ($input:expr, |$K:ident, $i:ident| $body:expr) => {{
        use igny8_core::jobs::JobInput;
        match $input {
            JobInput::AutoCluster($i) => {
                type $K = $crate::kinds::auto_cluster::AutoCluster;
                $body
            }
            JobInput::GenerateIdeas($i) => {
                type $K = $crate::kinds::generate_ideas::GenerateIdeas;
                $body
            }
            JobInput::GenerateContent($i) => {
                type $K = $crate::kinds::generate_content::GenerateContent;
                $body
            }
            JobInput::GenerateImagePrompts($i) => {
                type $K = $crate::kinds::generate_image_prompts::GenerateImagePrompts;
                $body
            }
            JobInput::GenerateImages($i) => {
                type $K = $crate::kinds::generate_images::GenerateImages;
                $body
            }
            JobInput::Publish($i) => {
                type $K = $crate::kinds::publish::Publish;
                $body
            }
            JobInput::SyncWordpress($i) => {
                type $K = $crate::kinds::sync_wordpress::SyncWordpress;
                $body
            }
        }
    }};
}

/// Per-item outcomes of a multi-item call: the item id and its output or error.
pub type Items<T> = Vec<(Uuid, Result<T, String>)>;

/// Reads `{"items": [{id, output | error}]}`.
pub fn per_item<T: serde::de::DeserializeOwned>(raw: &Value) -> Result<Items<T>, RunError> {
    let items = raw["items"]
        .as_array()
        .ok_or_else(|| RunError::Permanent("malformed AI output: no items".into()))?;
    Ok(items
        .iter()
        .filter_map(|it| {
            let id = it["id"].as_str()?.parse().ok()?;
            Some(match it.get("output") {
                Some(o) => (
                    id,
                    serde_json::from_value::<T>(o.clone())
                        .map_err(|e| format!("malformed AI output: {e}")),
                ),
                None => (
                    id,
                    Err(it["error"].as_str().unwrap_or("no output").to_owned()),
                ),
            })
        })
        .collect())
}

pub fn malformed(e: serde_json::Error) -> RunError {
    RunError::Permanent(format!("malformed AI output: {e}"))
}

pub fn keyword_in(k: &Keyword) -> KeywordIn {
    KeywordIn {
        id: k.id.to_string(),
        keyword: k.keyword.clone(),
        volume: k.volume,
        intent: k
            .intent
            .as_deref()
            .and_then(|i| i.parse::<KeywordIntent>().ok()),
    }
}
