//! Configuration from the environment (DESIGN.md §7), with `.env` support.
//! Dev defaults work with no configuration at all, with a loud warning;
//! production refuses to start with them or with weak secrets.

use igny8_core::jobs::AiFunction;
use igny8_jobs::settings::{AiSettings, Credentials, ImageProvider, TextProvider};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The JWT secret used when none is configured. Public, so never in production.
pub const DEV_JWT_SECRET: &str = "igny8-dev-jwt-secret-do-not-use-in-production";
/// The at-rest encryption key used when none is configured (32 bytes, hex).
pub const DEV_SECRET_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub redis_url: String,
    pub listen: SocketAddr,
    pub jwt_secret: String,
    pub secret_key: String,
    /// `IGNY8_ENV=production` (any case): the secret checks, no dev fallbacks.
    pub production: bool,
    /// What the operator should hear about at start (dev secrets in use, an
    /// implicit environment); logged once telemetry is up.
    pub warnings: Vec<String>,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub db_pool_size: usize,
    pub media_dir: PathBuf,
    /// Where generated images live: `media_dir`, or the S3-compatible
    /// bucket `IGNY8_MEDIA_S3_BUCKET` (with the standard `AWS_*` settings).
    pub media: igny8_jobs::media::MediaStore,
    pub web_dir: Option<PathBuf>,
    pub log_json: bool,
    /// `IGNY8_INTROSPECTION`: on in development, off in production.
    pub introspection: bool,
    /// `IGNY8_METRICS`: `/metrics` served; on in development, off in production.
    pub metrics: bool,
    pub limits: Limits,
    pub transport: Transport,
    pub jobs: JobSettings,
}

/// Throttling of credential operations (login, signup, password reset) and
/// the password-hashing pool.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Attempts per client address per minute (also the burst):
    /// `IGNY8_AUTH_PER_IP_PER_MINUTE`, default 30.
    pub per_ip_per_minute: u32,
    /// Attempts per email address before throttling
    /// (`IGNY8_AUTH_PER_EMAIL_BURST`, default 10); then one per minute.
    pub per_email_burst: u32,
    /// Password hashes computed at once (`IGNY8_HASH_CONCURRENCY`, default
    /// the number of cores): each takes 19 MiB and a core.
    pub hash_concurrency: usize,
    /// Hashes allowed to wait for the pool (`IGNY8_HASH_QUEUE`, default 64);
    /// beyond that, `RATE_LIMITED`.
    pub hash_queue: usize,
    /// How often an open WebSocket re-checks that its user and session are
    /// still valid (`IGNY8_SESSION_CHECK_SECS`, default 30); revocations on
    /// this instance close sockets at once.
    pub session_check: Duration,
    /// The header carrying the client's address when a trusted reverse
    /// proxy sets it (`IGNY8_CLIENT_IP_HEADER`, e.g. `x-real-ip`); unset,
    /// the peer address counts.
    pub client_ip_header: Option<String>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            per_ip_per_minute: 30,
            per_email_burst: 10,
            hash_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
            hash_queue: 64,
            session_check: Duration::from_secs(30),
            client_ip_header: None,
        }
    }
}

/// Outgoing mail (password reset, invitations, address verification).
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `IGNY8_SMTP_URL`, e.g. `smtps://user:pass@smtp.example.com` or
    /// `smtp://127.0.0.1:2525` (plain, for a local relay). Unset: development
    /// logs the links; production refuses the operations that need mail.
    pub smtp_url: Option<String>,
    /// `IGNY8_MAIL_FROM`, default `igny8 <no-reply@localhost>`.
    pub from: String,
    /// Where links in mails point: `IGNY8_PUBLIC_URL`, default `http://{IGNY8_LISTEN}`.
    pub public_url: String,
    /// Signup signs in only after the address is verified, and answers the
    /// same whether or not the email is registered
    /// (`IGNY8_REQUIRE_EMAIL_VERIFICATION`; default on in production).
    pub require_verification: bool,
}

/// How jobs run.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Namespace of every Redis key (`IGNY8_REDIS_PREFIX`, default `igny8`).
    pub redis_prefix: String,
    /// `IGNY8_JOB_LEASE_SECS`, default 30.
    pub lease_secs: i64,
    /// `IGNY8_OFFLINE_LATENCY_MS`, default 0: simulated provider delay.
    pub offline_latency_ms: u64,
    /// `IGNY8_WORKER_CONCURRENCY`, default 16: jobs one worker runs at once.
    pub worker_concurrency: usize,
    pub max_attempts: i32,
    pub max_deliveries: i32,
    /// `IGNY8_SCHEDULER`, default on: workers also run the scheduler
    /// (renewals, other periodic work). Any number may run it; each due
    /// time runs once.
    pub scheduler: bool,
    /// `IGNY8_SCHEDULER_POLL_MS`, default 5000: how often an idle
    /// scheduler looks for due work.
    pub scheduler_poll_ms: u64,
    /// `IGNY8_WORDPRESS_SYNC_MINUTES`, default 15: how often the scheduler
    /// syncs each connected WordPress site (0: only on demand).
    pub wordpress_sync_minutes: i64,
    /// The server's default providers and models (`IGNY8_AI_PROVIDER`,
    /// `IGNY8_IMAGE_PROVIDER`, `OPENAI_*`, `RUNWARE_*`, `IGNY8_MODEL_*`);
    /// accounts override them with their integration settings.
    pub ai: igny8_jobs::settings::AiSettings,
    /// `IGNY8_OUTBOUND_ALLOW`: internal networks (CIDRs) and host names that
    /// accounts' URLs may reach; by default none, in every mode.
    pub outbound: igny8_jobs::outbound::Policy,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            redis_prefix: "igny8".into(),
            lease_secs: 30,
            offline_latency_ms: 0,
            worker_concurrency: 16,
            max_attempts: 4,
            max_deliveries: 8,
            scheduler: true,
            scheduler_poll_ms: 5000,
            wordpress_sync_minutes: 15,
            ai: igny8_jobs::settings::AiSettings::default(),
            outbound: igny8_jobs::outbound::Policy::deny_internal(),
        }
    }
}

/// Limits on what one GraphQL request may ask for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    /// `IGNY8_MAX_BATCH`: operations in one JSON-array batch.
    pub max_batch: usize,
    /// `IGNY8_MAX_DOCUMENT_BYTES`: a document's size, checked before parsing.
    pub max_document_bytes: usize,
    /// `IGNY8_MAX_DOCUMENT_TOKENS`: a document's lexical tokens, counted before parsing.
    pub max_document_tokens: usize,
    /// `IGNY8_MAX_ERRORS`: errors returned per operation (the rest summarised in one).
    pub max_errors: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // CSV imports travel in the body (a variable or a multipart
            // file); 6 MiB leaves room for a 5 MB file. The document itself
            // is capped far lower.
            max_body_bytes: 6 * 1024 * 1024,
            max_depth: 24,
            max_complexity: 50_000,
            max_aliases: 30,
            max_batch: 20,
            max_document_bytes: 64 * 1024,
            max_document_tokens: 10_000,
            max_errors: 100,
        }
    }
}

/// Caps on connections and sockets, and their timeouts. A cap of 0 means none.
#[derive(Debug, Clone, Copy)]
pub struct Transport {
    /// `IGNY8_MAX_CONNECTIONS`: open TCP connections (WebSockets included).
    pub max_connections: usize,
    /// `IGNY8_RESERVED_CONNECTIONS`: connections beyond the cap that still
    /// get `/healthz` and `/readyz` (everything else: 503).
    pub reserved_connections: usize,
    /// `IGNY8_MAX_CONNECTIONS_PER_IP`: behind a reverse proxy every
    /// connection comes from the proxy; raise it or set 0 there.
    pub max_connections_per_ip: usize,
    /// `IGNY8_HEADER_READ_TIMEOUT_SECS`: a request's headers must arrive in
    /// this time; it is also how long an idle keep-alive connection waits
    /// for its next request.
    pub header_read_timeout: Duration,
    /// `IGNY8_BODY_READ_TIMEOUT_SECS`: the longest pause inside a request body.
    pub body_read_timeout: Duration,
    /// `IGNY8_MAX_SOCKETS_PER_USER`: open WebSockets per user.
    pub max_sockets_per_user: usize,
    /// `IGNY8_MAX_SOCKETS_PER_IP`: open WebSockets per client address.
    pub max_sockets_per_ip: usize,
    /// `IGNY8_MAX_SUBSCRIPTIONS_PER_SOCKET`: operations running at once on one socket.
    pub max_subscriptions_per_socket: usize,
    /// `IGNY8_WS_MAX_MESSAGE_BYTES`: a larger message closes the socket (1009).
    pub ws_max_message_bytes: usize,
    /// `IGNY8_WS_INIT_TIMEOUT_SECS`: time to send `connection_init` (4408).
    pub ws_init_timeout: Duration,
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            max_connections: 4096,
            reserved_connections: 32,
            max_connections_per_ip: 256,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_sockets_per_user: 32,
            max_sockets_per_ip: 128,
            max_subscriptions_per_socket: 100,
            ws_max_message_bytes: 256 * 1024,
            ws_init_timeout: Duration::from_secs(10),
        }
    }
}

impl Transport {
    fn from_env() -> Result<Self, ConfigError> {
        let d = Transport::default();
        let secs = |name: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            Ok(Duration::from_secs(parse(name, default.as_secs())?.max(1)))
        };
        Ok(Transport {
            max_connections: parse("IGNY8_MAX_CONNECTIONS", d.max_connections)?.max(1),
            reserved_connections: parse("IGNY8_RESERVED_CONNECTIONS", d.reserved_connections)?,
            max_connections_per_ip: parse(
                "IGNY8_MAX_CONNECTIONS_PER_IP",
                d.max_connections_per_ip,
            )?,
            header_read_timeout: secs("IGNY8_HEADER_READ_TIMEOUT_SECS", d.header_read_timeout)?,
            body_read_timeout: secs("IGNY8_BODY_READ_TIMEOUT_SECS", d.body_read_timeout)?,
            max_sockets_per_user: parse("IGNY8_MAX_SOCKETS_PER_USER", d.max_sockets_per_user)?,
            max_sockets_per_ip: parse("IGNY8_MAX_SOCKETS_PER_IP", d.max_sockets_per_ip)?,
            max_subscriptions_per_socket: parse(
                "IGNY8_MAX_SUBSCRIPTIONS_PER_SOCKET",
                d.max_subscriptions_per_socket,
            )?,
            ws_max_message_bytes: parse("IGNY8_WS_MAX_MESSAGE_BYTES", d.ws_max_message_bytes)?
                .max(1024),
            ws_init_timeout: secs("IGNY8_WS_INIT_TIMEOUT_SECS", d.ws_init_timeout)?,
        })
    }
}

impl Limits {
    fn from_env() -> Result<Self, ConfigError> {
        let d = Limits::default();
        Ok(Limits {
            max_body_bytes: parse("IGNY8_MAX_BODY_BYTES", d.max_body_bytes)?,
            max_batch: parse("IGNY8_MAX_BATCH", d.max_batch)?.max(1),
            max_document_bytes: parse("IGNY8_MAX_DOCUMENT_BYTES", d.max_document_bytes)?.max(1024),
            max_document_tokens: parse("IGNY8_MAX_DOCUMENT_TOKENS", d.max_document_tokens)?
                .max(100),
            max_errors: parse("IGNY8_MAX_ERRORS", d.max_errors)?.max(1),
            ..d
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not valid: {1}")]
    Invalid(&'static str, String),
    #[error("refusing to start in production with {0}; set it to a secret value")]
    DevSecretInProduction(&'static str),
    #[error(
        "refusing to start in production: {0} is {1}; use 32+ random characters (e.g. `openssl rand -hex 32`)"
    )]
    WeakSecret(&'static str, &'static str),
    #[error(
        "IGNY8_ENV is not set, but {0}; say IGNY8_ENV=production (or IGNY8_ENV=development) explicitly"
    )]
    EnvironmentRequired(&'static str),
}

/// Where the server runs: `IGNY8_ENV`, case-insensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// Reads `IGNY8_ENV`. Unset means development only where nothing suggests a
/// deployment: no secret configured and a loopback listen address; anything
/// else must say which environment it is, so a half-configured production
/// never falls back to the public dev secrets. The flag says whether it was
/// implicit.
pub fn environment(
    var: impl Fn(&str) -> Option<String>,
) -> Result<(Environment, bool), ConfigError> {
    match var("IGNY8_ENV").map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if v == "production" || v == "prod" => Ok((Environment::Production, false)),
        Some(v) if v == "development" || v == "dev" => Ok((Environment::Development, false)),
        Some(v) => Err(ConfigError::Invalid(
            "IGNY8_ENV",
            format!("{v:?}: use development or production"),
        )),
        None => {
            if [
                "IGNY8_JWT_SECRET",
                "IGNY8_SECRET_KEY",
                "IGNY8_SECRET_KEY_FILE",
            ]
            .iter()
            .any(|k| var(k).is_some())
            {
                return Err(ConfigError::EnvironmentRequired("secrets are configured"));
            }
            let listen = var("IGNY8_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into());
            let loopback = listen
                .trim()
                .parse::<SocketAddr>()
                .is_ok_and(|a| a.ip().is_loopback());
            if !loopback {
                return Err(ConfigError::EnvironmentRequired(
                    "IGNY8_LISTEN is not a loopback address",
                ));
            }
            Ok((Environment::Development, true))
        }
    }
}

/// Why a production secret is unacceptable, if it is: a public dev value,
/// too short, or too predictable (few distinct characters, or under ~96 bits
/// by the character frequencies — `aaaa…`, `abab…`, `password1234…`).
pub fn weak_secret(secret: &str) -> Option<&'static str> {
    if secret == DEV_JWT_SECRET || secret == DEV_SECRET_KEY {
        return Some("the public development value");
    }
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 32 {
        return Some("shorter than 32 characters");
    }
    let mut counts = std::collections::HashMap::<char, usize>::new();
    for c in &chars {
        *counts.entry(*c).or_default() += 1;
    }
    let n = chars.len() as f64;
    let bits: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum::<f64>()
        * n;
    if counts.len() < 10 || bits < 96.0 {
        return Some("too predictable (low entropy)");
    }
    None
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|e: T::Err| ConfigError::Invalid(name, e.to_string())),
    }
}

/// An on/off setting: `on`/`off`, `true`/`false`, `1`/`0`, `yes`/`no`, any case.
fn flag(name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match var(name).map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("on" | "true" | "1" | "yes") => Ok(true),
        Some("off" | "false" | "0" | "no") => Ok(false),
        Some(v) => Err(ConfigError::Invalid(name, format!("{v:?}: use on or off"))),
    }
}

/// The server's AI defaults. `IGNY8_AI_PROVIDER=openai` needs
/// `OPENAI_API_KEY`; `OPENAI_BASE_URL` points at any OpenAI-compatible
/// server. Images follow the text provider unless `IGNY8_IMAGE_PROVIDER`
/// says otherwise (`runware` needs `RUNWARE_API_KEY`). Each function's
/// model: `IGNY8_MODEL_<FUNCTION>` (e.g. `IGNY8_MODEL_GENERATE_CONTENT`),
/// else `IGNY8_OPENAI_TEXT_MODEL` / `IGNY8_OPENAI_IMAGE_MODEL`.
fn ai_from_env() -> Result<AiSettings, ConfigError> {
    ai_from(var)
}

fn ai_from(var: impl Fn(&str) -> Option<String>) -> Result<AiSettings, ConfigError> {
    let mut ai = AiSettings::default();
    let text = var("IGNY8_AI_PROVIDER").unwrap_or_else(|| "offline".into());
    ai.text = TextProvider::parse(&text).ok_or_else(|| {
        ConfigError::Invalid(
            "IGNY8_AI_PROVIDER",
            format!("{text:?}: use offline or openai"),
        )
    })?;
    ai.image = match var("IGNY8_IMAGE_PROVIDER") {
        None => match ai.text {
            TextProvider::Offline => ImageProvider::Offline,
            TextProvider::OpenAi => ImageProvider::OpenAi,
        },
        Some(v) => ImageProvider::parse(&v).ok_or_else(|| {
            ConfigError::Invalid(
                "IGNY8_IMAGE_PROVIDER",
                format!("{v:?}: use offline, openai or runware"),
            )
        })?,
    };
    if let Some(api_key) = var("OPENAI_API_KEY") {
        ai.openai = Some(Credentials {
            base_url: var("OPENAI_BASE_URL")
                .unwrap_or_else(|| igny8_jobs::settings::OPENAI_DEFAULT_BASE_URL.into()),
            api_key,
        });
    }
    if let Some(api_key) = var("RUNWARE_API_KEY") {
        ai.runware = Some(Credentials {
            base_url: var("RUNWARE_BASE_URL")
                .unwrap_or_else(|| igny8_jobs::runware::DEFAULT_BASE_URL.into()),
            api_key,
        });
    }
    let needs_openai = ai.text == TextProvider::OpenAi || ai.image == ImageProvider::OpenAi;
    if needs_openai && ai.openai.is_none() {
        return Err(ConfigError::Invalid(
            "OPENAI_API_KEY",
            "required when IGNY8_AI_PROVIDER or IGNY8_IMAGE_PROVIDER is openai".into(),
        ));
    }
    if ai.image == ImageProvider::Runware && ai.runware.is_none() {
        return Err(ConfigError::Invalid(
            "RUNWARE_API_KEY",
            "required when IGNY8_IMAGE_PROVIDER=runware".into(),
        ));
    }
    let text_model = var("IGNY8_OPENAI_TEXT_MODEL");
    let image_model = var("IGNY8_OPENAI_IMAGE_MODEL");
    for f in AiFunction::ALL {
        let general = if f == AiFunction::GenerateImages {
            image_model.clone()
        } else {
            text_model.clone()
        };
        let name = format!("IGNY8_MODEL_{}", f.as_str().to_ascii_uppercase());
        if let Some(m) = var(&name).or(general) {
            ai.models.set(f, m);
        }
    }
    if let Some(m) = var("IGNY8_RUNWARE_MODEL") {
        ai.runware_model = m;
    }
    Ok(ai)
}

/// `IGNY8_OUTBOUND_ALLOW`, e.g. `127.0.0.1/32,::1/128,wp.internal`; an
/// entry that is neither a CIDR, an address nor a host name refuses startup.
fn outbound_from(
    var: impl Fn(&str) -> Option<String>,
) -> Result<igny8_jobs::outbound::Policy, ConfigError> {
    igny8_jobs::outbound::Policy::parse(&var("IGNY8_OUTBOUND_ALLOW").unwrap_or_default())
        .map_err(|e| ConfigError::Invalid("IGNY8_OUTBOUND_ALLOW", e))
}

/// `IGNY8_SECRET_KEY`, or the contents of the file `IGNY8_SECRET_KEY_FILE`
/// (e.g. a mounted secret): 64 hex digits, or a passphrase.
fn secret_key() -> Result<String, ConfigError> {
    if let Some(path) = var("IGNY8_SECRET_KEY_FILE") {
        let key = std::fs::read_to_string(&path)
            .map_err(|e| ConfigError::Invalid("IGNY8_SECRET_KEY_FILE", format!("{path}: {e}")))?;
        let key = key.trim().to_owned();
        if key.is_empty() {
            return Err(ConfigError::Invalid(
                "IGNY8_SECRET_KEY_FILE",
                format!("{path} is empty"),
            ));
        }
        return Ok(key);
    }
    Ok(var("IGNY8_SECRET_KEY").unwrap_or_else(|| DEV_SECRET_KEY.into()))
}

impl Config {
    /// Reads `.env` (if present) and the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        if var("IGNY8_IGNORE_DOTENV").as_deref() != Some("1") {
            let _ = dotenvy::dotenv();
        }
        let (env, implicit) = environment(var)?;
        let production = env == Environment::Production;
        let mut warnings = vec![];
        if implicit {
            warnings.push(
                "IGNY8_ENV is not set: running in DEVELOPMENT mode with public dev secrets; \
                 set IGNY8_ENV=production and real secrets before exposing this server"
                    .to_owned(),
            );
        }
        let listen = parse("IGNY8_LISTEN", SocketAddr::from(([127, 0, 0, 1], 8080)))?;
        let defaults = AuthSettings::default();
        let media_dir =
            PathBuf::from(var("IGNY8_MEDIA_DIR").unwrap_or_else(|| ".data/media".into()));
        let media = match var("IGNY8_MEDIA_S3_BUCKET") {
            Some(bucket) => igny8_jobs::media::MediaStore::s3(&bucket),
            None => igny8_jobs::media::MediaStore::local(&media_dir),
        }
        .map_err(|e| ConfigError::Invalid("IGNY8_MEDIA_DIR / IGNY8_MEDIA_S3_BUCKET", e))?;
        let mut config = Config {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/igny8".into()),
            redis_url: var("REDIS_URL").unwrap_or_else(|| "redis://127.0.0.1:6379".into()),
            listen,
            jwt_secret: var("IGNY8_JWT_SECRET").unwrap_or_else(|| DEV_JWT_SECRET.into()),
            secret_key: secret_key()?,
            production,
            warnings,
            auth: AuthSettings {
                per_ip_per_minute: parse(
                    "IGNY8_AUTH_PER_IP_PER_MINUTE",
                    defaults.per_ip_per_minute,
                )?
                .max(1),
                per_email_burst: parse("IGNY8_AUTH_PER_EMAIL_BURST", defaults.per_email_burst)?
                    .max(1),
                hash_concurrency: parse("IGNY8_HASH_CONCURRENCY", defaults.hash_concurrency)?
                    .max(1),
                hash_queue: parse("IGNY8_HASH_QUEUE", defaults.hash_queue)?,
                session_check: Duration::from_secs(
                    parse("IGNY8_SESSION_CHECK_SECS", 30u64)?.max(1),
                ),
                client_ip_header: var("IGNY8_CLIENT_IP_HEADER")
                    .map(|h| h.trim().to_ascii_lowercase()),
            },
            mail: MailSettings {
                smtp_url: var("IGNY8_SMTP_URL"),
                from: var("IGNY8_MAIL_FROM").unwrap_or_else(|| "igny8 <no-reply@localhost>".into()),
                public_url: var("IGNY8_PUBLIC_URL")
                    .unwrap_or_else(|| format!("http://{listen}"))
                    .trim_end_matches('/')
                    .to_owned(),
                require_verification: parse("IGNY8_REQUIRE_EMAIL_VERIFICATION", production)?,
            },
            access_token_ttl: Duration::from_secs(
                parse("IGNY8_ACCESS_TOKEN_TTL_SECS", 900u64)?.clamp(1, 900),
            ),
            refresh_token_ttl: Duration::from_secs(
                parse("IGNY8_REFRESH_TOKEN_TTL_SECS", 30 * 24 * 3600u64)?.max(60),
            ),
            db_pool_size: parse("IGNY8_DB_POOL_SIZE", 16usize)?.max(1),
            media_dir,
            media,
            web_dir: var("IGNY8_WEB_DIR").map(PathBuf::from),
            log_json: var("IGNY8_LOG_FORMAT").as_deref() == Some("json"),
            introspection: flag("IGNY8_INTROSPECTION", !production)?,
            metrics: flag("IGNY8_METRICS", !production)?,
            limits: Limits::from_env()?,
            transport: Transport::from_env()?,
            jobs: JobSettings {
                redis_prefix: var("IGNY8_REDIS_PREFIX").unwrap_or_else(|| "igny8".into()),
                lease_secs: parse("IGNY8_JOB_LEASE_SECS", 30i64)?.clamp(1, 3600),
                offline_latency_ms: parse("IGNY8_OFFLINE_LATENCY_MS", 0u64)?,
                worker_concurrency: parse("IGNY8_WORKER_CONCURRENCY", 16usize)?.max(1),
                scheduler: flag("IGNY8_SCHEDULER", true)?,
                scheduler_poll_ms: parse("IGNY8_SCHEDULER_POLL_MS", 5000u64)?.clamp(50, 600_000),
                wordpress_sync_minutes: parse("IGNY8_WORDPRESS_SYNC_MINUTES", 15i64)?
                    .clamp(0, 7 * 24 * 60),
                ai: ai_from_env()?,
                outbound: outbound_from(var)?,
                ..JobSettings::default()
            },
        };
        config.check()?;
        Ok(config)
    }

    /// Production must not run with the public dev secrets or weak ones;
    /// development says loudly which dev secrets it uses.
    pub fn check(&mut self) -> Result<(), ConfigError> {
        let secrets = [
            ("IGNY8_JWT_SECRET", &self.jwt_secret),
            ("IGNY8_SECRET_KEY", &self.secret_key),
        ];
        if !self.production {
            for (name, value) in secrets {
                if *value == DEV_JWT_SECRET || *value == DEV_SECRET_KEY {
                    self.warnings.push(format!(
                        "{name} is the public development value: anyone can forge tokens or open secrets; never expose this server"
                    ));
                }
            }
            return Ok(());
        }
        for (name, value) in secrets {
            if *value == DEV_JWT_SECRET || *value == DEV_SECRET_KEY {
                return Err(ConfigError::DevSecretInProduction(name));
            }
            if let Some(why) = weak_secret(value) {
                return Err(ConfigError::WeakSecret(name, why));
            }
        }
        Ok(())
    }

    /// A configuration for tests: dev secrets, the given services.
    pub fn for_tests(database_url: String, redis_url: String) -> Self {
        let media_dir = std::env::temp_dir().join("igny8-test-media");
        let media = igny8_jobs::media::MediaStore::local(&media_dir)
            .expect("the temporary directory is writable");
        Config {
            database_url,
            redis_url,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            jwt_secret: DEV_JWT_SECRET.into(),
            secret_key: DEV_SECRET_KEY.into(),
            production: false,
            warnings: vec![],
            // generous: tests sign up many users from one address
            auth: AuthSettings {
                per_ip_per_minute: 10_000,
                per_email_burst: 1_000,
                ..AuthSettings::default()
            },
            mail: MailSettings {
                smtp_url: None,
                from: "igny8 <no-reply@localhost>".into(),
                public_url: "http://127.0.0.1".into(),
                require_verification: false,
            },
            access_token_ttl: Duration::from_secs(900),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            db_pool_size: 8,
            media_dir,
            media,
            web_dir: None,
            log_json: false,
            introspection: true,
            metrics: true,
            limits: Limits::default(),
            transport: Transport::default(),
            jobs: JobSettings {
                redis_prefix: format!("igny8test:{}", uuid::Uuid::new_v4().simple()),
                ..JobSettings::default()
            },
        }
    }

    /// The worker's settings.
    pub fn worker(&self) -> igny8_jobs::WorkerConfig {
        igny8_jobs::WorkerConfig {
            redis_url: self.redis_url.clone(),
            redis_prefix: self.jobs.redis_prefix.clone(),
            lease_secs: self.jobs.lease_secs,
            max_attempts: self.jobs.max_attempts,
            max_deliveries: self.jobs.max_deliveries,
            concurrency: self.jobs.worker_concurrency,
            scheduler: self
                .jobs
                .scheduler
                .then(|| Duration::from_millis(self.jobs.scheduler_poll_ms)),
            ai: igny8_jobs::settings::AiSettings {
                offline_latency: Duration::from_millis(self.jobs.offline_latency_ms),
                ..self.jobs.ai.clone()
            },
            secrets: self.secret_box(),
            media: self.media.clone(),
            outbound: self.jobs.outbound.clone(),
        }
    }

    /// The key that seals accounts' API keys.
    pub fn secret_box(&self) -> igny8_jobs::secrets::SecretBox {
        igny8_jobs::secrets::SecretBox::from_config(&self.secret_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_come_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let ai = ai_from(env(&[])).unwrap();
        assert_eq!(
            (ai.text, ai.image),
            (TextProvider::Offline, ImageProvider::Offline)
        );
        assert!(matches!(
            ai_from(env(&[("IGNY8_AI_PROVIDER", "openai")])),
            Err(ConfigError::Invalid("OPENAI_API_KEY", _))
        ));
        assert!(matches!(
            ai_from(env(&[("IGNY8_AI_PROVIDER", "magic")])),
            Err(ConfigError::Invalid("IGNY8_AI_PROVIDER", _))
        ));
        assert!(matches!(
            ai_from(env(&[("IGNY8_IMAGE_PROVIDER", "runware")])),
            Err(ConfigError::Invalid("RUNWARE_API_KEY", _))
        ));
        let ai = ai_from(env(&[
            ("IGNY8_AI_PROVIDER", "OpenAI"),
            ("OPENAI_API_KEY", "sk-secret"),
            ("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"),
            ("IGNY8_OPENAI_TEXT_MODEL", "llama3"),
            ("IGNY8_MODEL_GENERATE_CONTENT", "qwen2.5:14b"),
            ("IGNY8_IMAGE_PROVIDER", "runware"),
            ("RUNWARE_API_KEY", "rw-secret"),
        ]))
        .unwrap();
        assert_eq!(ai.image, ImageProvider::Runware);
        assert_eq!(ai.models.get(AiFunction::AutoCluster), "llama3");
        assert_eq!(ai.models.get(AiFunction::GenerateContent), "qwen2.5:14b");
        let shown = format!("{ai:?}");
        assert!(
            shown.contains("llama3") && shown.contains("11434"),
            "{shown}"
        );
        assert!(
            !shown.contains("sk-secret") && !shown.contains("rw-secret"),
            "keys are never printed: {shown}"
        );
    }

    const STRONG: &str = "4f9c2b7e1d8a6035c9e2f71b4a8d3e6f0c5b9a2d7e1f4c8b";

    #[test]
    fn the_outbound_allow_list_is_parsed_and_bad_entries_refuse_startup() {
        let env =
            |v: &'static str| move |k: &str| (k == "IGNY8_OUTBOUND_ALLOW").then(|| v.to_owned());
        let p = outbound_from(env("127.0.0.1/32, ::1/128, wp.internal")).unwrap();
        assert!(p.permits("127.0.0.1".parse().unwrap()));
        assert!(p.allows_host("WP.internal."));
        assert_eq!(
            outbound_from(|_| None).unwrap(),
            igny8_jobs::outbound::Policy::deny_internal()
        );
        let e = outbound_from(env("10.0.0.0/8,10.0.0.0/99")).unwrap_err();
        assert!(
            matches!(e, ConfigError::Invalid("IGNY8_OUTBOUND_ALLOW", _)),
            "{e}"
        );
        assert!(e.to_string().contains("10.0.0.0/99"), "{e}");
    }

    #[test]
    fn production_refuses_dev_and_weak_secrets() {
        let mut c = Config::for_tests(String::new(), String::new());
        assert!(c.check().is_ok());
        assert!(
            c.warnings.iter().any(|w| w.contains("IGNY8_JWT_SECRET")),
            "development warns about its dev secrets: {:?}",
            c.warnings
        );
        c.production = true;
        assert!(matches!(
            c.check(),
            Err(ConfigError::DevSecretInProduction("IGNY8_JWT_SECRET"))
        ));
        // the attack of issue 13: 32 × `a` was accepted
        for weak in [
            "a".repeat(32),
            "ab".repeat(20),
            "x".repeat(40),
            "short-but-random-9f2".into(),
        ] {
            c.jwt_secret = weak.clone();
            assert!(
                matches!(
                    c.check(),
                    Err(ConfigError::WeakSecret("IGNY8_JWT_SECRET", _))
                ),
                "{weak} is refused"
            );
        }
        c.jwt_secret = STRONG.into();
        assert!(matches!(
            c.check(),
            Err(ConfigError::DevSecretInProduction("IGNY8_SECRET_KEY"))
        ));
        c.secret_key = "ab".repeat(32);
        assert!(matches!(
            c.check(),
            Err(ConfigError::WeakSecret("IGNY8_SECRET_KEY", _))
        ));
        c.secret_key = STRONG.chars().rev().collect();
        assert!(c.check().is_ok());
    }

    #[test]
    fn the_environment_is_explicit_and_case_insensitive() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        for p in ["production", "Production", "PRODUCTION", " prod "] {
            let pairs: &'static [(&str, &str)] = Box::leak(Box::new([("IGNY8_ENV", p)]));
            assert_eq!(
                environment(env(pairs)).unwrap(),
                (Environment::Production, false),
                "{p:?} is production"
            );
        }
        assert_eq!(
            environment(env(&[("IGNY8_ENV", "Development")])).unwrap(),
            (Environment::Development, false)
        );
        assert!(matches!(
            environment(env(&[("IGNY8_ENV", "staging")])),
            Err(ConfigError::Invalid("IGNY8_ENV", _))
        ));
        // nothing configured, on loopback: development, flagged as implicit
        assert_eq!(
            environment(env(&[])).unwrap(),
            (Environment::Development, true)
        );
        // looks like a deployment: it must say which environment it is
        assert!(matches!(
            environment(env(&[("IGNY8_JWT_SECRET", STRONG)])),
            Err(ConfigError::EnvironmentRequired(_))
        ));
        assert!(matches!(
            environment(env(&[("IGNY8_LISTEN", "0.0.0.0:8080")])),
            Err(ConfigError::EnvironmentRequired(_))
        ));
    }
}
