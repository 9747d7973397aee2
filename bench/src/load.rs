//! HTTP load: closed loop (fixed concurrency, one keep-alive connection per
//! worker) and open loop (fixed offered rate, latency measured from the
//! intended send time so a slow server cannot hide its queueing).

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// Where requests go and what they carry besides the body.
#[derive(Clone, Debug)]
pub struct Target {
    pub addr: SocketAddr,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Target {
    pub fn new(addr: SocketAddr, path: &str) -> Self {
        Target {
            addr,
            path: path.into(),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("accept".into(), "application/json".into()),
            ],
        }
    }

    pub fn bearer(mut self, token: &str) -> Self {
        self.headers
            .push(("authorization".into(), format!("Bearer {token}")));
        self
    }
}

/// Makes the body of request number `i`.
pub type Bodies = Arc<dyn Fn(u64) -> Bytes + Send + Sync>;

pub fn fixed(body: impl Into<Bytes>) -> Bodies {
    let b: Bytes = body.into();
    Arc::new(move |_| b.clone())
}

/// Cycles over `bodies`, one per request.
pub fn cycling(bodies: Vec<Bytes>) -> Bodies {
    Arc::new(move |i| bodies[(i as usize) % bodies.len()].clone())
}

/// The same static body for every request.
pub fn fixed_body(s: &'static str) -> Bodies {
    fixed(Bytes::from_static(s.as_bytes()))
}

pub struct Client {
    send: SendRequest<Full<Bytes>>,
    target: Target,
}

impl Client {
    pub async fn connect(target: &Target) -> Result<Client> {
        let s = TcpStream::connect(target.addr)
            .await
            .with_context(|| format!("connect {}", target.addr))?;
        s.set_nodelay(true)?;
        let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(s)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Client {
            send,
            target: target.clone(),
        })
    }

    pub fn set_path(&mut self, path: &str) {
        self.target.path = path.into();
    }

    /// GET `path`; returns the status.
    pub async fn get(&mut self, path: &str) -> Result<u16> {
        let req = hyper::Request::get(path)
            .header("host", "127.0.0.1")
            .body(Full::new(Bytes::new()))?;
        self.send.ready().await?;
        let resp = self.send.send_request(req).await?;
        let status = resp.status().as_u16();
        let _ = resp.into_body().collect().await?;
        Ok(status)
    }

    /// Sends one request; returns (status, body).
    pub async fn post(&mut self, body: Bytes) -> Result<(u16, Bytes)> {
        let mut req = hyper::Request::post(&self.target.path).header("host", "127.0.0.1");
        for (k, v) in &self.target.headers {
            req = req.header(k, v);
        }
        let req = req.body(Full::new(body))?;
        self.send.ready().await?;
        let resp = self.send.send_request(req).await?;
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }
}

/// One request over a fresh connection.
pub async fn post_once(target: &Target, body: impl Into<Bytes>) -> Result<serde_json::Value> {
    let mut c = Client::connect(target).await?;
    let (status, body) = c.post(body.into()).await?;
    let v: serde_json::Value = serde_json::from_slice(&body)
        .with_context(|| format!("status {status}: {}", String::from_utf8_lossy(&body)))?;
    if status != 200 || v.get("errors").is_some() {
        bail!("status {status}: {v}");
    }
    Ok(v)
}

/// What one load run measured.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub ok: u64,
    pub errors: u64,
    pub secs: f64,
    /// latencies in microseconds, sorted
    pub lat_us: Vec<u32>,
    /// response bodies, when asked for
    pub bodies: Vec<Bytes>,
}

impl Run {
    pub fn rps(&self) -> f64 {
        self.ok as f64 / self.secs.max(1e-9)
    }
    pub fn pct_ms(&self, p: f64) -> f64 {
        percentile(&self.lat_us, p) / 1000.0
    }
}

pub fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64
}

fn good(status: u16, body: &[u8]) -> bool {
    // a GraphQL error is a failure too, whatever the status
    status == 200 && !memchr_errors(body)
}

fn memchr_errors(body: &[u8]) -> bool {
    body.windows(9).any(|w| w == b"\"errors\":")
}

/// Closed loop: `concurrency` workers send back to back until `duration`
/// passes or `max` requests were sent.
pub async fn closed(
    target: &Target,
    bodies: Bodies,
    concurrency: usize,
    duration: Duration,
    max: Option<u64>,
    keep_bodies: bool,
) -> Result<Run> {
    let next = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        clients.push(Client::connect(target).await?);
    }
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::with_capacity(concurrency);
    for mut c in clients {
        let next = next.clone();
        let bodies = bodies.clone();
        tasks.push(tokio::spawn(async move {
            let mut r = Run::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if max.is_some_and(|m| i >= m) || Instant::now() >= deadline {
                    break;
                }
                let t = Instant::now();
                match c.post(bodies(i)).await {
                    Ok((s, b)) => {
                        r.lat_us
                            .push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
                        if good(s, &b) {
                            r.ok += 1;
                        } else {
                            r.errors += 1;
                            if r.errors == 1 {
                                eprintln!(
                                    "bench: bad response {s}: {}",
                                    String::from_utf8_lossy(&b[..b.len().min(300)])
                                );
                            }
                        }
                        if keep_bodies {
                            r.bodies.push(b);
                        }
                    }
                    Err(e) => {
                        r.errors += 1;
                        eprintln!("bench: request failed: {e:#}");
                        match Client::connect(&c.target).await {
                            Ok(n) => c = n,
                            Err(_) => break,
                        }
                    }
                }
            }
            r
        }));
    }
    let mut all = Run::default();
    for t in tasks {
        let r = t.await?;
        all.ok += r.ok;
        all.errors += r.errors;
        all.lat_us.extend(r.lat_us);
        all.bodies.extend(r.bodies);
    }
    all.secs = start.elapsed().as_secs_f64();
    all.lat_us.sort_unstable();
    Ok(all)
}

/// Open loop: request `i` is due at `start + i / rate`; latency counts from
/// then. `connections` bounds what can be in flight.
pub async fn open(
    target: &Target,
    bodies: Bodies,
    rate: f64,
    duration: Duration,
    connections: usize,
    keep_bodies: bool,
) -> Result<Run> {
    let total = (rate * duration.as_secs_f64()).round() as u64;
    let next = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::with_capacity(connections);
    for _ in 0..connections {
        clients.push(Client::connect(target).await?);
    }
    let start = tokio::time::Instant::now() + Duration::from_millis(20);
    let mut tasks = Vec::new();
    for mut c in clients {
        let next = next.clone();
        let bodies = bodies.clone();
        tasks.push(tokio::spawn(async move {
            let mut r = Run::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let due = start + Duration::from_secs_f64(i as f64 / rate);
                tokio::time::sleep_until(due).await;
                match c.post(bodies(i)).await {
                    Ok((s, b)) => {
                        let lat = tokio::time::Instant::now().duration_since(due);
                        r.lat_us.push(lat.as_micros().min(u32::MAX as u128) as u32);
                        if good(s, &b) {
                            r.ok += 1;
                        } else {
                            r.errors += 1;
                        }
                        if keep_bodies {
                            r.bodies.push(b);
                        }
                    }
                    Err(_) => {
                        r.errors += 1;
                        match Client::connect(&c.target).await {
                            Ok(n) => c = n,
                            Err(_) => break,
                        }
                    }
                }
            }
            r
        }));
    }
    let mut all = Run::default();
    for t in tasks {
        let r = t.await?;
        all.ok += r.ok;
        all.errors += r.errors;
        all.lat_us.extend(r.lat_us);
        all.bodies.extend(r.bodies);
    }
    all.secs = tokio::time::Instant::now()
        .duration_since(start)
        .as_secs_f64();
    all.lat_us.sort_unstable();
    Ok(all)
}
