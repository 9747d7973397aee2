//! Throttling of credential operations (login, signup, password reset,
//! invitations): per client address and per email address, with governor's
//! GCRA limiters. A refusal is `RATE_LIMITED` with `extensions.retryAfter`.

use crate::config::AuthSettings;
use crate::error::{ApiError, ApiResult};
use axum::extract::ConnectInfo;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

/// Keys kept before idle ones are swept: the maps cannot grow without bound
/// under a spray of addresses or emails.
const SWEEP_ABOVE: usize = 50_000;

pub struct Throttle {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_email: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl Throttle {
    pub fn new(settings: &AuthSettings) -> Self {
        let n = |v: u32| NonZeroU32::new(v.max(1)).expect("at least 1");
        Throttle {
            per_ip: DefaultKeyedRateLimiter::keyed(Quota::per_minute(
                n(settings.per_ip_per_minute),
            )),
            // a burst, then one a minute: slow for a guesser, a short wait
            // for the owner who mistyped
            per_email: DefaultKeyedRateLimiter::keyed(
                Quota::per_minute(n(1)).allow_burst(n(settings.per_email_burst)),
            ),
            clock: DefaultClock::default(),
        }
    }

    /// One attempt from `ip` (unknown addresses share one bucket).
    pub fn client(&self, ip: Option<IpAddr>) -> ApiResult<()> {
        let ip = ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        if self.per_ip.len() > SWEEP_ABOVE {
            self.per_ip.retain_recent();
        }
        self.per_ip
            .check_key(&ip)
            .map_err(|wait| refused(wait.wait_time_from(self.clock.now())))
    }

    /// One attempt at the account of `email` (normalised by the caller).
    pub fn email(&self, email: &str) -> ApiResult<()> {
        if self.per_email.len() > SWEEP_ABOVE {
            self.per_email.retain_recent();
        }
        self.per_email
            .check_key(&email.to_owned())
            .map_err(|wait| refused(wait.wait_time_from(self.clock.now())))
    }
}

fn refused(wait: Duration) -> ApiError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    metrics::counter!("igny8_auth_throttled_total").increment(1);
    ApiError::Throttled {
        message: format!("too many attempts; retry in {secs} s"),
        retry_after_secs: secs.max(1),
    }
}

/// The client's address: the trusted proxy's header when configured
/// (`IGNY8_CLIENT_IP_HEADER`; its last entry, the one the proxy added),
/// else the peer address.
pub fn client_ip(
    headers: &axum::http::HeaderMap,
    peer: Option<SocketAddr>,
    header: Option<&str>,
) -> Option<IpAddr> {
    if let Some(h) = header {
        return headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
    }
    peer.map(|p| p.ip())
}

/// The peer address axum recorded (`into_make_service_with_connect_info`).
pub fn peer(extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)
}
