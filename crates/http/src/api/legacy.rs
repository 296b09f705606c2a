//! The old table of API operations, rows of strings: what is not yet a typed item of
//! [`super::Operation`]. Each area's helper moves its rows to `api/<area>.rs` and deletes them
//! here, with their handlers in `handlers.rs` and their schemas in `openapi.rs`.

/// One HTTP operation.
#[derive(Debug, Clone, Copy)]
pub struct ApiOperation {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// The request body's schema name, for POST operations with a body.
    pub body: Option<&'static str>,
    /// The answer's schema name.
    pub answer: &'static str,
    /// Query parameters (all optional).
    pub query: &'static [&'static str],
    /// Whether the caller must be signed in.
    pub signed_in: bool,
    /// Whether the operation changes state (and so takes an `Idempotency-Key`).
    pub changes: bool,
    /// Whether attempts are limited per client address (answering 429 with `Retry-After`).
    pub rate_limited: bool,
    /// Whether the change may wait for a second person (issue 13, maker-checker): it then
    /// answers 202 with the `ApprovalRequest` and moves nothing yet.
    pub awaits_approval: bool,
}

const fn op(
    id: &'static str,
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    body: Option<&'static str>,
    answer: &'static str,
) -> ApiOperation {
    let changes = matches!(method.as_bytes(), b"POST" | b"DELETE");
    ApiOperation {
        id,
        method,
        path,
        tag,
        summary,
        body,
        answer,
        query: &[],
        signed_in: true,
        changes,
        rate_limited: false,
        awaits_approval: false,
    }
}

const fn with_query(operation: ApiOperation, query: &'static [&'static str]) -> ApiOperation {
    ApiOperation { query, ..operation }
}

const fn public(operation: ApiOperation) -> ApiOperation {
    ApiOperation {
        signed_in: false,
        changes: false,
        ..operation
    }
}

/// Marks an operation limited per client address (sign-in).
const fn rate_limited(operation: ApiOperation) -> ApiOperation {
    ApiOperation {
        rate_limited: true,
        ..operation
    }
}

/// Marks a change that may wait for a second person's approval (answered 202).
#[allow(dead_code, reason = "issue 14: used until the last operation moves")]
const fn awaits_approval(operation: ApiOperation) -> ApiOperation {
    ApiOperation {
        awaits_approval: true,
        ..operation
    }
}

/// Marks a POST that takes no `Idempotency-Key` header: it reads, signs in, or carries a key
/// in each of its operations (a batch).
const fn not_changing(operation: ApiOperation) -> ApiOperation {
    ApiOperation {
        changes: false,
        ..operation
    }
}

/// The operations not yet moved to typed items ([`super::Operation`]), in the order the
/// access matrix lists them after the typed ones.
pub const TABLE: &[ApiOperation] = &[
    op(
        "create_user",
        "POST",
        "/api/v1/users",
        "administration",
        "Create a staff or machine login (administrator); a holder login is refused (holder_login_by_enrolment)",
        Some("NewUser"),
        "User",
    ),
    rate_limited(public(op(
        "enrol_holder_login",
        "POST",
        "/api/v1/holder-logins",
        "sessions",
        "A holder's own enrolment: ID number, card number, identification code and social PIN of a collected card, and the login wanted. Any mismatch answers holder_enrolment_refused; a wrong PIN counts toward the card's PIN lock. Limited per client address (429 too_many_requests with Retry-After)",
        Some("SelfEnrolment"),
        "User",
    ))),
    op(
        "open_holder_login",
        "POST",
        "/api/v1/persons/{person}/holder-login",
        "persons",
        "Open the person's holder login at a bureau window, original ID document checked; answers a one-time password, shown once",
        Some("WindowEnrolment"),
        "HolderLoginIssued",
    ),
    op(
        "reset_holder_login",
        "POST",
        "/api/v1/persons/{person}/holder-login/reset",
        "persons",
        "Reset the person's holder password at a bureau window, original ID document checked; answers a one-time password, shown once, and ends the holder's sessions",
        Some("LoginReset"),
        "HolderLoginIssued",
    ),
    op(
        "list_regions",
        "GET",
        "/api/v1/regions",
        "reference",
        "Issuing regions",
        None,
        "RegionList",
    ),
    op(
        "create_region",
        "POST",
        "/api/v1/regions",
        "reference",
        "Add an issuing region",
        Some("NewRegion"),
        "Region",
    ),
    op(
        "list_parameters",
        "GET",
        "/api/v1/regions/{region}/parameters",
        "reference",
        "Every version of a region's parameters",
        None,
        "ParametersList",
    ),
    op(
        "add_parameters",
        "POST",
        "/api/v1/regions/{region}/parameters",
        "reference",
        "Add a version of a region's parameters, effective from a date",
        Some("NewParameters"),
        "ParametersVersion",
    ),
    op(
        "list_banks",
        "GET",
        "/api/v1/banks",
        "reference",
        "Cooperating banks",
        None,
        "BankList",
    ),
    op(
        "create_bank",
        "POST",
        "/api/v1/banks",
        "reference",
        "Add a cooperating bank",
        Some("NewBank"),
        "Bank",
    ),
    op(
        "list_branches",
        "GET",
        "/api/v1/banks/{bank}/branches",
        "reference",
        "A bank's branches",
        None,
        "BranchList",
    ),
    op(
        "create_branch",
        "POST",
        "/api/v1/banks/{bank}/branches",
        "reference",
        "Add a branch to a bank",
        Some("NewBranch"),
        "Branch",
    ),
    op(
        "register_person",
        "POST",
        "/api/v1/persons",
        "persons",
        "Register a person from the citizen ID number",
        Some("NewPerson"),
        "Person",
    ),
    not_changing(op(
        "find_person",
        "POST",
        "/api/v1/persons/lookup",
        "persons",
        "Find a person by ID number (kept out of URLs and logs); audited hit or miss, limited per actor (429 too_many_lookups)",
        Some("PersonLookup"),
        "Person",
    )),
    op(
        "get_person",
        "GET",
        "/api/v1/persons/{person}",
        "persons",
        "A person, masked",
        None,
        "Person",
    ),
    op(
        "correct_person",
        "POST",
        "/api/v1/persons/{person}/corrections",
        "persons",
        "Correct a person's record, with a reason; audited",
        Some("PersonCorrection"),
        "Person",
    ),
    not_changing(op(
        "unmask_person",
        "POST",
        "/api/v1/persons/{person}/unmask",
        "persons",
        "Show a person in clear, with a reason; audited",
        Some("Unmask"),
        "Person",
    )),
    with_query(
        op(
            "list_audit",
            "GET",
            "/api/v1/audit",
            "audit",
            "Audit records, newest first, filtered",
            None,
            "AuditList",
        ),
        &["actor", "action", "subject", "limit"],
    ),
    op(
        "verify_audit",
        "GET",
        "/api/v1/audit/verification",
        "audit",
        "Verify every audit chain",
        None,
        "AuditVerification",
    ),
    op(
        "register_institution",
        "POST",
        "/api/v1/institutions",
        "medical",
        "Register a designated hospital (level 1-3) or pharmacy",
        Some("NewInstitution"),
        "Institution",
    ),
    op(
        "add_catalogue_item",
        "POST",
        "/api/v1/regions/{region}/catalogue",
        "medical",
        "Add a version of a catalogue item (class A, B with its first share, or self-paid; limit price)",
        Some("NewCatalogueItem"),
        "CatalogueItem",
    ),
    op(
        "set_medical_policy",
        "POST",
        "/api/v1/regions/{region}/medical-policies",
        "medical",
        "Set a region's medical policy for a year (deductible, pool ratio, cap by level, visit and status)",
        Some("NewMedicalPolicy"),
        "MedicalPolicy",
    ),
    not_changing(op(
        "query_insured",
        "POST",
        "/api/v1/medical/person-query",
        "medical",
        "Person query: by the card, an electronic-card token or (with a reason) the ID number; insured region, status, the year so far, the account with the card only; audited",
        Some("Identification"),
        "Insured",
    )),
    not_changing(op(
        "pre_settle",
        "POST",
        "/api/v1/medical/pre-settlements",
        "medical",
        "Pre-settlement: the split of a bill; nothing moves",
        Some("BillRequest"),
        "Settlement",
    )),
    op(
        "settle",
        "POST",
        "/api/v1/medical/settlements",
        "medical",
        "Settlement: once per institution and bill number; fund and account shares post, cash is recorded",
        Some("BillRequest"),
        "Settlement",
    ),
    op(
        "undo_settlement",
        "POST",
        "/api/v1/medical/settlements/{bill}/undo",
        "medical",
        "Undo a settlement: money, deductible and cap restored exactly",
        None,
        "Settlement",
    ),
    with_query(
        op(
            "reconciliation",
            "GET",
            "/api/v1/institutions/{institution}/reconciliation",
            "medical",
            "A day's settlements and totals",
            None,
            "Reconciliation",
        ),
        &["date"],
    ),
    not_changing(op(
        "check_reconciliation",
        "POST",
        "/api/v1/institutions/{institution}/reconciliation-check",
        "medical",
        "Check an institution's reconciliation file against our records",
        Some("ReconciliationFile"),
        "ReconciliationCheck",
    )),
    op(
        "person_settlements",
        "GET",
        "/api/v1/persons/{person}/settlements",
        "medical",
        "A holder's medical settlements with their split",
        None,
        "SettlementList",
    ),
    not_changing(op(
        "calc_settlement",
        "POST",
        "/api/v1/calc/settlement",
        "calculators",
        "The split of a medical bill from its parts (medical.md)",
        Some("SettlementQuestion"),
        "SettlementAnswer",
    )),
];
