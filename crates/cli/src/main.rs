//! The `shebao` binary: serves the API, administers users and keys, verifies and purges the
//! audit trail, inspects ID numbers and loads a demo data set. It chooses the store from the
//! database URL; everything else goes through the application layer.
#![allow(
    clippy::print_stdout,
    reason = "a command-line program prints its answers"
)]

mod backup;
mod bench;
mod calc;
mod clock;
mod config;
mod ecard;
mod production;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::json;
use shebao_app::{Actor, App, LookupRate, Vault};
use shebao_domain::person::identity::CitizenId;
use shebao_domain::time::Date;
use shebao_http::SignInRate;

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
        /// Sign-in attempts allowed per client address, ATTEMPTS/SECONDS; a successful
        /// sign-in gives its attempt back. Behind a reverse proxy all clients share its address.
        #[arg(long, env = "SHEBAO_SIGN_IN_RATE", default_value_t = SignInRate::default())]
        sign_in_rate: SignInRate,
        /// Look-ups by ID number allowed per signed-in actor, LOOKUPS/SECONDS (find a person,
        /// a patient by ID number); beyond it 429 too_many_lookups, audited.
        #[arg(long, env = "SHEBAO_LOOKUP_RATE", default_value_t = LookupRate::default())]
        lookup_rate: LookupRate,
        #[command(flatten)]
        limits: config::LimitFlags,
        #[command(flatten)]
        print: config::PrintFlags,
    },
    /// Apply the database migrations and exit.
    Migrate {
        #[arg(long, env = "SHEBAO_DATABASE")]
        db: Option<String>,
    },
    /// Copy the store while the service runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump).
    Backup {
        #[arg(long, env = "SHEBAO_DATABASE")]
        db: Option<String>,
        /// The new backup file; never overwritten.
        #[arg(long)]
        out: PathBuf,
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
    /// Calculators for staff (JSON out).
    #[command(subcommand)]
    Calc(calc::CalcCommand),
    /// Imports.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Contributions.
    #[command(subcommand)]
    Contributions(ContributionsCommand),
    /// Card production: a batch's personalisation file; a vendor's sealing keys.
    #[command(subcommand)]
    Production(production::ProductionCommand),
    /// Benchmarks on a fresh store (JSON out).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Electronic cards: a code checked offline with the published keys.
    #[command(subcommand)]
    Ecard(ecard::ECardCommand),
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Card purchases and benefit credits beside the baseline (pgbench on the same
    /// PostgreSQL server, or on the local one for an embedded run), with ratios; see
    /// docs/benchmarks.md.
    Run {
        /// Holders in the data set.
        #[arg(long, default_value_t = 10_000)]
        holders: usize,
        /// Holders who get an activated card (the accounts the workloads use).
        #[arg(long, default_value_t = 200)]
        cards: usize,
        /// Concurrent clients (batches, HTTP, medical, insurance).
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Terminals sending single card purchases and credits at once, in process.
        #[arg(long, default_value_t = 256)]
        terminals: usize,
        /// Seconds per workload (and for the baseline).
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// A fresh database (default: a new SQLite file in the temporary directory, removed after
        /// the run).
        #[arg(long)]
        db: Option<String>,
        /// Also write the results as a JSON array to this file.
        #[arg(long)]
        json: Option<PathBuf>,
        /// The PostgreSQL server pgbench runs on beside an embedded run (a new database is
        /// created there and dropped).
        #[arg(
            long,
            env = "SHEBAO_BENCH_PGBENCH_SERVER",
            default_value = "postgres://postgres@127.0.0.1:5432"
        )]
        pgbench_server: String,
        /// Only the money workloads (in-process purchases, credits and batches), for
        /// profiling them.
        #[arg(long)]
        money_only: bool,
    },
    /// The job board's search over N published vacancies (posted and approved through the
    /// use cases first), one kind of search at a time and all mixed.
    Jobs {
        #[arg(long, default_value_t = 10_000)]
        vacancies: usize,
        /// Concurrent clients (posting, and the mixed searches).
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Seconds for the kinds together, and again for the mix.
        #[arg(long, default_value_t = 12.0)]
        seconds: f64,
        /// A fresh database (default: a new SQLite file in the temporary directory, removed after
        /// the run).
        #[arg(long)]
        db: Option<String>,
        /// Also write the results as a JSON array to this file.
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Time a production batch of N applied cards and its personalisation file.
    Production {
        #[arg(long, default_value_t = 100_000)]
        cards: usize,
        /// A fresh database (default: a new SQLite file in the temporary directory, removed after
        /// the run).
        #[arg(long)]
        db: Option<String>,
    },
    /// Sign N electronic-card codes in the key store, then verify them offline on one
    /// thread with the published keys (no store).
    Ecard {
        #[arg(long, default_value_t = 100_000)]
        codes: usize,
    },
    /// Time the import of a declaration file of N rows (N employees, one month).
    Declaration {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// A fresh database (default: a new SQLite file in the temporary directory, removed after
        /// the run).
        #[arg(long)]
        db: Option<String>,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import an employer's declaration file (CSV: citizen_id,month,wage in yuan).
    Declaration(DeclarationImport),
}

#[derive(clap::Args)]
struct DeclarationImport {
    #[arg(long)]
    employer: String,
    #[arg(long)]
    file: PathBuf,
    /// The login the import acts as (the employer's staff or a clerk).
    #[arg(long = "as")]
    as_user: String,
    /// Where to write the rejected rows (CSV).
    #[arg(long)]
    errors: Option<PathBuf>,
    #[command(flatten)]
    store: StoreFlags,
}

#[derive(Subcommand)]
enum ContributionsCommand {
    /// The monthly contribution run: every person insured in the region in that month who
    /// has none recorded gets the month's contributions from their current base.
    Run(ContributionRun),
}

#[derive(clap::Args)]
struct ContributionRun {
    #[arg(long)]
    region: String,
    /// YYYY-MM.
    #[arg(long)]
    month: String,
    /// The login the run acts as (a bureau clerk).
    #[arg(long = "as")]
    as_user: String,
    /// Idempotency key: the same key answers again without running (default: a new one).
    #[arg(long)]
    key: Option<String>,
    #[command(flatten)]
    store: StoreFlags,
}

/// The store and the key file of a command that acts as a login.
#[derive(clap::Args)]
struct StoreFlags {
    #[arg(long, env = "SHEBAO_DATABASE")]
    db: Option<String>,
    #[arg(long, env = "SHEBAO_KEYS_FILE")]
    keys: PathBuf,
}

impl StoreFlags {
    /// The application on this store, and the login `username` acting in it.
    fn app_as(&self, username: &str) -> Result<(App, Actor), String> {
        app_as(self.db.as_deref(), &self.keys, username)
    }
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
    /// Print the operator's token for scraping `/metrics` (derived from the key file; the
    /// same for every server sharing it).
    MetricsToken {
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
    /// Add a card key root to a key file written before card production (issue 18); a file
    /// that has one is left as it is.
    CardRoot {
        #[arg(long, env = "SHEBAO_KEYS_FILE")]
        keys: PathBuf,
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
    /// Delete the audit records written before a date at least 180 days ago (the legal
    /// minimum retention); nearer dates are refused and nothing is deleted. The chains stay
    /// verifiable from the anchors the purge leaves, and the purge is itself audited.
    Purge {
        #[arg(long, env = "SHEBAO_DATABASE")]
        db: Option<String>,
        /// Records written before the start of this day (YYYY-MM-DD, UTC) are deleted.
        #[arg(long)]
        before: String,
        /// Who runs the purge, as the audit record names them.
        #[arg(long, env = "SHEBAO_OPERATOR", default_value = "cli")]
        operator: String,
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
            print,
            keys,
            demo,
            sign_in_rate,
            lookup_rate,
            limits,
        } => serve(
            db,
            listen,
            keys,
            demo,
            (sign_in_rate, lookup_rate),
            &limits,
            print,
        ),
        Command::Migrate { db } => {
            open_store(db.as_deref())?;
            println!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { db, out } => {
            println!("{}", backup::backup(db.as_deref(), &out)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin(command) => admin(command),
        Command::Keys(KeysCommand::Generate { out }) => {
            config::write_new_key_file(&out)?;
            println!("{}", json!({ "written": out.display().to_string() }));
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys(KeysCommand::CardRoot { keys }) => {
            let added = config::add_card_root(&keys)?;
            println!("{}", json!({ "card_root_added": added }));
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(command) => audit(command),
        Command::Id(IdCommand::Inspect { number }) => Ok(inspect(&number)),
        Command::Calc(command) => calc::calc(command),
        Command::Contributions(command) => contributions(command),
        Command::Production(command) => production::production(command),
        Command::Ecard(command) => ecard::ecard(command),
        Command::Bench(command) => bench(command),
        Command::Import(command) => import(command),
    }
}

/// `admin init`, `admin token` and `admin metrics-token`.
fn admin(command: AdminCommand) -> Result<ExitCode, String> {
    match command {
        AdminCommand::Init { username, db, keys } => {
            let app = app(db.as_deref(), &keys)?;
            let (user, password) = app
                .init_administrator(&username)
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({ "username": user.username, "role": user.role, "password": password })
            );
            eprintln!("The password is shown once. Store it safely.");
        }
        AdminCommand::Token {
            username,
            days,
            db,
            keys,
        } => {
            let app = app(db.as_deref(), &keys)?;
            let session = app
                .issue_api_token(&username, days)
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({ "token": session.token, "expires_at": session.expires_at, "username": session.user.username })
            );
        }
        AdminCommand::MetricsToken { keys } => {
            let vault = Vault::load(&keys).map_err(|e| e.to_string())?;
            println!("{}", json!({ "token": vault.scrape_token() }));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `audit verify` (exit 1 when a chain is broken) and `audit purge`.
fn audit(command: AuditCommand) -> Result<ExitCode, String> {
    match command {
        AuditCommand::Verify { db, keys } => {
            let app = audit_app(db.as_deref(), keys.as_deref())?;
            let verification = app.verify_audit_chains().map_err(|e| e.to_string())?;
            print_json(serde_json::to_string(&verification))?;
            Ok(if verification.intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        AuditCommand::Purge {
            db,
            before,
            operator,
            keys,
        } => {
            let before = Date::parse_iso(&before)
                .ok_or_else(|| format!("--before {before}: not a date (YYYY-MM-DD)"))?;
            let app = audit_app(db.as_deref(), keys.as_deref())?;
            let purge = app
                .purge_audit(&operator, before)
                .map_err(|e| e.to_string())?;
            print_json(serde_json::to_string(&purge))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints a value serialised as one line of JSON, or says why it could not be.
fn print_json(serialised: serde_json::Result<String>) -> Result<(), String> {
    println!("{}", serialised.map_err(|e| e.to_string())?);
    Ok(())
}

/// `bench declaration`, `bench jobs` and `bench run`, each on the database given or a fresh one.
fn bench(command: BenchCommand) -> Result<ExitCode, String> {
    match command {
        BenchCommand::Production { cards, db } => {
            let (db, _fresh) = bench_database(db);
            let result = bench::production(open_store(Some(&db))?, cards)?;
            println!("{result}");
        }
        BenchCommand::Ecard { codes } => {
            println!("{}", bench::ecard(codes)?);
        }
        BenchCommand::Declaration { rows, db } => {
            let (db, _fresh) = bench_database(db);
            let result = bench::declaration(open_store(Some(&db))?, rows)?;
            println!("{result}");
        }
        BenchCommand::Jobs {
            vacancies,
            clients,
            seconds,
            db,
            json,
        } => {
            let (db, _fresh) = bench_database(db);
            let results = bench::jobs(open_store(Some(&db))?, vacancies, clients.max(1), seconds)?;
            print!("{}", bench::table(&results));
            if let Some(path) = json {
                let text = serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?;
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        BenchCommand::Run {
            holders,
            cards,
            clients,
            terminals,
            seconds,
            db,
            json,
            pgbench_server,
            money_only,
        } => {
            let (db, _fresh) = bench_database(db);
            let options = bench::Options {
                holders,
                cards,
                clients: clients.max(1),
                terminals: terminals.max(1),
                seconds,
                pgbench_server,
                money_only,
            };
            let results = bench::run(&db, open_store(Some(&db))?, &options)?;
            print!("{}", bench::table(&results));
            if let Some(path) = json {
                let text = serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?;
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `import declaration`: an employer's declaration file, with a progress bar; prints the
/// declaration's counts and writes its rejected rows where asked.
fn import(command: ImportCommand) -> Result<ExitCode, String> {
    let ImportCommand::Declaration(args) = command;
    let (app, actor) = args.store.app_as(&args.as_user)?;
    // Read at most one byte more than a declaration may hold, so that a huge file is
    // refused by the application's bound instead of being read whole.
    let limit = u64::try_from(shebao_app::insurance::declarations::DECLARATION_FILE_BYTES_MAX + 1)
        .unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    std::fs::File::open(&args.file)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, limit), &mut bytes))
        .map_err(|e| format!("{}: {e}", args.file.display()))?;
    let started = std::time::Instant::now();
    let declaration = with_progress("contributions", |bar| {
        app.import_declaration_file(&actor, &args.employer, &bytes, &mut |done, total| {
            bar.show(done, total)
        })
    })?;
    if let (Some(path), true) = (&args.errors, declaration.rows_rejected > 0) {
        let csv = app
            .declaration_errors(&actor, &declaration.id)
            .map_err(|e| e.to_string())?;
        std::fs::write(path, csv).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let out = serde_json::to_value(&declaration).map_err(|e| e.to_string())?;
    Ok(print_timed(out, started))
}

/// `contributions run`: the monthly contribution run with a progress bar; prints its counts.
fn contributions(command: ContributionsCommand) -> Result<ExitCode, String> {
    let ContributionsCommand::Run(args) = command;
    let (app, actor) = args.store.app_as(&args.as_user)?;
    let key = args
        .key
        .unwrap_or_else(|| shebao_app::new_id("contribution-run"));
    let started = std::time::Instant::now();
    let request = shebao_app::insurance::contribution_run::ContributionRunRequest {
        region: args.region,
        month: args.month,
    };
    // The bar ends its line when the last chunk is written, before the run's log line.
    let run = with_progress("persons", |bar| {
        app.run_contributions(&actor, &key, request, &mut |done, total| {
            bar.show_until_done(done, total)
        })
    })?;
    let mut out = serde_json::to_value(&run).map_err(|e| e.to_string())?;
    out["key"] = json!(key);
    Ok(print_timed(out, started))
}

/// Runs `work` with a progress bar counting `what`, ended whatever the outcome, so that an
/// error starts on a line of its own.
fn with_progress<T>(
    what: &'static str,
    work: impl FnOnce(&mut config::ProgressBar) -> Result<T, shebao_app::AppError>,
) -> Result<T, String> {
    let mut bar = config::ProgressBar::new(what);
    let outcome = work(&mut bar);
    bar.finish();
    outcome.map_err(|e| e.to_string())
}

/// Prints a command's answer with the seconds it took since `started`.
fn print_timed(mut out: serde_json::Value, started: std::time::Instant) -> ExitCode {
    out["seconds"] = json!(started.elapsed().as_secs_f64());
    println!("{out}");
    ExitCode::SUCCESS
}

fn app(db: Option<&str>, keys: &std::path::Path) -> Result<App, String> {
    let vault = Vault::load(keys).map_err(|e| e.to_string())?;
    Ok(App::new(open_store(db)?, vault, clock::clock()))
}

/// The application, and the login `username` acting in it.
fn app_as(
    db: Option<&str>,
    keys: &std::path::Path,
    username: &str,
) -> Result<(App, Actor), String> {
    let app = app(db, keys)?;
    let actor = app
        .actor_for_username(username)
        .map_err(|e| e.to_string())?;
    Ok((app, actor))
}

/// The application for the audit commands, which need no keys: a throwaway vault serves
/// when none is given.
fn audit_app(db: Option<&str>, keys: Option<&std::path::Path>) -> Result<App, String> {
    let vault = match keys {
        Some(path) => Vault::load(path).map_err(|e| e.to_string())?,
        None => Vault::parse(&Vault::generate_file()).map_err(|e| e.to_string())?,
    };
    Ok(App::new(open_store(db)?, vault, clock::clock()))
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
    (sign_in_rate, lookup_rate): (SignInRate, LookupRate),
    limits: &config::LimitFlags,
    print: config::PrintFlags,
) -> Result<ExitCode, String> {
    // The metrics recorder before the store opens, so the writes of starting are counted too.
    let _metrics = shebao_http::Metrics::installed();
    let (app, demo_data) = if demo {
        let (app, data) = config::demo_app(db.as_deref())?;
        (app, Some(data))
    } else {
        let keys = keys.ok_or(
            "no key file: pass --keys or SHEBAO_KEYS_FILE (create one with `shebao keys generate`)",
        )?;
        (app(db.as_deref(), &keys)?, None)
    };
    let app = app.with_lookup_rate(lookup_rate);
    let app = app.with_batch_limits(limits.batches());
    index_person_names(&app)?;
    let http_limits = limits.http();
    let runtime = config::server_runtime(&http_limits).map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let public_url = print
            .public_url
            .unwrap_or_else(|| format!("http://{address}"));
        let app = app.with_certificate_print(print.certificate_font, &public_url);
        match app.certificate_font() {
            Ok(font) => tracing::info!(target: "shebao", %font, %public_url, "certificates embed their font"),
            Err(error) => tracing::warn!(target: "shebao", %error, "certificates will not embed a font: readers without a Chinese font cannot show them"),
        }
        println!("Shebao is listening on http://{address}/ (API docs: http://{address}/docs)");
        if let Some(data) = demo_data {
            config::print_demo(&data);
        }
        tracing::info!(target: "shebao", store = app.store().kind(), %address, %sign_in_rate, %lookup_rate, ?http_limits, batch_limits = ?app.batch_limits(), "serving");
        shebao_http::serve(listener, app, sign_in_rate, http_limits, config::shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Persons registered before names were indexed get their name's blind index (migration
/// `0011`), 500 to a transaction, walking the registry once by id before the service answers
/// a search by name; a person whose name cannot be read is logged by id and skipped.
fn index_person_names(app: &App) -> Result<(), String> {
    const BATCH: i64 = 500;
    let (mut after, mut indexed) = (String::new(), 0);
    loop {
        let done = app
            .index_person_names(&after, BATCH)
            .map_err(|error| format!("indexing names after person {after:?}: {error}"))?;
        indexed += done.indexed;
        for person in &done.skipped {
            tracing::warn!(target: "shebao", %person, "a name that cannot be read is not searchable by name");
        }
        match done.last {
            Some(last) => after = last,
            None => break,
        }
    }
    if indexed > 0 {
        tracing::info!(target: "shebao", indexed, "names indexed for the search by name");
    }
    Ok(())
}

/// Used by `config::demo_app` to seed as the operator.
pub(crate) fn operator() -> Actor {
    Actor::operator()
}

/// A new SQLite file in the temporary directory, for a benchmark run.
/// A fresh SQLite database for one benchmark, in a directory of its own under the temporary
/// directory. The directory (a few GiB at 1,000,000 holders) is removed when this is dropped,
/// after the run, whatever its outcome.
struct FreshBenchDatabase {
    dir: PathBuf,
    url: String,
}

impl FreshBenchDatabase {
    fn new() -> FreshBenchDatabase {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("shebao-bench-{nanos}"));
        let url = format!("sqlite:{}", dir.join("bench.db").display());
        FreshBenchDatabase { dir, url }
    }
}

impl Drop for FreshBenchDatabase {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_dir_all(&self.dir)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            eprintln!("could not remove {}: {error}", self.dir.display());
        }
    }
}

/// The database a benchmark runs on: the one given, or a fresh temporary one (kept alive, and
/// then removed, by the second value).
fn bench_database(db: Option<String>) -> (String, Option<FreshBenchDatabase>) {
    match db {
        Some(db) => (db, None),
        None => {
            let fresh = FreshBenchDatabase::new();
            (fresh.url.clone(), Some(fresh))
        }
    }
}
