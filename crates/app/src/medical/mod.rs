//! Real-time medical settlement at designated hospitals and pharmacies: person query,
//! pre-settlement (nothing moves), settlement (once per institution and bill number; the
//! fund's and the personal account's shares post through the ledger with the year's
//! deductible and cap, atomically), undo (reverses all of it exactly), daily reconciliation,
//! and the holder's view. A person insured elsewhere is settled with their own region's
//! policy and fund.

use std::fmt;

use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::card::Card;
use shebao_domain::identity::CardNumber;
use shebao_domain::ids::{PersonId, RegionCode, TransferId};
use shebao_domain::ledger::{SystemAccount, TransferCode, personal_account, stripe_of};
use shebao_domain::medical::{BillLine, ItemClass, Split, SplitTerms, bill_totals, split};
use shebao_domain::time::{Date, Timestamp};
use shebao_store::{
    AccumulatorRecord, AuditEvent, CatalogueItemRecord, InstitutionRecord, SettlementRecord, Tx,
};

use crate::money::{post, transfer_record};
use crate::person::{Scope, parse_citizen_id};
use crate::reference::region_code;
use crate::{Actor, App, AppError, Audit, Vault, new_id};

mod diagnosis;

pub use diagnosis::{DiagnosisRequest, DiagnosisView};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInstitution {
    pub id: String,
    pub name: String,
    pub region: String,
    /// `hospital` (level 1-3) or `pharmacy` (level 0).
    pub kind: String,
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionView {
    pub id: String,
    pub name: String,
    pub region: String,
    pub kind: String,
    pub level: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCatalogueItem {
    pub code: String,
    pub name: String,
    /// `a`, `b` or `self_paid`.
    pub class: String,
    /// Class B's first share, parts per million.
    pub first_share_ppm: Option<u32>,
    pub limit_price_fen: Option<i64>,
    pub effective_from: String,
}

/// One rule of a region's yearly policy; a field left out matches anything. The most
/// specific matching rule applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    /// National insurance type code (310 employees' medical insurance, 390 residents').
    #[serde(default)]
    pub insurance_type: Option<String>,
    pub level: Option<u8>,
    pub visit: Option<String>,
    pub status: Option<String>,
    pub deductible_fen: i64,
    pub pool_ratio_ppm: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicalPolicy {
    /// What the pooled fund pays a person at most in a calendar year.
    pub annual_cap_fen: i64,
    pub rules: Vec<PolicyRule>,
    /// Whether the social-security PIN must be entered to settle.
    #[serde(default)]
    pub social_pin_required: bool,
    /// A fund paying above the basic cap (large-amount mutual aid), if the region has one.
    #[serde(default)]
    pub supplementary: Option<SupplementaryFund>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplementaryFund {
    pub name: String,
    pub ratio_ppm: u32,
    pub annual_cap_fen: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMedicalPolicy {
    pub year: i32,
    pub policy: MedicalPolicy,
}

/// The card as the counter reads it: the number printed on it and the identification code
/// read from its chip. Together they show the card is at the counter; the card id alone
/// (an internal id found in answers and lists) does not.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresentedCard {
    pub card_number: String,
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
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "IdentificationFields", into = "IdentificationFields")]
pub enum Identification {
    Card(PresentedCard),
    /// An electronic-card token (`POST /api/v1/cards/{card}/e-card-token`).
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillLineRequest {
    pub code: String,
    pub quantity: u32,
    pub unit_price_fen: i64,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillRequest {
    pub person: Identification,
    /// The social-security PIN, where the insured region's policy asks for it.
    #[serde(default)]
    pub social_pin: Option<String>,
    pub bill_number: String,
    /// `outpatient`, `inpatient` or `pharmacy`.
    pub visit: String,
    pub lines: Vec<BillLineRequest>,
    /// Whether the holder lets the personal account pay (default yes).
    #[serde(default = "yes")]
    pub use_account: bool,
    /// The diagnosis (ICD-10 code and text), sealed with the settlement; masked in answers.
    #[serde(default)]
    pub diagnosis: Option<DiagnosisRequest>,
}

fn yes() -> bool {
    true
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
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsuredView {
    pub person_id: String,
    pub citizen_id: String,
    pub card_id: String,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementView {
    pub id: String,
    pub institution_id: String,
    pub bill_number: String,
    pub person_id: String,
    pub insured_region: String,
    pub treated_region: String,
    pub visit: String,
    /// `preview` (pre-settlement), `settled` or `undone`.
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
    pub settled_at: Option<String>,
    pub undone_at: Option<String>,
    /// Masked (`J**`, `***`) except in the holder's own list.
    pub diagnosis: Option<DiagnosisView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciliationView {
    pub institution_id: String,
    pub date: String,
    pub settled: i64,
    pub undone: i64,
    pub total_fen: i64,
    pub fund_fen: i64,
    pub account_fen: i64,
    pub cash_fen: i64,
    pub settlements: Vec<SettlementView>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconciliationFile {
    pub date: String,
    /// CSV: `bill_number,status,total_fen,fund_fen,account_fen,cash_fen`.
    pub csv: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub bill_number: String,
    pub field: String,
    pub ours: String,
    pub theirs: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciliationCheck {
    pub date: String,
    pub matches: bool,
    pub differences: Vec<Difference>,
}

fn rule(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::Rule {
        code,
        message: message.into(),
    }
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
    let id = actor.institution_id.clone().ok_or(AppError::Forbidden)?;
    tx.institution(&id)?
        .ok_or_else(|| AppError::NotFound(format!("institution {id}")))
}

/// Who is being treated, as the settlement needs them.
struct Patient {
    person: PersonId,
    card: Card,
    insured_region: RegionCode,
    retired: bool,
    /// Identified by the card or a live electronic-card token, not by a typed ID number.
    card_present: bool,
}

/// An identification ready for the transaction: a typed ID number has already been through
/// the shared look-up path ([`App::citizen_lookup`]) and is only its blind index here.
#[derive(Clone)]
enum Lookup {
    Card(PresentedCard),
    ECardToken(String),
    /// A person an ID number named, found by the audited, limited look-up.
    Person(PersonId),
}

impl Lookup {
    /// The identifications that show the card at the counter; `None` for a typed ID number.
    fn presented(who: &Identification) -> Option<Lookup> {
        match who {
            Identification::Card(card) => Some(Lookup::Card(card.clone())),
            Identification::ECardToken(token) => Some(Lookup::ECardToken(token.clone())),
            Identification::CitizenId { .. } => None,
        }
    }
}

/// One answer for every card that is not recognised, whichever part did not match, so that
/// trying numbers and codes tells nothing about which cards exist.
fn card_not_recognised() -> AppError {
    rule(
        "card_not_recognised",
        "the card number and identification code do not name a card",
    )
}

/// The card whose printed number and chip's identification code were both presented.
fn presented_card(tx: &mut Tx<'_>, presented: &PresentedCard) -> Result<Card, AppError> {
    let number = CardNumber::parse(&presented.card_number).map_err(|_| card_not_recognised())?;
    let card = tx
        .card_by_number(&number)?
        .ok_or_else(card_not_recognised)?;
    if crate::vault::same_secret(
        card.identification_code.as_str(),
        presented.identification_code.trim(),
    ) {
        Ok(card)
    } else {
        Err(card_not_recognised())
    }
}

/// Finds the patient from the card, an electronic-card token or the ID number; the card
/// must work here.
fn patient(
    tx: &mut Tx<'_>,
    vault: &Vault,
    who: &Lookup,
    treated: &RegionCode,
    now: Timestamp,
) -> Result<Patient, AppError> {
    let cards = match who {
        Lookup::Card(presented) => vec![presented_card(tx, presented)?],
        Lookup::ECardToken(token) => {
            let card = crate::card::ecard::verify(vault, token, now)?;
            vec![
                tx.card(&card)?
                    .ok_or_else(|| AppError::NotFound("card".into()))?,
            ]
        }
        Lookup::Person(person) => tx.cards_of_person(person)?,
    };
    let card_present = !matches!(who, Lookup::Person(_));
    let mut last_refusal = None;
    let mut usable = None;
    for card in cards.into_iter().rev() {
        let utc_offset = crate::card::card_utc_offset(tx, &card, now)?;
        match card.ensure_usable_in(treated, now, utc_offset) {
            Ok(()) => {
                usable = Some(card);
                break;
            }
            Err(refusal) => last_refusal = last_refusal.or(Some(refusal)),
        }
    }
    let card = match (usable, last_refusal) {
        (Some(card), _) => card,
        (None, Some(refusal)) => return Err(refusal.into()),
        (None, None) => return Err(rule("no_card", "the person has no card")),
    };
    let person = card.person_id.clone();
    // Insured now: an enrolment covering this month (a pensioner stays insured). The insured
    // region is not known yet: this month is the treating region's.
    let this_month = shebao_domain::insurance::Month::of(App::today_in(tx, treated, now)?);
    let (insured_region, retired) = tx
        .insured_place(&person, this_month)?
        .ok_or_else(|| rule("not_insured", "the person is not insured"))?;
    Ok(Patient {
        person,
        card,
        insured_region,
        retired,
        card_present,
    })
}

/// What the patient has used of the year and holds in the personal medical account: the
/// accumulators, and the account's balance (`None` while it does not exist).
fn medical_year(
    tx: &mut Tx<'_>,
    patient: &Patient,
    year: i32,
) -> Result<(AccumulatorRecord, Option<i64>), AppError> {
    let account = personal_account("medical", patient.person.as_str());
    Ok(tx.medical_year(&patient.person, i64::from(year), &account)?)
}

/// The most specific rule of the policy matching the institution level, visit and status.
fn matching_rule<'p>(
    policy: &'p MedicalPolicy,
    level: u8,
    visit: &str,
    status: &str,
) -> Result<&'p PolicyRule, AppError> {
    // Everyone insured here is in the employees' medical insurance (310); residents' (390)
    // insurance is not enrolled through this system yet.
    let insurance_type = "310";
    let specificity = |r: &PolicyRule| {
        usize::from(r.insurance_type.is_some())
            + usize::from(r.level.is_some())
            + usize::from(r.visit.is_some())
            + usize::from(r.status.is_some())
    };
    let matching: Vec<&PolicyRule> = policy
        .rules
        .iter()
        .filter(|r| {
            r.insurance_type
                .as_deref()
                .is_none_or(|t| t == insurance_type)
        })
        .filter(|r| r.level.is_none_or(|l| l == level))
        .filter(|r| r.visit.as_deref().is_none_or(|v| v == visit))
        .filter(|r| r.status.as_deref().is_none_or(|s| s == status))
        .collect();
    let best = matching
        .iter()
        .map(|r| specificity(r))
        .max()
        .ok_or_else(|| {
            rule(
                "no_policy",
                "no policy rule matches this institution, visit and status",
            )
        })?;
    let mut most_specific = matching.into_iter().filter(|r| specificity(r) == best);
    match (most_specific.next(), most_specific.next()) {
        (Some(found), None) => Ok(found),
        _ => Err(rule(
            "ambiguous_policy",
            "two policy rules match equally; the region's policy must be corrected",
        )),
    }
}

/// A bill checked and split, before anything moves.
struct Prepared {
    patient: Patient,
    social_pin_required: bool,
    institution: InstitutionRecord,
    year: i32,
    /// The treating region's day: the settlement's day for reconciliation.
    settled_on: Date,
    /// The personal medical account's balance when the bill was split (`None`: no account).
    account_balance_fen: Option<i64>,
    self_paid_fen: i64,
    over_limit_fen: i64,
    split: Split,
}

fn prepare(
    tx: &mut Tx<'_>,
    vault: &Vault,
    actor: &Actor,
    bill: &BillRequest,
    who: &Lookup,
    now: Timestamp,
) -> Result<Prepared, AppError> {
    let institution = own_institution(tx, actor)?;
    if !matches!(bill.visit.as_str(), "outpatient" | "inpatient" | "pharmacy") {
        return Err(AppError::Invalid {
            field: "visit",
            message: "outpatient, inpatient or pharmacy".into(),
        });
    }
    if bill.lines.is_empty() || bill.lines.len() > 500 {
        return Err(AppError::Invalid {
            field: "lines",
            message: "1 to 500 lines".into(),
        });
    }
    let patient = patient(tx, vault, who, &institution.region, now)?;
    // The policy year, with its deductible and cap, is the insured region's year.
    let year = App::today_in(tx, &patient.insured_region, now)?.year();
    // The catalogue in force and the settlement's day are the treating region's.
    let today = App::today_in(tx, &institution.region, now)?;
    let body = tx
        .medical_policy(&patient.insured_region, i64::from(year))?
        .ok_or_else(|| {
            rule(
                "no_policy",
                format!(
                    "region {} has no medical policy for {year}",
                    patient.insured_region
                ),
            )
        })?;
    let policy: MedicalPolicy =
        serde_json::from_str(&body).map_err(|e| AppError::Internal(e.to_string()))?;
    let status = if patient.retired {
        "retired"
    } else {
        "working"
    };
    let level = u8::try_from(institution.level).unwrap_or(0);
    let terms_rule = matching_rule(&policy, level, &bill.visit, status)?;
    // Items outside the catalogue (or not yet in force) are self-paid.
    let codes: Vec<&str> = bill.lines.iter().map(|line| line.code.trim()).collect();
    // federation.md: the catalogue of the place of treatment, the policy of the insured place.
    let items = tx.catalogue_items_at(&institution.region, &codes, today)?;
    let mut lines = Vec::with_capacity(bill.lines.len());
    for (line, code) in bill.lines.iter().zip(&codes) {
        let item = items.iter().find(|item| item.code == *code);
        let class = match item.map(|i| (i.class.as_str(), i.first_share_ppm)) {
            Some(("a", _)) => ItemClass::A,
            Some(("b", share)) => ItemClass::B {
                first_share_ppm: u32::try_from(share).unwrap_or(u32::MAX),
            },
            _ => ItemClass::SelfPaid,
        };
        lines.push(BillLine {
            class,
            quantity: line.quantity,
            unit_price_fen: line.unit_price_fen,
            limit_price_fen: item.and_then(|i| i.limit_price_fen),
        });
    }
    let totals = bill_totals(&lines).map_err(|e| AppError::Invalid {
        field: "lines",
        message: e.to_string(),
    })?;
    let (used, account_balance_fen) = medical_year(tx, &patient, year)?;
    let balance = account_balance_fen.unwrap_or(0);
    let terms = SplitTerms {
        deductible_remaining_fen: (terms_rule.deductible_fen - used.deductible_used_fen).max(0),
        pool_ratio_ppm: terms_rule.pool_ratio_ppm,
        cap_remaining_fen: (policy.annual_cap_fen - used.fund_used_fen).max(0),
        account_balance_fen: balance,
        // Without the card at the counter the personal account neither pays nor shows its
        // balance through the split.
        use_account: bill.use_account && patient.card_present,
        supplementary: policy.supplementary.as_ref().map(|fund| {
            shebao_domain::medical::Supplementary {
                ratio_ppm: fund.ratio_ppm,
                cap_remaining_fen: (fund.annual_cap_fen - used.supplementary_used_fen).max(0),
            }
        }),
    };
    let split = split(totals, terms).map_err(|e| AppError::Invalid {
        field: "lines",
        message: e.to_string(),
    })?;
    Ok(Prepared {
        patient,
        social_pin_required: policy.social_pin_required,
        institution,
        year,
        settled_on: today,
        account_balance_fen,
        self_paid_fen: totals.self_paid_fen,
        over_limit_fen: totals.over_limit_fen,
        split,
    })
}

fn record(
    prepared: &Prepared,
    bill: &BillRequest,
    id: &str,
    status: &str,
    now: Timestamp,
) -> SettlementRecord {
    let s = prepared.split;
    SettlementRecord {
        institution_id: prepared.institution.id.clone(),
        bill_number: bill.bill_number.trim().to_owned(),
        id: id.to_owned(),
        person_id: prepared.patient.person.clone(),
        insured_region: prepared.patient.insured_region.clone(),
        treated_region: prepared.institution.region.clone(),
        year: i64::from(prepared.year),
        visit: bill.visit.clone(),
        total_fen: s.total_fen,
        self_paid_fen: prepared.self_paid_fen,
        over_limit_fen: prepared.over_limit_fen,
        class_b_first_share_fen: s.class_b_first_share_fen,
        in_scope_fen: s.in_scope_fen,
        deductible_fen: s.deductible_fen,
        fund_fen: s.fund_fen,
        supplementary_fen: s.supplementary_fen,
        account_fen: s.account_fen,
        cash_fen: s.cash_fen,
        fund_transfer_id: None,
        account_transfer_id: None,
        supplementary_transfer_id: None,
        status: status.to_owned(),
        settled_at: now,
        settled_on: prepared.settled_on,
        undone_at: None,
        diagnosis_cipher: None,
    }
}

/// Checks the social PIN on the card; a wrong one counts toward the lock (the card is saved
/// and the refusal committed by `App::change`).
fn check_social_pin(
    tx: &mut Tx<'_>,
    vault: &Vault,
    card: &Card,
    pin: Option<&shebao_domain::pin::Pin>,
    now: Timestamp,
) -> Result<(), AppError> {
    let pin = pin.ok_or(AppError::Invalid {
        field: "social_pin",
        message: "this region asks for the social-security PIN".into(),
    })?;
    let params = App::parameters_in(tx, &card.region, now)?;
    let matched = crate::card::pin::pin_matches(
        vault,
        card.social_pin.as_ref(),
        &crate::card::pin::social_scope(&card.id),
        pin,
    );
    let (next, outcome) = card.verify_social_pin(matched, &params, now);
    if next != *card {
        tx.update_card(&next)?;
    }
    Ok(outcome?)
}

fn check_bill_number(bill_number: &str) -> Result<(), AppError> {
    let ok = (1..=64).contains(&bill_number.trim().len())
        && bill_number
            .trim()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid {
            field: "bill_number",
            message: "1 to 64 letters, digits, '-', '_' or '.'".into(),
        })
    }
}

/// The audit record a counter operation leaves whatever it answers: its action, what it
/// concerns (the person or the bill) and how the patient was identified.
#[derive(Clone)]
struct CounterAudit {
    action: &'static str,
    subject: String,
    detail: serde_json::Map<String, serde_json::Value>,
}

impl CounterAudit {
    fn new(action: &'static str, subject: String, who: Option<&Identification>) -> CounterAudit {
        let mut detail = serde_json::Map::new();
        if let Some(who) = who {
            detail.insert("by".into(), who.method().into());
            if let Identification::CitizenId { reason, .. } = who {
                // The reason as given, cut to its limit, with any ID number in it masked; the
                // number typed to identify the patient stays out (review of issue 13).
                detail.insert(
                    "reason".into(),
                    shebao_domain::identity::mask_id_numbers_in(reason)
                        .chars()
                        .take(200)
                        .collect::<String>()
                        .into(),
                );
            }
        }
        CounterAudit {
            action,
            subject: subject
                .chars()
                .take(crate::DENIED_SUBJECT_MAX_CHARS)
                .collect(),
            detail,
        }
    }

    fn note(&mut self, name: &str, value: impl Into<serde_json::Value>) {
        self.detail.insert(name.into(), value.into());
    }

    fn event(&self, actor: String, outcome: String, at: Timestamp) -> AuditEvent {
        AuditEvent {
            at,
            actor,
            action: self.action.to_owned(),
            subject: self.subject.clone(),
            outcome,
            detail: serde_json::Value::Object(self.detail.clone()).to_string(),
        }
    }
}

/// A failure of the system rather than an answer to the request: it rolls back and is
/// reported, not audited as a refusal.
fn is_failure(error: &AppError) -> bool {
    matches!(
        error,
        AppError::Internal(_) | AppError::Unavailable(_) | AppError::Conflict(_)
    )
}

/// The audit subject of a bill of the cashier's institution.
fn bill_subject(actor: &Actor, bill_number: &str) -> String {
    format!(
        "bill:{}:{}",
        actor.institution_id.clone().unwrap_or_default(),
        bill_number.trim()
    )
}

/// Counter operations: every person query, pre-settlement, settlement and undo leaves exactly
/// one audit record, refusals included (issue 13, finding 5).
impl App {
    /// Checks an identification before the transaction. A typed ID number needs a reason and
    /// goes through the shared look-up path, as every look-up by ID number does.
    fn lookup(
        &self,
        actor: &Actor,
        who: &Identification,
        audit: &mut CounterAudit,
    ) -> Result<Lookup, AppError> {
        if let Identification::Card(card) = who {
            audit.note(
                "card_number",
                card.card_number.chars().take(32).collect::<String>(),
            );
        }
        if let Some(presented) = Lookup::presented(who) {
            return Ok(presented);
        }
        let Identification::CitizenId { citizen_id, reason } = who else {
            return Err(AppError::Internal("an identification without a way".into()));
        };
        crate::person::reason(reason)?;
        audit.note(
            "citizen_id",
            shebao_domain::identity::mask_citizen_input(citizen_id.trim()),
        );
        // A look-up by ID number like any other: limited per cashier and audited on its own,
        // hit or miss (issue 13, findings 3 and 8).
        let person = self.look_up_citizen(actor, citizen_id, Scope::Patient)?;
        // A refusal after this point names whose record was asked for.
        audit.subject = format!("person:{}", person.id);
        Ok(Lookup::Person(person.id))
    }

    /// Writes the record of a refusal that nothing else recorded, in its own transaction.
    fn record_refusal(&self, actor: &Actor, audit: &CounterAudit, error: AppError) -> AppError {
        if is_failure(&error) {
            return error;
        }
        let event = audit.event(
            actor.label(),
            format!("refused:{}", error.code()),
            self.now(),
        );
        match self
            .store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))
        {
            Ok(()) => error,
            Err(failure) => failure.into(),
        }
    }

    /// The answer of a change made through [`App::change`], with a refusal it did not record
    /// (one that rolled back: a card not recognised, a bill not found) recorded now. A
    /// committed refusal and a replayed answer have their record already.
    fn recorded<T>(
        &self,
        actor: &Actor,
        audit: &CounterAudit,
        result: Result<T, AppError>,
    ) -> Result<T, AppError> {
        match result {
            Err(error)
                if !error.is_committed_refusal()
                    && !matches!(error, AppError::Replayed { .. } | AppError::Hidden(_)) =>
            {
                Err(self.record_refusal(actor, audit, error))
            }
            other => other,
        }
    }

    /// Runs a counter read in a write transaction that also appends its audit record, `ok` or
    /// `refused:<code>`; `work` may name the subject more precisely as it learns it.
    fn audited_read<T: Send + 'static>(
        &self,
        actor: &Actor,
        audit: CounterAudit,
        mut work: impl FnMut(&mut Tx<'_>, &mut CounterAudit) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let (label, now) = (actor.label(), self.now());
        self.store.write(move |tx| {
            let mut audit = audit.clone();
            let (outcome, answer) = match work(tx, &mut audit) {
                Ok(value) => ("ok".to_owned(), Ok(value)),
                Err(error) if is_failure(&error) => return Err(error),
                Err(error) => (format!("refused:{}", error.code()), Err(error)),
            };
            tx.append_audit(&audit.event(label.clone(), outcome, now))?;
            Ok(answer)
        })?
    }
}

impl App {
    pub fn register_institution(
        &self,
        actor: &Actor,
        key: &str,
        request: NewInstitution,
    ) -> Result<InstitutionView, AppError> {
        self.authorise(actor, Operation::ManageInstitutions)?;
        let valid_kind = matches!(
            (request.kind.as_str(), request.level),
            ("hospital", 1..=3) | ("pharmacy", 0)
        );
        if !valid_kind {
            return Err(AppError::Invalid {
                field: "level",
                message: "a hospital is level 1-3, a pharmacy level 0".into(),
            });
        }
        let id_ok = (2..=32).contains(&request.id.len())
            && request
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok || request.name.trim().is_empty() {
            return Err(AppError::Invalid {
                field: "id",
                message: "2 to 32 lower-case letters, digits or '-', and a name".into(),
            });
        }
        let record = InstitutionRecord {
            id: request.id.clone(),
            name: request.name.trim().to_owned(),
            region: region_code(&request.region, "region")?,
            kind: request.kind.clone(),
            level: i64::from(request.level),
            created_at: self.now(),
        };
        let view = InstitutionView {
            id: record.id.clone(),
            name: record.name.clone(),
            region: record.region.to_string(),
            kind: record.kind.clone(),
            level: record.level,
        };
        let audit = Audit::on("institution.register", format!("institution:{}", record.id));
        self.change(actor, key, &request, audit, move |tx, _| {
            tx.region(&record.region)?
                .ok_or_else(|| AppError::NotFound(format!("region {}", record.region)))?;
            tx.insert_institution(&record)?;
            Ok((view.clone(), "{}".into()))
        })
    }

    pub fn add_catalogue_item(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewCatalogueItem,
    ) -> Result<NewCatalogueItem, AppError> {
        self.authorise(actor, Operation::ManageCatalogue)?;
        let region = region_code(region, "region")?;
        let effective_from =
            Date::parse_iso(&request.effective_from).ok_or_else(|| AppError::Invalid {
                field: "effective_from",
                message: "a date, YYYY-MM-DD".into(),
            })?;
        let share = match (request.class.as_str(), request.first_share_ppm) {
            ("b", Some(share)) if share <= 1_000_000 => share,
            ("a" | "self_paid", None) => 0,
            _ => {
                return Err(AppError::Invalid {
                    field: "class",
                    message: "a, b with first_share_ppm (at most 1000000), or self_paid".into(),
                });
            }
        };
        if request.code.trim().is_empty()
            || request.code.len() > 64
            || request.limit_price_fen.is_some_and(|p| p < 0)
        {
            return Err(AppError::Invalid {
                field: "code",
                message: "1 to 64 characters and a limit price not below zero".into(),
            });
        }
        let item = CatalogueItemRecord {
            region: region.clone(),
            code: request.code.trim().to_owned(),
            effective_from,
            name: request.name.trim().to_owned(),
            class: request.class.clone(),
            first_share_ppm: i64::from(share),
            limit_price_fen: request.limit_price_fen,
        };
        let (answer, audit) = (
            request.clone(),
            Audit::on("catalogue.add_item", format!("region:{region}")),
        );
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.insert_catalogue_item(&item, now)?;
            Ok((answer.clone(), format!("{{\"code\":\"{}\"}}", item.code)))
        })
    }

    pub fn set_medical_policy(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewMedicalPolicy,
    ) -> Result<NewMedicalPolicy, AppError> {
        self.authorise(actor, Operation::ManageCatalogue)?;
        let region = region_code(region, "region")?;
        let valid = request.policy.annual_cap_fen >= 0
            && !request.policy.rules.is_empty()
            && request
                .policy
                .rules
                .iter()
                .all(|r| r.deductible_fen >= 0 && r.pool_ratio_ppm <= 1_000_000)
            && request
                .policy
                .supplementary
                .as_ref()
                .is_none_or(|f| f.annual_cap_fen >= 0 && f.ratio_ppm <= 1_000_000);
        if !valid {
            return Err(AppError::Invalid {
                field: "policy",
                message: "a cap and rules with deductibles ≥ 0 and ratios ≤ 1000000 ppm".into(),
            });
        }
        let body = serde_json::to_string(&request.policy)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let (answer, label) = (request.clone(), actor.label());
        let audit = Audit::on("medical.set_policy", format!("region:{region}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.region(&region)?
                .ok_or_else(|| AppError::NotFound(format!("region {region}")))?;
            tx.insert_medical_policy(&region, i64::from(answer.year), &body, &label, now)?;
            Ok((answer.clone(), body.clone()))
        })
    }

    /// Person query: who the patient is, where insured, and what is left of the year; the
    /// personal account's balance only with the card present. Audited, refusals included.
    pub fn query_insured(
        &self,
        actor: &Actor,
        who: Identification,
    ) -> Result<InsuredView, AppError> {
        self.authorise(actor, Operation::QueryInsured)?;
        let now = self.now();
        let mut audit = CounterAudit::new(
            "medical.person_query",
            "person:unidentified".into(),
            Some(&who),
        );
        let lookup = match self.lookup(actor, &who, &mut audit) {
            Ok(lookup) => lookup,
            Err(error) => return Err(self.record_refusal(actor, &audit, error)),
        };
        let (actor_in, vault) = (actor.clone(), self.vault.clone());
        self.audited_read(actor, audit, move |tx, audit| {
            let institution = own_institution(tx, &actor_in)?;
            let patient = patient(tx, &vault, &lookup, &institution.region, now)?;
            audit.subject = format!("person:{}", patient.person);
            let year = App::today_in(tx, &patient.insured_region, now)?.year();
            let (used, balance) = medical_year(tx, &patient, year)?;
            let person = tx
                .person(&patient.person)?
                .ok_or_else(|| AppError::NotFound("person".into()))?;
            let citizen = vault
                .open(crate::person::CITIZEN_CONTEXT, &person.citizen_cipher)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(InsuredView {
                person_id: patient.person.to_string(),
                citizen_id: parse_citizen_id(&citizen, now)?.masked(),
                card_id: patient.card.id.to_string(),
                insured_region: patient.insured_region.to_string(),
                status: if patient.retired {
                    "retired"
                } else {
                    "working"
                }
                .into(),
                year,
                // The holder's money is shown to a cashier only with the card at the counter.
                personal_account_balance_fen: patient.card_present.then(|| balance.unwrap_or(0)),
                deductible_used_fen: used.deductible_used_fen,
                fund_used_fen: used.fund_used_fen,
                supplementary_used_fen: used.supplementary_used_fen,
            })
        })
    }

    /// Pre-settlement: the split as it would be now; nothing moves. Audited, refusals
    /// included; without the card present the personal account takes no share.
    pub fn pre_settle(&self, actor: &Actor, bill: BillRequest) -> Result<SettlementView, AppError> {
        self.authorise(actor, Operation::Settle)?;
        let now = self.now();
        let mut audit = CounterAudit::new(
            "medical.pre_settle",
            bill_subject(actor, &bill.bill_number),
            Some(&bill.person),
        );
        let checked = check_bill_number(&bill.bill_number)
            .and_then(|()| diagnosis::parse(bill.diagnosis.as_ref()))
            .and_then(|diagnosis| Ok((diagnosis, self.lookup(actor, &bill.person, &mut audit)?)));
        let (diagnosis, lookup) = match checked {
            Ok(checked) => checked,
            Err(error) => return Err(self.record_refusal(actor, &audit, error)),
        };
        // A dry run: the diagnosis is checked and shown masked, never sealed or stored.
        let diagnosis = diagnosis.map(|d| DiagnosisView::of(&d, false));
        let (actor_in, vault) = (actor.clone(), self.vault.clone());
        self.audited_read(actor, audit, move |tx, audit| {
            let prepared = prepare(tx, &vault, &actor_in, &bill, &lookup, now)?;
            audit.note("person", prepared.patient.person.to_string());
            Ok(settlement_view(
                &record(&prepared, &bill, "preview", "preview", now),
                diagnosis.clone(),
            ))
        })
    }

    /// Settlement: once per institution and bill number. The fund's share (and a
    /// supplementary fund's above the cap) and the personal account's share post to the
    /// institution's account; the year's accumulators move with them; the cash share is
    /// recorded. Where the region asks for it, the social PIN is checked first (wrong entries
    /// count toward its lock).
    ///
    /// Only with the card present (the card's number and identification code, or a live
    /// electronic-card token): a typed ID number may query and pre-settle, never settle.
    /// Audited, refusals included.
    pub fn settle(
        &self,
        actor: &Actor,
        key: &str,
        bill: BillRequest,
    ) -> Result<SettlementView, AppError> {
        self.authorise(actor, Operation::Settle)?;
        let audit = CounterAudit::new(
            "medical.settle",
            bill_subject(actor, &bill.bill_number),
            Some(&bill.person),
        );
        let result = self.settle_bill(actor, key, bill);
        self.recorded(actor, &audit, result)
    }

    fn settle_bill(
        &self,
        actor: &Actor,
        key: &str,
        bill: BillRequest,
    ) -> Result<SettlementView, AppError> {
        check_bill_number(&bill.bill_number)?;
        let lookup = Lookup::presented(&bill.person).ok_or_else(|| {
            rule(
                "card_required",
                "a settlement needs the card (its number and identification code) or a live electronic-card token; a typed ID number may only query and pre-settle",
            )
        })?;
        let by = bill.person.method();
        let pin = bill
            .social_pin
            .as_deref()
            .map(|p| crate::card::pin::parse_pin(p, "social_pin"))
            .transpose()?;
        // Sealed once, outside the transaction; the answer (stored for replays) shows it
        // masked and the audit detail leaves it out.
        let diagnosis = diagnosis::parse(bill.diagnosis.as_ref())?;
        let sealed_diagnosis = diagnosis
            .as_ref()
            .map(|d| diagnosis::seal(&self.vault, d))
            .transpose()?;
        let diagnosis = diagnosis.map(|d| DiagnosisView::of(&d, false));
        let (actor_in, vault, label) = (actor.clone(), self.vault.clone(), actor.label());
        let ids = [new_id("stl"), new_id("trf"), new_id("trf"), new_id("trf")];
        let institution = actor.institution_id.clone().unwrap_or_default();
        let audit = Audit::on(
            "medical.settle",
            format!("bill:{institution}:{}", bill.bill_number.trim()),
        );
        let mut request =
            serde_json::to_value(&bill).map_err(|e| AppError::Internal(e.to_string()))?;
        request["social_pin"] = serde_json::Value::Null;
        self.change(actor, key, &request, audit, move |tx, now| {
            let prepared = prepare(tx, &vault, &actor_in, &bill, &lookup, now)?;
            if prepared.social_pin_required {
                check_social_pin(tx, &vault, &prepared.patient.card, pin.as_ref(), now)?;
            }
            let mut stored = record(&prepared, &bill, &ids[0], "settled", now);
            stored.diagnosis_cipher = sealed_diagnosis.clone();
            let transfer = |amount_fen: i64, id: &String| (amount_fen > 0).then(|| TransferId::new(id.as_str()));
            stored.fund_transfer_id = transfer(stored.fund_fen, &ids[1]);
            stored.supplementary_transfer_id = transfer(stored.supplementary_fen, &ids[3]);
            stored.account_transfer_id = transfer(stored.account_fen, &ids[2]);
            // The settlement is recorded first: the institution's bill number is its key, so a
            // second settlement of the bill is refused here, before anything moves.
            if !tx.insert_settlement(&stored)? {
                return Err(rule("bill_already_settled", "this bill number was already settled at this institution"));
            }
            let stripe = stripe_of(&stored.bill_number);
            let payee = SystemAccount::Institution { institution: stored.institution_id.clone() }.ledger_id(stripe);
            let memo = format!("{} {}", stored.institution_id, stored.bill_number);
            let pool = |insurance: &str| SystemAccount::Pool { region: stored.insured_region.to_string(), insurance: insurance.into() }.ledger_id(stripe);
            let personal = personal_account("medical", stored.person_id.as_str());
            // The personal account pays only what its balance holds, so it exists when it
            // pays; the funds' accounts are opened on first use, the payee's by `post`.
            let legs = [
                (pool("medical"), stored.fund_fen, &ids[1], true),
                (pool("medical_supplementary"), stored.supplementary_fen, &ids[3], true),
                (personal, stored.account_fen, &ids[2], prepared.account_balance_fen.is_none()),
            ];
            for (source, amount_fen, id, open) in legs {
                if amount_fen > 0 {
                    if open {
                        tx.ensure_ledger_account(&source, !source.starts_with("personal:"), now)?;
                    }
                    post(tx, &transfer_record(id, TransferCode::MedicalSettlement, source, payee.clone(), amount_fen, memo.clone(), &label, now), now)?;
                }
            }
            let used = AccumulatorRecord { deductible_used_fen: stored.deductible_fen, fund_used_fen: stored.fund_fen, supplementary_used_fen: stored.supplementary_fen };
            tx.add_to_accumulator(&stored.person_id, stored.year, used)?;
            let detail = serde_json::json!({
                "by": by, "person": stored.person_id.as_str(), "total_fen": stored.total_fen, "fund_fen": stored.fund_fen, "supplementary_fen": stored.supplementary_fen,
                "account_fen": stored.account_fen, "cash_fen": stored.cash_fen
            });
            Ok((settlement_view(&stored, diagnosis.clone()), detail.to_string()))
        })
    }

    /// Undo: reverses every transfer of the settlement and gives back the deductible and the
    /// caps used, exactly.
    pub fn undo_settlement(
        &self,
        actor: &Actor,
        key: &str,
        bill_number: &str,
    ) -> Result<SettlementView, AppError> {
        self.authorise(actor, Operation::UndoSettlement)?;
        let audit = CounterAudit::new("medical.undo", bill_subject(actor, bill_number), None);
        let result = self.undo_bill(actor, key, bill_number);
        self.recorded(actor, &audit, result)
    }

    fn undo_bill(
        &self,
        actor: &Actor,
        key: &str,
        bill_number: &str,
    ) -> Result<SettlementView, AppError> {
        check_bill_number(bill_number)?;
        let (actor_in, label, bill) = (actor.clone(), actor.label(), bill_number.trim().to_owned());
        let reversal_ids = [new_id("trf"), new_id("trf"), new_id("trf")];
        let vault = self.vault.clone();
        let audit = Audit::on(
            "medical.undo",
            format!(
                "bill:{}:{bill}",
                actor.institution_id.clone().unwrap_or_default()
            ),
        );
        self.change(
            actor,
            key,
            &serde_json::json!({ "bill_number": bill }),
            audit,
            move |tx, now| {
                let institution = own_institution(tx, &actor_in)?;
                let stored = tx
                    .settlement(&institution.id, &bill)?
                    .ok_or_else(|| AppError::NotFound(format!("bill {bill}")))?;
                if stored.status != "settled" {
                    return Err(rule("already_undone", "this settlement was already undone"));
                }
                let originals = [
                    &stored.fund_transfer_id,
                    &stored.supplementary_transfer_id,
                    &stored.account_transfer_id,
                ];
                for (original, reversal_id) in originals.into_iter().zip(&reversal_ids) {
                    let Some(original) = original else { continue };
                    let transfer = tx
                        .transfer(original)?
                        .ok_or_else(|| AppError::Internal("settlement transfer missing".into()))?;
                    let mut reversal = transfer_record(
                        reversal_id,
                        TransferCode::Reversal,
                        transfer.credit_account.clone(),
                        transfer.debit_account.clone(),
                        transfer.amount_fen,
                        format!("undo {bill}"),
                        &label,
                        now,
                    );
                    reversal.reverses = Some(transfer.id.clone());
                    post(tx, &reversal, now)?;
                }
                let given_back = AccumulatorRecord {
                    deductible_used_fen: -stored.deductible_fen,
                    fund_used_fen: -stored.fund_fen,
                    supplementary_used_fen: -stored.supplementary_fen,
                };
                tx.add_to_accumulator(&stored.person_id, stored.year, given_back)?;
                tx.mark_settlement_undone(&institution.id, &bill, now)?;
                let undone = SettlementRecord {
                    status: "undone".into(),
                    undone_at: Some(now),
                    ..stored
                };
                let diagnosis = diagnosis::of_record(&vault, &undone, false)?;
                Ok((settlement_view(&undone, diagnosis), "{}".into()))
            },
        )
    }

    /// A day's settlements of an institution with their totals (settled ones only count).
    pub fn reconciliation(
        &self,
        actor: &Actor,
        institution: &str,
        date: &str,
    ) -> Result<ReconciliationView, AppError> {
        self.authorise(actor, Operation::Reconcile)?;
        if actor.role == Role::Cashier && actor.institution_id.as_deref() != Some(institution) {
            return Err(self.hide(
                actor,
                Operation::Reconcile,
                format!("institution {institution}"),
            ));
        }
        let day = Date::parse_iso(date).ok_or_else(|| AppError::Invalid {
            field: "date",
            message: "a date, YYYY-MM-DD".into(),
        })?;
        let institution = institution.to_owned();
        let rows = self.store.read({
            let institution = institution.clone();
            move |tx| tx.settlements_of_day(&institution, day)
        })?;
        let mut view = ReconciliationView {
            institution_id: institution,
            date: day.to_string(),
            settled: 0,
            undone: 0,
            total_fen: 0,
            fund_fen: 0,
            account_fen: 0,
            cash_fen: 0,
            settlements: Vec::new(),
        };
        for row in &rows {
            if row.status == "settled" {
                view.settled += 1;
                view.total_fen += row.total_fen;
                view.fund_fen += row.fund_fen;
                view.account_fen += row.account_fen;
                view.cash_fen += row.cash_fen;
            } else {
                view.undone += 1;
            }
            let diagnosis = diagnosis::of_record(&self.vault, row, false)?;
            view.settlements.push(settlement_view(row, diagnosis));
        }
        Ok(view)
    }

    /// Checks an institution's reconciliation file against our records of the day.
    pub fn check_reconciliation(
        &self,
        actor: &Actor,
        institution: &str,
        file: ReconciliationFile,
    ) -> Result<ReconciliationCheck, AppError> {
        let ours = self.reconciliation(actor, institution, &file.date)?;
        let records = crate::insurance::declarations::parse_csv(&file.csv, 100_000)?;
        let Some((header, rows)) = records.split_first() else {
            return Err(AppError::Invalid {
                field: "csv",
                message: "a header line".into(),
            });
        };
        let expected = [
            "bill_number",
            "status",
            "total_fen",
            "fund_fen",
            "account_fen",
            "cash_fen",
        ];
        if header.iter().map(|h| h.trim()).collect::<Vec<_>>() != expected {
            return Err(AppError::Invalid {
                field: "csv",
                message: expected.join(","),
            });
        }
        let mut differences = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for row in rows {
            let get = |i: usize| row.get(i).map(|v| v.trim().to_owned()).unwrap_or_default();
            let bill = get(0);
            seen.insert(bill.clone());
            let Some(mine) = ours.settlements.iter().find(|s| s.bill_number == bill) else {
                differences.push(Difference {
                    bill_number: bill,
                    field: "bill_number".into(),
                    ours: "missing".into(),
                    theirs: "present".into(),
                });
                continue;
            };
            let fields = [
                ("status", mine.status.clone()),
                ("total_fen", mine.total_fen.to_string()),
                ("fund_fen", mine.fund_fen.to_string()),
                ("account_fen", mine.account_fen.to_string()),
                ("cash_fen", mine.cash_fen.to_string()),
            ];
            for (i, (field, value)) in fields.into_iter().enumerate() {
                if get(i + 1) != value {
                    differences.push(Difference {
                        bill_number: bill.clone(),
                        field: field.into(),
                        ours: value,
                        theirs: get(i + 1),
                    });
                }
            }
        }
        for mine in ours
            .settlements
            .iter()
            .filter(|s| !seen.contains(&s.bill_number))
        {
            differences.push(Difference {
                bill_number: mine.bill_number.clone(),
                field: "bill_number".into(),
                ours: "present".into(),
                theirs: "missing".into(),
            });
        }
        Ok(ReconciliationCheck {
            date: ours.date,
            matches: differences.is_empty(),
            differences,
        })
    }

    /// The holder's settlements, newest first.
    pub fn person_settlements(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<Vec<SettlementView>, AppError> {
        self.authorise(actor, Operation::ReadSettlements)?;
        let person = PersonId::new(person);
        let visible = match actor.role {
            Role::BureauClerk => true,
            Role::Cardholder => actor.person_id.as_ref() == Some(&person),
            _ => false,
        };
        if !visible {
            return Err(self.hide(
                actor,
                Operation::ReadSettlements,
                format!("person {person}"),
            ));
        }
        let rows = self
            .store
            .read(move |tx| tx.settlements_of_person(&person))?;
        // The diagnosis is the holder's own medical data: clear for them, masked for staff.
        let clear = actor.role == Role::Cardholder;
        rows.iter()
            .map(|row| {
                let diagnosis = diagnosis::of_record(&self.vault, row, clear)?;
                Ok(settlement_view(row, diagnosis))
            })
            .collect()
    }
}
