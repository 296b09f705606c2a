//! Progressive delays on failed sign-ins, per (login, client address) pair (issue 13,
//! finding 7). The old per-account lockout let anyone lock a holder out with five wrong
//! passwords for the holder's ID number. Here a wrong password slows down only the pair it
//! came from: after [`PAIR_FREE_FAILURES`] failures the pair waits
//! [`PAIR_DELAY_FIRST_SECONDS`], doubling with every further failure up to
//! [`PAIR_DELAY_MAX_SECONDS`]. The holder signing in from another address is never refused
//! because of it.
//!
//! Guessing one login from many addresses (credential stuffing, a botnet) is met by a
//! per-login window: once [`ACCOUNT_ATTACK_FAILURES`] failures for one login arrive from all
//! addresses within [`ACCOUNT_WINDOW_SECONDS`], the login is "under attack" and every pair
//! waits [`PAIR_DELAY_MAX_SECONDS`] after its first failure instead of its fifth. This too
//! only ever delays a pair that has itself failed: the right password from an address that
//! has not failed still signs in, so an attacker cannot refuse the holder; and each address
//! gets one guess per [`PAIR_DELAY_MAX_SECONDS`] at that login.
//!
//! A login is keyed by the user's id where the login exists and by the name as typed where it
//! does not, both through a keyed hash (no ID number is held in clear); unknown names are
//! delayed exactly like known ones, so a delay tells nothing about existence. Both tables are
//! bounded ([`PAIRS_MAX`], [`ACCOUNTS_MAX`]): when full, forgotten entries go first, then the
//! oldest. The address is keyed like the per-address limit of the HTTP layer: IPv4 as it is,
//! IPv6 by its /64.

use crate::bounded::make_room_for;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Mutex, PoisonError};

use shebao_domain::time::Timestamp;

/// Failures a pair may make before it has to wait.
pub const PAIR_FREE_FAILURES: u32 = 5;
/// The first wait, after the last free failure; it doubles with every further failure.
pub const PAIR_DELAY_FIRST_SECONDS: i64 = 30;
/// The longest wait (also the wait of every pair once the login is under attack).
pub const PAIR_DELAY_MAX_SECONDS: i64 = 15 * 60;
/// A pair with no failure for this long is forgotten (its count starts again).
pub const PAIR_MEMORY_SECONDS: i64 = 3600;
/// The window in which failures for one login from all addresses are counted.
pub const ACCOUNT_WINDOW_SECONDS: i64 = 3600;
/// Failures for one login within the window from which it counts as under attack.
pub const ACCOUNT_ATTACK_FAILURES: u32 = 50;
/// Most (login, address) pairs tracked at once (about 150 bytes each).
pub const PAIRS_MAX: usize = 20_000;
/// Most logins whose failures are counted at once.
pub const ACCOUNTS_MAX: usize = 10_000;

/// One (login, address) pair's failures.
#[derive(Debug, Clone, Copy)]
struct Pair {
    failures: u32,
    last_failure_at: Timestamp,
    waits_until: Timestamp,
    /// Whether the current wait's first refusal went to the audit trail.
    refusal_audited: bool,
}

/// One login's failures from all addresses in the current window.
#[derive(Debug, Clone, Copy)]
struct AccountWindow {
    started: Timestamp,
    failures: u32,
}

#[derive(Default)]
struct Tables {
    pairs: HashMap<(String, IpAddr), Pair>,
    accounts: HashMap<String, AccountWindow>,
}

/// The answer to an attempt, before any password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    /// This pair must wait; `first` is the wait's first refusal (the one audited).
    Wait {
        retry_after_seconds: i64,
        first: bool,
    },
}

/// The table the application keeps for sign-ins (one per process).
#[derive(Default)]
pub struct SignInGuard {
    tables: Mutex<Tables>,
}

impl SignInGuard {
    /// Whether an attempt at `login` from `client` may go ahead now.
    pub fn check(&self, login: &str, client: IpAddr, now: Timestamp) -> Verdict {
        let mut tables = self.lock();
        let Some(pair) = tables
            .pairs
            .get_mut(&(login.to_owned(), client_key(client)))
        else {
            return Verdict::Go;
        };
        let left = pair.waits_until.unix_seconds() - now.unix_seconds();
        if left <= 0 {
            return Verdict::Go;
        }
        let first = !pair.refusal_audited;
        pair.refusal_audited = true;
        Verdict::Wait {
            retry_after_seconds: left,
            first,
        }
    }

    /// Counts a failed attempt; returns the wait it imposes on the pair, if any.
    pub fn failed(&self, login: &str, client: IpAddr, now: Timestamp) -> Option<i64> {
        let mut tables = self.lock();
        let under_attack = count_account_failure(&mut tables.accounts, login, now);
        let key = (login.to_owned(), client_key(client));
        make_room_for(
            &mut tables.pairs,
            &key,
            PAIRS_MAX,
            |pair| {
                now.unix_seconds() - pair.last_failure_at.unix_seconds() >= PAIR_MEMORY_SECONDS
                    && pair.waits_until <= now
            },
            |pair| pair.last_failure_at,
        );
        let pair = tables.pairs.entry(key).or_insert(Pair {
            failures: 0,
            last_failure_at: now,
            waits_until: now,
            refusal_audited: false,
        });
        if now.unix_seconds() - pair.last_failure_at.unix_seconds() >= PAIR_MEMORY_SECONDS {
            pair.failures = 0;
        }
        pair.failures = pair.failures.saturating_add(1);
        pair.last_failure_at = now;
        let wait = if under_attack {
            Some(PAIR_DELAY_MAX_SECONDS)
        } else {
            pair.failures
                .checked_sub(PAIR_FREE_FAILURES)
                .map(delay_after)
        };
        if let Some(seconds) = wait {
            pair.waits_until = now.add_seconds(seconds);
            pair.refusal_audited = false;
        }
        wait
    }

    /// Where a pair stands: the failures it may still make before it has to wait, and the
    /// seconds of a wait it is in (0: none).
    pub fn standing(&self, login: &str, client: IpAddr, now: Timestamp) -> (u32, i64) {
        let tables = self.lock();
        match tables.pairs.get(&(login.to_owned(), client_key(client))) {
            Some(pair) => {
                let forgotten =
                    now.unix_seconds() - pair.last_failure_at.unix_seconds() >= PAIR_MEMORY_SECONDS;
                let failures = if forgotten { 0 } else { pair.failures };
                let wait = (pair.waits_until.unix_seconds() - now.unix_seconds()).max(0);
                (PAIR_FREE_FAILURES.saturating_sub(failures), wait)
            }
            None => (PAIR_FREE_FAILURES, 0),
        }
    }

    /// A successful sign-in forgets its pair's failures (not the login's window: an attack
    /// on the login goes on whatever its holder does).
    pub fn succeeded(&self, login: &str, client: IpAddr) {
        self.lock()
            .pairs
            .remove(&(login.to_owned(), client_key(client)));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many pairs and logins are tracked, for tests of the bounds.
    pub fn tracked(&self) -> (usize, usize) {
        let tables = self.lock();
        (tables.pairs.len(), tables.accounts.len())
    }
}

/// The wait after the `beyond`-th failure past the free ones: 30 s, 60 s, 120 s, … ≤ 15 min.
fn delay_after(beyond: u32) -> i64 {
    let doubling = 1i64 << beyond.min(16);
    PAIR_DELAY_FIRST_SECONDS
        .saturating_mul(doubling)
        .min(PAIR_DELAY_MAX_SECONDS)
}

/// Counts a failure for `login` from any address; returns whether the login is under attack.
fn count_account_failure(
    accounts: &mut HashMap<String, AccountWindow>,
    login: &str,
    now: Timestamp,
) -> bool {
    make_room_for(
        accounts,
        login,
        ACCOUNTS_MAX,
        |window| now.unix_seconds() - window.started.unix_seconds() >= ACCOUNT_WINDOW_SECONDS,
        |window| window.started,
    );
    let window = accounts.entry(login.to_owned()).or_insert(AccountWindow {
        started: now,
        failures: 0,
    });
    if now.unix_seconds() - window.started.unix_seconds() >= ACCOUNT_WINDOW_SECONDS {
        *window = AccountWindow {
            started: now,
            failures: 0,
        };
    }
    window.failures = window.failures.saturating_add(1);
    window.failures >= ACCOUNT_ATTACK_FAILURES
}

/// The address a pair belongs to: IPv4 as it is (also when mapped into IPv6), IPv6 by its
/// /64 network, since one subscriber usually holds a whole /64.
pub fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(network))
            }
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, last))
    }

    const T0: Timestamp = Timestamp::from_unix_seconds(1_700_000_000);

    #[test]
    fn a_pair_waits_only_after_its_free_failures_and_the_wait_doubles_up_to_the_cap() {
        let guard = SignInGuard::default();
        for _ in 0..PAIR_FREE_FAILURES - 1 {
            assert_eq!(guard.failed("u", ip(1), T0), None);
        }
        assert_eq!(guard.failed("u", ip(1), T0), Some(PAIR_DELAY_FIRST_SECONDS));
        assert_eq!(
            guard.check("u", ip(1), T0.add_seconds(10)),
            Verdict::Wait {
                retry_after_seconds: 20,
                first: true
            }
        );
        assert_eq!(
            guard.check("u", ip(1), T0.add_seconds(11)),
            Verdict::Wait {
                retry_after_seconds: 19,
                first: false
            }
        );
        // Issue 13, finding 7: another address is not delayed by this pair's failures.
        assert_eq!(guard.check("u", ip(2), T0), Verdict::Go);
        assert_eq!(guard.check("u", ip(1), T0.add_seconds(30)), Verdict::Go);
        assert_eq!(guard.failed("u", ip(1), T0.add_seconds(30)), Some(60));
        let mut at = T0.add_seconds(100);
        let mut last = 0;
        for _ in 0..10 {
            last = guard.failed("u", ip(1), at).unwrap();
            at = at.add_seconds(last);
        }
        assert_eq!(last, PAIR_DELAY_MAX_SECONDS);
    }

    #[test]
    fn a_login_under_attack_from_many_addresses_delays_each_after_one_failure_but_not_a_clean_address()
     {
        let guard = SignInGuard::default();
        for n in 0..ACCOUNT_ATTACK_FAILURES - 1 {
            let address = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + n));
            assert_eq!(guard.failed("holder", address, T0), None);
        }
        let next = IpAddr::V4(Ipv4Addr::from(0x0b00_0000));
        assert_eq!(
            guard.failed("holder", next, T0),
            Some(PAIR_DELAY_MAX_SECONDS)
        );
        assert_eq!(guard.check("holder", ip(200), T0), Verdict::Go);
        // The window ends, and with it the attack state.
        let later = T0.add_seconds(ACCOUNT_WINDOW_SECONDS);
        assert_eq!(guard.failed("holder", ip(201), later), None);
    }

    #[test]
    fn a_success_forgets_its_pair() {
        let guard = SignInGuard::default();
        for _ in 0..PAIR_FREE_FAILURES - 1 {
            guard.failed("u", ip(1), T0);
        }
        guard.succeeded("u", ip(1));
        assert_eq!(guard.failed("u", ip(1), T0), None);
    }

    #[test]
    fn the_tables_stay_bounded() {
        let guard = SignInGuard::default();
        let many = u32::try_from(PAIRS_MAX).unwrap() + 50;
        for n in 0..many {
            let at = T0.add_seconds(i64::from(n));
            guard.failed(
                &format!("name-{}", n % 5000),
                IpAddr::V4(Ipv4Addr::from(n)),
                at,
            );
        }
        let (pairs, accounts) = guard.tracked();
        assert!(pairs <= PAIRS_MAX, "{pairs}");
        assert!(accounts <= ACCOUNTS_MAX, "{accounts}");
    }

    #[test]
    fn ipv6_clients_share_their_64_network() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let same: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(client_key(one), client_key(same));
        assert_eq!(client_key("::ffff:192.0.2.7".parse().unwrap()), ip(7));
    }
}
