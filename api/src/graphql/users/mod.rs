//! Users of an account and their site access (TEN-3, TEN-7): owner/admin only.
pub mod mutation;
pub mod query;
