//! Choosing the store from a URL, logging, keys on disk, the demo set-up, shutdown.

use std::path::{Path, PathBuf};
use std::time::Duration;

use shebao_app::demo::DemoData;
use shebao_app::money::batch::BatchLimits;
use shebao_app::{App, Vault};
use shebao_domain::access::Role;
use shebao_domain::ids::UserId;
use shebao_domain::time::{Date, Timestamp};
use shebao_http::Limits;
use shebao_store::Store;

/// Connections to PostgreSQL per process.
const POSTGRES_POOL: usize = 16;
/// Where `serve --demo` keeps its database and keys.
const DEMO_DIR: &str = "shebao-demo";

pub fn init_logging() {
    let level = match std::env::var("SHEBAO_LOG").unwrap_or_default().as_str() {
        "debug" => tracing::Level::DEBUG,
        "warn" => tracing::Level::WARN,
        "error" => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_ansi(false)
        .init();
    // Panic output goes to the log like everything else, and is redacted the same way: a
    // panic's message may quote data it was handling.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(target: "shebao::panic", location = location.as_str(), message = redact(&message).as_str(), "panic");
    }));
}

/// A text with every run of six or more digits (ID, card and account numbers, PINs, amounts
/// alike; single spaces inside a run, as in a card number printed in groups, count as part
/// of it) and every character outside ASCII (names, diagnoses) replaced, so a panic message
/// that quoted personal data does not carry it into the log.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let kept = run.trim_end();
        let trailing = run.len() - kept.len();
        if kept.chars().filter(char::is_ascii_digit).count() >= 6 {
            out.push_str("[digits]");
        } else {
            out.push_str(kept);
        }
        out.push_str(&" ".repeat(trailing));
        run.clear();
    };
    for c in text.chars() {
        let continues =
            !run.is_empty() && (c == ' ' || c == 'X' || c == 'x') && !run.ends_with(' ');
        if c.is_ascii_digit() || continues {
            run.push(c);
            continue;
        }
        flush(&mut run, &mut out);
        out.push(if c.is_ascii() { c } else { '*' });
    }
    flush(&mut run, &mut out);
    out
}

/// Opens the store a URL names: `postgres://` or `postgresql://` for PostgreSQL, else
/// SQLite (`sqlite:PATH`, `sqlite://PATH` or a bare path; default `shebao.db`).
pub fn open_store(url: Option<&str>) -> Result<Store, String> {
    let url = url.unwrap_or("sqlite:shebao.db");
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return shebao_store_postgres::open(url, POSTGRES_POOL)
            .map_err(|e| format!("PostgreSQL: {e}"));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    shebao_store_sqlite::open(Path::new(path)).map_err(|e| format!("SQLite {path}: {e}"))
}

/// The `today` an ID number is read with, where no region is at hand (`id inspect`).
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
        .unwrap_or(0);
    shebao_domain::person::identity::citizen_id_today(Timestamp::from_unix_seconds(seconds))
}

/// Writes a fresh key file readable by its owner only; never overwrites.
pub fn write_new_key_file(path: &Path) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(Vault::generate_file().as_bytes())
        .map_err(|e| e.to_string())
}

/// Adds a card key root to the key file at `path` if it has none (written beside it, mode
/// 0600, then renamed over it): whether one was added.
pub fn add_card_root(path: &Path) -> Result<bool, String> {
    use std::io::Write;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let Some(updated) = Vault::with_card_root(&text).map_err(|e| e.to_string())? else {
        return Ok(false);
    };
    let temporary = path.with_extension("card-root.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&temporary)
        .map_err(|e| format!("cannot create {}: {e}", temporary.display()))?;
    file.write_all(updated.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| e.to_string())?;
    std::fs::rename(&temporary, path).map_err(|e| e.to_string())?;
    Ok(true)
}

/// A fresh demo: new keys and database under ./shebao-demo (or the given database), an
/// administrator and the demo data set.
pub fn demo_app(db: Option<&str>) -> Result<(App, DemoData), String> {
    let dir = PathBuf::from(DEMO_DIR);
    if db.is_none() && dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("cannot clear {DEMO_DIR}: {e}"))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let keys = dir.join("keys.json");
    if keys.exists() {
        std::fs::remove_file(&keys).map_err(|e| e.to_string())?;
    }
    write_new_key_file(&keys)?;
    let db_url = db
        .map(str::to_owned)
        .unwrap_or_else(|| format!("sqlite:{DEMO_DIR}/shebao.db"));
    let vault = Vault::load(&keys).map_err(|e| e.to_string())?;
    let app = App::new(open_store(Some(&db_url))?, vault, crate::clock::clock());
    let (admin, password) = app.init_administrator("admin").map_err(|e| e.to_string())?;
    let mut operator = crate::operator();
    operator.user_id = UserId::new(admin.id);
    operator.username = admin.username.clone();
    operator.role = Role::Administrator;
    let mut data = app.seed_demo(&operator).map_err(|e| e.to_string())?;
    data.logins.insert(
        0,
        shebao_app::demo::DemoLogin {
            username: admin.username,
            password,
            role: "administrator".into(),
            note: "reference data and logins".into(),
        },
    );
    Ok((app, data))
}

#[allow(clippy::print_stdout, reason = "the demo prints its one-time logins")]
pub fn print_demo(data: &DemoData) {
    println!("\nDemo logins (passwords are generated now and shown once):");
    for login in &data.logins {
        println!(
            "  {:<14} {:<22} {:<14} {}",
            login.username, login.password, login.role, login.note
        );
    }
    println!(
        "\nDemo cardholders (ID numbers are published test vectors; demo PINs shown for trying the API):"
    );
    for holder in &data.holders {
        println!(
            "  {:<20} card {:<22} {:<22} social PIN {} financial PIN {} card number {} identification code {} bank card {}",
            holder.state,
            holder.card_id,
            holder.citizen_id,
            holder.social_pin,
            holder.financial_pin.as_deref().unwrap_or("-"),
            holder.card_number,
            holder.identification_code,
            holder.bank_card_number.as_deref().unwrap_or("-")
        );
    }
    println!(
        "\nSign in: curl -s -X POST http://ADDRESS/api/v1/sessions -H 'content-type: application/json' -d '{{\"username\":\"clerk\",\"password\":\"…\"}}'"
    );
    println!(
        "Metrics (the operator's): curl -s http://ADDRESS/metrics -H \"authorization: Bearer $(shebao admin metrics-token --keys {DEMO_DIR}/keys.json | jq -r .token)\""
    );
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!(target: "shebao", "shutting down");
}

/// The server's limits (issue 13, findings 2 and 10), each a flag with an environment
/// variable; the defaults are `shebao_http::Limits::default()` and
/// `shebao_app::money::batch::BatchLimits::default()`.
#[derive(clap::Args, Debug, Clone)]
pub struct LimitFlags {
    /// Connections open at once; one more is answered 503 `busy` and closed.
    #[arg(long, env = "SHEBAO_CONNECTIONS_MAX", default_value_t = Limits::default().connections_max)]
    pub connections_max: usize,
    /// Seconds a client has to send a request's head (from the connection's opening or its
    /// previous answer); the connection is closed after it.
    #[arg(long, env = "SHEBAO_HEADER_TIMEOUT", default_value_t = Seconds(Limits::default().header_read_timeout))]
    pub header_timeout: Seconds,
    /// Seconds a client has to send a request's body; 408 `request_timeout` after it.
    #[arg(long, env = "SHEBAO_BODY_TIMEOUT", default_value_t = Seconds(Limits::default().body_timeout))]
    pub body_timeout: Seconds,
    /// Seconds a request may take in all; 503 `server_timeout` after it.
    #[arg(long, env = "SHEBAO_REQUEST_TIMEOUT", default_value_t = Seconds(Limits::default().request_timeout))]
    pub request_timeout: Seconds,
    /// Application calls running at once, each on a blocking thread; more wait.
    #[arg(long, env = "SHEBAO_CALLS_MAX", default_value_t = Limits::default().calls_max)]
    pub calls_max: usize,
    /// Requests at once whose body may exceed 64 KiB (batches, declarations); one more is
    /// answered 503 `busy`.
    #[arg(long, env = "SHEBAO_LARGE_BODIES_MAX", default_value_t = Limits::default().large_bodies_max)]
    pub large_bodies_max: usize,
    /// Worker threads shared by all batches, preparing their operations (reading,
    /// authorising, fingerprinting each) before the money engine applies a batch as one unit.
    #[arg(long, env = "SHEBAO_BATCH_WORKERS", default_value_t = BatchLimits::default().workers)]
    pub batch_workers: usize,
    /// Batches running or waiting at once; one more is answered 503 `busy`.
    #[arg(long, env = "SHEBAO_BATCHES_MAX", default_value_t = BatchLimits::default().batches_max)]
    pub batches_max: usize,
    /// A reverse proxy in front of the service (repeat, or comma-separated): from it, the
    /// client's address for the per-address limits is the right-most X-Forwarded-For address
    /// that is not a trusted proxy. Without it every client behind a proxy shares its address.
    #[arg(
        long = "trusted-proxy",
        env = "SHEBAO_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl LimitFlags {
    pub fn http(&self) -> Limits {
        Limits {
            connections_max: self.connections_max,
            header_read_timeout: self.header_timeout.0,
            body_timeout: self.body_timeout.0,
            request_timeout: self.request_timeout.0,
            calls_max: self.calls_max,
            large_bodies_max: self.large_bodies_max,
            trusted_proxies: self.trusted_proxies.clone(),
        }
    }

    pub fn batches(&self) -> BatchLimits {
        BatchLimits {
            workers: self.batch_workers,
            batches_max: self.batches_max,
        }
    }
}

/// How certificates are printed: the CJK font they embed and where their QR codes point.
#[derive(clap::Args, Debug, Clone)]
pub struct PrintFlags {
    /// An OpenType font (or collection) with Chinese characters that certificates embed the
    /// glyphs they use of; default: Debian's Noto CJK (`apt install fonts-noto-cjk`).
    #[arg(long, env = "SHEBAO_CERTIFICATE_FONT")]
    pub certificate_font: Option<PathBuf>,
    /// The address the public reaches this service at (e.g. `https://shebao.example.gov.cn`):
    /// the certificates' QR codes open its verification page. Default: the listening address.
    #[arg(long, env = "SHEBAO_PUBLIC_URL")]
    pub public_url: Option<String>,
}

/// A duration given in (possibly fractional) seconds.
#[derive(Debug, Clone, Copy)]
pub struct Seconds(pub Duration);

impl std::str::FromStr for Seconds {
    type Err = String;

    fn from_str(text: &str) -> Result<Seconds, String> {
        text.parse::<f64>()
            .ok()
            .filter(|seconds| *seconds > 0.0)
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
            .map(Seconds)
            .ok_or_else(|| format!("{text:?} is not a positive number of seconds"))
    }
}

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.as_secs_f64())
    }
}

/// Blocking threads beyond the application calls' places, for the runtime's own use.
const BLOCKING_THREADS_SPARE: usize = 16;

/// The server's runtime: its blocking threads bounded by the calls allowed at once.
pub fn server_runtime(limits: &Limits) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(limits.calls_max.max(1) + BLOCKING_THREADS_SPARE)
        .build()
}

/// A progress bar on standard error, redrawn in place; silent when nothing is done yet.
pub struct ProgressBar {
    what: &'static str,
    last_percent: Option<usize>,
    ended: bool,
}

impl ProgressBar {
    pub fn new(what: &'static str) -> ProgressBar {
        ProgressBar {
            what,
            last_percent: None,
            ended: false,
        }
    }

    pub fn show(&mut self, done: usize, total: usize) {
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        if self.last_percent == Some(percent) {
            return;
        }
        self.last_percent = Some(percent);
        let filled = percent * 30 / 100;
        eprint!(
            "\r[{}{}] {percent:>3}% {done}/{total} {}",
            "#".repeat(filled),
            " ".repeat(30 - filled),
            self.what
        );
    }

    /// Shows the progress, and ends the bar's line as soon as all is done, so that what is
    /// logged after the last step (before the caller gets its answer) starts a line of its own.
    pub fn show_until_done(&mut self, done: usize, total: usize) {
        self.show(done, total);
        if done == total {
            self.finish();
        }
    }

    /// Ends the bar's line, once: a second call does nothing.
    pub fn finish(&mut self) {
        if std::mem::replace(&mut self.ended, true) {
            return;
        }
        if self.last_percent.is_some() {
            eprintln!();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn panic_messages_lose_numbers_and_names() {
        assert_eq!(
            redact("called `Result::unwrap()` on 11010519491231002X for 陈伟 pin 913752 at row 42"),
            "called `Result::unwrap()` on [digits] for ** pin [digits] at row 42"
        );
        assert_eq!(redact("card 6212 2612 3456 7890 ok"), "card [digits] ok");
        assert_eq!(redact("at 12 34 and 2026"), "at 12 34 and 2026");
        assert_eq!(redact(""), "");
    }
}
