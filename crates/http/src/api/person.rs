//! Persons: the registry and identity.

use shebao_app::person::{Lookup, NewPerson, PersonCorrection, Reason};
use shebao_app::views::PersonView;

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Entry, In, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(RegisterPerson),
    entry(FindPerson),
    entry(GetPerson),
    entry(CorrectPerson),
    entry(UnmaskPerson),
];

/// The problem codes `codes`, and those of an ID or card number that does not parse
/// (`shebao_domain::person::identity::IdentityError::code`).
macro_rules! with_identity_errors {
    ($($code:literal),* $(,)?) => {
        &[
            $($code,)*
            "invalid_length",
            "invalid_character",
            "check_character_mismatch",
            "invalid_birth_date",
            "birth_date_in_future",
            "unknown_province",
            "manual_review_required",
            "luhn_check_failed",
            "invalid_format",
        ]
    };
}
pub(crate) use with_identity_errors;

const TAG: &str = "persons";

operations! {
    tag: TAG;

    /// Register a person from the citizen ID number
    RegisterPerson: post "register_person" "/api/v1/persons"
        .errors(with_identity_errors!["conflict", "too_many_lookups"]) {
        access: Needs(RegisterPerson),
        types: (), NoQuery, JsonBody<NewPerson> => Json<PersonView>,
        call: Json(app.register_person(key, body)),
    }

    /// Find a person by ID number (kept out of URLs and logs); audited hit or miss, limited per
    /// actor (429 too_many_lookups)
    FindPerson: post "find_person" "/api/v1/persons/lookup"
        .not_changing()
        .looks_up_citizen_ids()
        .errors(with_identity_errors!["too_many_lookups"]) {
        access: Needs(ReadPerson),
        types: (), NoQuery, JsonBody<Lookup> => Json<PersonView>,
        call: |app, actor, In { body, .. }| Json(app.find_person(actor, &body.citizen_id)?),
    }

    /// A person, masked
    GetPerson: get "get_person" "/api/v1/persons/{person}" {
        access: Needs(ReadPerson),
        types: (String,), NoQuery, NoBody => Json<PersonView>,
        call: Json(app.person(person)),
    }

    /// Correct a person's record, with a reason; audited
    CorrectPerson: post "correct_person" "/api/v1/persons/{person}/corrections"
        .errors(with_identity_errors!["conflict", "too_many_lookups"]) {
        access: Needs(CorrectPerson),
        types: (String,), NoQuery, JsonBody<PersonCorrection> => Json<PersonView>,
        call: Json(app.correct_person(key, person, body)),
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
