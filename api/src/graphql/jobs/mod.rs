//! AI jobs (JOB-1…4) and credits (BIL-1…3, BIL-5): enqueue mutations, job
//! queries, progress subscriptions, credit history.
pub mod bus;
pub mod mutation;
pub mod query;
pub mod subscription;
pub mod types;
