//! The regions' electronic-card signing keys (issue 19, item 5): created and rotated by the
//! production desk inside the key store, recorded by id and public key only, published for
//! anyone at a well-known address, and the offline check of a code against them.
//!
//! A region has one current key, `330100-ecard-v1`; the next version retires it (codes it
//! signed before keep working until they expire) or, when it is withdrawn as compromised,
//! marks it so (every code it signed is refused). The published document is a JSON Web Key
//! Set (RFC 7517, Ed25519 keys as RFC 8037 `OKP`) with each key's region, status and the
//! times it may sign between, so a verifier with only the document checks a code offline:
//! the format and signature, the key's status, that the key was current when the code was
//! issued, and the code's expiry. Loss of a card and single use of a payment code are the
//! online check's (`ecard`).

use std::collections::HashMap;

use base64::Engine as _;
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::card::code::{
    CODE_LIFETIME_MAX_SECONDS, CODE_PREFIX, CodeClaims, CodeError, ParsedCode, parse,
};
use shebao_domain::ids::RegionCode;
use shebao_domain::time::Timestamp;
use shebao_store::tx::{ECARD_LISTED_MAX, ECARD_PUBLISHED_MAX};
use shebao_store::{ECardKeyRecord, Tx};

use crate::error::{Clash, OrNotFound, RefusalCode};
use crate::keystore::key_store_error;
use crate::reference::known_region;
use crate::{Actor, App, AppError, Audit};

/// A new e-card signing key of a region: version 1, or the next version, which retires the
/// current key, or withdraws it when it is compromised.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewECardKey {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    /// The current key is compromised: every code it signed is refused from now on.
    #[serde(default)]
    pub withdraw_current: bool,
}

/// An e-card signing key as anyone may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ECardKey")]
pub struct ECardKeyView {
    /// Region and version: `330100-ecard-v1`.
    pub id: String,
    pub region: String,
    pub version: i64,
    /// The Ed25519 public key, hex.
    pub public_key: String,
    /// Where the private key is held (`software`, or an HSM's name).
    pub key_store: String,
    #[schemars(extend("enum" = ["current", "retired", "withdrawn"]))]
    pub status: String,
    pub created_at: String,
    pub retired_at: Option<String>,
}

fn key_view(key: &ECardKeyRecord) -> ECardKeyView {
    ECardKeyView {
        id: key.id.clone(),
        region: key.region.as_str().to_owned(),
        version: key.version,
        public_key: key.public_key.clone(),
        key_store: key.key_store.clone(),
        status: key.status.clone(),
        created_at: key.created_at.to_string(),
        retired_at: key.retired_at.map(|t| t.to_string()),
    }
}

/// The published keys: a JSON Web Key Set with the code format's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ECardKeySet")]
pub struct ECardKeySet {
    /// The code format these keys sign (`SBE1`, documented in docs/ecard.md).
    #[schemars(extend("enum" = ["SBE1"]))]
    pub format: String,
    pub keys: Vec<PublishedKey>,
}

/// One published key (RFC 8037: `kty` `OKP`, `crv` `Ed25519`, `x` the public key in
/// base64url), with what a verifier needs beyond it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ECardPublishedKey")]
pub struct PublishedKey {
    #[schemars(extend("enum" = ["OKP"]))]
    pub kty: String,
    #[schemars(extend("enum" = ["Ed25519"]))]
    pub crv: String,
    #[schemars(extend("enum" = ["EdDSA"]))]
    pub alg: String,
    #[serde(rename = "use")]
    #[schemars(extend("enum" = ["sig"]))]
    pub key_use: String,
    pub kid: String,
    pub x: String,
    pub region: String,
    /// `current` (signs today's codes), `retired` (signed codes until `retired_at`) or
    /// `withdrawn` (compromised: no code it signed is good).
    #[schemars(extend("enum" = ["current", "retired", "withdrawn"]))]
    pub status: String,
    /// Unix seconds from which the key signs.
    pub valid_from: i64,
    /// Unix seconds from which it signs no more (absent while current).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<i64>,
}

impl PublishedKey {
    /// A region's current key as published, from its id and public key (a verifier's own
    /// set, as the benchmark builds one).
    pub fn current(id: &str, region: &str, public_key: &[u8; 32], from: Timestamp) -> PublishedKey {
        PublishedKey {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            alg: "EdDSA".into(),
            key_use: "sig".into(),
            kid: id.to_owned(),
            x: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(public_key),
            region: region.to_owned(),
            status: "current".into(),
            valid_from: from.unix_seconds(),
            retired_at: None,
        }
    }

    fn of(record: &ECardKeyRecord) -> Result<PublishedKey, AppError> {
        let bytes: [u8; 32] = hex::decode(&record.public_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                AppError::Internal("a stored e-card key is not 32 bytes of hex".into())
            })?;
        Ok(PublishedKey {
            status: record.status.clone(),
            retired_at: record.retired_at.map(Timestamp::unix_seconds),
            ..PublishedKey::current(
                &record.id,
                record.region.as_str(),
                &bytes,
                record.created_at,
            )
        })
    }
}

/// One key as a verifier holds it.
#[derive(Debug, Clone)]
struct VerifierKey {
    key: VerifyingKey,
    region: String,
    withdrawn: bool,
    valid_from: i64,
    retired_at: Option<i64>,
}

/// Checks codes offline against the published keys: the format, the key (known, not
/// withdrawn, current when the code was issued, of the card's region), the signature, then
/// the time. The
/// signature is checked by RFC 8032's equation without the cofactor (`[s]B = R + [k]A`, R
/// compared by its encoding, `s` canonical); a published key of small order is refused when
/// the set is read, so no code verifies under a key anyone could sign for.
#[derive(Debug, Clone, Default)]
pub struct CodeVerifier {
    keys: HashMap<String, VerifierKey>,
}

impl CodeVerifier {
    /// A verifier of the keys of a published set.
    pub fn from_set(set: &ECardKeySet) -> Result<CodeVerifier, String> {
        if set.format != CODE_PREFIX {
            return Err(format!(
                "a key set of format {}, not {CODE_PREFIX}",
                set.format
            ));
        }
        let mut keys = HashMap::with_capacity(set.keys.len());
        for published in &set.keys {
            if (published.kty.as_str(), published.crv.as_str()) != ("OKP", "Ed25519") {
                return Err(format!("key {} is not an Ed25519 key", published.kid));
            }
            let bytes: [u8; 32] = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(&published.x)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| format!("key {}: x is not 32 bytes of base64url", published.kid))?;
            let key = VerifyingKey::from_bytes(&bytes)
                .ok()
                .filter(|key| !key.is_weak())
                .ok_or_else(|| format!("key {}: not a public key of full order", published.kid))?;
            // Read strictly: a status this verifier does not know, or an ended key without
            // its end, would otherwise be taken as current.
            let withdrawn = match (published.status.as_str(), published.retired_at) {
                ("current", None) => false,
                ("retired", Some(_)) => false,
                ("withdrawn", Some(_)) => true,
                (status, _) => {
                    return Err(format!(
                        "key {}: status {status} with that end",
                        published.kid
                    ));
                }
            };
            let verifier_key = VerifierKey {
                key,
                region: published.region.clone(),
                withdrawn,
                valid_from: published.valid_from,
                retired_at: published.retired_at,
            };
            if keys.insert(published.kid.clone(), verifier_key).is_some() {
                return Err(format!("key {} is published twice", published.kid));
            }
        }
        Ok(CodeVerifier { keys })
    }

    /// The claims of a good code at `now`, or why it is not one.
    pub fn verify(&self, text: &str, now: Timestamp) -> Result<CodeClaims, CodeError> {
        let (parsed, key) = self.signed_by(text)?;
        key.verify(&parsed.signed, &Signature::from_bytes(&parsed.signature))
            .map_err(|_| CodeError::BadSignature)?;
        alive(parsed.claims, now)
    }

    /// [`CodeVerifier::verify`] of many codes at once, each answered in its place: the
    /// signatures checked together (Ed25519 batch verification, about twice as fast a code
    /// as one at a time), and one by one only in a batch that does not verify as a whole.
    /// Batch verification checks the equation with R decompressed, so it also accepts
    /// signatures a key's own holder could make with a non-canonical or mixed-order R,
    /// which the one-at-a-time check refuses; no one else can make either.
    pub fn verify_all(&self, texts: &[&str], now: Timestamp) -> Vec<Result<CodeClaims, CodeError>> {
        let mut answers: Vec<Result<CodeClaims, CodeError>> = Vec::with_capacity(texts.len());
        let mut pending: Vec<(usize, ParsedCode, VerifyingKey)> = Vec::new();
        for (n, text) in texts.iter().enumerate() {
            match self.signed_by(text) {
                Ok((parsed, key)) => {
                    answers.push(Err(CodeError::BadSignature));
                    pending.push((n, parsed, key));
                }
                Err(error) => answers.push(Err(error)),
            }
        }
        for chunk in pending.chunks(BATCH) {
            let messages: Vec<&[u8]> = chunk.iter().map(|(_, p, _)| p.signed.as_slice()).collect();
            let signatures: Vec<Signature> = chunk
                .iter()
                .map(|(_, p, _)| Signature::from_bytes(&p.signature))
                .collect();
            let keys: Vec<VerifyingKey> = chunk.iter().map(|(_, _, k)| *k).collect();
            let all_good = ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok();
            for (((n, parsed, key), message), signature) in
                chunk.iter().zip(&messages).zip(&signatures)
            {
                let good = all_good || key.verify(message, signature).is_ok();
                answers[*n] = if good {
                    alive(parsed.claims.clone(), now)
                } else {
                    Err(CodeError::BadSignature)
                };
            }
        }
        answers
    }

    /// A code taken apart with the key that must have signed it: known, not withdrawn, and
    /// in service when the code was issued.
    fn signed_by(&self, text: &str) -> Result<(ParsedCode, VerifyingKey), CodeError> {
        let parsed = parse(text)?;
        let key = self
            .keys
            .get(&parsed.claims.key_id)
            .ok_or(CodeError::UnknownKey)?;
        let issued = parsed.claims.issued_at;
        // A key signs from its creation (a minute's leeway for clocks) to its retirement
        // (a code signed in the second the key was retired still counts).
        let in_service = issued >= key.valid_from.saturating_sub(60)
            && key.retired_at.is_none_or(|retired| issued <= retired);
        if key.withdrawn || !in_service {
            return Err(CodeError::KeyWithdrawn);
        }
        if key.region != parsed.claims.region.as_str() {
            return Err(CodeError::OtherRegion);
        }
        Ok((parsed, key.key))
    }
}

/// How many codes [`CodeVerifier::verify_all`] checks in one batch.
const BATCH: usize = 64;

/// The claims of a code whose signature holds, if it is alive at `now`.
fn alive(claims: CodeClaims, now: Timestamp) -> Result<CodeClaims, CodeError> {
    if claims.live_at(now.unix_seconds()) {
        Ok(claims)
    } else {
        Err(CodeError::Expired)
    }
}

/// A code's refusal as the application's error.
pub(crate) fn code_refusal(error: CodeError) -> AppError {
    let code = match error {
        CodeError::Expired => RefusalCode::CodeExpired,
        _ => RefusalCode::InvalidToken,
    };
    AppError::Rule {
        code,
        message: error.message(),
    }
}

/// The claims of a code whose signature and time hold, checked against the key it names as
/// stored (its status read in this transaction).
pub(crate) fn verify_stored(
    tx: &mut Tx<'_>,
    text: &str,
    now: Timestamp,
) -> Result<CodeClaims, AppError> {
    let parsed = parse(text).map_err(code_refusal)?;
    let record = tx
        .ecard_key(&parsed.claims.key_id)?
        .ok_or_else(|| code_refusal(CodeError::UnknownKey))?;
    let set = ECardKeySet {
        format: CODE_PREFIX.into(),
        keys: vec![PublishedKey::of(&record)?],
    };
    let verifier = CodeVerifier::from_set(&set).map_err(AppError::Internal)?;
    verifier.verify(text, now).map_err(code_refusal)
}

/// A region field of a request: 6 digits.
fn region(input: &str) -> Result<RegionCode, AppError> {
    RegionCode::parse(input).ok_or_else(|| AppError::invalid("region", "a 6-digit region code"))
}

/// The id of a region's e-card key of a version.
pub(crate) fn key_id(region: &RegionCode, version: i64) -> String {
    format!("{region}-ecard-v{version}")
}

impl App {
    /// Every region's e-card keys, as the well-known document publishes them (no sign-in:
    /// public keys are for anyone).
    pub fn published_ecard_keys(&self) -> Result<ECardKeySet, AppError> {
        // Every current key, and the keys ended too recently for the codes they signed to
        // have expired (withdrawn ones, so readers learn of it).
        let since = self
            .now()
            .add_seconds(-i64::from(CODE_LIFETIME_MAX_SECONDS) - 60);
        let records = self
            .store
            .read(move |tx| tx.published_ecard_keys(since, ECARD_PUBLISHED_MAX))?;
        Ok(ECardKeySet {
            format: CODE_PREFIX.into(),
            keys: records
                .iter()
                .map(PublishedKey::of)
                .collect::<Result<_, _>>()?,
        })
    }

    /// Creates a region's e-card signing key in the key store: version 1, or the next (a
    /// rotation), which retires the current key or withdraws it as compromised.
    pub fn create_ecard_key(
        &self,
        actor: &Actor,
        key: &str,
        request: NewECardKey,
    ) -> Result<ECardKeyView, AppError> {
        self.authorise(actor, Operation::ManageCardKeys)?;
        let region = region(&request.region)?;
        // The key store is asked before the change (an HSM's latency must not hold the
        // writer); the change then stands only over the version it was asked for.
        let asked = region.clone();
        let latest = self.store.read(move |tx| {
            known_region(tx, &asked)?;
            Ok::<_, AppError>(tx.latest_ecard_key(&asked)?)
        })?;
        let version = latest.as_ref().map_or(1, |k| k.version + 1);
        let id = key_id(&region, version);
        let public_key = hex::encode(
            self.key_store
                .ecard_public_key(&id)
                .map_err(key_store_error)?,
        );
        let (label, kind, withdraw) = (
            actor.label(),
            self.key_store.kind(),
            request.withdraw_current,
        );
        let audit = Audit::on("card.ecard_key.create", format!("keys:{region}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            known_region(tx, &region)?;
            let previous = tx.latest_ecard_key(&region)?;
            if previous.as_ref().map_or(1, |k| k.version + 1) != version {
                return Err(AppError::Conflict(Clash::Store(
                    "the key was rotated meanwhile; send the request again".into(),
                )));
            }
            // The newest key is the current one, if any: retired, or withdrawn.
            let ended = match previous.filter(|k| k.status == "current") {
                Some(previous) => {
                    let status = if withdraw { "withdrawn" } else { "retired" };
                    tx.end_ecard_key(&previous.id, status, now)?;
                    Some(previous.id)
                }
                None => None,
            };
            let record = ECardKeyRecord {
                id: id.clone(),
                region: region.clone(),
                version,
                public_key: public_key.clone(),
                key_store: kind.to_owned(),
                status: "current".into(),
                created_by: label.clone(),
                created_at: now,
                retired_at: None,
            };
            tx.insert_ecard_key(&record)?;
            let detail = serde_json::json!({
                "ecard_key": record.id, "withdrawn": withdraw && ended.is_some(), "ended": ended,
            });
            Ok((key_view(&record), detail.to_string()))
        })
    }

    /// Withdraws a region's retired e-card key found compromised: every code it signed fails
    /// from now on, online at once and offline once readers fetch the keys again (the
    /// current key is withdrawn by rotating it, `withdraw_current`).
    pub fn withdraw_ecard_key(
        &self,
        actor: &Actor,
        key: &str,
        ecard_key: &str,
    ) -> Result<ECardKeyView, AppError> {
        self.authorise(actor, Operation::ManageCardKeys)?;
        let id = ecard_key.to_owned();
        // The subject is the region's keys, as a key's creation's; the key is in the detail.
        let region = id.split('-').next().unwrap_or_default().to_owned();
        let audit = Audit::on("card.ecard_key.withdraw", format!("keys:{region}"));
        self.change(actor, key, &(), audit, move |tx, now| {
            let record = tx.ecard_key(&id)?.or_not_found("e-card key", &id)?;
            if record.status != "retired" {
                return Err(AppError::Rule {
                    code: RefusalCode::WrongState,
                    message: format!(
                        "the key is {}: only a retired key is withdrawn by name (rotate the \
                         current key with withdraw_current)",
                        record.status
                    ),
                });
            }
            tx.end_ecard_key(&record.id, "withdrawn", now)?;
            let withdrawn = ECardKeyRecord {
                status: "withdrawn".into(),
                ..record
            };
            let detail = serde_json::json!({ "ecard_key": withdrawn.id });
            Ok((key_view(&withdrawn), detail.to_string()))
        })
    }

    /// A region's e-card keys, newest first.
    pub fn ecard_keys(&self, actor: &Actor, asked: &str) -> Result<Vec<ECardKeyView>, AppError> {
        self.authorise(actor, Operation::ReadCardKeys)?;
        let region = region(asked)?;
        self.store.read(move |tx| {
            known_region(tx, &region)?;
            Ok(tx
                .ecard_keys_of(&region, ECARD_LISTED_MAX)?
                .iter()
                .map(key_view)
                .collect())
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use crate::keystore::{KeyStore, SoftwareKeyStore};
    use shebao_domain::card::code::{CodePurpose, NONCE_BYTES};
    use shebao_domain::ids::{CardId, PersonId};

    const T: i64 = 1_800_000_000;

    fn record(version: i64, status: &str, retired_at: Option<i64>) -> ECardKeyRecord {
        let store = SoftwareKeyStore::new([3; 32]);
        let id = format!("330100-ecard-v{version}");
        ECardKeyRecord {
            public_key: hex::encode(store.ecard_public_key(&id).unwrap()),
            id,
            region: RegionCode::parse("330100").unwrap(),
            version,
            key_store: "software".into(),
            status: status.into(),
            created_by: "desk".into(),
            created_at: Timestamp::from_unix_seconds(T - 1_000),
            retired_at: retired_at.map(Timestamp::from_unix_seconds),
        }
    }

    fn code(version: i64, issued_at: i64) -> String {
        let claims = CodeClaims {
            key_id: format!("330100-ecard-v{version}"),
            purpose: CodePurpose::Identity,
            region: RegionCode::parse("330100").unwrap(),
            issued_at,
            lifetime_seconds: 180,
            nonce: [1; NONCE_BYTES],
            ecard_id: "ecd_1".into(),
            card_id: CardId::new("crd_1"),
            holder_id: PersonId::new("per_1"),
        };
        let store = SoftwareKeyStore::new([3; 32]);
        let signature = store
            .ecard_sign(&claims.key_id, &claims.signed_bytes().unwrap())
            .unwrap();
        claims.encode(&signature).unwrap()
    }

    fn verifier(records: &[ECardKeyRecord]) -> CodeVerifier {
        let set = ECardKeySet {
            format: CODE_PREFIX.into(),
            keys: records
                .iter()
                .map(|r| PublishedKey::of(r).unwrap())
                .collect(),
        };
        // Through JSON, as a verifier reads the published document.
        let text = serde_json::to_string(&set).unwrap();
        CodeVerifier::from_set(&serde_json::from_str(&text).unwrap()).unwrap()
    }

    #[test]
    fn a_code_verifies_offline_until_it_expires() {
        let verifier = verifier(&[record(1, "current", None)]);
        let text = code(1, T);
        let at = |s| Timestamp::from_unix_seconds(s);
        assert_eq!(
            verifier.verify(&text, at(T)).unwrap().card_id.as_str(),
            "crd_1"
        );
        assert_eq!(verifier.verify(&text, at(T + 180)), Err(CodeError::Expired));
        assert_eq!(verifier.verify(&text, at(T - 61)), Err(CodeError::Expired));
    }

    #[test]
    fn an_altered_code_or_another_key_fails() {
        let verifier = verifier(&[record(1, "current", None)]);
        let text = code(1, T);
        let now = Timestamp::from_unix_seconds(T);
        // A character of the nonce, then of the signature, changed.
        let body = "SBE1.330100-ecard-v1.".len();
        for i in [body + 28, text.len() - 40] {
            let mut altered = text.clone().into_bytes();
            altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
            let altered = String::from_utf8(altered).unwrap();
            assert_eq!(
                verifier.verify(&altered, now),
                Err(CodeError::BadSignature),
                "{i}"
            );
        }
        assert_eq!(
            verifier.verify(&code(2, T), now),
            Err(CodeError::UnknownKey)
        );
        // The key id swapped: the signature covers it.
        let swapped = text.replace("-v1.", "-v2.");
        let both = self::verifier(&[
            record(1, "retired", Some(T + 10)),
            record(2, "current", None),
        ]);
        assert_eq!(both.verify(&swapped, now), Err(CodeError::BadSignature));
    }

    #[test]
    fn many_codes_are_answered_each_in_its_place() {
        let verifier = verifier(&[record(1, "current", None)]);
        let good = code(1, T);
        // A character in the middle of the signature changed.
        let mut altered = good.clone().into_bytes();
        let i = altered.len() - 10;
        altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        let (expired, unknown) = (code(1, T - 1_000), code(2, T));
        let mut texts = vec![good.as_str(); 70];
        texts[3] = &altered;
        texts[5] = &expired;
        texts[66] = &unknown;
        texts[68] = "SBE1.nonsense";
        let now = Timestamp::from_unix_seconds(T);
        let answers = verifier.verify_all(&texts, now);
        assert_eq!(answers.len(), 70);
        for (n, answer) in answers.iter().enumerate() {
            let expected = match n {
                3 => Err(CodeError::BadSignature),
                5 => Err(CodeError::Expired),
                66 => Err(CodeError::UnknownKey),
                68 => Err(CodeError::Malformed("not SBE1.key.body")),
                _ => verifier.verify(&good, now),
            };
            assert_eq!(answer, &expected, "code {n}");
        }
        // A batch with no bad code verifies as a whole.
        assert!(
            verifier
                .verify_all(&[good.as_str(); 64], now)
                .iter()
                .all(Result::is_ok)
        );
    }

    #[test]
    fn a_retired_key_signs_nothing_after_retirement_and_a_withdrawn_key_nothing() {
        let retired = verifier(&[record(1, "retired", Some(T))]);
        let now = Timestamp::from_unix_seconds(T + 10);
        assert!(retired.verify(&code(1, T - 10), now).is_ok());
        assert!(retired.verify(&code(1, T), now).is_ok());
        assert_eq!(
            retired.verify(&code(1, T + 1), now),
            Err(CodeError::KeyWithdrawn)
        );
        let withdrawn = verifier(&[record(1, "withdrawn", Some(T))]);
        assert_eq!(
            withdrawn.verify(&code(1, T - 10), now),
            Err(CodeError::KeyWithdrawn)
        );
    }
}
