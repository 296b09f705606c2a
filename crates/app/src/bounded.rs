//! Bounded tables in memory (failed sign-ins, look-ups per actor): the one rule that keeps
//! them bounded when full — forgotten entries go first, then the oldest.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// Makes room in `table` for `key` if it is new and the table holds `max` entries: drops
/// the entries `forgotten` says are stale, and if that frees nothing, the one whose `age`
/// is least (the oldest).
pub fn make_room_for<K, Q, V, A>(
    table: &mut HashMap<K, V>,
    key: &Q,
    max: usize,
    forgotten: impl Fn(&V) -> bool,
    age: impl Fn(&V) -> A,
) where
    K: Borrow<Q> + Clone + Eq + Hash,
    Q: Eq + Hash + ?Sized,
    A: Ord,
{
    if table.contains_key(key) || table.len() < max {
        return;
    }
    table.retain(|_, entry| !forgotten(entry));
    if table.len() >= max
        && let Some(oldest) = table
            .iter()
            .min_by_key(|(_, entry)| age(entry))
            .map(|(key, _)| key.clone())
    {
        table.remove::<K>(&oldest);
    }
}

/// The most a configured rate may allow per window, and its longest window (a day).
pub const RATE_COUNT_MAX: u32 = 100_000;
pub const RATE_WINDOW_SECONDS_MAX: u64 = 86_400;

/// A rate as an operator writes it, `COUNT/SECONDS` (`60/3600s` or `60/3600`): the count
/// within 1 to [`RATE_COUNT_MAX`] and the seconds within 1 to [`RATE_WINDOW_SECONDS_MAX`],
/// or what to write instead, naming what is counted (`what`, e.g. `sign-in attempts`) and
/// giving an `example`.
pub fn parse_rate(text: &str, what: &str, example: &str) -> Result<(u32, u64), String> {
    let parsed = text.trim().split_once('/').and_then(|(count, seconds)| {
        let seconds = seconds.strip_suffix('s').unwrap_or(seconds);
        Some((count.parse::<u32>().ok()?, seconds.parse::<u64>().ok()?))
    });
    parsed
        .filter(|(count, seconds)| {
            (1..=RATE_COUNT_MAX).contains(count) && (1..=RATE_WINDOW_SECONDS_MAX).contains(seconds)
        })
        .ok_or_else(|| {
            format!(
                "rate of {what} {text:?}: write COUNT/SECONDS, e.g. {example} \
                 (1 to {RATE_COUNT_MAX} {what}, 1 to {RATE_WINDOW_SECONDS_MAX} seconds)"
            )
        })
}
