//! Stored text enums of `core` as typed columns: `ai_jobs.kind`, `status`
//! and `phase` are read into and written from the `core` enums, so a job's
//! kind, status and phase are never strings between the layers.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use igny8_core::automation::{RuleOutcome, RuleTrigger, RunStatus, StageStatus};
use igny8_core::jobs::{JobKind, JobPhase, JobStatus};
use std::io::Write;

/// A `core` enum stored as its text.
pub trait StoredText: Copy + std::fmt::Debug + std::str::FromStr + 'static {
    fn stored(self) -> &'static str;
}

macro_rules! stored_text {
    ($($t:ty),*) => {$(
        impl StoredText for $t {
            fn stored(self) -> &'static str {
                self.as_str()
            }
        }
        impl From<Stored<$t>> for $t {
            fn from(s: Stored<$t>) -> $t {
                s.0
            }
        }
        impl From<$t> for Stored<$t> {
            fn from(v: $t) -> Stored<$t> {
                Stored(v)
            }
        }
    )*};
}
stored_text!(
    JobKind,
    JobStatus,
    JobPhase,
    RunStatus,
    StageStatus,
    RuleTrigger,
    RuleOutcome
);

/// The column form of a [`StoredText`] (diesel's `deserialize_as` /
/// `serialize_as`): an unknown text is a deserialization error naming it.
#[derive(Debug, Clone, Copy, FromSqlRow, AsExpression)]
#[diesel(sql_type = Text)]
pub struct Stored<T: StoredText>(pub T);

impl<T: StoredText> FromSql<Text, Pg> for Stored<T> {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        let s = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
        s.parse::<T>().map(Stored).map_err(|_| {
            format!(
                "unknown {} {s:?} in the database",
                std::any::type_name::<T>()
            )
            .into()
        })
    }
}

impl<T: StoredText> ToSql<Text, Pg> for Stored<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.0.stored().as_bytes())?;
        Ok(IsNull::No)
    }
}
