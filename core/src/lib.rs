#![doc = include_str!("../README.md")]

pub mod actor;
pub mod ai;
pub mod automation;
pub mod credits;
pub mod csv_import;
pub mod html;
pub mod jobs;
pub mod outline;
pub mod page;
pub mod planner;
pub mod role;
pub mod validate;

pub use actor::{Actor, Scope, SiteScope};
pub use page::Page;
pub use role::{AccountStatus, Role};
pub use validate::ValidationError;
