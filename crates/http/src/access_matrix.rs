//! The access-control matrix: who may call which API operation, on whose records. This is
//! the specification `shebao_domain::access::permits` and the application's scope checks are
//! tested against (the black-box test `crates/cli/tests/access.rs` calls every operation as
//! every role on its own record, another tenant's record and a record that does not exist).
//! It is written down here on its own, not derived from `permits`, so that a change to either
//! shows up as a difference.
//!
//! Every operation of [`crate::api::all`] has exactly one row, checked when the crate
//! compiles: an operation added without a row, or a row naming no operation, fails the build.
//!
//! The columns follow [`Role::ALL`]: administrator, bureau clerk, bank teller, bank system,
//! auditor, cardholder, employer, cashier, appraisal secretary, training provider,
//! production officer, card vendor. What
//! "own" means depends on the role: a teller's and a bank system's own records are the cards,
//! accounts, transfers and persons of their bank; a cardholder's are their own person, cards
//! and certificates; an employer's are the unit itself, its declarations, its enrolments and
//! the persons it insures; a cashier's are their institution and its bills; a training
//! provider's are its courses and their trainees; a card vendor's are the vendor itself, its
//! products and their gates. The clerk, the administrator and the
//! auditor are bound to nothing, so for them a row says [`Expect::Any`] or [`Expect::Deny`].
//!
//! Deliberate choices the table records (see `shebao_domain::access`):
//! - the administrator handles reference data and logins, never personal data or money;
//! - nobody who moves money or touches persons reads the audit trail, and the auditor only
//!   reads (the trail, reference data, benefit records);
//! - reference data (regions, banks, branches) is read by people, not by bank systems or
//!   cashiers, which need none of it;
//! - a formal loss, financial activation and cash are counter business of the card's own bank
//!   (the clerk activates nothing and handles no cash);
//! - an employer sees its own rows of a person's record, never the person's totals, pension
//!   or personal accounts;
//! - a cashier may identify and settle any insured patient (patients come from everywhere),
//!   but sees and undoes only their own institution's bills, and no person's history;
//! - the auditor reads persons' benefit records (unemployment spells, payments, referrals,
//!   receivables), every read audited, and changes nothing;
//! - the appraisal committee's secretary keeps the expert pool, draws panels and records
//!   conclusions, and reaches nothing else (no person's record, no money); the panel's
//!   experts are shown to the bureau, the committee and the auditor, not to the parties;
//! - a training provider's staff post their own provider's courses and record their own
//!   trainees' attendance and completion (trainees masked); the bureau registers
//!   providers, reviews courses and pays the subsidies, so no provider pays itself;
//! - the production desk registers vendors and products, records the gate's approvals and
//!   the test cards' audits and keeps the region's master keys (by id: no key is ever
//!   shown) and makes the production batches; a vendor's staff read their own vendor,
//!   products, gates and batches, record the test cards they make (never an audit) and
//!   report and ship their own batches' cards; the auditor reads all of it.

use shebao_domain::access::Role;

use crate::api::AREAS;

/// What one role may do with one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Refused whatever the record: `403 forbidden` (or, where the application hides what
    /// exists, the same `404` for an existing record as for a missing one).
    Deny,
    /// Allowed on any record; a missing record is `404`, never `403`.
    Any,
    /// Allowed on the role's own records only. Another's record is refused (`403`), hidden
    /// (`404`) or left out of a list.
    Own,
    /// Needs no sign-in at all.
    Public,
    /// Only the operator's token from the key file (`/metrics`): every role's session is
    /// refused with `401`.
    Operator,
}

/// One operation's expectations, one per role in [`Role::ALL`] order.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub operation: &'static str,
    pub roles: Columns,
}

/// One expectation per role, in [`Role::ALL`] order.
pub type Columns = [Expect; Role::ALL.len()];

const DENY: Expect = Expect::Deny;
const ANY: Expect = Expect::Any;
const OWN: Expect = Expect::Own;
const PUBLIC: Expect = Expect::Public;

const fn row(operation: &'static str, roles: Columns) -> Row {
    Row { operation, roles }
}

/// Only the administrator.
const ADMINISTRATOR: Columns = [
    ANY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Only the bureau clerk.
const CLERK: Columns = [
    DENY, ANY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Reference data: everybody but the machine clients (bank systems) and cashiers.
const REFERENCE: Columns = [ANY, ANY, ANY, DENY, ANY, ANY, ANY, DENY, ANY, ANY, ANY, ANY];
/// Whoever is signed in.
const SIGNED_IN: Columns = [ANY; 12];
/// No sign-in needed.
const OPEN: Columns = [PUBLIC; 12];
/// The operator's scrape token only; no role.
const OPERATOR: Columns = [Expect::Operator; 12];
/// A card or its account: the clerk any, bank staff their bank's, the holder their own.
const CARD_READ: Columns = [
    DENY, ANY, OWN, OWN, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// A person: the clerk any, a teller those holding a card of the bank, the holder themself.
const PERSON_READ: Columns = [
    DENY, ANY, OWN, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// An employer's own business: the clerk any, the employer its own.
const EMPLOYER_BUSINESS: Columns = [
    DENY, ANY, DENY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY,
];
/// Only an employer, for itself.
const EMPLOYER_OWN: Columns = [
    DENY, DENY, DENY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY,
];
/// A person's insurance record: the clerk any, the holder their own, an employer its
/// employees' (its own rows).
const INSURANCE_READ: Columns = [
    DENY, ANY, DENY, DENY, DENY, OWN, OWN, DENY, DENY, DENY, DENY, DENY,
];
/// A person's totals and accounts: the clerk any, the holder their own; no employer.
const INSURANCE_TOTALS: Columns = [
    DENY, ANY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Calculators: the clerk and employers.
const CALCULATOR: Columns = [
    DENY, ANY, DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY, DENY,
];
/// The published vacancies: the clerk, holders and employers, any of them.
const JOB_SEARCH: Columns = [
    DENY, ANY, DENY, DENY, DENY, ANY, ANY, DENY, DENY, DENY, DENY, DENY,
];
/// Only a holder, on any published vacancy.
const JOB_SEEKER: Columns = [
    DENY, DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Registering as unemployed: the clerk at the window for anyone, the holder themself.
const UNEMPLOYMENT_REGISTER: Columns = [
    DENY, ANY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// A maternity claim: the clerk at the window for anyone, the holder for herself, the
/// employer for its employees.
const MATERNITY_CLAIM: Columns = [
    DENY, ANY, DENY, DENY, DENY, OWN, OWN, DENY, DENY, DENY, DENY, DENY,
];
/// A person's benefit record: the clerk and the auditor any, the holder their own.
const BENEFIT_READ: Columns = [
    DENY, ANY, DENY, DENY, ANY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// A work-injury application: the clerk at the window for anyone, the holder for
/// themself, the employer for its employees (and its own cases).
const INJURY_APPLY: Columns = [
    DENY, ANY, DENY, DENY, DENY, OWN, OWN, DENY, DENY, DENY, DENY, DENY,
];
/// Only a training provider's staff, on their own provider's courses and trainees.
const PROVIDER_OWN: Columns = [
    DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, OWN, DENY, DENY,
];
/// The courses open for enrolment: the clerk and holders.
const COURSE_SEARCH: Columns = [
    DENY, ANY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Only the bureau's production desk.
const PRODUCTION_DESK: Columns = [
    DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, ANY, DENY,
];
/// Every vendor's production records: the production desk and the auditor.
const PRODUCTION_ALL: Columns = [
    DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY, DENY, ANY, DENY,
];
/// A vendor's production records: the desk and the auditor any, the vendor's staff their own.
const PRODUCTION_READ: Columns = [
    DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY, DENY, ANY, OWN,
];
/// The desk, the auditor and every vendor's staff, each answered their own (a list) or
/// what is public (the bureau's signing key).
const PRODUCTION_ANY: Columns = [
    DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY, DENY, ANY, ANY,
];
/// Only a vendor's staff, acting for their own vendor by construction.
const VENDOR_SELF: Columns = [
    DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, ANY,
];
/// A region's pick-up points: the clerk, the teller, the auditor, the holder, the desk.
const POINTS: Columns = [
    DENY, ANY, ANY, DENY, ANY, ANY, DENY, DENY, DENY, DENY, ANY, DENY,
];
/// A point's shipments and cards: the bureau's clerks (every service centre), a bank's
/// tellers (their own branch's point), the auditor and the desk.
const POINT_READ: Columns = [
    DENY, ANY, OWN, DENY, ANY, DENY, DENY, DENY, DENY, DENY, ANY, DENY,
];
/// Counting at a point and recalling from it: the bureau's clerks at service centres, a
/// bank's tellers at their own branch's point.
const POINT_STAFF: Columns = [
    DENY, ANY, OWN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Choosing where a card is collected: the holder for their own card, the clerk for anyone.
const POINT_CHOICE: Columns = [
    DENY, ANY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Only the holder, on their own card.
const HOLDER_OWN: Columns = [
    DENY, DENY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// The holder, on their own records by construction.
const HOLDER_SELF: Columns = [
    DENY, DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Only a vendor's staff, on their own vendor's products.
const VENDOR_OWN: Columns = [
    DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, OWN,
];
/// Only the appraisal committee's secretary.
const SECRETARY: Columns = [
    DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY,
];
/// Only a teller of the card's own bank.
const OWN_BANK_COUNTER: Columns = [
    DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Only the card bank's own system.
const OWN_BANK_SYSTEM: Columns = [
    DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Only a cashier, for any patient.
const CASHIER: Columns = [
    DENY, DENY, DENY, DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY,
];
/// An institution's own business: the clerk any, a cashier their own institution's.
const INSTITUTION_BUSINESS: Columns = [
    DENY, ANY, DENY, DENY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY,
];
/// A card at the counter: the clerk any, a teller their bank's.
const CARD_COUNTER: Columns = [
    DENY, ANY, OWN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// A loss report and its withdrawal: the counters, and the holder online for their own card
/// (a temporary loss only; the application refuses the holder a formal one).
const LOSS: Columns = [
    DENY, ANY, OWN, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Only the holder, on their own card.
const HOLDER: Columns = [
    DENY, DENY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Revoking an electronic card: the holder their own, the clerk anyone's.
const ECARD_REVOKE: Columns = [
    DENY, ANY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// Checking an electronic card's code: the clerk, a teller and a cashier, any holder's.
const CODE_CHECK: Columns = [
    DENY, ANY, ANY, DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY,
];
/// Only the auditor.
const AUDITOR: Columns = [
    DENY, DENY, DENY, DENY, ANY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
];
/// A peer of a request's maker: another clerk for a clerk's, another teller of the bank for a
/// teller's.
const MAKER_PEER: Columns = [
    DENY, OWN, OWN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
];

/// The expected table, by area (its order is its own: rows are matched to
/// [`crate::api::all`] by operation id).
pub const EXPECTED: &[Row] = &[
    row("sign_in", OPEN),
    row("sign_out", SIGNED_IN),
    row("whoami", SIGNED_IN),
    row("healthz", OPEN),
    row("readyz", OPEN),
    row("metrics", OPERATOR),
    row("openapi", OPEN),
    row("docs", OPEN),
    row("create_user", ADMINISTRATOR),
    row("enrol_holder_login", OPEN),
    row("open_holder_login", CLERK),
    row("reset_holder_login", CLERK),
    row("list_regions", REFERENCE),
    row("create_region", ADMINISTRATOR),
    row("list_parameters", REFERENCE),
    row("add_parameters", ADMINISTRATOR),
    row("list_banks", REFERENCE),
    row("create_bank", ADMINISTRATOR),
    row("list_branches", REFERENCE),
    row("create_branch", ADMINISTRATOR),
    row("register_person", CLERK),
    row("find_person", PERSON_READ),
    row("get_person", PERSON_READ),
    row("correct_person", CLERK),
    row(
        "unmask_person",
        [
            DENY, ANY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY,
        ],
    ),
    row("list_person_cards", CARD_READ),
    row("apply_card", CLERK),
    row("issue_temporary_card", CLERK),
    row("get_card", CARD_READ),
    row("card_history", CARD_READ),
    row("find_cards", CARD_READ),
    row("start_production", CLERK),
    row("mark_ready", CLERK),
    row("collect_card", CARD_COUNTER),
    // The carrier checked the ID card at the door: the holder finishes collection alone.
    row("collect_mailed_card", HOLDER_OWN),
    row("activate_financial", OWN_BANK_COUNTER),
    row(
        "verify_social_pin",
        [
            DENY, ANY, DENY, OWN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
        ],
    ),
    row("change_social_pin", HOLDER),
    row("unlock_social_pin", CARD_COUNTER),
    row("unlock_financial_pin", OWN_BANK_COUNTER),
    // A temporary loss; a holder may not report a formal one (that is made in person).
    row("report_loss", LOSS),
    row("cancel_loss", LOSS),
    row("request_replacement", CLERK),
    row("request_renewal", CLERK),
    row("return_temporary_card", CLERK),
    row("cancel_card", CLERK),
    row("get_card_account", CARD_READ),
    row("deposit", OWN_BANK_COUNTER),
    row("withdraw", OWN_BANK_COUNTER),
    row("purchase", OWN_BANK_SYSTEM),
    row("cards_awaiting_bank_number", OWN_BANK_SYSTEM),
    row("assign_bank_card_number", OWN_BANK_SYSTEM),
    row("credit_benefit", CLERK),
    // A batch is refused to roles that move no card money; each operation in it is then
    // authorised and scoped on its own (its result says so, the batch answers 200).
    row(
        "submit_batch",
        [
            DENY, ANY, ANY, ANY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
        ],
    ),
    row("transfer", OWN_BANK_SYSTEM),
    row("reverse_transfer", OWN_BANK_COUNTER),
    // Issue 13, finding 9: requests waiting for a second person. The list is the caller's own
    // role and organisation by construction; a request is decided only by a peer of its maker
    // (another clerk for a clerk's, another teller of the bank for a teller's), never by the
    // auditor, a machine or the administrator.
    row(
        "list_approvals",
        [
            DENY, ANY, ANY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY,
        ],
    ),
    row("approve", MAKER_PEER),
    row("reject", MAKER_PEER),
    row("get_statement", CARD_READ),
    row("list_audit", AUDITOR),
    row("verify_audit", AUDITOR),
    row("add_contribution_parameters", ADMINISTRATOR),
    row("register_employer", CLERK),
    row("get_employer", EMPLOYER_BUSINESS),
    row("list_arrears", EMPLOYER_BUSINESS),
    row("import_declaration", EMPLOYER_BUSINESS),
    row("declare_rows", EMPLOYER_BUSINESS),
    row("declaration_errors", EMPLOYER_BUSINESS),
    row("record_contribution_payment", CLERK),
    row("order_contribution_payment", EMPLOYER_OWN),
    row("enrol", EMPLOYER_BUSINESS),
    row("end_enrolment", EMPLOYER_BUSINESS),
    row("transfer_insured_place", CLERK),
    row("list_enrolments", INSURANCE_READ),
    row("contribution_history", INSURANCE_READ),
    row("insurance_summary", INSURANCE_TOTALS),
    row("personal_account_statement", INSURANCE_TOTALS),
    row("award_pension", CLERK),
    row("get_pension_award", INSURANCE_TOTALS),
    row("run_pension_payout", CLERK),
    row("credit_pension_interest", CLERK),
    row("issue_certificate", INSURANCE_TOTALS),
    row("certificate_pdf", INSURANCE_TOTALS),
    row("verify_certificate", OPEN),
    row("verify_certificate_document", OPEN),
    row("calc_retirement", CALCULATOR),
    row("calc_pension", CALCULATOR),
    row("calc_contribution", CALCULATOR),
    row("calc_unemployment", CALCULATOR),
    row("calc_injury", CALCULATOR),
    row("calc_death", CALCULATOR),
    row("calc_maternity", CALCULATOR),
    // Issue 19: the electronic card. The holder takes and shows their own; a clerk revokes
    // anyone's; a clerk, a teller and a cashier check any code (a look-up, audited).
    row("issue_ecard", HOLDER_OWN),
    row("list_my_ecards", HOLDER_SELF),
    row("show_ecard_code", HOLDER_OWN),
    row("revoke_ecard", ECARD_REVOKE),
    row("check_ecard_code", CODE_CHECK),
    row("list_ecard_keys", PRODUCTION_ALL),
    row("create_ecard_key", PRODUCTION_DESK),
    row("withdraw_ecard_key", PRODUCTION_DESK),
    row("published_ecard_keys", OPEN),
    row("register_institution", CLERK),
    row("add_catalogue_item", ADMINISTRATOR),
    row("set_medical_policy", ADMINISTRATOR),
    row("query_insured", CASHIER),
    row("pre_settle", CASHIER),
    row("settle", CASHIER),
    row("search_catalogue", CASHIER),
    row(
        "undo_settlement",
        [
            DENY, DENY, DENY, DENY, DENY, DENY, DENY, OWN, DENY, DENY, DENY, DENY,
        ],
    ),
    row("reconciliation", INSTITUTION_BUSINESS),
    row("check_reconciliation", INSTITUTION_BUSINESS),
    row("person_settlements", INSURANCE_TOTALS),
    row("calc_settlement", CALCULATOR),
    row("post_vacancy", EMPLOYER_OWN),
    row("employer_vacancies", EMPLOYER_OWN),
    row("close_vacancy", EMPLOYER_OWN),
    row("vacancies_to_review", CLERK),
    row("review_vacancy", CLERK),
    row("search_vacancies", JOB_SEARCH),
    row("get_vacancy", JOB_SEARCH),
    row("apply_for_job", JOB_SEEKER),
    row("withdraw_job_application", HOLDER),
    row("share_job_application", HOLDER),
    row("my_job_applications", HOLDER),
    // The employer its own vacancies' applicants (masked until each shares); the clerk any.
    row("list_applicants", EMPLOYER_BUSINESS),
    row("record_application_outcome", EMPLOYER_OWN),
    row("keep_job_profile", HOLDER),
    row("get_job_profile", HOLDER),
    row("add_benefit_parameters", ADMINISTRATOR),
    // The employer its own employees; the clerk any.
    row("report_leaver", EMPLOYER_BUSINESS),
    row("register_unemployed", UNEMPLOYMENT_REGISTER),
    row("unemployment_record", BENEFIT_READ),
    row("unemployment_claims", CLERK),
    row("decide_unemployment_claim", CLERK),
    row("stop_unemployment_benefit", CLERK),
    row("record_unemployment_fraud", CLERK),
    row("run_unemployment_payout", CLERK),
    row("refer_job_seeker", CLERK),
    row("record_referral_outcome", CLERK),
    row("refer_to_training", CLERK),
    row("record_training_referral_outcome", CLERK),
    row("claim_maternity_allowance", MATERNITY_CLAIM),
    row("maternity_claims", BENEFIT_READ),
    row("maternity_claims_to_decide", CLERK),
    row("decide_maternity_claim", CLERK),
    row("apply_injury_recognition", INJURY_APPLY),
    row("injury_record", BENEFIT_READ),
    row("employer_injury_cases", EMPLOYER_BUSINESS),
    row("injury_cases_to_decide", CLERK),
    row("decide_injury_case", CLERK),
    row("add_injury_expert", SECRETARY),
    row("injury_experts", SECRETARY),
    row("injury_cases_to_appraise", SECRETARY),
    row("draw_injury_panel", SECRETARY),
    row("conclude_injury_appraisal", SECRETARY),
    row("settle_injury_benefits", CLERK),
    row("settle_injury_death", CLERK),
    row("run_injury_payout", CLERK),
    row("register_training_provider", CLERK),
    row("list_training_providers", CLERK),
    row("post_training_course", PROVIDER_OWN),
    row("provider_training_courses", PROVIDER_OWN),
    row("training_courses_to_review", CLERK),
    row("review_training_course", CLERK),
    row("open_training_courses", COURSE_SEARCH),
    // A holder enrols themself in any open course, and withdraws only their own enrolment.
    row("enrol_in_training", JOB_SEEKER),
    row("withdraw_training_enrolment", HOLDER),
    row("training_record", BENEFIT_READ),
    row("course_trainees", PROVIDER_OWN),
    row("record_training_attendance", PROVIDER_OWN),
    row("record_training_completion", PROVIDER_OWN),
    row("training_subsidies_to_pay", CLERK),
    row("pay_training_subsidy", CLERK),
    row("register_card_vendor", PRODUCTION_DESK),
    // The list is the desk's and the auditor's; a vendor reads its own record by id.
    row("list_card_vendors", PRODUCTION_ALL),
    row("get_card_vendor", PRODUCTION_READ),
    row("record_vendor_credential", PRODUCTION_DESK),
    row("register_card_product", PRODUCTION_DESK),
    row("vendor_card_products", PRODUCTION_READ),
    row("get_card_product", PRODUCTION_READ),
    row("change_card_product", PRODUCTION_DESK),
    row("production_gate", PRODUCTION_READ),
    row("record_gate_approval", PRODUCTION_DESK),
    // The vendor records the test cards it makes; the audits are the bureau's to record.
    row("submit_test_card", VENDOR_OWN),
    row("record_test_card_audit", PRODUCTION_DESK),
    row("list_card_keys", PRODUCTION_ALL),
    row("create_card_key", PRODUCTION_DESK),
    row("create_production_batch", PRODUCTION_DESK),
    // The list is the caller's own by construction: all for the desk and the auditor, a
    // vendor's own batches for its staff (another's never in it).
    row("list_production_batches", PRODUCTION_ANY),
    row("get_production_batch", PRODUCTION_READ),
    row("production_batch_cards", PRODUCTION_READ),
    row("report_production_results", VENDOR_OWN),
    row("ship_production_batch", VENDOR_OWN),
    row("register_sealing_key", VENDOR_SELF),
    row("get_sealing_key", PRODUCTION_READ),
    row("production_signing_key", PRODUCTION_ANY),
    row("generate_personalisation_file", PRODUCTION_DESK),
    row("get_personalisation_file", PRODUCTION_READ),
    // The sealed parts go to the vendor they are sealed to, and to no one else.
    row("get_personalisation_part", VENDOR_OWN),
    row("register_pickup_point", PRODUCTION_DESK),
    row("list_pickup_points", POINTS),
    row("point_shipments", POINT_READ),
    row("receive_shipment", POINT_STAFF),
    row("uncollected_cards", POINT_READ),
    row("recall_uncollected", POINT_STAFF),
    row("recalled_cards", POINT_READ),
    row("destroy_cards", POINT_STAFF),
    row("my_notifications", HOLDER_SELF),
    row("choose_collection_point", POINT_CHOICE),
    row("get_collection_point", CARD_READ),
    row("choose_mail_delivery", POINT_CHOICE),
    // The default point's clerks post cards and record the carrier's reports.
    row("mail_queue", POINT_STAFF),
    row("post_card", POINT_STAFF),
    row("report_mail_delivery", POINT_STAFF),
    row("register_issuance_device", PRODUCTION_DESK),
    row("issue_instantly", OWN_BANK_COUNTER),
    row("report_instant_issue", OWN_BANK_COUNTER),
    // The outbox names persons only; the gateway's operator is the administrator.
    row("sms_outbox", ADMINISTRATOR),
    row("mark_sms_sent", ADMINISTRATOR),
];

/// What the table expects of `role` calling `operation`; `None` for an unknown operation.
pub fn expected(operation: &str, role: Role) -> Option<Expect> {
    let column = Role::ALL.iter().position(|r| *r == role)?;
    EXPECTED
        .iter()
        .find(|row| row.operation == operation)
        .map(|row| row.roles[column])
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn rows_naming(operation: &str) -> usize {
    let (mut i, mut count) = (0, 0);
    while i < EXPECTED.len() {
        if same(EXPECTED[i].operation, operation) {
            count += 1;
        }
        i += 1;
    }
    count
}

/// Whether `operation` needs a sign-in, `None` if no operation has that id.
const fn signed_in(operation: &str) -> Option<bool> {
    let mut a = 0;
    while a < AREAS.len() {
        let mut i = 0;
        while i < AREAS[a].len() {
            if same(AREAS[a][i].spec.id, operation) {
                return Some(AREAS[a][i].access.signed_in());
            }
            i += 1;
        }
        a += 1;
    }
    None
}

/// How many roles a row gives `expect` (compared by variant: `PartialEq` is not `const`).
const fn roles_expecting(row: &Row, expect: Expect) -> usize {
    let (mut i, mut count) = (0, 0);
    while i < row.roles.len() {
        if row.roles[i] as u8 == expect as u8 {
            count += 1;
        }
        i += 1;
    }
    count
}

/// Whether a row gives `expect` to every role.
const fn all(row: &Row, expect: Expect) -> bool {
    roles_expecting(row, expect) == row.roles.len()
}

// The build fails unless every operation has exactly one row, every row names an operation,
// and a row is public (for every role) exactly when its operation needs no sign-in (or else
// the operator's alone, like `/metrics`).
const _: () = {
    let mut a = 0;
    while a < AREAS.len() {
        let mut i = 0;
        while i < AREAS[a].len() {
            assert!(
                rows_naming(AREAS[a][i].spec.id) == 1,
                "every operation of api::AREAS needs exactly one row in access_matrix::EXPECTED"
            );
            i += 1;
        }
        a += 1;
    }
    let mut j = 0;
    while j < EXPECTED.len() {
        let row = &EXPECTED[j];
        let signed = signed_in(row.operation);
        assert!(
            signed.is_some(),
            "a row of access_matrix::EXPECTED names no operation of api::all()"
        );
        if matches!(signed, Some(true)) {
            assert!(
                roles_expecting(row, Expect::Public) == 0,
                "an operation that needs a sign-in cannot be public to any role"
            );
        } else {
            assert!(
                all(row, Expect::Public) || all(row, Expect::Operator),
                "an operation without sign-in must be public to every role, or the operator's"
            );
        }
        j += 1;
    }
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_row_per_operation_and_names_every_role() {
        // Every operation has its row and every row its operation; the table reads in its own
        // order (by area), so the list may be reordered without touching it.
        let mut ids: Vec<&str> = crate::api::all().map(|entry| entry.spec.id).collect();
        let mut rows: Vec<&str> = EXPECTED.iter().map(|row| row.operation).collect();
        ids.sort_unstable();
        rows.sort_unstable();
        assert_eq!(ids, rows);
        for role in Role::ALL {
            assert!(expected("get_card", role).is_some(), "{role:?}");
        }
        assert_eq!(expected("no_such_operation", Role::Cardholder), None);
    }
}
