//! The options of `igny8-bench run`, shared by the run and its report.

use std::path::PathBuf;

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
