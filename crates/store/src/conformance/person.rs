//! The registry: one person per ID number, saved over its version.

use shebao_domain::ids::PersonId;

use crate::Store;

use super::{Outcome, conflict, equal, person, second_write, seed_reference, store_err};

/// One person per ID number; a stale save is refused.
pub fn persons_are_unique_and_versioned(store: &Store) -> Outcome {
    seed_reference(store)?;
    let duplicate = store.write(|tx| tx.insert_person(&person("p2", "idx-1")));
    conflict(duplicate, "second person with the same ID number")?;
    let found = store
        .read(|tx| tx.person_by_citizen_index("idx-1"))
        .map_err(store_err)?;
    equal(
        found.map(|p| p.id),
        Some(PersonId::new("p1")),
        "look-up by blind index",
    )?;
    let mut corrected = person("p1", "idx-1");
    corrected.nationality = "HKG".into();
    let saved = corrected.clone();
    let stale = second_write(store, [saved, corrected], |tx, p| tx.update_person(p))?;
    conflict(stale, "a save over an old version")?;
    let reread = store
        .read(|tx| tx.person(&PersonId::new("p1")))
        .map_err(store_err)?
        .ok_or("person")?;
    equal(
        (reread.nationality.as_str(), reread.version),
        ("HKG", 1),
        "corrected person",
    )
}
