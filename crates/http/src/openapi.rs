//! The OpenAPI 3.1 document and the offline docs page, generated from [`crate::api`].

use serde_json::{Map, Value, json};

use crate::api::OPERATIONS;

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

/// A settlement as answered: its split in fen, and the diagnosis masked unless the holder
/// reads their own.
fn settlement_answer() -> Value {
    let mut properties = Map::new();
    for name in [
        "id",
        "institution_id",
        "bill_number",
        "person_id",
        "insured_region",
        "treated_region",
    ] {
        properties.insert(name.to_owned(), text());
    }
    properties.insert(
        "visit".into(),
        json!({ "enum": ["outpatient", "inpatient", "pharmacy"] }),
    );
    properties.insert(
        "status".into(),
        json!({ "enum": ["preview", "settled", "undone"] }),
    );
    for name in [
        "total_fen",
        "self_paid_fen",
        "over_limit_fen",
        "class_b_first_share_fen",
        "in_scope_fen",
        "deductible_fen",
        "fund_fen",
        "supplementary_fen",
        "account_fen",
        "cash_fen",
    ] {
        properties.insert(name.to_owned(), fen());
    }
    properties.insert("settled_at".into(), opt_text());
    properties.insert("undone_at".into(), opt_text());
    properties.insert(
        "diagnosis".into(),
        json!({
            "type": ["object", "null"],
            "description": "Masked (code `J**`, text `***`, `masked` true) except in the holder's own settlement list",
            "properties": { "code": text(), "text": opt_text(), "masked": { "type": "boolean" } }
        }),
    );
    json!({ "type": "object", "properties": properties })
}

fn request_schemas() -> Map<String, Value> {
    let parameters = object(
        &[
            (
                "social_pin_retries_max",
                json!({ "type": "integer", "minimum": 1, "maximum": 10 }),
            ),
            (
                "financial_pin_retries_max",
                json!({ "type": "integer", "minimum": 1, "maximum": 10 }),
            ),
            (
                "temporary_loss_days",
                json!({ "type": "integer", "minimum": 1, "maximum": 90 }),
            ),
            (
                "temporary_card_validity_days",
                json!({ "type": "integer", "minimum": 1, "maximum": 183 }),
            ),
            (
                "card_validity_years",
                json!({ "type": "integer", "minimum": 1, "maximum": 20 }),
            ),
            ("deposit_only_accepts_credits", json!({ "type": "boolean" })),
            ("single_operation_max_fen", fen()),
        ],
        &[],
    );
    let entries = [
        (
            "SignIn",
            object(
                &[
                    ("username", text()),
                    ("password", json!({ "type": "string", "writeOnly": true })),
                ],
                &[("kind", json!({ "enum": ["browser", "api"] }))],
            ),
        ),
        (
            "NewUser",
            object(
                &[
                    ("username", text()),
                    (
                        "password",
                        json!({ "type": "string", "minLength": 12, "writeOnly": true }),
                    ),
                    (
                        "role",
                        json!({ "enum": ["administrator", "bureau_clerk", "bank_teller", "bank_system", "auditor", "cardholder", "employer", "cashier"] }),
                    ),
                ],
                &[
                    ("branch_id", opt_text()),
                    ("bank_id", opt_text()),
                    ("person_id", opt_text()),
                    ("employer_id", opt_text()),
                    ("institution_id", opt_text()),
                ],
            ),
        ),
        (
            "NewRegion",
            object(
                &[
                    ("code", json!({ "type": "string", "pattern": "^[0-9]{6}$" })),
                    ("name", text()),
                ],
                &[],
            ),
        ),
        (
            "NewParameters",
            object(
                &[
                    (
                        "effective_from",
                        json!({ "type": "string", "format": "date" }),
                    ),
                    ("parameters", parameters.clone()),
                ],
                &[],
            ),
        ),
        ("Parameters", parameters),
        (
            "NewBank",
            object(
                &[
                    ("id", text()),
                    ("name", text()),
                    ("bin", json!({ "type": "string", "pattern": "^[0-9]{6}$" })),
                ],
                &[],
            ),
        ),
        (
            "NewBranch",
            object(&[("id", text()), ("name", text()), ("region", text())], &[]),
        ),
        (
            "NewPerson",
            object(
                &[
                    ("citizen_id", citizen_id()),
                    ("name", text()),
                    ("nationality", text()),
                    ("household_region", text()),
                    ("household_kind", json!({ "enum": ["urban", "rural"] })),
                ],
                &[("phone", opt_text())],
            ),
        ),
        ("PersonLookup", object(&[("citizen_id", citizen_id())], &[])),
        (
            "PersonCorrection",
            object(
                &[("reason", text())],
                &[
                    ("citizen_id", opt_text()),
                    ("name", opt_text()),
                    ("nationality", opt_text()),
                    ("household_region", opt_text()),
                    ("household_kind", opt_text()),
                    ("phone", opt_text()),
                ],
            ),
        ),
        ("Unmask", object(&[("reason", text())], &[])),
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
            "NewInstitution",
            object(
                &[
                    ("id", text()),
                    ("name", text()),
                    ("region", text()),
                    ("kind", json!({ "enum": ["hospital", "pharmacy"] })),
                    (
                        "level",
                        json!({ "type": "integer", "minimum": 0, "maximum": 3 }),
                    ),
                ],
                &[],
            ),
        ),
        (
            "NewCatalogueItem",
            object(
                &[
                    ("code", text()),
                    ("name", text()),
                    ("class", json!({ "enum": ["a", "b", "self_paid"] })),
                    (
                        "effective_from",
                        json!({ "type": "string", "format": "date" }),
                    ),
                ],
                &[
                    ("first_share_ppm", json!({ "type": ["integer", "null"] })),
                    ("limit_price_fen", json!({ "type": ["integer", "null"] })),
                ],
            ),
        ),
        (
            "NewMedicalPolicy",
            object(
                &[
                    ("year", json!({ "type": "integer" })),
                    ("policy", json!({ "type": "object" })),
                ],
                &[],
            ),
        ),
        (
            "Identification",
            object(&[], &[("card_id", opt_text()), ("citizen_id", opt_text())]),
        ),
        (
            "BillRequest",
            object(
                &[
                    (
                        "person",
                        json!({ "$ref": "#/components/schemas/Identification" }),
                    ),
                    ("bill_number", text()),
                    (
                        "visit",
                        json!({ "enum": ["outpatient", "inpatient", "pharmacy"] }),
                    ),
                    (
                        "lines",
                        json!({ "type": "array", "items": object(&[("code", text()), ("quantity", json!({ "type": "integer", "minimum": 1 })), ("unit_price_fen", fen())], &[]) }),
                    ),
                ],
                &[
                    ("use_account", json!({ "type": "boolean" })),
                    (
                        "diagnosis",
                        json!({ "$ref": "#/components/schemas/Diagnosis" }),
                    ),
                ],
            ),
        ),
        (
            "Diagnosis",
            json!({
                "type": ["object", "null"],
                "description": "Medical data: encrypted at rest, never audited or logged, and masked (code `J**`, text `***`) in every answer except the holder's own settlement list",
                "properties": {
                    "code": { "type": "string", "pattern": "^[A-Z][0-9][0-9A-Z](\\.[0-9A-Za-z]{1,8})?$", "description": "ICD-10 code, e.g. J18.9, J18.900 or J18.900x001" },
                    "text": { "type": ["string", "null"], "maxLength": 200, "description": "Free text, e.g. 肺炎" }
                },
                "required": ["code"],
                "additionalProperties": false
            }),
        ),
        ("Settlement", settlement_answer()),
        (
            "SettlementList",
            json!({ "type": "array", "items": { "$ref": "#/components/schemas/Settlement" } }),
        ),
        (
            "SettlementQuestion",
            object(
                &[
                    ("total_fen", fen()),
                    ("self_paid_fen", fen()),
                    ("over_limit_fen", fen()),
                    ("class_b_fen", fen()),
                    ("class_b_ratio", text()),
                    ("deductible_remaining_fen", fen()),
                    ("pool_ratio", text()),
                    ("cap_remaining_fen", fen()),
                    ("account_balance_fen", fen()),
                ],
                &[],
            ),
        ),
        (
            "ReconciliationFile",
            object(
                &[
                    ("date", json!({ "type": "string", "format": "date" })),
                    ("csv", text()),
                ],
                &[],
            ),
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

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let mut schemas = request_schemas();
    let mut paths = Map::new();
    for operation in OPERATIONS {
        // The few answers that are not JSON, by their media type.
        let answer_media = match operation.answer {
            "Csv" => "text/csv",
            "Pdf" => "application/pdf",
            "Health" | "Metrics" => "text/plain",
            "Html" => "text/html",
            _ => "application/json",
        };
        if !schemas.contains_key(operation.answer) {
            let schema = if answer_media == "application/json" {
                json!({ "type": ["object", "array", "string"] })
            } else {
                json!({ "type": "string", "contentMediaType": answer_media })
            };
            schemas.insert(operation.answer.to_owned(), schema);
        }
        let mut parameters: Vec<Value> = operation
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        for name in operation.query {
            parameters.push(json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" } }));
        }
        if operation.changes {
            parameters.push(json!({
                "name": "Idempotency-Key", "in": "header", "required": true,
                "description": "Client-chosen key, 8-128 characters: a retry with the same key and body returns the first answer",
                "schema": { "type": "string", "minLength": 8, "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]+$" }
            }));
        }
        let mut entry = json!({
            "operationId": operation.id,
            "summary": operation.summary,
            "tags": [operation.tag],
            "parameters": parameters,
            "responses": {
                "200": { "description": "OK", "content": { answer_media: { "schema": { "$ref": format!("#/components/schemas/{}", operation.answer) } } } },
                "default": { "description": "Problem", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            }
        });
        if operation.rate_limited {
            entry["responses"]["429"] = json!({
                "description": "Too many attempts from this client address (`code` too_many_requests; nothing was checked), or the login is locked after repeated failures (`code` sign_in_locked)",
                "headers": { "Retry-After": { "description": "Seconds until attempts are accepted again", "schema": { "type": "integer", "minimum": 1 } } },
                "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
            });
        }
        if let Some(body) = operation.body {
            let media = match body {
                "DeclarationCsv" => "text/csv",
                "Pdf" => "application/pdf",
                _ => "application/json",
            };
            entry["requestBody"] = json!({
                "required": true,
                "content": { media: { "schema": { "$ref": format!("#/components/schemas/{body}") } } }
            });
        }
        entry["security"] = if operation.signed_in {
            json!([{ "bearer": [] }])
        } else {
            json!([])
        };
        let item = paths
            .entry(operation.path.to_owned())
            .or_insert_with(|| json!({}));
        item[operation.method.to_ascii_lowercase()] = entry;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Shebao social security card API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Cards, persons, bank activation and the card's financial account. Errors are application/problem+json with a stable `code`."
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        }
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The docs page: every operation, grouped by tag, with no external resources.
pub fn docs_page() -> String {
    let mut rows = String::new();
    let mut tag = "";
    for operation in OPERATIONS {
        if operation.tag != tag {
            tag = operation.tag;
            rows.push_str(&format!(
                "<tr><th colspan=\"4\" scope=\"rowgroup\">{}</th></tr>\n",
                escape(tag)
            ));
        }
        rows.push_str(&format!(
            "<tr id=\"{id}\"><td><code>{method}</code></td><td><code>{path}</code></td><td><code>{id}</code></td><td>{summary}{body}{key}</td></tr>\n",
            id = operation.id,
            method = operation.method,
            path = escape(operation.path),
            summary = escape(operation.summary),
            body = operation.body.map(|b| format!(" <small>body: {b}</small>")).unwrap_or_default(),
            key = if operation.changes { " <small>Idempotency-Key required</small>" } else { "" },
        ));
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Shebao API</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}}table{{border-collapse:collapse;width:100%}}\
td,th{{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}}th{{background:#eef}}code{{font-size:.95em}}</style></head>\
<body><h1>Shebao API</h1><p>{count} operations. Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI 3.1). \
Sign in with <code>POST /api/v1/sessions</code> and send <code>Authorization: Bearer &lt;token&gt;</code>. Every state change takes an \
<code>Idempotency-Key</code> header. Errors are <code>application/problem+json</code> with a stable <code>code</code>.</p>\
<table><thead><tr><th scope=\"col\">Method</th><th scope=\"col\">Path</th><th scope=\"col\">Operation</th><th scope=\"col\">What it does</th></tr></thead>\
<tbody>{rows}</tbody></table></body></html>",
        count = OPERATIONS.len()
    )
}
