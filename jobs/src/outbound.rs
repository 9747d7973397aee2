//! The one HTTP client for destinations a tenant can influence: an account's
//! OpenAI-compatible base URL, image URLs a provider answers with, Runware,
//! and later the account's WordPress site.
//!
//! The wall is at connect time: names are resolved by [`PolicyResolver`],
//! which drops every internal address (loopback, private, link-local,
//! unique-local, CGNAT, NAT64, IPv4-mapped internal, multicast, documentation
//! …, see [`is_internal`]) unless the operator's allow-list
//! (`IGNY8_OUTBOUND_ALLOW`) names the address's network or the URL's host.
//! The connection uses exactly the addresses that survived, so DNS rebinding
//! gains nothing. reqwest does not resolve IP-literal hosts, so
//! [`Request::send`] judges those itself before anything is sent. Redirects
//! are never followed (a 3xx is an error), proxies from the environment are
//! ignored (the proxy would resolve the name instead), bodies are capped
//! while they stream, and every request has a timeout.
//!
//! Errors shown to tenants say what failed in words that reveal nothing about
//! the network: a destination refused by the policy and one that does not
//! answer read the same ([`OutboundError::Refused`] and
//! [`OutboundError::Unreachable`]), so the integration tests cannot be used
//! as a port scanner. The details (host, port, cause) go to the logs only.

use futures::future::BoxFuture;
use ipnet::IpNet;
use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// The largest body read from a destination (JSON with a base64 image
/// included): 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Networks no tenant-supplied URL may reach unless the operator allows them.
static INTERNAL: LazyLock<Vec<IpNet>> = LazyLock::new(|| {
    [
        // IPv4
        "0.0.0.0/8",       // "this network", 0.0.0.0 reaches the local host
        "10.0.0.0/8",      // RFC 1918
        "100.64.0.0/10",   // CGNAT shared space
        "127.0.0.0/8",     // loopback
        "169.254.0.0/16",  // link-local, cloud metadata services
        "172.16.0.0/12",   // RFC 1918
        "192.0.0.0/24",    // IETF protocol assignments
        "192.0.2.0/24",    // TEST-NET-1
        "192.88.99.0/24",  // 6to4 relay anycast
        "192.168.0.0/16",  // RFC 1918
        "198.18.0.0/15",   // benchmarking
        "198.51.100.0/24", // TEST-NET-2
        "203.0.113.0/24",  // TEST-NET-3
        "224.0.0.0/4",     // multicast
        "240.0.0.0/4",     // reserved, 255.255.255.255 broadcast
        // IPv6 (IPv4-mapped ::ffff:0:0/96 is judged by its IPv4 address)
        "::/96",          // unspecified, loopback, IPv4-compatible (deprecated)
        "64:ff9b::/96",   // NAT64: reaches any IPv4 address through the gateway
        "64:ff9b:1::/48", // local-use NAT64
        "100::/64",       // discard-only
        "2001::/32",      // Teredo
        "2001:2::/48",    // benchmarking
        "2001:db8::/32",  // documentation
        "2002::/16",      // 6to4: embeds an IPv4 address
        "3fff::/20",      // documentation
        "fc00::/7",       // unique-local
        "fe80::/10",      // link-local
        "fec0::/10",      // site-local (deprecated)
        "ff00::/8",       // multicast
    ]
    .into_iter()
    .map(|n| n.parse().expect("the internal networks are valid CIDRs"))
    .collect()
});

/// Whether `ip` is an internal, special-purpose or non-unicast address.
/// IPv4-mapped IPv6 addresses are judged by the IPv4 address they carry.
pub fn is_internal(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    };
    INTERNAL.iter().any(|n| n.contains(&ip))
}

/// The operator's exceptions (`IGNY8_OUTBOUND_ALLOW`): networks and host
/// names that tenant-supplied URLs may reach although they are internal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    nets: Vec<IpNet>,
    hosts: Vec<String>,
}

/// A host name as compared: lower-case, without the root's trailing dot.
fn normal_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

impl Policy {
    /// Nothing internal is allowed.
    pub fn deny_internal() -> Policy {
        Policy::default()
    }

    /// Parses a comma-separated list of CIDRs (`10.0.0.0/8`), single
    /// addresses (`127.0.0.1`, `::1`) and host names (`wp.internal`).
    pub fn parse(list: &str) -> Result<Policy, String> {
        let mut p = Policy::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if let Ok(net) = IpNet::from_str(entry) {
                p.nets.push(net.trunc());
            } else if let Ok(ip) = IpAddr::from_str(entry.trim_matches(['[', ']'])) {
                p.nets.push(IpNet::from(ip));
            } else if entry.contains('/') {
                return Err(format!("{entry:?} is not a valid CIDR"));
            } else {
                match url::Host::parse(entry) {
                    Ok(url::Host::Domain(d))
                        if !d.is_empty()
                            && d.split('.').all(|l| {
                                l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                            }) =>
                    {
                        p.hosts.push(normal_host(&d))
                    }
                    _ => {
                        return Err(format!(
                            "{entry:?} is neither a CIDR, an IP address nor a host name"
                        ));
                    }
                }
            }
        }
        Ok(p)
    }

    /// Whether the operator named this host.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = normal_host(host);
        self.hosts.contains(&host)
    }

    /// Whether a connection to `ip` may be made (the host was not named).
    pub fn permits(&self, ip: IpAddr) -> bool {
        let mapped = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4),
            IpAddr::V4(_) => None,
        };
        let allowed = |ip: IpAddr| self.nets.iter().any(|n| n.contains(&ip));
        !is_internal(ip) || allowed(ip) || mapped.is_some_and(allowed)
    }

    /// What can be judged without resolving: the scheme and an IP-literal
    /// host (reqwest connects to those without asking the resolver).
    pub fn check_url(&self, url: &reqwest::Url) -> Result<(), OutboundError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(OutboundError::InvalidUrl);
        }
        match url.host() {
            None => Err(OutboundError::InvalidUrl),
            Some(url::Host::Ipv4(ip)) if !self.permits(IpAddr::V4(ip)) => {
                Err(OutboundError::Refused)
            }
            Some(url::Host::Ipv6(ip)) if !self.permits(IpAddr::V6(ip)) => {
                Err(OutboundError::Refused)
            }
            Some(_) => Ok(()),
        }
    }

    /// Whether the URL's destination is one the operator allowed (by its
    /// host name or its IP literal's network), e.g. to accept `http` there.
    pub fn names_destination(&self, url: &reqwest::Url) -> bool {
        match url.host() {
            Some(url::Host::Domain(d)) => self.allows_host(d),
            Some(url::Host::Ipv4(ip)) => self.nets.iter().any(|n| n.contains(&IpAddr::V4(ip))),
            Some(url::Host::Ipv6(ip)) => self.nets.iter().any(|n| n.contains(&IpAddr::V6(ip))),
            None => false,
        }
    }
}

/// Round-trips through [`Policy::parse`] (the harness hands it to worker
/// processes this way).
impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries: Vec<String> = self
            .nets
            .iter()
            .map(ToString::to_string)
            .chain(self.hosts.iter().cloned())
            .collect();
        f.write_str(&entries.join(","))
    }
}

/// Name resolution under the policy; [`SystemLookup`] in production.
pub trait Lookup: Send + Sync + 'static {
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>>;
}

/// The operating system's resolver.
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
        Box::pin(async move {
            Ok(tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .map(|a| a.ip())
                .collect())
        })
    }
}

/// Fixed answers, e.g. a name that resolves to loopback in tests.
#[derive(Default)]
pub struct StaticLookup(pub HashMap<String, Vec<IpAddr>>);

impl Lookup for StaticLookup {
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
        let found = self.0.get(&host).cloned();
        Box::pin(async move {
            found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such host"))
        })
    }
}

/// Every address of a name was refused by the policy.
#[derive(Debug)]
struct Refusal;

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("every address of the host is refused by the outbound policy")
    }
}

impl std::error::Error for Refusal {}

/// Resolves, then keeps only the addresses the policy permits.
pub struct PolicyResolver {
    policy: Arc<Policy>,
    lookup: Arc<dyn Lookup>,
}

impl PolicyResolver {
    pub fn new(policy: Policy, lookup: Arc<dyn Lookup>) -> PolicyResolver {
        PolicyResolver {
            policy: Arc::new(policy),
            lookup,
        }
    }
}

impl reqwest::dns::Resolve for PolicyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = normal_host(name.as_str());
        let policy = self.policy.clone();
        let lookup = self.lookup.clone();
        Box::pin(async move {
            let ips = lookup.lookup(host.clone()).await?;
            let named = policy.allows_host(&host);
            let kept: Vec<SocketAddr> = ips
                .iter()
                .filter(|ip| named || policy.permits(**ip))
                .map(|ip| SocketAddr::new(*ip, 0))
                .collect();
            if kept.is_empty() {
                tracing::warn!(host = %host, addresses = ?ips, "outbound: every address refused by the policy");
                return Err(Box::new(Refusal) as Box<dyn std::error::Error + Send + Sync>);
            }
            if kept.len() < ips.len() {
                tracing::warn!(host = %host, addresses = ?ips, "outbound: internal addresses dropped");
            }
            Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// What went wrong, in words a tenant may see. `Refused` and `Unreachable`
/// read the same on purpose.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    /// The policy refused the destination (nothing was sent).
    #[error("could not connect")]
    Refused,
    /// Resolving or connecting failed (unknown name, refused, no route,
    /// TLS handshake, connect timeout).
    #[error("could not connect")]
    Unreachable,
    /// Connected, but no complete answer in time.
    #[error("timed out")]
    Timeout,
    /// The exchange broke off after connecting.
    #[error("the connection broke off")]
    Interrupted,
    #[error("answered with a redirect, which is not followed")]
    Redirect,
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the answer is not an image (PNG, JPEG, WebP or GIF)")]
    NotAnImage,
    #[error("not a valid http(s) URL")]
    InvalidUrl,
}

impl OutboundError {
    /// Worth another attempt later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            OutboundError::Refused
                | OutboundError::Unreachable
                | OutboundError::Timeout
                | OutboundError::Interrupted
        )
    }
}

/// Sorts a transport error and logs its details (never shown to tenants).
fn classify(e: &reqwest::Error, host: &str) -> OutboundError {
    let mut cause = std::error::Error::source(e);
    let mut causes = vec![];
    while let Some(c) = cause {
        if c.downcast_ref::<Refusal>().is_some() {
            tracing::warn!(host, "outbound: refused by the policy");
            return OutboundError::Refused;
        }
        causes.push(c.to_string());
        cause = c.source();
    }
    let kind = if e.is_connect() {
        OutboundError::Unreachable
    } else if e.is_timeout() {
        OutboundError::Timeout
    } else {
        OutboundError::Interrupted
    };
    tracing::warn!(host, kind = ?kind, causes = %causes.join(": "), "outbound: request failed");
    kind
}

/// A client for tenant-influenced destinations, or (built with
/// [`Outbound::trusted`]) for the operator's own configured endpoints.
/// Cheap to clone: connections pool.
#[derive(Clone)]
pub struct Outbound {
    client: reqwest::Client,
    /// `None`: the operator's own endpoint, not judged.
    policy: Option<Arc<Policy>>,
    max_body: usize,
}

impl fmt::Debug for Outbound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outbound")
            .field("policy", &self.policy)
            .field("max_body", &self.max_body)
            .finish()
    }
}

pub struct OutboundBuilder {
    policy: Option<Policy>,
    lookup: Arc<dyn Lookup>,
    timeout: Duration,
    connect_timeout: Duration,
    max_body: usize,
}

impl OutboundBuilder {
    /// The whole exchange, body included (default 120 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }
    /// Connecting (default 10 s, never more than the whole timeout).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    pub fn max_body_bytes(mut self, n: usize) -> Self {
        self.max_body = n;
        self
    }
    /// Another resolver (the policy still filters its answers).
    pub fn lookup(mut self, lookup: Arc<dyn Lookup>) -> Self {
        self.lookup = lookup;
        self
    }

    pub fn build(self) -> Result<Outbound, String> {
        let policy = self.policy.map(Arc::new);
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout.min(self.timeout));
        if let Some(p) = &policy {
            b = b.dns_resolver(PolicyResolver {
                policy: p.clone(),
                lookup: self.lookup,
            });
        }
        Ok(Outbound {
            client: b
                .build()
                .map_err(|e| format!("outbound HTTP client: {e}"))?,
            policy,
            max_body: self.max_body,
        })
    }
}

impl Outbound {
    /// For tenant-influenced URLs, judged by `policy`.
    pub fn builder(policy: Policy) -> OutboundBuilder {
        OutboundBuilder {
            policy: Some(policy),
            ..Outbound::trusted()
        }
    }

    /// For the operator's own configured endpoints (`OPENAI_BASE_URL`,
    /// `RUNWARE_BASE_URL` with the server's keys): no address policy, the
    /// rest (no redirects, caps, timeouts) as for tenants.
    pub fn trusted() -> OutboundBuilder {
        OutboundBuilder {
            policy: None,
            lookup: Arc::new(SystemLookup),
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            max_body: DEFAULT_MAX_BODY_BYTES,
        }
    }

    pub fn get(&self, url: &str) -> Request<'_> {
        self.request(reqwest::Method::GET, url)
    }

    pub fn post(&self, url: &str) -> Request<'_> {
        self.request(reqwest::Method::POST, url)
    }

    pub fn request(&self, method: reqwest::Method, url: &str) -> Request<'_> {
        Request {
            outbound: self,
            inner: reqwest::Url::parse(url)
                .map(|u| self.client.request(method, u))
                .map_err(|_| OutboundError::InvalidUrl),
        }
    }
}

/// A request that can only be sent through the policy.
pub struct Request<'a> {
    outbound: &'a Outbound,
    inner: Result<reqwest::RequestBuilder, OutboundError>,
}

impl Request<'_> {
    fn map(mut self, f: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder) -> Self {
        self.inner = self.inner.map(f);
        self
    }
    pub fn bearer_auth(self, token: &str) -> Self {
        self.map(|r| r.bearer_auth(token))
    }
    pub fn basic_auth(self, user: &str, password: &str) -> Self {
        self.map(|r| r.basic_auth(user, Some(password)))
    }
    pub fn header(self, name: &'static str, value: &str) -> Self {
        let value = value.to_owned();
        self.map(|r| r.header(name, value))
    }
    /// A raw body (an upload).
    pub fn body(self, bytes: Vec<u8>) -> Self {
        self.map(|r| r.body(bytes))
    }
    pub fn json<T: serde::Serialize + ?Sized>(self, body: &T) -> Self {
        self.map(|r| r.json(body))
    }
    /// A shorter timeout for this request.
    pub fn timeout(self, d: Duration) -> Self {
        self.map(|r| r.timeout(d))
    }

    /// Sends it: the IP-literal check, then the request (names are judged by
    /// the resolver); a 3xx is [`OutboundError::Redirect`].
    pub async fn send(self) -> Result<Reply, OutboundError> {
        let (client, req) = self.inner?.build_split();
        let req = req.map_err(|_| OutboundError::InvalidUrl)?;
        let host = format!(
            "{}:{}",
            req.url().host_str().unwrap_or_default(),
            req.url().port_or_known_default().unwrap_or_default()
        );
        if let Some(p) = &self.outbound.policy {
            if let Err(e) = p.check_url(req.url()) {
                tracing::warn!(host, error = ?e, "outbound: refused by the policy");
                return Err(e);
            }
        } else if !matches!(req.url().scheme(), "http" | "https") {
            return Err(OutboundError::InvalidUrl);
        }
        let resp = client.execute(req).await.map_err(|e| classify(&e, &host))?;
        if resp.status().is_redirection() {
            tracing::warn!(
                host,
                status = resp.status().as_u16(),
                "outbound: redirect not followed"
            );
            return Err(OutboundError::Redirect);
        }
        Ok(Reply {
            inner: resp,
            max_body: self.outbound.max_body,
            host,
        })
    }
}

/// An answer whose body can only be read within the size cap.
pub struct Reply {
    inner: reqwest::Response,
    max_body: usize,
    host: String,
}

impl Reply {
    pub fn status(&self) -> reqwest::StatusCode {
        self.inner.status()
    }

    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.inner.headers()
    }

    /// The body, refused as soon as it outgrows the cap (a declared length
    /// over it is refused before reading).
    pub async fn bytes(mut self) -> Result<Vec<u8>, OutboundError> {
        let max = self.max_body;
        let too_large = |host: &str| {
            tracing::warn!(host, max, "outbound: answer larger than the cap");
            OutboundError::TooLarge(max)
        };
        let declared = self.inner.content_length().unwrap_or(0);
        if declared > max as u64 {
            return Err(too_large(&self.host));
        }
        let mut out = Vec::with_capacity(declared as usize);
        while let Some(chunk) = self
            .inner
            .chunk()
            .await
            .map_err(|e| classify(&e, &self.host))?
        {
            if out.len() + chunk.len() > max {
                return Err(too_large(&self.host));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// The body as text (lossy), within the cap.
    pub async fn text(self) -> Result<String, OutboundError> {
        self.bytes()
            .await
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// The body, which must be an image: a declared type other than
    /// `image/*` or an octet stream is refused, and the bytes must start
    /// like a PNG, JPEG, WebP or GIF.
    pub async fn image(self) -> Result<Vec<u8>, OutboundError> {
        let declared = self
            .inner
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase());
        let host = self.host.clone();
        let declared_ok = declared.as_deref().is_none_or(|t| {
            t.starts_with("image/")
                || t.starts_with("application/octet-stream")
                || t.starts_with("binary/octet-stream")
        });
        if !declared_ok {
            tracing::warn!(host, content_type = ?declared, "outbound: download is not an image");
            return Err(OutboundError::NotAnImage);
        }
        let bytes = self.bytes().await?;
        if crate::media::image_type(&bytes).is_none() {
            tracing::warn!(host, "outbound: downloaded bytes are not an image");
            return Err(OutboundError::NotAnImage);
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn internal_addresses_are_recognised_in_every_spelling() {
        for a in [
            "127.0.0.1",
            "127.255.0.9",
            "0.0.0.0",
            "0.1.2.3",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.254",
            "169.254.169.254",
            "192.0.0.8",
            "192.0.2.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::808:808",
            "64:ff9b:1::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "2001:0:4136:e378::1",
            "100::1",
        ] {
            assert!(is_internal(ip(a)), "{a} is internal");
            assert!(!Policy::deny_internal().permits(ip(a)), "{a} refused");
        }
        for a in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.0",
            "172.32.0.1",
            "192.169.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_internal(ip(a)), "{a} is public");
        }
    }

    #[test]
    fn the_allow_list_parses_cidrs_addresses_and_hosts() {
        let p =
            Policy::parse(" 127.0.0.1/32, ::1/128 ,10.0.0.0/8,fd00::5, WP.Internal. ,").unwrap();
        assert!(p.permits(ip("127.0.0.1")));
        assert!(
            p.permits(ip("::ffff:127.0.0.1")),
            "mapped: its IPv4 address"
        );
        assert!(!p.permits(ip("127.0.0.2")));
        assert!(p.permits(ip("::1")));
        assert!(p.permits(ip("10.200.3.4")));
        assert!(p.permits(ip("fd00::5")));
        assert!(!p.permits(ip("fd00::6")));
        assert!(!p.permits(ip("169.254.169.254")));
        assert!(p.allows_host("wp.internal"));
        assert!(p.allows_host("WP.INTERNAL."));
        assert!(!p.allows_host("wp.internal.evil.com"));
        assert_eq!(Policy::parse(&p.to_string()).unwrap(), p, "round trip");
        assert_eq!(Policy::parse("").unwrap(), Policy::deny_internal());
        for bad in [
            "10.0.0.0/33",
            "10.0.0/8",
            "300.1.1.1/32",
            "http://x",
            "a b",
            "x_y",
            "*.internal",
        ] {
            assert!(Policy::parse(bad).is_err(), "{bad} refused");
        }
    }

    #[test]
    fn literal_hosts_are_judged_before_sending() {
        let deny = Policy::deny_internal();
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        for u in [
            "http://127.0.0.1/",
            "https://[::ffff:127.0.0.1]:8443/v1",
            "http://[::1]/",
            "http://0.0.0.0:80/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://127.0.0.1./",
            "http://100.64.1.1/",
            "http://[64:ff9b::7f00:1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/",
        ] {
            assert_eq!(deny.check_url(&url(u)), Err(OutboundError::Refused), "{u}");
        }
        assert_eq!(
            deny.check_url(&url("file:///etc/passwd")),
            Err(OutboundError::InvalidUrl)
        );
        assert!(deny.check_url(&url("https://api.openai.com/v1")).is_ok());
        // names are the resolver's to judge
        assert!(deny.check_url(&url("http://localhost./")).is_ok());
    }

    #[test]
    fn refusals_and_unreachable_destinations_read_the_same() {
        assert_eq!(
            OutboundError::Refused.to_string(),
            OutboundError::Unreachable.to_string()
        );
        assert!(!OutboundError::Refused.to_string().contains("refused"));
    }
}
