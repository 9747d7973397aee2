//! What a resolver reads from its arguments before any transaction: ids,
//! optional ids, `null`-able ids, id lists and new names, each refused as
//! `BAD_USER_INPUT` on its field.

use crate::error::{ApiError, ApiResult};
use async_graphql::{ID, InputObject, MaybeUndefined};
use uuid::Uuid;

/// Most ids one bulk call takes.
pub const MAX_BULK_IDS: usize = 1000;

// One id. `DeleteInput` is the same shape under the name the sites mutations
// have always used; both names are in the schema clients use, so both stay.
#[derive(InputObject)]
pub struct IdInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct DeleteInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct IdsInput {
    pub ids: Vec<ID>,
}

/// Parses an `ID` argument; a malformed id is `BAD_USER_INPUT` on `field`.
pub fn parse_id(field: &str, id: &ID) -> ApiResult<Uuid> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| ApiError::bad_input(field, format!("{field}: not a valid id")))
}

pub fn parse_ids(field: &str, ids: &[ID]) -> ApiResult<Vec<Uuid>> {
    ids.iter().map(|i| parse_id(field, i)).collect()
}

pub fn optional_id(field: &str, id: Option<&ID>) -> ApiResult<Option<Uuid>> {
    id.map(|i| parse_id(field, i)).transpose()
}

/// A field a change may leave alone (undefined, `None`), clear (`null`,
/// `Some(None)`) or set, checked by `check`.
pub fn maybe<T, U>(
    v: impl Into<Option<Option<T>>>,
    check: impl FnOnce(T) -> ApiResult<U>,
) -> ApiResult<Option<Option<U>>> {
    Ok(match v.into() {
        None => None,
        Some(None) => Some(None),
        Some(Some(v)) => Some(Some(check(v)?)),
    })
}

pub fn maybe_id(field: &str, v: &MaybeUndefined<ID>) -> ApiResult<Option<Option<Uuid>>> {
    maybe(v.as_opt_ref(), |id| parse_id(field, id))
}

/// A new name (or title) when a change gives one: trimmed, not empty, at
/// most 200 characters (`igny8_core::validate::name`).
pub fn optional_name(field: &'static str, v: Option<&str>) -> ApiResult<Option<String>> {
    Ok(v.map(|n| igny8_core::validate::name(field, n))
        .transpose()?)
}

/// A bulk id list: not empty, at most [`MAX_BULK_IDS`], all well-formed.
pub fn bulk_ids(field: &str, ids: &[ID]) -> ApiResult<Vec<Uuid>> {
    if ids.is_empty() {
        return Err(ApiError::bad_input(
            field,
            format!("{field}: give at least one id"),
        ));
    }
    if ids.len() > MAX_BULK_IDS {
        return Err(ApiError::LimitExceeded(format!(
            "at most {MAX_BULK_IDS} ids per call"
        )));
    }
    parse_ids(field, ids)
}
