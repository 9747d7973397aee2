#![doc = include_str!("../README.md")]

pub mod app;
pub mod auth;
pub mod config;
pub mod error;
pub mod graphql;
pub mod http;
pub mod hub;
pub mod mail;
pub mod media;
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
    let router = app::router(state);
    // the peer address feeds the per-address throttle of credential operations
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}
