//! What every scenario shares: the options, the probes on PostgreSQL and
//! Redis, the figures, and how igny8 is started on its fixed ports.

use crate::opts::RunOpts;
use crate::procs::{self, Proc, Ready};
use crate::report::Figures;
use anyhow::Result;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tokio::process::Command;

pub const API: u16 = 18080;
pub const WORKER_API: u16 = 18081;
pub const SUBS_API: u16 = 18082;
pub const FOOT_API: u16 = 18083;
pub const LIMIT: u16 = 18090;
pub const PGL: u16 = 18100;

pub fn addr(port: u16) -> SocketAddr {
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
    pub fn igny8(&self, port: u16, worker: bool, extra: &[(&str, String)]) -> Command {
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

    pub async fn start_igny8(
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
    pub async fn statements(&self) -> Result<Vec<(String, i64)>> {
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

    pub async fn reset_statements(&self) -> Result<()> {
        self.pg
            .execute("SELECT pg_stat_statements_reset() /* bench-probe */", &[])
            .await?;
        Ok(())
    }

    pub async fn reset_redis(&mut self) -> Result<()> {
        let _: () = redis::cmd("CONFIG")
            .arg("RESETSTAT")
            .query_async(&mut self.redis)
            .await?;
        Ok(())
    }

    /// Redis commands since the last reset, by command, without our own.
    pub async fn redis_commands(&mut self) -> Result<Vec<(String, i64)>> {
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
