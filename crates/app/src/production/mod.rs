//! Card production (issue 18). The bureau's production desk registers card vendors (with
//! their licences, the attestation of their secure environment and their PSAM filing) and
//! their products (each change of chip, operating system, card face or file structure a new
//! revision); for each product revision and region it records the ministry-side approvals
//! and the three audits of every test card the vendor made (the vendor records the test
//! cards), and the gate opens when all are passed; it keeps the region's master keys by id
//! (`keys`). Here: the requests, views and shared checks; `vendors` (vendors, credentials,
//! products, changes), `gate` (the gate's record and whether production may start), `keys`,
//! `batches`, `file` (personalisation files), `distribution` (pick-up points, shipments,
//! collection), `recall` (uncollected cards listed, recalled and destroyed with a record),
//! `choice` (a holder's choice of point), `mail` (a card sent by post),
//! `notices` (the holder's notices and the SMS outbox) and `instant` (instant issuance at
//! equipped branches).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Role;
use shebao_domain::ids::RegionCode;
use shebao_domain::production::{
    Credential, CredentialKind, ProductTerms, ProductionRefusal, Standing, StandingIssue,
    VERSION_PATTERN,
};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{DATE_PATTERN, Date};
use shebao_store::{CardProductRecord, CardVendorRecord, Tx, VendorCredentialRecord};

use crate::error::{RefusalCode, rule};
use crate::{Actor, AppError};

mod batches;
mod choice;
mod distribution;
mod file;
mod gate;
mod instant;
mod keys;
mod mail;
mod notices;
mod recall;
mod vendors;

pub use batches::{
    BATCH_CARDS_PAGE, BatchCardView, BatchCardsQuery, BatchView, CardResultBody, NewBatch,
    ResultsReport,
};
pub use choice::{CollectionPointView, PlaceView, PointChoice};
pub(crate) use distribution::may_hand_over;
pub use distribution::{
    NewPickupPoint, NotificationView, NotificationsView, OutboxView, PointQuery,
    PointShipmentsView, PointView, ReadyNotice, RecallView, ShipmentReceipt, ShipmentView, SmsSent,
    SmsView, UncollectedView, WaitingCardView, serves,
};
pub use file::{
    FileView, NewSealingKey, PART_CARDS, PartView, SealingKeyView, SigningKeyView, part_context,
};
pub use gate::{
    ApprovalView, AuditView, GateQuery, GateView, NewGateApproval, NewTestCard, NewTestCardAudit,
    ProductionCheck, TestCardView, UniversalityCheck,
};
pub use instant::{
    InstantIssueReport, InstantIssueView, IssuanceDeviceView, NewIssuanceDevice, instant_context,
};
pub use keys::{KeyQuery, MasterKeyView, NewMasterKey};
pub use mail::{MailCardView, MailChoice, MailPosting, MailQueueView, MailReport, MailView};
pub(crate) use mail::{
    delivered_by_post, mail_again, not_in_the_post, withdraw_chosen_mail, withdraw_mail,
};
pub use recall::{Destruction, DestructionView, RecalledCardView, RecalledView};

/// A card vendor the bureau registers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCardVendor {
    /// The vendor's unified social credit code.
    pub credit_code: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    /// The region whose bureau chose it (6 digits): its days are the vendor's days.
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    /// Whom the bureau calls: a person's name and telephone (sealed at rest).
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub contact: String,
}

/// A licence, the environment's attestation or the PSAM filing, as its document says.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCredential {
    #[schemars(extend("enum" = ["card_production", "bank_card", "commercial_cryptography", "secure_environment", "psam_filing"]))]
    pub kind: String,
    #[schemars(length(min = 1, max = 64), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub number: String,
    /// The day of issue (of filing, for the PSAM filing).
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub issued_on: String,
    /// The last day it is valid: at most two years after the filing for the PSAM filing.
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub valid_until: String,
}

/// A vendor's product.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCardProduct {
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    /// The card generation (specification version).
    #[schemars(extend("enum" = ["1.00", "2.00", "3.00"]))]
    pub generation: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub chip: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub operating_system: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub face_design: String,
    #[schemars(length(min = 1, max = 16), regex(pattern = VERSION_PATTERN))]
    pub face_version: String,
    #[schemars(length(min = 1, max = 16), regex(pattern = VERSION_PATTERN))]
    pub file_structure_version: String,
}

/// A change of a product: a new revision, whose gate starts closed in every region.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductChangeRequest {
    #[schemars(extend("enum" = ["chip", "operating_system", "card_face", "file_structure"]))]
    pub what: String,
    /// The new chip or operating system, or the new version of the card face or file
    /// structure.
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub value: String,
    /// Why (the filing or approval it answers).
    #[schemars(length(min = 1, max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CredentialView {
    #[schemars(extend("enum" = ["card_production", "bank_card", "commercial_cryptography", "secure_environment", "psam_filing"]))]
    pub kind: String,
    pub number: String,
    #[schemars(extend("format" = "date"))]
    pub issued_on: String,
    #[schemars(extend("format" = "date"))]
    pub valid_until: String,
}

/// Something that stops a vendor producing, or lapses soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StandingNote {
    #[schemars(extend("enum" = ["card_production", "bank_card", "commercial_cryptography", "secure_environment", "psam_filing"]))]
    pub kind: String,
    /// `missing`, `expired` (on the day after `valid_until`) or `expiring` (within 90 days).
    #[schemars(extend("enum" = ["missing", "expired", "expiring"]))]
    pub state: String,
    #[schemars(extend("format" = "date"))]
    pub valid_until: Option<String>,
}

/// Whether the vendor may produce today (its region's day), and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StandingView {
    #[schemars(extend("format" = "date"))]
    pub today: String,
    pub may_produce: bool,
    /// What stops production, then what lapses within 90 days.
    pub notes: Vec<StandingNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CardVendor")]
pub struct VendorView {
    pub id: String,
    pub credit_code: String,
    pub name: String,
    pub region: String,
    /// In clear when the production desk or the vendor's own staff read it; masked for the
    /// auditor and in the answer to a change (a stored answer keeps nothing personal in clear).
    pub contact: String,
    pub registered_at: String,
    pub standing: StandingView,
    /// Every credential recorded, the last recorded first (for each kind, that one counts).
    pub credentials: Vec<CredentialView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProductChangeView {
    pub revision: i64,
    #[schemars(extend("enum" = ["chip", "operating_system", "card_face", "file_structure"]))]
    pub what: String,
    pub old_value: String,
    pub new_value: String,
    pub note: String,
    pub changed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CardProduct")]
pub struct ProductView {
    pub id: String,
    pub vendor_id: String,
    pub name: String,
    pub generation: String,
    pub chip: String,
    pub operating_system: String,
    pub face_design: String,
    pub face_version: String,
    pub file_structure_version: String,
    /// 1 when registered; each change adds one, and the gate of a new revision starts
    /// closed.
    pub revision: i64,
    pub registered_at: String,
    /// The changes, newest first.
    pub changes: Vec<ProductChangeView>,
}

/// A refusal of the domain's production rules as the application's error.
pub(crate) fn production_error(refusal: ProductionRefusal) -> AppError {
    let message = refusal.to_string();
    match refusal {
        ProductionRefusal::Invalid { field, reason } => AppError::invalid(field, reason),
        ProductionRefusal::VendorNotCertified { .. } => {
            rule(RefusalCode::VendorNotCertified, message)
        }
        ProductionRefusal::GateNotPassed { .. } => rule(RefusalCode::GateNotPassed, message),
        ProductionRefusal::AlreadyRecorded { .. } | ProductionRefusal::WrongState { .. } => {
            rule(RefusalCode::WrongState, message)
        }
        ProductionRefusal::PointFull { .. } => rule(RefusalCode::PointFull, message),
    }
}

/// A region field of a request: 6 digits.
pub(crate) fn region(input: &str) -> Result<RegionCode, AppError> {
    RegionCode::parse(input.trim())
        .ok_or_else(|| AppError::invalid("region", "a 6-digit region code"))
}

/// A date field of a request.
pub(crate) fn date(input: &str, field: &'static str) -> Result<Date, AppError> {
    Date::parse_iso(input.trim()).ok_or_else(|| AppError::invalid(field, "a date, YYYY-MM-DD"))
}

/// Whether the actor's login is the vendor's own staff.
pub(crate) fn vendor_in_scope(actor: &Actor, vendor: &str) -> bool {
    actor.role == Role::CardVendor && actor.scope.vendor_id.as_deref() == Some(vendor)
}

/// Whether the actor reads every vendor's records (the production desk and the auditor).
pub(crate) fn reads_every_vendor(actor: &Actor) -> bool {
    matches!(actor.role, Role::ProductionOfficer | Role::Auditor)
}

/// A vendor's credentials as the domain weighs them, in the order recorded (`records` as
/// the store lists them: the last recorded first).
pub(crate) fn credentials(records: &[VendorCredentialRecord]) -> Vec<Credential> {
    records
        .iter()
        .rev()
        .filter_map(|r| {
            Some(Credential {
                kind: CredentialKind::parse(&r.kind)?,
                number: r.number.clone(),
                issued_on: r.issued_on,
                valid_until: r.valid_until,
            })
        })
        .collect()
}

/// The vendor's standing from its credentials on record.
pub(crate) fn standing_of(tx: &mut Tx<'_>, vendor: &str) -> Result<Standing, AppError> {
    let records = tx.vendor_credentials(vendor, shebao_store::tx::PRODUCTION_LISTED_MAX)?;
    Ok(Standing::of(&credentials(&records)))
}

/// The standing as shown: what stops production today, then what lapses soon.
pub(crate) fn standing_view(standing: &Standing, today: Date) -> StandingView {
    let mut notes: Vec<StandingNote> = standing
        .issues(today)
        .into_iter()
        .map(|issue| match issue {
            StandingIssue::Missing(kind) => StandingNote {
                kind: kind.as_str().to_owned(),
                state: "missing".into(),
                valid_until: None,
            },
            StandingIssue::Expired(kind, last) => StandingNote {
                kind: kind.as_str().to_owned(),
                state: "expired".into(),
                valid_until: Some(last.to_string()),
            },
        })
        .collect();
    let may_produce = notes.is_empty();
    notes.extend(
        standing
            .expiring(today)
            .into_iter()
            .map(|(kind, last)| StandingNote {
                kind: kind.as_str().to_owned(),
                state: "expiring".into(),
                valid_until: Some(last.to_string()),
            }),
    );
    StandingView {
        today: today.to_string(),
        may_produce,
        notes,
    }
}

/// The product's terms as the domain checks them.
pub(crate) fn terms_of(product: &CardProductRecord) -> ProductTerms {
    ProductTerms {
        name: product.name.clone(),
        generation: product.generation.clone(),
        chip: product.chip.clone(),
        operating_system: product.operating_system.clone(),
        face_design: product.face_design.clone(),
        face_version: product.face_version.clone(),
        file_structure_version: product.file_structure_version.clone(),
    }
}

/// A vendor's record, or not found; hidden (and audited) from another vendor's staff.
pub(crate) fn vendor_for(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
) -> Result<CardVendorRecord, AppError> {
    if !reads_every_vendor(actor) && !vendor_in_scope(actor, id) {
        return Err(AppError::Hidden(format!("card vendor {id}")));
    }
    tx.card_vendor(id)?
        .ok_or_else(|| AppError::NotFound(format!("card vendor {id}")))
}

/// A product the actor may read (its vendor's staff, the desk, the auditor), or hidden.
pub(crate) fn product_for(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
) -> Result<CardProductRecord, AppError> {
    let product = tx
        .card_product(id)?
        .ok_or_else(|| AppError::NotFound(format!("card product {id}")))?;
    if !reads_every_vendor(actor) && !vendor_in_scope(actor, &product.vendor_id) {
        return Err(AppError::Hidden(format!("card product {id}")));
    }
    Ok(product)
}
