//! The per-address limit on sign-in attempts (issue 6) and holder self-enrolments (issue
//! 13). The per-(login, address) delays in `shebao_app::access::sign_in_guard` stop guessing one
//! login's password; this limit stops one client address from guessing across many logins
//! (password spraying) and from making the server hash passwords without end.
//!
//! A fixed window per client address: at most `attempts_max` attempts in each `window`.
//! Every attempt takes a slot when it starts, so parallel guesses count at once; a
//! successful sign-in gives its slot back, so a busy office behind one address is not shut
//! out by its own colleagues and the limit is, in effect, on failures. The table is capped at
//! [`CLIENTS_MAX`] addresses; when it is full, expired windows go first, then the oldest.
//!
//! The address is the TCP peer, unless the peer is one of the configured trusted proxies
//! (`serve --trusted-proxy`): then it is the right-most address of `X-Forwarded-For` that is
//! not a trusted proxy, the client the nearest trusted proxy saw. A header from any other
//! peer is ignored, since any client can write one. Without a trusted proxy configured, every
//! client behind a reverse proxy would share the proxy's address, its window and its sign-in
//! waits (review of issue 13, finding 7).

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::RETRY_AFTER;
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderValue};
use axum::response::{IntoResponse, Response};

use shebao_app::bounded::parse_rate;

use crate::Shared;
use crate::problem::Problem;

/// Most client addresses tracked at once: bounds the table's memory (well under 100 bytes
/// an entry) whatever the number of addresses an attacker uses.
pub const CLIENTS_MAX: usize = 10_000;

/// How many sign-in attempts one address may make per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInRate {
    pub attempts_max: u32,
    pub window: Duration,
}

impl Default for SignInRate {
    /// 30 attempts per minute: far above what people at one address type by hand, far
    /// below what guessing needs.
    fn default() -> Self {
        SignInRate {
            attempts_max: 30,
            window: Duration::from_secs(60),
        }
    }
}

impl fmt::Display for SignInRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}s", self.attempts_max, self.window.as_secs())
    }
}

impl FromStr for SignInRate {
    type Err = String;

    /// `ATTEMPTS/SECONDS`, e.g. `30/60s` or `30/60`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (attempts_max, seconds) = parse_rate(text, "sign-in attempts", "30/60s")?;
        Ok(SignInRate {
            attempts_max,
            window: Duration::from_secs(seconds),
        })
    }
}

/// Where the limiter reads the time: `Instant::now` in service, a hand-moved clock in tests.
pub type Ticks = Arc<dyn Fn() -> Instant + Send + Sync>;

/// The monotonic system clock.
pub fn system_ticks() -> Ticks {
    Arc::new(Instant::now)
}

/// One address's current window.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    attempts: u32,
    /// Whether this window's first refusal was written to the audit trail.
    refusal_audited: bool,
}

/// The limiter the sign-in handlers share.
pub struct SignInLimiter {
    rate: SignInRate,
    ticks: Ticks,
    clients: Mutex<HashMap<IpAddr, Window>>,
    /// Peers whose `X-Forwarded-For` names the client.
    trusted_proxies: Vec<IpAddr>,
}

/// Most `X-Forwarded-For` entries read, from the right.
const FORWARDED_HOPS_MAX: usize = 32;

/// The answer to one attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    /// Go ahead; hand the ticket back with [`SignInLimiter::succeeded`] if the sign-in works.
    Admitted(Ticket),
    /// Too many attempts from this address in the current window.
    Refused {
        retry_after_seconds: u64,
        /// The window's first refusal: the one the audit trail records, so a flood of
        /// refused attempts does not flood the trail.
        first: bool,
    },
}

/// An admitted attempt's slot.
#[derive(Debug, PartialEq, Eq)]
pub struct Ticket {
    client: IpAddr,
    window_started: Instant,
}

impl SignInLimiter {
    pub fn new(rate: SignInRate, ticks: Ticks) -> SignInLimiter {
        SignInLimiter {
            rate,
            ticks,
            clients: Mutex::new(HashMap::new()),
            trusted_proxies: Vec::new(),
        }
    }

    /// The same limiter, taking the client's address from `X-Forwarded-For` when the peer is
    /// one of `proxies`.
    #[must_use]
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpAddr>) -> SignInLimiter {
        self.trusted_proxies = proxies;
        self
    }

    /// The client a request comes from: the TCP peer, or behind a trusted proxy the
    /// right-most forwarded address that is not a trusted proxy.
    pub(crate) fn client_of(&self, parts: &Parts) -> IpAddr {
        let peer = peer_of(&parts.extensions);
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let hops: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        for hop in hops.iter().rev().take(FORWARDED_HOPS_MAX) {
            match hop.trim().parse::<IpAddr>() {
                Ok(address) if self.trusted_proxies.contains(&address) => {}
                Ok(address) => return address,
                // Whatever stands left of a hop that does not parse was not written by a
                // trusted proxy: the proxy's own view is the best there is.
                Err(_) => return peer,
            }
        }
        peer
    }

    /// Takes a slot for an attempt from `client`, or refuses.
    pub fn admit(&self, client: IpAddr) -> Admission {
        let now = (self.ticks)();
        let key = client_key(client);
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if !clients.contains_key(&key) && clients.len() >= CLIENTS_MAX {
            self.make_room(&mut clients, now);
        }
        let window = clients.entry(key).or_insert(Window {
            started: now,
            attempts: 0,
            refusal_audited: false,
        });
        if now.saturating_duration_since(window.started) >= self.rate.window {
            *window = Window {
                started: now,
                attempts: 0,
                refusal_audited: false,
            };
        }
        if window.attempts < self.rate.attempts_max {
            window.attempts += 1;
            return Admission::Admitted(Ticket {
                client: key,
                window_started: window.started,
            });
        }
        let left = self
            .rate
            .window
            .saturating_sub(now.saturating_duration_since(window.started));
        let first = !window.refusal_audited;
        window.refusal_audited = true;
        Admission::Refused {
            retry_after_seconds: left.as_secs() + u64::from(left.subsec_nanos() > 0),
            first,
        }
    }

    /// Gives a successful sign-in's slot back, if its window is still the current one.
    pub fn succeeded(&self, ticket: Ticket) {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(window) = clients.get_mut(&ticket.client)
            && window.started == ticket.window_started
        {
            window.attempts = window.attempts.saturating_sub(1);
        }
    }

    /// Drops the expired windows, and if that frees nothing, the oldest one.
    fn make_room(&self, clients: &mut HashMap<IpAddr, Window>, now: Instant) {
        clients
            .retain(|_, window| now.saturating_duration_since(window.started) < self.rate.window);
        if clients.len() >= CLIENTS_MAX
            && let Some(oldest) = clients
                .iter()
                .min_by_key(|(_, window)| window.started)
                .map(|(client, _)| *client)
        {
            clients.remove(&oldest);
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// The address a window belongs to: IPv4 as it is (also when mapped into IPv6), IPv6 by its
/// /64 network; the same key as the application's per-login delays.
pub use shebao_app::access::sign_in_guard::client_key;

/// The TCP peer's address, as the server recorded it when it accepted the connection. A
/// router served without connection info (tests) puts every request under one address.
pub(crate) fn peer_of(extensions: &Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), |info| info.0.ip())
}

/// The client's address, for the sign-in handlers ([`SignInLimiter::client_of`]).
pub(crate) struct Peer(pub(crate) IpAddr);

impl FromRequestParts<Shared> for Peer {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Shared,
    ) -> Result<Self, Self::Rejection> {
        Ok(Peer(shared.sign_in_limiter.client_of(parts)))
    }
}

/// Admits a sign-in attempt from `peer` before any password is checked, or refuses it with
/// the seconds to wait. The window's first refusal goes to the audit trail as a refused
/// sign-in; the ones after it only to the log, so a flood cannot flood the trail.
pub(crate) async fn admit(shared: &Shared, peer: IpAddr) -> Result<Ticket, u64> {
    match shared.sign_in_limiter.admit(peer) {
        Admission::Admitted(ticket) => Ok(ticket),
        Admission::Refused {
            retry_after_seconds,
            first,
        } => {
            tracing::warn!(target: "shebao::http", %peer, retry_after_seconds, "sign-in attempts refused");
            if first {
                let client = peer.to_string();
                let audited = crate::extract::blocking(&shared.app, &shared.calls, move |app| {
                    app.audit_sign_in_throttled(&client)
                })
                .await;
                if !matches!(audited, Ok(Ok(()))) {
                    tracing::error!(target: "shebao::http", %peer, "could not audit refused sign-ins");
                }
            }
            Err(retry_after_seconds)
        }
    }
}

/// Sets `Retry-After` on a refused attempt's response.
pub(crate) fn with_retry_after(mut response: Response, retry_after_seconds: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// The API's answer to a refused attempt: 429 problem+json, code `too_many_requests`.
pub(crate) fn too_many_requests(retry_after_seconds: u64) -> Response {
    let problem = Problem::new(
        429,
        "too_many_requests",
        format!(
            "too many sign-in attempts from this address; try again in {retry_after_seconds} seconds"
        ),
    );
    with_retry_after(problem.into_response(), retry_after_seconds)
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    fn clock() -> (Ticks, Arc<AtomicU64>) {
        let start = Instant::now();
        let millis = Arc::new(AtomicU64::new(0));
        let read = Arc::clone(&millis);
        let ticks: Ticks =
            Arc::new(move || start + Duration::from_millis(read.load(Ordering::SeqCst)));
        (ticks, millis)
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, last))
    }

    fn limiter(attempts_max: u32) -> (SignInLimiter, Arc<AtomicU64>) {
        let (ticks, millis) = clock();
        let rate = SignInRate {
            attempts_max,
            window: Duration::from_secs(60),
        };
        (SignInLimiter::new(rate, ticks), millis)
    }

    #[test]
    fn the_attempt_after_the_limit_is_refused_until_the_window_ends() {
        let (limiter, millis) = limiter(3);
        for _ in 0..3 {
            assert!(matches!(limiter.admit(ip(1)), Admission::Admitted(_)));
        }
        millis.store(20_500, Ordering::SeqCst);
        assert_eq!(
            limiter.admit(ip(1)),
            Admission::Refused {
                retry_after_seconds: 40,
                first: true
            }
        );
        assert_eq!(
            limiter.admit(ip(1)),
            Admission::Refused {
                retry_after_seconds: 40,
                first: false
            }
        );
        assert!(matches!(limiter.admit(ip(2)), Admission::Admitted(_)));
        millis.store(60_000, Ordering::SeqCst);
        assert!(matches!(limiter.admit(ip(1)), Admission::Admitted(_)));
    }

    #[test]
    fn a_successful_sign_in_gives_its_slot_back() {
        let (limiter, _) = limiter(2);
        for _ in 0..5 {
            let Admission::Admitted(ticket) = limiter.admit(ip(1)) else {
                unreachable!("successful sign-ins never fill the window");
            };
            limiter.succeeded(ticket);
        }
        assert!(matches!(limiter.admit(ip(1)), Admission::Admitted(_)));
        assert!(matches!(limiter.admit(ip(1)), Admission::Admitted(_)));
        assert!(matches!(limiter.admit(ip(1)), Admission::Refused { .. }));
    }

    #[test]
    fn the_table_stays_bounded() {
        let (limiter, millis) = limiter(1);
        let many = u32::try_from(CLIENTS_MAX).unwrap_or(u32::MAX) + 50;
        for n in 0..many {
            millis.store(u64::from(n), Ordering::SeqCst);
            let address = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + n));
            assert!(matches!(limiter.admit(address), Admission::Admitted(_)));
        }
        assert!(limiter.tracked() <= CLIENTS_MAX);
        // The newest addresses keep their windows.
        let newest = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + many - 1));
        assert!(matches!(limiter.admit(newest), Admission::Refused { .. }));
        // Once their windows end, entries make room without evicting live ones.
        millis.store(u64::from(many) + 120_000, Ordering::SeqCst);
        assert!(matches!(limiter.admit(ip(9)), Admission::Admitted(_)));
        assert_eq!(limiter.tracked(), 1);
    }

    #[test]
    fn ipv6_clients_share_their_64_network() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap_or(ip(0));
        let same_network: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap_or(ip(0));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap_or(ip(0));
        assert_eq!(client_key(one), client_key(same_network));
        assert_ne!(
            client_key(one),
            client_key("2001:db8:1:3::1".parse().unwrap_or(ip(0)))
        );
        assert_eq!(client_key(mapped), ip(7));
    }

    #[test]
    fn rates_parse_strictly() {
        assert_eq!(SignInRate::default().to_string(), "30/60s");
        assert_eq!("30/60s".parse(), Ok(SignInRate::default()));
        assert_eq!("30/60".parse(), Ok(SignInRate::default()));
        for bad in [
            "", "30", "0/60", "30/0", "-1/60", "30/60m", "x/y", "30/86401",
        ] {
            assert!(bad.parse::<SignInRate>().is_err(), "{bad}");
        }
    }
}
