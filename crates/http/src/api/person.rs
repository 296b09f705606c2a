//! Persons: the registry and identity.

use shebao_app::person::{Lookup, NewPerson, PersonCorrection, Reason};
use shebao_app::views::PersonView;
use shebao_domain::access::Operation as Permission;

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Access, Entry, In, Operation, Spec, entry};
use crate::Shared;
use crate::problem::Problem;

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

/// Register a person from the citizen ID number.
pub(crate) struct RegisterPerson;

impl Operation for RegisterPerson {
    const SPEC: Spec = Spec::post(
        "register_person",
        "/api/v1/persons",
        "persons",
        "Register a person from the citizen ID number",
    )
    .errors(with_identity_errors!["conflict", "too_many_lookups"]);
    const ACCESS: Access = Access::Needs(Permission::RegisterPerson);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<NewPerson>;
    type Answer = Json<PersonView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let person = shared.app.register_person(&actor, &input.key, input.body)?;
        Ok(Json(person))
    }
}

/// Find a person by ID number.
pub(crate) struct FindPerson;

impl Operation for FindPerson {
    const SPEC: Spec = Spec::post(
        "find_person",
        "/api/v1/persons/lookup",
        "persons",
        "Find a person by ID number (kept out of URLs and logs); audited hit or miss, limited per actor (429 too_many_lookups)",
    )
    .not_changing()
    .looks_up_citizen_ids()
    .errors(with_identity_errors!["too_many_lookups"]);
    const ACCESS: Access = Access::Needs(Permission::ReadPerson);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<Lookup>;
    type Answer = Json<PersonView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let person = shared
            .app
            .find_person(input.actor()?, &input.body.citizen_id)?;
        Ok(Json(person))
    }
}

/// A person, masked.
pub(crate) struct GetPerson;

impl Operation for GetPerson {
    const SPEC: Spec = Spec::get(
        "get_person",
        "/api/v1/persons/{person}",
        "persons",
        "A person, masked",
    );
    const ACCESS: Access = Access::Needs(Permission::ReadPerson);
    type Path = (String,);
    type Query = NoQuery;
    type Body = NoBody;
    type Answer = Json<PersonView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Json(shared.app.person(input.actor()?, &input.path.0)?))
    }
}

/// Correct a person's record, with a reason.
pub(crate) struct CorrectPerson;

impl Operation for CorrectPerson {
    const SPEC: Spec = Spec::post(
        "correct_person",
        "/api/v1/persons/{person}/corrections",
        "persons",
        "Correct a person's record, with a reason; audited",
    )
    .errors(with_identity_errors!["conflict", "too_many_lookups"]);
    const ACCESS: Access = Access::Needs(Permission::CorrectPerson);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<PersonCorrection>;
    type Answer = Json<PersonView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let person = shared
            .app
            .correct_person(&actor, &input.key, &input.path.0, input.body)?;
        Ok(Json(person))
    }
}

/// Show a person in clear, with a reason.
pub(crate) struct UnmaskPerson;

impl Operation for UnmaskPerson {
    const SPEC: Spec = Spec::post(
        "unmask_person",
        "/api/v1/persons/{person}/unmask",
        "persons",
        "Show a person in clear, with a reason; audited",
    )
    .not_changing();
    const ACCESS: Access = Access::Needs(Permission::UnmaskPerson);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<Reason>;
    type Answer = Json<PersonView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let person = shared
            .app
            .unmask_person(input.actor()?, &input.path.0, &input.body.reason)?;
        Ok(Json(person))
    }
}
