//! What the store keeps besides the domain's own types: personal data as ciphertext and
//! blind index, reference data, users and sessions, ledger rows.

use shebao_domain::access::{Role, Scope};
use shebao_domain::audit::{AuditRecord, ChainStart};
use shebao_domain::employment::seeking::{ApplicationStatus, JobProfile};
use shebao_domain::employment::{VacancyStatus, VacancyTerms};
use shebao_domain::ids::{BankId, BranchId, EmployerId, PersonId, RegionCode, TransferId, UserId};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::money::ledger::TransferCode;
use shebao_domain::person::HouseholdKind;
use shebao_domain::person::identity::Gender;
use shebao_domain::time::{Date, Timestamp};

mod benefits;
mod everyday;
mod production;
pub use benefits::*;
pub use everyday::*;
pub use production::*;

/// A person as stored: the ID number, name and phone only as ciphertext (`key id:nonce:ct`),
/// the ID number also as a keyed blind index so it can be looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: PersonId,
    pub citizen_index: String,
    pub citizen_cipher: String,
    pub name_cipher: String,
    pub phone_cipher: Option<String>,
    /// Derived from the ID number and kept in clear for statistics and rules by age.
    pub gender: Gender,
    pub birth_date: Date,
    pub nationality: String,
    pub household_region: RegionCode,
    pub household_kind: HouseholdKind,
    pub registered_at: Timestamp,
    pub version: i64,
}

/// The bank card number printed on a card, as blind index and ciphertext.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardSecrets {
    pub bank_card_index: Option<String>,
    pub bank_card_cipher: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRecord {
    pub code: RegionCode,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankRecord {
    pub id: BankId,
    pub name: String,
    /// The issuer identification number its card numbers start with (6 digits).
    pub bin: String,
    /// Whether the bank's own card system assigns its cards' bank card numbers (otherwise
    /// the bureau draws them from the BIN).
    pub numbers_from_bank: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchRecord {
    pub id: BranchId,
    pub bank_id: BankId,
    pub name: String,
    pub region: RegionCode,
}

/// A login: staff, cardholder or machine client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub role: Role,
    pub scope: Scope,
    pub failed_logins: i64,
    pub locked_until: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// A session or API token, stored by the hash of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: UserId,
    pub kind: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_seen_at: Timestamp,
}

/// One transfer: `amount_fen` leaves `debit_account` and arrives in `credit_account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRecord {
    pub id: TransferId,
    pub code: TransferCode,
    pub debit_account: String,
    pub credit_account: String,
    pub amount_fen: i64,
    pub reverses: Option<TransferId>,
    pub memo: String,
    pub actor: String,
    pub created_at: Timestamp,
}

/// One side of a transfer in one account's history, with the balance after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRecord {
    pub account: String,
    pub seq: i64,
    pub transfer_id: TransferId,
    pub code: TransferCode,
    /// Positive for money in, negative for money out.
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub counterparty: String,
    pub memo: String,
    pub created_at: Timestamp,
}

/// A ledger account's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerBalance {
    pub balance_fen: i64,
    pub allow_negative: bool,
    pub entries: i64,
}

/// An audit event before it is chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub outcome: String,
    pub detail: String,
}

impl AuditEvent {
    /// This event as the record after (`head_seq`, `head_hash`) on `chain`, hashed.
    pub fn chained(&self, chain: u32, head_seq: i64, head_hash: String) -> AuditRecord {
        let mut record = AuditRecord {
            chain,
            seq: head_seq + 1,
            at_unix: self.at.unix_seconds(),
            actor: self.actor.clone(),
            action: self.action.clone(),
            subject: self.subject.clone(),
            outcome: self.outcome.clone(),
            detail: self.detail.clone(),
            prev_hash: head_hash,
            hash: String::new(),
        };
        record.hash = shebao_domain::audit::record_hash(&record);
        record
    }
}

/// One audit chain as stored: where it starts (the genesis or its latest purge anchor), the
/// records after that start in seq order, and the seq its head records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditChain {
    pub start: ChainStart,
    pub records: Vec<AuditRecord>,
    pub head_seq: i64,
}

/// Which audit records to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub subject: Option<String>,
    /// Records whose actor contains this text, in any case.
    pub actor_contains: Option<String>,
    /// Records whose subject contains this text, in any case.
    pub subject_contains: Option<String>,
    /// Records at or after this instant (Unix seconds).
    pub from: Option<i64>,
    /// Records before this instant (Unix seconds).
    pub until: Option<i64>,
    /// Records after this one in the listing's order (newest first): its (at, chain, seq),
    /// for the next page.
    pub after: Option<(i64, i64, i64)>,
    pub limit: i64,
}

/// `text` as a `LIKE` pattern matching any value that contains it, in lower case, with
/// `\`, `%` and `_` escaped (`ESCAPE '\'`).
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An insured unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerRecord {
    pub id: EmployerId,
    /// Unified social credit code (GB 32100-2015).
    pub credit_code: String,
    pub name: String,
    pub region: RegionCode,
    /// Industry work-injury risk class, 1 to 8.
    pub risk_class: i64,
    /// The class's floating rate tier, in percent of its base rate.
    pub rate_tier_percent: i64,
    pub created_at: Timestamp,
}

/// A person insured through an employer (or as a flexible worker) from `start` to `end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentRecord {
    pub id: String,
    pub person_id: PersonId,
    /// None for a flexible worker.
    pub employer_id: Option<EmployerId>,
    pub region: RegionCode,
    /// `employee` or `flexible`.
    pub kind: String,
    pub start: Month,
    pub end: Option<Month>,
    pub created_at: Timestamp,
    pub version: i64,
}

/// One insurance's contribution for one person and month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionRecord {
    pub person_id: PersonId,
    pub insurance: Insurance,
    pub month: Month,
    pub employer_id: Option<EmployerId>,
    pub region: RegionCode,
    pub wage_fen: i64,
    pub base_fen: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
    /// The part credited to a personal account (pension or medical).
    pub account_fen: i64,
    /// `owed` until the money arrives, then `paid`.
    pub status: String,
    pub declaration_id: String,
    pub declared_at: Timestamp,
    pub paid_at: Option<Timestamp>,
}

/// One import of a declaration, with its rejected rows as CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationRecord {
    pub id: String,
    pub employer_id: EmployerId,
    pub digest: String,
    pub rows_total: i64,
    pub rows_accepted: i64,
    pub rows_unchanged: i64,
    pub rows_rejected: i64,
    pub errors: String,
    pub actor: String,
    pub created_at: Timestamp,
}

/// An issued certificate: the digest of its PDF, its sealed content and its sealed PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    pub code: String,
    pub person_id: PersonId,
    pub digest: String,
    pub content_cipher: String,
    /// What a verifier is shown (no personal data beyond masked forms).
    pub summary: String,
    pub issued_at: Timestamp,
    /// The PDF as issued, sealed; None on certificates issued before it was kept (issue 15),
    /// which are rebuilt from their content.
    pub document_cipher: Option<String>,
}

/// A pension in payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PensionAwardRecord {
    pub person_id: PersonId,
    pub region: RegionCode,
    pub retirement_month: Month,
    pub basic_fen: i64,
    pub account_fen: i64,
    pub transitional_fen: i64,
    pub monthly_fen: i64,
    pub awarded_at: Timestamp,
}

/// An employer's order to pay an owed month: the total it confirmed, who ordered it and
/// when, and when the month was recorded paid (`None` while the money has not arrived).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOrderRecord {
    pub employer_id: EmployerId,
    pub month: Month,
    pub total_fen: i64,
    pub ordered_by: String,
    pub ordered_at: Timestamp,
    pub paid_at: Option<Timestamp>,
}

/// A vacancy on the job board (issue 17): its terms as the domain checked them, where it is
/// in its life, and the search terms the domain cut its text into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacancyRecord {
    pub id: String,
    pub employer_id: EmployerId,
    pub status: VacancyStatus,
    /// The bureau's reason when it rejected the vacancy.
    pub review_note: Option<String>,
    pub search_terms: String,
    pub posted_by: String,
    pub posted_at: Timestamp,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<Timestamp>,
    pub version: i64,
    /// What the employer posted, as the domain checked it.
    pub terms: VacancyTerms,
}

/// What a search of the job board asks for: every term matched, published vacancies open on
/// `open_on`, optionally in a place (a code prefix), of an occupation (a code prefix), and
/// paying at least a wage; newest first, at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacancySearch {
    pub terms: Vec<String>,
    pub open_on: Date,
    pub place_prefix: Option<String>,
    pub occupation_prefix: Option<String>,
    pub wage_at_least_fen: Option<i64>,
    pub limit: u32,
}

/// A holder's application to a vacancy (issue 17) and the employer's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobApplicationRecord {
    pub id: String,
    pub vacancy_id: String,
    /// The vacancy's employer, who sees the application.
    pub employer_id: EmployerId,
    pub person_id: PersonId,
    pub status: ApplicationStatus,
    pub cover_note: String,
    /// When the applicant agreed to show the employer who they are; masked until then.
    pub shared_at: Option<Timestamp>,
    pub applied_at: Timestamp,
    /// Who recorded the last outcome (or the withdrawal), and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub version: i64,
}

/// A job seeker's profile (issue 17): one per person, replaced as they change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobProfileRecord {
    pub person_id: PersonId,
    pub updated_at: Timestamp,
    pub version: i64,
    pub profile: JobProfile,
}

/// Owed contributions of one month, summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrearsRecord {
    pub month: Month,
    pub rows: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
}

/// A person insured in a region in a month, as the monthly contribution run reads them: the
/// enrolment, the employer's work-injury class and tier, and the pension month last recorded
/// for the same payer (the employer, or none for a flexible worker) up to the run's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunCandidate {
    pub person_id: PersonId,
    /// `employee` or `flexible`.
    pub kind: String,
    pub employer_id: Option<EmployerId>,
    pub region: RegionCode,
    pub risk_class: Option<i64>,
    pub rate_tier_percent: Option<i64>,
    /// The latest recorded pension month up to the run's month, and its wage.
    pub latest: Option<(Month, i64)>,
}

/// One monthly contribution run of a region, with its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionRunRecord {
    pub id: String,
    pub region: RegionCode,
    pub month: Month,
    /// Persons insured in the region in that month.
    pub persons: i64,
    /// Persons whose month this run posted.
    pub posted: i64,
    pub rows_written: i64,
    /// Persons whose month was recorded before the run.
    pub already_recorded: i64,
    /// Employees with no declared wage to carry forward.
    pub skipped_no_base: i64,
    pub actor: String,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
}

/// A designated hospital (levels 1-3) or pharmacy (level 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionRecord {
    pub id: String,
    pub name: String,
    pub region: RegionCode,
    /// `hospital` or `pharmacy`.
    pub kind: String,
    pub level: i64,
    pub created_at: Timestamp,
}

/// One version of a catalogue item in a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueItemRecord {
    pub region: RegionCode,
    pub code: String,
    pub effective_from: Date,
    pub name: String,
    /// `a`, `b` or `self_paid`.
    pub class: String,
    pub first_share_ppm: i64,
    pub limit_price_fen: Option<i64>,
}

/// What a person used of the year's deductible and fund cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccumulatorRecord {
    pub deductible_used_fen: i64,
    pub fund_used_fen: i64,
    pub supplementary_used_fen: i64,
}

/// One settled (or undone) bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementRecord {
    pub institution_id: String,
    pub bill_number: String,
    pub id: String,
    pub person_id: PersonId,
    pub insured_region: RegionCode,
    pub treated_region: RegionCode,
    pub year: i64,
    pub visit: String,
    pub total_fen: i64,
    pub self_paid_fen: i64,
    pub over_limit_fen: i64,
    pub class_b_first_share_fen: i64,
    pub in_scope_fen: i64,
    pub deductible_fen: i64,
    pub fund_fen: i64,
    pub supplementary_fen: i64,
    pub account_fen: i64,
    pub cash_fen: i64,
    pub fund_transfer_id: Option<TransferId>,
    pub account_transfer_id: Option<TransferId>,
    pub supplementary_transfer_id: Option<TransferId>,
    /// `settled` or `undone`.
    pub status: String,
    pub settled_at: Timestamp,
    pub settled_on: Date,
    pub undone_at: Option<Timestamp>,
    /// The bill's diagnosis, sealed by the application (never stored in clear).
    pub diagnosis_cipher: Option<String>,
    /// The national code of the insurance that pays: `310` (employees' medical) or `510`
    /// (maternity: a birth's medical costs).
    pub insurance_type: String,
}

/// A change that waits for a second person (issue 13, maker-checker): who asked, in which
/// role and organisation, what it would move, and its decision once taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRecord {
    pub id: String,
    /// The operation it would run: `credit_benefit`, `deposit` or `reverse_transfer`.
    pub operation: String,
    pub reason: shebao_domain::money::approval::ApprovalReason,
    pub maker_user_id: UserId,
    /// The maker as audit records name them.
    pub maker: String,
    pub maker_role: Role,
    /// `bureau`, or `bank:<id>` for a bank's staff: who may decide.
    pub organisation: String,
    pub region: RegionCode,
    pub card_id: Option<shebao_domain::ids::CardId>,
    /// The transfer a reversal would correct.
    pub transfer_id: Option<TransferId>,
    pub amount_fen: i64,
    /// What the operation needs besides the columns (JSON).
    pub body: String,
    pub status: shebao_domain::money::approval::ApprovalStatus,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub version: i64,
    /// Empty while the request waits.
    pub decision: ApprovalDecision,
}

/// An approval request's decision, once taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApprovalDecision {
    pub decided_by_user_id: Option<UserId>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    /// The decider's reason, for a rejection.
    pub note: Option<String>,
    /// The transfer the approval posted.
    pub result_transfer_id: Option<TransferId>,
}

/// An entry the money engine decided: its account's next sequence number and balance after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub account: String,
    pub seq: i64,
    pub transfer_id: TransferId,
    pub amount_fen: i64,
    pub balance_after_fen: i64,
}

/// A ledger account's balance and entry count after a group, and its count before (the
/// group's write is refused if another writer moved the account meanwhile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerMove {
    pub id: String,
    pub balance_fen: i64,
    pub entries: i64,
    pub entries_before: i64,
}

/// An audit chain's head after a group, and its sequence number before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadMove {
    pub chain: u32,
    pub seq: i64,
    pub hash: String,
    pub seq_before: i64,
}

/// An answer kept for replays under its (scoped) idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentAnswer {
    pub key: String,
    pub fingerprint: String,
    pub response: String,
    pub at_unix: i64,
}
