//! The key store in this process: every key derived from the key file's card root — the
//! ministry's keys by HMAC-SHA-256, the province's, the city's (the region's master key) and
//! each card's by SM4 diversification, the bureau's Ed25519 signing key by HMAC-SHA-256 —
//! and held only while it is used (`Zeroizing`).

use std::fmt;

use ed25519_dalek::{Signer, SigningKey};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use shebao_domain::person::identity::CardIdentificationCode;
use shebao_domain::production::KeyChain;
use sm4::Sm4;
use sm4::cipher::generic_array::GenericArray;
use sm4::cipher::{BlockEncrypt, KeyInit};
use zeroize::{Zeroize, Zeroizing};

use super::{BureauSignature, CardToSeal, KeyStore, KeyStoreError, SealedPart};

/// The id of the bureau's signing key (its version: a new one is a new id).
const SIGNING_KEY_ID: &str = "bureau-sign-v1";

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

    /// One card's key of the chain's purpose: the master key diversified by the card's code,
    /// whose issuing area must be the chain's city (else two areas' cards could share a
    /// key).
    fn card_key(
        &self,
        chain: &KeyChain,
        card: &CardIdentificationCode,
    ) -> Result<Key, KeyStoreError> {
        if card.as_str().get(..6) != Some(chain.city.as_str()) {
            return Err(KeyStoreError::Invalid("a card of another issuing area"));
        }
        Ok(diversify(&*self.master(chain)?, &card_data(card)?))
    }

    /// The bureau's signing key.
    fn signing_key(&self) -> Result<SigningKey, KeyStoreError> {
        self.ed25519(b"shebao bureau signing|", SIGNING_KEY_ID)
    }

    /// An electronic-card signing key, by its id (which names its region and version).
    fn ecard_key(&self, key_id: &str) -> Result<SigningKey, KeyStoreError> {
        if !shebao_domain::card::code::key_id_ok(key_id) {
            return Err(KeyStoreError::Invalid("an e-card key id"));
        }
        self.ed25519(b"shebao ecard signing|", key_id)
    }

    /// The Ed25519 key of `label` and `id`: its seed is HMAC-SHA-256 of both under the root.
    fn ed25519(&self, label: &[u8], id: &str) -> Result<SigningKey, KeyStoreError> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.root[..])
            .map_err(|_| KeyStoreError::Invalid("card root"))?;
        mac.update(label);
        mac.update(id.as_bytes());
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(mac.finalize().into_bytes().into());
        Ok(SigningKey::from_bytes(&seed))
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
        Ok(check_value(&*self.card_key(chain, card)?))
    }

    fn sign(&self, message: &[u8]) -> Result<BureauSignature, KeyStoreError> {
        Ok(BureauSignature {
            key_id: SIGNING_KEY_ID.to_owned(),
            signature: self.signing_key()?.sign(message).to_bytes(),
        })
    }

    fn signing_public_key(&self) -> Result<(String, [u8; 32]), KeyStoreError> {
        Ok((
            SIGNING_KEY_ID.to_owned(),
            self.signing_key()?.verifying_key().to_bytes(),
        ))
    }

    fn ecard_sign(&self, key_id: &str, message: &[u8]) -> Result<[u8; 64], KeyStoreError> {
        Ok(self.ecard_key(key_id)?.sign(message).to_bytes())
    }

    fn ecard_public_key(&self, key_id: &str) -> Result<[u8; 32], KeyStoreError> {
        Ok(self.ecard_key(key_id)?.verifying_key().to_bytes())
    }

    fn seal_cards(
        &self,
        vendor_public_key: &[u8; 32],
        chains: &[KeyChain],
        cards: &[CardToSeal],
        context: &[u8],
    ) -> Result<SealedPart, KeyStoreError> {
        // The master keys once, then each card's keys, written into the plaintext only.
        let masters = chains
            .iter()
            .map(|chain| Ok((chain, self.master(chain)?)))
            .collect::<Result<Vec<_>, KeyStoreError>>()?;
        // Every buffer that ever holds a key is wiped: the line is written into a string of
        // its final size, and the plaintext grows only by copying into a larger wiped buffer
        // (a vector's own growth would free the old one unwiped).
        let mut plain: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::new());
        for card in cards {
            let data = card_data(&card.identification_code)?;
            let head = format!("{{\"card\":{},\"keys\":{{", card.data);
            let mut line =
                Zeroizing::new(String::with_capacity(head.len() + masters.len() * 44 + 3));
            line.push_str(&head);
            for (i, (chain, master)) in masters.iter().enumerate() {
                if card.identification_code.as_str().get(..6) != Some(chain.city.as_str()) {
                    return Err(KeyStoreError::Invalid("a card of another issuing area"));
                }
                let key = diversify(master, &data);
                let hex = Zeroizing::new(hex::encode_upper(&key[..]));
                if i > 0 {
                    line.push(',');
                }
                line.push('"');
                line.push_str(chain.purpose.code());
                line.push_str("\":\"");
                line.push_str(&hex);
                line.push('"');
            }
            line.push_str("}}\n");
            if plain.capacity() - plain.len() < line.len() {
                let wanted = (plain.len() + line.len()).max(plain.capacity() * 2);
                let mut larger = Zeroizing::new(Vec::with_capacity(wanted));
                larger.extend_from_slice(&plain);
                plain = larger;
            }
            plain.extend_from_slice(line.as_bytes());
        }
        super::seal::seal(vendor_public_key, &plain, context)
    }
}

/// SM4 of one block under `key`.
fn sm4_block(key: &[u8; 16], block: [u8; 16]) -> Zeroizing<[u8; 16]> {
    let cipher = Sm4::new(GenericArray::from_slice(key));
    let mut block = GenericArray::from(block);
    cipher.encrypt_block(&mut block);
    let mut out = Zeroizing::new([0u8; 16]);
    out.copy_from_slice(&block);
    block.as_mut_slice().zeroize();
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
#[allow(clippy::expect_used, reason = "tests")]
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
            crate::keystore::NoKeyStore.master_check_value(&chain),
            Err(KeyStoreError::Unavailable)
        );
    }

    #[test]
    fn a_card_of_another_issuing_area_has_no_key_under_this_master() {
        let store = SoftwareKeyStore::new([7; 32]);
        let chain = KeyChain::of("330100", KeyPurpose::Purchase, 1);
        let county =
            CardIdentificationCode::parse("330106D156000005C38275EEFC9B9648").expect("a code");
        assert!(store.card_check_value(&chain, &county).is_err());
    }

    #[test]
    fn the_bureau_signs_and_anyone_verifies_with_the_public_key() {
        use ed25519_dalek::{Signature, Verifier, VerifyingKey};
        let store = SoftwareKeyStore::new([7; 32]);
        let signed = store.sign(b"part 1").expect("signs");
        let (id, public) = store.signing_public_key().expect("a public key");
        assert_eq!(id, signed.key_id);
        let key = VerifyingKey::from_bytes(&public).expect("a key");
        let signature = Signature::from_bytes(&signed.signature);
        assert!(key.verify(b"part 1", &signature).is_ok());
        assert!(key.verify(b"part 2", &signature).is_err());
        // Another root signs differently.
        let other = SoftwareKeyStore::new([8; 32])
            .sign(b"part 1")
            .expect("signs");
        assert_ne!(other.signature, signed.signature);
    }

    #[test]
    fn each_ecard_key_id_is_its_own_key_and_not_the_bureaus() {
        use ed25519_dalek::{Signature, Verifier, VerifyingKey};
        let store = SoftwareKeyStore::new([7; 32]);
        let signature = store.ecard_sign("330100-ecard-v1", b"code").expect("signs");
        let public = store.ecard_public_key("330100-ecard-v1").expect("a key");
        let key = VerifyingKey::from_bytes(&public).expect("a key");
        assert!(
            key.verify(b"code", &Signature::from_bytes(&signature))
                .is_ok()
        );
        let next = store.ecard_public_key("330100-ecard-v2").expect("a key");
        assert_ne!(next, public);
        assert_ne!(store.signing_public_key().expect("a key").1, public);
        assert!(store.ecard_sign("330100 ecard", b"code").is_err());
    }

    #[test]
    fn sealed_cards_open_only_with_the_vendors_key_and_carry_each_cards_keys() {
        use x25519_dalek::{PublicKey, StaticSecret};
        let store = SoftwareKeyStore::new([7; 32]);
        let vendor = StaticSecret::from([9u8; 32]);
        let public = PublicKey::from(&vendor).to_bytes();
        let chains = [
            KeyChain::of("411600", KeyPurpose::Purchase, 1),
            KeyChain::of("411600", KeyPurpose::ExternalAuthentication, 1),
        ];
        let cards = [
            CardToSeal {
                identification_code: code("C38275EEFC9B9648"),
                data: serde_json::json!({ "card_number": "X00000019" }),
            },
            CardToSeal {
                identification_code: code("C38275EEFC9B9649"),
                data: serde_json::json!({ "card_number": "X00000027" }),
            },
        ];
        let sealed = store
            .seal_cards(&public, &chains, &cards, b"batch 1 part 1")
            .expect("seals");
        let text = sealed.to_text();
        // Nothing of the cards or their keys shows in the sealed text.
        let card_key = hex::encode_upper(
            &store
                .card_key(&chains[0], &cards[0].identification_code)
                .expect("a key")[..],
        );
        assert!(!text.contains("X00000019") && !text.contains(&card_key));
        let parsed = SealedPart::from_text(&text).expect("parses");
        let plain = crate::keystore::open_sealed(&vendor.to_bytes(), &parsed, b"batch 1 part 1")
            .expect("opens");
        let lines: Vec<serde_json::Value> = std::str::from_utf8(&plain)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["card"]["card_number"], "X00000019");
        assert_eq!(lines[0]["keys"]["PUR"], card_key);
        assert_ne!(lines[0]["keys"]["PUR"], lines[1]["keys"]["PUR"]);
        assert_ne!(lines[0]["keys"]["PUR"], lines[0]["keys"]["EXT"]);
        // Another context, another key, or a flipped byte: it does not open.
        assert_eq!(
            crate::keystore::open_sealed(&vendor.to_bytes(), &parsed, b"batch 1 part 2"),
            Err(KeyStoreError::Tampered)
        );
        assert_eq!(
            crate::keystore::open_sealed(&[1u8; 32], &parsed, b"batch 1 part 1"),
            Err(KeyStoreError::Tampered)
        );
        let mut altered = parsed.clone();
        altered.ciphertext[0] ^= 1;
        assert_eq!(
            crate::keystore::open_sealed(&vendor.to_bytes(), &altered, b"batch 1 part 1"),
            Err(KeyStoreError::Tampered)
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
