#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod automation;
pub mod billing;
pub mod clusters;
pub mod contents;
pub mod error;
pub mod ideas;
pub mod images;
pub mod industries;
pub mod integrations;
pub mod invitations;
pub mod jobs;
pub mod keywords;
pub mod listing;
pub mod models;
pub mod payments;
mod pool;
pub mod publishing;
pub mod schedule;
pub mod schema;
pub mod sectors;
pub mod seeds;
pub mod sites;
pub mod staff;
pub mod stored;
pub mod tasks;
pub mod thinker;
pub mod tokens;
pub mod usage;
pub mod users;

pub use diesel_async::AsyncPgConnection;
pub use error::{DbError, DbResult};
pub use pool::{APP_ROLE, Db, MIGRATIONS, ReadTx, Reads, SYSTEM_ROLE, System, Tx, run_migrations};

/// Escapes `%`, `_` and `\` so user text is matched literally by `ILIKE`.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One page of a filtered list: its rows, the window they fill, and how many
/// rows match over all pages.
#[derive(Debug, Clone)]
pub struct Listed<T> {
    pub rows: Vec<T>,
    pub page: igny8_core::Page,
    /// Rows over all pages; with `PageArgs::skip_total`, only a lower bound
    /// that keeps `hasNextPage` exact.
    pub total: i64,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Listed {
            rows: vec![],
            page: igny8_core::Page::default(),
            total: 0,
        }
    }
}
