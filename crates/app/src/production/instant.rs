//! Instant issuance (issue 18, item 5): a bank branch equipped with an issuance device — its
//! X25519 public key and the product revision whose blank cards it personalises, registered
//! by the production desk — personalises an applied card of its own bank on the spot. The
//! same rules hold as for a batch: the product's gate passed in the card's region and the
//! vendor's standing in force today, the card's keys derived from the region's active master
//! keys inside the key store and sealed, with the card's data, to the device (never shown in
//! clear), and a manifest of what was sealed signed by the bureau and kept with the issue
//! (as a file's manifest).
//! The card is in production until the device reports it: produced, it is ready at the
//! branch, whose teller hands it over after the identity check (`collect_card`); failed
//! (a spoiled blank), it is applied for again and may be issued anew. The photograph is the
//! one the branch's camera takes at the counter (the data names the person whose it is).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shebao_domain::access::Operation;
use shebao_domain::card::CardStatus;
use shebao_domain::ids::CardId;
use shebao_domain::production::distribution::PointKind;
use shebao_store::{InstantIssueRecord, IssuanceDeviceRecord};

use super::file::{Face, active_master_keys, card_data, public_key, sealing_key_id};
use super::gate::production_allowed;
use crate::error::{OrNotFound, RefusalCode, rule};
use crate::keystore::key_store_error;
use crate::{Actor, App, AppError, Audit, new_id};

/// What a sealed card is bound to: opened only as that card's instant issue.
#[must_use]
pub fn instant_context(card: &str) -> String {
    format!("shebao-instant-v1|{card}")
}

/// A branch's issuance device as the desk registers it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIssuanceDevice {
    /// The device's X25519 public key: 32 bytes, base64 (standard, padded).
    #[schemars(regex(pattern = r"^[A-Za-z0-9+/]{43}=$"))]
    pub public_key: String,
    /// The product whose blank cards the device personalises.
    #[schemars(length(min = 1, max = 64))]
    pub product: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "IssuanceDevice")]
pub struct IssuanceDeviceView {
    pub point_id: String,
    pub product_id: String,
    /// The product's revision of the device's blank cards: a change of the product stops
    /// the device until it is registered again.
    pub revision: i64,
    /// `dvk-` and the first 16 hex digits of the public key's SHA-256.
    pub key_id: String,
    pub public_key: String,
    pub registered_at: String,
}

/// A card personalised on the spot: what the device writes, sealed to it, and the bureau's
/// signed manifest of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InstantIssue")]
pub struct InstantIssueView {
    pub id: String,
    pub card_id: String,
    pub point_id: String,
    pub device_key_id: String,
    pub product_id: String,
    pub revision: i64,
    /// The ids of the master keys the card's keys were derived from.
    pub master_keys: Vec<String>,
    /// The last valid day printed on the card.
    #[schemars(extend("format" = "date"))]
    pub valid_until: String,
    /// `sealed` until the device reports the card `produced` or `failed`.
    #[schemars(extend("enum" = ["sealed", "produced", "failed"]))]
    pub status: String,
    /// SHA-256 of `sealed`, hex.
    pub digest: String,
    /// `sm4gcm-x25519.…`: the card's data and keys, opened with the device's private key and
    /// the context `shebao-instant-v1|<card>`; empty on the report's answer (never kept).
    pub sealed: String,
    /// The manifest (JSON text): the card, the point, the device's key, the product and
    /// revision, the master keys, the days and the digest. The signature is over exactly
    /// these bytes.
    pub manifest: String,
    pub signing_key_id: String,
    /// Ed25519, base64.
    pub signature: String,
}

/// What the device reports of a card it personalised.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstantIssueReport {
    #[schemars(extend("enum" = ["produced", "failed"]))]
    pub outcome: String,
    /// Why it failed (a spoiled blank, a chip that would not write).
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub reason: Option<String>,
}

fn device_view(device: &IssuanceDeviceRecord) -> IssuanceDeviceView {
    IssuanceDeviceView {
        point_id: device.point_id.clone(),
        product_id: device.product_id.clone(),
        revision: device.revision,
        key_id: device.key_id.clone(),
        public_key: device.public_key.clone(),
        registered_at: device.registered_at.to_string(),
    }
}

impl App {
    /// The desk equips a bank branch's point with an issuance device (replacing the one it
    /// had): its public key and the product, at its current revision, of the blank cards it
    /// personalises.
    pub fn register_issuance_device(
        &self,
        actor: &Actor,
        key: &str,
        point: &str,
        request: NewIssuanceDevice,
    ) -> Result<IssuanceDeviceView, AppError> {
        self.authorise(actor, Operation::ManageDistribution)?;
        let device_key = public_key(&request.public_key)?;
        let encoded = STANDARD.encode(device_key);
        let key_id = sealing_key_id(&device_key).replace("vsk-", "dvk-");
        let (point_id, product_id, label) = (
            point.to_owned(),
            request.product.trim().to_owned(),
            actor.label(),
        );
        let audit = Audit::on("production.device.register", format!("point:{point}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let point = tx
                .pickup_point(&point_id)?
                .or_not_found("pickup point", &point_id)?;
            if point.kind != PointKind::BankBranch.as_str() {
                return Err(rule(
                    RefusalCode::WrongState,
                    "cards are issued on the spot at bank branches only",
                ));
            }
            let product = tx
                .card_product(&product_id)?
                .or_not_found("card product", &product_id)?;
            let device = IssuanceDeviceRecord {
                point_id: point.id.clone(),
                product_id: product.id.clone(),
                revision: product.revision,
                key_id: key_id.clone(),
                public_key: encoded.clone(),
                registered_by: label.clone(),
                registered_at: now,
            };
            tx.register_issuance_device(&device)?;
            let detail = serde_json::json!({
                "point": point.id, "product": product.id, "revision": product.revision,
                "device_key": key_id,
            });
            Ok((device_view(&device), detail.to_string()))
        })
    }

    /// A teller of an equipped branch personalises an applied card of their bank on the
    /// spot, in the card's region: the device's product revision must be the product's
    /// current one, the product's gate and the vendor's standing are checked as for a
    /// batch, the card's data and keys are sealed to the device and the manifest of it
    /// signed; the card is in production until the device reports it.
    pub fn issue_instantly(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<InstantIssueView, AppError> {
        self.authorise(actor, Operation::IssueInstantly)?;
        let branch = teller_branch(actor)?;
        let (id, label, actor_in) = (CardId::new(card), actor.label(), actor.clone());
        let (vault, key_store) = (self.vault.clone(), self.key_store.clone());
        let audit = Audit::on("production.instant.issue", format!("card:{card}"));
        self.change(actor, key, &serde_json::json!({}), audit, move |tx, now| {
            let card = crate::card::load_card(tx, &actor_in, &id)?;
            if card.status != CardStatus::Applied {
                return Err(rule(
                    RefusalCode::WrongState,
                    "only an applied card is issued on the spot",
                ));
            }
            crate::card::has_bank_card_number(tx, &card)?;
            let point = branch_point(tx, &branch, &card.region)?;
            let device = tx.issuance_device(&point.id)?.ok_or_else(|| {
                rule(
                    RefusalCode::WrongState,
                    "this branch has no instant-issuance device",
                )
            })?;
            let product = tx
                .card_product(&device.product_id)?
                .or_not_found("card product", &device.product_id)?;
            if product.revision != device.revision {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the product changed since the device was registered: register it again",
                ));
            }
            let params = App::parameters_in(tx, &card.region, now)?;
            let today = now.local_date(params.utc_offset());
            production_allowed(tx, &product, &card.region, today)?;
            let (chains, key_ids) = active_master_keys(tx, &card.region)?;
            let years = i32::try_from(params.card_validity_years)
                .map_err(|_| AppError::Internal("card validity".into()))?;
            let face = Face {
                region: card.region.as_str(),
                issued_on: today,
                valid_until: today.add_years(years),
            };
            let row = tx
                .personalisation_row_of_card(card.id.as_str())?
                .or_not_found("card", &id)?;
            let to_seal = card_data(&vault, &row, &face)?;
            let context = instant_context(card.id.as_str());
            let sealed = key_store
                .seal_cards(
                    &public_key(&device.public_key)?,
                    &chains,
                    &[to_seal],
                    context.as_bytes(),
                )
                .map_err(key_store_error)?
                .to_text();
            let digest = hex::encode(Sha256::digest(sealed.as_bytes()));
            let manifest = serde_json::json!({
                "format": "shebao-instant-v1",
                "card": card.id.as_str(),
                "point": point.id,
                "device_key": device.key_id,
                "product": product.id,
                "revision": product.revision,
                "master_keys": key_ids,
                "issued_on": face.issued_on.to_string(),
                "valid_until": face.valid_until.to_string(),
                "sha256": digest,
            })
            .to_string();
            let signature = key_store
                .sign(manifest.as_bytes())
                .map_err(key_store_error)?;
            tx.update_card(&card.start_production()?)?;
            let record = InstantIssueRecord {
                id: new_id("iis"),
                manifest,
                signing_key_id: signature.key_id,
                signature: STANDARD.encode(signature.signature),
                card_id: card.id.as_str().to_owned(),
                point_id: point.id.clone(),
                device_key_id: device.key_id.clone(),
                product_id: product.id.clone(),
                revision: product.revision,
                master_keys: key_ids.join(","),
                digest,
                valid_until: face.valid_until,
                status: "sealed".into(),
                reason: None,
                issued_by: label.clone(),
                issued_at: now,
                reported_by: None,
                reported_at: None,
            };
            tx.insert_instant_issue(&record)?;
            let detail = serde_json::json!({
                "point": point.id, "product": product.id, "revision": product.revision,
                "master_keys": record.master_keys, "device_key": device.key_id,
            });
            Ok((issue_view(&record, sealed), detail.to_string()))
        })
    }

    /// The branch's teller (the device's software) reports the card it personalised, once:
    /// produced, the card is ready at the branch with its printed last valid day; failed,
    /// it is applied for again and may be issued anew.
    pub fn report_instant_issue(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: InstantIssueReport,
    ) -> Result<InstantIssueView, AppError> {
        self.authorise(actor, Operation::IssueInstantly)?;
        let branch = teller_branch(actor)?;
        let produced = match request.outcome.trim() {
            "produced" => true,
            "failed" => false,
            _ => return Err(AppError::invalid("outcome", "produced or failed")),
        };
        let reason = request
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| {
                shebao_domain::production::text(r, "reason", 200).map_err(super::production_error)
            })
            .transpose()?;
        if !produced && reason.is_none() {
            return Err(AppError::invalid("reason", "a failed card's reason"));
        }
        let (id, label, actor_in) = (CardId::new(card), actor.label(), actor.clone());
        let audit = Audit::on("production.instant.report", format!("card:{card}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = crate::card::load_card(tx, &actor_in, &id)?;
            let point = branch_point(tx, &branch, &card.region)?;
            let issue = tx
                .live_instant_issue(card.id.as_str())?
                .filter(|issue| issue.status == "sealed" && issue.point_id == point.id)
                .ok_or_else(|| {
                    rule(
                        RefusalCode::WrongState,
                        "no card of this branch waits for the device's report",
                    )
                })?;
            let next = if produced {
                card.arrived(&point.id, issue.valid_until)?
            } else {
                card.production_failed()?
            };
            tx.update_card(&next)?;
            // Made: the card waits at the branch, whatever point its holder had chosen.
            if produced {
                tx.remove_collection_choice(card.id.as_str())?;
                if let Some(order) = tx.live_mail_order(card.id.as_str())? {
                    super::mail::withdraw_mail(tx, order, &label, now)?;
                }
            }
            let reported = InstantIssueRecord {
                status: if produced { "produced" } else { "failed" }.into(),
                reason: reason.clone(),
                reported_by: Some(label.clone()),
                reported_at: Some(now),
                ..issue
            };
            tx.report_instant_issue(&reported)?;
            let detail = serde_json::json!({ "card_made": produced });
            Ok((issue_view(&reported, String::new()), detail.to_string()))
        })
    }
}

/// The branch of the teller acting.
fn teller_branch(actor: &Actor) -> Result<String, AppError> {
    actor
        .scope
        .branch_id
        .as_ref()
        .map(|b| b.as_str().to_owned())
        .ok_or(AppError::Forbidden)
}

/// The pick-up point the teller's branch is, in the card's region.
fn branch_point(
    tx: &mut shebao_store::Tx<'_>,
    branch: &str,
    region: &shebao_domain::ids::RegionCode,
) -> Result<shebao_store::PickupPointRecord, AppError> {
    tx.pickup_point_of_branch(branch)?
        .filter(|point| &point.region == region)
        .ok_or_else(|| {
            rule(
                RefusalCode::WrongState,
                "this branch is no pick-up point of the card's region",
            )
        })
}

/// An issue as answered: `sealed` as just made (empty on a report).
fn issue_view(record: &InstantIssueRecord, sealed: String) -> InstantIssueView {
    InstantIssueView {
        id: record.id.clone(),
        card_id: record.card_id.clone(),
        point_id: record.point_id.clone(),
        device_key_id: record.device_key_id.clone(),
        product_id: record.product_id.clone(),
        revision: record.revision,
        master_keys: record
            .master_keys
            .split(',')
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect(),
        valid_until: record.valid_until.to_string(),
        status: record.status.clone(),
        digest: record.digest.clone(),
        sealed,
        manifest: record.manifest.clone(),
        signing_key_id: record.signing_key_id.clone(),
        signature: record.signature.clone(),
    }
}
