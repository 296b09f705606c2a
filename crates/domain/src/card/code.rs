//! The electronic card's codes (card.md, everyday.md): the text a QR code carries, a
//! short-lived signed token naming the card, its holder and what it is for. This module is
//! the format only — the bytes signed and the text shown — without the signature's
//! arithmetic (the application signs and checks) and without a clock (times come in).
//!
//! ```text
//! code   = "SBE1." key-id "." base64url(body ‖ signature)        (no padding)
//! body   = purpose       1 byte   'I' identity, 'P' payment
//!          region        6 bytes  the card's region code, ASCII digits
//!          issued-at     8 bytes  Unix seconds, big-endian, signed
//!          lifetime      2 bytes  seconds, big-endian (1 to 600)
//!          nonce        16 bytes  random
//!          ecard-id      1 byte length (1 to 40), then that many bytes of ASCII
//!          card-id       the same
//!          holder-id     the same
//! signed = "SBE1." key-id "." body                    (the key id is signed too)
//! signature = Ed25519 over `signed` by the key the key id names (64 bytes)
//! ```
//!
//! A key id is 1 to 40 of `A-Z a-z 0-9 -`; ids of electronic cards, cards and holders are 1
//! to 40 printable ASCII characters other than blanks. A code is at most a few hundred
//! characters (235 with the service's ids: a QR code of version 11 at level M).

use crate::ids::{CardId, PersonId, RegionCode};

/// What every code begins with: the format's name and version.
pub const CODE_PREFIX: &str = "SBE1";
/// What a code's text looks like (the API's schema; `parse` checks the rest).
pub const CODE_PATTERN: &str = r"^\s*SBE1\.[A-Za-z0-9-]{1,40}\.[A-Za-z0-9_-]{1,350}\s*$";
/// The longest a code's text may be: anything longer is refused before it is decoded.
pub const CODE_TEXT_MAX: usize = 400;
/// The longest a code may live, in seconds: the regions' parameter allows 1 to 10 minutes,
/// and no verifier accepts a code that says it lives longer.
pub const CODE_LIFETIME_MAX_SECONDS: u16 = 600;
/// The length of a code's nonce.
pub const NONCE_BYTES: usize = 16;
/// The length of an Ed25519 signature.
pub const SIGNATURE_BYTES: usize = 64;
const ID_MAX: usize = 40;
const REGION_BYTES: usize = 6;

/// What a code is for: showing who one is, or paying from the card's financial account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodePurpose {
    Identity,
    Payment,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Identity => "identity",
            CodePurpose::Payment => "payment",
        }
    }

    pub fn parse(input: &str) -> Option<CodePurpose> {
        match input {
            "identity" => Some(CodePurpose::Identity),
            "payment" => Some(CodePurpose::Payment),
            _ => None,
        }
    }

    fn byte(self) -> u8 {
        match self {
            CodePurpose::Identity => b'I',
            CodePurpose::Payment => b'P',
        }
    }

    fn from_byte(byte: u8) -> Option<CodePurpose> {
        match byte {
            b'I' => Some(CodePurpose::Identity),
            b'P' => Some(CodePurpose::Payment),
            _ => None,
        }
    }
}

/// What a code says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeClaims {
    pub key_id: String,
    pub purpose: CodePurpose,
    /// The card's region, which the key must be of.
    pub region: RegionCode,
    /// Unix seconds.
    pub issued_at: i64,
    pub lifetime_seconds: u16,
    pub nonce: [u8; NONCE_BYTES],
    /// The electronic card the code was shown by.
    pub ecard_id: String,
    pub card_id: CardId,
    pub holder_id: PersonId,
}

impl CodeClaims {
    /// The first second the code no longer works.
    pub fn expires_at(&self) -> i64 {
        self.issued_at
            .saturating_add(i64::from(self.lifetime_seconds))
    }

    /// Whether the code works at `now` (Unix seconds): from a minute before it was issued
    /// (a reader's clock a little behind) until it expires.
    pub fn live_at(&self, now: i64) -> bool {
        now >= self.issued_at.saturating_sub(60) && now < self.expires_at()
    }

    /// The nonce as text (hex): what a single-use record keeps.
    pub fn nonce_text(&self) -> String {
        hex::encode(self.nonce)
    }

    /// The bytes the signature covers, or why these claims cannot be a code.
    pub fn signed_bytes(&self) -> Result<Vec<u8>, CodeError> {
        if !key_id_ok(&self.key_id) {
            return Err(CodeError::Malformed("key id"));
        }
        if !(1..=CODE_LIFETIME_MAX_SECONDS).contains(&self.lifetime_seconds) {
            return Err(CodeError::Malformed("lifetime"));
        }
        let ids = [
            self.ecard_id.as_str(),
            self.card_id.as_str(),
            self.holder_id.as_str(),
        ];
        if !ids.iter().all(|id| id_ok(id)) {
            return Err(CodeError::Malformed("an id"));
        }
        let region = self.region.as_str().as_bytes();
        if region.len() != REGION_BYTES {
            return Err(CodeError::Malformed("region"));
        }
        let mut bytes = Vec::with_capacity(
            8 + self.key_id.len() + 36 + ids.iter().map(|id| id.len()).sum::<usize>(),
        );
        bytes.extend_from_slice(CODE_PREFIX.as_bytes());
        bytes.push(b'.');
        bytes.extend_from_slice(self.key_id.as_bytes());
        bytes.push(b'.');
        bytes.push(self.purpose.byte());
        bytes.extend_from_slice(region);
        bytes.extend_from_slice(&self.issued_at.to_be_bytes());
        bytes.extend_from_slice(&self.lifetime_seconds.to_be_bytes());
        bytes.extend_from_slice(&self.nonce);
        for id in ids {
            bytes.push(u8::try_from(id.len()).map_err(|_| CodeError::Malformed("id"))?);
            bytes.extend_from_slice(id.as_bytes());
        }
        Ok(bytes)
    }

    /// The code's text: the claims with their signature.
    pub fn encode(&self, signature: &[u8; SIGNATURE_BYTES]) -> Result<String, CodeError> {
        use base64::Engine as _;
        let signed = self.signed_bytes()?;
        let head = CODE_PREFIX.len() + 1 + self.key_id.len() + 1;
        let mut tail = Vec::with_capacity(signed.len() - head + SIGNATURE_BYTES);
        tail.extend_from_slice(&signed[head..]);
        tail.extend_from_slice(signature);
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tail);
        Ok(format!("{CODE_PREFIX}.{}.{encoded}", self.key_id))
    }
}

/// Why a text is not a code, or a code does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// Not a code of this format (what is wrong).
    Malformed(&'static str),
    /// Signed by a key the verifier does not know.
    UnknownKey,
    /// The signature does not match: altered, or not made by the key named.
    BadSignature,
    /// Signed by a key withdrawn as compromised, or after the key was retired.
    KeyWithdrawn,
    /// Signed by the key of another region than the card's.
    OtherRegion,
    /// Past its expiry (or issued in the future).
    Expired,
}

impl CodeError {
    /// The stable code of the refusal.
    pub fn code(self) -> &'static str {
        match self {
            CodeError::Expired => "code_expired",
            CodeError::Malformed(_)
            | CodeError::UnknownKey
            | CodeError::BadSignature
            | CodeError::KeyWithdrawn
            | CodeError::OtherRegion => "invalid_token",
        }
    }

    pub fn message(self) -> String {
        match self {
            CodeError::Malformed(what) => format!("not an electronic-card code ({what})"),
            CodeError::UnknownKey => "the code is signed by a key not published".into(),
            CodeError::BadSignature => "the code's signature does not match".into(),
            CodeError::KeyWithdrawn => "the code is signed by a withdrawn key".into(),
            CodeError::OtherRegion => "the code is signed by another region's key".into(),
            CodeError::Expired => "the code has expired: show a fresh one".into(),
        }
    }
}

/// A code taken apart: its claims, the bytes signed and the signature (not yet checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCode {
    pub claims: CodeClaims,
    pub signed: Vec<u8>,
    pub signature: [u8; SIGNATURE_BYTES],
}

/// Takes a code's text apart (blanks around it ignored). Checks the format only: the
/// signature and the time are the verifier's.
pub fn parse(text: &str) -> Result<ParsedCode, CodeError> {
    use base64::Engine as _;
    let text = text.trim();
    if text.len() > CODE_TEXT_MAX {
        return Err(CodeError::Malformed("too long"));
    }
    let mut parts = text.split('.');
    let (Some(CODE_PREFIX), Some(key_id), Some(encoded), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CodeError::Malformed("not SBE1.key.body"));
    };
    if !key_id_ok(key_id) {
        return Err(CodeError::Malformed("key id"));
    }
    let tail = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| CodeError::Malformed("body is not base64url"))?;
    let body_len = tail
        .len()
        .checked_sub(SIGNATURE_BYTES)
        .ok_or(CodeError::Malformed("too short"))?;
    let (body, signature) = tail.split_at(body_len);
    let mut reader = Reader(body);
    let purpose =
        CodePurpose::from_byte(reader.take::<1>()?[0]).ok_or(CodeError::Malformed("purpose"))?;
    let region = std::str::from_utf8(&reader.take::<REGION_BYTES>()?)
        .ok()
        .and_then(RegionCode::parse)
        .ok_or(CodeError::Malformed("region"))?;
    let issued_at = i64::from_be_bytes(reader.take::<8>()?);
    let lifetime_seconds = u16::from_be_bytes(reader.take::<2>()?);
    let nonce = reader.take::<NONCE_BYTES>()?;
    let ecard_id = reader.id()?;
    let card_id = reader.id()?;
    let holder_id = reader.id()?;
    if !reader.0.is_empty() {
        return Err(CodeError::Malformed("bytes after the holder"));
    }
    let claims = CodeClaims {
        key_id: key_id.to_owned(),
        purpose,
        region,
        issued_at,
        lifetime_seconds,
        nonce,
        ecard_id,
        card_id: CardId::new(card_id),
        holder_id: PersonId::new(holder_id),
    };
    // Made again from the claims, so a code has one form only (no two texts sign alike).
    let signed = claims.signed_bytes()?;
    let mut sig = [0u8; SIGNATURE_BYTES];
    sig.copy_from_slice(signature);
    Ok(ParsedCode {
        claims,
        signed,
        signature: sig,
    })
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], CodeError> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or(CodeError::Malformed("too short"))?;
        self.0 = rest;
        Ok(*head)
    }

    fn id(&mut self) -> Result<String, CodeError> {
        let len = usize::from(self.take::<1>()?[0]);
        let (id, rest) = self
            .0
            .split_at_checked(len)
            .ok_or(CodeError::Malformed("too short"))?;
        self.0 = rest;
        let id = std::str::from_utf8(id).map_err(|_| CodeError::Malformed("id"))?;
        if !id_ok(id) {
            return Err(CodeError::Malformed("id"));
        }
        Ok(id.to_owned())
    }
}

/// A key id: 1 to 40 of `A-Z a-z 0-9 -`.
pub fn key_id_ok(id: &str) -> bool {
    (1..=ID_MAX).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn id_ok(id: &str) -> bool {
    (1..=ID_MAX).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn claims() -> CodeClaims {
        CodeClaims {
            key_id: "330100-ecard-v1".into(),
            purpose: CodePurpose::Payment,
            region: RegionCode::parse("330100").unwrap(),
            issued_at: 1_800_000_000,
            lifetime_seconds: 180,
            nonce: [7; NONCE_BYTES],
            ecard_id: "ecd_0123456789abcdef".into(),
            card_id: CardId::new("crd_0123456789abcdef"),
            holder_id: PersonId::new("per_0123456789abcdef"),
        }
    }

    #[test]
    fn a_code_reads_back_as_it_was_written() {
        let claims = claims();
        let text = claims.encode(&[9; SIGNATURE_BYTES]).unwrap();
        assert!(text.starts_with("SBE1.330100-ecard-v1."), "{text}");
        assert!(text.len() < 240, "{}", text.len());
        let parsed = parse(&format!("  {text}\n")).unwrap();
        assert_eq!(parsed.claims, claims);
        assert_eq!(parsed.signed, claims.signed_bytes().unwrap());
        assert_eq!(parsed.signature, [9; SIGNATURE_BYTES]);
        assert_eq!(claims.expires_at(), 1_800_000_180);
    }

    #[test]
    fn the_key_id_is_among_the_signed_bytes() {
        let mut other = claims();
        other.key_id = "330100-ecard-v2".into();
        assert_ne!(
            other.signed_bytes().unwrap(),
            claims().signed_bytes().unwrap()
        );
    }

    #[test]
    fn a_code_lives_from_a_minute_before_its_issue_until_its_expiry() {
        let claims = claims();
        assert!(!claims.live_at(1_800_000_000 - 61));
        assert!(claims.live_at(1_800_000_000 - 60));
        assert!(claims.live_at(1_800_000_179));
        assert!(!claims.live_at(1_800_000_180));
    }

    #[test]
    fn what_is_not_a_code_is_refused_by_its_format() {
        let text = claims().encode(&[9; SIGNATURE_BYTES]).unwrap();
        let mut cut = text.clone();
        cut.truncate(text.len() - 4);
        let long = format!("{text}{}", "A".repeat(CODE_TEXT_MAX));
        for bad in [
            "",
            "SBE1",
            "SBE2.k.AAAA",
            "SBE1.k k.AAAA",
            "SBE1.k.!!!!",
            "SBE1.k.AAAA",
            cut.as_str(),
            long.as_str(),
            &format!("{text}.x"),
        ] {
            assert!(
                matches!(parse(bad), Err(CodeError::Malformed(_))),
                "{bad:?}"
            );
        }
        let mut wrong = claims();
        wrong.lifetime_seconds = 0;
        assert!(wrong.encode(&[0; SIGNATURE_BYTES]).is_err());
        wrong.lifetime_seconds = CODE_LIFETIME_MAX_SECONDS + 1;
        assert!(wrong.encode(&[0; SIGNATURE_BYTES]).is_err());
        wrong = claims();
        wrong.card_id = CardId::new("a b");
        assert!(wrong.encode(&[0; SIGNATURE_BYTES]).is_err());
    }

    #[test]
    fn refusals_have_stable_codes() {
        assert_eq!(CodeError::Expired.code(), "code_expired");
        assert_eq!(CodeError::BadSignature.code(), "invalid_token");
    }
}
