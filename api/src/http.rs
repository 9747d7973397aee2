//! GraphQL over HTTP (the GraphQL-over-HTTP spec): POST and GET on
//! `/graphql`; `Accept` chooses `application/graphql-response+json` or
//! `application/json`; under the former, requests that fail before execution
//! get 4xx. GET runs queries only.

use crate::app::AppState;
use crate::auth::JwtKeys;
use crate::config::Limits;
use crate::graphql::context::{Auth, RequestCtx};
use crate::graphql::limits::{
    assign_codes, cap_errors, check_aliases, check_credential_fields, check_document, refused,
};
use crate::graphql::loaders::Dispatch;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{BatchRequest, BatchResponse, Response as GqlResponse};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::json;
use std::collections::BTreeMap;

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub const JSON: &str = "application/json";

/// Which media type the client accepts, per its `Accept` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponseJson => GRAPHQL_RESPONSE_JSON,
            MediaType::Json => JSON,
        }
    }
}

/// Negotiates the response type; `None` means nothing acceptable (406).
/// No `Accept` at all is treated as `application/json` (legacy clients).
pub fn negotiate(accept: Option<&str>) -> Option<MediaType> {
    let Some(accept) = accept else {
        return Some(MediaType::Json);
    };
    let mut best: Option<(f32, MediaType)> = None;
    for part in accept.split(',') {
        let mut it = part.split(';');
        let ty = it.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = it
            .filter_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .next()
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        let media = match ty.as_str() {
            GRAPHQL_RESPONSE_JSON => MediaType::GraphqlResponseJson,
            JSON | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        // the spec's own type wins ties
        let better = match best {
            None => true,
            Some((bq, bm)) => {
                q > bq || (q == bq && media == MediaType::GraphqlResponseJson && bm != media)
            }
        };
        if better {
            best = Some((q, media));
        }
    }
    best.map(|(_, m)| m)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

pub fn auth_from_token(jwt: &JwtKeys, token: Option<&str>) -> Auth {
    match token {
        None => Auth::Anonymous,
        Some(t) => match jwt.verify(t) {
            Ok(c) => Auth::Token(c),
            Err(e) => Auth::Invalid(e),
        },
    }
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
}

/// A JSON error body in the GraphQL response shape, for failures before a
/// GraphQL request exists (unreadable body, wrong method).
pub fn error_response(status: StatusCode, media: MediaType, code: &str, message: &str) -> Response {
    let body = json!({"errors": [{"message": message, "extensions": {"code": code}}]});
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.as_str()),
    );
    r
}

/// Why a request body was not read: its status and message.
struct Unreadable {
    status: StatusCode,
    message: String,
}

impl Unreadable {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Unreadable {
            status,
            message: message.into(),
        }
    }
}

/// What a POST body may be: JSON (GraphQL over HTTP), or a multipart upload.
/// Anything else — `text/plain`, form-encoded, none — is 415: those are the
/// types a cross-site form may send without a preflight.
enum BodyKind {
    Json,
    Multipart,
}

fn body_kind(headers: &HeaderMap) -> Result<BodyKind, Unreadable> {
    let unsupported = || {
        Unreadable::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as application/json (or multipart/form-data for uploads)",
        )
    };
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(unsupported)?;
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        JSON => {
            let charset_ok = parts
                .filter_map(|p| p.split_once('='))
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
                .all(|(_, v)| {
                    let v = v.trim().trim_matches('"');
                    v.eq_ignore_ascii_case("utf-8") || v.eq_ignore_ascii_case("utf8")
                });
            if charset_ok {
                Ok(BodyKind::Json)
            } else {
                Err(unsupported())
            }
        }
        "multipart/form-data" => {
            // a cross-site form cannot set this header, so it cannot post an upload
            if headers.contains_key(header::AUTHORIZATION) {
                Ok(BodyKind::Multipart)
            } else {
                Err(Unreadable::new(
                    StatusCode::BAD_REQUEST,
                    "an upload must carry an Authorization header",
                ))
            }
        }
        _ => Err(unsupported()),
    }
}

/// The request's operations: from the query string for GET, else from a
/// JSON or multipart body. A JSON array longer than `max_batch` is refused
/// while it is read, before its operations are built.
async fn read_batch(req: Request<Body>, limits: &Limits) -> Result<BatchRequest, Unreadable> {
    let bad = |e: &dyn std::fmt::Display| {
        let msg = e.to_string();
        let status = if msg.contains("length limit") {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::BAD_REQUEST
        };
        Unreadable::new(status, format!("the request could not be read: {msg}"))
    };
    if req.method() == Method::GET {
        let q = req.uri().query().unwrap_or_default();
        return async_graphql::http::parse_query_string(q)
            .map(BatchRequest::Single)
            .map_err(|e| bad(&e));
    }
    let batch = match body_kind(req.headers())? {
        BodyKind::Json => {
            let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
                .await
                .map_err(|e| bad(&e))?;
            let mut de = serde_json::Deserializer::from_slice(&bytes);
            CappedBatch(limits.max_batch)
                .deserialize(&mut de)
                .and_then(|b| de.end().map(|()| b))
                .map_err(|e| bad(&e))?
        }
        BodyKind::Multipart => {
            let content_type = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
                .await
                .map_err(|e| bad(&e))?;
            // the operations part comes first: count it before anything is built
            let boundary = multer::parse_boundary(&content_type).map_err(|e| bad(&e))?;
            let whole = bytes.clone();
            let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(whole) });
            let mut parts = multer::Multipart::new(stream, boundary);
            let operations = match parts.next_field().await.map_err(|e| bad(&e))? {
                Some(field) if field.name() == Some("operations") => {
                    field.bytes().await.map_err(|e| bad(&e))?
                }
                _ => {
                    return Err(Unreadable::new(
                        StatusCode::BAD_REQUEST,
                        "the first part of an upload must be `operations`",
                    ));
                }
            };
            drop(parts);
            let mut de = serde_json::Deserializer::from_slice(&operations);
            CappedBatch(limits.max_batch)
                .deserialize(&mut de)
                .map_err(|e| bad(&e))?;
            drop(operations);
            async_graphql::http::receive_batch_body(
                Some(content_type.as_str()),
                futures::io::Cursor::new(bytes),
                async_graphql::http::MultipartOptions::default(),
            )
            .await
            .map_err(|e| {
                if matches!(e, async_graphql::ParseRequestError::PayloadTooLarge) {
                    Unreadable::new(StatusCode::PAYLOAD_TOO_LARGE, e.to_string())
                } else {
                    bad(&e)
                }
            })?
        }
    };
    match &batch {
        BatchRequest::Batch(rs) if rs.is_empty() => Err(Unreadable::new(
            StatusCode::BAD_REQUEST,
            "the batch holds no operation",
        )),
        BatchRequest::Batch(rs) if rs.len() > limits.max_batch => Err(too_many(limits.max_batch)),
        _ => Ok(batch),
    }
}

fn too_many(max: usize) -> Unreadable {
    Unreadable::new(
        StatusCode::BAD_REQUEST,
        format!("a batch holds at most {max} operations"),
    )
}

/// A JSON request body, one operation or an array of at most `.0`.
struct CappedBatch(usize);

impl<'de> DeserializeSeed<'de> for CappedBatch {
    type Value = BatchRequest;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<BatchRequest, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CappedBatch {
    type Value = BatchRequest;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a GraphQL request object or an array of them")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<BatchRequest, A::Error> {
        async_graphql::Request::deserialize(MapAccessDeserializer::new(map))
            .map(BatchRequest::Single)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BatchRequest, A::Error> {
        let mut out = Vec::new();
        while let Some(r) = seq.next_element::<async_graphql::Request>()? {
            if out.len() == self.0 {
                return Err(serde::de::Error::custom(too_many(self.0).message));
            }
            out.push(r);
        }
        Ok(BatchRequest::Batch(out))
    }
}

/// An operation not executed at all: parse or validation failed.
fn is_request_error(r: &GqlResponse) -> bool {
    r.data == async_graphql::Value::Null
        && !r.errors.is_empty()
        && r.errors.iter().all(|e| e.path.is_empty())
}

fn operation_type(doc: &ExecutableDocument, operation_name: Option<&str>) -> Option<OperationType> {
    let op = match (&doc.operations, operation_name) {
        (async_graphql::parser::types::DocumentOperations::Single(op), _) => op,
        (async_graphql::parser::types::DocumentOperations::Multiple(ops), Some(name)) => {
            ops.get(name)?
        }
        (async_graphql::parser::types::DocumentOperations::Multiple(ops), None) => {
            ops.values().next()?
        }
    };
    Some(op.node.ty)
}

/// `GET` and `POST /graphql` (and the WebSocket upgrade, which arrives as a GET).
pub async fn graphql(State(app): State<AppState>, req: Request<Body>) -> Response {
    if req.method() == Method::GET && crate::ws::is_upgrade(req.headers()) {
        return crate::ws::upgrade(app, req).await;
    }
    let headers = req.headers();
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let Some(media) = negotiate(accept) else {
        if req.method() == Method::GET && accept.is_some_and(|a| a.contains("text/html")) {
            return Redirect::temporary("/graphiql").into_response();
        }
        return error_response(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "BAD_USER_INPUT",
            "acceptable response types: application/graphql-response+json, application/json",
        );
    };
    let is_get = req.method() == Method::GET;
    let auth = auth_from_token(&app.jwt, bearer(headers));
    let rid = request_id(headers);
    let client_ip = crate::throttle::client_ip(
        headers,
        crate::throttle::peer(req.extensions()),
        app.config.auth.client_ip_header.as_deref(),
    );
    let limits = &app.config.limits;
    let batch = match read_batch(req, limits).await {
        Ok(b) => b,
        Err(refusal) => {
            metrics::counter!("igny8_graphql_errors_total", "code" => "BAD_USER_INPUT")
                .increment(1);
            return error_response(refusal.status, media, "BAD_USER_INPUT", &refusal.message);
        }
    };
    let (single, requests) = match batch {
        BatchRequest::Single(r) => (true, vec![r]),
        BatchRequest::Batch(rs) => (false, rs),
    };
    // The size and token limits run before anything is parsed: a document
    // over them is refused whole with 413, whatever the media type.
    for r in &requests {
        if let Err(e) = check_document(&r.query, limits) {
            metrics::counter!("igny8_graphql_errors_total", "code" => "BAD_USER_INPUT")
                .increment(1);
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                "BAD_USER_INPUT",
                &e.message,
            );
        }
    }
    // Parse here, once: the schema executes the parsed document. The alias
    // limit and the GET check read it; a document that does not parse is
    // answered with its parse error.
    let mut checked: Vec<Result<(async_graphql::Request, bool), GqlResponse>> = vec![];
    for mut r in requests {
        let op = r.operation_name.clone();
        let mut is_query = false;
        let pre = match r.parsed_query() {
            Err(e) => Err(e),
            Ok(doc) => {
                is_query = operation_type(doc, op.as_deref()) == Some(OperationType::Query);
                if is_get && !is_query {
                    // GET is safe: it must not run a mutation
                    let mut resp = error_response(
                        StatusCode::METHOD_NOT_ALLOWED,
                        media,
                        "BAD_USER_INPUT",
                        "GET runs queries only; send mutations with POST",
                    );
                    resp.headers_mut()
                        .insert(header::ALLOW, HeaderValue::from_static("POST"));
                    return resp;
                }
                check_aliases(doc, limits.max_aliases)
                    .and_then(|()| check_credential_fields(doc, usize::from(single)))
            }
        };
        checked.push(match pre {
            Ok(()) => Ok((r, is_query)),
            Err(e) => Err(refused(e)),
        });
    }

    let (spawner, queue) = crate::graphql::batch::channel();
    let schema = &app.schema;
    let exec = async {
        let mut out = Vec::with_capacity(checked.len());
        for r in checked {
            out.push(match r {
                Ok((r, is_query)) => {
                    let mut ctx = RequestCtx::new(
                        auth.clone(),
                        rid.clone(),
                        Dispatch::Request(spawner.clone()),
                    )
                    .with_client_ip(client_ip);
                    // a query writes nothing: all its reads share one
                    // transaction (mutations keep one per resolver)
                    let reads = is_query.then(|| app.db.shared_reads());
                    if let Some(reads) = &reads {
                        ctx = ctx.with_reads(reads.clone());
                    }
                    let mut resp = schema.execute(r.data(ctx)).await;
                    if let Some(reads) = reads
                        && let Err(e) = reads.finish().await
                    {
                        tracing::warn!(error = %e, "ending a query's read transaction");
                    }
                    assign_codes(&mut resp);
                    cap_errors(&mut resp, limits.max_errors);
                    resp
                }
                Err(resp) => resp,
            });
        }
        out
    };
    let mut out = crate::graphql::batch::drive(exec, queue).await;
    let resp = if single {
        BatchResponse::Single(out.pop().expect("one response per request"))
    } else {
        BatchResponse::Batch(out)
    };
    respond(media, resp)
}

fn count_errors(r: &GqlResponse) {
    for e in &r.errors {
        let code = e
            .extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .and_then(|v| {
                if let async_graphql::Value::String(s) = v {
                    Some(s.clone())
                } else {
                    None
                }
            })
            .unwrap_or_else(|| "UNKNOWN".into());
        metrics::counter!("igny8_graphql_errors_total", "code" => code).increment(1);
    }
}

/// The response as the spec shapes it: an operation that was not executed
/// (parse or validation failed) has no `data` at all, not `data: null`.
#[derive(serde::Serialize)]
struct Shaped<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [async_graphql::ServerError],
}

fn shaped(r: &GqlResponse) -> Shaped<'_> {
    Shaped {
        data: (!is_request_error(r)).then_some(&r.data),
        extensions: &r.extensions,
        errors: &r.errors,
    }
}

fn respond(media: MediaType, resp: BatchResponse) -> Response {
    // serialised straight from the response tree, without an intermediate
    // `serde_json::Value` copy of it
    let (status, body) = match &resp {
        BatchResponse::Single(r) => {
            count_errors(r);
            let status = if media == MediaType::GraphqlResponseJson && is_request_error(r) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            (status, serde_json::to_vec(&shaped(r)))
        }
        BatchResponse::Batch(rs) => {
            rs.iter().for_each(count_errors);
            let all: Vec<Shaped<'_>> = rs.iter().map(shaped).collect();
            (StatusCode::OK, serde_json::to_vec(&all))
        }
    };
    let body = body.unwrap_or_else(|_| {
        br#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#.to_vec()
    });
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.as_str()),
    );
    if let Some(v) = resp
        .cache_control()
        .value()
        .and_then(|cc| HeaderValue::from_str(&cc).ok())
    {
        r.headers_mut().insert(header::CACHE_CONTROL, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation_follows_the_spec() {
        assert_eq!(negotiate(None), Some(MediaType::Json));
        assert_eq!(
            negotiate(Some(GRAPHQL_RESPONSE_JSON)),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(negotiate(Some("application/json")), Some(MediaType::Json));
        assert_eq!(
            negotiate(Some("application/json, application/graphql-response+json")),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            negotiate(Some(
                "application/graphql-response+json;q=0.5, application/json"
            )),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate(Some("*/*")), Some(MediaType::Json));
        assert_eq!(negotiate(Some("text/html")), None);
        assert_eq!(negotiate(Some("application/json;q=0")), None);
    }

    #[test]
    fn get_detects_mutations() {
        let operation_type = |q: &str, name: Option<&str>| {
            super::operation_type(&async_graphql::parser::parse_query(q).unwrap(), name)
        };
        assert_eq!(
            operation_type("{ me { id } }", None),
            Some(OperationType::Query)
        );
        assert_eq!(
            operation_type("mutation { logout(input: {refreshToken: \"x\"}) }", None),
            Some(OperationType::Mutation)
        );
        assert_eq!(
            operation_type("query A { me { id } } mutation B { x }", Some("B")),
            Some(OperationType::Mutation)
        );
    }
}
