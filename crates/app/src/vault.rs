//! Keys kept outside the database, and what they protect: field encryption (AES-256-GCM,
//! with a key id so keys can rotate), blind indexes for look-ups of encrypted numbers, and
//! keyed PIN verification values (HMAC-SHA-256: a 6-digit PIN has only 10^6 values, so an
//! unkeyed hash would fall to an offline search in seconds).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why keys could not be loaded or a value not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultError {
    Missing(String),
    Invalid(String),
    UnknownKey(String),
    Tampered,
}

impl fmt::Display for VaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VaultError::Missing(what) => write!(f, "key file missing: {what}"),
            VaultError::Invalid(what) => write!(f, "key file invalid: {what}"),
            VaultError::UnknownKey(id) => write!(f, "no key with id {id}"),
            VaultError::Tampered => f.write_str("ciphertext does not authenticate"),
        }
    }
}

impl std::error::Error for VaultError {}

/// The key file's shape. Hex-encoded 32-byte keys.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    /// The key id new values are sealed with.
    active: String,
    /// Data-encryption and PIN keys by id; old ids stay to open old values.
    keys: BTreeMap<String, KeyPair>,
    /// The blind-index key. It cannot rotate without re-indexing, so it has no id.
    index: String,
    /// The root the software card key store derives the region's master keys from
    /// (`keystore.rs`); absent in key files written before issue 18, whose card key store
    /// then refuses until one is added (`shebao keys card-root`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    card_root: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct KeyPair {
    data: String,
    pin: String,
}

struct Keys {
    data: Aes256Gcm,
    pin: [u8; 32],
}

/// The loaded keys. `Debug` shows only key ids.
pub struct Vault {
    active: String,
    keys: BTreeMap<String, Keys>,
    index: [u8; 32],
    card_keys: Option<std::sync::Arc<crate::keystore::SoftwareKeyStore>>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("active", &self.active)
            .field("key_ids", &self.keys.keys())
            .finish()
    }
}

fn key_bytes(hex_text: &str, what: &str) -> Result<[u8; 32], VaultError> {
    let bytes = hex::decode(hex_text.trim())
        .map_err(|_| VaultError::Invalid(format!("{what} is not hex")))?;
    let key: [u8; 32] = bytes
        .try_into()
        .map_err(|_| VaultError::Invalid(format!("{what} is not 32 bytes")))?;
    if key.iter().all(|b| *b == 0) {
        return Err(VaultError::Invalid(format!("{what} is all zeros")));
    }
    Ok(key)
}

/// Whether two secrets (a token, a MAC, a card's identification code) are equal, compared
/// without an early exit so the time taken does not tell how much of one matched.
#[must_use]
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS generator failing is unrecoverable for a system that must not reuse nonces.
    #[allow(
        clippy::expect_used,
        reason = "no safe way to continue without an entropy source"
    )]
    getrandom::getrandom(&mut bytes).expect("operating system random source");
    bytes
}

impl Vault {
    /// Makes fresh random keys, as key-file text (for `shebao keys generate` and demos).
    pub fn generate_file() -> String {
        let file = KeyFile {
            active: "k1".into(),
            keys: BTreeMap::from([(
                "k1".to_owned(),
                KeyPair {
                    data: hex::encode(random_bytes::<32>()),
                    pin: hex::encode(random_bytes::<32>()),
                },
            )]),
            index: hex::encode(random_bytes::<32>()),
            card_root: Some(hex::encode(random_bytes::<32>())),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// A key file written before issue 18 with a card root added (`shebao keys card-root`):
    /// the new text, or `None` when it already has one. Every other key stays as it was.
    pub fn with_card_root(text: &str) -> Result<Option<String>, VaultError> {
        let mut file: KeyFile =
            serde_json::from_str(text).map_err(|e| VaultError::Invalid(e.to_string()))?;
        if file.card_root.is_some() {
            return Ok(None);
        }
        file.card_root = Some(hex::encode(random_bytes::<32>()));
        let text =
            serde_json::to_string_pretty(&file).map_err(|e| VaultError::Invalid(e.to_string()))?;
        Vault::parse(&text)?;
        Ok(Some(text))
    }

    pub fn load(path: &Path) -> Result<Vault, VaultError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| VaultError::Missing(format!("{}: {e}", path.display())))?;
        Vault::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Vault, VaultError> {
        let file: KeyFile =
            serde_json::from_str(text).map_err(|e| VaultError::Invalid(e.to_string()))?;
        let mut keys = BTreeMap::new();
        for (id, pair) in &file.keys {
            let data = key_bytes(&pair.data, "data key")?;
            let pin = key_bytes(&pair.pin, "pin key")?;
            if id.is_empty() || id.contains(':') {
                return Err(VaultError::Invalid(
                    "key ids are non-empty and have no ':'".into(),
                ));
            }
            let cipher = Aes256Gcm::new_from_slice(&data)
                .map_err(|_| VaultError::Invalid("data key".into()))?;
            keys.insert(id.clone(), Keys { data: cipher, pin });
        }
        if !keys.contains_key(&file.active) {
            return Err(VaultError::UnknownKey(file.active));
        }
        let card_keys = match &file.card_root {
            Some(root) => Some(std::sync::Arc::new(crate::keystore::SoftwareKeyStore::new(
                key_bytes(root, "card key root")?,
            ))),
            None => None,
        };
        Ok(Vault {
            active: file.active,
            keys,
            index: key_bytes(&file.index, "index key")?,
            card_keys,
        })
    }

    /// The software card key store of the key file's card root, if it has one.
    pub fn card_key_store(&self) -> Option<std::sync::Arc<crate::keystore::SoftwareKeyStore>> {
        self.card_keys.clone()
    }

    fn active_keys(&self) -> Result<&Keys, VaultError> {
        self.keys
            .get(&self.active)
            .ok_or_else(|| VaultError::UnknownKey(self.active.clone()))
    }

    /// Seals a value: `key id:nonce:ciphertext`, hex. `context` (the field's name) is bound
    /// as associated data, so a ciphertext moved to another field does not open.
    pub fn seal(&self, context: &str, plain: &str) -> Result<String, VaultError> {
        let nonce = random_bytes::<12>();
        let sealed = self
            .active_keys()?
            .data
            .encrypt(
                Nonce::from_slice(&nonce),
                aes_gcm::aead::Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Tampered)?;
        Ok(format!(
            "{}:{}:{}",
            self.active,
            hex::encode(nonce),
            hex::encode(sealed)
        ))
    }

    pub fn open(&self, context: &str, sealed: &str) -> Result<String, VaultError> {
        let mut parts = sealed.splitn(3, ':');
        let (Some(id), Some(nonce), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(VaultError::Tampered);
        };
        let keys = self
            .keys
            .get(id)
            .ok_or_else(|| VaultError::UnknownKey(id.to_owned()))?;
        let nonce = hex::decode(nonce).map_err(|_| VaultError::Tampered)?;
        let body = hex::decode(body).map_err(|_| VaultError::Tampered)?;
        if nonce.len() != 12 {
            return Err(VaultError::Tampered);
        }
        let plain = keys
            .data
            .decrypt(
                Nonce::from_slice(&nonce),
                aes_gcm::aead::Payload {
                    msg: &body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Tampered)?;
        String::from_utf8(plain).map_err(|_| VaultError::Tampered)
    }

    /// A keyed, deterministic index of a value, for equality look-ups of encrypted data.
    pub fn blind_index(&self, context: &str, value: &str) -> String {
        hex::encode(mac(&self.index, &[context.as_bytes(), value.as_bytes()]))
    }

    /// The verification value of a PIN, bound to its scope (the card or account it guards).
    pub fn pin_value(&self, scope: &str, pin: &str) -> Result<String, VaultError> {
        let keys = self.active_keys()?;
        Ok(format!(
            "{}:{}",
            self.active,
            hex::encode(mac(&keys.pin, &[scope.as_bytes(), pin.as_bytes()]))
        ))
    }

    /// Whether `pin` matches a stored verification value, in constant time.
    pub fn pin_matches(&self, stored: &str, scope: &str, pin: &str) -> bool {
        let Some((id, expected)) = stored.split_once(':') else {
            return false;
        };
        let (Some(keys), Ok(expected)) = (self.keys.get(id), hex::decode(expected)) else {
            return false;
        };
        keyed(&keys.pin, &[scope.as_bytes(), pin.as_bytes()])
            .is_some_and(|mac| mac.verify_slice(&expected).is_ok())
    }

    /// The operator's token for scraping `/metrics`: derived from the key file, so whoever
    /// holds the key file can print it (`shebao admin metrics-token`) and nobody else can
    /// guess it, and it needs no storage of its own.
    #[must_use]
    pub fn scrape_token(&self) -> String {
        self.blind_index(SCRAPE_CONTEXT, "metrics")
    }

    /// Whether `candidate` is the scrape token, in constant time.
    #[must_use]
    pub fn is_scrape_token(&self, candidate: &str) -> bool {
        let Ok(candidate) = hex::decode(candidate) else {
            return false;
        };
        keyed(&self.index, &[SCRAPE_CONTEXT.as_bytes(), b"metrics"])
            .is_some_and(|mac| mac.verify_slice(&candidate).is_ok())
    }

    /// A keyed fingerprint of a request body, for idempotency checks. Keyed because a body
    /// may hold a PIN.
    pub fn fingerprint(&self, body: &str) -> String {
        self.blind_index("request", body)
    }
}

/// The blind-index context of the scrape token, apart from every index of personal data.
const SCRAPE_CONTEXT: &str = "operator-scrape-token";

/// HMAC-SHA-256 over length-prefixed parts, so ("ab", "c") and ("a", "bc") differ.
fn keyed(key: &[u8; 32], parts: &[&[u8]]) -> Option<HmacSha256> {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).ok()?;
    for part in parts {
        mac.update(&u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
        mac.update(part);
    }
    Some(mac)
}

fn mac(key: &[u8; 32], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC accepts keys of any length, so a 32-byte key always gives a MAC.
    keyed(key, parts)
        .map(|mac| mac.finalize().into_bytes().to_vec())
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_in_their_context() {
        let vault = Vault::parse(&Vault::generate_file()).unwrap();
        let sealed = vault
            .seal("person.citizen_id", "11010519491231002X")
            .unwrap();
        assert!(!sealed.contains("11010519491231002X"));
        assert!(sealed.starts_with("k1:"));
        assert_eq!(
            vault.open("person.citizen_id", &sealed).unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            vault.open("person.name", &sealed),
            Err(VaultError::Tampered)
        );
        assert_ne!(
            sealed,
            vault
                .seal("person.citizen_id", "11010519491231002X")
                .unwrap()
        );
    }

    #[test]
    fn pins_verify_only_in_their_scope_and_only_with_the_key() {
        let vault = Vault::parse(&Vault::generate_file()).unwrap();
        let stored = vault.pin_value("card:c1", "740193").unwrap();
        assert!(!stored.contains("740193"));
        assert!(vault.pin_matches(&stored, "card:c1", "740193"));
        assert!(!vault.pin_matches(&stored, "card:c1", "740194"));
        assert!(!vault.pin_matches(&stored, "card:c2", "740193"));
        let other = Vault::parse(&Vault::generate_file()).unwrap();
        assert!(!other.pin_matches(&stored, "card:c1", "740193"));
    }

    #[test]
    fn the_scrape_token_is_keyed_and_checked_whole() {
        let vault = Vault::parse(&Vault::generate_file()).unwrap();
        let other = Vault::parse(&Vault::generate_file()).unwrap();
        let token = vault.scrape_token();
        assert!(vault.is_scrape_token(&token));
        assert!(!other.is_scrape_token(&token));
        assert!(!vault.is_scrape_token(&token[..token.len() - 2]));
        assert!(!vault.is_scrape_token(""));
        assert!(!vault.is_scrape_token("not hex"));
    }

    #[test]
    fn secrets_are_equal_only_whole() {
        assert!(same_secret("abc123", "abc123"));
        assert!(!same_secret("abc123", "abc124"));
        assert!(!same_secret("abc123", "abc12"));
        assert!(same_secret("", ""));
    }

    #[test]
    fn blind_indexes_are_stable_and_keyed() {
        let vault = Vault::parse(&Vault::generate_file()).unwrap();
        let other = Vault::parse(&Vault::generate_file()).unwrap();
        assert_eq!(
            vault.blind_index("citizen", "x"),
            vault.blind_index("citizen", "x")
        );
        assert_ne!(
            vault.blind_index("citizen", "x"),
            other.blind_index("citizen", "x")
        );
        assert_ne!(
            vault.blind_index("citizen", "x"),
            vault.blind_index("card", "x")
        );
    }

    #[test]
    fn a_card_root_is_added_once_and_keeps_every_other_key() {
        let full = Vault::generate_file();
        assert_eq!(Vault::with_card_root(&full).unwrap(), None);
        let mut old: serde_json::Value = serde_json::from_str(&full).unwrap();
        old.as_object_mut().unwrap().remove("card_root");
        let old = old.to_string();
        assert!(Vault::parse(&old).unwrap().card_key_store().is_none());
        let added = Vault::with_card_root(&old).unwrap().unwrap();
        let (before, after) = (Vault::parse(&old).unwrap(), Vault::parse(&added).unwrap());
        assert!(after.card_key_store().is_some());
        let sealed = before.seal("field", "value").unwrap();
        assert_eq!(after.open("field", &sealed).unwrap(), "value");
        assert_eq!(before.blind_index("c", "v"), after.blind_index("c", "v"));
    }

    #[test]
    fn bad_key_files_are_refused() {
        assert!(matches!(Vault::parse("{}"), Err(VaultError::Invalid(_))));
        let zero = "0".repeat(64);
        let file = format!(
            "{{\"active\":\"k1\",\"keys\":{{\"k1\":{{\"data\":\"{zero}\",\"pin\":\"{zero}\"}}}},\"index\":\"{zero}\"}}"
        );
        assert!(matches!(Vault::parse(&file), Err(VaultError::Invalid(_))));
        assert!(format!("{:?}", Vault::parse(&Vault::generate_file()).unwrap()).contains("k1"));
    }
}
