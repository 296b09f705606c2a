//! Who is insured where: a region's contribution parameters, employers, enrolment, its end
//! and the transfer of the insured place.

use shebao_app::insurance::{
    ContributionParametersBody, EmployerView, EnrolmentEnd, EnrolmentView,
    NewContributionParameters, NewEmployer, NewEnrolment, PlaceTransfer,
};
use shebao_domain::access::Operation as Permission;

use super::operation;
use crate::api::kinds::{JsonBody, NoBody, NoQuery};
use crate::api::{Access, Spec};

operation! {
    /// Add a version of a region's contribution parameters.
    AddContributionParameters: Spec::post(
        "add_contribution_parameters",
        "/api/v1/regions/{region}/contribution-parameters",
        "insurance",
        "Add a version of a region's contribution parameters (average wage, band, rates)",
    )
    .errors(&["conflict"]), Access::Needs(Permission::ManageRegions);
    path (String,), query NoQuery, body JsonBody<NewContributionParameters>
        => Json<ContributionParametersBody>;
    signed |app, actor, input| {
        app.add_contribution_parameters(&actor, &input.key, &input.path.0, input.body)
    }
}

operation! {
    /// Register an insured unit.
    RegisterEmployer: Spec::post(
        "register_employer",
        "/api/v1/employers",
        "insurance",
        "Register an insured unit by its unified social credit code",
    )
    .errors(&[
        "invalid_length",
        "invalid_character",
        "check_character_mismatch",
        "invalid_format",
        "conflict",
    ]), Access::Needs(Permission::ManageEmployers);
    path (), query NoQuery, body JsonBody<NewEmployer> => Json<EmployerView>;
    signed |app, actor, input| app.register_employer(&actor, &input.key, input.body)
}

operation! {
    /// An insured unit.
    GetEmployer: Spec::get(
        "get_employer",
        "/api/v1/employers/{employer}",
        "insurance",
        "An insured unit",
    ), Access::Needs(Permission::ReadEmployer);
    path (String,), query NoQuery, body NoBody => Json<EmployerView>;
    signed |app, actor, input| app.employer(&actor, &input.path.0)
}

operation! {
    /// Enrol a person.
    Enrol: Spec::post(
        "enrol",
        "/api/v1/enrolments",
        "insurance",
        "Enrol a person through an employer or as a flexible worker",
    )
    .errors(&["conflict"]), Access::Needs(Permission::Enrol);
    path (), query NoQuery, body JsonBody<NewEnrolment> => Json<EnrolmentView>;
    signed |app, actor, input| app.enrol(&actor, &input.key, input.body)
}

operation! {
    /// End an enrolment.
    EndEnrolment: Spec::post(
        "end_enrolment",
        "/api/v1/enrolments/{enrolment}/end",
        "insurance",
        "End an enrolment with its last month",
    )
    .errors(&["conflict"]), Access::Needs(Permission::Enrol);
    path (String,), query NoQuery, body JsonBody<EnrolmentEnd> => Json<EnrolmentView>;
    signed |app, actor, input| app.end_enrolment(&actor, &input.key, &input.path.0, input.body)
}

operation! {
    /// Move the insured place.
    TransferInsuredPlace: Spec::post(
        "transfer_insured_place",
        "/api/v1/persons/{person}/insured-place-transfer",
        "insurance",
        "Move the insured place to another region or employer without a gap",
    )
    .errors(&["conflict"]), Access::Needs(Permission::Enrol);
    path (String,), query NoQuery, body JsonBody<PlaceTransfer> => Json<EnrolmentView>;
    signed |app, actor, input| {
        app.transfer_insured_place(&actor, &input.key, &input.path.0, input.body)
    }
}

operation! {
    /// A person's enrolments.
    ListEnrolments: Spec::get(
        "list_enrolments",
        "/api/v1/persons/{person}/enrolments",
        "insurance",
        "A person's enrolments",
    ), Access::Needs(Permission::ReadContributions);
    path (String,), query NoQuery, body NoBody => Json<Vec<EnrolmentView>>;
    signed |app, actor, input| app.enrolments(&actor, &input.path.0)
}
