//! Reference data: issuing regions and their parameters, banks and their branches.

use shebao_app::reference::{NewBank, NewBranch, NewParameters, NewRegion};
use shebao_app::views::{BankView, BranchView, ParametersVersionView, RegionView};
use shebao_domain::access::Operation as Permission;

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Access, Entry, In, Operation, Spec, entry, no_input};
use crate::Shared;
use crate::problem::Problem;

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

/// Issuing regions.
pub(crate) struct ListRegions;

impl Operation for ListRegions {
    const SPEC: Spec = Spec::get(
        "list_regions",
        "/api/v1/regions",
        "reference",
        "Issuing regions",
    );
    const ACCESS: Access = Access::Needs(Permission::ReadReference);
    no_input!();
    type Answer = Json<Vec<RegionView>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Json(shared.app.regions(input.actor()?)?))
    }
}

/// Add an issuing region.
pub(crate) struct CreateRegion;

impl Operation for CreateRegion {
    const SPEC: Spec = Spec::post(
        "create_region",
        "/api/v1/regions",
        "reference",
        "Add an issuing region",
    )
    .errors(&["conflict"]);
    const ACCESS: Access = Access::Needs(Permission::ManageRegions);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<NewRegion>;
    type Answer = Json<RegionView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        Ok(Json(
            shared.app.create_region(&actor, &input.key, input.body)?,
        ))
    }
}

/// Every version of a region's parameters.
pub(crate) struct ListParameters;

impl Operation for ListParameters {
    const SPEC: Spec = Spec::get(
        "list_parameters",
        "/api/v1/regions/{region}/parameters",
        "reference",
        "Every version of a region's parameters",
    );
    const ACCESS: Access = Access::Needs(Permission::ReadReference);
    type Path = (String,);
    type Query = NoQuery;
    type Body = NoBody;
    type Answer = Json<Vec<ParametersVersionView>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let versions = shared
            .app
            .parameter_versions(input.actor()?, &input.path.0)?;
        Ok(Json(versions))
    }
}

/// Add a version of a region's parameters.
pub(crate) struct AddParameters;

impl Operation for AddParameters {
    const SPEC: Spec = Spec::post(
        "add_parameters",
        "/api/v1/regions/{region}/parameters",
        "reference",
        "Add a version of a region's parameters, effective from a date",
    )
    .errors(&["invalid_parameters", "conflict"]);
    const ACCESS: Access = Access::Needs(Permission::ManageRegions);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<NewParameters>;
    type Answer = Json<ParametersVersionView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let version = shared
            .app
            .add_parameters(&actor, &input.key, &input.path.0, input.body)?;
        Ok(Json(version))
    }
}

/// Cooperating banks.
pub(crate) struct ListBanks;

impl Operation for ListBanks {
    const SPEC: Spec = Spec::get(
        "list_banks",
        "/api/v1/banks",
        "reference",
        "Cooperating banks",
    );
    const ACCESS: Access = Access::Needs(Permission::ReadReference);
    no_input!();
    type Answer = Json<Vec<BankView>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Json(shared.app.banks(input.actor()?)?))
    }
}

/// Add a cooperating bank.
pub(crate) struct CreateBank;

impl Operation for CreateBank {
    const SPEC: Spec = Spec::post(
        "create_bank",
        "/api/v1/banks",
        "reference",
        "Add a cooperating bank",
    )
    .errors(&["conflict"]);
    const ACCESS: Access = Access::Needs(Permission::ManageBanks);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<NewBank>;
    type Answer = Json<BankView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        Ok(Json(
            shared.app.create_bank(&actor, &input.key, input.body)?,
        ))
    }
}

/// A bank's branches.
pub(crate) struct ListBranches;

impl Operation for ListBranches {
    const SPEC: Spec = Spec::get(
        "list_branches",
        "/api/v1/banks/{bank}/branches",
        "reference",
        "A bank's branches",
    );
    const ACCESS: Access = Access::Needs(Permission::ReadReference);
    type Path = (String,);
    type Query = NoQuery;
    type Body = NoBody;
    type Answer = Json<Vec<BranchView>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Json(shared.app.branches(input.actor()?, &input.path.0)?))
    }
}

/// Add a branch to a bank.
pub(crate) struct CreateBranch;

impl Operation for CreateBranch {
    const SPEC: Spec = Spec::post(
        "create_branch",
        "/api/v1/banks/{bank}/branches",
        "reference",
        "Add a branch to a bank",
    )
    .errors(&["conflict"]);
    const ACCESS: Access = Access::Needs(Permission::ManageBanks);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<NewBranch>;
    type Answer = Json<BranchView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let branch = shared
            .app
            .create_branch(&actor, &input.key, &input.path.0, input.body)?;
        Ok(Json(branch))
    }
}
