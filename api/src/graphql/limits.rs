//! The alias limit (alias amplification) and an `extensions.code` on every
//! error, applied by the transports (`http.rs`, `ws.rs`): the schema has no
//! extensions, which would slow every field down.

use crate::graphql::context::Auth;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Response, ServerError, ServerResult, Value};

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
