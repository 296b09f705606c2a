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

/// A name's blind index finds its persons (bounded, by id); set again, it moves; persons
/// without one are listed for indexing.
pub fn persons_are_found_by_the_blind_index_of_their_name(store: &Store) -> Outcome {
    seed_reference(store)?;
    let ids = |found: Vec<crate::records::PersonRecord>| -> Vec<String> {
        found.into_iter().map(|p| p.id.to_string()).collect()
    };
    let unindexed = store
        .read(|tx| tx.persons_without_name_index("", 10))
        .map_err(store_err)?;
    equal(ids(unindexed), vec!["p1".to_owned()], "before indexing")?;
    let past = store
        .read(|tx| tx.persons_without_name_index("p1", 10))
        .map_err(store_err)?;
    equal(ids(past), vec![], "after the last id")?;
    store
        .write(|tx| {
            for (id, index) in [("p2", "idx-2"), ("p3", "idx-3"), ("p4", "idx-4")] {
                tx.insert_person(&person(id, index))?;
            }
            for id in ["p1", "p2", "p3"] {
                tx.set_person_name_index(&PersonId::new(id), "name-a")?;
            }
            tx.set_person_name_index(&PersonId::new("p4"), "name-b")
        })
        .map_err(store_err)?;
    let two = store
        .read(|tx| tx.persons_by_name_index("name-a", 2))
        .map_err(store_err)?;
    equal(ids(two), vec!["p1".to_owned(), "p2".to_owned()], "limited")?;
    store
        .write(|tx| tx.set_person_name_index(&PersonId::new("p1"), "name-b"))
        .map_err(store_err)?;
    let moved = store
        .read(|tx| {
            Ok((
                tx.persons_by_name_index("name-a", 10)?,
                tx.persons_by_name_index("name-b", 10)?,
                tx.persons_by_name_index("name-c", 10)?,
                tx.persons_without_name_index("", 10)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        (ids(moved.0), ids(moved.1), ids(moved.2), ids(moved.3)),
        (
            vec!["p2".to_owned(), "p3".to_owned()],
            vec!["p1".to_owned(), "p4".to_owned()],
            vec![],
            vec![],
        ),
        "after a correction",
    )
}
