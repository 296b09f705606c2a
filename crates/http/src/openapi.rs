//! The OpenAPI 3.1 document, from [`crate::api::all`]: the typed operations' parts derived
//! from their types ([`crate::api::document`]), and for the old table's rows not yet moved,
//! the hand-written schemas below (which go as their operations move).

use serde_json::{Map, Value, json};

use shebao_domain::access::Role;

use crate::api::document::{Facts, Generators, info, shared_parts};
use crate::api::{Entry, legacy};

fn text() -> Value {
    json!({ "type": "string" })
}

fn opt_text() -> Value {
    json!({ "type": ["string", "null"] })
}

fn fen() -> Value {
    json!({ "type": "integer", "format": "int64", "description": "amount in fen (1/100 yuan)" })
}

fn pin() -> Value {
    json!({ "type": "string", "pattern": "^[0-9]{6}$", "writeOnly": true })
}

fn citizen_id() -> Value {
    json!({ "type": "string", "minLength": 15, "maxLength": 18, "description": "citizen ID number (18, or legacy 15)" })
}

/// An object schema with required and optional properties and nothing else.
fn object(required: &[(&str, Value)], optional: &[(&str, Value)]) -> Value {
    let mut properties = Map::new();
    for (name, schema) in required.iter().chain(optional) {
        properties.insert((*name).to_owned(), schema.clone());
    }
    let names: Vec<&str> = required.iter().map(|(name, _)| *name).collect();
    json!({ "type": "object", "properties": properties, "required": names, "additionalProperties": false })
}

fn int64() -> Value {
    json!({ "type": "integer", "format": "int64" })
}

/// A Rust `u32`.
fn unsigned() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn timestamp() -> Value {
    json!({ "type": "string", "format": "date-time" })
}

fn month() -> Value {
    json!({ "type": "string", "description": "YYYY-MM" })
}

/// A six-digit region code (GB/T 2260).
fn region() -> Value {
    json!({ "type": "string", "pattern": "^[0-9]{6}$" })
}

/// A string from a closed set.
fn one_of(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The same schema, also allowing `null` (an `Option` the server does not skip).
fn nullable(mut schema: Value) -> Value {
    let kind = schema["type"].take();
    schema["type"] = json!([kind, "null"]);
    schema
}

/// An answer object: every field always present (`Option`s as `null`), nothing else.
fn view(fields: &[(&str, Value)]) -> Value {
    object(fields, &[])
}

/// The role names, from the domain's one list.
pub(crate) const ROLES: [&str; Role::ALL.len()] = {
    let mut names = [""; Role::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = Role::ALL[i].as_str();
        i += 1;
    }
    names
};

const INSURANCES: [&str; 5] = [
    "pension",
    "medical",
    "unemployment",
    "work_injury",
    "maternity",
];

/// A card side's loss state.
fn loss() -> Value {
    view(&[
        ("kind", one_of(&["none", "temporary", "formal"])),
        ("expires_at", nullable(timestamp())),
    ])
}

/// What anyone holding a certificate's code may see.
fn certificate_summary() -> Value {
    view(&[
        ("code", text()),
        ("issued_at", timestamp()),
        ("holder", text()),
        ("citizen_id", text()),
        ("months_paid", int64()),
        ("pension_total_fen", fen()),
        ("medical_total_fen", fen()),
    ])
}

/// The JSON answers, each exactly as the server serialises it.
fn answer_schemas() -> Map<String, Value> {
    let rates = view(&[("employer_ppm", unsigned()), ("individual_ppm", unsigned())]);
    let contribution_line = view(&[
        ("base_fen", fen()),
        ("employer_fen", fen()),
        ("individual_fen", fen()),
    ]);
    let entries = [
        (
            "Card",
            view(&[
                ("id", text()),
                ("person_id", text()),
                ("kind", one_of(&["standard", "temporary"])),
                (
                    "status",
                    one_of(&[
                        "applied",
                        "in_production",
                        "ready_for_collection",
                        "collected",
                        "replaced",
                        "cancelled",
                        "returned",
                    ]),
                ),
                (
                    "usable",
                    json!({ "type": "string", "description": "`usable`, or the code of the reason the card does not work now" }),
                ),
                ("region", region()),
                ("bank_id", opt_text()),
                ("account_id", opt_text()),
                ("card_number", text()),
                ("identification_code", text()),
                ("bank_card_number", opt_text()),
                ("social_pin_set", boolean()),
                ("social_pin_locked", boolean()),
                ("social_loss", loss()),
                ("financial_loss", loss()),
                ("distribution_point", opt_text()),
                ("applied_at", timestamp()),
                ("collected_at", nullable(timestamp())),
                ("expires_on", nullable(date())),
                ("replaces", opt_text()),
                ("replaced_by", opt_text()),
                ("version", int64()),
            ]),
        ),
        ("CardList", array(reference("Card"))),
        (
            "Account",
            view(&[
                ("id", text()),
                ("person_id", text()),
                ("bank_id", text()),
                ("status", one_of(&["deposit_only", "active", "closed"])),
                ("pin_set", boolean()),
                ("pin_locked", boolean()),
                ("balance_fen", fen()),
                ("opened_at", timestamp()),
                ("activated_at", nullable(timestamp())),
                ("activated_branch", opt_text()),
            ]),
        ),
        (
            "BatchResults",
            view(&[(
                "results",
                array(view(&[
                    ("idempotency_key", text()),
                    ("status", json!({ "type": "integer" })),
                    (
                        "transfer",
                        json!({ "oneOf": [reference("Transfer"), { "type": "null" }] }),
                    ),
                    (
                        "approval",
                        json!({ "oneOf": [reference("ApprovalRequest"), { "type": "null" }] }),
                    ),
                    (
                        "problem",
                        json!({ "oneOf": [reference("Problem"), { "type": "null" }] }),
                    ),
                ])),
            )]),
        ),
        (
            "PinCheck",
            view(&[("card_id", text()), ("verified", boolean())]),
        ),
        (
            "Transfer",
            view(&[
                ("id", text()),
                ("code", reference("TransferCode")),
                ("debit_account", text()),
                ("credit_account", text()),
                ("amount_fen", fen()),
                ("reverses", opt_text()),
                ("memo", text()),
                ("created_at", timestamp()),
                ("account_id", text()),
                ("balance_after_fen", fen()),
            ]),
        ),
        (
            "ApprovalRequest",
            view(&[
                ("id", text()),
                (
                    "operation",
                    one_of(&["credit_benefit", "deposit", "reverse_transfer"]),
                ),
                (
                    "reason",
                    one_of(&["above_single_limit", "above_daily_limit", "reversal"]),
                ),
                (
                    "status",
                    one_of(&["pending", "approved", "rejected", "expired"]),
                ),
                ("maker", text()),
                ("card_id", opt_text()),
                ("transfer_id", opt_text()),
                ("amount_fen", fen()),
                ("code", reference("TransferCode")),
                ("debit_account", text()),
                ("credit_account", text()),
                ("memo", text()),
                ("created_at", timestamp()),
                ("expires_at", timestamp()),
                ("decided_by", opt_text()),
                ("decided_at", nullable(timestamp())),
                ("note", opt_text()),
                ("result_transfer_id", opt_text()),
            ]),
        ),
        ("ApprovalList", array(reference("ApprovalRequest"))),
        (
            "TransferCode",
            one_of(&[
                "cash_deposit",
                "cash_withdrawal",
                "purchase",
                "pension_credit",
                "benefit_credit",
                "transfer",
                "reversal",
                "contribution",
                "interest",
                "medical_settlement",
            ]),
        ),
        (
            "Statement",
            view(&[
                ("account_id", text()),
                ("balance_fen", fen()),
                (
                    "entries",
                    array(view(&[
                        ("seq", int64()),
                        ("transfer_id", text()),
                        ("code", reference("TransferCode")),
                        ("amount_fen", fen()),
                        ("balance_after_fen", fen()),
                        ("counterparty", text()),
                        ("memo", text()),
                        ("created_at", timestamp()),
                    ])),
                ),
                ("next_before", nullable(int64())),
            ]),
        ),
        (
            "ContributionParameters",
            view(&[
                ("average_monthly_wage_fen", fen()),
                ("base_floor_percent", unsigned()),
                ("base_ceiling_percent", unsigned()),
                ("pension", rates.clone()),
                ("medical", rates.clone()),
                ("unemployment", rates),
                ("maternity_employer_ppm", unsigned()),
                ("flexible_pension_ppm", unsigned()),
                ("flexible_account_ppm", unsigned()),
                ("personal_pension_account_ppm", unsigned()),
                ("retiree_medical_credit_fen", fen()),
                ("pension_interest_ppm", unsigned()),
                ("transitional_coefficient_ppm", unsigned()),
            ]),
        ),
        (
            "Employer",
            view(&[
                ("id", text()),
                ("credit_code", text()),
                ("name", text()),
                ("region", region()),
                ("risk_class", int64()),
                ("rate_tier_percent", int64()),
                ("work_injury_rate_ppm", unsigned()),
            ]),
        ),
        (
            "ArrearsList",
            array(view(&[
                ("month", month()),
                ("rows", int64()),
                ("employer_fen", fen()),
                ("individual_fen", fen()),
            ])),
        ),
        (
            "Declaration",
            view(&[
                ("id", text()),
                ("employer_id", text()),
                ("rows_total", int64()),
                ("rows_accepted", int64()),
                ("rows_unchanged", int64()),
                ("rows_rejected", int64()),
                ("errors_url", opt_text()),
                ("repeated", boolean()),
            ]),
        ),
        (
            "Payment",
            view(&[
                ("employer_id", text()),
                ("month", month()),
                ("rows", int64()),
                ("employer_fen", fen()),
                ("individual_fen", fen()),
                ("paid_at", timestamp()),
                ("late", boolean()),
            ]),
        ),
        (
            "Enrolment",
            view(&[
                ("id", text()),
                ("person_id", text()),
                ("kind", one_of(&["employee", "flexible"])),
                ("employer_id", opt_text()),
                ("region", region()),
                ("start_month", month()),
                ("end_month", nullable(month())),
            ]),
        ),
        ("EnrolmentList", array(reference("Enrolment"))),
        (
            "ContributionList",
            array(view(&[
                ("month", month()),
                ("insurance", one_of(&INSURANCES)),
                ("base_fen", fen()),
                ("employer_fen", fen()),
                ("individual_fen", fen()),
                ("account_fen", fen()),
                ("status", text()),
                ("paid_at", nullable(timestamp())),
                ("employer", opt_text()),
                ("region", region()),
            ])),
        ),
        (
            "InsuranceSummary",
            view(&[
                ("person_id", text()),
                (
                    "insurances",
                    array(view(&[
                        ("insurance", one_of(&INSURANCES)),
                        ("months_paid", int64()),
                        ("employer_paid_fen", fen()),
                        ("individual_paid_fen", fen()),
                        ("total_paid_fen", fen()),
                        ("owed_fen", fen()),
                    ])),
                ),
                ("pension_total_fen", fen()),
                ("medical_total_fen", fen()),
                ("personal_pension_balance_fen", fen()),
                ("personal_medical_balance_fen", fen()),
                ("contribution_months", int64()),
                ("contribution_years", int64()),
                ("contribution_remaining_months", int64()),
            ]),
        ),
        (
            "Award",
            view(&[
                ("person_id", text()),
                ("region", region()),
                ("retirement_month", month()),
                ("contribution_months", int64()),
                ("minimum_contribution_months", unsigned()),
                ("contribution_index", text()),
                ("basic_fen", fen()),
                ("account_fen", fen()),
                ("transitional_fen", fen()),
                ("monthly_fen", fen()),
            ]),
        ),
        (
            // Reading an award back answers the part in payment, or null when there is none.
            "AwardInPayment",
            nullable(view(&[
                ("region", region()),
                ("retirement_month", month()),
                ("basic_fen", fen()),
                ("account_fen", fen()),
                ("transitional_fen", fen()),
                ("monthly_fen", fen()),
            ])),
        ),
        (
            "Payout",
            view(&[
                ("region", region()),
                ("month", month()),
                ("paid", int64()),
                ("already_paid", int64()),
                ("paid_fen", fen()),
                (
                    "skipped",
                    array(view(&[("person_id", text()), ("code", text())])),
                ),
            ]),
        ),
        (
            "Interest",
            view(&[
                ("region", region()),
                ("year", json!({ "type": "integer" })),
                ("accounts", int64()),
                ("credited_fen", fen()),
            ]),
        ),
        (
            "Certificate",
            view(&[
                ("summary", certificate_summary()),
                ("pdf_url", text()),
                ("verify_url", text()),
            ]),
        ),
        (
            "Verification",
            view(&[
                ("issued", boolean()),
                ("document_matches", json!({ "type": ["boolean", "null"] })),
                ("summary", nullable(certificate_summary())),
            ]),
        ),
        (
            "RetirementAnswer",
            view(&[
                ("delay_months", unsigned()),
                ("retirement_month", month()),
                ("minimum_contribution_months", unsigned()),
                ("age_years", unsigned()),
                ("age_months", unsigned()),
            ]),
        ),
        (
            "PensionAnswer",
            view(&[
                ("basic_fen", fen()),
                ("account_fen", fen()),
                ("total_fen", fen()),
            ]),
        ),
        (
            "ContributionAnswer",
            view(&INSURANCES.map(|name| (name, contribution_line.clone()))),
        ),
        (
            "ECardToken",
            view(&[
                ("token", text()),
                ("card_id", text()),
                ("expires_at", timestamp()),
            ]),
        ),
        (
            "CatalogueItem",
            view(&[
                ("code", text()),
                ("name", text()),
                ("class", one_of(&["a", "b", "self_paid"])),
                (
                    "first_share_ppm",
                    json!({ "type": ["integer", "null"], "minimum": 0, "maximum": 1_000_000 }),
                ),
                (
                    "limit_price_fen",
                    json!({ "type": ["integer", "null"], "format": "int64", "minimum": 0 }),
                ),
                ("effective_from", text()),
            ]),
        ),
        (
            "MedicalPolicy",
            view(&[
                ("year", json!({ "type": "integer" })),
                (
                    "policy",
                    view(&[
                        ("annual_cap_fen", fen()),
                        (
                            "rules",
                            array(view(&[
                                ("insurance_type", opt_text()),
                                (
                                    "level",
                                    json!({ "type": ["integer", "null"], "minimum": 0 }),
                                ),
                                ("visit", opt_text()),
                                ("status", opt_text()),
                                ("deductible_fen", fen()),
                                ("pool_ratio_ppm", unsigned()),
                            ])),
                        ),
                        ("social_pin_required", boolean()),
                        (
                            "supplementary",
                            nullable(view(&[
                                ("name", text()),
                                ("ratio_ppm", unsigned()),
                                ("annual_cap_fen", fen()),
                            ])),
                        ),
                    ]),
                ),
            ]),
        ),
    ];
    entries
        .into_iter()
        .map(|(name, schema)| (name.to_owned(), schema))
        .collect()
}

fn request_schemas() -> Map<String, Value> {
    let entries = [
        (
            "CardApplication",
            object(
                &[
                    ("person_id", text()),
                    ("bank_id", text()),
                    ("region", text()),
                ],
                &[],
            ),
        ),
        (
            "TemporaryCardRequest",
            object(
                &[
                    ("person_id", text()),
                    ("region", text()),
                    ("citizen_id", citizen_id()),
                    ("social_pin", pin()),
                ],
                &[],
            ),
        ),
        (
            "ReadyRequest",
            object(&[("distribution_point", text())], &[]),
        ),
        (
            "CollectRequest",
            object(&[("citizen_id", citizen_id()), ("social_pin", pin())], &[]),
        ),
        (
            "ActivateRequest",
            object(&[("citizen_id", citizen_id()), ("pin", pin())], &[]),
        ),
        (
            "PinRequest",
            object(&[("pin", pin())], &[("region", opt_text())]),
        ),
        (
            "PinChange",
            object(&[("old_pin", pin()), ("new_pin", pin())], &[]),
        ),
        (
            "LossReport",
            object(
                &[
                    ("side", json!({ "enum": ["social", "financial"] })),
                    ("kind", json!({ "enum": ["temporary", "formal"] })),
                ],
                &[],
            ),
        ),
        (
            "LossCancellation",
            object(&[("side", json!({ "enum": ["social", "financial"] }))], &[]),
        ),
        (
            "RenewalRequest",
            object(&[("reason", text())], &[("bank_id", opt_text())]),
        ),
        ("CancelRequest", object(&[("reason", text())], &[])),
        (
            "CashRequest",
            object(
                &[("amount_fen", fen())],
                &[
                    (
                        "pin",
                        json!({ "type": ["string", "null"], "writeOnly": true }),
                    ),
                    ("memo", opt_text()),
                ],
            ),
        ),
        (
            "PurchaseRequest",
            object(
                &[("amount_fen", fen()), ("pin", pin()), ("merchant", text())],
                &[("memo", opt_text())],
            ),
        ),
        (
            "CreditRequest",
            object(
                &[
                    ("kind", json!({ "enum": ["pension", "benefit"] })),
                    ("amount_fen", fen()),
                    ("region", text()),
                ],
                &[("memo", opt_text())],
            ),
        ),
        (
            "TransferRequest",
            object(
                &[
                    ("to_account", text()),
                    ("amount_fen", fen()),
                    ("pin", pin()),
                ],
                &[("memo", opt_text())],
            ),
        ),
        ("ReversalRequest", object(&[("reason", text())], &[])),
        ("RejectionRequest", object(&[("reason", text())], &[])),
        (
            "BatchRequest",
            object(
                &[(
                    "operations",
                    json!({
                        "type": "array", "minItems": 1, "maxItems": shebao_app::money::batch::BATCH_OPERATIONS_MAX,
                        "items": object(
                            &[
                                ("idempotency_key", json!({ "type": "string", "minLength": 8, "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]+$" })),
                                ("operation", one_of(&["purchase", "credit_benefit", "deposit", "withdraw"])),
                                ("card", text()),
                                ("request", json!({
                                    "description": "the body of the single operation: PurchaseRequest, CreditRequest or CashRequest",
                                    "oneOf": [reference("PurchaseRequest"), reference("CreditRequest"), reference("CashRequest")]
                                })),
                            ],
                            &[],
                        ),
                    }),
                )],
                &[],
            ),
        ),
        (
            "NewContributionParameters",
            object(
                &[
                    (
                        "effective_from",
                        json!({ "type": "string", "format": "date" }),
                    ),
                    ("parameters", json!({ "type": "object" })),
                ],
                &[],
            ),
        ),
        (
            "NewEmployer",
            object(
                &[
                    (
                        "credit_code",
                        json!({ "type": "string", "minLength": 18, "maxLength": 18 }),
                    ),
                    ("name", text()),
                    ("region", text()),
                    (
                        "risk_class",
                        json!({ "type": "integer", "minimum": 1, "maximum": 8 }),
                    ),
                    (
                        "rate_tier_percent",
                        json!({ "enum": [50, 80, 100, 120, 150] }),
                    ),
                ],
                &[],
            ),
        ),
        (
            "DeclarationCsv",
            json!({ "type": "string", "contentMediaType": "text/csv", "description": "CSV or XLSX; columns citizen_id, month, wage (yuan, up to 2 decimals)" }),
        ),
        (
            "DeclarationRows",
            object(
                &[(
                    "rows",
                    json!({ "type": "array", "items": object(&[("citizen_id", citizen_id()), ("month", text()), ("wage_fen", fen())], &[]) }),
                )],
                &[],
            ),
        ),
        (
            "PaymentRequest",
            object(
                &[(
                    "month",
                    json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" }),
                )],
                &[],
            ),
        ),
        (
            "NewEnrolment",
            object(
                &[
                    ("person_id", text()),
                    ("kind", json!({ "enum": ["employee", "flexible"] })),
                    ("start_month", text()),
                ],
                &[("employer_id", opt_text()), ("region", opt_text())],
            ),
        ),
        ("EnrolmentEnd", object(&[("end_month", text())], &[])),
        (
            "PlaceTransfer",
            object(
                &[
                    ("month", text()),
                    ("kind", json!({ "enum": ["employee", "flexible"] })),
                ],
                &[("employer_id", opt_text()), ("region", opt_text())],
            ),
        ),
        (
            "AwardRequest",
            object(
                &[(
                    "category",
                    json!({ "enum": ["male", "female-55", "female-50"] }),
                )],
                &[],
            ),
        ),
        (
            "PayoutRequest",
            object(&[("region", text()), ("month", text())], &[]),
        ),
        (
            "InterestRequest",
            object(
                &[("region", text()), ("year", json!({ "type": "integer" }))],
                &[],
            ),
        ),
        (
            "Pdf",
            json!({ "type": "string", "contentMediaType": "application/pdf" }),
        ),
        (
            "RetirementQuestion",
            object(
                &[
                    ("birth", text()),
                    (
                        "category",
                        json!({ "enum": ["male", "female-55", "female-50"] }),
                    ),
                ],
                &[],
            ),
        ),
        (
            "PensionQuestion",
            object(
                &[
                    ("average_wage_fen", fen()),
                    ("contribution_index", text()),
                    (
                        "contribution_months",
                        json!({ "type": "integer", "minimum": 0 }),
                    ),
                    ("account_balance_fen", fen()),
                    (
                        "retirement_age",
                        json!({ "type": "integer", "minimum": 40, "maximum": 70 }),
                    ),
                ],
                &[],
            ),
        ),
        (
            "ContributionQuestion",
            object(&[("average_wage_fen", fen()), ("wage_fen", fen())], &[]),
        ),
        (
            "Problem",
            json!({
                "type": "object",
                "description": "RFC 9457 problem details; `code` is stable",
                "properties": { "type": text(), "title": text(), "status": { "type": "integer" }, "code": text(), "detail": text(), "field": text() },
                "required": ["type", "title", "status", "code"]
            }),
        ),
    ];
    entries
        .into_iter()
        .map(|(name, schema)| (name.to_owned(), schema))
        .collect()
}

/// The media type of an answer: the few that are not JSON, by name.
fn media_of(answer: &str) -> &'static str {
    match answer {
        "Csv" => "text/csv",
        "Pdf" => "application/pdf",
        "Health" | "Metrics" => "text/plain",
        "Html" => "text/html",
        _ => "application/json",
    }
}

/// The operations that may resolve an ID number the caller typed: limited per actor
/// (`shebao serve --lookup-rate`) and audited hit or miss (issue 13, findings 3 and 8).
pub const LOOKUPS_BY_CITIZEN_ID: [&str; 4] =
    ["find_person", "query_insured", "pre_settle", "settle"];

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let mut schemas = request_schemas();
    schemas.extend(answer_schemas());
    let mut paths = Map::new();
    let mut generators = Generators::new();
    for entry in crate::api::AREAS.iter().flat_map(|area| area.iter()) {
        let Entry { spec, describe, .. } = entry;
        let item = paths
            .entry(spec.path.to_owned())
            .or_insert_with(|| json!({}));
        item[spec.method.as_str().to_ascii_lowercase()] = describe(&mut generators);
    }
    for operation in legacy::TABLE {
        let item = paths
            .entry(operation.path.to_owned())
            .or_insert_with(|| json!({}));
        item[operation.method.to_ascii_lowercase()] = table_operation(operation, &mut schemas);
    }
    // A name both derived and hand-written fails the test `derived_schemas_are_new`; here
    // the derived one stands.
    match generators.definitions() {
        Ok(definitions) => schemas.extend(definitions),
        Err(clash) => tracing::error!(target: "shebao::http", clash, "schema names clash"),
    }
    json!({
        "openapi": "3.1.0",
        "info": info(),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        }
    })
}

/// The description of an old table's row, with its hand-written schemas.
fn table_operation(operation: &legacy::ApiOperation, schemas: &mut Map<String, Value>) -> Value {
    let answer_media = media_of(operation.answer);
    if !schemas.contains_key(operation.answer) {
        // Every JSON answer has its schema in `answer_schemas` (a test checks it); the
        // others are text of their media type.
        schemas.insert(
            operation.answer.to_owned(),
            json!({ "type": "string", "contentMediaType": answer_media }),
        );
    }
    let mut parameters: Vec<Value> = crate::api::document::segments(operation.path)
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    for name in operation.query {
        parameters.push(json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" } }));
    }
    let mut entry = json!({
        "operationId": operation.id,
        "summary": operation.summary,
        "tags": [operation.tag],
        "parameters": parameters,
        "responses": {
            "200": { "description": "OK", "content": { answer_media: { "schema": reference(operation.answer) } } },
        }
    });
    if operation.awaits_approval {
        entry["responses"]["202"] = json!({
            "description": "Accepted: the change waits for a second person of the caller's role and organisation, and nothing has moved yet",
            "content": { "application/json": { "schema": reference("ApprovalRequest") } }
        });
        if operation.answer == "ApprovalRequest" {
            // Such an operation only ever asks.
            if let Some(responses) = entry["responses"].as_object_mut() {
                responses.remove("200");
            }
        }
    }
    shared_parts(
        &mut entry,
        Facts {
            changes: operation.changes,
            rate_limited: operation.rate_limited,
            lookups_by_citizen_id: LOOKUPS_BY_CITIZEN_ID.contains(&operation.id),
            has_body: operation.body.is_some(),
            signed_in: operation.signed_in,
        },
    );
    if let Some(body) = operation.body {
        let media = match body {
            "DeclarationCsv" => "text/csv",
            "Pdf" => "application/pdf",
            _ => "application/json",
        };
        entry["requestBody"] = json!({
            "required": true,
            "content": { media: { "schema": reference(body) } }
        });
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object that lists `properties` closes them and requires only listed fields; an
    /// object without `properties` is free-form, allowed only at the places in `FREE`.
    fn assert_closed(schema: &Value, at: &str) {
        const FREE: [&str; 3] = ["OpenApi.info", "OpenApi.paths", "OpenApi.components"];
        if let Some(properties) = schema["properties"].as_object() {
            assert_eq!(schema["additionalProperties"], json!(false), "{at} is open");
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                assert!(
                    properties.contains_key(name),
                    "{at} requires unknown {name}"
                );
            }
            for (name, property) in properties {
                assert_closed(property, &format!("{at}.{name}"));
            }
        } else if schema["type"] == "object" || schema["type"][0] == "object" {
            assert!(FREE.contains(&at), "{at} is a free-form object");
        }
        if let Some(items) = schema.get("items") {
            assert_closed(items, &format!("{at}[]"));
        }
        // A choice is typed when each of its branches is.
        for (i, branch) in schema["oneOf"].as_array().into_iter().flatten().enumerate() {
            assert_closed(branch, &format!("{at}|{i}"));
        }
        assert!(
            schema.get("type").is_some()
                || schema.get("$ref").is_some()
                || schema.get("enum").is_some()
                || schema.get("oneOf").is_some(),
            "{at} has no type"
        );
    }

    #[test]
    fn every_json_answer_has_a_closed_schema() {
        let answers = answer_schemas();
        for operation in legacy::TABLE {
            if media_of(operation.answer) == "application/json" {
                assert!(
                    answers.contains_key(operation.answer),
                    "{} has no schema",
                    operation.answer
                );
            }
        }
        for (name, schema) in &answers {
            assert_closed(schema, name);
        }
        let document = document();
        let requests = request_schemas();
        for name in answers.keys() {
            assert!(
                !requests.contains_key(name),
                "{name} names a request and an answer"
            );
            assert_eq!(
                &document["components"]["schemas"][name], &answers[name],
                "{name}"
            );
        }
    }

    #[test]
    fn derived_schemas_are_new_closed_and_read_as_written() {
        let mut generators = Generators::new();
        for entry in crate::api::AREAS.iter().flat_map(|area| area.iter()) {
            (entry.describe)(&mut generators);
        }
        let derived = generators.definitions();
        assert!(derived.is_ok(), "{derived:?}");
        let (requests, answers) = (request_schemas(), answer_schemas());
        for (name, schema) in derived.unwrap_or_default() {
            assert!(
                !requests.contains_key(&name) && !answers.contains_key(&name),
                "{name} is derived and hand-written"
            );
            assert_closed(&schema, &name);
        }
    }
}
