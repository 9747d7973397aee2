//! The test app: a fresh PostgreSQL database per test (copied from a
//! migrated template), real Redis, the real router on a random port.

use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use igny8_api::app::{AppState, router};
use igny8_api::auth::JwtKeys;
use igny8_api::config::Config;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::OnceCell;

pub fn admin_url() -> String {
    std::env::var("IGNY8_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// `admin_url` with another database name.
pub fn url_for(db: &str) -> String {
    let base = admin_url();
    let (head, tail) = base
        .split_once('?')
        .map(|(h, t)| (h.to_owned(), format!("?{t}")))
        .unwrap_or((base, String::new()));
    let cut = head.rfind('/').expect("database url has a path");
    format!("{}/{db}{tail}", &head[..cut])
}

/// The template's name changes whenever a migration changes.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in files {
        f.to_string_lossy().hash(&mut h);
        std::fs::read(&f).unwrap().hash(&mut h);
    }
    format!("igny8_test_tpl_{:016x}", h.finish())
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Creates the migrated template once per process, under an advisory lock
/// shared with other test processes.
async fn template() -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let mut admin = AsyncPgConnection::establish(&admin_url())
                .await
                .expect("connect to PostgreSQL (IGNY8_TEST_DATABASE_URL)");
            admin
                .batch_execute("SELECT pg_advisory_lock(84218)")
                .await
                .unwrap();
            let exists: Count =
                diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
                    .bind::<Text, _>(&name)
                    .get_result(&mut admin)
                    .await
                    .unwrap();
            if exists.n == 0 {
                let tmp = format!("{name}_tmp");
                admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {tmp}"))
                    .await
                    .unwrap();
                admin
                    .batch_execute(&format!("CREATE DATABASE {tmp}"))
                    .await
                    .unwrap();
                igny8_db::run_migrations(&url_for(&tmp))
                    .await
                    .expect("migrations apply");
                admin
                    .batch_execute(&format!("ALTER DATABASE {tmp} RENAME TO {name}"))
                    .await
                    .unwrap();
            }
            admin
                .batch_execute("SELECT pg_advisory_unlock(84218)")
                .await
                .unwrap();
            name
        })
        .await
}

pub struct TestApp {
    /// Stops the in-process worker, if one runs.
    pub stop_worker: Option<tokio::sync::watch::Sender<bool>>,
    pub addr: SocketAddr,
    pub db_name: String,
    pub db_url: String,
    pub http: reqwest::Client,
    pub jwt: JwtKeys,
    pub state: AppState,
}

pub struct Session {
    pub token: String,
    pub refresh: String,
    pub user_id: String,
    pub account_id: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let tpl = template().await;
        let db_name = format!("igny8_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = AsyncPgConnection::establish(&admin_url()).await.unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {db_name} TEMPLATE {tpl}"))
            .await
            .unwrap();
        let db_url = url_for(&db_name);
        let mut config = Config::for_tests(db_url.clone(), redis_url());
        configure(&mut config);
        let state = AppState::new(config).unwrap();
        let jwt = state.jwt.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = router(state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap()
        });
        TestApp {
            stop_worker: None,
            addr,
            db_name,
            db_url,
            http: reqwest::Client::new(),
            jwt,
            state,
        }
    }

    /// The app plus a worker in this process (its own pool, same Redis prefix).
    pub async fn spawn_with_worker() -> TestApp {
        Self::spawn_worker_with(|_| {}).await
    }

    pub async fn spawn_worker_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let mut app = Self::spawn_with(configure).await;
        app.start_worker();
        app
    }

    /// A second API instance on the same database and Redis prefix (its own
    /// router, port, pool and pub/sub connection), without a database of its own.
    pub async fn sibling(&self) -> Sibling {
        let state = AppState::new((*self.state.config).clone()).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = router(state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap()
        });
        Sibling { addr }
    }

    fn worker_command(&self, extra_env: &[(&str, &str)]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_igny8"));
        cmd.arg("worker")
            .arg("--no-migrate")
            .env("DATABASE_URL", &self.db_url)
            .env("REDIS_URL", &self.state.config.redis_url)
            .env("IGNY8_REDIS_PREFIX", &self.state.config.jobs.redis_prefix)
            .env("IGNY8_MEDIA_DIR", &self.state.config.media_dir)
            .env("RUST_LOG", "warn");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `igny8 worker` as a separate process against this app's
    /// database and Redis prefix.
    pub fn worker_process(&self, extra_env: &[(&str, &str)]) -> std::process::Child {
        self.worker_command(extra_env)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start igny8 worker")
    }

    /// Like [`Self::worker_process`], with everything it logs written to `log`.
    pub fn worker_process_logging(
        &self,
        extra_env: &[(&str, &str)],
        log: &std::path::Path,
    ) -> std::process::Child {
        let file = std::fs::File::create(log).expect("create the log file");
        self.worker_command(extra_env)
            .stdout(file.try_clone().expect("clone the log file"))
            .stderr(file)
            .spawn()
            .expect("start igny8 worker")
    }

    pub fn start_worker(&mut self) {
        let (tx, rx) = tokio::sync::watch::channel(false);
        let db = igny8_db::Db::connect_worker(&self.db_url, 4).unwrap();
        let worker = igny8_jobs::Worker::new(self.state.config.worker(), db);
        tokio::spawn(async move {
            let _ = worker.run(rx).await;
        });
        self.stop_worker = Some(tx);
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POSTs a GraphQL request; returns the parsed body whatever the status.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .http
            .post(self.url("/graphql"))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap().json().await.unwrap()
    }

    /// Signs up a new account and returns its owner's session.
    pub async fn signup(&self, email: &str, account: &str) -> Session {
        let r = self
            .gql(
                None,
                "mutation($i: SignupInput!) { signup(input: $i) { accessToken refreshToken user { id } account { id } } }",
                json!({"i": {"email": email, "password": "correct horse battery", "accountName": account}}),
            )
            .await;
        let s = &r["data"]["signup"];
        assert!(s.is_object(), "signup failed: {r}");
        Session {
            token: s["accessToken"].as_str().unwrap().into(),
            refresh: s["refreshToken"].as_str().unwrap().into(),
            user_id: s["user"]["id"].as_str().unwrap().into(),
            account_id: s["account"]["id"].as_str().unwrap().into(),
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.gql(
            None,
            "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken user { id role } } }",
            json!({"i": {"email": email, "password": password}}),
        )
        .await
    }

    /// A connection as the superuser that owns the database (bypasses RLS):
    /// for tests to look behind the API.
    pub async fn superuser(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.db_url).await.unwrap()
    }

    /// `SELECT count(*)` of `from_where` as the superuser.
    pub async fn count(&self, from_where: &str) -> i64 {
        let mut c = self.superuser().await;
        let r: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {from_where}"))
            .get_result(&mut c)
            .await
            .unwrap();
        r.n
    }

    pub async fn sql(&self, statement: &str) {
        self.superuser()
            .await
            .batch_execute(statement)
            .await
            .unwrap();
    }

    pub async fn create_site(&self, s: &Session, name: &str) -> String {
        let r = self
            .gql(
                Some(&s.token),
                "mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }",
                json!({"i": {"name": name}}),
            )
            .await;
        r["data"]["createSite"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("createSite failed: {r}"))
            .into()
    }

    pub async fn create_sector(&self, s: &Session, site: &str, name: &str) -> Value {
        self.gql(
            Some(&s.token),
            "mutation($i: CreateSectorInput!) { createSector(input: $i) { id name isActive } }",
            json!({"i": {"siteId": site, "name": name}}),
        )
        .await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = &self.stop_worker {
            let _ = stop.send(true);
        }
        let name = self.db_name.clone();
        // Drop runs outside async; a helper thread with its own runtime drops the database
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut admin) = AsyncPgConnection::establish(&admin_url()).await {
                    let _ = tokio::time::timeout(
                        Duration::from_secs(10),
                        admin
                            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")),
                    )
                    .await;
                }
            })
        })
        .join();
    }
}

/// The `extensions.code` of the first error.
pub fn code(r: &Value) -> &str {
    r["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {r}"))
}

pub fn field(r: &Value) -> &str {
    r["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("no error field in {r}"))
}

/// A signed-up account with one site and one sector.
pub struct Workspace {
    pub s: Session,
    pub site: String,
    pub sector: String,
}

impl TestApp {
    pub async fn workspace(&self, email: &str) -> Workspace {
        let s = self.signup(email, &format!("Account of {email}")).await;
        let site = self.create_site(&s, "Site").await;
        let sector = self.create_sector(&s, &site, "Sector").await["data"]["createSector"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        Workspace { s, site, sector }
    }

    /// Imports CSV text into a sector and returns the payload.
    pub async fn import_csv(&self, token: &str, sector: &str, csv: &str) -> Value {
        self.gql(
            Some(token),
            "mutation($s: ID!, $c: String!) { importKeywords(input: {sectorId: $s, csv: $c}) { created skipped errors { line message } } }",
            json!({"s": sector, "c": csv}),
        )
        .await
    }

    /// Runs `query` and returns `data.<field>`, panicking on errors.
    pub async fn data(&self, token: &str, query: &str, variables: Value, field: &str) -> Value {
        let r = self.gql(Some(token), query, variables).await;
        assert!(r.get("errors").is_none(), "{query}: {r}");
        r["data"][field].clone()
    }
}

/// The ids of a connection's nodes.
pub fn ids(conn: &Value) -> Vec<String> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

/// One string field of a connection's nodes.
pub fn nodes(conn: &Value, f: &str) -> Vec<Value> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"][f].clone())
        .collect()
}

/// Another API instance of the same deployment.
pub struct Sibling {
    pub addr: SocketAddr,
}
