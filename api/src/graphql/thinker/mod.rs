//! The Thinker (JOB-8): prompt templates per AI function (default or the
//! account's override), author profiles and strategies that shape what the
//! AI functions write. Everybody in the account reads them; owners and
//! admins change them.

pub mod mutation;
pub mod query;
pub mod types;
