//! Sealing to a vendor's public key: an ephemeral X25519 key agreed with the vendor's key,
//! HKDF-SHA-256 over the shared secret (salted with both public keys) to a 16-byte key, and
//! SM4-GCM (SM4, the card's national cipher, in the GCM mode of `aes-gcm`, generic over its
//! block cipher) with a random 12-byte nonce and the part's context bound as associated data.
//! Only the vendor's private key opens a part; a part moved to another batch or part (another
//! context) does not open. As text: `sm4gcm-x25519.` then the ephemeral public key, the nonce
//! and the ciphertext, base64 (standard, padded) each, joined by dots.

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hkdf::Hkdf;
use sha2::Sha256;
use sm4::Sm4;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::KeyStoreError;

type Sm4Gcm = AesGcm<Sm4, U12>;

/// What a sealed part's text starts with: its scheme.
const SCHEME: &str = "sm4gcm-x25519";
/// What the key derivation binds the key to.
const INFO: &[u8] = b"shebao personalisation part v1";

/// A part sealed to a vendor's public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedPart {
    pub ephemeral_public: [u8; 32],
    pub nonce: [u8; 12],
    pub ciphertext: Vec<u8>,
}

impl SealedPart {
    /// The part as one line of text.
    #[must_use]
    pub fn to_text(&self) -> String {
        format!(
            "{SCHEME}.{}.{}.{}",
            STANDARD.encode(self.ephemeral_public),
            STANDARD.encode(self.nonce),
            STANDARD.encode(&self.ciphertext)
        )
    }

    /// A part read back from [`SealedPart::to_text`].
    pub fn from_text(text: &str) -> Result<SealedPart, KeyStoreError> {
        let malformed = KeyStoreError::Invalid("a sealed part");
        let mut pieces = text.trim().split('.');
        if pieces.next() != Some(SCHEME) {
            return Err(malformed);
        }
        let mut next = || {
            pieces
                .next()
                .and_then(|piece| STANDARD.decode(piece).ok())
                .ok_or(KeyStoreError::Invalid("a sealed part"))
        };
        let ephemeral_public = next()?.try_into().map_err(|_| malformed.clone())?;
        let nonce = next()?.try_into().map_err(|_| malformed.clone())?;
        let ciphertext = next()?;
        Ok(SealedPart {
            ephemeral_public,
            nonce,
            ciphertext,
        })
    }
}

/// The SM4 key both sides derive from the shared secret and the two public keys.
fn part_key(
    shared: &[u8; 32],
    ephemeral_public: &[u8; 32],
    vendor_public: &[u8; 32],
) -> Result<Zeroizing<[u8; 16]>, KeyStoreError> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral_public);
    salt[32..].copy_from_slice(vendor_public);
    let mut key = Zeroizing::new([0u8; 16]);
    Hkdf::<Sha256>::new(Some(&salt), shared)
        .expand(INFO, &mut key[..])
        .map_err(|_| KeyStoreError::Invalid("a key length"))?;
    Ok(key)
}

/// Seals `plain` to `vendor_public` with `context` bound.
pub(super) fn seal(
    vendor_public: &[u8; 32],
    plain: &[u8],
    context: &[u8],
) -> Result<SealedPart, KeyStoreError> {
    let ephemeral = StaticSecret::from(crate::vault::random_bytes::<32>());
    let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
    let agreed = ephemeral.diffie_hellman(&PublicKey::from(*vendor_public));
    if !agreed.was_contributory() {
        return Err(KeyStoreError::Invalid("a vendor's public key of low order"));
    }
    let shared = Zeroizing::new(agreed.to_bytes());
    let key = part_key(&shared, &ephemeral_public, vendor_public)?;
    let nonce = crate::vault::random_bytes::<12>();
    let cipher =
        Sm4Gcm::new_from_slice(&key[..]).map_err(|_| KeyStoreError::Invalid("a key length"))?;
    let ciphertext = cipher
        .encrypt(
            (&nonce).into(),
            Payload {
                msg: plain,
                aad: context,
            },
        )
        .map_err(|_| KeyStoreError::Invalid("a part too large"))?;
    Ok(SealedPart {
        ephemeral_public,
        nonce,
        ciphertext,
    })
}

/// What the vendor's own tool does with its private key: opens a part sealed to it under
/// `context`. A part proves nothing of who sealed it (anyone with the vendor's public key
/// can seal one): the vendor trusts a part only after checking the bureau's signature over
/// the file's manifest of part digests.
pub fn open_sealed(
    vendor_private: &[u8; 32],
    part: &SealedPart,
    context: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
    let secret = StaticSecret::from(*vendor_private);
    let vendor_public = PublicKey::from(&secret).to_bytes();
    let agreed = secret.diffie_hellman(&PublicKey::from(part.ephemeral_public));
    if !agreed.was_contributory() {
        return Err(KeyStoreError::Tampered);
    }
    let shared = Zeroizing::new(agreed.to_bytes());
    let key = part_key(&shared, &part.ephemeral_public, &vendor_public)?;
    let cipher =
        Sm4Gcm::new_from_slice(&key[..]).map_err(|_| KeyStoreError::Invalid("a key length"))?;
    cipher
        .decrypt(
            (&part.nonce).into(),
            Payload {
                msg: &part.ciphertext,
                aad: context,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| KeyStoreError::Tampered)
}

/// A vendor's new sealing key pair as base64 text: the private key (wiped when dropped) and
/// the public key to register.
#[must_use]
pub fn new_sealing_key_pair() -> (Zeroizing<String>, String) {
    let secret = Zeroizing::new(crate::vault::random_bytes::<32>());
    let public = PublicKey::from(&StaticSecret::from(*secret)).to_bytes();
    (
        Zeroizing::new(STANDARD.encode(&secret[..])),
        STANDARD.encode(public),
    )
}

/// [`open_sealed`] from text: a private key in base64 and a part's sealed text.
pub fn open_sealed_text(
    private_key: &str,
    sealed: &str,
    context: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
    let bytes = Zeroizing::new(
        STANDARD
            .decode(private_key.trim())
            .map_err(|_| KeyStoreError::Invalid("a private key, 32 bytes of base64"))?,
    );
    let secret: Zeroizing<[u8; 32]> = Zeroizing::new(
        bytes[..]
            .try_into()
            .map_err(|_| KeyStoreError::Invalid("a private key, 32 bytes of base64"))?,
    );
    open_sealed(&secret, &SealedPart::from_text(sealed)?, context)
}

/// Whether a vendor's public key can be sealed to: an agreement with it is contributory
/// (a key of low order would give every part the same, guessable secret).
#[must_use]
pub fn sealing_key_usable(public_key: &[u8; 32]) -> bool {
    StaticSecret::from(crate::vault::random_bytes::<32>())
        .diffie_hellman(&PublicKey::from(*public_key))
        .was_contributory()
}
