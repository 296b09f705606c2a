//! The per-actor limit on look-ups by ID number (issue 13, finding 3). A masked view leaves
//! at least 10^6 candidates for a person's ID number; a look-up confirms or rules out one
//! candidate, so without a limit a role could still narrow the candidates by asking. At
//! the default 60 look-ups an hour, 10^6 candidates take about 1,900 years.
//!
//! A fixed window per actor (user id): at most `lookups_max` look-ups in each window, each
//! taking its slot when it starts, hit or miss. The table is capped at [`ACTORS_MAX`] actors;
//! when it is full, expired windows go first, then the oldest. Only signed-in staff reach
//! it, so an actor evicted early is one of 10,000 others looking up within the hour.

use crate::bounded::{make_room_for, parse_rate};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};

use shebao_domain::time::Timestamp;

/// Most actors tracked at once: bounds the table's memory.
pub const ACTORS_MAX: usize = 10_000;

/// How many look-ups by ID number one actor may make per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupRate {
    pub lookups_max: u32,
    pub window_seconds: i64,
}

impl Default for LookupRate {
    /// 60 an hour: one a minute is more than a counter serves by typed ID number (cards and
    /// electronic-card tokens identify most people), far fewer than narrowing 10^6
    /// candidates needs.
    fn default() -> Self {
        LookupRate {
            lookups_max: 60,
            window_seconds: 3_600,
        }
    }
}

impl fmt::Display for LookupRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}s", self.lookups_max, self.window_seconds)
    }
}

impl FromStr for LookupRate {
    type Err = String;

    /// `LOOKUPS/SECONDS`, e.g. `60/3600s` or `60/3600`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (lookups_max, seconds) = parse_rate(text, "look-ups", "60/3600s")?;
        Ok(LookupRate {
            lookups_max,
            window_seconds: i64::try_from(seconds).map_err(|e| e.to_string())?,
        })
    }
}

/// One actor's current window.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: i64,
    lookups: u32,
}

/// The table the application's look-ups share.
#[derive(Debug)]
pub(crate) struct LookupLimiter {
    rate: LookupRate,
    actors: Mutex<HashMap<String, Window>>,
}

impl LookupLimiter {
    pub(crate) fn new(rate: LookupRate) -> LookupLimiter {
        LookupLimiter {
            rate,
            actors: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a slot for one look-up by `actor` at `now`, or says after how many seconds
    /// the actor's window ends.
    pub(crate) fn admit(&self, actor: &str, now: Timestamp) -> Result<(), i64> {
        let now = now.unix_seconds();
        let window_seconds = self.rate.window_seconds;
        // A poisoned table is still a consistent table: every update below is one insert.
        let mut actors = self.actors.lock().unwrap_or_else(PoisonError::into_inner);
        make_room_for(
            &mut actors,
            actor,
            ACTORS_MAX,
            |w| now.saturating_sub(w.started) >= window_seconds,
            |w| w.started,
        );
        let window = actors.entry(actor.to_owned()).or_insert(Window {
            started: now,
            lookups: 0,
        });
        // A clock set back must not stretch a window past its length.
        if now.saturating_sub(window.started) >= window_seconds || now < window.started {
            *window = Window {
                started: now,
                lookups: 0,
            };
        }
        if window.lookups >= self.rate.lookups_max {
            return Err((window.started + window_seconds - now).max(1));
        }
        window.lookups += 1;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_unix_seconds(1_000_000 + seconds)
    }

    #[test]
    fn rates_parse_with_or_without_the_seconds_suffix_and_refuse_nonsense() {
        assert_eq!(
            "60/3600s".parse::<LookupRate>().unwrap(),
            LookupRate::default()
        );
        assert_eq!(
            "5/60".parse::<LookupRate>().unwrap(),
            LookupRate {
                lookups_max: 5,
                window_seconds: 60
            }
        );
        for bad in ["", "60", "0/60", "60/0", "x/60", "60/86401", "100001/60"] {
            assert!(bad.parse::<LookupRate>().is_err(), "{bad}");
        }
        assert_eq!(LookupRate::default().to_string(), "60/3600s");
    }

    #[test]
    fn an_actor_gets_its_rate_per_window_and_others_are_unaffected() {
        let limiter = LookupLimiter::new("2/100".parse().unwrap());
        assert_eq!(limiter.admit("a", at(0)), Ok(()));
        assert_eq!(limiter.admit("a", at(10)), Ok(()));
        assert_eq!(limiter.admit("a", at(40)), Err(60));
        assert_eq!(limiter.admit("b", at(40)), Ok(()));
        assert_eq!(limiter.admit("a", at(100)), Ok(()));
    }

    #[test]
    fn the_table_stays_bounded() {
        let limiter = LookupLimiter::new("1/100".parse().unwrap());
        for n in 0..ACTORS_MAX + 10 {
            assert_eq!(limiter.admit(&format!("actor-{n}"), at(0)), Ok(()));
        }
        let held = limiter.actors.lock().unwrap().len();
        assert_eq!(held, ACTORS_MAX);
    }
}
