//! The jobs stream on Redis: a consumer group of workers, acknowledgements,
//! reclaiming idle entries, and a dead-letter stream.

use redis::aio::ConnectionManager;
use redis::streams::{
    StreamAutoClaimOptions, StreamAutoClaimReply, StreamReadOptions, StreamReadReply,
};
use redis::{AsyncCommands, RedisResult};
use uuid::Uuid;

pub const GROUP: &str = "workers";

/// Key names under one prefix (tests use a prefix each).
#[derive(Clone, Debug)]
pub struct Keys {
    pub prefix: String,
}

impl Keys {
    pub fn stream(&self) -> String {
        format!("{}:jobs", self.prefix)
    }
    pub fn dead_letter(&self) -> String {
        format!("{}:jobs:dead", self.prefix)
    }
    pub fn events_channel(&self) -> String {
        format!("{}:events", self.prefix)
    }
    /// Automation runs' states (`crate::automation::RunState`).
    pub fn automation_channel(&self) -> String {
        format!("{}:automation", self.prefix)
    }
    /// Every progress event of one job, in `seq` order (index = seq − 1).
    pub fn job_events(&self, job: Uuid) -> String {
        format!("{}:job:{job}:events", self.prefix)
    }
}

/// One delivered stream entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub job_id: Option<Uuid>,
}

#[derive(Clone)]
pub struct Queue {
    pub keys: Keys,
    conn: ConnectionManager,
}

impl Queue {
    pub fn new(keys: Keys, conn: ConnectionManager) -> Self {
        Queue { keys, conn }
    }

    /// Adds a job to the stream.
    pub async fn push(&self, job: Uuid) -> RedisResult<()> {
        let mut c = self.conn.clone();
        let _: String = c
            .xadd(self.keys.stream(), "*", &[("job", job.to_string())])
            .await?;
        Ok(())
    }

    /// Creates the consumer group (and the stream) if missing.
    pub async fn ensure_group(&self) -> RedisResult<()> {
        let mut c = self.conn.clone();
        let r: RedisResult<()> = c
            .xgroup_create_mkstream(self.keys.stream(), GROUP, "0")
            .await;
        match r {
            Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
            other => other,
        }
    }

    /// New entries for this consumer, waiting up to `block_ms`.
    pub async fn read(
        &self,
        consumer: &str,
        count: usize,
        block_ms: usize,
    ) -> RedisResult<Vec<Entry>> {
        let mut c = self.conn.clone();
        let opts = StreamReadOptions::default()
            .group(GROUP, consumer)
            .count(count)
            .block(block_ms);
        let reply: StreamReadReply = c
            .xread_options(&[self.keys.stream()], &[">"], &opts)
            .await?;
        Ok(reply
            .keys
            .into_iter()
            .flat_map(|k| k.ids)
            .map(|e| Entry {
                job_id: job_of(&e.map),
                id: e.id,
            })
            .collect())
    }

    /// Entries pending longer than `idle_ms` (their consumer died), now ours.
    pub async fn reclaim(
        &self,
        consumer: &str,
        idle_ms: usize,
        count: usize,
    ) -> RedisResult<Vec<Entry>> {
        let mut c = self.conn.clone();
        let opts = StreamAutoClaimOptions::default().count(count);
        let reply: StreamAutoClaimReply = c
            .xautoclaim_options(self.keys.stream(), GROUP, consumer, idle_ms, "0-0", opts)
            .await?;
        Ok(reply
            .claimed
            .into_iter()
            .map(|e| Entry {
                job_id: job_of(&e.map),
                id: e.id,
            })
            .collect())
    }

    pub async fn ack(&self, entry: &str) -> RedisResult<()> {
        let mut c = self.conn.clone();
        let _: i64 = c.xack(self.keys.stream(), GROUP, &[entry]).await?;
        Ok(())
    }

    /// Records a job that failed too often, for operators.
    pub async fn dead_letter(&self, job: Uuid, reason: &str) -> RedisResult<()> {
        let mut c = self.conn.clone();
        let _: String = c
            .xadd(
                self.keys.dead_letter(),
                "*",
                &[("job", job.to_string()), ("reason", reason.to_owned())],
            )
            .await?;
        Ok(())
    }
}

fn job_of(map: &std::collections::HashMap<String, redis::Value>) -> Option<Uuid> {
    match map.get("job")? {
        redis::Value::BulkString(b) => std::str::from_utf8(b).ok()?.parse().ok(),
        redis::Value::SimpleString(s) => s.parse().ok(),
        _ => None,
    }
}
