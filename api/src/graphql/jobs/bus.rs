//! The job queue's API side lives in `igny8_jobs::bus`.

pub use igny8_jobs::bus::JobsBus;
