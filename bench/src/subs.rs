//! WebSocket subscribers, run as child processes of `igny8-bench run` (one
//! process holds at most a few thousand sockets; the fd limit is 20,000).
//!
//! Each connection speaks graphql-transport-ws: `connection_init` with
//! `{"token": …}`, then `subscribe` to `accountJobs`. Every delivered event
//! carries its publish time in `message` ("t=<unix nanos>"), so the latency
//! is measured on one clock. Output, one line each, on stdout:
//! `READY <connections>` once all are acknowledged and subscribed, then
//! `EV <seq> <count> <lat_us,lat_us,…>` per event once every connection got
//! it (or 5 s after its first copy).

use anyhow::{Context, Result, bail};
use futures::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos()
}

enum Note {
    Ready,
    Failed(String),
    Event { seq: i64, lat_us: u32 },
}

async fn one(url: String, token: String, tx: mpsc::UnboundedSender<Note>) -> Result<()> {
    let mut req = url.as_str().into_client_request()?;
    req.headers_mut()
        .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
    let (ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .context("ws connect")?;
    let (mut sink, mut stream) = ws.split();
    let init = serde_json::json!({"type": "connection_init", "payload": {"token": token}});
    sink.send(Message::text(init.to_string())).await?;
    loop {
        let m = stream.next().await.context("closed before ack")??;
        if let Message::Text(t) = m {
            let v: serde_json::Value = serde_json::from_str(&t)?;
            match v["type"].as_str() {
                Some("connection_ack") => break,
                Some("ping") => sink.send(Message::text(r#"{"type":"pong"}"#)).await?,
                other => bail!("unexpected before ack: {other:?} {t}"),
            }
        } else if let Message::Close(c) = m {
            bail!("closed: {c:?}");
        }
    }
    let sub = serde_json::json!({"id": "1", "type": "subscribe",
        "payload": {"query": "subscription { accountJobs { jobId seq message } }"}});
    sink.send(Message::text(sub.to_string())).await?;
    let _ = tx.send(Note::Ready);
    while let Some(m) = stream.next().await {
        match m? {
            Message::Text(t) => {
                let at = now_nanos();
                let v: serde_json::Value = serde_json::from_str(&t)?;
                match v["type"].as_str() {
                    Some("next") => {
                        let p = &v["payload"]["data"]["accountJobs"];
                        let seq = p["seq"].as_i64().unwrap_or(-1);
                        let sent = p["message"]
                            .as_str()
                            .and_then(|m| m.strip_prefix("t="))
                            .and_then(|n| n.parse::<u128>().ok());
                        if let Some(sent) = sent {
                            let lat = (at.saturating_sub(sent) / 1000).min(u32::MAX as u128) as u32;
                            let _ = tx.send(Note::Event { seq, lat_us: lat });
                        }
                    }
                    Some("ping") => sink.send(Message::text(r#"{"type":"pong"}"#)).await?,
                    Some("error") | Some("complete") => bail!("subscription ended: {t}"),
                    _ => {}
                }
            }
            Message::Close(c) => bail!("closed: {c:?}"),
            _ => {}
        }
    }
    Ok(())
}

/// Opens `count` subscribers at `per_sec` new connections a second and reports.
pub async fn clients(
    url: String,
    token: String,
    count: usize,
    per_sec: f64,
    max_secs: u64,
) -> Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let start = Instant::now();
    let opener = {
        let tx = tx.clone();
        tokio::spawn(async move {
            for i in 0..count {
                let due = start + Duration::from_secs_f64(i as f64 / per_sec);
                tokio::time::sleep_until(due.into()).await;
                let (url, token, tx) = (url.clone(), token.clone(), tx.clone());
                tokio::spawn(async move {
                    if let Err(e) = one(url, token, tx.clone()).await {
                        let _ = tx.send(Note::Failed(format!("{e:#}")));
                    }
                });
            }
        })
    };
    drop(tx);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(max_secs);
    let out = std::io::stdout();
    let mut ready = 0usize;
    let mut failed = 0usize;
    // seq -> (first seen, latencies)
    let mut pending: HashMap<i64, (Instant, Vec<u32>)> = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(deadline) => break,
            _ = tick.tick() => {
                let late: Vec<i64> = pending.iter().filter(|(_, (t, _))| t.elapsed() > Duration::from_secs(5)).map(|(s, _)| *s).collect();
                for s in late {
                    let (_, l) = pending.remove(&s).unwrap_or_else(|| (Instant::now(), vec![]));
                    print_event(&out, s, &l);
                }
            }
            n = rx.recv() => match n {
                None => break,
                Some(Note::Ready) => {
                    ready += 1;
                    if ready + failed == count {
                        let mut o = out.lock();
                        let _ = writeln!(o, "READY {ready}");
                        if failed > 0 { let _ = writeln!(o, "FAILED {failed}"); }
                        let _ = o.flush();
                    }
                }
                Some(Note::Failed(e)) => {
                    failed += 1;
                    if failed <= 3 { eprintln!("ws client: {e}"); }
                    if ready + failed == count {
                        let mut o = out.lock();
                        let _ = writeln!(o, "READY {ready}");
                        let _ = writeln!(o, "FAILED {failed}");
                        let _ = o.flush();
                    }
                    ready = ready.min(count);
                }
                Some(Note::Event { seq, lat_us }) => {
                    let e = pending.entry(seq).or_insert_with(|| (Instant::now(), Vec::with_capacity(ready)));
                    e.1.push(lat_us);
                    if e.1.len() >= ready.max(1) {
                        let (_, l) = pending.remove(&seq).unwrap_or_else(|| (Instant::now(), vec![]));
                        print_event(&out, seq, &l);
                    }
                }
            }
        }
    }
    opener.abort();
    Ok(())
}

fn print_event(out: &std::io::Stdout, seq: i64, lat: &[u32]) {
    let mut o = out.lock();
    let list: Vec<String> = lat.iter().map(|l| l.to_string()).collect();
    let _ = writeln!(o, "EV {seq} {} {}", lat.len(), list.join(","));
    let _ = o.flush();
}
