//! `igny8`: serve, worker, migrate, export-schema, admin.

use clap::{Parser, Subcommand};
use igny8_api::config::Config;

// jemalloc: the system allocator took about a quarter of the CPU of a nested
// read in the benchmarks (bench/NOTES.md)
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "igny8",
    version,
    about = "igny8: SEO keyword planning and AI content, over GraphQL"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// HTTP + WebSocket API, GraphiQL; runs a worker in-process unless --no-worker.
    Serve {
        #[arg(long)]
        no_worker: bool,
        #[arg(long)]
        no_migrate: bool,
    },
    /// A job worker only.
    Worker {
        #[arg(long)]
        no_migrate: bool,
    },
    /// Applies pending database migrations.
    Migrate,
    /// Prints the GraphQL SDL (`schema.graphql` must equal it).
    ExportSchema,
    /// Operator commands on the database (`DATABASE_URL`).
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Creates a platform staff member, who signs in with the ordinary
    /// `login`; the password is read from stdin (its first line).
    CreateStaff {
        #[arg(long)]
        email: String,
    },
}

async fn admin(command: AdminCommand) -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| anyhow::anyhow!("set DATABASE_URL to the igny8 database"))?;
    migrate_url(&url).await?;
    let db = igny8_db::Db::connect(&url, 2)?;
    match command {
        AdminCommand::CreateStaff { email } => {
            let password = igny8_api::admin::read_password(std::io::stdin().lock())?;
            let id = igny8_api::admin::create_staff(&db, &email, &password).await?;
            println!(
                "staff user {id} created; they sign in as {}",
                email.trim().to_lowercase()
            );
            Ok(())
        }
    }
}

async fn migrate_url(url: &str) -> anyhow::Result<()> {
    igny8_db::run_migrations(url)
        .await
        .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    let applied = igny8_db::run_migrations(&config.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
    for v in &applied {
        tracing::info!(migration = %v, "applied");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let cli = match cli.command {
        Command::ExportSchema => {
            print!("{}", igny8_api::graphql::sdl());
            return Ok(());
        }
        Command::Admin { command } => return admin(command).await,
        command => Cli { command },
    };
    let config = Config::from_env()?;
    igny8_api::telemetry::init(config.log_json);
    for w in &config.warnings {
        tracing::warn!("!!! {w}");
    }
    if !config.production {
        eprintln!(
            "\n!!! igny8 is running in DEVELOPMENT mode (IGNY8_ENV). Never expose it to a network.\n"
        );
    }
    match cli.command {
        Command::ExportSchema | Command::Admin { .. } => unreachable!(),
        Command::Migrate => migrate(&config).await,
        Command::Serve {
            no_worker,
            no_migrate,
        } => {
            if !no_migrate {
                migrate(&config).await?;
            }
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            tracing::info!(listen = %listener.local_addr()?, "igny8 serving: /graphql /graphiql /healthz /readyz /metrics");
            let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
            let worker = if no_worker {
                None
            } else {
                let db = igny8_db::Db::connect_worker(&config.database_url, config.db_pool_size)?;
                Some(tokio::spawn(
                    igny8_jobs::Worker::new(config.worker(), db).run(stop_rx),
                ))
            };
            let shutdown = async move {
                shutdown_signal().await;
                let _ = stop_tx.send(true);
            };
            igny8_api::serve(config, listener, shutdown).await?;
            if let Some(w) = worker {
                w.await??;
            }
            Ok(())
        }
        Command::Worker { no_migrate } => {
            if !no_migrate {
                migrate(&config).await?;
            }
            let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
            tokio::spawn(async move {
                shutdown_signal().await;
                let _ = stop_tx.send(true);
            });
            igny8_jobs::Worker::new(
                config.worker(),
                igny8_db::Db::connect_worker(&config.database_url, config.db_pool_size)?,
            )
            .run(stop_rx)
            .await?;
            Ok(())
        }
    }
}
