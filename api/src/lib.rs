#![doc = include_str!("../README.md")]

pub mod admin;
pub mod app;
pub mod auth;
pub mod config;
pub mod error;
pub mod graphql;
pub mod hooks;
pub mod http;
pub mod hub;
pub mod mail;
pub mod media;
pub mod server;
pub mod sessions;
pub mod telemetry;
pub mod throttle;
pub mod ws;

use std::future::Future;

/// Migrates, then serves the API on `listener` until `shutdown` resolves.
pub async fn serve(
    config: config::Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = app::AppState::new(config)?;
    server::serve(state, listener, shutdown).await?;
    Ok(())
}
