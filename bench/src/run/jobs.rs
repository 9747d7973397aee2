//! The job path: a drain of queued jobs, latency at an offered rate, a slow
//! provider, a drain spread over accounts, and the bare Redis loop as a limit.

use super::context::{API, Ctx, WORKER_API, addr};
use super::redis_loop::redis_loop;
use crate::load::{self, Bodies, Target, cycling};
use crate::seed::{self, Seeded};
use anyhow::{Result, bail};
use bytes::Bytes;
use serde_json::json;
use std::time::{Duration, Instant};

fn job_bodies(s: &Seeded, offset: usize) -> Bodies {
    let bodies: Vec<Bytes> = s
        .keyword_groups
        .iter()
        .map(|g| {
            Bytes::from(
                serde_json::to_vec(&json!({
                    "query": "mutation($k: [ID!]!) { autoClusterKeywords(input: {keywordIds: $k}) { id } }",
                    "variables": {"k": g}
                }))
                .unwrap(),
            )
        })
        .collect();
    std::sync::Arc::new(move |i| bodies[(i as usize + offset) % bodies.len()].clone())
}

fn job_ids(r: &load::Run) -> Vec<uuid::Uuid> {
    r.bodies
        .iter()
        .filter_map(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .filter_map(|v| {
            v.pointer("/data/autoClusterKeywords/id")
                .and_then(|i| i.as_str())
                .map(str::to_owned)
        })
        .filter_map(|s| uuid::Uuid::parse_str(&s).ok())
        .collect()
}

struct Drained {
    succeeded: i64,
    /// first start → last finish
    span_s: f64,
    p50_ms: f64,
    p99_ms: f64,
}

async fn wait_done(cx: &Ctx, ids: &[uuid::Uuid], timeout: Duration) -> Result<Drained> {
    let t0 = Instant::now();
    loop {
        let n: i64 = cx
            .pg
            .query_one(
                "SELECT count(*) FROM ai_jobs WHERE id = ANY($1) AND status IN ('succeeded','failed','cancelled') /* bench-probe */",
                &[&ids],
            )
            .await?
            .get(0);
        if n as usize >= ids.len() {
            break;
        }
        if t0.elapsed() > timeout {
            bail!("only {n} of {} jobs finished after {timeout:?}", ids.len());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let r = cx
        .pg
        .query_one(
            "SELECT count(*) FILTER (WHERE status = 'succeeded'),
                    extract(epoch FROM max(finished_at) - min(started_at))::float8,
                    (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)))::float8 * 1000,
                    (percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)))::float8 * 1000
               FROM ai_jobs WHERE id = ANY($1) /* bench-probe */",
            &[&ids],
        )
        .await?;
    Ok(Drained {
        succeeded: r.get(0),
        span_s: r.get(1),
        p50_ms: r.get(2),
        p99_ms: r.get(3),
    })
}

async fn enqueue(
    cx: &Ctx,
    api: &Target,
    s: &Seeded,
    n: usize,
    offset: usize,
) -> Result<(Vec<uuid::Uuid>, f64)> {
    let r = load::closed(
        api,
        job_bodies(s, offset),
        32,
        Duration::from_secs(600),
        Some(n as u64),
        true,
    )
    .await?;
    let ids = job_ids(&r);
    if ids.len() != n {
        bail!("enqueued {} of {n} jobs ({} errors)", ids.len(), r.errors);
    }
    let _ = cx;
    Ok((ids, r.rps()))
}

pub async fn jobs(cx: &mut Ctx, s: &Seeded) -> Result<()> {
    let api = Target::new(addr(API), "/graphql");
    let token = seed::token(&api, &s.jobs_email).await?;
    let api = api.bearer(&token);
    let n = cx.o.drain_jobs;
    let mut offset = 0;
    // warm-up: a few jobs through an in-process worker
    {
        let w = cx
            .start_igny8("worker-warmup", WORKER_API, true, &[])
            .await?;
        let (ids, _) = enqueue(cx, &api, s, 200, offset).await?;
        offset += 200;
        wait_done(cx, &ids, Duration::from_secs(120)).await?;
        w.stop().await;
    }
    for round in 0..cx.o.rounds {
        eprintln!("bench: jobs round {}", round + 1);
        // 1. drain: queue n jobs while no worker runs, then start an instance with one
        cx.reset_statements().await?;
        cx.reset_redis().await?;
        let (ids, enq_rate) = enqueue(cx, &api, s, n, offset).await?;
        offset += n;
        cx.figs.push("jobs.enqueue_rate", enq_rate);
        let sql_enq: i64 = cx.statements().await?.iter().map(|x| x.1).sum();
        let redis_enq = cx.redis_commands().await?;
        cx.reset_statements().await?;
        cx.reset_redis().await?;
        let w = cx.start_igny8("worker", WORKER_API, true, &[]).await?;
        let d = wait_done(cx, &ids, Duration::from_secs(300)).await?;
        let sql_run = cx.statements().await?;
        let redis_run = cx.redis_commands().await?;
        w.stop().await;
        if d.succeeded as usize != n {
            cx.notes.push(format!(
                "round {}: {} of {n} drained jobs succeeded",
                round + 1,
                d.succeeded
            ));
        }
        cx.figs.push("jobs.drain_rate", n as f64 / d.span_s);
        cx.figs
            .push("jobs.sql_per_job.enqueue", sql_enq as f64 / n as f64);
        cx.figs.push(
            "jobs.sql_per_job.worker",
            sql_run.iter().map(|x| x.1).sum::<i64>() as f64 / n as f64,
        );
        cx.figs.push(
            "jobs.redis_per_job.enqueue",
            redis_enq.iter().map(|x| x.1).sum::<i64>() as f64 / n as f64,
        );
        cx.figs.push(
            "jobs.redis_per_job.worker",
            redis_run.iter().map(|x| x.1).sum::<i64>() as f64 / n as f64,
        );
        if round == 0 {
            let per = |v: &[(String, i64)]| -> serde_json::Value {
                json!(
                    v.iter()
                        .map(|(q, c)| (
                            q.split_whitespace().collect::<Vec<_>>().join(" "),
                            *c as f64 / n as f64
                        ))
                        .collect::<Vec<_>>()
                )
            };
            cx.figs.detail("jobs.redis.enqueue", per(&redis_enq));
            cx.figs.detail("jobs.redis.worker", per(&redis_run));
            cx.figs.detail("jobs.sql.worker", per(&sql_run));
        }

        // 2. latency at 100 jobs/s offered, in-process worker running
        let w = cx.start_igny8("worker", WORKER_API, true, &[]).await?;
        let wapi = Target::new(addr(WORKER_API), "/graphql").bearer(&token);
        let r = load::open(
            &wapi,
            job_bodies(s, offset),
            100.0,
            Duration::from_secs(10),
            16,
            true,
        )
        .await?;
        let ids = job_ids(&r);
        offset += ids.len();
        let d = wait_done(cx, &ids, Duration::from_secs(120)).await?;
        w.stop().await;
        cx.figs.push("jobs.lat100.p50", d.p50_ms);
        cx.figs.push("jobs.lat100.p99", d.p99_ms);
        cx.figs.push("jobs.lat100.enqueue_p99", r.pct_ms(99.0));

        // 3. a provider that takes 50 ms: the worker's concurrency is the limit
        let n50 = 1600usize;
        let (ids, _) = enqueue(cx, &api, s, n50, offset).await?;
        offset += n50;
        let w = cx
            .start_igny8(
                "worker-50ms",
                WORKER_API,
                true,
                &[("IGNY8_OFFLINE_LATENCY_MS", "50".into())],
            )
            .await?;
        let d = wait_done(cx, &ids, Duration::from_secs(300)).await?;
        w.stop().await;
        cx.figs.push("jobs.lat50.rate", n50 as f64 / d.span_s);
        cx.figs
            .push("jobs.lat50.ratio", (n50 as f64 / d.span_s) / (16.0 / 0.05));

        // 3b. the drain again, the jobs spread over several accounts (no shared row)
        let k = s.spread.len();
        let mut accounts = vec![];
        for (email, groups) in &s.spread {
            let tok = seed::token(&Target::new(addr(API), "/graphql"), email).await?;
            let bodies: Vec<Bytes> = groups
                .iter()
                .map(|g| {
                    Bytes::from(
                        serde_json::to_vec(&json!({
                            "query": "mutation($k: [ID!]!) { autoClusterKeywords(input: {keywordIds: $k}) { id } }",
                            "variables": {"k": g}
                        }))
                        .unwrap(),
                    )
                })
                .collect();
            accounts.push((
                Target::new(addr(API), "/graphql").bearer(&tok),
                cycling(bodies),
            ));
        }
        let per = n / k;
        let mut all = vec![];
        let runs = futures::future::join_all(accounts.iter().map(|(t, b)| {
            load::closed(
                t,
                b.clone(),
                4,
                Duration::from_secs(600),
                Some(per as u64),
                true,
            )
        }))
        .await;
        for r in runs {
            all.extend(job_ids(&r?));
        }
        let w = cx
            .start_igny8("worker-spread", WORKER_API, true, &[])
            .await?;
        let d = wait_done(cx, &all, Duration::from_secs(300)).await?;
        w.stop().await;
        cx.figs
            .push("jobs.drain_rate_spread", all.len() as f64 / d.span_s);

        // 4. the Redis limit: a bare XADD → XREADGROUP → XACK loop
        let rate = redis_loop(
            &cx.o.redis_url,
            &format!("{}:redis-limit:{round}", cx.o.prefix),
            20_000,
            16,
        )
        .await?;
        cx.figs.push("jobs.redis_loop_rate", rate);
    }
    Ok(())
}
