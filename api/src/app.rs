//! The axum application: routes, shared state, middleware.

use crate::auth::JwtKeys;
use crate::config::Config;
use crate::graphql::{AppSchema, schema_builder};
use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use igny8_db::Db;
use metrics::SharedString;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde_json::json;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::{MakeHeaderValue, SetResponseHeaderLayer};
use tower_http::trace::TraceLayer;

/// What every handler shares. Cloned per request by axum's `State`, so it is
/// one `Arc` (a clone of the parts would copy the JWT validation's sets and
/// the Redis connection info on every request).
#[derive(Clone)]
pub struct AppState(Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

pub struct App {
    /// The schema, without extensions (see `graphql::schema_builder`).
    pub schema: AppSchema,
    pub db: Db,
    pub redis: redis::Client,
    pub jwt: JwtKeys,
    pub config: Arc<Config>,
    pub metrics: PrometheusHandle,
    pub hub: crate::hub::Hub,
    pub sockets: crate::ws::SocketCaps,
    /// Account security: the hashing pool, throttles, mail, revocations.
    pub passwords: Arc<crate::auth::PasswordPool>,
    pub revocations: crate::sessions::Revocations,
    /// Secrets (webhook signatures) and the outbound client.
    pub providers: Arc<igny8_jobs::settings::Providers>,
}

/// The process-wide metrics recorder (installed once, shared by every app
/// built in this process, e.g. in tests).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ])
                .expect("valid buckets")
                .install_recorder()
                .expect("metrics recorder installs once")
        })
        .clone()
}

impl AppState {
    pub fn new(config: Config) -> anyhow::Result<Self> {
        let db = Db::connect(&config.database_url, config.db_pool_size)?;
        let redis = redis::Client::open(config.redis_url.as_str())?;
        let jwt = JwtKeys::new(&config.jwt_secret);
        let config = Arc::new(config);
        let keys = igny8_jobs::queue::Keys {
            prefix: config.jobs.redis_prefix.clone(),
        };
        let hub = crate::hub::Hub::start(redis.clone(), keys.clone());
        let bus = Arc::new(crate::graphql::jobs::bus::JobsBus::new(
            &config.redis_url,
            keys,
        ));
        let worker = config.worker();
        // for the integration settings' effective view and their tests
        let mut providers =
            igny8_jobs::settings::Providers::new(worker.ai, worker.secrets, worker.outbound);
        providers.wordpress_sync_minutes = config.jobs.wordpress_sync_minutes;
        let providers = Arc::new(providers);
        let passwords = Arc::new(crate::auth::PasswordPool::new(
            config.auth.hash_concurrency,
            config.auth.hash_queue,
        ));
        let revocations =
            crate::sessions::Revocations::start(redis.clone(), &config.jobs.redis_prefix);
        let schema = schema_builder(config.limits, config.introspection)
            .data(passwords.clone())
            .data(Arc::new(crate::throttle::Throttle::new(&config.auth)))
            .data(Arc::new(crate::mail::Mailer::new(
                &config.mail,
                config.production,
            )?))
            .data(revocations.clone())
            .data(providers.clone())
            .data(db.clone())
            .data(jwt.clone())
            .data(config.clone())
            .data(hub.clone())
            .data(bus)
            .finish();
        let sockets = crate::ws::SocketCaps::new(&config.transport);
        Ok(AppState(Arc::new(App {
            schema,
            db,
            redis,
            jwt,
            config,
            metrics: metrics_handle(),
            hub,
            sockets,
            passwords,
            revocations,
            providers,
        })))
    }
}

pub fn router(state: AppState) -> Router {
    let limits = state.config.limits;
    let api = Router::new()
        .route(
            "/graphql",
            get(crate::http::graphql).post(crate::http::graphql),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        // off: a 404 of its own, so the web client's fallback does not answer
        .route(
            "/metrics",
            if state.config.metrics {
                get(metrics_text)
            } else {
                get(not_found)
            },
        )
        .route("/media/{*key}", get(crate::media::serve))
        .route(
            "/hooks/wordpress/{site}",
            axum::routing::post(crate::hooks::wordpress),
        );
    // The routes above always win; the web client only gets what is left.
    let app = match &state.config.web_dir {
        Some(dir) => api.merge(web_client(dir)),
        None => api
            .route("/graphiql", get(graphiql))
            .route("/graphiql.js", get(graphiql_script))
            .route("/", get(|| async { Redirect::temporary("/graphiql") })),
    };
    app.layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        // outside the limit layer, so it sees the 413 that layer answers
        .layer(middleware::map_response(body_too_large_as_json))
        .layer(middleware::map_response(security_headers))
        .layer(middleware::from_fn(track_metrics))
        .layer(CatchPanicLayer::custom(|_| {
            crate::http::error_response(StatusCode::INTERNAL_SERVER_ERROR, crate::http::MediaType::Json, "INTERNAL", "internal error")
        }))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<Body>| {
                    let rid = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", request_id = %rid, method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(|res: &Response, latency: Duration, _span: &tracing::Span| {
                    tracing::debug!(status = res.status().as_u16(), latency_ms = latency.as_millis() as u64, "response");
                }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// What a page may load: only this origin's scripts, styles (inline ones
/// too: React and GraphiQL set style attributes), images (data URLs for
/// previews) and connections (`'self'` covers the same-origin WebSocket); it
/// may not be framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `nosniff` and no referrer on every response; the content security
/// policy and no framing on HTML pages.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let html = h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    res
}

async fn not_found() -> Response {
    crate::http::error_response(
        StatusCode::NOT_FOUND,
        crate::http::MediaType::Json,
        "NOT_FOUND",
        "not found",
    )
}

/// The body-limit layer answers 413 with plain text; clients get JSON.
async fn body_too_large_as_json(res: Response) -> Response {
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE
        && !res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/"))
    {
        return crate::http::error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            crate::http::MediaType::Json,
            "BAD_USER_INPUT",
            "the request body is too large",
        );
    }
    res
}

async fn track_metrics(req: Request<Body>, next: Next) -> Response {
    let start = Instant::now();
    // static labels where they can be: no allocation for the common routes
    let path: SharedString = match req.extensions().get::<MatchedPath>().map(|p| p.as_str()) {
        Some("/graphql") => SharedString::const_str("/graphql"),
        Some(p) => SharedString::from(p.to_owned()),
        None => SharedString::const_str("unmatched"),
    };
    let method: SharedString = match *req.method() {
        axum::http::Method::GET => SharedString::const_str("GET"),
        axum::http::Method::POST => SharedString::const_str("POST"),
        ref m => SharedString::from(m.to_string()),
    };
    let res = next.run(req).await;
    let status: SharedString = match res.status().as_u16() {
        200 => SharedString::const_str("200"),
        400 => SharedString::const_str("400"),
        n => SharedString::from(n.to_string()),
    };
    let labels = [("method", method), ("path", path), ("status", status)];
    metrics::counter!("igny8_http_requests_total", &labels).increment(1);
    metrics::histogram!("igny8_http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    res
}

async fn healthz() -> impl IntoResponse {
    axum::Json(json!({"status": "ok"}))
}

/// Ready when PostgreSQL and Redis both answer within a second.
async fn readyz(State(app): State<AppState>) -> Response {
    let timeout = Duration::from_secs(1);
    let pg = matches!(
        tokio::time::timeout(timeout, app.db.ping()).await,
        Ok(Ok(()))
    );
    let redis = matches!(
        tokio::time::timeout(timeout, ping_redis(&app.redis)).await,
        Ok(Ok(()))
    );
    let status = if pg && redis {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |ok| if ok { "ok" } else { "unavailable" };
    (
        status,
        axum::Json(
            json!({"status": word(pg && redis), "postgres": word(pg), "redis": word(redis)}),
        ),
    )
        .into_response()
}

async fn ping_redis(client: &redis::Client) -> redis::RedisResult<()> {
    let mut conn = client.get_multiplexed_async_connection().await?;
    redis::cmd("PING")
        .query_async::<String>(&mut conn)
        .await
        .map(|_| ())
}

async fn metrics_text(State(app): State<AppState>) -> Response {
    let (size, available, max) = app.db.pool_status();
    metrics::gauge!("igny8_db_pool_connections").set(size as f64);
    metrics::gauge!("igny8_db_pool_available").set(available as f64);
    metrics::gauge!("igny8_db_pool_max").set(max as f64);
    metrics::gauge!("igny8_db_statements").set(app.db.statements() as f64);
    metrics::gauge!("igny8_subscribers").set(app.hub.subscribers() as f64);
    let mut r = app.metrics.render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    r
}

/// A small GraphQL console when no web client is built (the built client
/// brings the full GraphiQL): everything from this server, nothing from a
/// CDN. It sends its token as `Authorization` and in the WebSocket's
/// `connection_init`.
async fn graphiql() -> Html<&'static str> {
    Html(include_str!("graphiql.html"))
}

async fn graphiql_script() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        include_str!("graphiql.js"),
    )
        .into_response()
}

/// The built web client in `dir` (`IGNY8_WEB_DIR`): hashed `/assets/*` cached
/// for a year, `/graphiql` from its `graphiql.html`, and every other path
/// falls back to `index.html` so client-side routes load. Pages are
/// `no-cache`, so a deploy shows at the next load.
fn web_client(dir: &Path) -> Router<AppState> {
    let immutable = SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, ImmutableIfFound);
    let no_cache = || {
        SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        )
    };
    let pages = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .fallback(ServeFile::new(dir.join("index.html")));
    Router::new()
        .nest_service(
            "/assets",
            ServiceBuilder::new()
                .layer(immutable)
                .service(ServeDir::new(dir.join("assets"))),
        )
        .route_service(
            "/graphiql",
            ServiceBuilder::new()
                .layer(no_cache())
                .service(ServeFile::new(dir.join("graphiql.html"))),
        )
        .fallback_service(ServiceBuilder::new().layer(no_cache()).service(pages))
}

/// `Cache-Control` for hashed assets, on successful responses only: a 404
/// must not be cached for a year.
#[derive(Clone, Copy)]
struct ImmutableIfFound;

impl<B> MakeHeaderValue<axum::http::Response<B>> for ImmutableIfFound {
    fn make_header_value(&mut self, res: &axum::http::Response<B>) -> Option<HeaderValue> {
        res.status()
            .is_success()
            .then(|| HeaderValue::from_static("public, max-age=31536000, immutable"))
    }
}
