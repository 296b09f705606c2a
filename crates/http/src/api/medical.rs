//! Medical: designated institutions, the catalogue and policies, the counter (person query,
//! pre-settlement, settlement, undo), reconciliation and the holder's settlements.

use schemars::JsonSchema;
use serde::Deserialize;
use shebao_app::insurance::calc::{SettlementAnswer, SettlementQuestion};
use shebao_app::medical::{
    BillRequest, CatalogueItemView, Identification, InstitutionView, InsuredView, NewCatalogueItem,
    NewInstitution, NewMedicalPolicy, ReconciliationCheck, ReconciliationFile, ReconciliationView,
    SettlementView, UndoRequest,
};
use shebao_domain::time::DATE_PATTERN;

use super::kinds::{HandWritten, Json, NoBody, Query, Schema};
use super::{Entry, In, codes, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(RegisterInstitution),
    entry(AddCatalogueItem),
    entry(SetMedicalPolicy),
    entry(QueryInsured),
    entry(PreSettle),
    entry(Settle),
    entry(UndoSettlement),
    entry(SearchCatalogue),
    entry(Reconciliation),
    entry(CheckReconciliation),
    entry(PersonSettlements),
    entry(CalcSettlement),
];

const TAG: &str = "medical";

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

/// What a catalogue search looks for.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CatalogueQuery {
    /// A part of an item's code or name, in any case (1 to 40 characters).
    #[schemars(length(min = 1, max = 40))]
    q: String,
}

/// The day a reconciliation covers.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateQuery {
    #[schemars(regex(pattern = DATE_PATTERN))]
    date: String,
}

operations! {
    tag: TAG;

    /// Register a designated hospital (level 1-3) or pharmacy
    RegisterInstitution: post "register_institution" "/api/v1/institutions" .errors(&["conflict"]) {
        Needs(ManageInstitutions): register_institution(key, body: NewInstitution)
            -> Json<InstitutionView>
    }

    /// Add a version of a catalogue item (class A, B with its first share, or self-paid; limit
    /// price)
    AddCatalogueItem: post "add_catalogue_item" "/api/v1/regions/{region}/catalogue"
        .errors(&["conflict"]) {
        Needs(ManageCatalogue): add_catalogue_item(key, region, body: NewCatalogueItem)
            -> Json<HandWritten<NewCatalogueItem>>
    }

    /// Set a region's medical policy for a year (deductible, pool ratio, cap by level, visit and
    /// status)
    SetMedicalPolicy: post "set_medical_policy" "/api/v1/regions/{region}/medical-policies"
        .errors(&["conflict"]) {
        Needs(ManageCatalogue): set_medical_policy(key, region, body: NewMedicalPolicy)
            -> Json<HandWritten<NewMedicalPolicy>>
    }

    /// Person query: by the card, an electronic-card token or (with a reason) the ID number;
    /// insured region, status, the year so far, the account with the card only; audited
    QueryInsured: post "query_insured" "/api/v1/medical/person-query"
        .not_changing()
        .looks_up_citizen_ids()
        .errors(codes![counter]) {
        Needs(QueryInsured): query_insured(body: Identification) -> Json<InsuredView>
    }

    /// Pre-settlement: the split of a bill; nothing moves
    PreSettle: post "pre_settle" "/api/v1/medical/pre-settlements"
        .not_changing()
        .looks_up_citizen_ids()
        .errors(codes![bill]) {
        Needs(Settle): pre_settle(body: BillRequest) -> Json<SettlementView>
    }

    /// Settlement: once per institution and bill number; fund and account shares post, cash is
    /// recorded
    Settle: post "settle" "/api/v1/medical/settlements"
        .looks_up_citizen_ids()
        .errors(codes![
            "card_required",
            "bill_already_settled",
            "conflict",
            "insufficient_funds",
            "account_closed",
            "invalid_amount",
            bill,
        ]) {
        Needs(Settle): settle(key, body: BillRequest) -> Json<SettlementView>
    }

    /// Undo a settlement, saying why: money, deductible and cap restored exactly
    UndoSettlement: post "undo_settlement" "/api/v1/medical/settlements/{bill}/undo"
        .errors(&["already_undone", "conflict"]) {
        Needs(UndoSettlement): undo_settlement(key, bill, body: UndoRequest) -> Json<SettlementView>
    }

    /// The catalogue items in force at the cashier's institution whose code or name holds a text
    SearchCatalogue: get "search_catalogue" "/api/v1/medical/catalogue" {
        access: Needs(Settle),
        types: (), Query<CatalogueQuery>, NoBody => Json<Vec<CatalogueItemView>>,
        call: |app, actor, In { query: Query(query), .. }| {
            Json(app.search_catalogue(actor, &query.q)?)
        },
    }

    /// A day's settlements and totals
    Reconciliation: get "reconciliation" "/api/v1/institutions/{institution}/reconciliation" {
        access: Needs(Reconcile),
        types: (String,), Query<DateQuery>, NoBody => Json<ReconciliationView>,
        call: |app, actor, In { path: (institution,), query: Query(query), .. }| {
            Json(app.reconciliation(actor, &institution, &query.date)?)
        },
    }

    /// Check an institution's reconciliation file against our records
    CheckReconciliation: post "check_reconciliation"
        "/api/v1/institutions/{institution}/reconciliation-check"
        .not_changing()
        .body_limit(super::FILE_BODY_LIMIT_BYTES)
        .errors(&["file_too_complex"]) {
        Needs(Reconcile): check_reconciliation(institution, body: ReconciliationFile)
            -> Json<ReconciliationCheck>
    }

    /// A holder's medical settlements with their split
    PersonSettlements: get "person_settlements" "/api/v1/persons/{person}/settlements" {
        Needs(ReadSettlements): person_settlements(person) -> Json<Vec<SettlementView>>
    }
}

operations! {
    tag: "calculators";

    /// The split of a medical bill from its parts (medical.md)
    CalcSettlement: post "calc_settlement" "/api/v1/calc/settlement" .not_changing() {
        Needs(Calculate): calculate_settlement(body: SettlementQuestion) -> Json<SettlementAnswer>
    }
}
