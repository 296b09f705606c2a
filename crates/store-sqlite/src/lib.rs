//! The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so an
//! acknowledged write survives power loss.
//!
//! All writes go to one writer thread. It takes every job waiting in its queue (up to
//! [`GROUP_MAX`]), runs each in its own savepoint inside one transaction, commits once, and
//! only then answers each caller: many requests share one `fsync` (group commit), and a job
//! that refuses rolls back to its savepoint without touching the others. Reads run on a
//! small pool of read-only connections, each in its own snapshot.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;

use rusqlite::{Connection, ErrorCode, OpenFlags, params_from_iter, types::ValueRef};
use shebao_store::{Backend, Conn, Job, JobAbort, Mode, Row, Store, StoreError, Val};

mod backup;
pub mod baseline;
pub use backup::backup;

/// Most jobs committed together. Bounded so one commit's latency stays small.
pub const GROUP_MAX: usize = 512;
/// Queue depth before callers wait: back-pressure instead of unbounded memory.
const QUEUE_MAX: usize = 4_096;
/// Most idle read connections kept.
const READERS_MAX: usize = 16;

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

struct WriteRequest {
    job: Job,
    reply: SyncSender<Result<(), StoreError>>,
}

/// The SQLite backend.
pub struct SqliteBackend {
    path: PathBuf,
    writer: Mutex<Option<SyncSender<WriteRequest>>>,
    writer_thread: Mutex<Option<thread::JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
}

/// Opens (creating if needed) the database at `path`, migrates it and starts the writer.
pub fn open(path: &Path) -> Result<Store, StoreError> {
    Ok(Store::new(Arc::new(SqliteBackend::open(path)?)))
}

fn backend_error(error: rusqlite::Error) -> StoreError {
    match &error {
        rusqlite::Error::SqliteFailure(failure, message) => match failure.code {
            ErrorCode::ConstraintViolation => StoreError::Conflict {
                what: message.clone().unwrap_or_else(|| "constraint".into()),
            },
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Retry,
            ErrorCode::CannotOpen | ErrorCode::NotADatabase | ErrorCode::ReadOnly => {
                StoreError::Unavailable(error.to_string())
            }
            _ => StoreError::Backend(error.to_string()),
        },
        _ => StoreError::Backend(error.to_string()),
    }
}

fn configure(conn: &Connection, writer: bool) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(backend_error)?;
    let pragmas = if writer {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
    } else {
        "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
    };
    conn.execute_batch(pragmas).map_err(backend_error)
}

fn migrate(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        .map_err(backend_error)?;
    for (name, sql) in MIGRATIONS {
        let applied: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM schema_migrations WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .map_err(backend_error)?;
        if applied == 0 {
            let batch = format!(
                "BEGIN IMMEDIATE; {sql}; INSERT INTO schema_migrations (name, applied_at) VALUES ('{name}', unixepoch()); COMMIT;"
            );
            conn.execute_batch(&batch).map_err(backend_error)?;
        }
    }
    Ok(())
}

impl SqliteBackend {
    pub fn open(path: &Path) -> Result<SqliteBackend, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        }
        let conn = Connection::open(path).map_err(backend_error)?;
        configure(&conn, true)?;
        migrate(&conn)?;
        let (sender, receiver) = mpsc::sync_channel(QUEUE_MAX);
        let handle = thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(conn, receiver))
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(SqliteBackend {
            path: path.to_owned(),
            writer: Mutex::new(Some(sender)),
            writer_thread: Mutex::new(Some(handle)),
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

    fn run_write(&self, job: Job) -> Result<(), StoreError> {
        let sender = self
            .writer
            .lock()
            .ok()
            .and_then(|guard| guard.clone())
            .ok_or_else(|| StoreError::Unavailable("store is closed".into()))?;
        let (reply, answer) = mpsc::sync_channel(1);
        sender
            .send(WriteRequest { job, reply })
            .map_err(|_| StoreError::Unavailable("writer stopped".into()))?;
        answer
            .recv()
            .map_err(|_| StoreError::Unavailable("writer stopped".into()))?
    }
}

impl Drop for SqliteBackend {
    fn drop(&mut self) {
        // Closing the queue lets the writer finish what it holds and exit.
        if let Ok(mut writer) = self.writer.lock() {
            writer.take();
        }
        if let Some(handle) = self.writer_thread.lock().ok().and_then(|mut h| h.take()) {
            let _joined = handle.join();
        }
    }
}

impl Backend for SqliteBackend {
    fn run(&self, mode: Mode, job: Job) -> Result<(), StoreError> {
        match mode {
            Mode::Read => self.run_read(job),
            Mode::Write => self.run_write(job),
        }
    }

    fn kind(&self) -> &'static str {
        "sqlite"
    }
}

fn writer_loop(conn: Connection, queue: Receiver<WriteRequest>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < GROUP_MAX {
            match queue.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        commit_group(&conn, group);
    }
}

/// Runs a group of jobs in one transaction, each in its own savepoint, then commits once and
/// answers every caller with the commit's outcome (or its own refusal).
fn commit_group(conn: &Connection, group: Vec<WriteRequest>) {
    if let Err(error) = conn.execute_batch("BEGIN IMMEDIATE").map_err(backend_error) {
        for request in group {
            let _sent = request.reply.send(Err(error.clone()));
        }
        return;
    }
    let mut answers = Vec::with_capacity(group.len());
    for mut request in group {
        let outcome = run_in_savepoint(conn, &mut request.job);
        answers.push((request.reply, outcome));
    }
    let committed = conn.execute_batch("COMMIT").map_err(backend_error);
    if committed.is_err() {
        let _rolled_back = conn.execute_batch("ROLLBACK");
    }
    for (reply, outcome) in answers {
        let answer = match (&committed, outcome) {
            (Err(error), _) => Err(error.clone()),
            (Ok(()), outcome) => outcome,
        };
        let _sent = reply.send(answer);
    }
}

fn run_in_savepoint(conn: &Connection, job: &mut Job) -> Result<(), StoreError> {
    conn.execute_batch("SAVEPOINT job").map_err(backend_error)?;
    let outcome = job(&mut SqliteConn(conn));
    match outcome {
        Ok(()) => conn.execute_batch("RELEASE job").map_err(backend_error),
        Err(abort) => {
            conn.execute_batch("ROLLBACK TO job; RELEASE job")
                .map_err(backend_error)?;
            match abort {
                JobAbort::Rollback => Ok(()),
                JobAbort::Store(error) => Err(error),
            }
        }
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
        u64::try_from(changed).map_err(|e| StoreError::Backend(e.to_string()))
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
