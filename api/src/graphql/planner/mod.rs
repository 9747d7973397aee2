//! Planner (PLN-1…8): keywords, clusters, ideas, the seed library.
pub mod args;
pub mod mutation;
pub mod query;
pub mod types;
