//! The conformance suite every backend passes: the same stories, run against a fresh store
//! of each kind, one file per mission area. A backend's test file calls
//! [`crate::conformance_tests!`] with a function that makes a fresh store. Compiled only with
//! the `conformance` feature, which the backends' test targets enable.

use shebao_domain::card::{Card, CardKind, NewCard};
use shebao_domain::ids::{BankId, CardId, PersonId, RegionCode};
use shebao_domain::person::HouseholdKind;
use shebao_domain::person::identity::{CardIdentificationCode, CardNumber, Gender};
use shebao_domain::reference::region::RegionParameters;
use shebao_domain::time::{Date, Timestamp};

use crate::records::*;
use crate::{Store, StoreError, Tx};

mod access;
mod audit;
mod card;
mod distribution;
mod employment;
mod injury;
mod insurance;
mod money;
mod person;
mod production;
mod reference;
mod schema;
mod training;
mod unemployment;

pub use access::users_and_sessions_round_trip;
pub use audit::{
    a_purge_removes_old_records_and_leaves_verifiable_chains,
    audit_records_cannot_be_edited_or_deleted, idempotency_keys_keep_the_first_answer,
    the_audit_chain_verifies, the_audit_trail_is_searched_and_paged,
};
pub use card::{cards_round_trip, ecards_are_one_active_a_card_and_codes_used_once};
pub use employment::{
    applications_are_one_per_person_and_vacancy, vacancies_are_found_by_their_terms_once_published,
};
pub use injury::injury_cases_are_one_a_day_and_appraisals_one_open;
pub use insurance::{
    certificates_keep_their_document_and_list_newest_first,
    contribution_runs_page_through_the_insured, payment_orders_wait_until_settled,
};
pub use money::{
    approval_requests_are_decided_once_and_never_by_their_maker, the_ledger_balances,
    writes_are_atomic_and_concurrent_writers_all_land,
};
pub use person::{
    persons_are_found_by_the_blind_index_of_their_name, persons_are_unique_and_versioned,
};
pub use production::production_gates_record_each_step_once_and_one_key_is_active;
pub use reference::{region_parameters_are_versioned, the_catalogue_is_searched_by_code_or_name};
pub use schema::migrations_differ;
pub use training::training_enrolments_are_one_a_course_and_attendance_one_a_day;
pub use unemployment::{
    maternity_claims_are_one_a_day_unless_refused, unemployment_spells_are_one_open_per_person,
};

/// A failed expectation, with what was expected.
pub type Outcome = Result<(), String>;

pub(crate) fn check(condition: bool, what: &str) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(what.to_owned())
    }
}

/// Fails unless `outcome` is a conflict: a uniqueness rule or a version check refused it.
pub(crate) fn conflict<T>(outcome: Result<T, StoreError>, what: &str) -> Outcome {
    check(matches!(outcome, Err(StoreError::Conflict { .. })), what)
}

/// Writes `first` with `write`, which must succeed, then `second` with it in a transaction
/// of its own, and answers what the second write did (a story then checks it is refused).
pub(crate) fn second_write<R, T>(
    store: &Store,
    [first, second]: [R; 2],
    write: fn(&mut Tx<'_>, &R) -> Result<T, StoreError>,
) -> Result<Result<T, StoreError>, String>
where
    R: Send + 'static,
    T: Send + 'static,
{
    store
        .write(move |tx| write(tx, &first))
        .map_err(store_err)?;
    Ok(store.write(move |tx| write(tx, &second)))
}

/// Runs `workers` threads at once, each making `writes` writes of `write(tx, worker, n)`;
/// waits for every thread, and the first failure (or a panic, as `panicked`) is the outcome.
pub(crate) fn write_concurrently<T: Send + 'static>(
    store: &Store,
    (workers, writes): (usize, usize),
    write: fn(&mut Tx<'_>, usize, usize) -> Result<T, StoreError>,
    panicked: &str,
) -> Outcome {
    let threads: Vec<_> = (0..workers)
        .map(|worker| {
            let store = store.clone();
            std::thread::spawn(move || -> Outcome {
                for n in 0..writes {
                    store
                        .write(move |tx| write(tx, worker, n))
                        .map_err(store_err)?;
                }
                Ok(())
            })
        })
        .collect();
    for handle in threads {
        handle.join().map_err(|_| panicked.to_owned())??;
    }
    Ok(())
}

pub(crate) fn equal<T: PartialEq + std::fmt::Debug>(left: T, right: T, what: &str) -> Outcome {
    if left == right {
        Ok(())
    } else {
        Err(format!("{what}: {left:?} != {right:?}"))
    }
}

pub(crate) fn store_err(error: StoreError) -> String {
    error.to_string()
}

pub(crate) const NOW: Timestamp = Timestamp::from_unix_seconds(1_767_225_600);

pub(crate) fn person(id: &str, index: &str) -> PersonRecord {
    PersonRecord {
        id: PersonId::new(id),
        citizen_index: index.into(),
        citizen_cipher: format!("k1:cipher-{index}"),
        name_cipher: "k1:name".into(),
        phone_cipher: None,
        gender: Gender::Female,
        birth_date: Date::new(1985, 6, 15).unwrap_or(Date::from_days_since_epoch(0)),
        nationality: "CHN".into(),
        household_region: RegionCode::new("310104"),
        household_kind: HouseholdKind::Urban,
        registered_at: NOW,
        version: 0,
    }
}

pub(crate) fn seed_reference(store: &Store) -> Outcome {
    store
        .write(|tx| {
            tx.insert_region(
                &RegionRecord {
                    code: RegionCode::new("330100"),
                    name: "Hangzhou".into(),
                },
                NOW,
            )?;
            tx.insert_bank(
                &BankRecord {
                    id: BankId::new("icbc"),
                    name: "ICBC".into(),
                    bin: "621700".into(),
                    numbers_from_bank: false,
                },
                NOW,
            )?;
            tx.insert_person(&person("p1", "idx-1"))
        })
        .map_err(store_err)
}

pub(crate) fn card(id: &str, serial: u32) -> Result<Card, String> {
    let new = NewCard {
        id: CardId::new(id),
        person_id: PersonId::new("p1"),
        kind: CardKind::Standard,
        region: RegionCode::new("330100"),
        bank_id: Some(BankId::new("icbc")),
        card_number: CardNumber::compose('A', serial).ok_or("card number")?,
        identification_code: CardIdentificationCode::compose("330100", u64::from(serial))
            .ok_or("code")?,
    };
    Card::apply(new, &[], NOW, RegionParameters::common().utc_offset()).map_err(|r| r.to_string())
}

/// Runs one statement that the schema must refuse, in its own transaction.
pub(crate) fn refused_by_schema(store: &Store, sql: &'static str, what: &str) -> Outcome {
    let outcome = store.write(move |tx| tx.execute_unchecked(sql, &[]));
    check(outcome.is_err(), &format!("{what} must be refused"))
}

/// Generates one `#[test]` per conformance case for a backend. `$fresh` is a function
/// returning a new, empty [`Store`].
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:path) => {
        $crate::conformance_tests!(@cases $fresh;
            region_parameters_are_versioned,
            the_catalogue_is_searched_by_code_or_name,
            persons_are_unique_and_versioned,
            persons_are_found_by_the_blind_index_of_their_name,
            cards_round_trip,
            ecards_are_one_active_a_card_and_codes_used_once,
            the_ledger_balances,
            writes_are_atomic_and_concurrent_writers_all_land,
            idempotency_keys_keep_the_first_answer,
            the_audit_chain_verifies,
            the_audit_trail_is_searched_and_paged,
            audit_records_cannot_be_edited_or_deleted,
            a_purge_removes_old_records_and_leaves_verifiable_chains,
            users_and_sessions_round_trip,
            contribution_runs_page_through_the_insured,
            payment_orders_wait_until_settled,
            certificates_keep_their_document_and_list_newest_first,
            approval_requests_are_decided_once_and_never_by_their_maker,
            vacancies_are_found_by_their_terms_once_published,
            applications_are_one_per_person_and_vacancy,
            unemployment_spells_are_one_open_per_person,
            maternity_claims_are_one_a_day_unless_refused,
            injury_cases_are_one_a_day_and_appraisals_one_open,
            training_enrolments_are_one_a_course_and_attendance_one_a_day,
            production_gates_record_each_step_once_and_one_key_is_active
        );
    };
    (@cases $fresh:path; $($case:ident),*) => {
        $(
            #[test]
            #[allow(clippy::panic, reason = "a failed conformance case fails its test")]
            fn $case() {
                let store = $fresh();
                if let Err(failure) = $crate::conformance::$case(&store) {
                    panic!("{}: {failure}", stringify!($case));
                }
            }
        )*
    };
}
