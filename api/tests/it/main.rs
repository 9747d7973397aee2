//! Integration tests: the real router against real PostgreSQL and Redis,
//! a fresh database per test.

mod auth;
mod harness;
mod rls;
mod roles;
mod schema;
mod tenancy;
mod transport;
mod ws;
