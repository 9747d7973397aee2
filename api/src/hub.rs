//! Progress fan-out: one Redis pub/sub connection per API instance feeds an
//! in-memory broadcast to every subscriber on this instance. After a Redis
//! reconnect (or a subscriber falling behind) subscribers resync from the
//! snapshot and the job's event list.

use igny8_jobs::automation::RunState;
use igny8_jobs::events::JobEvent;
use igny8_jobs::queue::Keys;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::broadcast;

/// What the hub broadcasts. An event is decoded once per instance and
/// shared: every subscriber's queue holds an `Arc` of it, and the GraphQL
/// side wraps that `Arc` (`graphql::jobs::types::JobProgress`) without
/// copying.
#[derive(Debug, Clone)]
pub enum HubMsg {
    Event(Arc<JobEvent>),
    /// An automation run's new state (`{prefix}:automation`).
    Run(Arc<RunState>),
    /// Events may have been missed (the connection dropped): resync.
    Resync,
}

#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<HubMsg>,
    /// Times the subscribed connection to Redis was lost.
    losses: Arc<AtomicU64>,
}

impl Hub {
    /// Starts the listener task on the job events and automation channels.
    pub fn start(client: redis::Client, keys: Keys) -> Hub {
        let (tx, _) = broadcast::channel(8192);
        let losses = Arc::new(AtomicU64::new(0));
        let hub = Hub {
            tx: tx.clone(),
            losses: losses.clone(),
        };
        tokio::spawn(listen(
            client,
            keys.events_channel(),
            keys.automation_channel(),
            tx,
            losses,
        ));
        hub
    }

    /// Subscribe *before* reading a snapshot, so no event falls in between.
    pub fn subscribe(&self) -> broadcast::Receiver<HubMsg> {
        self.tx.subscribe()
    }

    pub fn subscribers(&self) -> usize {
        self.tx.receiver_count()
    }

    /// How many times the hub lost its subscribed Redis connection (each
    /// followed by a resync once it is back).
    pub fn connection_losses(&self) -> u64 {
        self.losses.load(Ordering::Relaxed)
    }
}

async fn listen(
    client: redis::Client,
    channel: String,
    runs: String,
    tx: broadcast::Sender<HubMsg>,
    losses: Arc<AtomicU64>,
) {
    use futures::StreamExt;
    let mut first = true;
    loop {
        match client.get_async_pubsub().await {
            Ok(mut ps) => {
                if ps.subscribe(&[&channel, &runs]).await.is_ok() {
                    if !first {
                        tracing::info!("progress hub reconnected to Redis");
                        let _ = tx.send(HubMsg::Resync);
                    }
                    first = false;
                    let mut stream = ps.on_message();
                    while let Some(msg) = stream.next().await {
                        let Ok(payload) = msg.get_payload::<String>() else {
                            continue;
                        };
                        if msg.get_channel_name() == runs {
                            if let Ok(run) = serde_json::from_str::<RunState>(&payload) {
                                let _ = tx.send(HubMsg::Run(Arc::new(run)));
                            }
                            continue;
                        }
                        if let Ok(ev) = serde_json::from_str::<JobEvent>(&payload) {
                            metrics::counter!("igny8_job_events_total").increment(1);
                            let _ = tx.send(HubMsg::Event(Arc::new(ev)));
                        }
                    }
                    tracing::warn!("progress hub lost its Redis connection; reconnecting");
                    losses.fetch_add(1, Ordering::Relaxed);
                    let _ = tx.send(HubMsg::Resync);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "progress hub cannot reach Redis; retrying");
                first = false;
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
