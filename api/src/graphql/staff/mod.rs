//! Platform staff operations (`admin*`, issue 16): the accounts list,
//! credit adjustments, plan and status changes, and the audit log they
//! write — staff only ([`crate::graphql::spine::staff_caller`]), in system
//! transactions, over billing data only. `auditLog` is the owner's view of
//! their own account's entries.

pub mod mutation;
pub mod query;
pub mod types;
