//! Progress fan-out: one Redis pub/sub connection per API instance feeds an
//! in-memory broadcast to every subscriber on this instance. After a Redis
//! reconnect (or a subscriber falling behind) subscribers resync from the
//! snapshot and the job's event list.

use crate::graphql::jobs::types::JobProgress;
use igny8_jobs::automation::RunState;
use igny8_jobs::events::JobEvent;
use igny8_jobs::queue::Keys;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// One event as every subscriber gets it: decoded, and turned into its
/// GraphQL value, once per instance rather than once per subscriber.
#[derive(Debug)]
pub struct Delivered {
    pub event: JobEvent,
    /// `None` for an event no client can be shown (an unknown enum value).
    pub progress: Option<Arc<JobProgress>>,
}

impl Delivered {
    pub fn new(event: JobEvent) -> Arc<Self> {
        let progress = JobProgress::from_event(&event).map(Arc::new);
        Arc::new(Delivered { event, progress })
    }
}

#[derive(Debug, Clone)]
pub enum HubMsg {
    Event(Arc<Delivered>),
    /// An automation run's new state (`{prefix}:automation`).
    Run(Arc<RunState>),
    /// Events may have been missed (the connection dropped): resync.
    Resync,
}

#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<HubMsg>,
}

impl Hub {
    /// Starts the listener task on the job events and automation channels.
    pub fn start(client: redis::Client, keys: Keys) -> Hub {
        let (tx, _) = broadcast::channel(8192);
        let hub = Hub { tx: tx.clone() };
        tokio::spawn(listen(
            client,
            keys.events_channel(),
            keys.automation_channel(),
            tx,
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
}

async fn listen(
    client: redis::Client,
    channel: String,
    runs: String,
    tx: broadcast::Sender<HubMsg>,
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
                            let _ = tx.send(HubMsg::Event(Delivered::new(ev)));
                        }
                    }
                    tracing::warn!("progress hub lost its Redis connection; reconnecting");
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
