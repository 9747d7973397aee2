//! Subscriptions: memory per subscriber, fan-out latency of one event to
//! all, and a sustained event rate, with subscribers in child processes.

use super::context::{Ctx, SUBS_API, addr};
use crate::load::{self, Target, fixed_body};
use crate::seed::{self, Seeded};
use anyhow::{Context, Result, bail};
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::process::Command;

struct Clients {
    procs: Vec<tokio::process::Child>,
    lines: tokio::sync::mpsc::UnboundedReceiver<(usize, String)>,
    ready: Vec<usize>,
}

async fn spawn_clients(cx: &Ctx, token: &str, n: usize) -> Result<Clients> {
    use tokio::io::AsyncBufReadExt;
    let per_proc = 2500usize;
    let nprocs = n.div_ceil(per_proc);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut procs = vec![];
    for p in 0..nprocs {
        let count = (n - p * per_proc).min(per_proc);
        let mut c = Command::new(&cx.me);
        c.arg("ws-clients")
            .arg("--url")
            .arg(format!("ws://127.0.0.1:{SUBS_API}/graphql"))
            .arg("--token")
            .arg(token)
            .arg("--count")
            .arg(count.to_string())
            .arg("--per-sec")
            .arg(format!("{}", 1000.0 / nprocs as f64))
            .arg("--max-secs")
            .arg("300")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let mut child = c.spawn()?;
        let out = child.stdout.take().context("stdout")?;
        let tx = tx.clone();
        tokio::spawn(async move {
            let mut lines = tokio::io::BufReader::new(out).lines();
            while let Ok(Some(l)) = lines.next_line().await {
                if tx.send((p, l)).is_err() {
                    break;
                }
            }
        });
        procs.push(child);
    }
    let mut cl = Clients {
        procs,
        lines: rx,
        ready: vec![usize::MAX; nprocs],
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while cl.ready.contains(&usize::MAX) {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, cl.lines.recv()).await {
            Ok(Some((p, l))) => {
                if let Some(r) = l.strip_prefix("READY ") {
                    cl.ready[p] = r.trim().parse().unwrap_or(0);
                } else if l.starts_with("FAILED") {
                    eprintln!("bench: ws clients of process {p}: {l}");
                }
            }
            _ => bail!("subscribers not connected after 120 s"),
        }
    }
    Ok(cl)
}

fn event_json(job: uuid::Uuid, account: &str, seq: i64) -> String {
    json!({
        "jobId": job, "accountId": account, "seq": seq, "function": "auto_cluster",
        "status": "running", "phase": "ai_call", "percent": 50, "itemsDone": 0, "itemsTotal": 1,
        "message": format!("t={}", crate::subs::now_nanos()), "error": null
    })
    .to_string()
}

/// Latencies of the events in `seqs` as the clients report them (µs).
async fn collect(
    cl: &mut Clients,
    seqs: &[i64],
    timeout: Duration,
) -> std::collections::HashMap<i64, Vec<u32>> {
    let mut got: std::collections::HashMap<i64, (usize, Vec<u32>)> = Default::default();
    let deadline = Instant::now() + timeout;
    let want = cl.procs.len();
    while seqs.iter().any(|s| got.get(s).is_none_or(|g| g.0 < want)) {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, cl.lines.recv()).await {
            Ok(Some((_, l))) => {
                let mut it = l.splitn(4, ' ');
                if it.next() != Some("EV") {
                    continue;
                }
                let seq: i64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(-1);
                let _count = it.next();
                let lats: Vec<u32> = it
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|x| x.parse().ok())
                    .collect();
                let e = got.entry(seq).or_default();
                e.0 += 1;
                e.1.extend(lats);
            }
            _ => break,
        }
    }
    got.into_iter()
        .map(|(k, (_, mut v))| {
            v.sort_unstable();
            (k, v)
        })
        .collect()
}

pub async fn subscriptions(cx: &mut Ctx, s: &Seeded, ns: &[usize]) -> Result<()> {
    let mut publisher = redis::Client::open(cx.o.redis_url.as_str())?
        .get_multiplexed_async_connection()
        .await?;
    let channel = format!("{}:events", cx.o.prefix);
    for &n in ns {
        eprintln!("bench: {n} subscribers");
        let srv = cx
            .start_igny8(&format!("subs-{n}"), SUBS_API, false, &[])
            .await?;
        let api = Target::new(addr(SUBS_API), "/graphql");
        let token = seed::token(&api, &s.read_email).await?;
        // warm the server a little, as a running one would be
        let tb = fixed_body(r#"{"query":"{ __typename }"}"#);
        load::closed(
            &api.clone().bearer(&token),
            tb,
            4,
            Duration::from_secs(1),
            None,
            false,
        )
        .await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let rss0 = srv.rss_kib();
        let mut cl = match spawn_clients(cx, &token, n).await {
            Ok(c) => c,
            Err(e) => {
                cx.notes.push(format!("{n} subscribers: {e:#}"));
                srv.stop().await;
                continue;
            }
        };
        let connected: usize = cl.ready.iter().sum();
        cx.figs
            .push(&format!("subs.{n}.connected"), connected as f64);
        let job = uuid::Uuid::new_v4();
        let mut seq = 0i64;
        // until every subscriber has one event: then all are registered
        let mut all_in = false;
        for _ in 0..20 {
            seq += 1;
            let _: i64 = redis::cmd("PUBLISH")
                .arg(&channel)
                .arg(event_json(job, &s.read_account, seq))
                .query_async(&mut publisher)
                .await?;
            let got = collect(&mut cl, &[seq], Duration::from_millis(1500)).await;
            if got.get(&seq).is_some_and(|v| v.len() >= connected) {
                all_in = true;
                break;
            }
        }
        if !all_in {
            cx.notes.push(format!(
                "{n} subscribers: not every subscriber received the warm-up event"
            ));
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        let rss1 = srv.rss_kib();
        cx.figs.single(
            &format!("subs.{n}.rss_delta_kib"),
            rss1 as f64 - rss0 as f64,
        );
        cx.figs.single(
            &format!("subs.{n}.kib_per_sub"),
            (rss1 as f64 - rss0 as f64) / connected.max(1) as f64,
        );

        // one event to all, several times
        for _ in 0..cx.o.rounds {
            seq += 1;
            let _: i64 = redis::cmd("PUBLISH")
                .arg(&channel)
                .arg(event_json(job, &s.read_account, seq))
                .query_async(&mut publisher)
                .await?;
            let got = collect(&mut cl, &[seq], Duration::from_secs(10)).await;
            let l = got.get(&seq).cloned().unwrap_or_default();
            cx.figs.push(
                &format!("subs.{n}.fanout.delivered"),
                l.len() as f64 / connected.max(1) as f64,
            );
            cx.figs.push(
                &format!("subs.{n}.fanout.p50"),
                load::percentile(&l, 50.0) / 1000.0,
            );
            cx.figs.push(
                &format!("subs.{n}.fanout.p99"),
                load::percentile(&l, 99.0) / 1000.0,
            );
            cx.figs.push(
                &format!("subs.{n}.fanout.max"),
                load::percentile(&l, 100.0) / 1000.0,
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }

        // sustained: 20,000 deliveries a second offered for 10 s
        let rate = (20_000.0 / connected.max(1) as f64).max(1.0);
        let total = (rate * 10.0).round() as i64;
        let first = seq + 1;
        let t0 = tokio::time::Instant::now();
        for i in 0..total {
            tokio::time::sleep_until(t0 + Duration::from_secs_f64(i as f64 / rate)).await;
            seq += 1;
            let _: i64 = redis::cmd("PUBLISH")
                .arg(&channel)
                .arg(event_json(job, &s.read_account, seq))
                .query_async(&mut publisher)
                .await?;
        }
        let seqs: Vec<i64> = (first..=seq).collect();
        let got = collect(&mut cl, &seqs, Duration::from_secs(15)).await;
        let secs = total as f64 / rate;
        let mut all: Vec<u32> = got.values().flatten().copied().collect();
        all.sort_unstable();
        let rss2 = srv.rss_kib();
        cx.figs.single(
            &format!("subs.{n}.sustained.offered"),
            rate * connected as f64,
        );
        cx.figs.single(
            &format!("subs.{n}.sustained.delivered_share"),
            all.len() as f64 / (total as f64 * connected as f64),
        );
        cx.figs
            .single(&format!("subs.{n}.sustained.rate"), all.len() as f64 / secs);
        cx.figs.single(
            &format!("subs.{n}.sustained.p50"),
            load::percentile(&all, 50.0) / 1000.0,
        );
        cx.figs.single(
            &format!("subs.{n}.sustained.p99"),
            load::percentile(&all, 99.0) / 1000.0,
        );
        cx.figs
            .single(&format!("subs.{n}.rss_busy_kib"), rss2 as f64);
        for mut p in cl.procs.drain(..) {
            let _ = p.kill().await;
        }
        srv.stop().await;
    }
    Ok(())
}
