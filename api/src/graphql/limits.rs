//! The alias limit, per-operation request state for WebSocket operations,
//! and an `extensions.code` on every error: as functions for the HTTP
//! handler, and as the extensions of the WebSocket schema.

use crate::graphql::context::{Auth, RequestCtx};
use crate::graphql::loaders::Dispatch;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Request, Response, ServerError, ServerResult, Value, Variables};
use std::sync::Arc;

/// Refuses documents with more than N aliased fields (alias amplification).
pub struct AliasLimit(pub usize);

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AliasLimitExt(self.0))
    }
}

struct AliasLimitExt(usize);

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

#[async_graphql::async_trait::async_trait]
impl Extension for AliasLimitExt {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        check_aliases(&doc, self.0)?;
        Ok(doc)
    }
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

/// WebSocket operations share their connection's data; give each one its own
/// [`RequestCtx`] (fresh actor and DataLoaders) from the connection's token.
/// Also gives every error an `extensions.code`.
pub struct RequestContext;

impl ExtensionFactory for RequestContext {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestContextExt)
    }
}

struct RequestContextExt;

/// The token a WebSocket connection authenticated with.
#[derive(Clone)]
pub struct ConnectionAuth(pub Auth);

#[async_graphql::async_trait::async_trait]
impl Extension for RequestContextExt {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if request
            .data
            .get(&std::any::TypeId::of::<RequestCtx>())
            .is_none()
        {
            let auth = ctx
                .data_opt::<ConnectionAuth>()
                .map(|c| c.0.clone())
                .unwrap_or(Auth::Anonymous);
            request = request.data(RequestCtx::new(
                auth,
                uuid::Uuid::now_v7().to_string(),
                Dispatch::Runtime,
            ));
        }
        next.run(ctx, request).await
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut resp = next.run(ctx).await;
        assign_codes(&mut resp);
        resp
    }
}
