//! Reference data: issuing regions and their parameters, banks and their branches.

use shebao_app::reference::{NewBank, NewBranch, NewParameters, NewRegion};
use shebao_app::views::{BankView, BranchView, ParametersVersionView, RegionView};
use shebao_domain::access::Operation as Permission;

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Access, Entry, In, Spec, entry, operation};

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

operation! {
    /// Issuing regions.
    ListRegions {
        spec: Spec::get("list_regions", "/api/v1/regions", TAG, "Issuing regions"),
        access: Access::Needs(Permission::ReadReference),
        types: (), NoQuery, NoBody => Json<Vec<RegionView>>,
        call: |app, actor, _| Json(app.regions(actor)?),
    }
}

operation! {
    /// Add an issuing region.
    CreateRegion {
        spec: Spec::post("create_region", "/api/v1/regions", TAG, "Add an issuing region")
            .errors(&["conflict"]),
        access: Access::Needs(Permission::ManageRegions),
        types: (), NoQuery, JsonBody<NewRegion> => Json<RegionView>,
        call: |app, actor, In { key, body, .. }| Json(app.create_region(actor, &key, body)?),
    }
}

operation! {
    /// Every version of a region's parameters.
    ListParameters {
        spec: Spec::get(
            "list_parameters",
            "/api/v1/regions/{region}/parameters",
            TAG,
            "Every version of a region's parameters",
        ),
        access: Access::Needs(Permission::ReadReference),
        types: (String,), NoQuery, NoBody => Json<Vec<ParametersVersionView>>,
        call: |app, actor, In { path: (region,), .. }| {
            Json(app.parameter_versions(actor, &region)?)
        },
    }
}

operation! {
    /// Add a version of a region's parameters.
    AddParameters {
        spec: Spec::post(
            "add_parameters",
            "/api/v1/regions/{region}/parameters",
            TAG,
            "Add a version of a region's parameters, effective from a date",
        )
        .errors(&["invalid_parameters", "conflict"]),
        access: Access::Needs(Permission::ManageRegions),
        types: (String,), NoQuery, JsonBody<NewParameters> => Json<ParametersVersionView>,
        call: |app, actor, In { key, path: (region,), body, .. }| {
            Json(app.add_parameters(actor, &key, &region, body)?)
        },
    }
}

operation! {
    /// Cooperating banks.
    ListBanks {
        spec: Spec::get("list_banks", "/api/v1/banks", TAG, "Cooperating banks"),
        access: Access::Needs(Permission::ReadReference),
        types: (), NoQuery, NoBody => Json<Vec<BankView>>,
        call: |app, actor, _| Json(app.banks(actor)?),
    }
}

operation! {
    /// Add a cooperating bank.
    CreateBank {
        spec: Spec::post("create_bank", "/api/v1/banks", TAG, "Add a cooperating bank")
            .errors(&["conflict"]),
        access: Access::Needs(Permission::ManageBanks),
        types: (), NoQuery, JsonBody<NewBank> => Json<BankView>,
        call: |app, actor, In { key, body, .. }| Json(app.create_bank(actor, &key, body)?),
    }
}

operation! {
    /// A bank's branches.
    ListBranches {
        spec: Spec::get(
            "list_branches",
            "/api/v1/banks/{bank}/branches",
            TAG,
            "A bank's branches",
        ),
        access: Access::Needs(Permission::ReadReference),
        types: (String,), NoQuery, NoBody => Json<Vec<BranchView>>,
        call: |app, actor, In { path: (bank,), .. }| Json(app.branches(actor, &bank)?),
    }
}

operation! {
    /// Add a branch to a bank.
    CreateBranch {
        spec: Spec::post(
            "create_branch",
            "/api/v1/banks/{bank}/branches",
            TAG,
            "Add a branch to a bank",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::ManageBanks),
        types: (String,), NoQuery, JsonBody<NewBranch> => Json<BranchView>,
        call: |app, actor, In { key, path: (bank,), body, .. }| {
            Json(app.create_branch(actor, &key, &bank, body)?)
        },
    }
}
