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
use super::{Access, Entry, In, Spec, entry, operation};

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

const TAG: &str = "medical";

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

operation! {
    /// Register a designated hospital or pharmacy.
    RegisterInstitution {
        spec: Spec::post(
            "register_institution",
            "/api/v1/institutions",
            TAG,
            "Register a designated hospital (level 1-3) or pharmacy",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::ManageInstitutions),
        types: (), NoQuery, JsonBody<NewInstitution> => Json<InstitutionView>,
        call: |app, actor, In { key, body, .. }| {
            Json(app.register_institution(actor, &key, body)?)
        },
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

operation! {
    /// Add a version of a catalogue item.
    AddCatalogueItem {
        spec: Spec::post(
            "add_catalogue_item",
            "/api/v1/regions/{region}/catalogue",
            TAG,
            "Add a version of a catalogue item (class A, B with its first share, or self-paid; limit price)",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::ManageCatalogue),
        types: (String,), NoQuery, JsonBody<NewCatalogueItem>
            => Json<HandWritten<NewCatalogueItem>>,
        call: |app, actor, In { key, path: (region,), body, .. }| {
            Json(HandWritten(app.add_catalogue_item(actor, &key, &region, body)?))
        },
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

operation! {
    /// Set a region's medical policy for a year.
    SetMedicalPolicy {
        spec: Spec::post(
            "set_medical_policy",
            "/api/v1/regions/{region}/medical-policies",
            TAG,
            "Set a region's medical policy for a year (deductible, pool ratio, cap by level, visit and status)",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::ManageCatalogue),
        types: (String,), NoQuery, JsonBody<NewMedicalPolicy>
            => Json<HandWritten<NewMedicalPolicy>>,
        call: |app, actor, In { key, path: (region,), body, .. }| {
            Json(HandWritten(app.set_medical_policy(actor, &key, &region, body)?))
        },
    }
}

operation! {
    /// Person query at the counter.
    QueryInsured {
        spec: Spec::post(
            "query_insured",
            "/api/v1/medical/person-query",
            TAG,
            "Person query: by the card, an electronic-card token or (with a reason) the ID number; insured region, status, the year so far, the account with the card only; audited",
        )
        .not_changing()
        .looks_up_citizen_ids()
        .errors(with_counter_errors![]),
        access: Access::Needs(Permission::QueryInsured),
        types: (), NoQuery, JsonBody<Identification> => Json<InsuredView>,
        call: |app, actor, In { body, .. }| Json(app.query_insured(actor, body)?),
    }
}

operation! {
    /// Pre-settlement: the split of a bill; nothing moves.
    PreSettle {
        spec: Spec::post(
            "pre_settle",
            "/api/v1/medical/pre-settlements",
            TAG,
            "Pre-settlement: the split of a bill; nothing moves",
        )
        .not_changing()
        .looks_up_citizen_ids()
        .errors(with_bill_errors![]),
        access: Access::Needs(Permission::Settle),
        types: (), NoQuery, JsonBody<BillRequest> => Json<SettlementView>,
        call: |app, actor, In { body, .. }| Json(app.pre_settle(actor, body)?),
    }
}

operation! {
    /// Settlement: once per institution and bill number.
    Settle {
        spec: Spec::post(
            "settle",
            "/api/v1/medical/settlements",
            TAG,
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
        ]),
        access: Access::Needs(Permission::Settle),
        types: (), NoQuery, JsonBody<BillRequest> => Json<SettlementView>,
        call: |app, actor, In { key, body, .. }| Json(app.settle(actor, &key, body)?),
    }
}

operation! {
    /// Undo a settlement.
    UndoSettlement {
        spec: Spec::post(
            "undo_settlement",
            "/api/v1/medical/settlements/{bill}/undo",
            TAG,
            "Undo a settlement: money, deductible and cap restored exactly",
        )
        .errors(&["already_undone", "conflict"]),
        access: Access::Needs(Permission::UndoSettlement),
        types: (String,), NoQuery, NoBody => Json<SettlementView>,
        call: |app, actor, In { key, path: (bill,), .. }| {
            Json(app.undo_settlement(actor, &key, &bill)?)
        },
    }
}

/// The day a reconciliation covers.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateQuery {
    #[schemars(regex(pattern = DATE_PATTERN))]
    date: String,
}

operation! {
    /// A day's settlements and totals.
    Reconciliation {
        spec: Spec::get(
            "reconciliation",
            "/api/v1/institutions/{institution}/reconciliation",
            TAG,
            "A day's settlements and totals",
        ),
        access: Access::Needs(Permission::Reconcile),
        types: (String,), Query<DateQuery>, NoBody => Json<ReconciliationView>,
        call: |app, actor, In { path: (institution,), query: Query(query), .. }| {
            Json(app.reconciliation(actor, &institution, &query.date)?)
        },
    }
}

operation! {
    /// Check an institution's reconciliation file against our records.
    CheckReconciliation {
        spec: Spec::post(
            "check_reconciliation",
            "/api/v1/institutions/{institution}/reconciliation-check",
            TAG,
            "Check an institution's reconciliation file against our records",
        )
        .not_changing()
        .body_limit(super::FILE_BODY_LIMIT_BYTES)
        .errors(&["file_too_complex"]),
        access: Access::Needs(Permission::Reconcile),
        types: (String,), NoQuery, JsonBody<ReconciliationFile> => Json<ReconciliationCheck>,
        call: |app, actor, In { path: (institution,), body, .. }| {
            Json(app.check_reconciliation(actor, &institution, body)?)
        },
    }
}

operation! {
    /// A holder's medical settlements.
    PersonSettlements {
        spec: Spec::get(
            "person_settlements",
            "/api/v1/persons/{person}/settlements",
            TAG,
            "A holder's medical settlements with their split",
        ),
        access: Access::Needs(Permission::ReadSettlements),
        types: (String,), NoQuery, NoBody => Json<Vec<SettlementView>>,
        call: |app, actor, In { path: (person,), .. }| {
            Json(app.person_settlements(actor, &person)?)
        },
    }
}

operation! {
    /// The split of a medical bill from its parts.
    CalcSettlement {
        spec: Spec::post(
            "calc_settlement",
            "/api/v1/calc/settlement",
            "calculators",
            "The split of a medical bill from its parts (medical.md)",
        )
        .not_changing(),
        access: Access::Needs(Permission::Calculate),
        types: (), NoQuery, JsonBody<SettlementQuestion> => Json<SettlementAnswer>,
        call: |app, actor, In { body, .. }| Json(app.calculate_settlement(actor, body)?),
    }
}
