//! Persons: the registry and identity.

use shebao_app::person::{Lookup, NewPerson, PersonCorrection, Reason};
use shebao_app::views::PersonView;
use shebao_domain::access::Operation as Permission;

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Access, Entry, In, Spec, entry, operation};

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

operation! {
    /// Register a person from the citizen ID number.
    RegisterPerson {
        spec: Spec::post(
            "register_person",
            "/api/v1/persons",
            TAG,
            "Register a person from the citizen ID number",
        )
        .errors(with_identity_errors!["conflict", "too_many_lookups"]),
        access: Access::Needs(Permission::RegisterPerson),
        types: (), NoQuery, JsonBody<NewPerson> => Json<PersonView>,
        call: |app, actor, In { key, body, .. }| Json(app.register_person(actor, &key, body)?),
    }
}

operation! {
    /// Find a person by ID number.
    FindPerson {
        spec: Spec::post(
            "find_person",
            "/api/v1/persons/lookup",
            TAG,
            "Find a person by ID number (kept out of URLs and logs); audited hit or miss, limited per actor (429 too_many_lookups)",
        )
        .not_changing()
        .looks_up_citizen_ids()
        .errors(with_identity_errors!["too_many_lookups"]),
        access: Access::Needs(Permission::ReadPerson),
        types: (), NoQuery, JsonBody<Lookup> => Json<PersonView>,
        call: |app, actor, In { body, .. }| Json(app.find_person(actor, &body.citizen_id)?),
    }
}

operation! {
    /// A person, masked.
    GetPerson {
        spec: Spec::get("get_person", "/api/v1/persons/{person}", TAG, "A person, masked"),
        access: Access::Needs(Permission::ReadPerson),
        types: (String,), NoQuery, NoBody => Json<PersonView>,
        call: |app, actor, In { path: (person,), .. }| Json(app.person(actor, &person)?),
    }
}

operation! {
    /// Correct a person's record, with a reason.
    CorrectPerson {
        spec: Spec::post(
            "correct_person",
            "/api/v1/persons/{person}/corrections",
            TAG,
            "Correct a person's record, with a reason; audited",
        )
        .errors(with_identity_errors!["conflict", "too_many_lookups"]),
        access: Access::Needs(Permission::CorrectPerson),
        types: (String,), NoQuery, JsonBody<PersonCorrection> => Json<PersonView>,
        call: |app, actor, In { key, path: (person,), body, .. }| {
            Json(app.correct_person(actor, &key, &person, body)?)
        },
    }
}

operation! {
    /// Show a person in clear, with a reason.
    UnmaskPerson {
        spec: Spec::post(
            "unmask_person",
            "/api/v1/persons/{person}/unmask",
            TAG,
            "Show a person in clear, with a reason; audited",
        )
        .not_changing(),
        access: Access::Needs(Permission::UnmaskPerson),
        types: (String,), NoQuery, JsonBody<Reason> => Json<PersonView>,
        call: |app, actor, In { path: (person,), body, .. }| {
            Json(app.unmask_person(actor, &person, &body.reason)?)
        },
    }
}
