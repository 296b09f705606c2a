//! Reference data: issuing regions and their parameters, banks and their branches.

use shebao_app::reference::{NewBank, NewBranch, NewParameters, NewRegion};
use shebao_app::views::{BankView, BranchView, ParametersVersionView, RegionView};

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Entry, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(ListRegions),
    entry(CreateRegion),
    entry(ListParameters),
    entry(AddParameters),
    entry(ListBanks),
    entry(CreateBank),
    entry(ListBranches),
    entry(CreateBranch),
];

const TAG: &str = "reference";

operations! {
    tag: TAG;

    /// Issuing regions
    ListRegions: get "list_regions" "/api/v1/regions" {
        access: Needs(ReadReference),
        types: (), NoQuery, NoBody => Json<Vec<RegionView>>,
        call: Json(app.regions()),
    }

    /// Add an issuing region
    CreateRegion: post "create_region" "/api/v1/regions" .errors(&["conflict"]) {
        access: Needs(ManageRegions),
        types: (), NoQuery, JsonBody<NewRegion> => Json<RegionView>,
        call: Json(app.create_region(key, body)),
    }

    /// Every version of a region's parameters
    ListParameters: get "list_parameters" "/api/v1/regions/{region}/parameters" {
        access: Needs(ReadReference),
        types: (String,), NoQuery, NoBody => Json<Vec<ParametersVersionView>>,
        call: Json(app.parameter_versions(region)),
    }

    /// Add a version of a region's parameters, effective from a date
    AddParameters: post "add_parameters" "/api/v1/regions/{region}/parameters"
        .errors(&["invalid_parameters", "conflict"]) {
        access: Needs(ManageRegions),
        types: (String,), NoQuery, JsonBody<NewParameters> => Json<ParametersVersionView>,
        call: Json(app.add_parameters(key, region, body)),
    }

    /// Cooperating banks
    ListBanks: get "list_banks" "/api/v1/banks" {
        access: Needs(ReadReference),
        types: (), NoQuery, NoBody => Json<Vec<BankView>>,
        call: Json(app.banks()),
    }

    /// Add a cooperating bank
    CreateBank: post "create_bank" "/api/v1/banks" .errors(&["conflict"]) {
        access: Needs(ManageBanks),
        types: (), NoQuery, JsonBody<NewBank> => Json<BankView>,
        call: Json(app.create_bank(key, body)),
    }

    /// A bank's branches
    ListBranches: get "list_branches" "/api/v1/banks/{bank}/branches" {
        access: Needs(ReadReference),
        types: (String,), NoQuery, NoBody => Json<Vec<BranchView>>,
        call: Json(app.branches(bank)),
    }

    /// Add a branch to a bank
    CreateBranch: post "create_branch" "/api/v1/banks/{bank}/branches" .errors(&["conflict"]) {
        access: Needs(ManageBanks),
        types: (String,), NoQuery, JsonBody<NewBranch> => Json<BranchView>,
        call: Json(app.create_branch(key, bank, body)),
    }
}
