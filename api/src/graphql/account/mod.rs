//! The caller's account: status, plan, credits.
pub mod query;
pub mod types;
