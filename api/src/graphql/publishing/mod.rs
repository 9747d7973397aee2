//! Publishing to WordPress (PUB-1…3): the site's connection, publishing
//! and sync jobs, and what a content's publishing record shows.

pub mod mutation;
pub mod types;
