//! `igny8-bench run`: starts what it measures, runs the interleaved rounds
//! and writes the report. Every figure is kept per round; the report shows
//! the median and the range, and ratios are taken within a round.

mod context;
mod footprint;
mod jobs;
mod reads;
mod redis_loop;
mod subscriptions;

use crate::load::Target;
use crate::opts::RunOpts;
use crate::procs::{self, Ready};
use crate::report::{Figures, Report};
use crate::seed;
use anyhow::Result;
use context::{API, Ctx, LIMIT, PGL, addr};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::process::Command;

const DEV_JWT_SECRET: &str = "igny8-dev-jwt-secret-do-not-use-in-production";

pub async fn run(o: RunOpts, me: PathBuf) -> Result<()> {
    let (pg, conn) = tokio_postgres::connect(&o.db_url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let redis = redis::Client::open(o.redis_url.as_str())?
        .get_multiplexed_async_connection()
        .await?;
    std::fs::create_dir_all(&o.logs)?;
    if let Some(d) = o.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(d)?;
    }
    let mut cx = Ctx {
        o: o.clone(),
        me,
        pg,
        redis,
        figs: Figures::default(),
        notes: vec![],
    };
    let started = Instant::now();
    if let Ok(p) = std::env::var("BENCH_IGNY8_LD_PRELOAD") {
        cx.notes.push(format!(
            "igny8 ran with LD_PRELOAD={p} (an allocator experiment)."
        ));
    }
    if let Ok(f) = std::env::var("BENCH_IGNY8_RUST_LOG") {
        cx.notes.push(format!(
            "igny8 ran with RUST_LOG={f} (a tracing experiment)."
        ));
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    cx.notes.push(format!(
        "Load average when the run started: {} (other work on the machine shows up as noise).",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    ));
    let skip = |m: &str| o.skip.iter().any(|s| s == m);

    // footprint first, on a quiet machine and an empty database
    if !skip("footprint") {
        footprint::footprint(&mut cx).await?;
    }

    let api = cx.start_igny8("api", API, false, &[]).await?;
    eprintln!("bench: seeding through the API");
    let t = Instant::now();
    let seeded = seed::seed(&Target::new(addr(API), "/graphql")).await?;
    cx.notes.push(format!(
        "Seeding through the GraphQL API took {:.1} s.",
        t.elapsed().as_secs_f64()
    ));
    std::fs::write(
        o.logs.join("seeded.json"),
        serde_json::to_vec_pretty(&seeded)?,
    )?;
    // the jobs accounts pay for every job of every round
    cx.pg
        .execute(
            "UPDATE accounts SET credits_balance = 1000000000 WHERE name LIKE 'bench-jobs%' /* bench-probe */",
            &[],
        )
        .await?;
    let read_account = uuid::Uuid::parse_str(&seeded.read_account)?;

    let limit = procs::start(
        "limit",
        {
            let mut c = Command::new(&cx.me);
            c.arg("limit-server")
                .arg("--listen")
                .arg(addr(LIMIT).to_string())
                .arg("--db-url")
                .arg(&o.db_url)
                .arg("--pool")
                .arg(o.pool.to_string())
                .arg("--account")
                .arg(read_account.to_string());
            c
        },
        &o.logs.join("limit.log"),
        addr(LIMIT),
        Ready::Post("/typename", "{}"),
        Duration::from_secs(30),
    )
    .await?;
    let pgl = procs::start(
        "postgraphile",
        {
            let mut c = Command::new("node");
            c.arg(&o.postgraphile)
                .env("DATABASE_URL", &o.db_url)
                .env("PORT", PGL.to_string())
                .env("POOL_SIZE", o.pool.to_string())
                .env("IGNY8_JWT_SECRET", DEV_JWT_SECRET)
                .env("NODE_ENV", "production");
            c
        },
        &o.logs.join("postgraphile.log"),
        addr(PGL),
        Ready::Post("/graphql", r#"{"query":"{ __typename }"}"#),
        Duration::from_secs(60),
    )
    .await
    .ok();
    if pgl.is_none() {
        cx.notes
            .push("PostGraphile did not start (see logs/postgraphile.log): no comparison.".into());
    }

    if !skip("reads") || !skip("overhead") {
        reads::reads(
            &mut cx,
            &seeded,
            pgl.is_some(),
            skip("reads"),
            skip("overhead"),
        )
        .await?;
    }
    if !skip("jobs") {
        jobs::jobs(&mut cx, &seeded).await?;
    }
    let api_rss_after = api.rss_kib();
    cx.figs
        .single("footprint.rss_after_load_kib", api_rss_after as f64);
    api.stop().await;
    limit.stop().await;
    if let Some(p) = pgl {
        p.stop().await;
    }
    if !skip("subs") {
        let ns: Vec<usize> = o
            .subs
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        subscriptions::subscriptions(&mut cx, &seeded, &ns).await?;
    }
    cx.notes.push(format!(
        "The whole run took {:.0} s.",
        started.elapsed().as_secs_f64()
    ));
    let report = Report::new(&cx.o, &cx.figs, &cx.notes).await;
    std::fs::write(&o.out, report.render())?;
    // every round's raw figure, next to the report
    std::fs::write(
        o.out.with_file_name("figures.json"),
        serde_json::to_vec_pretty(&cx.figs.to_json())?,
    )?;
    Ok(())
}
