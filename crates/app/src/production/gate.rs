//! The gate of a product revision in a region (Art. 12): the ministry-side approvals the desk
//! records, the test cards the vendor makes in its real production environment, and each
//! test card's three audits; and whether formal production may start.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::ids::RegionCode;
use shebao_domain::production::{
    Approval, AuditKind, REFERENCE_CHARS_MAX, TestCardAudits, audit_outcome, gate,
    may_add_test_card, may_produce, text,
};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{DATE_PATTERN, Date, Timestamp};
use shebao_store::tx::PRODUCTION_LISTED_MAX;
use shebao_store::{
    CardProductRecord, GateApprovalRecord, TestCardAuditRecord, TestCardRecord, Tx,
};

use super::{date, product_for, production_error, region, standing_of, vendor_in_scope};
use crate::error::{Clash, OrNotFound, RefusalCode, rule};
use crate::reference::known_region;
use crate::{Actor, App, AppError, Audit, new_id};

/// A ministry-side approval of the product's current revision in a region.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGateApproval {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    #[schemars(extend("enum" = ["registration_approval", "key_application", "psam_application"]))]
    pub step: String,
    /// The approval's document number.
    #[schemars(length(min = 1, max = 64), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub reference: String,
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub approved_on: String,
}

/// A test card the vendor made of the product's current revision for a region.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTestCard {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    /// The test card's serial as printed on it.
    #[schemars(length(min = 1, max = 64), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub serial: String,
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub made_on: String,
}

/// One check of the universality test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UniversalityCheck {
    #[schemars(extend("enum" = ["application_files", "national_keys", "external_authentication", "read", "update", "internal_authentication", "medical_consumption"]))]
    pub check: String,
    pub passed: bool,
}

/// An audit's result as the auditors report it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTestCardAudit {
    #[schemars(extend("enum" = ["standard_compliance", "safety", "universality"]))]
    pub audit: String,
    pub passed: bool,
    /// The universality test's seven checks, each once; none for the other audits.
    #[serde(default)]
    #[schemars(length(max = 7))]
    pub checks: Vec<UniversalityCheck>,
    #[serde(default)]
    #[schemars(length(max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: Option<String>,
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub audited_on: String,
}

/// The region whose gate a request or a query names.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateQuery {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApprovalView {
    #[schemars(extend("enum" = ["registration_approval", "key_application", "psam_application"]))]
    pub step: String,
    pub reference: String,
    #[schemars(extend("format" = "date"))]
    pub approved_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuditView {
    #[schemars(extend("enum" = ["standard_compliance", "safety", "universality"]))]
    pub audit: String,
    pub passed: bool,
    pub checks: Vec<UniversalityCheck>,
    pub note: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub audited_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TestCardView {
    pub id: String,
    pub serial: String,
    #[schemars(extend("format" = "date"))]
    pub made_on: String,
    pub audits: Vec<AuditView>,
}

impl TestCardView {
    /// The audits not recorded yet, in their order.
    #[must_use]
    pub fn audits_missing(&self) -> Vec<&'static str> {
        AuditKind::ALL
            .iter()
            .map(|kind| kind.as_str())
            .filter(|kind| !self.audits.iter().any(|a| a.audit == *kind))
            .collect()
    }
}

/// Whether formal production may start today, and if not the refusal a batch would get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProductionCheck {
    pub may_start: bool,
    /// `vendor_not_certified` or `gate_not_passed`.
    pub code: Option<String>,
    /// What is missing, in words.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ProductionGate")]
pub struct GateView {
    pub product_id: String,
    pub vendor_id: String,
    pub region: String,
    /// The product's current revision: only its approvals and test cards count.
    pub revision: i64,
    pub approvals: Vec<ApprovalView>,
    pub test_cards: Vec<TestCardView>,
    pub open: bool,
    /// The first step missing (`registration_approval`, …, `test_cards`, an audit's name,
    /// or `test_card_failed`).
    pub missing_step: Option<String>,
    pub production: ProductionCheck,
}

/// What a gate holds for the product's current revision in a region.
struct GateRecords {
    approvals: Vec<GateApprovalRecord>,
    cards: Vec<(TestCardRecord, Vec<TestCardAuditRecord>)>,
}

impl GateRecords {
    fn load(
        tx: &mut Tx<'_>,
        product: &CardProductRecord,
        region: &RegionCode,
    ) -> Result<GateRecords, AppError> {
        let approvals = tx.gate_approvals(&product.id, region, product.revision)?;
        let mut cards = Vec::new();
        for card in tx.test_cards(&product.id, region, product.revision, PRODUCTION_LISTED_MAX)? {
            let audits = tx.test_card_audits(&card.id)?;
            cards.push((card, audits));
        }
        Ok(GateRecords { approvals, cards })
    }

    fn approvals(&self) -> Vec<Approval> {
        self.approvals
            .iter()
            .filter_map(|a| Approval::parse(&a.step))
            .collect()
    }

    fn test_cards(&self) -> Vec<TestCardAudits> {
        self.cards
            .iter()
            .map(|(card, audits)| TestCardAudits {
                serial: card.serial.clone(),
                audits: audits
                    .iter()
                    .filter_map(|a| Some((AuditKind::parse(&a.audit)?, a.passed)))
                    .collect(),
            })
            .collect()
    }
}

/// Whether formal production of `product` in `region` may start on `today`: the vendor's
/// standing, then the gate of the product's current revision; the refusal says which step
/// is missing.
pub(crate) fn production_allowed(
    tx: &mut Tx<'_>,
    product: &CardProductRecord,
    region: &RegionCode,
    today: Date,
) -> Result<(), AppError> {
    let records = GateRecords::load(tx, product, region)?;
    records.may_produce(tx, product, today)
}

impl GateRecords {
    /// Whether formal production may start on `today` with these records of the gate: the
    /// vendor's standing, then the gate.
    fn may_produce(
        &self,
        tx: &mut Tx<'_>,
        product: &CardProductRecord,
        today: Date,
    ) -> Result<(), AppError> {
        let standing = standing_of(tx, &product.vendor_id)?;
        may_produce(&standing, &self.approvals(), &self.test_cards(), today)
            .map_err(production_error)
    }
}

fn gate_view(
    tx: &mut Tx<'_>,
    product: &CardProductRecord,
    region: &RegionCode,
    now: Timestamp,
) -> Result<GateView, AppError> {
    let records = GateRecords::load(tx, product, region)?;
    let passed = gate(&records.approvals(), &records.test_cards());
    let today = App::today_in(tx, region, now)?;
    let production = match records.may_produce(tx, product, today) {
        Ok(()) => ProductionCheck {
            may_start: true,
            code: None,
            reason: None,
        },
        Err(AppError::Rule { code, message }) => ProductionCheck {
            may_start: false,
            code: Some(code.as_str().to_owned()),
            reason: Some(message),
        },
        Err(other) => return Err(other),
    };
    Ok(GateView {
        product_id: product.id.clone(),
        vendor_id: product.vendor_id.clone(),
        region: region.as_str().to_owned(),
        revision: product.revision,
        approvals: records
            .approvals
            .iter()
            .map(|a| ApprovalView {
                step: a.step.clone(),
                reference: a.reference.clone(),
                approved_on: a.approved_on.to_string(),
            })
            .collect(),
        test_cards: records
            .cards
            .iter()
            .map(|(card, audits)| TestCardView {
                id: card.id.clone(),
                serial: card.serial.clone(),
                made_on: card.made_on.to_string(),
                audits: audits.iter().map(audit_view).collect(),
            })
            .collect(),
        open: passed.is_ok(),
        missing_step: passed.err().map(|step| step.name().to_owned()),
        production,
    })
}

fn audit_view(audit: &TestCardAuditRecord) -> AuditView {
    let checks: Vec<(String, bool)> = serde_json::from_str(&audit.checks).unwrap_or_default();
    AuditView {
        audit: audit.audit.clone(),
        passed: audit.passed,
        checks: checks
            .into_iter()
            .map(|(check, passed)| UniversalityCheck { check, passed })
            .collect(),
        note: audit.note.clone(),
        audited_on: audit.audited_on.to_string(),
    }
}

/// A day recorded on a gate: one that has come in the region, and not before `from` (the
/// day the product's current revision began, or the test card was made): an approval or a
/// test card of an earlier revision does not count for this one.
fn day_between(
    day: Date,
    (from, today): (Date, Date),
    field: &'static str,
) -> Result<Date, AppError> {
    if day > today {
        return Err(AppError::invalid(field, "a day that has come"));
    }
    if day < from {
        return Err(AppError::invalid(
            field,
            format!("not before {from}, when this revision began (or the test card was made)"),
        ));
    }
    Ok(day)
}

/// The product a gate's record names, and in `region` today and the day its current
/// revision began.
fn product_days(
    tx: &mut Tx<'_>,
    product: &str,
    region: &RegionCode,
    now: Timestamp,
) -> Result<(CardProductRecord, (Date, Date)), AppError> {
    let product = tx
        .card_product(product)?
        .or_not_found("card product", &product)?;
    known_region(tx, region)?;
    let today = App::today_in(tx, region, now)?;
    let began = revision_began(tx, &product, region)?;
    Ok((product, (began, today)))
}

/// The day, in `region`, the product's current revision began: its registration, or the
/// change that made it.
fn revision_began(
    tx: &mut Tx<'_>,
    product: &CardProductRecord,
    region: &RegionCode,
) -> Result<Date, AppError> {
    let at = match tx.product_changes(&product.id, 1)?.first() {
        Some(change) if product.revision > 1 => change.changed_at,
        _ => product.registered_at,
    };
    App::today_in(tx, region, at)
}

impl App {
    /// The gate of a product's current revision in a region, with whether production may
    /// start: the desk and the auditor any product's, the vendor's staff their own.
    pub fn production_gate(
        &self,
        actor: &Actor,
        product: &str,
        query: GateQuery,
    ) -> Result<GateView, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let region = region(&query.region)?;
        let id = product.to_owned();
        let subject = format!("product:{id}");
        self.read_for(actor, Operation::ReadProduction, &subject, move |tx, r| {
            let product = product_for(tx, &r.actor, &id)?;
            known_region(tx, &region)?;
            gate_view(tx, &product, &region, r.now)
        })
    }

    /// The desk records a ministry-side approval of the product's current revision, once a
    /// step.
    pub fn record_gate_approval(
        &self,
        actor: &Actor,
        key: &str,
        product: &str,
        request: NewGateApproval,
    ) -> Result<GateView, AppError> {
        self.authorise(actor, Operation::RecordGate)?;
        let region = region(&request.region)?;
        let step = Approval::parse(request.step.trim()).ok_or_else(|| {
            AppError::invalid(
                "step",
                "registration_approval, key_application or psam_application",
            )
        })?;
        let reference =
            text(&request.reference, "reference", REFERENCE_CHARS_MAX).map_err(production_error)?;
        let approved_on = date(&request.approved_on, "approved_on")?;
        let (label, product_id) = (actor.label(), product.to_owned());
        let audit = Audit::on("production.gate.approval", format!("product:{product}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let (product, days) = product_days(tx, &product_id, &region, now)?;
            let approved_on = day_between(approved_on, days, "approved_on")?;
            let recorded = tx.gate_approvals(&product.id, &region, product.revision)?;
            if recorded.iter().any(|a| a.step == step.as_str()) {
                return Err(AppError::Conflict(Clash::GateStepRecorded));
            }
            tx.insert_gate_approval(&GateApprovalRecord {
                product_id: product.id.clone(),
                region: region.clone(),
                revision: product.revision,
                step: step.as_str().to_owned(),
                reference: reference.clone(),
                approved_on,
                recorded_by: label.clone(),
                recorded_at: now,
            })?;
            let detail = serde_json::json!({
                "region": region.as_str(), "revision": product.revision, "step": step.as_str(),
            });
            Ok((gate_view(tx, &product, &region, now)?, detail.to_string()))
        })
    }

    /// The vendor's staff record a test card they made of their product's current revision
    /// for a region, until the revision's gate is passed.
    pub fn submit_test_card(
        &self,
        actor: &Actor,
        key: &str,
        product: &str,
        request: NewTestCard,
    ) -> Result<GateView, AppError> {
        self.authorise(actor, Operation::SubmitTestCard)?;
        let region = region(&request.region)?;
        let serial =
            text(&request.serial, "serial", REFERENCE_CHARS_MAX).map_err(production_error)?;
        let made_on = date(&request.made_on, "made_on")?;
        let owner: Option<String> = self.store.read({
            let id = product.to_owned();
            move |tx| Ok::<_, AppError>(tx.card_product(&id)?.map(|p| p.vendor_id))
        })?;
        self.visible_or_hidden(
            owner
                .as_deref()
                .is_some_and(|vendor| vendor_in_scope(actor, vendor)),
            actor,
            Operation::SubmitTestCard,
            ("product", &product),
        )?;
        let (id, label, product_id) = (new_id("tcd"), actor.label(), product.to_owned());
        let audit = Audit::creating("production.gate.test", format!("testcard:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let (product, days) = product_days(tx, &product_id, &region, now)?;
            let made_on = day_between(made_on, days, "made_on")?;
            let records = GateRecords::load(tx, &product, &region)?;
            may_add_test_card(&records.approvals(), &records.test_cards())
                .map_err(production_error)?;
            if records.cards.iter().any(|(card, _)| card.serial == serial) {
                return Err(AppError::Conflict(Clash::TestCardRecorded));
            }
            tx.insert_test_card(&TestCardRecord {
                id: id.clone(),
                product_id: product.id.clone(),
                region: region.clone(),
                revision: product.revision,
                serial: serial.clone(),
                made_on,
                recorded_by: label.clone(),
                recorded_at: now,
            })?;
            let detail = serde_json::json!({
                "product": product.id, "region": region.as_str(), "revision": product.revision,
            });
            Ok((gate_view(tx, &product, &region, now)?, detail.to_string()))
        })
    }

    /// The desk records one audit of a test card of the product's current revision, once
    /// an audit; a universality test names its seven checks.
    pub fn record_test_card_audit(
        &self,
        actor: &Actor,
        key: &str,
        test_card: &str,
        request: NewTestCardAudit,
    ) -> Result<GateView, AppError> {
        self.authorise(actor, Operation::RecordGate)?;
        let kind = AuditKind::parse(request.audit.trim()).ok_or_else(|| {
            AppError::invalid("audit", "standard_compliance, safety or universality")
        })?;
        let checks: Vec<(String, bool)> = request
            .checks
            .iter()
            .map(|c| (c.check.trim().to_owned(), c.passed))
            .collect();
        let passed = audit_outcome(kind, request.passed, &checks).map_err(production_error)?;
        let note = match &request.note {
            Some(note) => Some(text(note, "note", 500).map_err(production_error)?),
            None => None,
        };
        let audited_on = date(&request.audited_on, "audited_on")?;
        let checks = serde_json::to_string(&checks).map_err(AppError::failed("encoding checks"))?;
        let (label, card_id) = (actor.label(), test_card.to_owned());
        let audit = Audit::on("production.gate.audit", format!("testcard:{test_card}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = tx
                .test_card(&card_id)?
                .or_not_found("test card", &card_id)?;
            let product = tx
                .card_product(&card.product_id)?
                .or_not_found("card product", &card.product_id)?;
            if card.revision != product.revision {
                return Err(rule(
                    RefusalCode::WrongState,
                    format!(
                        "test card {} is of revision {}; the product is at revision {}",
                        card.serial, card.revision, product.revision
                    ),
                ));
            }
            let today = App::today_in(tx, &card.region, now)?;
            let audited_on = day_between(audited_on, (card.made_on, today), "audited_on")?;
            if tx
                .test_card_audits(&card.id)?
                .iter()
                .any(|a| a.audit == kind.as_str())
            {
                return Err(AppError::Conflict(Clash::AuditRecorded));
            }
            tx.insert_test_card_audit(&TestCardAuditRecord {
                test_card_id: card.id.clone(),
                audit: kind.as_str().to_owned(),
                passed,
                checks: checks.clone(),
                note: note.clone(),
                audited_on,
                recorded_by: label.clone(),
                recorded_at: now,
            })?;
            let detail = serde_json::json!({
                "product": product.id, "region": card.region.as_str(), "test_audit": kind.as_str(),
                "passed": passed,
            });
            Ok((
                gate_view(tx, &product, &card.region, now)?,
                detail.to_string(),
            ))
        })
    }
}
