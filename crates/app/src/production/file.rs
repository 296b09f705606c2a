//! A batch's personalisation file (item 4): per card, its identification code, card number,
//! the holder's data for the face and the chip, the bank card number and the photo's
//! reference, with the card's own keys, sealed to the vendor's registered X25519 key in parts
//! of at most [`PART_CARDS`] cards (`KeyStore::seal_cards`: the keys exist in clear only
//! inside the key store), and a manifest of the parts' SHA-256 digests the bureau signs
//! (Ed25519). Each part is sealed and written in its own transaction, under the generation
//! that made it, so a 100,000-card file holds the one writer for one part at a time; the
//! file's record, written last (once per batch), names the generation whose parts count.
//! The vendor downloads the manifest and the parts, checks the signature and each digest,
//! and opens each part with its private key (`keystore::open_sealed`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shebao_domain::access::Operation;
use shebao_domain::person::identity::CardIdentificationCode;
use shebao_domain::production::batch::{BATCH_CARDS_MAX, BatchStatus};
use shebao_domain::production::{KeyChain, KeyPurpose, ProductionRefusal};
use shebao_domain::time::Timestamp;
use shebao_store::{
    PersonalisationFileRecord, PersonalisationPartRecord, PersonalisationRow,
    ProductionBatchRecord, SealingKeyRecord, Tx,
};

use super::batches::batch_for;
use super::{production_error, vendor_in_scope};
use crate::error::{Clash, RefusalCode, rule};
use crate::keystore::CardToSeal;
use crate::keystore::key_store_error;
use crate::{Actor, App, AppError, Audit, Vault, idempotency, new_id};

/// The most cards one sealed part holds.
pub const PART_CARDS: i64 = 1_000;
/// What the manifest says it is.
const FORMAT: &str = "shebao-personalisation-v1";

/// A vendor's X25519 public key for sealing its personalisation files; it replaces the one
/// before (files already sealed stay sealed to that one).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSealingKey {
    /// 32 bytes, base64 (standard, padded): 44 characters.
    #[schemars(regex(pattern = r"^[A-Za-z0-9+/]{43}=$"))]
    pub public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "SealingKey")]
pub struct SealingKeyView {
    /// `vsk-` and the first 16 hex digits of the key's SHA-256.
    pub id: String,
    pub vendor_id: String,
    pub public_key: String,
    #[schemars(extend("enum" = ["active", "retired"]))]
    pub status: String,
    pub registered_at: String,
    pub retired_at: Option<String>,
}

/// The bureau's signing key, which any vendor may have to check a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SigningKeyView {
    pub key_id: String,
    #[schemars(extend("enum" = ["ed25519"]))]
    pub algorithm: String,
    /// 32 bytes, base64.
    pub public_key: String,
}

/// A batch's personalisation file: the manifest as signed, byte for byte, and its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PersonalisationFile")]
pub struct FileView {
    pub batch_id: String,
    pub sealing_key_id: String,
    pub parts: i64,
    pub cards: i64,
    #[schemars(extend("format" = "date"))]
    pub issued_on: String,
    /// The last valid day printed on every card of the file.
    #[schemars(extend("format" = "date"))]
    pub valid_until: String,
    pub generated_at: String,
    /// The manifest (JSON text): the batch, the keys' ids and each part's first place,
    /// cards and SHA-256. The signature is over exactly these bytes.
    pub manifest: String,
    pub signing_key_id: String,
    /// Ed25519, base64.
    pub signature: String,
}

/// One sealed part, as the vendor downloads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PersonalisationPart")]
pub struct PartView {
    pub batch_id: String,
    pub part: i64,
    pub first_seq: i64,
    pub cards: i64,
    /// SHA-256 of `sealed`, hex: as the manifest lists it.
    pub digest: String,
    /// `sm4gcm-x25519.…`: opened with the vendor's private key and the part's context,
    /// `shebao-personalisation-v1|<batch>|<part>`.
    pub sealed: String,
}

/// The context a part is sealed with: opened only as that part of that batch.
#[must_use]
pub fn part_context(batch: &str, part: i64) -> String {
    format!("{FORMAT}|{batch}|{part}")
}

/// The id of a sealing key: its digest's first 8 bytes.
pub(super) fn sealing_key_id(public_key: &[u8; 32]) -> String {
    format!("vsk-{}", &hex::encode(Sha256::digest(public_key))[..16])
}

fn sealing_key_view(key: &SealingKeyRecord) -> SealingKeyView {
    SealingKeyView {
        id: key.id.clone(),
        vendor_id: key.vendor_id.clone(),
        public_key: key.public_key.clone(),
        status: key.status.clone(),
        registered_at: key.registered_at.to_string(),
        retired_at: key.retired_at.map(|t| t.to_string()),
    }
}

fn file_view(file: &PersonalisationFileRecord) -> FileView {
    FileView {
        batch_id: file.batch_id.clone(),
        sealing_key_id: file.sealing_key_id.clone(),
        parts: file.parts,
        cards: file.cards,
        issued_on: file.issued_on.to_string(),
        valid_until: file.valid_until.to_string(),
        generated_at: file.generated_at.to_string(),
        manifest: file.manifest.clone(),
        signing_key_id: file.signing_key_id.clone(),
        signature: file.signature.clone(),
    }
}

/// A public key as sent: 32 bytes of base64, a point a key can be agreed with (not one of
/// low order, with which every agreement gives the same secret).
pub(super) fn public_key(input: &str) -> Result<[u8; 32], AppError> {
    STANDARD
        .decode(input.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .filter(crate::keystore::sealing_key_usable)
        .ok_or_else(|| {
            AppError::invalid(
                "public_key",
                "an X25519 public key: 32 bytes, base64 (44 characters)",
            )
        })
}

/// What a generation works from, read before it starts.
struct Plan {
    batch: ProductionBatchRecord,
    sealing_key: SealingKeyRecord,
    vendor_key: [u8; 32],
    chains: Vec<KeyChain>,
    key_ids: Vec<String>,
    issued_on: shebao_domain::time::Date,
    valid_until: shebao_domain::time::Date,
    cards: i64,
}

/// The batch must be open and have no file yet.
fn file_may_be_made(tx: &mut Tx<'_>, batch: &ProductionBatchRecord) -> Result<(), AppError> {
    if batch.status != BatchStatus::Open.as_str() {
        return Err(rule(RefusalCode::WrongState, "the batch is shipped"));
    }
    if tx.personalisation_file(&batch.id)?.is_some() {
        return Err(rule(
            RefusalCode::WrongState,
            "the batch's personalisation file is already generated",
        ));
    }
    Ok(())
}

/// What every card of a file (or one card issued on the spot) prints alike: its region,
/// the day it is issued and its last valid day.
pub(super) struct Face<'a> {
    pub(super) region: &'a str,
    pub(super) issued_on: shebao_domain::time::Date,
    pub(super) valid_until: shebao_domain::time::Date,
}

impl Plan {
    fn face(&self) -> Face<'_> {
        Face {
            region: self.batch.region.as_str(),
            issued_on: self.issued_on,
            valid_until: self.valid_until,
        }
    }
}

/// One card's data for its face and chip, from its row.
pub(super) fn card_data(
    vault: &Vault,
    row: &PersonalisationRow,
    face: &Face<'_>,
) -> Result<CardToSeal, AppError> {
    let open = |context: &str, sealed: &str| {
        vault
            .open(context, sealed)
            .map_err(AppError::failed("opening a sealed value"))
    };
    let name = open(crate::person::NAME_CONTEXT, &row.name_cipher)?;
    let citizen_id = open(crate::person::CITIZEN_CONTEXT, &row.citizen_cipher)?;
    let bank_card_number = row
        .bank_card_cipher
        .as_deref()
        .map(|sealed| open(crate::card::BANK_CARD_CONTEXT, sealed))
        .transpose()?;
    let identification_code = CardIdentificationCode::parse(&row.identification_code)
        .map_err(|_| AppError::Internal(format!("card {} code", row.card_id)))?;
    let data = serde_json::json!({
        "seq": row.seq,
        "identification_code": row.identification_code,
        "card_number": row.card_number,
        "name": name,
        "citizen_id": citizen_id,
        "gender": row.gender.as_str(),
        "birth_date": row.birth_date.to_string(),
        "nationality": row.nationality,
        "bank_card_number": bank_card_number,
        "region": face.region,
        "issued_on": face.issued_on.to_string(),
        "valid_until": face.valid_until.to_string(),
        // The registry holds no photographs: the reference names the person whose photograph
        // the bureau's photo archive hands the vendor (or, issued on the spot, the branch's
        // camera takes at the counter).
        "photo": format!("person:{}", row.person_id),
    });
    Ok(CardToSeal {
        identification_code,
        data,
    })
}

impl App {
    /// A vendor's staff register its sealing key, which retires the one before.
    pub fn register_sealing_key(
        &self,
        actor: &Actor,
        key: &str,
        request: NewSealingKey,
    ) -> Result<SealingKeyView, AppError> {
        self.authorise(actor, Operation::RegisterSealingKey)?;
        let bytes = public_key(&request.public_key)?;
        let vendor = actor
            .scope
            .vendor_id
            .clone()
            .ok_or_else(|| self.deny(actor, Operation::RegisterSealingKey, "-"))?;
        let (id, label) = (sealing_key_id(&bytes), actor.label());
        let text = STANDARD.encode(bytes);
        let audit = Audit::on(
            "production.sealing_key.register",
            format!("vendor:{vendor}"),
        );
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.card_vendor(&vendor)?
                .ok_or_else(|| AppError::NotFound(format!("card vendor {vendor}")))?;
            if tx.sealing_key(&id)?.is_some() {
                return Err(AppError::Conflict(Clash::Store(
                    "this key was registered before: a new key is a new key pair".into(),
                )));
            }
            if let Some(active) = tx.active_sealing_key(&vendor)? {
                tx.retire_sealing_key(&active.id, now)?;
            }
            let record = SealingKeyRecord {
                id: id.clone(),
                vendor_id: vendor.clone(),
                public_key: text.clone(),
                status: "active".into(),
                registered_by: label.clone(),
                registered_at: now,
                retired_at: None,
            };
            tx.insert_sealing_key(&record)?;
            let detail = serde_json::json!({ "sealing_key": id });
            Ok((sealing_key_view(&record), detail.to_string()))
        })
    }

    /// A vendor's active sealing key (the desk, the auditor, the vendor's own staff).
    pub fn sealing_key(&self, actor: &Actor, vendor: &str) -> Result<SealingKeyView, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let id = vendor.to_owned();
        let subject = format!("vendor:{id}");
        self.read_for(actor, Operation::ReadProduction, &subject, move |tx, r| {
            let vendor = super::vendor_for(tx, &r.actor, &id)?;
            tx.active_sealing_key(&vendor.id)?
                .map(|key| sealing_key_view(&key))
                .ok_or_else(|| AppError::NotFound(format!("sealing key of vendor {}", vendor.id)))
        })
    }

    /// The bureau's signing key, by id and public key.
    pub fn production_signing_key(&self, actor: &Actor) -> Result<SigningKeyView, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let (key_id, public) = self
            .key_store
            .signing_public_key()
            .map_err(key_store_error)?;
        Ok(SigningKeyView {
            key_id,
            algorithm: "ed25519".into(),
            public_key: STANDARD.encode(public),
        })
    }

    /// The desk generates an open batch's personalisation file, once: every card still in
    /// production, sealed to the vendor's active key part by part, then the signed manifest.
    /// `progress` hears the cards sealed so far and the batch's cards.
    pub fn generate_personalisation_file(
        &self,
        actor: &Actor,
        key: &str,
        batch: &str,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<FileView, AppError> {
        self.authorise(actor, Operation::ManageBatches)?;
        let scoped = idempotency::scoped_key(actor, key)?;
        let (id, now) = (batch.to_owned(), self.now());
        let subject = format!("batch:{id}");
        let asked = scoped.clone();
        let (plan, replay) =
            self.read_for(actor, Operation::ManageBatches, &subject, move |tx, r| {
                if tx.idempotent_response(&asked)?.is_some() {
                    return Ok((None, true));
                }
                let batch = batch_for(tx, &r.actor, &id)?;
                Ok((Some(plan_of(tx, batch, now)?), false))
            })?;
        // A key answered before replays its answer; nothing is sealed again.
        let made = match plan {
            Some(plan) if !replay => {
                let generation = new_id("gen");
                match self.seal_parts(&plan, &generation, &actor.label(), progress) {
                    Ok(file) => Some((file, plan.key_ids)),
                    Err(error) => {
                        // What a generation that stopped wrote is removed; and when the same
                        // key was answered meanwhile (a retry running beside the first
                        // request), its answer is replayed.
                        let (batch, scoped) = (plan.batch.id.clone(), scoped.clone());
                        self.store.write(move |tx| {
                            tx.remove_generation(&batch, &generation).map(|_| ())
                        })?;
                        let answered = self
                            .store
                            .read(move |tx| tx.idempotent_response(&scoped))?
                            .is_some();
                        if !answered {
                            return Err(error);
                        }
                        None
                    }
                }
            }
            _ => None,
        };
        let request = serde_json::json!({ "batch": batch });
        let audit = Audit::on("production.file.generate", subject);
        let label = actor.label();
        self.change(actor, key, &request, audit, move |tx, now| {
            let Some((file, key_ids)) = &made else {
                return Err(AppError::Internal(
                    "a personalisation file's answer was not found again".into(),
                ));
            };
            let batch = tx
                .production_batch(&file.batch_id)?
                .ok_or_else(|| AppError::NotFound(format!("production batch {}", file.batch_id)))?;
            file_may_be_made(tx, &batch)?;
            let active = tx.active_sealing_key(&batch.vendor_id)?;
            if active.map(|k| k.id).as_deref() != Some(file.sealing_key_id.as_str()) {
                return Err(AppError::Conflict(Clash::Store(
                    "the vendor's sealing key changed meanwhile; generate the file again".into(),
                )));
            }
            if &active_master_keys(tx, &batch.region)?.1 != key_ids {
                return Err(AppError::Conflict(Clash::Store(
                    "a master key was rotated meanwhile; generate the file again".into(),
                )));
            }
            tx.insert_personalisation_file(file)?;
            tx.remove_other_generations(&file.batch_id, &file.generation)?;
            // A card cancelled before its file was made is not in it: it is reported failed
            // now, so the batch can be shipped (or closed) without it.
            tx.fail_unpersonalised(&batch.id, "cancelled before personalisation", &label, now)?;
            let detail = serde_json::json!({
                "batch": file.batch_id, "cards": file.cards, "parts": file.parts,
                "sealing_key": file.sealing_key_id,
            });
            Ok((file_view(file), detail.to_string()))
        })
    }

    /// Seals the plan's cards part by part, each part written in its own transaction under
    /// a new generation, and signs the manifest: the file's record, not written yet.
    fn seal_parts(
        &self,
        plan: &Plan,
        generation: &str,
        label: &str,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<PersonalisationFileRecord, AppError> {
        let generation = generation.to_owned();
        let total = usize::try_from(plan.cards).unwrap_or(0);
        let (mut after, mut done, mut part) = (0_i64, 0_usize, 0_i64);
        let mut listed = Vec::new();
        progress(0, total);
        loop {
            let batch = plan.batch.id.clone();
            let rows = self
                .store
                .read(move |tx| tx.personalisation_rows(&batch, after, PART_CARDS))?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            // A card cancelled since the batch was made is not personalised.
            let rows: Vec<_> = rows.into_iter().filter(|row| row.in_production).collect();
            let Some(first) = rows.first() else { continue };
            part += 1;
            let first_seq = first.seq;
            let cards = rows
                .iter()
                .map(|row| card_data(&self.vault, row, &plan.face()))
                .collect::<Result<Vec<_>, _>>()?;
            let context = part_context(&plan.batch.id, part);
            let sealed = self
                .key_store
                .seal_cards(&plan.vendor_key, &plan.chains, &cards, context.as_bytes())
                .map_err(key_store_error)?
                .to_text();
            let record = PersonalisationPartRecord {
                batch_id: plan.batch.id.clone(),
                generation: generation.clone(),
                part,
                first_seq,
                cards: i64::try_from(rows.len()).unwrap_or(i64::MAX),
                digest: hex::encode(Sha256::digest(sealed.as_bytes())),
                sealed,
            };
            listed.push(serde_json::json!({
                "part": record.part, "first_seq": record.first_seq, "cards": record.cards,
                "sha256": record.digest,
            }));
            let written = record.cards;
            self.store.write(move |tx| {
                let batch = tx
                    .production_batch(&record.batch_id)?
                    .ok_or_else(|| AppError::NotFound("production batch".into()))?;
                file_may_be_made(tx, &batch)?;
                tx.insert_personalisation_part(&record)?;
                Ok::<_, AppError>(())
            })?;
            done += usize::try_from(written).unwrap_or(0);
            progress(done, total.max(done));
        }
        // A batch whose every card was cancelled gets a file of no part: recorded, its
        // cards reported failed, it is closed when shipped.
        let cards = i64::try_from(done).unwrap_or(i64::MAX);
        let manifest = serde_json::json!({
            "format": FORMAT,
            "batch": plan.batch.id,
            "vendor": plan.batch.vendor_id,
            "product": plan.batch.product_id,
            "revision": plan.batch.revision,
            "region": plan.batch.region.as_str(),
            "issued_on": plan.issued_on.to_string(),
            "valid_until": plan.valid_until.to_string(),
            "sealing_key": plan.sealing_key.id,
            "master_keys": plan.key_ids,
            "cards": cards,
            "parts": listed,
        })
        .to_string();
        let signature = self
            .key_store
            .sign(manifest.as_bytes())
            .map_err(key_store_error)?;
        Ok(PersonalisationFileRecord {
            batch_id: plan.batch.id.clone(),
            generation,
            sealing_key_id: plan.sealing_key.id.clone(),
            parts: part,
            cards,
            issued_on: plan.issued_on,
            valid_until: plan.valid_until,
            manifest,
            signature: STANDARD.encode(signature.signature),
            signing_key_id: signature.key_id,
            generated_by: label.to_owned(),
            generated_at: self.now(),
        })
    }

    /// A batch's personalisation file: its manifest and signature (the desk, the auditor,
    /// the vendor's own staff).
    pub fn personalisation_file(&self, actor: &Actor, batch: &str) -> Result<FileView, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let id = batch.to_owned();
        let subject = format!("batch:{id}");
        self.read_for(actor, Operation::ReadProduction, &subject, move |tx, r| {
            let batch = batch_for(tx, &r.actor, &id)?;
            tx.personalisation_file(&batch.id)?
                .map(|file| file_view(&file))
                .ok_or_else(|| {
                    AppError::NotFound(format!("personalisation file of batch {}", batch.id))
                })
        })
    }

    /// One sealed part of the vendor's own batch's file. It holds its holders' data (sealed
    /// to the vendor): each download is audited as a look-up.
    pub fn personalisation_part(
        &self,
        actor: &Actor,
        batch: &str,
        part: &str,
    ) -> Result<PartView, AppError> {
        self.authorise(actor, Operation::DownloadPersonalisation)?;
        // A part is numbered from 1; anything else names no part.
        let part = part
            .parse::<i64>()
            .ok()
            .filter(|n| {
                (1..=(i64::from(BATCH_CARDS_MAX) + PART_CARDS - 1) / PART_CARDS).contains(n)
            })
            .ok_or_else(|| AppError::NotFound(format!("part {part} of batch {batch}")))?;
        let id = batch.to_owned();
        let subject = format!("batch:{id}");
        let found = self.read_for(
            actor,
            Operation::DownloadPersonalisation,
            &subject,
            move |tx, r| {
                let batch = tx.production_batch(&id)?;
                let batch = match batch {
                    Some(batch) if vendor_in_scope(&r.actor, &batch.vendor_id) => batch,
                    _ => return Err(AppError::Hidden(format!("production batch {id}"))),
                };
                let file = tx.personalisation_file(&batch.id)?.ok_or_else(|| {
                    AppError::NotFound(format!("personalisation file of batch {}", batch.id))
                })?;
                tx.personalisation_part(&batch.id, &file.generation, part)?
                    .ok_or_else(|| AppError::NotFound(format!("part {part} of batch {}", batch.id)))
            },
        )?;
        let detail = serde_json::json!({ "part": found.part, "cards": found.cards });
        self.audit_look_up(actor, "production.file.download", subject, &detail)?;
        Ok(PartView {
            batch_id: found.batch_id,
            part: found.part,
            first_seq: found.first_seq,
            cards: found.cards,
            digest: found.digest,
            sealed: found.sealed,
        })
    }
}

/// What a generation of `batch` works from: the vendor's active sealing key, the region's
/// active master key of every purpose, the face's days.
fn plan_of(
    tx: &mut Tx<'_>,
    batch: ProductionBatchRecord,
    now: Timestamp,
) -> Result<Plan, AppError> {
    file_may_be_made(tx, &batch)?;
    let sealing_key = tx.active_sealing_key(&batch.vendor_id)?.ok_or_else(|| {
        rule(
            RefusalCode::SealingKeyMissing,
            format!("vendor {} has registered no sealing key", batch.vendor_id),
        )
    })?;
    let vendor_key = public_key(&sealing_key.public_key)?;
    let (chains, key_ids) = active_master_keys(tx, &batch.region)?;
    let params = App::parameters_in(tx, &batch.region, now)?;
    let issued_on = now.local_date(params.utc_offset());
    // The holders' data goes only to a vendor whose licences, attestation and PSAM filing
    // are in force today.
    let standing = super::standing_of(tx, &batch.vendor_id)?;
    if let Some(issue) = standing.issues(issued_on).into_iter().next() {
        return Err(production_error(ProductionRefusal::VendorNotCertified {
            issue,
        }));
    }
    let years = i32::try_from(params.card_validity_years)
        .map_err(|_| AppError::Internal("card validity".into()))?;
    let cards = tx.personalisable_cards(&batch.id)?;
    Ok(Plan {
        sealing_key,
        vendor_key,
        chains,
        key_ids,
        issued_on,
        valid_until: issued_on.add_years(years),
        cards,
        batch,
    })
}

/// The region's active master key of every purpose, as key chains and ids; refused when a
/// purpose has none.
pub(super) fn active_master_keys(
    tx: &mut Tx<'_>,
    region: &shebao_domain::ids::RegionCode,
) -> Result<(Vec<KeyChain>, Vec<String>), AppError> {
    let (mut chains, mut key_ids) = (Vec::new(), Vec::new());
    for purpose in KeyPurpose::ALL {
        let key = tx
            .latest_master_key(region, purpose.as_str())?
            .filter(|k| k.status == "active")
            .ok_or_else(|| {
                rule(
                    RefusalCode::MasterKeyMissing,
                    format!(
                        "region {} has no active {} master key",
                        region,
                        purpose.as_str()
                    ),
                )
            })?;
        let version = u32::try_from(key.version)
            .map_err(|_| AppError::Internal("master key version".into()))?;
        chains.push(KeyChain::of(region.as_str(), purpose, version));
        key_ids.push(key.id);
    }
    Ok((chains, key_ids))
}
