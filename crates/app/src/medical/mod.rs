//! Real-time medical settlement at designated hospitals and pharmacies: person query,
//! pre-settlement (nothing moves), settlement (once per institution and bill number; the
//! fund's and the personal account's shares post through the ledger with the year's
//! deductible and cap, atomically), undo (reverses all of it exactly), daily reconciliation,
//! and the holder's view. A person insured elsewhere is settled with their own region's
//! policy and fund. This module holds the requests and views; the use cases are in
//! `catalogue`, `counter`, `settlement` and `reconciliation`.

use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::card::pin::PIN_PATTERN;
use shebao_domain::ids::REGION_CODE_PATTERN;
use shebao_domain::person::identity::{
    CARD_IDENTIFICATION_CODE_PATTERN, CARD_NUMBER_PATTERN, CITIZEN_ID_PATTERN,
};
use shebao_domain::time::DATE_PATTERN;
use shebao_store::{InstitutionRecord, SettlementRecord, Tx};

use crate::error::{OrNotFound, rule};
use crate::person::REASON_MIN_CHARS;
use crate::reference::SLUG_PATTERN;
use crate::{Actor, AppError};

mod catalogue;
pub use catalogue::{CATALOGUE_SEARCH_MAX, CATALOGUE_SEARCH_TEXT_MAX};
mod counter;
pub use counter::BILL_NUMBER_PATTERN;
mod diagnosis;
mod reconciliation;
mod settlement;

pub use diagnosis::{DiagnosisRequest, DiagnosisView};

/// A designated hospital or pharmacy to register.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = institution_cases)]
pub struct NewInstitution {
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub id: String,
    #[schemars(length(min = 1), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
    /// `hospital` (level 1-3) or `pharmacy` (level 0).
    #[schemars(extend("enum" = ["hospital", "pharmacy"]))]
    pub kind: String,
    #[schemars(range(max = 3))]
    pub level: u8,
}

/// A hospital is level 1 to 3, a pharmacy level 0.
fn institution_cases(schema: &mut schemars::Schema) {
    crate::schema::cases(
        schema,
        &[
            serde_json::json!({ "properties": { "kind": { "const": "hospital" }, "level": { "minimum": 1 } } }),
            serde_json::json!({ "properties": { "kind": { "const": "pharmacy" }, "level": { "const": 0 } } }),
        ],
    );
}

/// A designated hospital or pharmacy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Institution")]
pub struct InstitutionView {
    pub id: String,
    pub name: String,
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    #[schemars(extend("enum" = ["hospital", "pharmacy"]))]
    pub kind: String,
    #[schemars(range(min = 0, max = 3))]
    pub level: i64,
}

/// A version of a catalogue item to add (and, as added, the answer).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCatalogueItem {
    #[schemars(length(min = 1, max = 64))]
    pub code: String,
    pub name: String,
    /// `a`, `b` (with its first share) or `self_paid`.
    #[schemars(extend("enum" = ["a", "b", "self_paid"]))]
    pub class: String,
    /// Class B's first share, parts per million.
    #[schemars(range(max = 1_000_000))]
    pub first_share_ppm: Option<u32>,
    #[schemars(range(min = 0))]
    pub limit_price_fen: Option<i64>,
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub effective_from: String,
}

/// Why a settled bill is undone: kept in the undo's audit record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoRequest {
    #[schemars(length(min = REASON_MIN_CHARS, max = 200), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub reason: String,
}

/// A catalogue item as a search finds it: the version in force today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CatalogueItem")]
pub struct CatalogueItemView {
    pub code: String,
    pub name: String,
    #[schemars(extend("enum" = ["a", "b", "self_paid"]))]
    pub class: String,
    /// Class B's first share, parts per million (0 otherwise).
    pub first_share_ppm: i64,
    pub limit_price_fen: Option<i64>,
    #[schemars(extend("format" = "date"))]
    pub effective_from: String,
}

/// One rule of a region's yearly policy; a field left out matches anything. The most
/// specific matching rule applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    /// National insurance type code (310 employees' medical insurance, 390 residents').
    #[serde(default)]
    pub insurance_type: Option<String>,
    pub level: Option<u8>,
    pub visit: Option<String>,
    pub status: Option<String>,
    #[schemars(range(min = 0))]
    pub deductible_fen: i64,
    #[schemars(range(max = 1_000_000))]
    pub pool_ratio_ppm: u32,
}

/// A region's medical policy for a year. (Named `Policy` in the document: its answer,
/// `MedicalPolicy`, is still the hand-written schema, every field present.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Policy")]
pub struct MedicalPolicy {
    /// What the pooled fund pays a person at most in a calendar year.
    #[schemars(range(min = 0))]
    pub annual_cap_fen: i64,
    #[schemars(length(min = 1))]
    pub rules: Vec<PolicyRule>,
    /// Whether the social-security PIN must be entered to settle.
    #[serde(default)]
    pub social_pin_required: bool,
    /// A fund paying above the basic cap (large-amount mutual aid), if the region has one.
    #[serde(default)]
    pub supplementary: Option<SupplementaryFund>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct SupplementaryFund {
    pub name: String,
    #[schemars(range(max = 1_000_000))]
    pub ratio_ppm: u32,
    #[schemars(range(min = 0))]
    pub annual_cap_fen: i64,
}

/// A region's medical policy for a year, to set.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMedicalPolicy {
    pub year: i32,
    pub policy: MedicalPolicy,
}

/// The card as the counter reads it: the number printed on it and the identification code
/// read from its chip. Together they show the card is at the counter; the card id alone
/// (an internal id found in answers and lists) does not.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PresentedCard {
    /// Printed on the card.
    #[schemars(regex(pattern = CARD_NUMBER_PATTERN))]
    pub card_number: String,
    /// Read from the chip.
    #[schemars(regex(pattern = CARD_IDENTIFICATION_CODE_PATTERN))]
    pub identification_code: String,
}

impl fmt::Debug for PresentedCard {
    /// The identification code proves presence: it stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PresentedCard({}, ****)", self.card_number)
    }
}

/// How the counter identifies the patient (medical.md: electronic voucher token, ID number,
/// or social security card with its identification code). The card and a live electronic-card
/// token show the card is present; a typed ID number is a fallback that needs a reason
/// (audited) and neither shows the personal account nor lets it pay.
///
/// In JSON: `{"card": {"card_number": "…", "identification_code": "…"}}`,
/// `{"ecard_token": "…"}` or `{"citizen_id": "…", "reason": "…"}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "IdentificationFields", into = "IdentificationFields")]
#[schemars(with = "IdentificationForm")]
pub enum Identification {
    Card(PresentedCard),
    /// The electronic card's identity code (`POST /api/v1/e-cards/{ecard}/codes`).
    ECardToken(String),
    /// A typed ID number, with why the card could not be read (4-200 characters).
    CitizenId {
        citizen_id: String,
        reason: String,
    },
}

impl fmt::Debug for Identification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identification::Card(card) => write!(f, "Card({card:?})"),
            Identification::ECardToken(_) => f.write_str("ECardToken(****)"),
            Identification::CitizenId { .. } => f.write_str("CitizenId(****)"),
        }
    }
}

impl Identification {
    /// Whether the identification shows the card at the counter.
    pub fn presents_card(&self) -> bool {
        !matches!(self, Identification::CitizenId { .. })
    }

    fn method(&self) -> &'static str {
        match self {
            Identification::Card(_) => "card",
            Identification::ECardToken(_) => "ecard_token",
            Identification::CitizenId { .. } => "citizen_id",
        }
    }
}

/// The schema of [`Identification`]'s wire form: exactly one of its three ways (serde reads
/// it through [`IdentificationFields`]).
#[derive(JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
#[schemars(transform = one_of)]
#[allow(
    dead_code,
    reason = "a schema only: serde reads `IdentificationFields`"
)]
enum IdentificationForm {
    Card {
        card: PresentedCard,
    },
    ECardToken {
        ecard_token: String,
    },
    /// A typed ID number, with why the card could not be read (4 to 200 characters,
    /// audited); it may query and pre-settle, not settle.
    CitizenId {
        #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
        citizen_id: String,
        #[schemars(length(min = REASON_MIN_CHARS))]
        reason: String,
    },
}

/// Exactly one branch of an untagged enum matches (their required fields differ and none
/// takes another's): `oneOf`, not schemars' `anyOf`.
fn one_of(schema: &mut schemars::Schema) {
    if let Some(branches) = schema.remove("anyOf") {
        schema.insert("oneOf".into(), branches);
    }
}

/// The wire form of [`Identification`]: exactly one way, and a reason only with an ID number.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentificationFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    card: Option<PresentedCard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ecard_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    citizen_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl TryFrom<IdentificationFields> for Identification {
    type Error = &'static str;

    fn try_from(fields: IdentificationFields) -> Result<Self, Self::Error> {
        match (
            fields.card,
            fields.ecard_token,
            fields.citizen_id,
            fields.reason,
        ) {
            (Some(card), None, None, None) => Ok(Identification::Card(card)),
            (None, Some(token), None, None) => Ok(Identification::ECardToken(token)),
            // A missing reason is refused by the use case, so that the refusal is audited.
            (None, None, Some(citizen_id), reason) => Ok(Identification::CitizenId {
                citizen_id,
                reason: reason.unwrap_or_default(),
            }),
            _ => Err(
                "identify the patient by exactly one of: card (card_number and identification_code), ecard_token, or citizen_id with a reason",
            ),
        }
    }
}

impl From<Identification> for IdentificationFields {
    fn from(who: Identification) -> Self {
        let mut fields = IdentificationFields {
            card: None,
            ecard_token: None,
            citizen_id: None,
            reason: None,
        };
        match who {
            Identification::Card(card) => fields.card = Some(card),
            Identification::ECardToken(token) => fields.ecard_token = Some(token),
            Identification::CitizenId { citizen_id, reason } => {
                fields.citizen_id = Some(citizen_id);
                fields.reason = Some(reason);
            }
        }
        fields
    }
}

/// One line of a bill.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BillLineRequest {
    pub code: String,
    #[schemars(range(min = 1))]
    pub quantity: u32,
    #[schemars(range(min = 0))]
    pub unit_price_fen: i64,
}

/// A bill to pre-settle or settle.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BillRequest {
    pub person: Identification,
    /// The social-security PIN, where the insured region's policy asks for it.
    #[serde(default)]
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub social_pin: Option<String>,
    #[schemars(regex(pattern = counter::BILL_NUMBER_PATTERN))]
    pub bill_number: String,
    /// `outpatient`, `inpatient` or `pharmacy`.
    #[schemars(extend("enum" = ["outpatient", "inpatient", "pharmacy"]))]
    pub visit: String,
    #[schemars(length(min = 1, max = 500))]
    pub lines: Vec<BillLineRequest>,
    /// Whether the holder lets the personal account pay (default yes).
    #[serde(default = "yes")]
    pub use_account: bool,
    /// The diagnosis (ICD-10 code and text), sealed with the settlement; masked in answers.
    #[serde(default)]
    pub diagnosis: Option<DiagnosisRequest>,
    /// The insurance that pays, by its national code: `310` employees' medical insurance
    /// (the default) or `510` maternity (the medical costs of a birth: the policy's
    /// maternity rules, the maternity pool, outside the medical year's deductible and cap;
    /// only for a woman insured for maternity in the month).
    #[serde(default = "employees_medical")]
    #[schemars(extend("enum" = [EMPLOYEES_MEDICAL, MATERNITY]))]
    pub insurance_type: String,
}

fn yes() -> bool {
    true
}

/// The national code of employees' medical insurance.
pub const EMPLOYEES_MEDICAL: &str = "310";
/// The national code of maternity insurance.
pub const MATERNITY: &str = "510";

fn employees_medical() -> String {
    EMPLOYEES_MEDICAL.to_owned()
}

impl fmt::Debug for BillRequest {
    /// The PIN and the diagnosis stay out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BillRequest")
            .field("person", &self.person)
            .field("bill_number", &self.bill_number)
            .field("visit", &self.visit)
            .field("lines", &self.lines.len())
            .field("use_account", &self.use_account)
            .field("insurance_type", &self.insurance_type)
            .finish_non_exhaustive()
    }
}

/// What the counter learns of an insured person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Insured")]
pub struct InsuredView {
    pub person_id: String,
    pub citizen_id: String,
    pub card_id: String,
    /// The number printed on the card.
    pub card_number: String,
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub insured_region: String,
    pub status: String,
    pub year: i32,
    /// Shown only when the card is present (card or electronic-card token), never on a typed
    /// ID number.
    pub personal_account_balance_fen: Option<i64>,
    pub deductible_used_fen: i64,
    pub fund_used_fen: i64,
    pub supplementary_used_fen: i64,
}

/// A settlement as answered: its split in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Settlement")]
pub struct SettlementView {
    pub id: String,
    pub institution_id: String,
    pub bill_number: String,
    pub person_id: String,
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub insured_region: String,
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub treated_region: String,
    #[schemars(extend("enum" = ["outpatient", "inpatient", "pharmacy"]))]
    pub visit: String,
    /// The insurance that paid: `310` (employees' medical) or `510` (maternity).
    #[schemars(extend("enum" = [EMPLOYEES_MEDICAL, MATERNITY]))]
    pub insurance_type: String,
    /// `preview` (pre-settlement), `settled` or `undone`.
    #[schemars(extend("enum" = ["preview", "settled", "undone"]))]
    pub status: String,
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
    #[schemars(extend("format" = "date-time"))]
    pub settled_at: Option<String>,
    #[schemars(extend("format" = "date-time"))]
    pub undone_at: Option<String>,
    /// Masked (`J**`, `***`) except in the holder's own list.
    pub diagnosis: Option<DiagnosisView>,
}

/// A day's settlements of an institution and their totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Reconciliation")]
pub struct ReconciliationView {
    pub institution_id: String,
    #[schemars(extend("format" = "date"))]
    pub date: String,
    pub settled: i64,
    pub undone: i64,
    pub total_fen: i64,
    pub fund_fen: i64,
    pub account_fen: i64,
    pub cash_fen: i64,
    pub settlements: Vec<SettlementView>,
}

/// An institution's reconciliation file for a day.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconciliationFile {
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub date: String,
    /// CSV: `bill_number,status,total_fen,fund_fen,account_fen,cash_fen`.
    pub csv: String,
}

/// One field on which the institution's file and our records differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Difference {
    pub bill_number: String,
    pub field: String,
    pub ours: String,
    pub theirs: String,
}

/// An institution's file checked against our records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReconciliationCheck {
    #[schemars(extend("format" = "date"))]
    pub date: String,
    pub matches: bool,
    pub differences: Vec<Difference>,
}

fn settlement_view(record: &SettlementRecord, diagnosis: Option<DiagnosisView>) -> SettlementView {
    SettlementView {
        id: record.id.clone(),
        institution_id: record.institution_id.clone(),
        bill_number: record.bill_number.clone(),
        person_id: record.person_id.to_string(),
        insured_region: record.insured_region.to_string(),
        treated_region: record.treated_region.to_string(),
        visit: record.visit.clone(),
        insurance_type: record.insurance_type.clone(),
        status: record.status.clone(),
        total_fen: record.total_fen,
        self_paid_fen: record.self_paid_fen,
        over_limit_fen: record.over_limit_fen,
        class_b_first_share_fen: record.class_b_first_share_fen,
        in_scope_fen: record.in_scope_fen,
        deductible_fen: record.deductible_fen,
        fund_fen: record.fund_fen,
        supplementary_fen: record.supplementary_fen,
        account_fen: record.account_fen,
        cash_fen: record.cash_fen,
        settled_at: (record.status != "preview").then(|| record.settled_at.to_string()),
        undone_at: record.undone_at.map(|t| t.to_string()),
        diagnosis,
    }
}

/// The institution a cashier works for.
fn own_institution(tx: &mut Tx<'_>, actor: &Actor) -> Result<InstitutionRecord, AppError> {
    let id = actor
        .scope
        .institution_id
        .clone()
        .ok_or(AppError::Forbidden)?;
    tx.institution(&id)?.or_not_found("institution", &id)
}
