#![doc = include_str!("../README.md")]

pub mod actor;
pub mod page;
pub mod role;
pub mod validate;

pub use actor::{Actor, Scope, SiteScope};
pub use page::Page;
pub use role::{AccountStatus, Role};
pub use validate::ValidationError;
