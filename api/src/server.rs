//! The accept loop in front of the router: a cap on open connections with a
//! reserve that still answers health checks, a cap per client address, and
//! header and body read timeouts (`axum::serve` has no knobs for these).

use crate::app::AppState;
use crate::config::Transport;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// Open entries per key (a client address, a user), each at most `max`
/// (0: no cap). A [`Ticket`] holds one entry until it is dropped.
pub struct Tally<K> {
    max: usize,
    counts: Mutex<HashMap<K, usize>>,
}

impl<K: Hash + Eq + Clone> Tally<K> {
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Tally {
            max,
            counts: Mutex::new(HashMap::new()),
        })
    }

    /// An entry for `key`, or `None` when `key` holds `max` already.
    pub fn take(self: &Arc<Self>, key: K) -> Option<Ticket<K>> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(key.clone()).or_default();
        if self.max > 0 && *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Ticket {
            tally: self.clone(),
            key,
        })
    }
}

pub struct Ticket<K: Hash + Eq> {
    tally: Arc<Tally<K>>,
    key: K,
}

impl<K: Hash + Eq> Drop for Ticket<K> {
    fn drop(&mut self) {
        let mut counts = self.tally.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = counts.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

/// The connection caps of one server.
struct Gate {
    max: usize,
    reserved: usize,
    open: AtomicUsize,
    reserve_open: AtomicUsize,
    per_ip: Arc<Tally<IpAddr>>,
}

/// A connection's place under the caps, held until it closes; an upgraded
/// WebSocket keeps it (see `ws::upgrade`).
pub struct ConnectionSlot {
    gate: Arc<Gate>,
    /// Over the cap, in the reserve: only health checks are served.
    over_capacity: bool,
    _per_ip: Ticket<IpAddr>,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let counter = if self.over_capacity {
            &self.gate.reserve_open
        } else {
            &self.gate.open
        };
        counter.fetch_sub(1, Ordering::AcqRel);
        metrics::gauge!("igny8_connections").decrement(1.0);
    }
}

/// What a refused connection is told before it is closed.
const TOO_MANY_FROM_ADDRESS: &[u8] = b"HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: 102\r\nretry-after: 1\r\nconnection: close\r\n\r\n{\"errors\":[{\"message\":\"too many connections from this address\",\"extensions\":{\"code\":\"RATE_LIMITED\"}}]}";
const AT_CAPACITY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: 101\r\nretry-after: 1\r\nconnection: close\r\n\r\n{\"errors\":[{\"message\":\"the server is at its connection limit\",\"extensions\":{\"code\":\"RATE_LIMITED\"}}]}";

impl Gate {
    /// A slot for a new connection from `ip`, or the reply that refuses it.
    fn admit(
        self: &Arc<Self>,
        ip: IpAddr,
    ) -> Result<ConnectionSlot, (&'static [u8], &'static str)> {
        let per_ip = self
            .per_ip
            .take(ip)
            .ok_or((TOO_MANY_FROM_ADDRESS, "per_ip"))?;
        let over_capacity = if self.open.fetch_add(1, Ordering::AcqRel) < self.max {
            false
        } else {
            self.open.fetch_sub(1, Ordering::AcqRel);
            if self.reserve_open.fetch_add(1, Ordering::AcqRel) >= self.reserved {
                self.reserve_open.fetch_sub(1, Ordering::AcqRel);
                return Err((AT_CAPACITY, "capacity"));
            }
            true
        };
        metrics::gauge!("igny8_connections").increment(1.0);
        Ok(ConnectionSlot {
            gate: self.clone(),
            over_capacity,
            _per_ip: per_ip,
        })
    }
}

/// Files the process needs besides its connections (database and Redis
/// pools, logs, media).
const OTHER_FILES: u64 = 256;

/// The connection cap the process can keep: the soft file limit is raised
/// to what the caps need (up to the hard limit); if that is not enough, the
/// cap shrinks so that health checks still find a free descriptor.
fn connection_cap(t: &Transport) -> usize {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let needed = (t.max_connections + t.reserved_connections) as u64 + OTHER_FILES;
        let limit = getrlimit(Resource::Nofile);
        let mut current = limit.current.unwrap_or(u64::MAX);
        if current < needed {
            let raised = limit.maximum.map_or(needed, |m| m.min(needed));
            if setrlimit(
                Resource::Nofile,
                Rlimit {
                    current: Some(raised),
                    maximum: limit.maximum,
                },
            )
            .is_ok()
            {
                current = raised;
            }
        }
        if current < needed {
            let cap = current
                .saturating_sub(t.reserved_connections as u64 + OTHER_FILES)
                .max(1) as usize;
            tracing::warn!(
                open_files = current,
                configured = t.max_connections,
                cap,
                "the open-file limit is too low for IGNY8_MAX_CONNECTIONS; lowering the cap"
            );
            return cap;
        }
    }
    t.max_connections
}

/// Serves `state`'s router on `listener` until `shutdown` resolves, then
/// waits for open requests to finish.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let t = state.config.transport;
    let gate = Arc::new(Gate {
        max: connection_cap(&t),
        reserved: t.reserved_connections,
        open: AtomicUsize::new(0),
        reserve_open: AtomicUsize::new(0),
        per_ip: Tally::new(t.max_connections_per_ip),
    });
    let router = crate::app::router(state);
    let (stop_tx, stop_rx) = watch::channel(());
    let (done_tx, done_rx) = watch::channel(());
    let shutdown = std::pin::pin!(shutdown);
    let mut shutdown = shutdown;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    if !is_connection_error(&e) {
                        // e.g. out of file descriptors: let some close
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let slot = match gate.admit(peer.ip()) {
            Ok(slot) => slot,
            Err((reply, reason)) => {
                metrics::counter!("igny8_connections_refused_total", "reason" => reason)
                    .increment(1);
                // best effort: a fresh socket's send buffer is empty
                let _ = stream.try_write(reply);
                continue;
            }
        };
        let conn = serve_connection(router.clone(), stream, peer, slot, t, stop_rx.clone());
        let done_rx = done_rx.clone();
        tokio::spawn(async move {
            conn.await;
            drop(done_rx);
        });
    }
    drop(listener);
    drop(done_rx);
    let _ = stop_tx.send(());
    done_tx.closed().await;
    Ok(())
}

/// Errors of one connection, not of the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

async fn serve_connection(
    router: axum::Router,
    stream: TcpStream,
    peer: SocketAddr,
    slot: ConnectionSlot,
    t: Transport,
    mut stop: watch::Receiver<()>,
) {
    let _ = stream.set_nodelay(true);
    let over_capacity = slot.over_capacity;
    let slot = Arc::new(slot);
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let mut req = req.map(|b| Body::new(TimeoutBody::new(t.body_read_timeout, b)));
        req.extensions_mut().insert(ConnectInfo(peer));
        req.extensions_mut().insert(slot.clone());
        let router = router.clone();
        async move {
            if over_capacity && !matches!(req.uri().path(), "/healthz" | "/readyz") {
                return Ok::<_, Infallible>(at_capacity());
            }
            router.oneshot(req).await
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(t.header_read_timeout)
        // a reserve connection serves one health check and closes
        .keep_alive(!over_capacity);
    let conn = builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::trace!(error = %e, "connection ended");
            }
        }
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

fn at_capacity() -> Response {
    let mut r = crate::http::error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        crate::http::MediaType::Json,
        "RATE_LIMITED",
        "the server is at its connection limit",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_replies_declare_their_length() {
        for reply in [TOO_MANY_FROM_ADDRESS, AT_CAPACITY] {
            let text = std::str::from_utf8(reply).unwrap();
            let (head, body) = text.split_once("\r\n\r\n").unwrap();
            let declared = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .unwrap();
            assert_eq!(declared.parse::<usize>().unwrap(), body.len(), "{text}");
            serde_json::from_str::<serde_json::Value>(body).unwrap();
        }
    }

    #[test]
    fn over_the_cap_the_reserve_fills_then_connections_are_refused() {
        let gate = Arc::new(Gate {
            max: 2,
            reserved: 1,
            open: AtomicUsize::new(0),
            reserve_open: AtomicUsize::new(0),
            per_ip: Tally::new(3),
        });
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = gate.admit(a).ok().unwrap();
        let _second = gate.admit(a).ok().unwrap();
        assert!(!first.over_capacity);
        let reserve = gate.admit(a).ok().unwrap();
        assert!(reserve.over_capacity, "the third gets a health-check place");
        assert_eq!(gate.admit(b).err().unwrap().1, "capacity");
        // `a` holds three: its own cap refuses it before the global one
        assert_eq!(gate.admit(a).err().unwrap().1, "per_ip");
        drop(reserve);
        assert!(gate.admit(b).ok().unwrap().over_capacity);
        drop(first);
        assert!(!gate.admit(b).ok().unwrap().over_capacity);
    }

    #[test]
    fn a_tally_caps_each_key_and_frees_on_drop() {
        let t = Tally::new(2);
        let a = t.take("a").unwrap();
        let _b = t.take("a").unwrap();
        assert!(t.take("a").is_none());
        assert!(t.take("b").is_some());
        drop(a);
        assert!(t.take("a").is_some());
        let unlimited = Tally::new(0);
        let held: Vec<_> = (0..1000).map(|_| unlimited.take(1).unwrap()).collect();
        drop(held);
        assert!(unlimited.counts.lock().unwrap().is_empty());
    }
}
