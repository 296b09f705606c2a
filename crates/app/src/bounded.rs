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
