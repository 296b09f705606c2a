//! What is stored of card production (issue 18): vendors, their credentials, products and
//! their changes, the gates' approvals, test cards and their audits, and the region's master
//! keys by id.

use shebao_domain::ids::RegionCode;
use shebao_domain::person::identity::Gender;
use shebao_domain::time::{Date, Timestamp};

/// A card vendor registered by the bureau; its contact is sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardVendorRecord {
    pub id: String,
    pub credit_code: String,
    pub name: String,
    /// The region whose bureau chose it: its days are the vendor's.
    pub region: RegionCode,
    pub contact_cipher: String,
    pub registered_by: String,
    pub registered_at: Timestamp,
}

/// A licence, attestation or filing as recorded; never changed (a renewal is a new row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorCredentialRecord {
    pub id: String,
    pub vendor_id: String,
    pub kind: String,
    pub number: String,
    pub issued_on: Date,
    pub valid_until: Date,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
    /// The vendor's credentials counted in the order recorded, from 1.
    pub seq: i64,
}

/// A vendor's card product at its current revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardProductRecord {
    pub id: String,
    pub vendor_id: String,
    pub name: String,
    pub generation: String,
    pub chip: String,
    pub operating_system: String,
    pub face_design: String,
    pub face_version: String,
    pub file_structure_version: String,
    pub revision: i64,
    pub registered_by: String,
    pub registered_at: Timestamp,
    pub version: i64,
}

/// A change that made a product's `revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductChangeRecord {
    pub product_id: String,
    pub revision: i64,
    pub what: String,
    pub old_value: String,
    pub new_value: String,
    pub note: String,
    pub changed_by: String,
    pub changed_at: Timestamp,
}

/// A ministry-side approval of a product revision in a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateApprovalRecord {
    pub product_id: String,
    pub region: RegionCode,
    pub revision: i64,
    pub step: String,
    pub reference: String,
    pub approved_on: Date,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// A test card a vendor made of a product revision for a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCardRecord {
    pub id: String,
    pub product_id: String,
    pub region: RegionCode,
    pub revision: i64,
    pub serial: String,
    pub made_on: Date,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// One audit of a test card; `checks` is the universality test's checks as JSON
/// (`[["read", true], …]`), `[]` for the other audits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCardAuditRecord {
    pub test_card_id: String,
    pub audit: String,
    pub passed: bool,
    pub checks: String,
    pub note: Option<String>,
    pub audited_on: Date,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// A region's master key: its id, where it sits and its check value; the key itself is
/// only ever inside the key store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MasterKeyRecord {
    pub id: String,
    pub region: RegionCode,
    pub purpose: String,
    pub version: i64,
    pub levels: String,
    pub check_value: String,
    pub key_store: String,
    pub status: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

/// A production batch: a vendor's product revision, a region, its cards' count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductionBatchRecord {
    pub id: String,
    pub vendor_id: String,
    pub product_id: String,
    pub revision: i64,
    pub region: RegionCode,
    pub status: String,
    pub cards: i64,
    pub created_by: String,
    pub created_at: Timestamp,
    pub shipped_by: Option<String>,
    pub shipped_at: Option<Timestamp>,
    pub version: i64,
}

/// A card of a batch and its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchCardRecord {
    pub batch_id: String,
    pub card_id: String,
    pub seq: i64,
    pub status: String,
    pub reason: Option<String>,
    pub reported_by: Option<String>,
    pub reported_at: Option<Timestamp>,
}

/// A batch's cards counted by result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub queued: i64,
    pub produced: i64,
    pub failed: i64,
}

/// A vendor's sealing key: an X25519 public key (base64), never the private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealingKeyRecord {
    pub id: String,
    pub vendor_id: String,
    pub public_key: String,
    pub status: String,
    pub registered_by: String,
    pub registered_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

/// A part of a batch's personalisation file as one generation sealed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalisationPartRecord {
    pub batch_id: String,
    pub generation: String,
    pub part: i64,
    pub first_seq: i64,
    pub cards: i64,
    /// SHA-256 of the sealed text, hex.
    pub digest: String,
    pub sealed: String,
}

/// A batch's personalisation file: the generation whose parts it names, and the manifest
/// the bureau signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalisationFileRecord {
    pub batch_id: String,
    pub generation: String,
    pub sealing_key_id: String,
    pub parts: i64,
    pub cards: i64,
    pub issued_on: Date,
    /// The last valid day printed on the face and written in the chip.
    pub valid_until: Date,
    pub manifest: String,
    pub signature: String,
    pub signing_key_id: String,
    pub generated_by: String,
    pub generated_at: Timestamp,
}

/// What one card of a batch puts into its personalisation file: its numbers and its
/// holder's sealed data, read together in the batch's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalisationRow {
    pub seq: i64,
    pub card_id: String,
    pub card_number: String,
    pub identification_code: String,
    pub bank_card_cipher: Option<String>,
    pub person_id: String,
    pub name_cipher: String,
    pub citizen_cipher: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub nationality: String,
    /// Whether the card is still in production (not cancelled meanwhile).
    pub in_production: bool,
}

/// A region's pick-up point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickupPointRecord {
    pub id: String,
    pub region: RegionCode,
    pub kind: String,
    pub branch_id: Option<String>,
    pub name: String,
    pub address: String,
    pub opening_hours: String,
    pub capacity: i64,
    pub is_default: bool,
    pub created_by: String,
    pub created_at: Timestamp,
}

/// A batch's produced cards sent to one pick-up point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentRecord {
    pub id: String,
    pub batch_id: String,
    pub point_id: String,
    pub cards: i64,
    pub status: String,
    pub counted: Option<i64>,
    pub missing: Option<i64>,
    pub shipped_at: Timestamp,
    pub received_by: Option<String>,
    pub received_at: Option<Timestamp>,
    pub version: i64,
}

/// One card's delivery to its pick-up point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub shipment_id: String,
    pub card_id: String,
    pub point_id: String,
    pub status: String,
    /// The region's day it was counted at the point.
    pub received_on: Option<Date>,
    pub closed_by: Option<String>,
    pub closed_at: Option<Timestamp>,
}

/// A notice shown on a holder's home page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: String,
    pub person_id: String,
    pub kind: String,
    /// JSON: what the notice says (the point, its address and hours).
    pub detail: String,
    pub created_at: Timestamp,
}

/// A text message queued for the gateway: the person (whose number is sealed in
/// `persons`), the template and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsRecord {
    pub id: String,
    pub person_id: String,
    pub template: String,
    pub params: String,
    pub status: String,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// Where a holder chose to collect a card: a pick-up point of the card's region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionChoiceRecord {
    pub card_id: String,
    pub point_id: String,
    pub chosen_by: String,
    pub chosen_at: Timestamp,
}

/// A bank branch's instant-issuance device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuanceDeviceRecord {
    pub point_id: String,
    pub product_id: String,
    /// The product's revision the device's blank cards are of.
    pub revision: i64,
    /// `dvk-` and the first 16 hex digits of the public key's SHA-256.
    pub key_id: String,
    /// X25519, base64.
    pub public_key: String,
    pub registered_by: String,
    pub registered_at: Timestamp,
}

/// A card personalised on the spot at a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstantIssueRecord {
    pub id: String,
    pub card_id: String,
    pub point_id: String,
    pub device_key_id: String,
    pub product_id: String,
    pub revision: i64,
    /// The master keys' ids, comma-separated.
    pub master_keys: String,
    /// SHA-256 of what was sealed to the device, hex.
    pub digest: String,
    pub valid_until: Date,
    /// The manifest (JSON text) the bureau signed, its Ed25519 signature (base64) and the
    /// signing key's id.
    pub manifest: String,
    pub signature: String,
    pub signing_key_id: String,
    /// `sealed`, `produced` or `failed`.
    pub status: String,
    pub reason: Option<String>,
    pub issued_by: String,
    pub issued_at: Timestamp,
    pub reported_by: Option<String>,
    pub reported_at: Option<Timestamp>,
}

/// A recalled card destroyed at its point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDestructionRecord {
    pub card_id: String,
    pub point_id: String,
    /// The record that covers the cards destroyed together.
    pub record_id: String,
    /// `shredded` or `chip_punched`.
    pub method: String,
    /// The witness the point's paper record names.
    pub witness: String,
    pub destroyed_by: String,
    pub destroyed_at: Timestamp,
}

/// A card to be sent by post: the address (sealed), and the order's steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailOrderRecord {
    pub id: String,
    pub card_id: String,
    /// The address and postcode, JSON, sealed like every personal datum.
    pub address_cipher: String,
    /// `chosen`, `posted`, `delivered`, `returned` or `withdrawn`.
    pub status: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// Why the carrier brought the card back.
    pub reason: Option<String>,
    pub chosen_by: String,
    pub chosen_at: Timestamp,
    pub posted_by: Option<String>,
    pub posted_at: Option<Timestamp>,
    pub closed_by: Option<String>,
    pub closed_at: Option<Timestamp>,
    pub version: i64,
}
