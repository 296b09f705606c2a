//! Medical: designated institutions, the catalogue and policies, the counter (person query,
//! pre-settlement, settlement, undo), reconciliation and the holder's settlements.

use schemars::JsonSchema;
use serde::Deserialize;
use shebao_app::insurance::calc::{SettlementAnswer, SettlementQuestion};
use shebao_app::medical::{
    BillRequest, Identification, InstitutionView, InsuredView, NewCatalogueItem, NewInstitution,
    NewMedicalPolicy, ReconciliationCheck, ReconciliationFile, ReconciliationView, SettlementView,
};
use shebao_domain::access::Operation as Permission;
use shebao_domain::time::DATE_PATTERN;

use super::kinds::{HandWritten, Json, JsonBody, NoBody, NoQuery, Query, Schema};
use super::person::with_identity_errors;
use super::{Access, Entry, In, Operation, Spec, entry};
use crate::Shared;
use crate::problem::Problem;

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(RegisterInstitution),
    entry(AddCatalogueItem),
    entry(SetMedicalPolicy),
    entry(QueryInsured),
    entry(PreSettle),
    entry(Settle),
    entry(UndoSettlement),
    entry(Reconciliation),
    entry(CheckReconciliation),
    entry(PersonSettlements),
    entry(CalcSettlement),
];

/// A reconciliation file may be as large as a declaration file.
const RECONCILIATION_BODY_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// The problem codes of identifying a patient at the counter (card, electronic-card token
/// or ID number), and `codes`.
macro_rules! with_counter_errors {
    ($($code:literal),* $(,)?) => {
        with_identity_errors![
            $($code,)*
            "too_many_lookups",
            "card_not_recognised",
            "invalid_token",
            "no_card",
            "not_insured",
            "card_replaced",
            "card_cancelled",
            "card_expired",
            "card_not_collected",
            "card_returned",
            "card_lost",
            "invalid_card_state",
        ]
    };
}

/// The problem codes of splitting a bill at the counter, beyond identifying the patient.
macro_rules! with_bill_errors {
    ($($code:literal),* $(,)?) => {
        with_counter_errors![
            $($code,)*
            "pin_incorrect",
            "pin_locked",
            "pin_not_set",
            "no_parameters",
            "no_policy",
            "ambiguous_policy",
        ]
    };
}

/// Register a designated hospital or pharmacy.
pub(crate) struct RegisterInstitution;

impl Operation for RegisterInstitution {
    const SPEC: Spec = Spec::post(
        "register_institution",
        "/api/v1/institutions",
        "medical",
        "Register a designated hospital (level 1-3) or pharmacy",
    )
    .errors(&["conflict"]);
    const ACCESS: Access = Access::Needs(Permission::ManageInstitutions);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<NewInstitution>;
    type Answer = Json<InstitutionView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let institution = shared
            .app
            .register_institution(&actor, &input.key, input.body)?;
        Ok(Json(institution))
    }
}

/// The catalogue item as added: its request read back, every field present; the
/// hand-written `CatalogueItem` (its `Option`s are required when written, not when read,
/// and a schema name serves one contract).
impl Schema for NewCatalogueItem {
    const NAME: &'static str = "CatalogueItem";

    fn schema() -> serde_json::Value {
        serde_json::json!({
            "type": "object",
            "properties": {
                "code": { "type": "string" },
                "name": { "type": "string" },
                "class": { "enum": ["a", "b", "self_paid"] },
                "first_share_ppm": { "type": ["integer", "null"], "minimum": 0, "maximum": 1_000_000 },
                "limit_price_fen": { "type": ["integer", "null"], "format": "int64", "minimum": 0 },
                "effective_from": { "type": "string" }
            },
            "required": ["code", "name", "class", "first_share_ppm", "limit_price_fen", "effective_from"],
            "additionalProperties": false
        })
    }
}

/// Add a version of a catalogue item.
pub(crate) struct AddCatalogueItem;

impl Operation for AddCatalogueItem {
    const SPEC: Spec = Spec::post(
        "add_catalogue_item",
        "/api/v1/regions/{region}/catalogue",
        "medical",
        "Add a version of a catalogue item (class A, B with its first share, or self-paid; limit price)",
    )
    .errors(&["conflict"]);
    const ACCESS: Access = Access::Needs(Permission::ManageCatalogue);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<NewCatalogueItem>;
    type Answer = Json<HandWritten<NewCatalogueItem>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let item = shared
            .app
            .add_catalogue_item(&actor, &input.key, &input.path.0, input.body)?;
        Ok(Json(HandWritten(item)))
    }
}

/// The policy as set, read back; the hand-written `MedicalPolicy`, for the reason given
/// for `CatalogueItem`.
impl Schema for NewMedicalPolicy {
    const NAME: &'static str = "MedicalPolicy";

    fn schema() -> serde_json::Value {
        let fen = serde_json::json!({ "type": "integer", "format": "int64" });
        let ratio = serde_json::json!({ "type": "integer", "minimum": 0 });
        let text_or_null = serde_json::json!({ "type": ["string", "null"] });
        let rule = serde_json::json!({
            "type": "object",
            "properties": {
                "insurance_type": text_or_null, "level": { "type": ["integer", "null"], "minimum": 0 },
                "visit": text_or_null, "status": text_or_null,
                "deductible_fen": fen, "pool_ratio_ppm": ratio
            },
            "required": ["insurance_type", "level", "visit", "status", "deductible_fen", "pool_ratio_ppm"],
            "additionalProperties": false
        });
        let supplementary = serde_json::json!({
            "type": ["object", "null"],
            "properties": { "name": { "type": "string" }, "ratio_ppm": ratio, "annual_cap_fen": fen },
            "required": ["name", "ratio_ppm", "annual_cap_fen"],
            "additionalProperties": false
        });
        serde_json::json!({
            "type": "object",
            "properties": {
                "year": { "type": "integer" },
                "policy": {
                    "type": "object",
                    "properties": {
                        "annual_cap_fen": fen, "rules": { "type": "array", "items": rule },
                        "social_pin_required": { "type": "boolean" }, "supplementary": supplementary
                    },
                    "required": ["annual_cap_fen", "rules", "social_pin_required", "supplementary"],
                    "additionalProperties": false
                }
            },
            "required": ["year", "policy"],
            "additionalProperties": false
        })
    }
}

/// Set a region's medical policy for a year.
pub(crate) struct SetMedicalPolicy;

impl Operation for SetMedicalPolicy {
    const SPEC: Spec = Spec::post(
        "set_medical_policy",
        "/api/v1/regions/{region}/medical-policies",
        "medical",
        "Set a region's medical policy for a year (deductible, pool ratio, cap by level, visit and status)",
    )
    .errors(&["conflict"]);
    const ACCESS: Access = Access::Needs(Permission::ManageCatalogue);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<NewMedicalPolicy>;
    type Answer = Json<HandWritten<NewMedicalPolicy>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let policy =
            shared
                .app
                .set_medical_policy(&actor, &input.key, &input.path.0, input.body)?;
        Ok(Json(HandWritten(policy)))
    }
}

/// Person query at the counter.
pub(crate) struct QueryInsured;

impl Operation for QueryInsured {
    const SPEC: Spec = Spec::post(
        "query_insured",
        "/api/v1/medical/person-query",
        "medical",
        "Person query: by the card, an electronic-card token or (with a reason) the ID number; insured region, status, the year so far, the account with the card only; audited",
    )
    .not_changing()
    .looks_up_citizen_ids()
    .errors(with_counter_errors![]);
    const ACCESS: Access = Access::Needs(Permission::QueryInsured);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<Identification>;
    type Answer = Json<InsuredView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        Ok(Json(shared.app.query_insured(&actor, input.body)?))
    }
}

/// Pre-settlement: the split of a bill; nothing moves.
pub(crate) struct PreSettle;

impl Operation for PreSettle {
    const SPEC: Spec = Spec::post(
        "pre_settle",
        "/api/v1/medical/pre-settlements",
        "medical",
        "Pre-settlement: the split of a bill; nothing moves",
    )
    .not_changing()
    .looks_up_citizen_ids()
    .errors(with_bill_errors![]);
    const ACCESS: Access = Access::Needs(Permission::Settle);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<BillRequest>;
    type Answer = Json<SettlementView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        Ok(Json(shared.app.pre_settle(&actor, input.body)?))
    }
}

/// Settlement: once per institution and bill number.
pub(crate) struct Settle;

impl Operation for Settle {
    const SPEC: Spec = Spec::post(
        "settle",
        "/api/v1/medical/settlements",
        "medical",
        "Settlement: once per institution and bill number; fund and account shares post, cash is recorded",
    )
    .looks_up_citizen_ids()
    .errors(with_bill_errors![
        "card_required",
        "bill_already_settled",
        "conflict",
        "insufficient_funds",
        "account_closed",
        "invalid_amount",
    ]);
    const ACCESS: Access = Access::Needs(Permission::Settle);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<BillRequest>;
    type Answer = Json<SettlementView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        Ok(Json(shared.app.settle(&actor, &input.key, input.body)?))
    }
}

/// Undo a settlement.
pub(crate) struct UndoSettlement;

impl Operation for UndoSettlement {
    const SPEC: Spec = Spec::post(
        "undo_settlement",
        "/api/v1/medical/settlements/{bill}/undo",
        "medical",
        "Undo a settlement: money, deductible and cap restored exactly",
    )
    .errors(&["already_undone", "conflict"]);
    const ACCESS: Access = Access::Needs(Permission::UndoSettlement);
    type Path = (String,);
    type Query = NoQuery;
    type Body = NoBody;
    type Answer = Json<SettlementView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let settlement = shared
            .app
            .undo_settlement(input.actor()?, &input.key, &input.path.0)?;
        Ok(Json(settlement))
    }
}

/// The day a reconciliation covers.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateQuery {
    #[schemars(regex(pattern = DATE_PATTERN))]
    date: String,
}

/// A day's settlements and totals.
pub(crate) struct Reconciliation;

impl Operation for Reconciliation {
    const SPEC: Spec = Spec::get(
        "reconciliation",
        "/api/v1/institutions/{institution}/reconciliation",
        "medical",
        "A day's settlements and totals",
    );
    const ACCESS: Access = Access::Needs(Permission::Reconcile);
    type Path = (String,);
    type Query = Query<DateQuery>;
    type Body = NoBody;
    type Answer = Json<ReconciliationView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let Query(query) = &input.query;
        let view = shared
            .app
            .reconciliation(input.actor()?, &input.path.0, &query.date)?;
        Ok(Json(view))
    }
}

/// Check an institution's reconciliation file against our records.
pub(crate) struct CheckReconciliation;

impl Operation for CheckReconciliation {
    const SPEC: Spec = Spec::post(
        "check_reconciliation",
        "/api/v1/institutions/{institution}/reconciliation-check",
        "medical",
        "Check an institution's reconciliation file against our records",
    )
    .not_changing()
    .body_limit(RECONCILIATION_BODY_LIMIT_BYTES)
    .errors(&["file_too_complex"]);
    const ACCESS: Access = Access::Needs(Permission::Reconcile);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<ReconciliationFile>;
    type Answer = Json<ReconciliationCheck>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let check = shared
            .app
            .check_reconciliation(&actor, &input.path.0, input.body)?;
        Ok(Json(check))
    }
}

/// A holder's medical settlements.
pub(crate) struct PersonSettlements;

impl Operation for PersonSettlements {
    const SPEC: Spec = Spec::get(
        "person_settlements",
        "/api/v1/persons/{person}/settlements",
        "medical",
        "A holder's medical settlements with their split",
    );
    const ACCESS: Access = Access::Needs(Permission::ReadSettlements);
    type Path = (String,);
    type Query = NoQuery;
    type Body = NoBody;
    type Answer = Json<Vec<SettlementView>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let settlements = shared
            .app
            .person_settlements(input.actor()?, &input.path.0)?;
        Ok(Json(settlements))
    }
}

/// The split of a medical bill from its parts.
pub(crate) struct CalcSettlement;

impl Operation for CalcSettlement {
    const SPEC: Spec = Spec::post(
        "calc_settlement",
        "/api/v1/calc/settlement",
        "calculators",
        "The split of a medical bill from its parts (medical.md)",
    )
    .not_changing();
    const ACCESS: Access = Access::Needs(Permission::Calculate);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<SettlementQuestion>;
    type Answer = Json<SettlementAnswer>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        Ok(Json(shared.app.calculate_settlement(&actor, input.body)?))
    }
}
