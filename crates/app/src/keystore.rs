//! The card key store (issue 18, item 3): where the region's master keys and every card's
//! own keys live. The [`KeyStore`] trait is all the application sees, and it has no method
//! that answers a key: only check values now (and, as the card's data is prepared, keys
//! wrapped for the vendor), so a key never leaves the store in clear — no API, log, export or
//! database row can show one. [`SoftwareKeyStore`] is the implementation in this process;
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

use hmac::{Hmac, Mac};
use sha2::Sha256;
use shebao_domain::person::identity::CardIdentificationCode;
use shebao_domain::production::KeyChain;
use sm4::Sm4;
use sm4::cipher::generic_array::GenericArray;
use sm4::cipher::{BlockEncrypt, KeyInit};
use zeroize::Zeroizing;

/// Why the key store could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStoreError {
    /// No key store is configured (a key file without a card root).
    Unavailable,
    /// The input cannot name a key (a malformed code).
    Invalid(&'static str),
}

impl fmt::Display for KeyStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyStoreError::Unavailable => f.write_str(
                "no card key store: the key file has no card root (shebao keys card-root adds one)",
            ),
            KeyStoreError::Invalid(what) => write!(f, "cannot name a key: {what}"),
        }
    }
}

impl std::error::Error for KeyStoreError {}

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
}

type Key = Zeroizing<[u8; 16]>;

/// The key store in this process, deriving every key from the key file's card root. Its
/// `Debug` shows nothing of the root.
pub struct SoftwareKeyStore {
    root: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for SoftwareKeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SoftwareKeyStore")
    }
}

impl SoftwareKeyStore {
    #[must_use]
    pub fn new(root: [u8; 32]) -> SoftwareKeyStore {
        SoftwareKeyStore {
            root: Zeroizing::new(root),
        }
    }

    /// The ministry's key of the chain's purpose and version.
    fn ministry(&self, chain: &KeyChain) -> Result<Key, KeyStoreError> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.root[..])
            .map_err(|_| KeyStoreError::Invalid("card root"))?;
        mac.update(b"shebao card key|ministry|");
        mac.update(chain.purpose.as_str().as_bytes());
        mac.update(b"|");
        mac.update(chain.version.to_string().as_bytes());
        let digest: Zeroizing<[u8; 32]> = Zeroizing::new(mac.finalize().into_bytes().into());
        let mut key = Zeroizing::new([0u8; 16]);
        key.copy_from_slice(&digest[..16]);
        Ok(key)
    }

    /// The region's master key: the ministry key diversified by the province, then the city.
    fn master(&self, chain: &KeyChain) -> Result<Key, KeyStoreError> {
        let ministry = self.ministry(chain)?;
        let province = diversify(&ministry, &region_data(&chain.province)?);
        Ok(diversify(&province, &region_data(&chain.city)?))
    }
}

impl KeyStore for SoftwareKeyStore {
    fn kind(&self) -> &'static str {
        "software"
    }

    fn master_check_value(&self, chain: &KeyChain) -> Result<String, KeyStoreError> {
        Ok(check_value(&*self.master(chain)?))
    }

    fn card_check_value(
        &self,
        chain: &KeyChain,
        card: &CardIdentificationCode,
    ) -> Result<String, KeyStoreError> {
        let card_key = diversify(&*self.master(chain)?, &card_data(card)?);
        Ok(check_value(&card_key))
    }
}

/// SM4 of one block under `key`.
fn sm4_block(key: &[u8; 16], block: [u8; 16]) -> Zeroizing<[u8; 16]> {
    let cipher = Sm4::new(GenericArray::from_slice(key));
    let mut block = GenericArray::from(block);
    cipher.encrypt_block(&mut block);
    let mut out = Zeroizing::new([0u8; 16]);
    out.copy_from_slice(&block);
    out
}

/// The child of `parent` for 8 bytes of diversification data: SM4 under the parent of the
/// data followed by its complement.
fn diversify(parent: &[u8; 16], data: &[u8; 8]) -> Key {
    let mut block = [0u8; 16];
    block[..8].copy_from_slice(data);
    for (i, byte) in data.iter().enumerate() {
        block[8 + i] = !byte;
    }
    sm4_block(parent, block)
}

/// A 6-digit region code as diversification data: its digits packed two to a byte (BCD),
/// padded with `FF`.
fn region_data(code: &str) -> Result<[u8; 8], KeyStoreError> {
    let digits = code.as_bytes();
    if digits.len() != 6 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(KeyStoreError::Invalid("a region code of six digits"));
    }
    let mut data = [0xFF; 8];
    for (i, pair) in digits.chunks(2).enumerate() {
        data[i] = ((pair[0] - b'0') << 4) | (pair[1] - b'0');
    }
    Ok(data)
}

/// A card's diversification data: the 8 bytes its identification code's last 16 hex
/// characters spell (the code's unique part; the area is the master key's own).
fn card_data(card: &CardIdentificationCode) -> Result<[u8; 8], KeyStoreError> {
    let code = card.as_str();
    let tail = code
        .get(code.len().saturating_sub(16)..)
        .ok_or(KeyStoreError::Invalid("an identification code"))?;
    let bytes = hex::decode(tail).map_err(|_| KeyStoreError::Invalid("an identification code"))?;
    bytes
        .try_into()
        .map_err(|_| KeyStoreError::Invalid("an identification code"))
}

/// The first 3 bytes of SM4 under `key` of a zero block, upper-case hex.
fn check_value(key: &[u8; 16]) -> String {
    hex::encode_upper(&sm4_block(key, [0u8; 16])[..3])
}

#[cfg(test)]
mod tests {
    use super::*;
    use shebao_domain::production::KeyPurpose;

    fn code(tail: &str) -> CardIdentificationCode {
        CardIdentificationCode::parse(&format!("411600D156000005{tail}")).expect("a code")
    }

    /// GB/T 32907-2016's example: the key and plaintext 0123456789ABCDEFFEDCBA9876543210
    /// encrypt to 681EDF34D206965E86B3E94F536E4246.
    #[test]
    fn sm4_is_the_standard_cipher() {
        let key: [u8; 16] = hex::decode("0123456789ABCDEFFEDCBA9876543210")
            .expect("hex")
            .try_into()
            .expect("16 bytes");
        let out = sm4_block(&key, key);
        assert_eq!(
            hex::encode_upper(&out[..]),
            "681EDF34D206965E86B3E94F536E4246"
        );
    }

    #[test]
    fn card_keys_derive_the_same_twice_and_differ_between_cards_regions_and_versions() {
        let store = SoftwareKeyStore::new([7; 32]);
        let chain = KeyChain::of("411600", KeyPurpose::Purchase, 1);
        let a = code("C38275EEFC9B9648");
        let b = code("C38275EEFC9B9649");
        let first = store.card_check_value(&chain, &a).expect("derives");
        assert_eq!(first, store.card_check_value(&chain, &a).expect("derives"));
        assert_eq!(first.len(), 6);
        assert_ne!(first, store.card_check_value(&chain, &b).expect("derives"));
        let rotated = KeyChain::of("411600", KeyPurpose::Purchase, 2);
        assert_ne!(
            first,
            store.card_check_value(&rotated, &a).expect("derives")
        );
        let master = store.master_check_value(&chain).expect("derives");
        assert_ne!(
            master,
            store
                .master_check_value(&KeyChain::of("410100", KeyPurpose::Purchase, 1))
                .expect("derives")
        );
        assert_ne!(
            master,
            store
                .master_check_value(&KeyChain::of("411600", KeyPurpose::Update, 1))
                .expect("derives")
        );
        // Another root, another hierarchy.
        let other = SoftwareKeyStore::new([8; 32]);
        assert_ne!(first, other.card_check_value(&chain, &a).expect("derives"));
        assert_eq!(format!("{store:?}"), "SoftwareKeyStore");
    }

    #[test]
    fn without_a_root_nothing_is_derived() {
        let chain = KeyChain::of("411600", KeyPurpose::Purchase, 1);
        assert_eq!(
            NoKeyStore.master_check_value(&chain),
            Err(KeyStoreError::Unavailable)
        );
    }

    #[test]
    fn region_codes_pack_as_bcd() {
        assert_eq!(
            region_data("411600").expect("code"),
            [0x41, 0x16, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        );
        assert!(region_data("41160").is_err());
    }
}
