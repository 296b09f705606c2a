//! `shebao production …`: the production desk's long-running work from the server itself —
//! a batch's personalisation file with a progress bar — and the vendor's side of a file:
//! its sealing key pair, and opening a downloaded part with its private key.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use crate::{StoreFlags, print_timed, with_progress};

#[derive(Subcommand)]
pub(crate) enum ProductionCommand {
    /// Generate an open batch's personalisation file (once): its cards sealed to the
    /// vendor's key part by part, then the signed manifest; prints the file's summary.
    File(FileArgs),
    /// A vendor's sealing key pair: writes the private key (X25519, base64) to a new file
    /// readable by its owner only, and prints the public key to register.
    VendorKey {
        /// The new private key file; never overwritten.
        #[arg(long)]
        out: PathBuf,
    },
    /// Opens a downloaded part (its JSON, as the API answers it, on standard input) with the
    /// vendor's private key: the part's card lines on standard output.
    OpenPart {
        /// The private key file `production vendor-key` wrote.
        #[arg(long)]
        key: PathBuf,
    },
}

#[derive(clap::Args)]
pub(crate) struct FileArgs {
    /// The batch's id.
    #[arg(long)]
    batch: String,
    /// The login the generation acts as (the production desk).
    #[arg(long = "as")]
    as_user: String,
    /// Idempotency key: the same key answers again without sealing (default: a new one).
    #[arg(long)]
    key: Option<String>,
    #[command(flatten)]
    store: StoreFlags,
}

pub(crate) fn production(command: ProductionCommand) -> Result<ExitCode, String> {
    match command {
        ProductionCommand::File(args) => file(args),
        ProductionCommand::VendorKey { out } => vendor_key(&out),
        ProductionCommand::OpenPart { key } => open_part(&key),
    }
}

fn file(args: FileArgs) -> Result<ExitCode, String> {
    let (app, actor) = args.store.app_as(&args.as_user)?;
    let key = args
        .key
        .unwrap_or_else(|| shebao_app::new_id("personalisation-file"));
    let started = std::time::Instant::now();
    let file = with_progress("cards", |bar| {
        app.generate_personalisation_file(&actor, &key, &args.batch, &mut |done, total| {
            bar.show_until_done(done, total)
        })
    })?;
    let out = json!({
        "batch": file.batch_id, "cards": file.cards, "parts": file.parts,
        "sealing_key": file.sealing_key_id, "signing_key": file.signing_key_id,
        "issued_on": file.issued_on, "key": key,
    });
    Ok(print_timed(out, started))
}

fn vendor_key(out: &std::path::Path) -> Result<ExitCode, String> {
    let (secret, public) = shebao_app::keystore::new_sealing_key_pair();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(out)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    std::io::Write::write_all(&mut file, secret.as_bytes())
        .map_err(|e| format!("{}: {e}", out.display()))?;
    println!("{}", json!({ "public_key": public }));
    Ok(ExitCode::SUCCESS)
}

fn open_part(key: &std::path::Path) -> Result<ExitCode, String> {
    // The key's text is wiped when dropped.
    let private_key = shebao_app::keystore::Zeroizing::new(
        std::fs::read_to_string(key).map_err(|e| format!("{}: {e}", key.display()))?,
    );
    let part: shebao_app::production::PartView =
        serde_json::from_reader(std::io::stdin().lock()).map_err(|e| e.to_string())?;
    let context = shebao_app::production::part_context(&part.batch_id, part.part);
    let plain =
        shebao_app::keystore::open_sealed_text(&private_key, &part.sealed, context.as_bytes())
            .map_err(|e| e.to_string())?;
    std::io::Write::write_all(&mut std::io::stdout().lock(), &plain).map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
