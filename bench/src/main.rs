//! `igny8-bench`: the benchmark suite of issue #7. `scripts/bench` runs
//! `igny8-bench run`, which starts the servers, seeds, measures and writes
//! `bench/REPORT.md`; the other subcommands are its helpers.

mod limit;
mod load;
mod opts;
mod procs;
mod queries;
mod report;
mod run;
mod seed;
mod subs;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "igny8-bench", about = "igny8's benchmark suite (not a test)")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Everything: start, seed, measure, write the report.
    Run(opts::RunOpts),
    /// The raw-SQL limit server (`/graphql`) and the bare axum handler (`/typename`).
    LimitServer {
        #[arg(long)]
        listen: std::net::SocketAddr,
        #[arg(long)]
        db_url: String,
        #[arg(long, default_value_t = 16)]
        pool: usize,
        /// the tenant whose rows it reads
        #[arg(long)]
        account: uuid::Uuid,
    },
    /// WebSocket subscribers for the fan-out measure (a child of `run`).
    WsClients {
        #[arg(long)]
        url: String,
        #[arg(long)]
        token: String,
        #[arg(long)]
        count: usize,
        #[arg(long, default_value_t = 500.0)]
        per_sec: f64,
        /// exits by itself after this long
        #[arg(long, default_value_t = 300)]
        max_secs: u64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        match cli.command {
            Cmd::Run(o) => run::run(o, std::env::current_exe()?).await,
            Cmd::LimitServer {
                listen,
                db_url,
                pool,
                account,
            } => limit::serve(listen, &db_url, pool, account).await,
            Cmd::WsClients {
                url,
                token,
                count,
                per_sec,
                max_secs,
            } => subs::clients(url, token, count, per_sec, max_secs).await,
        }
    })
}
