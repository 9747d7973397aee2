//! Relay connections with `totalCount`, over offset windows.

use crate::error::{ApiError, ApiResult};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use igny8_core::Page;
use igny8_core::page::PageArgs;

#[derive(SimpleObject)]
pub struct Total {
    /// Rows matching the filter, over all pages.
    pub total_count: i64,
}

pub type Conn<N> = Connection<String, N, Total, EmptyFields>;

pub fn encode_cursor(offset: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

/// Largest offset a cursor may carry: the paging arithmetic adds page sizes
/// to it, which must not overflow.
const MAX_CURSOR_OFFSET: i64 = i32::MAX as i64;

fn decode_cursor(field: &'static str, cursor: &str) -> ApiResult<i64> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("o:").and_then(|n| n.parse::<i64>().ok()))
        .filter(|n| (0..=MAX_CURSOR_OFFSET).contains(n))
        .ok_or_else(|| ApiError::bad_input(field, format!("{field}: not a valid cursor")))
}

/// The arguments every connection field takes, checked.
pub fn page_args(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    offset: Option<i32>,
) -> ApiResult<PageArgs> {
    let args = PageArgs {
        first: first.map(i64::from),
        after: after
            .as_deref()
            .map(|c| decode_cursor("after", c))
            .transpose()?,
        last: last.map(i64::from),
        before: before
            .as_deref()
            .map(|c| decode_cursor("before", c))
            .transpose()?,
        offset: offset.map(i64::from),
        skip_total: false,
    };
    args.validate()?;
    Ok(args)
}

/// [`page_args`] of a nested connection field: its loader skips counting
/// the rows when the selection asks for no `totalCount`.
pub fn child_page_args(
    ctx: &async_graphql::Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    offset: Option<i32>,
) -> ApiResult<PageArgs> {
    let mut args = page_args(first, after, last, before, offset)?;
    args.skip_total = !ctx.look_ahead().field("totalCount").exists();
    Ok(args)
}

/// A connection of the rows of `page` out of `total`.
pub fn connection<N: OutputType>(rows: Vec<N>, page: Page, total: i64) -> Conn<N> {
    let end = page.offset + rows.len() as i64;
    let mut c = Connection::with_additional_fields(
        page.offset > 0,
        end < total,
        Total { total_count: total },
    );
    c.edges.extend(
        rows.into_iter()
            .enumerate()
            .map(|(i, n)| Edge::new(encode_cursor(page.offset + i as i64), n)),
    );
    c
}

/// The connection of a listed page, each row wrapped as its GraphQL node.
pub fn listed<R, N: OutputType>(l: igny8_db::Listed<R>, node: impl FnMut(R) -> N) -> Conn<N> {
    connection(l.rows.into_iter().map(node).collect(), l.page, l.total)
}

/// Paginates a list already in memory (small relations loaded whole).
pub fn connection_of<N: OutputType>(mut all: Vec<N>, args: &PageArgs) -> Conn<N> {
    let total = all.len() as i64;
    let page = args.window(total);
    let rows: Vec<N> = all
        .drain(page.offset as usize..(page.offset + page.limit) as usize)
        .collect();
    connection(rows, page, total)
}

/// Complexity of a connection field: the child's cost times the page size.
pub fn cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let n = first
        .or(last)
        .unwrap_or(igny8_core::page::DEFAULT_PAGE_SIZE as i32)
        .max(1) as usize;
    n.saturating_mul(child.max(1)).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor("after", &encode_cursor(42)).unwrap(), 42);
        assert!(decode_cursor("after", "bm9wZQ").is_err());
        assert!(decode_cursor("after", "!!").is_err());
        let e = decode_cursor("before", &URL_SAFE_NO_PAD.encode("o:-1")).unwrap_err();
        assert!(matches!(e, ApiError::BadInput { ref field, .. } if field == "before"));
        let huge = URL_SAFE_NO_PAD.encode(format!("o:{}", i64::MAX));
        assert!(
            decode_cursor("after", &huge).is_err(),
            "would overflow after + 1"
        );
    }

    #[test]
    fn in_memory_pages_match_the_window() {
        let args = PageArgs {
            first: Some(2),
            after: Some(0),
            ..Default::default()
        };
        let c = connection_of(vec![10, 11, 12, 13], &args);
        let nodes: Vec<i32> = c.edges.iter().map(|e| e.node).collect();
        assert_eq!(nodes, vec![11, 12]);
        assert!(c.has_previous_page && c.has_next_page);
        assert_eq!(c.additional_fields.total_count, 4);
    }
}
