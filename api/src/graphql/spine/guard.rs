//! Who may do what, as errors: the rules are `igny8_core::Actor`'s, these
//! turn a refusal into `FORBIDDEN` (or `NOT_FOUND`) with one wording.

use crate::error::{ApiError, ApiResult, not_found};
use igny8_core::Actor;
use igny8_db::{DbError, models};
use uuid::Uuid;

/// Changing a site's content: the caller writes and sees the site.
pub fn ensure_writer(a: &Actor, site_id: Uuid) -> ApiResult<()> {
    if a.can_write_site(site_id) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "you can read this site but not change it",
        ))
    }
}

/// Changing anything at all: viewers cannot.
pub fn ensure_can_write(a: &Actor) -> ApiResult<()> {
    if a.role.can_write() {
        Ok(())
    } else {
        Err(ApiError::forbidden("viewers cannot change anything"))
    }
}

/// Account administration (users, prompts, integrations) is for owners and
/// admins: anybody else is refused with "only owners and admins {what}".
pub fn ensure_account_admin(a: &Actor, what: &str) -> ApiResult<()> {
    admin(a.can_manage_users(), what)
}

/// Creating, changing and deleting sites: owners, admins (and the system bot).
pub fn ensure_site_admin(a: &Actor, what: &str) -> ApiResult<()> {
    admin(a.can_manage_sites(), what)
}

fn admin(allowed: bool, what: &str) -> ApiResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "only owners and admins {what}"
        )))
    }
}

/// A row that belongs to one site.
pub trait OnSite {
    fn site_id(&self) -> Uuid;
}

macro_rules! on_site {
    ($($t:ty),*) => {$(
        impl OnSite for $t {
            fn site_id(&self) -> Uuid {
                self.site_id
            }
        }
    )*};
}
on_site!(
    models::Sector,
    models::Keyword,
    models::Cluster,
    models::Idea,
    models::Task,
    models::Content,
    models::Image
);

/// A fetched row the caller may change: a missing (or another tenant's)
/// one is `NOT_FOUND` of `what`, one of a site it only reads `FORBIDDEN`.
pub fn writable<R: OnSite>(a: &Actor, what: &'static str, row: Result<R, DbError>) -> ApiResult<R> {
    let row = row.map_err(not_found(what))?;
    ensure_writer(a, row.site_id())?;
    Ok(row)
}
