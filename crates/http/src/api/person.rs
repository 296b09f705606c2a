//! Persons: the registry and identity.

use shebao_app::person::{Lookup, NewPerson, PersonCorrection, Reason};
use shebao_app::views::PersonView;

use super::kinds::{Json, JsonBody, NoQuery};
use super::{Entry, In, codes, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(RegisterPerson),
    entry(FindPerson),
    entry(GetPerson),
    entry(CorrectPerson),
    entry(UnmaskPerson),
];

const TAG: &str = "persons";

operations! {
    tag: TAG;

    /// Register a person from the citizen ID number
    RegisterPerson: post "register_person" "/api/v1/persons"
        .errors(codes!["conflict", "too_many_lookups", identity]) {
        Needs(RegisterPerson): register_person(key, body: NewPerson) -> Json<PersonView>
    }

    /// Find a person by ID number (kept out of URLs and logs); audited hit or miss, limited per
    /// actor (429 too_many_lookups)
    FindPerson: post "find_person" "/api/v1/persons/lookup"
        .not_changing()
        .looks_up_citizen_ids()
        .errors(codes!["too_many_lookups", identity]) {
        access: Needs(ReadPerson),
        types: (), NoQuery, JsonBody<Lookup> => Json<PersonView>,
        call: |app, actor, In { body, .. }| Json(app.find_person(actor, &body.citizen_id)?),
    }

    /// A person, masked
    GetPerson: get "get_person" "/api/v1/persons/{person}" {
        Needs(ReadPerson): person(person) -> Json<PersonView>
    }

    /// Correct a person's record, with a reason; audited
    CorrectPerson: post "correct_person" "/api/v1/persons/{person}/corrections"
        .errors(codes!["conflict", "too_many_lookups", identity]) {
        Needs(CorrectPerson): correct_person(key, person, body: PersonCorrection)
            -> Json<PersonView>
    }

    /// Show a person in clear, with a reason; audited
    UnmaskPerson: post "unmask_person" "/api/v1/persons/{person}/unmask" .not_changing() {
        access: Needs(UnmaskPerson),
        types: (String,), NoQuery, JsonBody<Reason> => Json<PersonView>,
        call: |app, actor, In { path: (person,), body, .. }| {
            Json(app.unmask_person(actor, &person, &body.reason)?)
        },
    }
}
