//! The two reference servers:
//! - `POST /graphql`: the nested read's JSON from ONE hand-written SQL
//!   statement (`json_agg`) through tokio-postgres, behind a bare axum route,
//!   with a pool of the same size as igny8's. It parses nothing but the site
//!   id and checks no token: the limit a GraphQL server could approach.
//! - `POST /typename`: `{"data":{"__typename":"Query"}}` from a bare axum
//!   JSON handler (parses the body, answers JSON), the floor for `{ __typename }`.

use anyhow::Result;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use tokio_postgres::{Client, NoTls, Statement};

/// The same JSON as igny8's answer to `bench::NESTED_QUERY`, key order included.
pub const NESTED_SQL: &str = r#"
SELECT json_build_object('data', json_build_object('site', json_build_object(
  'id', s.id, 'name', s.name,
  'sectors', json_build_object('edges', COALESCE((
    SELECT json_agg(json_build_object('node', json_build_object(
      'id', se.id, 'name', se.name,
      'keywords', json_build_object('edges', COALESCE((
        SELECT json_agg(json_build_object('node', json_build_object(
          'id', k.id, 'keyword', k.keyword, 'volume', k.volume,
          'difficulty', k.difficulty, 'intent', upper(k.intent),
          'cluster', CASE WHEN c.id IS NULL THEN NULL
                          ELSE json_build_object('id', c.id, 'name', c.name) END
        )) ORDER BY k.created_at, k.id)
        FROM (SELECT * FROM keywords kk
               WHERE kk.sector_id = se.id AND kk.account_id = $2
               ORDER BY kk.created_at, kk.id LIMIT 50) k
        LEFT JOIN clusters c ON c.id = k.cluster_id AND c.account_id = $2
      ), '[]'::json))
    )) ORDER BY se.created_at, se.id)
    FROM sectors se WHERE se.site_id = s.id AND se.account_id = $2
  ), '[]'::json))
)))::text
FROM sites s WHERE s.id = $1 AND s.account_id = $2
"#;

struct Pool {
    slots: Semaphore,
    idle: Mutex<Vec<(Client, Statement)>>,
}

struct AppState {
    pool: Pool,
    account: uuid::Uuid,
}

type Shared = Arc<AppState>;

pub async fn serve(
    listen: SocketAddr,
    db_url: &str,
    pool_size: usize,
    account: uuid::Uuid,
) -> Result<()> {
    let mut idle = Vec::new();
    for _ in 0..pool_size {
        let (client, conn) = tokio_postgres::connect(db_url, NoTls).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let stmt = client.prepare(NESTED_SQL).await?;
        idle.push((client, stmt));
    }
    let state = Arc::new(AppState {
        pool: Pool {
            slots: Semaphore::new(pool_size),
            idle: Mutex::new(idle),
        },
        account,
    });
    let app = Router::new()
        .route("/graphql", post(nested))
        .route("/typename", post(typename))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!("limit server on {listen}");
    axum::serve(listener, app).await?;
    Ok(())
}

async fn typename(
    axum::Json(_req): axum::Json<serde_json::Value>,
) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"data": {"__typename": "Query"}}))
}

async fn nested(
    State(st): State<Shared>,
    axum::Json(req): axum::Json<serde_json::Value>,
) -> Response {
    let Some(site) = req
        .pointer("/variables/id")
        .and_then(|v| v.as_str())
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
    else {
        return (StatusCode::BAD_REQUEST, "variables.id").into_response();
    };
    let _permit = st.pool.slots.acquire().await.expect("pool open");
    // one connection per request, like a pool checkout: no pipelining advantage
    let (client, stmt) = st
        .pool
        .idle
        .lock()
        .unwrap()
        .pop()
        .expect("a permit means an idle client");
    let r = client.query_opt(&stmt, &[&site, &st.account]).await;
    st.pool.idle.lock().unwrap().push((client, stmt));
    match r {
        Ok(Some(row)) => {
            let body: String = row.get(0);
            ([(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "no site").into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
