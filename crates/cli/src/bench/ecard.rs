//! `shebao bench ecard`: the electronic card's codes (issue 19: offline verification at
//! 20,000 codes a second or more on one core). N codes of distinct cards and holders are
//! signed by the key store (its signing rate reported), the published keys are read back
//! from their JSON document as a reader gets them, and every code is verified offline on
//! one thread — the format, the key's status and period, the Ed25519 signature and the
//! expiry — each verification's result checked: one code at a time (a reader), then 1,024
//! at a time (`verify_all`, batch verification: a gateway checking what its readers scanned).

use std::time::Instant;

use serde_json::{Value, json};
use shebao_app::card::ecard_keys::{CodeVerifier, ECardKeySet, PublishedKey};
use shebao_app::keystore::{KeyStore, SoftwareKeyStore};
use shebao_domain::card::code::{CODE_PREFIX, CodeClaims, CodePurpose, NONCE_BYTES};
use shebao_domain::ids::{CardId, PersonId, RegionCode};
use shebao_domain::time::Timestamp;

const KEY_ID: &str = "330100-ecard-v1";

pub fn ecard(codes: usize) -> Result<Value, String> {
    let codes = codes.max(1);
    let store = SoftwareKeyStore::new(shebao_app::vault::random_bytes::<32>());
    let public = store.ecard_public_key(KEY_ID).map_err(|e| e.to_string())?;
    let now = Timestamp::from_unix_seconds(1_800_000_000);
    let set = ECardKeySet {
        format: CODE_PREFIX.into(),
        keys: vec![PublishedKey::current(KEY_ID, "330100", &public, now)],
    };
    let document = serde_json::to_string(&set).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let mut texts = Vec::with_capacity(codes);
    for n in 0..codes {
        let mut nonce = [0u8; NONCE_BYTES];
        nonce[..8].copy_from_slice(&(n as u64).to_be_bytes());
        let claims = CodeClaims {
            key_id: KEY_ID.into(),
            region: RegionCode::parse("330100").ok_or("region")?,
            ecard_id: format!("ecd_{n:016x}"),
            purpose: if n % 2 == 0 {
                CodePurpose::Identity
            } else {
                CodePurpose::Payment
            },
            issued_at: now.unix_seconds(),
            lifetime_seconds: 180,
            nonce,
            card_id: CardId::new(format!("crd_{n:016x}")),
            holder_id: PersonId::new(format!("per_{n:016x}")),
        };
        let signed = claims.signed_bytes().map_err(|e| e.message())?;
        let signature = store
            .ecard_sign(KEY_ID, &signed)
            .map_err(|e| e.to_string())?;
        texts.push(claims.encode(&signature).map_err(|e| e.message())?);
    }
    let sign_seconds = started.elapsed().as_secs_f64();

    let set: ECardKeySet = serde_json::from_str(&document).map_err(|e| e.to_string())?;
    let verifier = CodeVerifier::from_set(&set)?;
    let at = now.add_seconds(60);
    let started = Instant::now();
    for (n, text) in texts.iter().enumerate() {
        let claims = verifier
            .verify(text, at)
            .map_err(|e| format!("code {n}: {}", e.message()))?;
        if claims.card_id.as_str() != format!("crd_{n:016x}") {
            return Err(format!("code {n} read back another card"));
        }
    }
    let verify_seconds = started.elapsed().as_secs_f64();
    // The same codes checked together, as a gateway takes the codes its readers scanned.
    let all: Vec<&str> = texts.iter().map(String::as_str).collect();
    let started = Instant::now();
    let mut good = 0usize;
    for chunk in all.chunks(1_024) {
        good += verifier
            .verify_all(chunk, at)
            .iter()
            .filter(|answer| answer.is_ok())
            .count();
    }
    let batched_seconds = started.elapsed().as_secs_f64();
    if good != codes {
        return Err(format!("{good} of {codes} codes verified together"));
    }
    // A code with its signature altered is refused, alone and among good ones: the loops
    // above would not notice a verifier that passes everything.
    let mut altered = texts[0].clone().into_bytes();
    let middle = altered.len() - 40;
    altered[middle] = if altered[middle] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).map_err(|e| e.to_string())?;
    let mut mixed: Vec<&str> = all.iter().take(64).copied().collect();
    mixed[7] = &altered;
    let answers = verifier.verify_all(&mixed, at);
    let refused: Vec<usize> = (0..answers.len())
        .filter(|&n| answers[n].is_err())
        .collect();
    if verifier.verify(&altered, at).is_ok() || refused != [7] {
        return Err(format!("an altered code verified (refused: {refused:?})"));
    }
    Ok(json!({
        "workload": "ecard_codes",
        "codes": codes,
        "code_bytes": texts[0].len(),
        "sign_seconds": sign_seconds,
        "signed_per_s": codes as f64 / sign_seconds.max(1e-9),
        "verify_seconds": verify_seconds,
        "verified_per_s_one_core": codes as f64 / verify_seconds.max(1e-9),
        "batched_seconds": batched_seconds,
        "verified_batched_per_s_one_core": codes as f64 / batched_seconds.max(1e-9),
        "target_verified_per_s": 20_000,
    }))
}
