//! The card key store (issue 18, item 3): where the region's master keys, every card's own
//! keys and the bureau's signing key live. The [`KeyStore`] trait is all the application
//! sees, and it has no method that answers a key: check values, the bureau's signature and
//! public key, and cards' data sealed to a vendor's public key with each card's keys inside
//! (`seal`), so a key never leaves the store in clear — no API, log, export or database row
//! can show one. [`SoftwareKeyStore`] is the implementation in this process;
//! a hardware security module takes its place behind the same trait (`App::with_key_store`).
//!
//! The hierarchy is the national one (production.md): a ministry key per purpose and
//! version, diversified by the province's code into the province key, and by the city's
//! (the region's) code into the region's master key; each card's key is the master key
//! diversified by the card's identification code, derived when needed and never stored.
//! Diversification is the PBOC/national scheme over SM4 (the card's algorithm,
//! third-generation cards): the child key is SM4 under the parent key of the 8 bytes of
//! diversification data followed by their complement. The software store keeps one secret,
//! the card root of the key file, and derives each ministry key from it with HMAC-SHA-256
//! (the ministry's keys reach a region on secured media; the root stands for that medium).
//! A check value is the first 3 bytes of SM4 under the key of a zero block, the usual way
//! to show two parties hold the same key without showing it.

use std::fmt;

use shebao_domain::person::identity::CardIdentificationCode;
use shebao_domain::production::KeyChain;

mod seal;
mod software;

pub use seal::{
    SealedPart, new_sealing_key_pair, open_sealed, open_sealed_text, sealing_key_usable,
};
pub use software::SoftwareKeyStore;
pub use zeroize::Zeroizing;

/// Why the key store could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStoreError {
    /// No key store is configured (a key file without a card root).
    Unavailable,
    /// The input cannot name a key (a malformed code) or a key is not one (a vendor's
    /// public key of the wrong length).
    Invalid(&'static str),
    /// A sealed part does not open: another key, another context, or altered.
    Tampered,
}

impl fmt::Display for KeyStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyStoreError::Unavailable => f.write_str(
                "no card key store: the key file has no card root (shebao keys card-root adds one)",
            ),
            KeyStoreError::Invalid(what) => write!(f, "cannot name a key: {what}"),
            KeyStoreError::Tampered => f.write_str("the sealed part does not open"),
        }
    }
}

impl std::error::Error for KeyStoreError {}

/// A key store's refusal as the application's error.
pub(crate) fn key_store_error(error: KeyStoreError) -> crate::AppError {
    match error {
        KeyStoreError::Unavailable => crate::AppError::Unavailable(error.to_string()),
        KeyStoreError::Invalid(_) | KeyStoreError::Tampered => {
            crate::AppError::Internal(error.to_string())
        }
    }
}

/// One card of a personalisation part: its identification code (which its keys are
/// diversified by) and its data for the face and the chip, a JSON object.
#[derive(Debug, Clone)]
pub struct CardToSeal {
    pub identification_code: CardIdentificationCode,
    pub data: serde_json::Value,
}

/// The bureau's signature and the id of the key that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BureauSignature {
    pub key_id: String,
    pub signature: [u8; 64],
}

/// What holds the card keys. No method answers a key.
pub trait KeyStore: Send + Sync {
    /// What kind of store this is (`software`, or an HSM's name): recorded with each key.
    fn kind(&self) -> &'static str;

    /// The check value of the region's master key `chain` names.
    fn master_check_value(&self, chain: &KeyChain) -> Result<String, KeyStoreError>;

    /// The check value of one card's key: the master key of `chain` diversified by the
    /// card's identification code.
    fn card_check_value(
        &self,
        chain: &KeyChain,
        card: &CardIdentificationCode,
    ) -> Result<String, KeyStoreError>;

    /// The bureau's signature of `message` (Ed25519).
    fn sign(&self, message: &[u8]) -> Result<BureauSignature, KeyStoreError>;

    /// The id and public key of the bureau's signing key, which anyone may have.
    fn signing_public_key(&self) -> Result<(String, [u8; 32]), KeyStoreError>;

    /// The signature of an electronic-card code by the e-card signing key `key_id`
    /// (Ed25519): each region's keys by id, a new id a new key (`card::ecard_keys`).
    fn ecard_sign(&self, key_id: &str, message: &[u8]) -> Result<[u8; 64], KeyStoreError>;

    /// The public key of the e-card signing key `key_id`, which anyone may have.
    fn ecard_public_key(&self, key_id: &str) -> Result<[u8; 32], KeyStoreError>;

    /// `cards`, one JSON line each (`{"card": data, "keys": {"EXT": hex, …}}` with the card's
    /// key of each of `chains`), sealed to the vendor's X25519 public key with `context` bound
    /// (`seal`): only the vendor's private key opens it, and the keys exist in clear only
    /// inside the store while it is made.
    fn seal_cards(
        &self,
        vendor_public_key: &[u8; 32],
        chains: &[KeyChain],
        cards: &[CardToSeal],
        context: &[u8],
    ) -> Result<SealedPart, KeyStoreError>;
}

/// The store used when the key file has no card root: every request is refused.
#[derive(Debug, Default)]
pub struct NoKeyStore;

impl KeyStore for NoKeyStore {
    fn kind(&self) -> &'static str {
        "none"
    }

    fn master_check_value(&self, _: &KeyChain) -> Result<String, KeyStoreError> {
        Err(KeyStoreError::Unavailable)
    }

    fn card_check_value(
        &self,
        _: &KeyChain,
        _: &CardIdentificationCode,
    ) -> Result<String, KeyStoreError> {
        Err(KeyStoreError::Unavailable)
    }

    fn sign(&self, _: &[u8]) -> Result<BureauSignature, KeyStoreError> {
        Err(KeyStoreError::Unavailable)
    }

    fn signing_public_key(&self) -> Result<(String, [u8; 32]), KeyStoreError> {
        Err(KeyStoreError::Unavailable)
    }

    fn ecard_sign(&self, _: &str, _: &[u8]) -> Result<[u8; 64], KeyStoreError> {
        Err(KeyStoreError::Unavailable)
    }

    fn ecard_public_key(&self, _: &str) -> Result<[u8; 32], KeyStoreError> {
        Err(KeyStoreError::Unavailable)
    }

    fn seal_cards(
        &self,
        _: &[u8; 32],
        _: &[KeyChain],
        _: &[CardToSeal],
        _: &[u8],
    ) -> Result<SealedPart, KeyStoreError> {
        Err(KeyStoreError::Unavailable)
    }
}
