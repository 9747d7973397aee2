use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What went wrong in the database, in terms the API can map to a code.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No such row — or a row of another tenant, which is the same thing.
    #[error("not found")]
    NotFound,
    /// A unique constraint; carries the constraint name.
    #[error("conflict on {0}")]
    Conflict(String),
    /// A limit enforced by the database (e.g. 5 active sectors per site).
    #[error("limit exceeded: {0}")]
    LimitExceeded(String),
    /// A plan limit (`plans.features.max_*`) would be crossed; raised by the
    /// database (`igny8_enforce_plan_limit`), whatever path inserted.
    #[error("plan limit {} exceeded", .0.limit)]
    PlanLimit(PlanLimit),
    /// A foreign key pointed nowhere (usually another tenant's id).
    #[error("invalid reference: {0}")]
    InvalidReference(String),
    /// `balance − held` is less than the job would hold.
    #[error("insufficient credits")]
    InsufficientCredits { available: i64, needed: i64 },
    #[error("database pool: {0}")]
    Pool(String),
    #[error(transparent)]
    Query(DieselError),
}

impl From<DieselError> for DbError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => DbError::NotFound,
            DieselError::DatabaseError(kind, ref info) => {
                let constraint = info.constraint_name().unwrap_or_default().to_owned();
                match kind {
                    DatabaseErrorKind::UniqueViolation => DbError::Conflict(constraint),
                    DatabaseErrorKind::ForeignKeyViolation => DbError::InvalidReference(constraint),
                    DatabaseErrorKind::CheckViolation if constraint == "plan_limit" => {
                        match info.details().and_then(|d| serde_json::from_str(d).ok()) {
                            Some(p) => DbError::PlanLimit(p),
                            None => DbError::LimitExceeded(info.message().to_owned()),
                        }
                    }
                    DatabaseErrorKind::CheckViolation if constraint == "sectors_active_limit" => {
                        DbError::LimitExceeded(info.message().to_owned())
                    }
                    _ => DbError::Query(e),
                }
            }
            other => DbError::Query(other),
        }
    }
}

/// Which plan limit, its maximum, the plan, and the usage before the
/// refused change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct PlanLimit {
    /// The plan's feature key, e.g. `max_sites`.
    pub limit: String,
    pub max: i64,
    /// The plan's slug.
    pub plan: String,
    pub usage: i64,
}

pub type DbResult<T> = Result<T, DbError>;
