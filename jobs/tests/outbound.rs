//! The outbound client (issue 13, finding 1) against local listeners that
//! count every TCP connection they accept: each way of spelling an
//! internal destination is refused before any connection, and the same
//! requests do connect once the operator allows loopback (so "no
//! connection" is a real observation). No test here sends traffic beyond
//! this machine: refused destinations are loopback spellings or names a
//! stub resolver maps to loopback.

use axum::Router;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use igny8_jobs::openai::{Models, OpenAi, RetryPolicy};
use igny8_jobs::outbound::{
    Lookup, Outbound, OutboundError, Policy, PolicyResolver, StaticLookup, SystemLookup,
};
use igny8_jobs::provider::{ImageModel, ProviderError};
use reqwest::dns::Resolve;
use serde_json::json;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A bare HTTP server that counts accepted connections and answers `ok`.
struct Listener {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl Listener {
    async fn on(ip: &str) -> Listener {
        let l = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
        let addr = l.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = l.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = sock.read(&mut buf).await;
                    let _ = sock
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                        )
                        .await;
                });
            }
        });
        Listener { addr, accepted }
    }

    fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// `internal.example` and `rebound.example` resolve to loopback, as a
/// hostile DNS server would answer.
fn stub() -> Arc<dyn Lookup> {
    let mut m = HashMap::new();
    m.insert("internal.example".into(), vec![ip("127.0.0.1")]);
    m.insert(
        "rebound.example".into(),
        vec![ip("::ffff:127.0.0.1"), ip("127.0.0.1")],
    );
    Arc::new(StaticLookup(m))
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn client(policy: &str, lookup: Arc<dyn Lookup>) -> Outbound {
    Outbound::builder(Policy::parse(policy).unwrap())
        .timeout(Duration::from_secs(5))
        .lookup(lookup)
        .build()
        .unwrap()
}

/// Every spelling of the v4 and v6 loopback listeners an account might try.
fn spellings(v4: u16, v6: u16) -> Vec<(String, Arc<dyn Lookup>)> {
    let sys = || Arc::new(SystemLookup) as Arc<dyn Lookup>;
    vec![
        (format!("http://127.0.0.1:{v4}/"), sys()),
        (format!("https://[::ffff:127.0.0.1]:{v4}/"), sys()),
        (format!("http://[::ffff:7f00:1]:{v4}/"), sys()),
        (format!("http://localhost:{v4}/"), sys()),
        (format!("http://localhost.:{v4}/"), sys()),
        (format!("http://LocalHost.:{v4}/"), sys()),
        (format!("http://2130706433:{v4}/"), sys()),
        (format!("http://127.1:{v4}/"), sys()),
        (format!("http://0x7f.0.0.1:{v4}/"), sys()),
        (format!("http://0.0.0.0:{v4}/"), sys()),
        (format!("http://[::1]:{v6}/"), sys()),
        (format!("http://internal.example:{v4}/"), stub()),
        (format!("http://rebound.example:{v4}/"), stub()),
    ]
}

#[tokio::test]
async fn every_internal_spelling_is_refused_before_any_connection() {
    let v4 = Listener::on("127.0.0.1").await;
    let v6 = Listener::on("::1").await;
    for (url, lookup) in spellings(v4.addr.port(), v6.addr.port()) {
        let out = client("", lookup);
        let r = out.get(&url).send().await;
        assert_eq!(r.err(), Some(OutboundError::Refused), "{url}");
    }
    // NAT64 and the other internal ranges are judged before a socket exists
    let out = client("", Arc::new(SystemLookup));
    for url in [
        "http://[64:ff9b::7f00:1]:1/",
        "http://[64:ff9b:1::1]:1/",
        "http://100.64.0.1:1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1:1/",
        "http://192.168.0.1:1/",
        "http://[fd00::1]:1/",
        "http://[fe80::1]:1/",
        "http://255.255.255.255:1/",
    ] {
        assert_eq!(
            out.get(url).send().await.err(),
            Some(OutboundError::Refused),
            "{url}"
        );
    }
    assert_eq!(
        (v4.connections(), v6.connections()),
        (0, 0),
        "nothing connected"
    );

    // the control: allowed by the operator, the same requests do connect
    for (url, lookup) in spellings(v4.addr.port(), v6.addr.port()) {
        let before = v4.connections() + v6.connections();
        let _ = client("127.0.0.1/32,::1/128,0.0.0.0/32", lookup)
            .get(&url)
            .send()
            .await;
        assert_eq!(
            v4.connections() + v6.connections(),
            before + 1,
            "{url} connects when allowed"
        );
    }
}

#[tokio::test]
async fn allowed_host_names_reach_internal_addresses_and_nothing_else_does() {
    let v4 = Listener::on("127.0.0.1").await;
    let port = v4.addr.port();
    let out = client("INTERNAL.example.", stub());
    let r = out
        .get(&format!("http://internal.example.:{port}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "ok");
    assert_eq!(
        out.get(&format!("http://rebound.example:{port}/"))
            .send()
            .await
            .err(),
        Some(OutboundError::Refused),
        "another name to the same address"
    );
    assert_eq!(
        out.get(&format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .err(),
        Some(OutboundError::Refused),
        "the address itself"
    );
    assert_eq!(v4.connections(), 1);
}

#[tokio::test]
async fn a_name_with_public_and_internal_addresses_keeps_only_the_public_ones() {
    let mut m = HashMap::new();
    m.insert(
        "mixed.example".into(),
        vec![
            ip("127.0.0.1"),
            ip("93.184.215.14"),
            ip("::ffff:10.0.0.1"),
            ip("2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
        ],
    );
    let r = PolicyResolver::new(Policy::default(), Arc::new(StaticLookup(m)));
    let addrs: Vec<IpAddr> = r
        .resolve("mixed.example".parse().unwrap())
        .await
        .unwrap()
        .map(|a| a.ip())
        .collect();
    assert_eq!(
        addrs,
        vec![
            ip("93.184.215.14"),
            ip("2606:2800:21f:cb07:6820:80da:af6b:8b2c")
        ]
    );
}

/// A local server with a redirect, an endless body, a too-long one and
/// bodies that claim to be images.
async fn tricks() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let png = b"\x89PNG\r\n\x1a\nrest-of-a-png".to_vec();
    let app = Router::new()
        .route(
            "/redirect",
            get(|| async {
                (axum::http::StatusCode::FOUND, [("location", "/target")]).into_response()
            }),
        )
        .route(
            "/target",
            get(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { "target" }
            }),
        )
        .route(
            "/endless",
            get(|| async {
                let chunk = bytes_of(64 * 1024);
                let s =
                    futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
                Response::new(Body::from_stream(s))
            }),
        )
        .route("/declared", get(|| async { vec![b'x'; 200 * 1024] }))
        .route(
            "/html-as-png",
            get(|| async { ([("content-type", "image/png")], "<html>secret</html>") }),
        )
        .route(
            "/png-as-json",
            get({
                let png = png.clone();
                move || async move { ([("content-type", "application/json")], png) }
            }),
        )
        .route(
            "/png",
            get(move || async move { ([("content-type", "image/png")], png) }),
        )
        .route(
            "/v1/images/generations",
            post(|body: axum::Json<serde_json::Value>| async move {
                axum::Json(json!({"created": 1, "data": [{"url": body["prompt"]}]}))
            }),
        );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (format!("http://{addr}"), hits)
}

fn bytes_of(n: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b'x'; n])
}

fn loopback(max_body: usize) -> Outbound {
    Outbound::builder(Policy::parse("127.0.0.1/32").unwrap())
        .timeout(Duration::from_secs(20))
        .max_body_bytes(max_body)
        .build()
        .unwrap()
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (base, hits) = tricks().await;
    let r = loopback(1 << 20)
        .get(&format!("{base}/redirect"))
        .send()
        .await;
    assert_eq!(r.err(), Some(OutboundError::Redirect));
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the target was not asked");
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused_while_they_stream() {
    let (base, _) = tricks().await;
    let out = loopback(100 * 1024);
    // an endless body ends in a refusal, not in memory exhaustion or a timeout
    let r = out.get(&format!("{base}/endless")).send().await.unwrap();
    assert_eq!(r.bytes().await, Err(OutboundError::TooLarge(100 * 1024)));
    let r = out.get(&format!("{base}/declared")).send().await.unwrap();
    assert_eq!(r.bytes().await, Err(OutboundError::TooLarge(100 * 1024)));
    let r = out.get(&format!("{base}/png")).send().await.unwrap();
    assert!(r.bytes().await.unwrap().starts_with(b"\x89PNG"));
}

#[tokio::test]
async fn downloads_must_be_images() {
    let (base, _) = tricks().await;
    let out = loopback(1 << 20);
    for path in ["/html-as-png", "/png-as-json", "/target"] {
        let r = out.get(&format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.image().await, Err(OutboundError::NotAnImage), "{path}");
    }
    let r = out.get(&format!("{base}/png")).send().await.unwrap();
    assert!(r.image().await.unwrap().starts_with(b"\x89PNG"));
}

fn image_provider(base: &str, downloads: Outbound) -> OpenAi {
    let retry = RetryPolicy {
        max_attempts: 1,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(5),
        timeout: Duration::from_secs(5),
    };
    OpenAi::with_clients(
        loopback(1 << 20),
        downloads,
        &format!("{base}/v1"),
        "sk-test-secret",
        Models::uniform("gpt-4o-mini", "dall-e-3"),
        retry,
    )
}

#[tokio::test]
async fn a_provider_answering_with_an_internal_url_gets_a_generic_refusal() {
    let (base, hits) = tricks().await;
    let internal = Listener::on("127.0.0.2").await;
    let port = internal.addr.port();
    // the fake provider answers with the URL it is given as the prompt
    let p = image_provider(&base, loopback(1 << 20));
    for url in [
        format!("http://127.0.0.2:{port}/latest/meta-data/"),
        format!("http://[::ffff:127.0.0.2]:{port}/x.png"),
        format!("http://[::1]:{port}/x.png"),
        "http://169.254.169.254/latest/meta-data/".into(),
        "file:///etc/passwd".into(),
    ] {
        match p.image(&url, 1024, 1024).await {
            Err(ProviderError::Permanent(m)) => {
                assert!(
                    m == "could not download the image from the URL the provider returned"
                        || m == "downloading the image: not a valid http(s) URL",
                    "{url}: {m}"
                );
                assert!(
                    !m.contains("127.0.0") && !m.contains(&port.to_string()),
                    "{m}"
                );
            }
            other => panic!("{url}: {:?}", other.map(|_| ())),
        }
    }
    assert_eq!(internal.connections(), 0);
    // a redirect from an allowed address is not followed to an internal one
    match p.image(&format!("{base}/redirect"), 1024, 1024).await {
        Err(ProviderError::Permanent(m)) => assert!(m.contains("redirect"), "{m}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    // and what is not an image is refused
    match p.image(&format!("{base}/html-as-png"), 1024, 1024).await {
        Err(ProviderError::Permanent(m)) => assert!(m.contains("not an image"), "{m}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
    let (bytes, _) = p.image(&format!("{base}/png"), 1024, 1024).await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
}
