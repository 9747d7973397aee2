//! `igny8-bench run`: starts what it measures, runs the interleaved rounds
//! and writes the report. Every figure is kept per round; the report shows
//! the median and the range, and ratios are taken within a round.

use crate::load::{self, Bodies, Target};
use crate::procs::{self, Proc, Ready};
use crate::report::{Figures, Report};
use crate::seed::{self, Seeded};
use anyhow::{Context, Result, bail};
use bytes::Bytes;
use serde_json::json;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::process::Command;

#[derive(clap::Args, Clone, Debug)]
pub struct RunOpts {
    #[arg(long)]
    pub igny8: PathBuf,
    /// superuser URL of the (migrated) bench database
    #[arg(long)]
    pub db_url: String,
    #[arg(long)]
    pub redis_url: String,
    #[arg(long)]
    pub postgraphile: PathBuf,
    #[arg(long, default_value_t = 5)]
    pub rounds: usize,
    /// seconds per closed-loop load run
    #[arg(long, default_value_t = 4.0)]
    pub secs: f64,
    /// subscriber counts
    #[arg(long, default_value = "1000,5000,10000")]
    pub subs: String,
    #[arg(long, default_value = ".data/bench/logs")]
    pub logs: PathBuf,
    #[arg(long, default_value = "bench/REPORT.md")]
    pub out: PathBuf,
    /// how the run was started, for the report
    #[arg(long, default_value = "scripts/bench")]
    pub command: String,
    #[arg(long, default_value = "bench")]
    pub prefix: String,
    /// pool size of igny8, the limit server and PostGraphile
    #[arg(long, default_value_t = 16)]
    pub pool: usize,
    /// jobs per drain
    #[arg(long, default_value_t = 3000)]
    pub drain_jobs: usize,
    /// skip measures: reads, overhead, jobs, subs, footprint
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
}

pub const NESTED_QUERY: &str = "query Nested($id: ID!) { site(id: $id) { id name sectors { edges { node { id name keywords(first: 50) { edges { node { id keyword volume difficulty intent cluster { id name } } } } } } } } }";
/// The relation depth of NESTED_QUERY: site → sectors → keywords → cluster.
pub const NESTED_DEPTH: usize = 4;
const PG_QUERY: &str = "query Nested($id: UUID!) { siteById(id: $id) { id name sectorsBySiteIdAndAccountId(orderBy: [CREATED_AT_ASC, ID_ASC]) { edges { node { id name keywordsBySectorIdAndSiteIdAndAccountId(first: 50, orderBy: [CREATED_AT_ASC, ID_ASC]) { edges { node { id keyword volume difficulty intent clusterByClusterIdAndSectorId { id name } } } } } } } } }";
const DEV_JWT_SECRET: &str = "igny8-dev-jwt-secret-do-not-use-in-production";
const CONCURRENCY: [usize; 3] = [8, 32, 64];

const API: u16 = 18080;
const WORKER_API: u16 = 18081;
const SUBS_API: u16 = 18082;
const FOOT_API: u16 = 18083;
const LIMIT: u16 = 18090;
const PGL: u16 = 18100;

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

pub struct Ctx {
    pub o: RunOpts,
    pub me: PathBuf,
    pub pg: tokio_postgres::Client,
    pub redis: redis::aio::MultiplexedConnection,
    pub figs: Figures,
    pub notes: Vec<String>,
}

impl Ctx {
    fn igny8(&self, port: u16, worker: bool, extra: &[(&str, String)]) -> Command {
        let mut c = Command::new(&self.o.igny8);
        c.arg("serve").arg("--no-migrate");
        if !worker {
            c.arg("--no-worker");
        }
        c.env("DATABASE_URL", &self.o.db_url)
            .env("REDIS_URL", &self.o.redis_url)
            .env("IGNY8_REDIS_PREFIX", &self.o.prefix)
            .env("IGNY8_LISTEN", addr(port).to_string())
            .env("IGNY8_DB_POOL_SIZE", self.o.pool.to_string())
            .env("IGNY8_MEDIA_DIR", self.o.logs.join("media"))
            .env("IGNY8_IGNORE_DOTENV", "1")
            // every client of the benchmark is one user on one address
            .env("IGNY8_MAX_CONNECTIONS_PER_IP", "0")
            .env("IGNY8_MAX_SOCKETS_PER_IP", "0")
            .env("IGNY8_MAX_SOCKETS_PER_USER", "0")
            .env_remove("IGNY8_OFFLINE_LATENCY_MS")
            .env_remove("IGNY8_WORKER_CONCURRENCY")
            .env_remove("RUST_LOG");
        for (k, v) in extra {
            c.env(k, v);
        }
        // an experiment: another malloc under the unchanged binary
        if let Ok(p) = std::env::var("BENCH_IGNY8_LD_PRELOAD") {
            c.env("LD_PRELOAD", p);
        }
        // an experiment: another log filter (the default is igny8's own, info)
        if let Ok(f) = std::env::var("BENCH_IGNY8_RUST_LOG") {
            c.env("RUST_LOG", f);
        }
        c
    }

    async fn start_igny8(
        &self,
        name: &str,
        port: u16,
        worker: bool,
        extra: &[(&str, String)],
    ) -> Result<Proc> {
        procs::start(
            name,
            self.igny8(port, worker, extra),
            &self.o.logs.join(format!("{name}.log")),
            addr(port),
            Ready::Get("/readyz"),
            Duration::from_secs(60),
        )
        .await
    }

    /// Sum of statement calls since the last reset, without our own probes.
    async fn statements(&self) -> Result<Vec<(String, i64)>> {
        let rows = self
            .pg
            .query(
                "SELECT query, calls FROM pg_stat_statements /* bench-probe */
                  WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                    AND query NOT LIKE '%bench-probe%' AND query NOT LIKE '%pg_stat_statements%'
                  ORDER BY calls DESC",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
            .collect())
    }

    async fn reset_statements(&self) -> Result<()> {
        self.pg
            .execute("SELECT pg_stat_statements_reset() /* bench-probe */", &[])
            .await?;
        Ok(())
    }

    async fn reset_redis(&mut self) -> Result<()> {
        let _: () = redis::cmd("CONFIG")
            .arg("RESETSTAT")
            .query_async(&mut self.redis)
            .await?;
        Ok(())
    }

    /// Redis commands since the last reset, by command, without our own.
    async fn redis_commands(&mut self) -> Result<Vec<(String, i64)>> {
        let info: String = redis::cmd("INFO")
            .arg("commandstats")
            .query_async(&mut self.redis)
            .await?;
        let mut out = vec![];
        for l in info.lines() {
            let Some(rest) = l.strip_prefix("cmdstat_") else {
                continue;
            };
            let Some((name, stats)) = rest.split_once(':') else {
                continue;
            };
            if matches!(
                name,
                "info" | "config" | "ping" | "hello" | "client" | "select"
            ) {
                continue;
            }
            let calls = stats
                .split(',')
                .find_map(|kv| kv.strip_prefix("calls="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            out.push((name.to_owned(), calls));
        }
        out.sort_by_key(|x| std::cmp::Reverse(x.1));
        Ok(out)
    }
}

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
        footprint(&mut cx).await?;
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
        reads(
            &mut cx,
            &seeded,
            pgl.is_some(),
            skip("reads"),
            skip("overhead"),
        )
        .await?;
    }
    if !skip("jobs") {
        jobs(&mut cx, &seeded).await?;
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
        subscriptions(&mut cx, &seeded, &ns).await?;
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

// --- footprint ---------------------------------------------------------------------

async fn footprint(cx: &mut Ctx) -> Result<()> {
    eprintln!("bench: footprint");
    let bin = std::fs::metadata(&cx.o.igny8)?.len();
    cx.figs.single("footprint.binary_bytes", bin as f64);
    let stripped = std::env::temp_dir().join("igny8-bench-stripped");
    if std::process::Command::new("strip")
        .arg("-o")
        .arg(&stripped)
        .arg(&cx.o.igny8)
        .status()
        .is_ok_and(|s| s.success())
    {
        cx.figs.single(
            "footprint.binary_stripped_bytes",
            std::fs::metadata(&stripped)?.len() as f64,
        );
        let _ = std::fs::remove_file(&stripped);
    }
    for _ in 0..cx.o.rounds {
        let p = cx.start_igny8("footprint", FOOT_API, true, &[]).await?;
        cx.figs
            .push("footprint.ready_ms", p.ready_after.as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_secs(2)).await;
        cx.figs.push("footprint.idle_rss_kib", p.rss_kib() as f64);
        p.stop().await;
    }
    Ok(())
}

// --- nested reads and framework overhead ---------------------------------------------

fn nested_body(site: &str) -> Bytes {
    Bytes::from(
        serde_json::to_vec(&json!({"query": NESTED_QUERY, "variables": {"id": site}})).unwrap(),
    )
}

fn pg_body(site: &str) -> Bytes {
    Bytes::from(serde_json::to_vec(&json!({"query": PG_QUERY, "variables": {"id": site}})).unwrap())
}

/// Cycles over the three sites.
fn cycling(bodies: Vec<Bytes>) -> Bodies {
    std::sync::Arc::new(move |i| bodies[(i as usize) % bodies.len()].clone())
}

struct ReadTarget {
    name: &'static str,
    target: Target,
    bodies: Bodies,
}

async fn reads(
    cx: &mut Ctx,
    s: &Seeded,
    with_pg: bool,
    skip_reads: bool,
    skip_overhead: bool,
) -> Result<()> {
    let api = Target::new(addr(API), "/graphql");
    let token = seed::token(&api, &s.read_email).await?;
    let mut targets = vec![
        ReadTarget {
            name: "igny8",
            target: api.clone().bearer(&token),
            bodies: cycling(s.site_ids.iter().map(|id| nested_body(id)).collect()),
        },
        ReadTarget {
            name: "limit",
            target: Target::new(addr(LIMIT), "/graphql"),
            bodies: cycling(s.site_ids.iter().map(|id| nested_body(id)).collect()),
        },
    ];
    if with_pg {
        targets.push(ReadTarget {
            name: "postgraphile",
            target: Target::new(addr(PGL), "/graphql").bearer(&token),
            bodies: cycling(s.site_ids.iter().map(|id| pg_body(id)).collect()),
        });
    }

    // the same answer, or the comparison means nothing
    for id in &s.site_ids {
        let a = load::post_once(&targets[0].target, nested_body(id)).await?;
        let b = load::post_once(&targets[1].target, nested_body(id)).await?;
        if a != b {
            bail!("igny8 and the limit server disagree for site {id}:\n{a}\n{b}");
        }
        let kws = |v: &serde_json::Value, sectors: &str, kw: &str| -> usize {
            v.pointer(&format!("/data/{sectors}/edges"))
                .and_then(|e| e.as_array())
                .map(|e| {
                    e.iter()
                        .map(|s| s["node"][kw]["edges"].as_array().map_or(0, |k| k.len()))
                        .sum()
                })
                .unwrap_or(0)
        };
        let n = kws(&a, "site/sectors", "keywords");
        if n != 250 {
            bail!("expected 5 × 50 keywords, got {n}");
        }
        if with_pg {
            let c = load::post_once(&targets[2].target, pg_body(id)).await?;
            let m = kws(
                &c,
                "siteById/sectorsBySiteIdAndAccountId",
                "keywordsBySectorIdAndSiteIdAndAccountId",
            );
            if m != n {
                bail!("PostGraphile returned {m} keywords, igny8 {n}: {c}");
            }
        }
    }
    cx.notes.push(format!(
        "igny8 and the limit server returned byte-for-byte equal JSON (parsed) for all 3 sites; PostGraphile returned the same {} keywords per site in its own shape.",
        250
    ));
    let typename = fixed_body(r#"{"query":"{ __typename }"}"#);
    let typename_targets = [
        ("igny8", api.clone().bearer(&token), typename.clone()),
        (
            "bare",
            Target::new(addr(LIMIT), "/typename"),
            typename.clone(),
        ),
    ];

    // statements per request: sequential, 100 requests each
    if !skip_reads {
        for t in &targets {
            cx.reset_statements().await?;
            let r = load::closed(
                &t.target,
                t.bodies.clone(),
                1,
                Duration::from_secs(60),
                Some(100),
                false,
            )
            .await?;
            let st = cx.statements().await?;
            let total: i64 = st.iter().map(|x| x.1).sum();
            cx.figs.single(
                &format!("stmts.{}", t.name),
                total as f64 / r.ok.max(1) as f64,
            );
            // the statements that read data: without transaction control and set_config
            let data: i64 = st
                .iter()
                .filter(|(q, _)| {
                    let q = q.trim_start().to_ascii_uppercase();
                    !(q.starts_with("BEGIN")
                        || q.starts_with("COMMIT")
                        || q.starts_with("ROLLBACK")
                        || q.starts_with("SELECT SET_CONFIG")
                        || q.starts_with("SET ")
                        || q.starts_with("RESET"))
                })
                .map(|x| x.1)
                .sum();
            cx.figs.single(
                &format!("stmts_data.{}", t.name),
                data as f64 / r.ok.max(1) as f64,
            );
            if t.name == "igny8" {
                let per: Vec<(String, f64)> = st
                    .iter()
                    .map(|(q, c)| {
                        (
                            q.split_whitespace().collect::<Vec<_>>().join(" "),
                            *c as f64 / r.ok.max(1) as f64,
                        )
                    })
                    .collect();
                cx.figs.detail("stmts.igny8.list", json!(per));
            }
        }
    }

    // warm-up
    for t in &targets {
        load::closed(
            &t.target,
            t.bodies.clone(),
            8,
            Duration::from_secs(2),
            None,
            false,
        )
        .await?;
    }
    for (_, t, b) in &typename_targets {
        load::closed(t, b.clone(), 8, Duration::from_secs(1), None, false).await?;
    }

    let secs = Duration::from_secs_f64(cx.o.secs);
    for round in 0..cx.o.rounds {
        eprintln!("bench: reads round {}", round + 1);
        if !skip_reads {
            let mut best = 0.0f64;
            for &c in &CONCURRENCY {
                let mut order: Vec<&ReadTarget> = targets.iter().collect();
                let k = round % order.len();
                order.rotate_left(k);
                let mut rps = std::collections::HashMap::new();
                for t in order {
                    let r = load::closed(&t.target, t.bodies.clone(), c, secs, None, false).await?;
                    if r.errors > 0 {
                        cx.notes.push(format!(
                            "round {}: {} at c={c} had {} errors",
                            round + 1,
                            t.name,
                            r.errors
                        ));
                    }
                    cx.figs.push(&format!("read.{}.c{c}.rps", t.name), r.rps());
                    cx.figs
                        .push(&format!("read.{}.c{c}.p50", t.name), r.pct_ms(50.0));
                    cx.figs
                        .push(&format!("read.{}.c{c}.p99", t.name), r.pct_ms(99.0));
                    rps.insert(t.name, r.rps());
                }
                let g = rps["igny8"];
                best = best.max(g);
                cx.figs
                    .push(&format!("read.ratio_limit.c{c}"), g / rps["limit"]);
                if let Some(p) = rps.get("postgraphile") {
                    cx.figs.push(&format!("read.ratio_pg.c{c}"), g / p);
                }
            }
            // p99 at 80 % of the sustainable rate (the best closed-loop rate this round)
            let rate = 0.8 * best;
            let r = load::open(
                &targets[0].target,
                targets[0].bodies.clone(),
                rate,
                secs + Duration::from_secs(1),
                64,
                false,
            )
            .await?;
            cx.figs.push("read.open80.rate", rate);
            cx.figs.push("read.open80.achieved", r.rps());
            cx.figs.push("read.open80.p50", r.pct_ms(50.0));
            cx.figs.push("read.open80.p99", r.pct_ms(99.0));
        }
        if !skip_overhead {
            for c in [8usize, 32] {
                let mut order: Vec<_> = typename_targets.iter().collect();
                order.rotate_left(round % 2);
                let mut rps = std::collections::HashMap::new();
                for (name, t, b) in order {
                    let r = load::closed(t, b.clone(), c, secs, None, false).await?;
                    cx.figs.push(&format!("overhead.{name}.c{c}.rps"), r.rps());
                    cx.figs
                        .push(&format!("overhead.{name}.c{c}.p99"), r.pct_ms(99.0));
                    rps.insert(*name, r.rps());
                }
                cx.figs
                    .push(&format!("overhead.ratio.c{c}"), rps["igny8"] / rps["bare"]);
            }
        }
    }
    Ok(())
}

fn fixed_body(s: &'static str) -> Bodies {
    load::fixed(Bytes::from_static(s.as_bytes()))
}

// --- jobs -----------------------------------------------------------------------------

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

async fn jobs(cx: &mut Ctx, s: &Seeded) -> Result<()> {
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

/// `n` entries added one XADD at a time while `consumers` each read one
/// entry (XREADGROUP COUNT 1) and XACK it, as the worker does per job.
async fn redis_loop(url: &str, stream: &str, n: usize, consumers: usize) -> Result<f64> {
    let client = redis::Client::open(url)?;
    let mut c = client.get_multiplexed_async_connection().await?;
    let _: redis::RedisResult<()> = redis::cmd("DEL").arg(stream).query_async(&mut c).await;
    let _: () = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(stream)
        .arg("g")
        .arg("$")
        .arg("MKSTREAM")
        .query_async(&mut c)
        .await?;
    let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t0 = Instant::now();
    let producer = {
        let mut c = client.get_multiplexed_async_connection().await?;
        let stream = stream.to_owned();
        tokio::spawn(async move {
            for i in 0..n {
                let _: String = redis::cmd("XADD")
                    .arg(&stream)
                    .arg("*")
                    .arg("job")
                    .arg(i)
                    .query_async(&mut c)
                    .await?;
            }
            Ok::<_, redis::RedisError>(())
        })
    };
    let mut tasks = vec![];
    for k in 0..consumers {
        // a connection each: blocking reads must not hold up the others
        let mut c = client.get_multiplexed_async_connection().await?;
        let (stream, acked) = (stream.to_owned(), acked.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                if acked.load(std::sync::atomic::Ordering::Relaxed) >= n {
                    break;
                }
                let v: redis::Value = redis::cmd("XREADGROUP")
                    .arg("GROUP")
                    .arg("g")
                    .arg(format!("c{k}"))
                    .arg("COUNT")
                    .arg(1)
                    .arg("BLOCK")
                    .arg(100)
                    .arg("STREAMS")
                    .arg(&stream)
                    .arg(">")
                    .query_async(&mut c)
                    .await?;
                let reply: Option<redis::streams::StreamReadReply> =
                    redis::FromRedisValue::from_redis_value(v).ok();
                for key in reply.map(|r| r.keys).unwrap_or_default() {
                    for e in key.ids {
                        let _: i64 = redis::cmd("XACK")
                            .arg(&stream)
                            .arg("g")
                            .arg(&e.id)
                            .query_async(&mut c)
                            .await?;
                        acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            Ok::<_, redis::RedisError>(())
        }));
    }
    producer.await??;
    for t in tasks {
        t.await??;
    }
    let rate = n as f64 / t0.elapsed().as_secs_f64();
    let _: redis::RedisResult<()> = redis::cmd("DEL").arg(stream).query_async(&mut c).await;
    Ok(rate)
}

// --- subscriptions -----------------------------------------------------------------------

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

async fn subscriptions(cx: &mut Ctx, s: &Seeded, ns: &[usize]) -> Result<()> {
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
