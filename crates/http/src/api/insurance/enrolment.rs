//! Who is insured where: a region's contribution parameters, employers, enrolment, its end
//! and the transfer of the insured place.

use shebao_app::insurance::{
    ContributionParametersBody, EmployerView, EnrolmentEnd, EnrolmentView,
    NewContributionParameters, NewEmployer, NewEnrolment, PlaceTransfer,
};
use shebao_domain::access::Operation as Permission;

use crate::api::kinds::{Json, JsonBody, NoBody, NoQuery};
use crate::api::{Access, In, Spec, operation};

operation! {
    /// Add a version of a region's contribution parameters.
    AddContributionParameters {
        spec: Spec::post(
            "add_contribution_parameters",
            "/api/v1/regions/{region}/contribution-parameters",
            "insurance",
            "Add a version of a region's contribution parameters (average wage, band, rates)",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::ManageRegions),
        types: (String,), NoQuery, JsonBody<NewContributionParameters>
            => Json<ContributionParametersBody>,
        call: |app, actor, In { key, path: (region,), body, .. }| {
            Json(app.add_contribution_parameters(actor, &key, &region, body)?)
        },
    }
}

operation! {
    /// Register an insured unit.
    RegisterEmployer {
        spec: Spec::post(
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
        ]),
        access: Access::Needs(Permission::ManageEmployers),
        types: (), NoQuery, JsonBody<NewEmployer> => Json<EmployerView>,
        call: |app, actor, In { key, body, .. }| Json(app.register_employer(actor, &key, body)?),
    }
}

operation! {
    /// An insured unit.
    GetEmployer {
        spec: Spec::get(
            "get_employer",
            "/api/v1/employers/{employer}",
            "insurance",
            "An insured unit",
        ),
        access: Access::Needs(Permission::ReadEmployer),
        types: (String,), NoQuery, NoBody => Json<EmployerView>,
        call: |app, actor, In { path: (employer,), .. }| Json(app.employer(actor, &employer)?),
    }
}

operation! {
    /// Enrol a person.
    Enrol {
        spec: Spec::post(
            "enrol",
            "/api/v1/enrolments",
            "insurance",
            "Enrol a person through an employer or as a flexible worker",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::Enrol),
        types: (), NoQuery, JsonBody<NewEnrolment> => Json<EnrolmentView>,
        call: |app, actor, In { key, body, .. }| Json(app.enrol(actor, &key, body)?),
    }
}

operation! {
    /// End an enrolment.
    EndEnrolment {
        spec: Spec::post(
            "end_enrolment",
            "/api/v1/enrolments/{enrolment}/end",
            "insurance",
            "End an enrolment with its last month",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::Enrol),
        types: (String,), NoQuery, JsonBody<EnrolmentEnd> => Json<EnrolmentView>,
        call: |app, actor, In { key, path: (enrolment,), body, .. }| {
            Json(app.end_enrolment(actor, &key, &enrolment, body)?)
        },
    }
}

operation! {
    /// Move the insured place.
    TransferInsuredPlace {
        spec: Spec::post(
            "transfer_insured_place",
            "/api/v1/persons/{person}/insured-place-transfer",
            "insurance",
            "Move the insured place to another region or employer without a gap",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::Enrol),
        types: (String,), NoQuery, JsonBody<PlaceTransfer> => Json<EnrolmentView>,
        call: |app, actor, In { key, path: (person,), body, .. }| {
            Json(app.transfer_insured_place(actor, &key, &person, body)?)
        },
    }
}

operation! {
    /// A person's enrolments.
    ListEnrolments {
        spec: Spec::get(
            "list_enrolments",
            "/api/v1/persons/{person}/enrolments",
            "insurance",
            "A person's enrolments",
        ),
        access: Access::Needs(Permission::ReadContributions),
        types: (String,), NoQuery, NoBody => Json<Vec<EnrolmentView>>,
        call: |app, actor, In { path: (person,), .. }| Json(app.enrolments(actor, &person)?),
    }
}
