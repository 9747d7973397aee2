//! Writer (WRT-1…3): tasks, content, images.
pub mod mutation;
pub mod query;
pub mod types;
