//! Instant issuance (issue 18, item 5): a bank branch equipped with an issuance device — its
//! X25519 public key and the product whose blank cards it personalises, registered by the
//! production desk — personalises an applied card of its own bank on the spot. The same
//! rules hold as for a batch: the product's gate passed in the card's region and the
//! vendor's standing in force today, the card's keys derived from the region's active master
//! keys inside the key store and sealed, with the card's data, to the device (never shown in
//! clear). The card is then ready at the branch, whose teller hands it over after the
//! identity check (`collect_card`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shebao_domain::access::Operation;
use shebao_domain::card::CardStatus;
use shebao_domain::ids::CardId;
use shebao_domain::production::distribution::PointKind;
use shebao_store::{InstantIssueRecord, IssuanceDeviceRecord};

use super::file::{Face, active_master_keys, card_data, public_key};
use super::gate::production_allowed;
use super::keys::key_store_error;
use crate::error::{OrNotFound, RefusalCode, rule};
use crate::{Actor, App, AppError, Audit};

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
    pub public_key: String,
    pub registered_at: String,
}

/// A card personalised on the spot: what the device writes, sealed to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InstantIssue")]
pub struct InstantIssueView {
    pub card_id: String,
    pub point_id: String,
    pub product_id: String,
    pub revision: i64,
    /// The ids of the master keys the card's keys were derived from.
    pub master_keys: Vec<String>,
    /// The last valid day printed on the card.
    #[schemars(extend("format" = "date"))]
    pub valid_until: String,
    /// SHA-256 of `sealed`, hex.
    pub digest: String,
    /// `sm4gcm-x25519.…`: the card's data and keys, opened with the device's private key and
    /// the context `shebao-instant-v1|<card>`.
    pub sealed: String,
}

fn device_view(device: &IssuanceDeviceRecord) -> IssuanceDeviceView {
    IssuanceDeviceView {
        point_id: device.point_id.clone(),
        product_id: device.product_id.clone(),
        public_key: device.public_key.clone(),
        registered_at: device.registered_at.to_string(),
    }
}

impl App {
    /// The desk equips a bank branch's point with an issuance device (replacing the one it
    /// had): its public key and the product of the blank cards it personalises.
    pub fn register_issuance_device(
        &self,
        actor: &Actor,
        key: &str,
        point: &str,
        request: NewIssuanceDevice,
    ) -> Result<IssuanceDeviceView, AppError> {
        self.authorise(actor, Operation::ManageDistribution)?;
        let device_key = public_key(&request.public_key)?;
        let encoded =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, device_key);
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
                public_key: encoded.clone(),
                registered_by: label.clone(),
                registered_at: now,
            };
            tx.register_issuance_device(&device)?;
            let detail = serde_json::json!({ "point": point.id, "product": product.id });
            Ok((device_view(&device), detail.to_string()))
        })
    }

    /// A teller of an equipped branch personalises an applied card of their bank on the
    /// spot, in the card's region: the product's gate and the vendor's standing are checked
    /// as for a batch, the card's data and keys are sealed to the device, and the card is
    /// ready at the branch for its holder to collect there and then.
    pub fn issue_instantly(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<InstantIssueView, AppError> {
        self.authorise(actor, Operation::IssueInstantly)?;
        let branch = actor
            .scope
            .branch_id
            .as_ref()
            .map(|b| b.as_str().to_owned())
            .ok_or(AppError::Forbidden)?;
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
            let point = tx
                .pickup_point_of_branch(&branch)?
                .filter(|point| point.region == card.region)
                .ok_or_else(|| {
                    rule(
                        RefusalCode::WrongState,
                        "this branch is no pick-up point of the card's region",
                    )
                })?;
            let device = tx.issuance_device(&point.id)?.ok_or_else(|| {
                rule(
                    RefusalCode::WrongState,
                    "this branch has no instant-issuance device",
                )
            })?;
            let product = tx
                .card_product(&device.product_id)?
                .or_not_found("card product", &device.product_id)?;
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
            let ready = card
                .start_production()?
                .arrived(&point.id, face.valid_until)?;
            tx.update_card(&ready)?;
            tx.insert_instant_issue(&InstantIssueRecord {
                card_id: card.id.as_str().to_owned(),
                point_id: point.id.clone(),
                product_id: product.id.clone(),
                revision: product.revision,
                master_keys: key_ids.join(","),
                digest: digest.clone(),
                valid_until: face.valid_until,
                issued_by: label.clone(),
                issued_at: now,
            })?;
            let detail = serde_json::json!({
                "point": point.id, "product": product.id, "revision": product.revision,
                "master_keys": key_ids.join(","),
            });
            let view = InstantIssueView {
                card_id: card.id.as_str().to_owned(),
                point_id: point.id,
                product_id: product.id,
                revision: product.revision,
                master_keys: key_ids,
                valid_until: face.valid_until.to_string(),
                digest,
                sealed,
            };
            Ok((view, detail.to_string()))
        })
    }
}
