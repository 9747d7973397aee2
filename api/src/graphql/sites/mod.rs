//! Sites and their sectors (TEN-6).
pub mod mutation;
pub mod query;
pub mod types;
