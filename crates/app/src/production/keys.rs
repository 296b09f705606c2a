//! The region's master keys, by id: created (and rotated) by the production desk inside the
//! key store, recorded as id, place in the hierarchy, check value and status only.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::production::{KeyChain, KeyPurpose};
use shebao_store::MasterKeyRecord;
use shebao_store::tx::PRODUCTION_LISTED_MAX;

use super::region;
use crate::error::Clash;
use crate::keystore::key_store_error;
use crate::reference::known_region;
use crate::{Actor, App, AppError, Audit};

/// A new master key of a region and purpose: version 1, or the next version, which retires
/// the one before (cards made under it keep it).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMasterKey {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    #[schemars(extend("enum" = ["external_authentication", "internal_authentication", "update", "purchase", "pin_unlock"]))]
    pub purpose: String,
}

/// The region whose keys are listed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyQuery {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
}

/// A master key as anyone may see it: never the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CardMasterKey")]
pub struct MasterKeyView {
    /// Region, purpose and version: `411600-PUR-v1`.
    pub id: String,
    pub region: String,
    #[schemars(extend("enum" = ["external_authentication", "internal_authentication", "update", "purchase", "pin_unlock"]))]
    pub purpose: String,
    pub version: i64,
    /// The hierarchy, ministry > province > city: `000000>410000>411600`.
    pub levels: String,
    /// The first 3 bytes of SM4 under the key of a zero block: shows two holders have the
    /// same key without showing it.
    pub check_value: String,
    /// Where the key is held (`software`, or an HSM's name).
    pub key_store: String,
    #[schemars(extend("enum" = ["active", "retired"]))]
    pub status: String,
    pub created_at: String,
    pub retired_at: Option<String>,
}

fn key_view(key: &MasterKeyRecord) -> MasterKeyView {
    MasterKeyView {
        id: key.id.clone(),
        region: key.region.as_str().to_owned(),
        purpose: key.purpose.clone(),
        version: key.version,
        levels: key.levels.clone(),
        check_value: key.check_value.clone(),
        key_store: key.key_store.clone(),
        status: key.status.clone(),
        created_at: key.created_at.to_string(),
        retired_at: key.retired_at.map(|t| t.to_string()),
    }
}

impl App {
    /// A region's master keys by purpose, newest version first: ids, places and check
    /// values, never a key.
    pub fn card_master_keys(
        &self,
        actor: &Actor,
        query: KeyQuery,
    ) -> Result<Vec<MasterKeyView>, AppError> {
        self.authorise(actor, Operation::ReadCardKeys)?;
        let region = region(&query.region)?;
        self.store.read(move |tx| {
            known_region(tx, &region)?;
            Ok(tx
                .master_keys(&region, PRODUCTION_LISTED_MAX)?
                .iter()
                .map(key_view)
                .collect())
        })
    }

    /// Creates a region's master key of a purpose in the key store: version 1, or the next
    /// version (a rotation), which retires the active one.
    pub fn create_card_master_key(
        &self,
        actor: &Actor,
        key: &str,
        request: NewMasterKey,
    ) -> Result<MasterKeyView, AppError> {
        self.authorise(actor, Operation::ManageCardKeys)?;
        let region = region(&request.region)?;
        let purpose = KeyPurpose::parse(request.purpose.trim()).ok_or_else(|| {
            AppError::invalid(
                "purpose",
                "external_authentication, internal_authentication, update, purchase or pin_unlock",
            )
        })?;
        // The key store is asked before the change, outside the one writer's transaction (an
        // HSM's latency must not hold every other write); the change then stands only over
        // the version it was asked for.
        let asked = region.clone();
        let latest = self.store.read(move |tx| {
            known_region(tx, &asked)?;
            Ok::<_, AppError>(tx.latest_master_key(&asked, purpose.as_str())?)
        })?;
        let version = latest.as_ref().map_or(1, |k| k.version + 1);
        let chain = KeyChain::of(
            region.as_str(),
            purpose,
            u32::try_from(version).map_err(|_| AppError::Internal("key version".into()))?,
        );
        let check_value = self
            .key_store
            .master_check_value(&chain)
            .map_err(key_store_error)?;
        let (label, kind) = (actor.label(), self.key_store.kind());
        let subject = format!("keys:{region}");
        let audit = Audit::on("production.key.create", subject);
        self.change(actor, key, &request, audit, move |tx, now| {
            known_region(tx, &region)?;
            let previous = tx.latest_master_key(&region, purpose.as_str())?;
            if previous.as_ref().map_or(1, |k| k.version + 1) != version {
                return Err(AppError::Conflict(Clash::Store(
                    "the key was rotated meanwhile; send the request again".into(),
                )));
            }
            if let Some(previous) = previous.filter(|k| k.status == "active") {
                tx.retire_master_key(&previous.id, now)?;
            }
            let record = MasterKeyRecord {
                id: chain.id(),
                region: region.clone(),
                purpose: purpose.as_str().to_owned(),
                version,
                levels: chain.levels(),
                check_value: check_value.clone(),
                key_store: kind.to_owned(),
                status: "active".into(),
                created_by: label.clone(),
                created_at: now,
                retired_at: None,
            };
            tx.insert_master_key(&record)?;
            let detail = serde_json::json!({
                "key": record.id, "check_value": record.check_value,
            });
            Ok((key_view(&record), detail.to_string()))
        })
    }
}
