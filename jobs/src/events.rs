//! Progress events. Each carries the job's full state and a per-job `seq`;
//! the worker appends it to the job's event list (so a subscriber can fill
//! a gap) and publishes it on the one events channel.

use crate::queue::Keys;
use igny8_core::jobs::{ItemOutcome, JobKind, JobPhase, JobStatus};
use igny8_db::models::AiJob;
use redis::RedisResult;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How long a job's event list is kept after its last event.
const EVENTS_TTL_SECS: i64 = 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobEvent {
    pub job_id: Uuid,
    pub account_id: Uuid,
    /// The job's site, for site grants (absent in events of older versions).
    #[serde(default)]
    pub site_id: Option<Uuid>,
    pub seq: i64,
    /// Named `function` on the wire, as events were before job kinds.
    #[serde(rename = "function")]
    pub kind: JobKind,
    pub status: JobStatus,
    pub phase: JobPhase,
    pub percent: i32,
    pub items_done: i32,
    pub items_total: i32,
    pub message: String,
    pub error: Option<String>,
    /// What became of each item, once the job has ended (absent in events
    /// of older versions).
    #[serde(default)]
    pub outcomes: Vec<ItemOutcome>,
}

impl From<&AiJob> for JobEvent {
    fn from(j: &AiJob) -> Self {
        JobEvent {
            job_id: j.id,
            account_id: j.account_id,
            site_id: j.site_id,
            seq: j.seq,
            kind: j.kind,
            status: j.status,
            phase: j.phase,
            percent: j.percent,
            items_done: j.items_done,
            items_total: j.items_total,
            message: j.message.clone(),
            error: j.error.clone(),
            outcomes: j.item_outcomes(),
        }
    }
}

impl JobEvent {
    /// Whether a subscriber limited to `scope` may see this job's events.
    pub fn visible_to(&self, scope: &igny8_core::Scope) -> bool {
        scope.account_id.is_none_or(|a| a == self.account_id)
            && match scope.site_ids() {
                None => true,
                Some(sites) => self.site_id.is_some_and(|s| sites.contains(&s)),
            }
    }

    pub fn is_terminal(&self) -> bool {
        self.status.is_terminal()
    }
}

#[derive(Clone)]
pub struct Publisher {
    keys: Keys,
    conn: ConnectionManager,
}

impl Publisher {
    pub fn new(keys: Keys, conn: ConnectionManager) -> Self {
        Publisher { keys, conn }
    }

    /// Appends the event at index `seq − 1` of the job's list and publishes
    /// it, atomically (MULTI). Events of earlier seqs missing from the list
    /// (a crash between commit and publish) are filled by the caller's
    /// snapshot from PostgreSQL.
    pub async fn publish(&self, job: &AiJob) -> RedisResult<()> {
        self.publish_all(&[JobEvent::from(job)]).await
    }

    /// Several events of one job, in `seq` order, in one round trip: one
    /// MULTI with one RPUSH of them all, one EXPIRE and a PUBLISH each, so
    /// subscribers receive exactly what separate [`Self::publish`] calls
    /// would have sent.
    pub async fn publish_all(&self, events: &[JobEvent]) -> RedisResult<()> {
        let Some(first) = events.first() else {
            return Ok(());
        };
        let json: Vec<String> = events
            .iter()
            .map(|ev| serde_json::to_string(ev).unwrap_or_default())
            .collect();
        let key = self.keys.job_events(first.job_id);
        let channel = self.keys.events_channel();
        let mut pipe = redis::pipe();
        pipe.atomic()
            .rpush(&key, &json)
            .ignore()
            .expire(&key, EVENTS_TTL_SECS)
            .ignore();
        for j in &json {
            pipe.publish(&channel, j).ignore();
        }
        let mut c = self.conn.clone();
        pipe.query_async::<()>(&mut c).await
    }
}

/// Events of a job after `after_seq`, from its list (for gap filling).
pub async fn events_after(
    conn: &mut ConnectionManager,
    keys: &Keys,
    job: Uuid,
    after_seq: i64,
) -> RedisResult<Vec<JobEvent>> {
    let raw: Vec<String> = redis::cmd("LRANGE")
        .arg(keys.job_events(job))
        .arg(0)
        .arg(-1)
        .query_async(conn)
        .await?;
    let mut out: Vec<JobEvent> = raw
        .iter()
        .filter_map(|s| serde_json::from_str(s).ok())
        .filter(|e: &JobEvent| e.seq > after_seq)
        .collect();
    out.sort_by_key(|e| e.seq);
    out.dedup_by_key(|e| e.seq);
    Ok(out)
}
