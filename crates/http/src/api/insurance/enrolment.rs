//! Who is insured where: a region's contribution parameters, employers, enrolment, its end
//! and the transfer of the insured place.

use shebao_app::insurance::{
    ContributionParametersBody, EmployerView, EnrolmentEnd, EnrolmentView,
    NewContributionParameters, NewEmployer, NewEnrolment, PlaceTransfer,
};

use crate::api::kinds::Json;
use crate::api::operations;

operations! {
    tag: "insurance";

    /// Add a version of a region's contribution parameters (average wage, band, rates)
    AddContributionParameters: post "add_contribution_parameters"
        "/api/v1/regions/{region}/contribution-parameters" .errors(&["conflict"]) {
        Needs(ManageRegions):
            add_contribution_parameters(key, region, body: NewContributionParameters)
            -> Json<ContributionParametersBody>
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
        Needs(ManageEmployers): register_employer(key, body: NewEmployer) -> Json<EmployerView>
    }

    /// An insured unit
    GetEmployer: get "get_employer" "/api/v1/employers/{employer}" {
        Needs(ReadEmployer): employer(employer) -> Json<EmployerView>
    }

    /// Enrol a person through an employer or as a flexible worker
    Enrol: post "enrol" "/api/v1/enrolments" .errors(&["conflict"]) {
        Needs(Enrol): enrol(key, body: NewEnrolment) -> Json<EnrolmentView>
    }

    /// End an enrolment with its last month
    EndEnrolment: post "end_enrolment" "/api/v1/enrolments/{enrolment}/end" .errors(&["conflict"]) {
        Needs(Enrol): end_enrolment(key, enrolment, body: EnrolmentEnd) -> Json<EnrolmentView>
    }

    /// Move the insured place to another region or employer without a gap
    TransferInsuredPlace: post "transfer_insured_place"
        "/api/v1/persons/{person}/insured-place-transfer" .errors(&["conflict"]) {
        Needs(Enrol): transfer_insured_place(key, person, body: PlaceTransfer)
            -> Json<EnrolmentView>
    }

    /// A person's enrolments
    ListEnrolments: get "list_enrolments" "/api/v1/persons/{person}/enrolments" {
        Needs(ReadContributions): enrolments(person) -> Json<Vec<EnrolmentView>>
    }
}
