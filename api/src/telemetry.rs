//! Logs: `tracing` events, text by default, JSON with `IGNY8_LOG_FORMAT=json`.
//! Request spans carry `request_id`, so every line of a request shows it.

use tracing_subscriber::EnvFilter;

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn"))
        // tokio-postgres prints every bound parameter at debug level:
        // password hashes, token hashes, sealed keys. Never, whatever RUST_LOG says.
        .add_directive("tokio_postgres=info".parse().expect("a valid directive"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if json {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder.try_init()
    };
}
