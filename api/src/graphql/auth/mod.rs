//! Signup, login, token refresh and logout; `me`.
pub mod mutation;
pub mod query;
pub mod types;
