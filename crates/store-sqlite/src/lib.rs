//! The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so an
//! acknowledged write survives power loss.
//!
//! All writes go to one writer thread ([`shebao_store::writer`]). It takes every job waiting
//! in its queue (up to [`GROUP_MAX`]), runs each in its own savepoint inside one transaction,
//! commits once, and only then answers each caller: many requests share one `fsync` (group
//! commit), and a job that refuses rolls back to its savepoint without touching the others.
//! Reads run on a small pool of read-only connections, each in its own snapshot.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, ErrorCode, OpenFlags, params_from_iter, types::ValueRef};
use shebao_store::schema::{self, Dialect, Migration, Migrator};
use shebao_store::writer::{GroupBackend, GroupWriter, QUEUE_MAX, Session};
use shebao_store::{Cause, Conn, Job, JobAbort, Row, Store, StoreError, Val};

mod backup;
pub mod baseline;
pub mod files;
pub use backup::backup;

/// Most jobs committed together. Bounded so one commit's latency stays small.
pub const GROUP_MAX: usize = 512;
/// Most idle read connections kept.
const READERS_MAX: usize = 16;

/// What SQLite runs in its own dialect; the rest of the schema is shared
/// ([`shebao_store::schema`]).
const DIALECT: Dialect = shebao_store::dialect!();

/// The SQLite backend.
pub struct SqliteBackend {
    path: PathBuf,
    writer: GroupWriter,
    readers: Mutex<Vec<Connection>>,
}

/// Opens (creating if needed) the database at `path`, migrates it and starts the writer.
pub fn open(path: &Path) -> Result<Store, StoreError> {
    Ok(Store::new(Arc::new(SqliteBackend::open(path)?)))
}

fn backend_error(error: rusqlite::Error) -> StoreError {
    let (code, message) = match &error {
        rusqlite::Error::SqliteFailure(failure, message) => (Some(failure.code), message.clone()),
        _ => (None, None),
    };
    match code {
        Some(ErrorCode::ConstraintViolation) => StoreError::Conflict {
            what: message.unwrap_or_else(|| "constraint".into()),
        },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Retry,
        Some(ErrorCode::DiskFull) => StoreError::Full(Cause::new(error)),
        Some(ErrorCode::CannotOpen | ErrorCode::NotADatabase | ErrorCode::ReadOnly) => {
            StoreError::Unavailable(Cause::new(error))
        }
        _ => StoreError::Backend(Cause::new(error)),
    }
}

/// The first column of the one row `sql` answers.
fn query_first<T: rusqlite::types::FromSql>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<T, StoreError> {
    conn.query_row(sql, params, |row| row.get(0))
        .map_err(backend_error)
}

/// Statements each connection keeps prepared: more than one use case's whole set (a
/// settlement runs about 30 different ones), so none is parsed again per request.
const STATEMENT_CACHE: usize = 256;

/// The writer's page cache (KiB). SQLite's default (2 MiB) holds far less than the pages a
/// group of money commands touches in a registry of a million holders, and every page it
/// misses is read again from the operating system (issue 16's profile: a third of the
/// writer's time was the kernel copying pages).
const WRITER_CACHE_KIB: u32 = 64 * 1024;

fn configure(conn: &Connection, writer: bool) -> Result<(), StoreError> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(backend_error)?;
    let pragmas = if writer {
        format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
             PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{WRITER_CACHE_KIB};"
        )
    } else {
        // Readers keep SQLite's default cache: a reader's cache is emptied whenever a write
        // committed since its last read, and a bigger one only costs more to empty.
        "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;".to_owned()
    };
    conn.execute_batch(&pragmas).map_err(backend_error)
}

/// The migrations as SQLite runs them.
fn migrations() -> [Migration; 24] {
    schema::migrations(&DIALECT)
}

fn migrate(conn: &Connection) -> Result<(), StoreError> {
    schema::migrate(&mut SqliteMigrator(conn), &migrations())
}

struct SqliteMigrator<'c>(&'c Connection);

impl Migrator for SqliteMigrator<'_> {
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.0.execute_batch(sql).map_err(backend_error)
    }

    fn applied(&mut self, name: &str) -> Result<bool, StoreError> {
        let applied: i64 = query_first(
            self.0,
            "SELECT COUNT(*) FROM schema_migrations WHERE name = ?1",
            [name],
        )?;
        Ok(applied != 0)
    }

    fn apply(&mut self, name: &str, sql: &str) -> Result<(), StoreError> {
        self.batch(&format!(
            "BEGIN IMMEDIATE; {sql}; INSERT INTO schema_migrations (name, applied_at) VALUES ('{name}', unixepoch()); COMMIT;"
        ))
    }
}

impl GroupBackend for SqliteBackend {
    const KIND: &'static str = "sqlite";

    fn writer(&self) -> &GroupWriter {
        &self.writer
    }

    fn run_read(&self, mut job: Job) -> Result<(), StoreError> {
        let conn = self.reader()?;
        conn.execute_batch("BEGIN").map_err(backend_error)?;
        let outcome = job(&mut SqliteConn(&conn));
        let end = conn.execute_batch("ROLLBACK").map_err(backend_error);
        if end.is_ok()
            && let Ok(mut pool) = self.readers.lock()
            && pool.len() < READERS_MAX
        {
            pool.push(conn);
        }
        end?;
        match outcome {
            Ok(()) | Err(JobAbort::Rollback) => Ok(()),
            Err(JobAbort::Store(error)) => Err(error),
        }
    }
}

impl SqliteBackend {
    pub fn open(path: &Path) -> Result<SqliteBackend, StoreError> {
        files::prepare_database(path).map_err(|e| StoreError::Unavailable(Cause::new(e)))?;
        let conn = Connection::open(path).map_err(backend_error)?;
        configure(&conn, true)?;
        migrate(&conn)?;
        let writer = GroupWriter::start(
            Self::KIND,
            SqliteSession {
                conn,
                data_version: None,
            },
            GROUP_MAX,
            QUEUE_MAX,
        )?;
        Ok(SqliteBackend {
            path: path.to_owned(),
            writer,
            readers: Mutex::new(Vec::new()),
        })
    }

    fn reader(&self) -> Result<Connection, StoreError> {
        if let Some(conn) = self.readers.lock().ok().and_then(|mut pool| pool.pop()) {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(backend_error)?;
        configure(&conn, false)?;
        Ok(conn)
    }
}

/// The writer's connection: control statements are prepared once and cached like the rest.
struct SqliteSession {
    conn: Connection,
    /// `PRAGMA data_version` when last asked: it changes when another connection commits.
    data_version: Option<i64>,
}

impl Session for SqliteSession {
    fn control(&mut self, sql: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut statement| statement.execute([]))
            .map(|_| ())
            .map_err(backend_error)
    }

    fn conn(&mut self) -> &mut dyn Conn {
        self
    }

    fn begin(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }
}

impl Conn for SqliteSession {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        SqliteConn(&self.conn).execute(sql, params)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        SqliteConn(&self.conn).query(sql, params)
    }

    fn written_elsewhere(&mut self) -> Result<bool, StoreError> {
        let now = query_first::<i64>(&self.conn, "PRAGMA data_version", [])?;
        let before = self.data_version.replace(now);
        Ok(before != Some(now))
    }
}

/// Rewrites portable `$n` placeholders to SQLite's numbered `?n`.
fn numbered(sql: &str) -> String {
    sql.replace('$', "?")
}

struct SqliteConn<'c>(&'c Connection);

fn bind(params: &[Val]) -> Vec<rusqlite::types::Value> {
    params
        .iter()
        .map(|value| match value {
            Val::Int(Some(n)) => rusqlite::types::Value::Integer(*n),
            Val::Text(Some(text)) => rusqlite::types::Value::Text(text.clone()),
            Val::Int(None) | Val::Text(None) => rusqlite::types::Value::Null,
        })
        .collect()
}

impl Conn for SqliteConn<'_> {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let mut statement = self
            .0
            .prepare_cached(&numbered(sql))
            .map_err(backend_error)?;
        let changed = statement
            .execute(params_from_iter(bind(params)))
            .map_err(backend_error)?;
        u64::try_from(changed).map_err(|e| StoreError::Backend(Cause::new(e)))
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let mut statement = self
            .0
            .prepare_cached(&numbered(sql))
            .map_err(backend_error)?;
        let columns = statement.column_count();
        let mut rows = statement
            .query(params_from_iter(bind(params)))
            .map_err(backend_error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(backend_error)? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                let value = match row.get_ref(i).map_err(backend_error)? {
                    ValueRef::Null => Val::Text(None),
                    ValueRef::Integer(n) => Val::Int(Some(n)),
                    ValueRef::Text(bytes) => {
                        Val::Text(Some(String::from_utf8_lossy(bytes).into_owned()))
                    }
                    ValueRef::Real(_) | ValueRef::Blob(_) => {
                        return Err(StoreError::Corrupt(format!(
                            "unexpected column type at {i}"
                        )));
                    }
                };
                values.push(value);
            }
            out.push(values);
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    /// Issue 13, finding 9: parameter versions stored before migration 0008 gain its three
    /// parameters, so that every version still reads; a version that has them keeps its own.
    #[test]
    fn migration_0008_gives_stored_parameter_versions_the_approval_limits() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .unwrap();
        for (name, sql) in migrations().iter().filter(|(name, _)| *name < "0008") {
            conn.execute_batch(sql).unwrap();
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, 0)",
                [name],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO regions (code, name, created_at) VALUES ('330100', 'Hangzhou', 0);
             INSERT INTO region_parameters VALUES ('330100', '2020-01-01', '{\"single_operation_max_fen\":500000000}', 'admin', 0);
             INSERT INTO region_parameters VALUES ('330100', '2021-01-01', '{\"manual_credit_approval_above_fen\":1,\"manual_credit_daily_max_fen\":2,\"approval_request_valid_hours\":3}', 'admin', 0);",
        )
        .unwrap();
        migrate(&conn).unwrap();
        let read = |from: &str, field: &str| -> i64 {
            conn.query_row(
                &format!("SELECT json_extract(body, '$.{field}') FROM region_parameters WHERE effective_from = ?1"),
                [from],
                |row| row.get(0),
            )
            .unwrap()
        };
        assert_eq!(
            read("2020-01-01", "manual_credit_approval_above_fen"),
            5_000_000
        );
        assert_eq!(
            read("2020-01-01", "manual_credit_daily_max_fen"),
            20_000_000
        );
        assert_eq!(read("2020-01-01", "approval_request_valid_hours"), 72);
        assert_eq!(read("2020-01-01", "single_operation_max_fen"), 500_000_000);
        assert_eq!(read("2021-01-01", "manual_credit_approval_above_fen"), 1);
        assert_eq!(read("2021-01-01", "approval_request_valid_hours"), 3);
    }

    /// Vacancies posted before migration 0014 are found after it (their index rows are made
    /// again, keyed by their new `search_rowid`), and one posted after it takes the next key.
    #[test]
    fn migration_0014_keeps_earlier_vacancies_searchable() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .unwrap();
        for (name, sql) in migrations().iter().filter(|(name, _)| *name < "0014") {
            conn.execute_batch(sql).unwrap();
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, 0)",
                [name],
            )
            .unwrap();
        }
        let vacancy = |id: &str, terms: &str| {
            format!(
                "INSERT INTO vacancies (id, employer_id, title, occupation, place, wage_min_fen, \
                 wage_max_fen, requirements, openings, closing, status, search_terms, posted_by, \
                 posted_at, version) VALUES ('{id}', 'e1', 't', '2-02', '330106', 1, 2, 'r', 1, \
                 '2027-01-31', 'published', '{terms}', 'hr', 0, 0);"
            )
        };
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF; {} {}",
            vacancy("v1", "会 计 会计"),
            vacancy("v2", "司 机 司机")
        ))
        .unwrap();
        migrate(&conn).unwrap();
        conn.execute_batch(&vacancy("v3", "会 计 会计 主 管 主管"))
            .unwrap();
        let found = |term: &str| -> Vec<String> {
            let mut statement = conn
                .prepare(
                    "SELECT id FROM vacancies WHERE search_rowid IN \
                     (SELECT rowid FROM vacancy_search WHERE vacancy_search MATCH ?1) ORDER BY id",
                )
                .unwrap();
            statement
                .query_map([term], |row| row.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(found("会计"), ["v1", "v3"]);
        assert_eq!(found("司机"), ["v2"]);
        let keys: Vec<i64> = conn
            .prepare("SELECT search_rowid FROM vacancies ORDER BY id")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(keys, [1, 2, 3]);
    }

    #[test]
    fn every_migration_runs_the_text_it_ran_when_written() {
        assert_eq!(
            shebao_store::conformance::migrations_differ(&migrations(), "sqlite"),
            Vec::<String>::new()
        );
    }
}
