//! What is stored of everyday use (issue 19): the electronic card, its signing keys and the
//! payment codes used.

use shebao_domain::ids::RegionCode;
use shebao_domain::time::Timestamp;

/// A region's e-card signing key: its id and public key; the private key is only ever
/// inside the key store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ECardKeyRecord {
    pub id: String,
    pub region: RegionCode,
    pub version: i64,
    /// Hex of the Ed25519 public key.
    pub public_key: String,
    pub key_store: String,
    /// `current`, `retired` or `withdrawn`.
    pub status: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

/// A holder's electronic card, bound to one physical card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ECardRecord {
    pub id: String,
    pub card_id: String,
    pub person_id: String,
    /// `active` or `revoked`.
    pub status: String,
    pub issued_by: String,
    pub issued_at: Timestamp,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<Timestamp>,
    pub revoke_reason: Option<String>,
}

/// A payment code's one use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeUseRecord {
    pub nonce: String,
    pub ecard_id: String,
    pub used_by: String,
    pub used_at: Timestamp,
    pub expires_at: Timestamp,
}
