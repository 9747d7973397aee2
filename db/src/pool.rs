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
        })
    }

    /// A new pool with this one's settings, for a thread that runs its own
    /// runtime (a pool's connections belong to the runtime that made them).
    pub fn separate_pool(&self, max_size: usize) -> DbResult<Db> {
        Self::connect_with(&self.url, max_size, self.system_session)
    }

    /// Reads, each in a read-only transaction of its own: [`Reads::begin`]
    /// costs a BEGIN, a `set_config` and a COMMIT.
    pub fn reads(&self) -> Reads {
        Reads {
            db: self.clone(),
            shared: None,
        }
    }

    /// The reads of one request that writes nothing (a GraphQL query over
    /// HTTP), sharing one read-only transaction: see [`Reads`].
    pub fn shared_reads(&self) -> Reads {
        Reads {
            db: self.clone(),
            shared: Some(Arc::default()),
        }
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
        let conn = self.open(role, &account, Access::ReadWrite).await?;
        Ok(Tx { conn: Some(conn) })
    }

    async fn open(
        &self,
        role: &str,
        account: &str,
        access: Access,
    ) -> DbResult<Object<AsyncPgConnection>> {
        self.transactions.fetch_add(1, Ordering::Relaxed);
        let mut conn = self.conn().await?;
        open(&mut conn, role, account, access).await?;
        Ok(conn)
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnly,
}

/// BEGIN, then the role for RLS and the tenant (and, for reads, READ ONLY),
/// all local to the transaction, in one statement.
async fn open(
    conn: &mut AsyncPgConnection,
    role: &str,
    account: &str,
    access: Access,
) -> DbResult<()> {
    AnsiTransactionManager::begin_transaction(conn).await?;
    let set = diesel::sql_query(match access {
        Access::ReadWrite => {
            "SELECT set_config('role', $1, true), set_config('app.account_id', $2, true)"
        }
        Access::ReadOnly => {
            "SELECT set_config('role', $1, true), set_config('app.account_id', $2, true), \
                    set_config('transaction_read_only', 'on', true)"
        }
    })
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
pub struct Tx {
    conn: Option<Object<AsyncPgConnection>>,
}

impl Tx {
    pub async fn commit(mut self) -> DbResult<()> {
        let mut conn = self.conn.take().expect("transaction already finished");
        AnsiTransactionManager::commit_transaction(&mut *conn).await?;
        Ok(())
    }

    pub async fn rollback(mut self) -> DbResult<()> {
        let mut conn = self.conn.take().expect("transaction already finished");
        AnsiTransactionManager::rollback_transaction(&mut *conn).await?;
        Ok(())
    }
}

impl Deref for Tx {
    type Target = AsyncPgConnection;
    fn deref(&self) -> &AsyncPgConnection {
        self.conn.as_ref().expect("transaction already finished")
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AsyncPgConnection {
        self.conn.as_mut().expect("transaction already finished")
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        roll_back_later(self.conn.take());
    }
}

/// Rolls back off the request path; the connection then returns to the
/// pool clean (a connection still in a transaction is discarded).
fn roll_back_later(conn: Option<Object<AsyncPgConnection>>) {
    if let Some(mut conn) = conn
        && let Ok(handle) = tokio::runtime::Handle::try_current()
    {
        handle.spawn(async move {
            let _ = AnsiTransactionManager::rollback_transaction(&mut *conn).await;
        });
    }
}

/// Where reads run: [`ReadTx`]s, database transactions that are READ ONLY
/// (PostgreSQL refuses any write in them) and have no commit, only an end.
///
/// From [`Db::reads`] each `begin` is a transaction of its own, ended by
/// [`ReadTx::done`]. From [`Db::shared_reads`] (one request that writes
/// nothing: a GraphQL query over HTTP) every `begin` — the actor lookup,
/// every resolver's and every loader's — takes the request's one
/// transaction on one pooled connection, opened on first use and ended by
/// [`Reads::finish`]. That saves a BEGIN, a `set_config` and a COMMIT per
/// resolver, and a request never holds more than one connection, so a full
/// pool cannot deadlock requests that each wait for a second one. A
/// `ReadTx` holds the transaction until done or dropped; one dropped
/// without `done` (a failed statement, a `NOT_FOUND`), or a `begin` for
/// another role or tenant, ends it, and the next `begin` opens a fresh one.
/// Statements see what was committed before each of them (READ COMMITTED),
/// as separate transactions would.
#[derive(Clone)]
pub struct Reads {
    db: Db,
    shared: Option<Arc<tokio::sync::Mutex<Shared>>>,
}

/// The one open transaction of a request that shares its reads.
#[derive(Default)]
struct Shared {
    /// The role and tenant the open transaction was started with.
    key: Option<(&'static str, String)>,
    conn: Option<Object<AsyncPgConnection>>,
}

impl Reads {
    /// Reads of `scope`'s account under row-level security, or of every
    /// account when the scope crosses accounts (developers).
    pub async fn begin(&self, scope: &Scope) -> DbResult<ReadTx> {
        match scope.account_id {
            Some(account_id) => self.begin_tenant(account_id).await,
            None => self.begin_as(SYSTEM_ROLE, String::new()).await,
        }
    }

    /// Reads of exactly one account's rows.
    pub async fn begin_tenant(&self, account_id: Uuid) -> DbResult<ReadTx> {
        self.begin_as(APP_ROLE, account_id.to_string()).await
    }

    async fn begin_as(&self, role: &'static str, account: String) -> DbResult<ReadTx> {
        let Some(shared) = &self.shared else {
            let conn = self.db.open(role, &account, Access::ReadOnly).await?;
            return Ok(ReadTx(ReadInner::Own(Some(conn))));
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
            s.conn = Some(self.db.open(key.0, &key.1, Access::ReadOnly).await?);
            s.key = Some(key);
        }
        Ok(ReadTx(ReadInner::Shared(Some(s))))
    }

    /// Ends the shared transaction, if one is open (a no-op for
    /// [`Db::reads`]).
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
}

/// A read-only transaction (see [`Reads`]). Derefs to the connection like
/// a [`Tx`]; a write through it fails in PostgreSQL. There is nothing to
/// commit: [`ReadTx::done`] says the reads succeeded.
pub struct ReadTx(ReadInner);

// the owned connection stays inline, as a `Tx`'s does
#[allow(clippy::large_enum_variant)]
enum ReadInner {
    Own(Option<Object<AsyncPgConnection>>),
    Shared(Option<tokio::sync::OwnedMutexGuard<Shared>>),
}

impl ReadTx {
    /// The reads succeeded: ends an own transaction; hands a shared one
    /// back to the request for its next reads.
    pub async fn done(mut self) -> DbResult<()> {
        match &mut self.0 {
            ReadInner::Own(c) => {
                let mut conn = c.take().expect("transaction already finished");
                AnsiTransactionManager::commit_transaction(&mut *conn).await?;
            }
            ReadInner::Shared(g) => drop(g.take()),
        }
        Ok(())
    }

    fn conn(&self) -> Option<&Object<AsyncPgConnection>> {
        match &self.0 {
            ReadInner::Own(c) => c.as_ref(),
            ReadInner::Shared(g) => g.as_ref().and_then(|g| g.conn.as_ref()),
        }
    }

    fn conn_mut(&mut self) -> Option<&mut Object<AsyncPgConnection>> {
        match &mut self.0 {
            ReadInner::Own(c) => c.as_mut(),
            ReadInner::Shared(g) => g.as_mut().and_then(|g| g.conn.as_mut()),
        }
    }
}

impl Deref for ReadTx {
    type Target = AsyncPgConnection;
    fn deref(&self) -> &AsyncPgConnection {
        self.conn().expect("transaction already finished")
    }
}

impl DerefMut for ReadTx {
    fn deref_mut(&mut self) -> &mut AsyncPgConnection {
        self.conn_mut().expect("transaction already finished")
    }
}

impl Drop for ReadTx {
    fn drop(&mut self) {
        let conn = match &mut self.0 {
            ReadInner::Own(c) => c.take(),
            // dropped before `done`: the shared transaction may be aborted
            // (a failed statement); end it, the next `begin` opens a new one
            ReadInner::Shared(g) => g.take().and_then(|mut g| {
                g.key = None;
                g.conn.take()
            }),
        };
        roll_back_later(conn);
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // a request that ended without `Reads::finish` (an error, a panic)
        roll_back_later(self.conn.take());
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
