//! Automation (AUT-1): a site's pipeline configuration, runs (start,
//! pause, resume, cancel, history, overview) and their live progress. The
//! runs themselves move in `igny8_jobs::automation`.
pub mod mutation;
pub mod query;
pub mod rules;
pub mod subscription;
pub mod types;
