//! The spine every resolver shares, so that one reads as: who asks
//! ([`caller`]), may they ([`guard`]), what they sent ([`input`]), one unit
//! of work ([`Caller::run`]), return. Errors of any layer become codes at the
//! one boundary, `crate::error`; `not_found` lives there too.

pub mod caller;
pub mod guard;
pub mod input;

pub use crate::error::not_found;
pub use caller::{Caller, StaffCaller, caller, read_tenant, run_system, run_tenant, staff_caller};
pub use guard::{
    OnSite, ensure_account_admin, ensure_can_write, ensure_site_admin, ensure_writer, writable,
};
pub use input::{
    DeleteInput, IdInput, IdsInput, bulk_ids, maybe, maybe_id, optional_id, optional_name,
    parse_id, parse_ids,
};
