//! `shebao ecard verify`: an electronic card's code checked offline, the way a reader
//! without a connection checks it — with only the published keys (the JSON the service
//! serves at `/.well-known/shebao/ecard-keys`, saved to a file) and a clock. Whether the
//! card was lost since, or a payment code used, only the online check can tell.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;
use shebao_app::card::ecard_keys::{CodeVerifier, ECardKeySet};
use shebao_domain::card::code::CODE_TEXT_MAX;
use shebao_domain::time::Timestamp;

#[derive(Subcommand)]
pub(crate) enum ECardCommand {
    /// Check a code offline against the published keys; prints what it says, as JSON, and
    /// fails when it is not good now.
    Verify {
        /// The published keys: the JSON of `/.well-known/shebao/ecard-keys`.
        #[arg(long)]
        keys: PathBuf,
        /// The moment to check at, in Unix seconds (default: now).
        #[arg(long)]
        at: Option<i64>,
        /// The code's text (default: read from standard input).
        code: Option<String>,
    },
}

/// The most the keys file may hold: far more than any region's keys.
const KEYS_FILE_MAX_BYTES: u64 = 1 << 20;

pub(crate) fn ecard(command: ECardCommand) -> Result<ExitCode, String> {
    let ECardCommand::Verify { keys, at, code } = command;
    let file = std::fs::File::open(&keys).map_err(|e| format!("{}: {e}", keys.display()))?;
    let mut text = String::new();
    file.take(KEYS_FILE_MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", keys.display()))?;
    if text.len() as u64 > KEYS_FILE_MAX_BYTES {
        return Err(format!("{}: more than 1 MiB of keys", keys.display()));
    }
    let set: ECardKeySet =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", keys.display()))?;
    let verifier = CodeVerifier::from_set(&set)?;
    let code = match code {
        Some(code) => code,
        None => {
            let mut read = String::new();
            std::io::stdin()
                .take(CODE_TEXT_MAX as u64 + 2)
                .read_to_string(&mut read)
                .map_err(|e| format!("standard input: {e}"))?;
            read
        }
    };
    let now = at.map_or_else(|| crate::clock::clock().now(), Timestamp::from_unix_seconds);
    match verifier.verify(&code, now) {
        Ok(claims) => {
            println!(
                "{}",
                json!({
                    "valid": true,
                    "purpose": claims.purpose.as_str(),
                    "key_id": claims.key_id,
                    "card_id": claims.card_id.as_str(),
                    "holder_id": claims.holder_id.as_str(),
                    "issued_at": Timestamp::from_unix_seconds(claims.issued_at).to_string(),
                    "expires_at": Timestamp::from_unix_seconds(claims.expires_at()).to_string(),
                })
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            println!(
                "{}",
                json!({ "valid": false, "error": { "code": error.code(), "message": error.message() } })
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
