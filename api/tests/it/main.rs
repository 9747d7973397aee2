//! Integration tests: the real router against real PostgreSQL and Redis,
//! a fresh database per test.

mod abuse;
mod auth;
mod automation;
mod billing;
mod clustering;
mod cost;
mod fake_ai;
mod faults;
mod harness;
mod ideas;
mod isolation;
mod jobs;
mod mail;
mod nplus1;
mod outbound;
mod outcomes;
mod payments;
mod planner;
mod providers;
mod publish;
mod rls;
mod roles;
mod scheduler;
mod schema;
mod secrets;
mod sessions;
mod smtp_sink;
mod staff;
mod tenancy;
mod thinker;
mod transport;
mod web;
mod writer;
mod ws;
