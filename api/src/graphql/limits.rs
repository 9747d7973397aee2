//! The document limits (size and tokens, checked before parsing), the alias
//! limit (alias amplification), the error cap and an `extensions.code` on
//! every error, applied by the transports (`http.rs`, `ws.rs`): the schema
//! has no extensions, which would slow every field down.

use crate::config::Limits;
use crate::graphql::context::Auth;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Response, ServerError, ServerResult, Value};

/// Lexical tokens of a GraphQL document (the spec's punctuators, names,
/// numbers and strings; whitespace, commas and comments are ignored), or
/// `None` as soon as there are more than `max`. One pass over the bytes:
/// parsing and validating a document costs far more per token.
pub fn count_tokens(doc: &str, max: usize) -> Option<usize> {
    let b = doc.as_bytes();
    let (mut i, mut n) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < b.len() && !b[i..].starts_with(b"\"\"\"") {
                    i += if b[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'.' if b[i..].starts_with(b"...") => i += 3,
            c if c == b'_' || c.is_ascii_alphabetic() => {
                while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
            }
            c if c == b'-' || c.is_ascii_digit() => {
                i += 1;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
            }
            // a punctuator, or a character the parser will refuse
            _ => i += 1,
        }
        n += 1;
        if n > max {
            return None;
        }
    }
    Some(n)
}

/// Refuses a document over the size or token limit, before it is parsed.
pub fn check_document(doc: &str, limits: &Limits) -> ServerResult<()> {
    if doc.len() > limits.max_document_bytes {
        return Err(ServerError::new(
            format!(
                "the document is {} bytes; at most {} are allowed",
                doc.len(),
                limits.max_document_bytes
            ),
            None,
        ));
    }
    if count_tokens(doc, limits.max_document_tokens).is_none() {
        return Err(ServerError::new(
            format!(
                "the document has more than {} tokens",
                limits.max_document_tokens
            ),
            None,
        ));
    }
    Ok(())
}

/// Keeps the first `max` errors of a response and says how many were left out.
pub fn cap_errors(resp: &mut Response, max: usize) {
    if resp.errors.len() > max {
        let left_out = resp.errors.len() - max;
        resp.errors.truncate(max);
        let mut e = ServerError::new(format!("{left_out} more errors left out"), None);
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", Value::from("BAD_USER_INPUT"));
        resp.errors.push(e);
    }
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + count_aliases(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => count_aliases(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// Aliased fields in a document, its fragments included.
pub fn aliases(doc: &ExecutableDocument) -> usize {
    let ops: usize = match &doc.operations {
        DocumentOperations::Single(op) => count_aliases(&op.node.selection_set.node),
        DocumentOperations::Multiple(ops) => ops
            .values()
            .map(|op| count_aliases(&op.node.selection_set.node))
            .sum(),
    };
    ops + doc
        .fragments
        .values()
        .map(|f| count_aliases(&f.node.selection_set.node))
        .sum::<usize>()
}

/// Refuses a document with more than `max` aliased fields.
pub fn check_aliases(doc: &ExecutableDocument, max: usize) -> ServerResult<()> {
    let n = aliases(doc);
    if n > max {
        return Err(ServerError::new(
            format!("the query uses {n} aliases; at most {max} are allowed"),
            None,
        ));
    }
    Ok(())
}

/// Mutations that check a password or a mailed token, hash a password, or
/// mail someone: one per request, so aliases and batches cannot multiply
/// guesses past the throttle (issue 13: 3,000 guesses in one request).
pub const CREDENTIAL_FIELDS: &[&str] = &[
    "login",
    "signup",
    "changePassword",
    "requestPasswordReset",
    "resetPassword",
    "acceptInvitation",
    "verifyEmail",
    "inviteUser",
    "createUser",
];

fn count_credential_fields(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(f) => {
                usize::from(CREDENTIAL_FIELDS.contains(&f.node.name.node.as_str()))
                    + count_credential_fields(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => count_credential_fields(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// Refuses a document with more than `max` credential operations (every
/// operation and fragment counted): 1 for a single HTTP request, 0 in a
/// batch or over a WebSocket.
pub fn check_credential_fields(doc: &ExecutableDocument, max: usize) -> ServerResult<()> {
    let ops: usize = match &doc.operations {
        DocumentOperations::Single(op) => count_credential_fields(&op.node.selection_set.node),
        DocumentOperations::Multiple(ops) => ops
            .values()
            .map(|op| count_credential_fields(&op.node.selection_set.node))
            .sum(),
    };
    let n = ops
        + doc
            .fragments
            .values()
            .map(|f| count_credential_fields(&f.node.selection_set.node))
            .sum::<usize>();
    if n > max {
        return Err(ServerError::new(
            "send login, signup and other credential operations one per request, \
             without aliases, outside batches and WebSockets",
            None,
        ));
    }
    Ok(())
}

/// The response for an operation refused before execution (it does not
/// parse, or breaks a limit), its error coded.
pub fn refused(e: ServerError) -> Response {
    let mut resp = Response::from_errors(vec![e]);
    assign_codes(&mut resp);
    resp
}

/// Gives every error of `resp` an `extensions.code`: `BAD_USER_INPUT` for
/// errors raised before execution, `INTERNAL` (with the text hidden and
/// logged) for a resolver error that skipped `ApiError`.
pub fn assign_codes(resp: &mut Response) {
    for e in &mut resp.errors {
        let has_code = e
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        if has_code {
            continue;
        }
        let code = if e.path.is_empty() {
            // raised before execution: parse, validation, input coercion, limits
            "BAD_USER_INPUT"
        } else {
            // a resolver error that skipped `ApiError`: never show its text
            tracing::error!(error.cause = %e.message, "uncoded resolver error");
            e.message = "internal error".into();
            "INTERNAL"
        };
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", Value::from(code));
    }
}

/// The token a WebSocket connection authenticated with.
#[derive(Clone)]
pub struct ConnectionAuth(pub Auth);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_counted_as_the_spec_lexes_them() {
        let n = |s: &str| count_tokens(s, usize::MAX).unwrap();
        assert_eq!(n("{ me { email } }"), 6);
        // commas, whitespace and comments are ignored
        assert_eq!(n("{ a, b,,, c } # x y z\n"), 5);
        // a string, a block string (with an escaped quote run), a spread, numbers
        assert_eq!(n(r#"f(a: "x \" y", b: """ q \""" r """) { ...F }"#), 13);
        assert_eq!(n("f(a: -1.5e+3, b: 42)"), 9);
        assert_eq!(n("query($id: ID!) { site(id: $id) { name } }"), 20);
        // counting stops past the cap
        assert_eq!(count_tokens(&"a ".repeat(1_000_000), 10), None);
        assert_eq!(count_tokens("a b c", 3), Some(3));
        assert_eq!(count_tokens("a b c d", 3), None);
    }
}
