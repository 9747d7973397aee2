//! The connection pool, transactions that carry the tenant, and migrations.

use crate::error::{DbError, DbResult};
use diesel::connection::InstrumentationEvent;
use diesel::sql_types::Text;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, RunQueryDsl, TransactionManager};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use igny8_core::Scope;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use uuid::Uuid;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// Role for tenant work; row-level security applies to it.
pub const APP_ROLE: &str = "igny8_app";
/// Role for the explicit cross-tenant bypass.
pub const SYSTEM_ROLE: &str = "igny8_system";

/// The database: a pool of connections as the configured user, who switches
/// to [`APP_ROLE`] or [`SYSTEM_ROLE`] inside every transaction.
#[derive(Clone)]
pub struct Db {
    pool: Pool<AsyncPgConnection>,
    statements: Arc<AtomicU64>,
    transactions: Arc<AtomicU64>,
    /// Every connection runs as [`SYSTEM_ROLE`] outside transactions (the
    /// worker's pool), so [`Db::system`] needs no transaction.
    system_session: bool,
    /// Where it connects, for [`Db::separate_pool`].
    url: Arc<str>,
    /// Set on a request's own handle (see [`Db::sharing`]): every
    /// transaction of that request runs inside one database transaction.
    shared: Option<Arc<tokio::sync::Mutex<Shared>>>,
}

/// The one open transaction of a request that shares its reads.
#[derive(Default)]
struct Shared {
    /// The role and tenant the open transaction was started with.
    key: Option<(&'static str, String)>,
    conn: Option<Object<AsyncPgConnection>>,
}

impl Db {
    pub fn connect(url: &str, max_size: usize) -> DbResult<Self> {
        Self::connect_with(url, max_size, false)
    }

    /// The worker's pool: outside a transaction each connection runs as
    /// [`SYSTEM_ROLE`] (session level, `SET ROLE`), so the worker's
    /// one-statement updates of `ai_jobs` (claim, progress, renew — system
    /// work that it used to wrap in a system transaction) need no
    /// BEGIN/set_config/COMMIT. Tenant work still runs in
    /// [`Db::begin_tenant`], whose `SET LOCAL` role and account make RLS apply.
    pub fn connect_worker(url: &str, max_size: usize) -> DbResult<Self> {
        Self::connect_with(url, max_size, true)
    }

    fn connect_with(url: &str, max_size: usize, system_session: bool) -> DbResult<Self> {
        let mut config = ManagerConfig::default();
        // a broken connection surfaces on first use and is then dropped;
        // a test query on every checkout would double the statements
        config.recycling_method = RecyclingMethod::Fast;
        // count every statement sent, for /metrics and the N+1 tests
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        config.custom_setup = Box::new(move |url| {
            let counter = counter.clone();
            Box::pin(async move {
                use diesel_async::AsyncConnection;
                let mut conn = AsyncPgConnection::establish(url).await?;
                if system_session {
                    use diesel_async::SimpleAsyncConnection;
                    conn.batch_execute(&format!("SET ROLE {SYSTEM_ROLE}"))
                        .await
                        .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                }
                conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
                    if let InstrumentationEvent::StartQuery { .. } = event {
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                });
                Ok(conn)
            })
        });
        let manager =
            AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .build()
            .map_err(|e| DbError::Pool(e.to_string()))?;
        Ok(Self {
            pool,
            statements,
            transactions: Arc::new(AtomicU64::new(0)),
            system_session,
            url: url.into(),
            shared: None,
        })
    }

    /// A new pool with this one's settings, for a thread that runs its own
    /// runtime (a pool's connections belong to the runtime that made them).
    pub fn separate_pool(&self, max_size: usize) -> DbResult<Db> {
        Self::connect_with(&self.url, max_size, self.system_session)
    }

    /// A handle for one read-only request (a GraphQL query over HTTP): its
    /// transactions — the actor lookup, every resolver's and every loader's —
    /// share one database transaction and one pooled connection, opened on
    /// first use and ended by [`Db::finish`]. That saves a BEGIN, a
    /// `set_config` and a COMMIT per resolver, and a request never holds more
    /// than one connection (so a full pool cannot deadlock requests that
    /// each wait for a second one). Each `begin` takes the transaction for
    /// itself until its `Tx` is committed or dropped; a `Tx` dropped without
    /// commit, or a `begin` for another role or tenant, ends the shared
    /// transaction and the next `begin` starts a fresh one. Statements see
    /// what was committed before each of them (READ COMMITTED), as separate
    /// transactions would.
    ///
    /// Only for requests that write nothing: a rolled-back `Tx` would also
    /// roll back the writes of the request's earlier, committed ones.
    pub fn sharing(&self) -> Db {
        Db {
            pool: self.pool.clone(),
            statements: self.statements.clone(),
            transactions: self.transactions.clone(),
            system_session: self.system_session,
            url: self.url.clone(),
            shared: Some(Arc::default()),
        }
    }

    /// Commits the shared transaction of a [`Db::sharing`] handle, if one is
    /// open. A no-op on other handles.
    pub async fn finish(&self) -> DbResult<()> {
        let Some(shared) = &self.shared else {
            return Ok(());
        };
        let mut s = shared.lock().await;
        s.key = None;
        if let Some(mut conn) = s.conn.take() {
            AnsiTransactionManager::commit_transaction(&mut *conn).await?;
        }
        Ok(())
    }

    /// Statements sent through this pool so far (BEGIN and COMMIT included).
    pub fn statements(&self) -> u64 {
        AtomicU64::load(&self.statements, Ordering::Relaxed)
    }

    /// Transactions begun through this pool so far.
    pub fn transactions(&self) -> u64 {
        AtomicU64::load(&self.transactions, Ordering::Relaxed)
    }

    /// Pool figures for `/metrics`: (size, available, max).
    pub fn pool_status(&self) -> (usize, usize, usize) {
        let s = self.pool.status();
        (s.size, s.available, s.max_size)
    }

    async fn conn(&self) -> DbResult<Object<AsyncPgConnection>> {
        self.pool
            .get()
            .await
            .map_err(|e| DbError::Pool(e.to_string()))
    }

    /// A transaction limited to `scope`'s account by row-level security, or
    /// a system transaction when the scope crosses accounts (developers).
    pub async fn begin(&self, scope: &Scope) -> DbResult<Tx> {
        match scope.account_id {
            Some(account_id) => self.begin_tenant(account_id).await,
            None => self.begin_system().await,
        }
    }

    /// A transaction that sees exactly one account's rows.
    pub async fn begin_tenant(&self, account_id: Uuid) -> DbResult<Tx> {
        self.begin_as(APP_ROLE, account_id.to_string()).await
    }

    /// The cross-tenant bypass. Callers: login by email, refresh-token
    /// lookup, sweepers, developer reads. Keep that list short.
    pub async fn begin_system(&self) -> DbResult<Tx> {
        self.begin_as(SYSTEM_ROLE, String::new()).await
    }

    async fn begin_as(&self, role: &'static str, account: String) -> DbResult<Tx> {
        let Some(shared) = &self.shared else {
            self.transactions.fetch_add(1, Ordering::Relaxed);
            let mut conn = self.conn().await?;
            open(&mut conn, role, &account).await?;
            return Ok(Tx {
                inner: Inner::Owned(Some(conn)),
            });
        };
        let mut s = shared.clone().lock_owned().await;
        let key = (role, account);
        if s.key.as_ref() != Some(&key) || s.conn.is_none() {
            s.key = None;
            if let Some(mut old) = s.conn.take() {
                // another role or tenant: end the open one first
                AnsiTransactionManager::commit_transaction(&mut *old).await?;
                drop(old);
            }
            self.transactions.fetch_add(1, Ordering::Relaxed);
            let mut conn = self.conn().await?;
            open(&mut conn, key.0, &key.1).await?;
            s.conn = Some(conn);
            s.key = Some(key);
        }
        Ok(Tx {
            inner: Inner::Shared(Some(s)),
        })
    }

    /// A connection for ONE cross-tenant statement (the worker's fenced
    /// `ai_jobs` updates). In the worker's pool ([`Db::connect_worker`]) it
    /// runs in autocommit as [`SYSTEM_ROLE`]: one round trip. Elsewhere it
    /// is a system transaction. Either way call [`System::done`] after the
    /// statement; never send two statements that must be atomic.
    pub async fn system(&self) -> DbResult<System> {
        if self.system_session {
            Ok(System::Session(self.conn().await?))
        } else {
            Ok(System::Tx(self.begin_system().await?))
        }
    }

    /// `SELECT 1`, for readiness.
    pub async fn ping(&self) -> DbResult<()> {
        let mut conn = self.conn().await?;
        diesel::sql_query("SELECT 1").execute(&mut *conn).await?;
        Ok(())
    }
}

pub type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations on a fresh connection as the configured user
/// and returns the versions applied. The harness blocks in place, so it runs
/// on a thread with its own multi-thread runtime, whatever runtime calls it.
pub async fn run_migrations(url: &str) -> Result<Vec<String>, MigrationError> {
    let url = url.to_owned();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("igny8-migrate".into())
        .spawn(move || {
            let result = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .map_err(MigrationError::from)
                .and_then(|rt| rt.block_on(migrate(&url)));
            let _ = done_tx.send(result);
        })?;
    done_rx
        .await
        .map_err(|_| MigrationError::from("the migration thread died"))?
}

async fn migrate(url: &str) -> Result<Vec<String>, MigrationError> {
    use diesel_async::AsyncConnection;
    let conn = AsyncPgConnection::establish(url).await?;
    let mut harness = diesel_async::AsyncMigrationHarness::new(conn);
    let applied = harness.run_pending_migrations(MIGRATIONS)?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// BEGIN, then the role for RLS and the tenant, both local to the
/// transaction, in one statement.
async fn open(conn: &mut AsyncPgConnection, role: &str, account: &str) -> DbResult<()> {
    AnsiTransactionManager::begin_transaction(conn).await?;
    let set = diesel::sql_query(
        "SELECT set_config('role', $1, true), set_config('app.account_id', $2, true)",
    )
    .bind::<Text, _>(role)
    .bind::<Text, _>(account)
    .execute(conn)
    .await;
    if let Err(e) = set {
        let _ = AnsiTransactionManager::rollback_transaction(conn).await;
        return Err(e.into());
    }
    Ok(())
}

/// One unit of work. Derefs to the connection, so every `db` function takes
/// `&mut tx`. Commit explicitly; a `Tx` dropped without commit rolls back.
/// On a [`Db::sharing`] handle it is the request's shared transaction, held
/// exclusively until committed or dropped.
pub struct Tx {
    inner: Inner,
}

// the owned connection stays inline, as it always was: boxing it would cost
// an allocation per transaction
#[allow(clippy::large_enum_variant)]
enum Inner {
    Owned(Option<Object<AsyncPgConnection>>),
    Shared(Option<tokio::sync::OwnedMutexGuard<Shared>>),
}

impl Tx {
    pub async fn commit(mut self) -> DbResult<()> {
        match &mut self.inner {
            Inner::Owned(c) => {
                let mut conn = c.take().expect("transaction already finished");
                AnsiTransactionManager::commit_transaction(&mut *conn).await?;
            }
            // stays open for the request's next reads; `Db::finish` commits
            Inner::Shared(g) => drop(g.take()),
        }
        Ok(())
    }

    pub async fn rollback(mut self) -> DbResult<()> {
        let mut conn = match &mut self.inner {
            Inner::Owned(c) => c.take().expect("transaction already finished"),
            Inner::Shared(g) => {
                let mut g = g.take().expect("transaction already finished");
                g.key = None;
                match g.conn.take() {
                    Some(c) => c,
                    None => return Ok(()),
                }
            }
        };
        AnsiTransactionManager::rollback_transaction(&mut *conn).await?;
        Ok(())
    }

    fn conn(&self) -> Option<&Object<AsyncPgConnection>> {
        match &self.inner {
            Inner::Owned(c) => c.as_ref(),
            Inner::Shared(g) => g.as_ref().and_then(|g| g.conn.as_ref()),
        }
    }

    fn conn_mut(&mut self) -> Option<&mut Object<AsyncPgConnection>> {
        match &mut self.inner {
            Inner::Owned(c) => c.as_mut(),
            Inner::Shared(g) => g.as_mut().and_then(|g| g.conn.as_mut()),
        }
    }
}

impl Deref for Tx {
    type Target = AsyncPgConnection;
    fn deref(&self) -> &AsyncPgConnection {
        self.conn().expect("transaction already finished")
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AsyncPgConnection {
        self.conn_mut().expect("transaction already finished")
    }
}

/// See [`Db::system`].
pub enum System {
    Session(Object<AsyncPgConnection>),
    Tx(Tx),
}

impl System {
    /// Commits the system transaction, if it is one.
    pub async fn done(self) -> DbResult<()> {
        match self {
            System::Session(_) => Ok(()),
            System::Tx(tx) => tx.commit().await,
        }
    }
}

impl Deref for System {
    type Target = AsyncPgConnection;
    fn deref(&self) -> &AsyncPgConnection {
        match self {
            System::Session(c) => c,
            System::Tx(t) => t,
        }
    }
}

impl DerefMut for System {
    fn deref_mut(&mut self) -> &mut AsyncPgConnection {
        match self {
            System::Session(c) => c,
            System::Tx(t) => t,
        }
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        let conn = match &mut self.inner {
            Inner::Owned(c) => c.take(),
            // dropped without commit: the shared transaction may be aborted
            // (a failed statement); end it, the next `begin` opens a new one
            Inner::Shared(g) => g.take().and_then(|mut g| {
                g.key = None;
                g.conn.take()
            }),
        };
        if let Some(mut conn) = conn {
            // roll back off the request path; the connection then returns to
            // the pool clean (a connection still in a transaction is discarded)
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                handle.spawn(async move {
                    let _ = AnsiTransactionManager::rollback_transaction(&mut *conn).await;
                });
            }
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // a request that ended without `Db::finish` (an error, a panic)
        if let Some(mut conn) = self.conn.take()
            && let Ok(handle) = tokio::runtime::Handle::try_current()
        {
            handle.spawn(async move {
                let _ = AnsiTransactionManager::rollback_transaction(&mut *conn).await;
            });
        }
    }
}
