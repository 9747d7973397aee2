//! Relay-style pagination over offsets: `first/after/last/before/offset`
//! resolve to one window of rows.

/// A window of rows: skip `offset`, take `limit`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: i64 = 500;
/// Page size when the client names none.
pub const DEFAULT_PAGE_SIZE: i64 = 50;

/// The arguments of a connection field, with cursors already decoded to the
/// offsets they stand for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PageArgs {
    pub first: Option<i64>,
    /// Offset of the row the `after` cursor points at.
    pub after: Option<i64>,
    pub last: Option<i64>,
    /// Offset of the row the `before` cursor points at.
    pub before: Option<i64>,
    pub offset: Option<i64>,
    /// Nobody asked for `totalCount`: a list may skip counting its rows
    /// when the window does not need the total ([`PageArgs::needs_total`]).
    /// `hasNextPage` stays exact (one row past the window is fetched).
    pub skip_total: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub field: &'static str,
    pub message: String,
}

fn bad(field: &'static str, message: &str) -> PageError {
    PageError {
        field,
        message: message.to_owned(),
    }
}

impl PageArgs {
    /// Checks the arguments (non-negative, at most [`MAX_PAGE_SIZE`]).
    pub fn validate(&self) -> Result<(), PageError> {
        for (field, v) in [("first", self.first), ("last", self.last)] {
            match v {
                Some(n) if n < 0 => return Err(bad(field, "must not be negative")),
                Some(n) if n > MAX_PAGE_SIZE => {
                    return Err(bad(field, &format!("must be at most {MAX_PAGE_SIZE}")));
                }
                _ => {}
            }
        }
        if matches!(self.offset, Some(n) if n < 0) {
            return Err(bad("offset", "must not be negative"));
        }
        Ok(())
    }

    /// The window for a list of `total` rows, following the Relay algorithm:
    /// cut by `after`/`before` (or start at `offset`), then take `first` from
    /// the front or `last` from the back.
    pub fn window(&self, total: i64) -> Page {
        let mut start = match (self.after, self.offset) {
            (Some(a), _) => a + 1,
            (None, Some(o)) => o,
            (None, None) => 0,
        };
        let mut end = self.before.unwrap_or(total).min(total);
        start = start.clamp(0, total);
        end = end.max(start);
        if let Some(f) = self.first {
            end = end.min(start + f);
        }
        if let Some(l) = self.last {
            start = start.max(end - l);
        } else if self.first.is_none() {
            end = end.min(start + DEFAULT_PAGE_SIZE);
        }
        Page {
            offset: start,
            limit: end - start,
        }
    }

    /// The window when the total is unknown: only forward paging can be
    /// answered without it; `last` without `before` needs the total.
    pub fn needs_total(&self) -> bool {
        self.last.is_some() && self.before.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(args: PageArgs, total: i64) -> (i64, i64) {
        let p = args.window(total);
        (p.offset, p.limit)
    }

    #[test]
    fn first_and_after_page_forward() {
        let a = PageArgs {
            first: Some(10),
            ..Default::default()
        };
        assert_eq!(w(a, 25), (0, 10));
        let a = PageArgs {
            first: Some(10),
            after: Some(19),
            ..Default::default()
        };
        assert_eq!(w(a, 25), (20, 5));
        let a = PageArgs {
            first: Some(10),
            after: Some(24),
            ..Default::default()
        };
        assert_eq!(w(a, 25), (25, 0));
    }

    #[test]
    fn last_and_before_page_backward() {
        let a = PageArgs {
            last: Some(10),
            ..Default::default()
        };
        assert_eq!(w(a, 25), (15, 10));
        let a = PageArgs {
            last: Some(10),
            before: Some(5),
            ..Default::default()
        };
        assert_eq!(w(a, 25), (0, 5));
        let a = PageArgs {
            last: Some(3),
            before: Some(0),
            ..Default::default()
        };
        assert_eq!(w(a, 25), (0, 0));
    }

    #[test]
    fn offset_pages_like_page_numbers() {
        let a = PageArgs {
            first: Some(20),
            offset: Some(40),
            ..Default::default()
        };
        assert_eq!(w(a, 50), (40, 10));
        let a = PageArgs {
            first: Some(20),
            offset: Some(400),
            ..Default::default()
        };
        assert_eq!(w(a, 50), (50, 0));
    }

    #[test]
    fn no_arguments_means_the_default_page() {
        assert_eq!(w(PageArgs::default(), 1000), (0, DEFAULT_PAGE_SIZE));
        assert_eq!(w(PageArgs::default(), 0), (0, 0));
    }

    #[test]
    fn invalid_arguments_are_refused() {
        assert!(
            PageArgs {
                first: Some(-1),
                ..Default::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            PageArgs {
                last: Some(501),
                ..Default::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            PageArgs {
                offset: Some(-5),
                ..Default::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            PageArgs {
                first: Some(500),
                ..Default::default()
            }
            .validate()
            .is_ok()
        );
    }
}
