//! The `shebao` binary: serves the API, administers users and keys, verifies the audit
//! trail, inspects ID numbers and loads a demo data set. It chooses the store from the
//! database URL; everything else goes through the application layer.
#![allow(
    clippy::print_stdout,
    reason = "a command-line program prints its answers"
)]

mod config;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use serde_json::json;
use shebao_app::{Actor, App, SystemClock, Vault};
use shebao_domain::identity::CitizenId;

use crate::config::{open_store, today};

#[derive(Parser)]
#[command(
    name = "shebao",
    version,
    about = "Social security cards: registry, card life, bank activation, ledger"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        /// Database: `sqlite:PATH` (default `sqlite:shebao.db`) or `postgres://…`.
        #[arg(long, env = "SHEBAO_DATABASE")]
        db: Option<String>,
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, env = "SHEBAO_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Key file (see `shebao keys generate`); kept outside the database.
        #[arg(long, env = "SHEBAO_KEYS_FILE")]
        keys: Option<PathBuf>,
        /// Start on a fresh demo data set in ./shebao-demo (new keys, logins printed once).
        #[arg(long)]
        demo: bool,
    },
    /// Apply the database migrations and exit.
    Migrate {
        #[arg(long, env = "SHEBAO_DATABASE")]
        db: Option<String>,
    },
    /// Administration on the server itself.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Key files.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Citizen ID numbers.
    #[command(subcommand)]
    Id(IdCommand),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create the first administrator; prints a generated password once.
    Init {
        #[arg(long, default_value = "admin")]
        username: String,
        #[arg(long, env = "SHEBAO_DATABASE")]
        db: Option<String>,
        #[arg(long, env = "SHEBAO_KEYS_FILE")]
        keys: PathBuf,
    },
    /// Issue an API token for a machine client (a bank's system); prints it once.
    Token {
        #[arg(long)]
        username: String,
        #[arg(long, default_value_t = 30)]
        days: i64,
        #[arg(long, env = "SHEBAO_DATABASE")]
        db: Option<String>,
        #[arg(long, env = "SHEBAO_KEYS_FILE")]
        keys: PathBuf,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Write a new key file (refuses to overwrite one).
    Generate {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify every audit chain; exit 1 when a record was edited, inserted or deleted.
    Verify {
        #[arg(long, env = "SHEBAO_DATABASE")]
        db: Option<String>,
        #[arg(long, env = "SHEBAO_KEYS_FILE")]
        keys: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum IdCommand {
    /// Validate an ID number and print what it says, as JSON.
    Inspect { number: String },
}

fn main() -> ExitCode {
    config::init_logging();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("shebao: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Serve {
            db,
            listen,
            keys,
            demo,
        } => serve(db, listen, keys, demo),
        Command::Migrate { db } => {
            open_store(db.as_deref())?;
            println!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin(AdminCommand::Init { username, db, keys }) => {
            let app = app(db.as_deref(), &keys)?;
            let (user, password) = app
                .init_administrator(&username)
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({ "username": user.username, "role": user.role, "password": password })
            );
            eprintln!("The password is shown once. Store it safely.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin(AdminCommand::Token {
            username,
            days,
            db,
            keys,
        }) => {
            let app = app(db.as_deref(), &keys)?;
            let session = app
                .issue_api_token(&username, days)
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({ "token": session.token, "expires_at": session.expires_at, "username": session.user.username })
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys(KeysCommand::Generate { out }) => {
            config::write_new_key_file(&out)?;
            println!("{}", json!({ "written": out.display().to_string() }));
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Verify { db, keys }) => {
            // Verifying needs no keys; a throwaway vault serves when none is given.
            let vault = match keys {
                Some(path) => Vault::load(&path).map_err(|e| e.to_string())?,
                None => Vault::parse(&Vault::generate_file()).map_err(|e| e.to_string())?,
            };
            let app = App::new(open_store(db.as_deref())?, vault, Arc::new(SystemClock));
            let verification = app.verify_audit_chains().map_err(|e| e.to_string())?;
            println!(
                "{}",
                serde_json::to_string(&verification).map_err(|e| e.to_string())?
            );
            Ok(if verification.intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Id(IdCommand::Inspect { number }) => Ok(inspect(&number)),
    }
}

fn app(db: Option<&str>, keys: &std::path::Path) -> Result<App, String> {
    let vault = Vault::load(keys).map_err(|e| e.to_string())?;
    Ok(App::new(open_store(db)?, vault, Arc::new(SystemClock)))
}

fn inspect(number: &str) -> ExitCode {
    match CitizenId::parse(number, today()) {
        Ok(id) => {
            println!(
                "{}",
                json!({ "valid": true, "number": id.as_str(), "gender": id.gender().as_str(), "birth_date": id.birth_date().to_string() })
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!(
                "{}",
                json!({ "valid": false, "error": { "code": error.code(), "message": error.to_string() } })
            );
            ExitCode::FAILURE
        }
    }
}

fn serve(
    db: Option<String>,
    listen: SocketAddr,
    keys: Option<PathBuf>,
    demo: bool,
) -> Result<ExitCode, String> {
    let (app, demo_data) = if demo {
        let (app, data) = config::demo_app(db.as_deref())?;
        (app, Some(data))
    } else {
        let keys = keys.ok_or(
            "no key file: pass --keys or SHEBAO_KEYS_FILE (create one with `shebao keys generate`)",
        )?;
        (app(db.as_deref(), &keys)?, None)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        println!("Shebao is listening on http://{address}/ (API docs: http://{address}/docs)");
        if let Some(data) = demo_data {
            config::print_demo(&data);
        }
        tracing::info!(target: "shebao", store = app.store().kind(), %address, "serving");
        shebao_http::serve(listener, app, config::shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Used by `config::demo_app` to seed as the operator.
pub(crate) fn operator() -> Actor {
    Actor::operator()
}
