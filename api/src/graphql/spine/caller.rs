//! The caller of a resolver and its unit of work: one transaction, begun
//! for the caller's scope, committed when the work succeeds and rolled back
//! (dropped) when it fails. Queries read in a [`ReadTx`] instead: read-only,
//! and on HTTP the request's one shared transaction.

use super::guard::ensure_can_write;
use super::input::bulk_ids;
use crate::error::{ApiResult, not_found};
use crate::graphql::context::{actor, db, reads};
use async_graphql::{Context, ID};

use igny8_core::{Actor, Scope};
use igny8_db::{AsyncPgConnection, Db, DbResult, ReadTx, Reads, Tx};
use uuid::Uuid;

/// Who asks, what they may see, and where their transactions begin.
pub struct Caller<'a> {
    pub actor: &'a Actor,
    /// The actor's scope: its account (none for developers) and sites.
    pub scope: Scope,
    db: &'a Db,
    reads: Reads,
}

/// The caller of this request; `UNAUTHENTICATED` without a valid token,
/// `FORBIDDEN` when its account is suspended or cancelled.
pub async fn caller<'a>(ctx: &Context<'a>) -> ApiResult<Caller<'a>> {
    let actor = actor(ctx).await?;
    Ok(Caller {
        actor,
        scope: actor.scope(),
        db: db(ctx),
        reads: reads(ctx),
    })
}

impl<'a> Caller<'a> {
    /// The same caller seeing jobs and credit usage
    /// ([`Actor::job_scope`]): its own account, granted sites only.
    pub fn for_jobs(self) -> Self {
        Caller {
            scope: self.actor.job_scope(),
            ..self
        }
    }

    /// The request's database, for work that owns its transactions
    /// (`igny8_jobs::enqueue`, `igny8_jobs::cancel`).
    pub fn db(&self) -> &'a Db {
        self.db
    }

    /// Runs `work` in one transaction of the caller's scope (row-level
    /// security on the account; the system role for developers, whose
    /// scope crosses accounts).
    pub async fn run<T>(
        &self,
        work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
    ) -> async_graphql::Result<T> {
        Ok(unit_of_work(self.db.begin(&self.scope).await, work).await?)
    }

    /// Reads in a read-only transaction of the caller's scope: the
    /// request's shared one for an HTTP query, else one of its own.
    pub async fn read<T>(
        &self,
        work: impl AsyncFnOnce(&mut ReadTx) -> ApiResult<T>,
    ) -> async_graphql::Result<T> {
        Ok(reading(self.reads.begin(&self.scope).await, work).await?)
    }

    /// [`Caller::read`] in the caller's own account (see
    /// [`Caller::run_in_account`]).
    pub async fn read_in_account<T>(
        &self,
        work: impl AsyncFnOnce(&mut ReadTx) -> ApiResult<T>,
    ) -> async_graphql::Result<T> {
        let tx = self.reads.begin_tenant(self.actor.account_id).await;
        Ok(reading(tx, work).await?)
    }

    /// One change to the rows `ids` names, all or none: the ids checked
    /// ([`bulk_ids`] on `field`), the caller one who writes, and any id it
    /// cannot see (missing, or another tenant's) `NOT_FOUND` of `what`.
    pub async fn bulk<T>(
        &self,
        field: &str,
        ids: &[ID],
        what: &'static str,
        change: impl AsyncFnOnce(&mut Tx, &Scope, &[Uuid]) -> DbResult<T>,
    ) -> async_graphql::Result<T> {
        let ids = bulk_ids(field, ids)?;
        ensure_can_write(self.actor)?;
        self.run(async |tx| change(tx, &self.scope, &ids).await.map_err(not_found(what)))
            .await
    }

    /// Deletes the one row `id` names (field `id`) the way [`Caller::bulk`]
    /// deletes many, with the same `delete_many`; answers the id.
    pub async fn delete_one(
        &self,
        id: ID,
        what: &'static str,
        delete_many: impl AsyncFnOnce(&mut AsyncPgConnection, &Scope, &[Uuid]) -> DbResult<usize>,
    ) -> async_graphql::Result<ID> {
        let one = std::slice::from_ref(&id);
        self.bulk("id", one, what, async |tx, scope, ids| {
            delete_many(&mut **tx, scope, ids).await
        })
        .await?;
        Ok(id)
    }

    /// [`Caller::bulk`] answering how many rows `change` changed.
    pub async fn bulk_count(
        &self,
        field: &str,
        ids: &[ID],
        what: &'static str,
        change: impl AsyncFnOnce(&mut AsyncPgConnection, &Scope, &[Uuid]) -> DbResult<usize>,
    ) -> async_graphql::Result<i32> {
        let n = self
            .bulk(field, ids, what, async |tx, scope, ids| {
                change(&mut **tx, scope, ids).await
            })
            .await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }

    /// Runs `work` in one transaction of the caller's own account, whatever
    /// its role: account configuration (prompts, profiles, new sites) is
    /// always the actor's account's, developers included.
    pub async fn run_in_account<T>(
        &self,
        work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
    ) -> async_graphql::Result<T> {
        let tx = self.db.begin_tenant(self.actor.account_id).await;
        Ok(unit_of_work(tx, work).await?)
    }
}

/// One system (cross-tenant) transaction for work that has no caller yet:
/// the credential operations, whose token or email is the only credential
/// (see ARCHITECTURE's list of the bypass's users). Commits on `Ok`.
pub async fn run_system<T>(
    db: &Db,
    work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
) -> ApiResult<T> {
    unit_of_work(db.begin_system().await, work).await
}

/// One transaction of `account`, for work that has no caller yet or that
/// must see the `ApiError` before it becomes a GraphQL one.
pub async fn run_tenant<T>(
    db: &Db,
    account_id: Uuid,
    work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
) -> ApiResult<T> {
    unit_of_work(db.begin_tenant(account_id).await, work).await
}

/// Reads of `account` for work that has no caller (`me` answers for a
/// suspended account too).
pub async fn read_tenant<T>(
    reads: &Reads,
    account_id: Uuid,
    work: impl AsyncFnOnce(&mut ReadTx) -> ApiResult<T>,
) -> ApiResult<T> {
    reading(reads.begin_tenant(account_id).await, work).await
}

async fn reading<T>(
    tx: DbResult<ReadTx>,
    work: impl AsyncFnOnce(&mut ReadTx) -> ApiResult<T>,
) -> ApiResult<T> {
    let mut tx = tx?;
    // an Err returns here and drops `tx`, which ends it
    let out = work(&mut tx).await?;
    tx.done().await?;
    Ok(out)
}

/// Errors stay `ApiError` until the resolver returns: a `DbError` turned
/// into a GraphQL error directly would lose its code.
async fn unit_of_work<T>(
    tx: DbResult<Tx>,
    work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
) -> ApiResult<T> {
    let mut tx = tx?;
    // an Err returns here and drops `tx`, which rolls it back
    let out = work(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}

/// A platform staff member making a staff (`admin*`) request.
pub struct StaffCaller<'a> {
    pub actor: &'a Actor,
    db: &'a Db,
}

/// The caller of an `admin*` operation: `UNAUTHENTICATED` without a valid
/// token, `FORBIDDEN` for anyone who is not platform staff (tenant owners
/// included).
pub async fn staff_caller<'a>(ctx: &Context<'a>) -> ApiResult<StaffCaller<'a>> {
    let actor = actor(ctx).await?;
    if !actor.is_staff {
        return Err(crate::error::ApiError::forbidden(
            "only platform staff may do this",
        ));
    }
    Ok(StaffCaller { actor, db: db(ctx) })
}

impl StaffCaller<'_> {
    /// Runs `work` in one system transaction: staff work across accounts
    /// by design (ARCHITECTURE's list of the bypass's users), through the
    /// `igny8_db::staff` functions, which touch billing data only. Commits
    /// on `Ok`; the change and its audit entry land together or not at all.
    pub async fn run<T>(
        &self,
        work: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
    ) -> async_graphql::Result<T> {
        Ok(unit_of_work(self.db.begin_system().await, work).await?)
    }

    /// Who did it, for the audit log (read in the staff transaction).
    pub async fn audit_actor(&self, tx: &mut Tx) -> ApiResult<igny8_db::staff::StaffActor> {
        Ok(igny8_db::staff::StaffActor {
            user_id: self.actor.user_id,
            email: igny8_db::staff::staff_email(tx, self.actor.user_id).await?,
        })
    }
}
