//! Integration settings (JOB-9): which provider and model serve each AI
//! function of the account, and its own API keys — encrypted at rest,
//! never returned (a masked hint only). Owners and admins only.

pub mod mutation;
pub mod query;
pub mod types;
