//! Who is insured where: a region's contribution parameters, employers, enrolment, its end
//! and the transfer of the insured place.

use shebao_app::insurance::{
    ContributionParametersBody, EmployerView, EnrolmentEnd, EnrolmentView,
    NewContributionParameters, NewEmployer, NewEnrolment, PlaceTransfer,
};

use crate::api::kinds::{Json, JsonBody, NoBody, NoQuery};
use crate::api::operations;

operations! {
    tag: "insurance";

    /// Add a version of a region's contribution parameters (average wage, band, rates)
    AddContributionParameters: post "add_contribution_parameters"
        "/api/v1/regions/{region}/contribution-parameters"
        .errors(&["conflict"]) {
        access: Needs(ManageRegions),
        types: (String,), NoQuery, JsonBody<NewContributionParameters>
            => Json<ContributionParametersBody>,
        call: Json(app.add_contribution_parameters(key, region, body)),
    }

    /// Register an insured unit by its unified social credit code
    RegisterEmployer: post "register_employer" "/api/v1/employers"
        .errors(&[
            "invalid_length",
            "invalid_character",
            "check_character_mismatch",
            "invalid_format",
            "conflict",
        ]) {
        access: Needs(ManageEmployers),
        types: (), NoQuery, JsonBody<NewEmployer> => Json<EmployerView>,
        call: Json(app.register_employer(key, body)),
    }

    /// An insured unit
    GetEmployer: get "get_employer" "/api/v1/employers/{employer}" {
        access: Needs(ReadEmployer),
        types: (String,), NoQuery, NoBody => Json<EmployerView>,
        call: Json(app.employer(employer)),
    }

    /// Enrol a person through an employer or as a flexible worker
    Enrol: post "enrol" "/api/v1/enrolments" .errors(&["conflict"]) {
        access: Needs(Enrol),
        types: (), NoQuery, JsonBody<NewEnrolment> => Json<EnrolmentView>,
        call: Json(app.enrol(key, body)),
    }

    /// End an enrolment with its last month
    EndEnrolment: post "end_enrolment" "/api/v1/enrolments/{enrolment}/end" .errors(&["conflict"]) {
        access: Needs(Enrol),
        types: (String,), NoQuery, JsonBody<EnrolmentEnd> => Json<EnrolmentView>,
        call: Json(app.end_enrolment(key, enrolment, body)),
    }

    /// Move the insured place to another region or employer without a gap
    TransferInsuredPlace: post "transfer_insured_place"
        "/api/v1/persons/{person}/insured-place-transfer"
        .errors(&["conflict"]) {
        access: Needs(Enrol),
        types: (String,), NoQuery, JsonBody<PlaceTransfer> => Json<EnrolmentView>,
        call: Json(app.transfer_insured_place(key, person, body)),
    }

    /// A person's enrolments
    ListEnrolments: get "list_enrolments" "/api/v1/persons/{person}/enrolments" {
        access: Needs(ReadContributions),
        types: (String,), NoQuery, NoBody => Json<Vec<EnrolmentView>>,
        call: Json(app.enrolments(person)),
    }
}
