//! Reference data every tenant reads: industries and their sectors (TEN-8).
pub mod query;
pub mod types;
