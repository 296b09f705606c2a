//! The registry: persons, found by id or by the blind index of their ID number.

use shebao_domain::ids::PersonId;

use super::{Tx, accessors};
use crate::codec::{Cols, placeholders, table};
use crate::records::PersonRecord;
use crate::{StoreError, Val};

table! {
    /// The columns of a person.
    mod persons: PersonRecord {
        id, citizen_index, citizen_cipher, name_cipher, phone_cipher, gender, birth_date,
        nationality, household_region, household_kind, registered_at, version,
    }
}

/// Blind indexes looked up per statement: far below both databases' limits on bound
/// parameters.
const INDEXES_PER_QUERY: usize = 500;

impl Tx<'_> {
    accessors! {
        /// Registers a person; a second person with the same ID number is a conflict.
        pub fn insert_person(person: &PersonRecord) = insert_new_version;
        pub fn person(id: &PersonId) -> Option<PersonRecord> = "WHERE id = $1";
        pub fn person_by_citizen_index(index: &str) -> Option<PersonRecord>
            = "WHERE citizen_index = $1";
    }

    /// Saves a corrected person over `person.version`; the stored version goes up by one.
    pub fn update_person(&mut self, person: &PersonRecord) -> Result<(), StoreError> {
        self.exec_versioned(
            "person",
            "UPDATE persons SET citizen_index = $2, citizen_cipher = $3, name_cipher = $4, phone_cipher = $5, \
             gender = $6, birth_date = $7, nationality = $8, household_region = $9, household_kind = $10, \
             version = version + 1 WHERE id = $1 AND version = $11",
            &[
                person.id.as_str().into(),
                person.citizen_index.as_str().into(),
                person.citizen_cipher.as_str().into(),
                person.name_cipher.as_str().into(),
                person.phone_cipher.clone().into(),
                person.gender.as_str().into(),
                person.birth_date.to_string().into(),
                person.nationality.as_str().into(),
                person.household_region.as_str().into(),
                person.household_kind.as_str().into(),
                person.version.into(),
            ],
        )
    }

    /// Persons by the blind indexes of their ID numbers, as (index, id) pairs.
    pub fn persons_by_citizen_indexes(
        &mut self,
        indexes: &[String],
    ) -> Result<Vec<(String, PersonId)>, StoreError> {
        let mut found = Vec::with_capacity(indexes.len());
        for chunk in indexes.chunks(INDEXES_PER_QUERY) {
            let sql = format!(
                "SELECT citizen_index, id FROM persons WHERE citizen_index IN ({})",
                placeholders(0, chunk.len())
            );
            let params: Vec<Val> = chunk.iter().map(|i| Val::from(i.as_str())).collect();
            found.extend(self.all(&sql, &params, |row| {
                let c = Cols::new(row, "persons");
                Ok((c.text(0)?, PersonId::new(c.text(1)?)))
            })?);
        }
        Ok(found)
    }

    /// Sets the blind index of a person's name (at registration, and when the name is
    /// corrected).
    pub fn set_person_name_index(
        &mut self,
        person: &PersonId,
        index: &str,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO person_names (person_id, name_index) VALUES ($1, $2) \
             ON CONFLICT (person_id) DO UPDATE SET name_index = excluded.name_index",
            &[person.as_str().into(), index.into()],
        )
    }

    /// The persons whose name has the blind index `index`, at most `limit`, by id.
    pub fn persons_by_name_index(
        &mut self,
        index: &str,
        limit: i64,
    ) -> Result<Vec<PersonRecord>, StoreError> {
        self.find_all(
            "WHERE id IN (SELECT person_id FROM person_names WHERE name_index = $1) \
             ORDER BY id LIMIT $2",
            &[index.into(), limit.into()],
        )
    }

    /// Persons after id `after` ("" for the first) whose name has no blind index yet
    /// (registered before the index existed), at most `limit`, by id: paged by key, so a
    /// walk through the registry reads each person once.
    pub fn persons_without_name_index(
        &mut self,
        after: &str,
        limit: i64,
    ) -> Result<Vec<PersonRecord>, StoreError> {
        self.find_all(
            "WHERE id > $1 AND NOT EXISTS \
             (SELECT 1 FROM person_names n WHERE n.person_id = persons.id) ORDER BY id LIMIT $2",
            &[after.into(), limit.into()],
        )
    }
}
