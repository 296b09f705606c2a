//! The PostgreSQL store. Writes run in SERIALIZABLE transactions and are retried when the
//! server reports a serialization failure or deadlock, so application code can read, decide
//! and write as if alone. Reads run in REPEATABLE READ, READ ONLY snapshots. Connections come
//! from a small bounded pool.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, IsolationLevel, NoTls};
use shebao_store::{Backend, Conn, Job, JobAbort, Mode, Row, Store, StoreError, Val};

/// Most attempts of one write before its serialization failures are reported.
const WRITE_ATTEMPTS_MAX: u32 = 200;

const MIGRATIONS: [(&str, &str); 5] = [
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_insurance",
        include_str!("../migrations/0002_insurance.sql"),
    ),
    (
        "0003_medical",
        include_str!("../migrations/0003_medical.sql"),
    ),
    (
        "0004_audit_purge",
        include_str!("../migrations/0004_audit_purge.sql"),
    ),
    (
        "0005_settlement_diagnosis",
        include_str!("../migrations/0005_settlement_diagnosis.sql"),
    ),
];

/// The PostgreSQL backend.
pub struct PostgresBackend {
    config: Config,
    idle: Mutex<Pool>,
    available: Condvar,
}

struct Pool {
    clients: Vec<Client>,
    open: usize,
    max: usize,
}

/// Connects to `url`, migrates the database and returns a store with at most `pool_max`
/// connections. Must not be called from inside an async runtime's worker thread.
pub fn open(url: &str, pool_max: usize) -> Result<Store, StoreError> {
    Ok(Store::new(Arc::new(PostgresBackend::open(url, pool_max)?)))
}

fn backend_error(error: postgres::Error) -> StoreError {
    match error.code() {
        Some(code)
            if *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED =>
        {
            StoreError::Retry
        }
        Some(code)
            if *code == SqlState::UNIQUE_VIOLATION
                || *code == SqlState::CHECK_VIOLATION
                || *code == SqlState::FOREIGN_KEY_VIOLATION
                || *code == SqlState::NOT_NULL_VIOLATION =>
        {
            let what = error
                .as_db_error()
                .map_or_else(|| error.to_string(), |db| db.message().to_owned());
            StoreError::Conflict { what }
        }
        Some(code) => StoreError::Backend(match error.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), code.code()),
            None => error.to_string(),
        }),
        None if error.is_closed() => StoreError::Unavailable(error.to_string()),
        None => StoreError::Unavailable(error.to_string()),
    }
}

impl PostgresBackend {
    pub fn open(url: &str, pool_max: usize) -> Result<PostgresBackend, StoreError> {
        let mut config: Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::Unavailable(e.to_string()))?;
        config.connect_timeout(Duration::from_secs(10));
        let backend = PostgresBackend {
            config,
            idle: Mutex::new(Pool {
                clients: Vec::new(),
                open: 0,
                max: pool_max.max(1),
            }),
            available: Condvar::new(),
        };
        let mut client = backend.connect()?;
        migrate(&mut client)?;
        backend.give_back(Some(client));
        Ok(backend)
    }

    fn connect(&self) -> Result<Client, StoreError> {
        self.config.connect(NoTls).map_err(backend_error)
    }

    /// Takes an idle connection, opens one below the limit, or waits for one.
    fn take(&self) -> Result<Client, StoreError> {
        let poisoned = |_| StoreError::Backend("connection pool poisoned".into());
        let mut pool = self.idle.lock().map_err(poisoned)?;
        loop {
            if let Some(client) = pool.clients.pop() {
                if !client.is_closed() {
                    return Ok(client);
                }
                pool.open -= 1;
                continue;
            }
            if pool.open < pool.max {
                pool.open += 1;
                drop(pool);
                return self.connect().inspect_err(|_| {
                    if let Ok(mut pool) = self.idle.lock() {
                        pool.open -= 1;
                    }
                });
            }
            pool = self.available.wait(pool).map_err(poisoned)?;
        }
    }

    /// Returns a connection (or `None` for one that broke) and wakes a waiter.
    fn give_back(&self, client: Option<Client>) {
        if let Ok(mut pool) = self.idle.lock() {
            match client {
                Some(client) if !client.is_closed() => pool.clients.push(client),
                _ => pool.open -= 1,
            }
        }
        self.available.notify_one();
    }

    fn attempt(client: &mut Client, mode: Mode, job: &mut Job) -> Result<(), StoreError> {
        let (isolation, read_only) = match mode {
            Mode::Read => (IsolationLevel::RepeatableRead, true),
            Mode::Write => (IsolationLevel::Serializable, false),
        };
        let mut transaction = client
            .build_transaction()
            .isolation_level(isolation)
            .read_only(read_only)
            .start()
            .map_err(backend_error)?;
        let outcome = job(&mut PostgresConn(&mut transaction));
        match outcome {
            Ok(()) if mode == Mode::Write => transaction.commit().map_err(backend_error),
            Ok(()) | Err(JobAbort::Rollback) => transaction.rollback().map_err(backend_error),
            Err(JobAbort::Store(error)) => {
                let _rolled_back = transaction.rollback();
                Err(error)
            }
        }
    }
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    // One migrator at a time across processes.
    client
        .batch_execute("SELECT pg_advisory_lock(727274)")
        .map_err(backend_error)?;
    let outcome = (|| {
        client
            .batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            .map_err(backend_error)?;
        for (name, sql) in MIGRATIONS {
            let applied = client
                .query("SELECT 1 FROM schema_migrations WHERE name = $1", &[&name])
                .map_err(backend_error)?;
            if applied.is_empty() {
                let mut transaction = client.transaction().map_err(backend_error)?;
                transaction.batch_execute(sql).map_err(backend_error)?;
                transaction
                    .execute(
                        "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, EXTRACT(EPOCH FROM now())::BIGINT)",
                        &[&name],
                    )
                    .map_err(backend_error)?;
                transaction.commit().map_err(backend_error)?;
            }
        }
        Ok(())
    })();
    client
        .batch_execute("SELECT pg_advisory_unlock(727274)")
        .map_err(backend_error)?;
    outcome
}

impl Backend for PostgresBackend {
    fn run(&self, mode: Mode, mut job: Job) -> Result<(), StoreError> {
        let mut client = self.take()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = Self::attempt(&mut client, mode, &mut job);
            match outcome {
                Err(StoreError::Retry) if attempt < WRITE_ATTEMPTS_MAX => {
                    std::thread::sleep(backoff(attempt));
                }
                Err(StoreError::Unavailable(cause)) => {
                    self.give_back(None);
                    return Err(StoreError::Unavailable(cause));
                }
                other => {
                    self.give_back(Some(client));
                    return other;
                }
            }
        }
    }

    fn kind(&self) -> &'static str {
        "postgres"
    }
}

/// A random pause that grows with the attempt, so colliding writers spread out instead of
/// colliding again in step. The clock's low bits are random enough for jitter.
fn backoff(attempt: u32) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let ceiling_micros = 500 * u64::from(attempt.min(20));
    Duration::from_micros(100 + u64::from(nanos) % ceiling_micros.max(1))
}

struct PostgresConn<'t, 'c>(&'t mut postgres::Transaction<'c>);

fn bind(params: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|value| match value {
            Val::Int(n) => n as &(dyn ToSql + Sync),
            Val::Text(text) => text as &(dyn ToSql + Sync),
        })
        .collect()
}

impl Conn for PostgresConn<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        self.0.execute(sql, &bind(params)).map_err(backend_error)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let rows = self.0.query(sql, &bind(params)).map_err(backend_error)?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        let column_type = row.columns()[i].type_();
                        if *column_type == Type::INT8 {
                            row.try_get::<_, Option<i64>>(i).map(Val::Int)
                        } else if *column_type == Type::INT4 {
                            row.try_get::<_, Option<i32>>(i)
                                .map(|n| Val::Int(n.map(i64::from)))
                        } else {
                            row.try_get::<_, Option<String>>(i).map(Val::Text)
                        }
                        .map_err(backend_error)
                    })
                    .collect()
            })
            .collect()
    }
}

/// Helpers for test suites: one throwaway database per test run (process), and in it one
/// schema per test, which is much faster to make than a database.
pub mod testing {
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
}
