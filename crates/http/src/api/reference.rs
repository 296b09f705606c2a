//! Reference data: issuing regions and their parameters, banks and their branches.

use shebao_app::reference::{NewBank, NewBranch, NewParameters, NewRegion};
use shebao_app::views::{BankView, BranchView, ParametersVersionView, RegionView};

use super::kinds::Json;
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
        Needs(ReadReference): regions() -> Json<Vec<RegionView>>
    }

    /// Add an issuing region
    CreateRegion: post "create_region" "/api/v1/regions" .errors(&["conflict"]) {
        Needs(ManageRegions): create_region(key, body: NewRegion) -> Json<RegionView>
    }

    /// Every version of a region's parameters
    ListParameters: get "list_parameters" "/api/v1/regions/{region}/parameters" {
        Needs(ReadReference): parameter_versions(region) -> Json<Vec<ParametersVersionView>>
    }

    /// Add a version of a region's parameters, effective from a date
    AddParameters: post "add_parameters" "/api/v1/regions/{region}/parameters"
        .errors(&["invalid_parameters", "conflict"]) {
        Needs(ManageRegions): add_parameters(key, region, body: NewParameters)
            -> Json<ParametersVersionView>
    }

    /// Cooperating banks
    ListBanks: get "list_banks" "/api/v1/banks" {
        Needs(ReadReference): banks() -> Json<Vec<BankView>>
    }

    /// Add a cooperating bank
    CreateBank: post "create_bank" "/api/v1/banks" .errors(&["conflict"]) {
        Needs(ManageBanks): create_bank(key, body: NewBank) -> Json<BankView>
    }

    /// A bank's branches
    ListBranches: get "list_branches" "/api/v1/banks/{bank}/branches" {
        Needs(ReadReference): branches(bank) -> Json<Vec<BranchView>>
    }

    /// Add a branch to a bank
    CreateBranch: post "create_branch" "/api/v1/banks/{bank}/branches" .errors(&["conflict"]) {
        Needs(ManageBanks): create_branch(key, bank, body: NewBranch) -> Json<BranchView>
    }
}
