//! Helpers for test suites: one throwaway database per test run (process), and in it one
//! schema per test, which is much faster to make than a database. Test-only: compiled when
//! a test target enables the `testing` feature.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);
static RUN_DATABASE: OnceLock<String> = OnceLock::new();

/// The server under test: `SHEBAO_TEST_POSTGRES_URL`, else the local server.
pub fn server_url() -> String {
    std::env::var("SHEBAO_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn connect(url: &str) -> postgres::Client {
    match postgres::Client::connect(url, postgres::NoTls) {
        Ok(client) => client,
        Err(error) => fail(&format!("PostgreSQL at {url} is unreachable: {error}")),
    }
}

#[allow(
    clippy::panic,
    reason = "a test without its database must fail, not skip"
)]
fn fail(message: &str) -> ! {
    panic!("{message}")
}

fn with_database(server: &str, name: &str) -> String {
    match server.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => fail(&format!(
            "SHEBAO_TEST_POSTGRES_URL must end in /database: {server}"
        )),
    }
}

/// This run's database, created on first use (after dropping those of finished runs).
fn run_database() -> &'static str {
    RUN_DATABASE.get_or_init(|| {
        let server = server_url();
        let mut admin = connect(&server);
        drop_abandoned(&mut admin);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() % 1_000_000_000)
            .unwrap_or_default();
        let name = format!("shebao_test_{}_{nanos}", std::process::id());
        if let Err(error) = admin.batch_execute(&format!("CREATE DATABASE {name}")) {
            fail(&format!("cannot create test database {name}: {error}"));
        }
        with_database(&server, &name)
    })
}

/// A fresh, empty place to test in: a new schema in this run's database. Returns a URL
/// whose connections use only that schema. Panics (failing the test, never skipping it)
/// when the server cannot be reached.
pub fn throwaway_database() -> String {
    let database = run_database();
    let schema = format!("t{}", COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Err(error) = connect(database).batch_execute(&format!("CREATE SCHEMA {schema}")) {
        fail(&format!("cannot create test schema {schema}: {error}"));
    }
    format!("{database}?options=-c%20search_path%3D{schema}")
}

/// Drops test databases left by test runs that are no longer running, so repeated runs
/// do not fill the server. Databases of live processes are left alone.
fn drop_abandoned(admin: &mut postgres::Client) {
    let Ok(rows) = admin.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'shebao_test_%'",
        &[],
    ) else {
        return;
    };
    for row in rows {
        let name: String = row.get(0);
        let pid = name.split('_').nth(2).unwrap_or_default();
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _dropped =
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
