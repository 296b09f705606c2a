//! The PostgreSQL store. All writes of this process go to one writer connection with group
//! commit ([`shebao_store::writer`]): many jobs, each in its own savepoint, share one
//! SERIALIZABLE transaction and one commit, so writers of this process never collide; when
//! the server reports a serialization failure or deadlock (another process wrote), the group
//! is run again, so application code can read, decide and write as if alone. Reads run in
//! REPEATABLE READ, READ ONLY snapshots on a small bounded pool. Every connection prepares
//! each statement once and keeps it (one round trip per statement instead of two).

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};
use shebao_store::schema::{self, Dialect, Migration, Migrator};
use shebao_store::writer::{GroupBackend, GroupWriter, QUEUE_MAX, Session, backoff};
use shebao_store::{Cause, Conn, Job, JobAbort, Row, Store, StoreError, Val};

/// Most attempts of one read before its failures are reported.
const READ_ATTEMPTS_MAX: u32 = 200;
/// Most jobs committed together. Small enough that one SERIALIZABLE transaction's predicate
/// locks stay within the server's default `max_pred_locks_per_transaction` (512 jobs per
/// group ran it out of shared memory).
pub const GROUP_MAX: usize = 32;
/// Most prepared statements a connection keeps.
const STATEMENTS_MAX: usize = 256;

/// What PostgreSQL runs in its own dialect; the rest of the schema is shared
/// ([`shebao_store::schema`]).
const DIALECT: Dialect = shebao_store::dialect!();

/// The PostgreSQL backend.
pub struct PostgresBackend {
    config: Config,
    idle: Mutex<Pool>,
    available: Condvar,
    writer: GroupWriter,
}

/// A connection and the statements it has prepared.
struct Connection {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Connection {
    fn open(config: &Config) -> Result<Connection, StoreError> {
        Ok(Connection {
            client: config.connect(NoTls).map_err(backend_error)?,
            statements: HashMap::new(),
        })
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).map_err(backend_error)?;
        // Statements built for a number of rows vary; the cache stays bounded.
        if self.statements.len() >= STATEMENTS_MAX {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

struct Pool {
    clients: Vec<Connection>,
    open: usize,
    max: usize,
}

/// Connects to `url`, migrates the database and returns a store with at most `pool_max`
/// read connections and one write connection. Must not be called from inside an async
/// runtime's worker thread.
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
        // A database error's message and code only: its `DETAIL` and `HINT` lines (part of
        // the driver error's text) can quote a row's values, which must not reach the log.
        Some(code) if *code == SqlState::DISK_FULL => StoreError::Full(db_cause(&error, code)),
        Some(code) => StoreError::Backend(db_cause(&error, code)),
        None => StoreError::Unavailable(Cause::new(error)),
    }
}

/// What is kept of a database error: its primary message and its SQLSTATE code.
fn db_cause(error: &postgres::Error, code: &SqlState) -> Cause {
    let message = error.as_db_error().map_or("db error", |db| db.message());
    Cause::message(format!("{message} ({})", code.code()))
}

impl GroupBackend for PostgresBackend {
    const KIND: &'static str = "postgres";

    fn writer(&self) -> &GroupWriter {
        &self.writer
    }

    fn run_read(&self, mut job: Job) -> Result<(), StoreError> {
        let mut connection = self.take()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::attempt_read(&mut connection, &mut job) {
                Err(StoreError::Retry) if attempt < READ_ATTEMPTS_MAX => {
                    std::thread::sleep(backoff(attempt));
                }
                Err(StoreError::Unavailable(cause)) => {
                    self.give_back(None);
                    return Err(StoreError::Unavailable(cause));
                }
                other => {
                    self.give_back(Some(connection));
                    return other;
                }
            }
        }
    }
}

impl PostgresBackend {
    pub fn open(url: &str, pool_max: usize) -> Result<PostgresBackend, StoreError> {
        let mut config: Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::Unavailable(Cause::new(e)))?;
        config.connect_timeout(Duration::from_secs(10));
        let mut first = Connection::open(&config)?;
        migrate(&mut first.client)?;
        let writer = GroupWriter::start(
            Self::KIND,
            WriterSession {
                connection: first,
                config: config.clone(),
            },
            GROUP_MAX,
            QUEUE_MAX,
        )?;
        Ok(PostgresBackend {
            config,
            idle: Mutex::new(Pool {
                clients: Vec::new(),
                open: 0,
                max: pool_max.max(1),
            }),
            available: Condvar::new(),
            writer,
        })
    }

    /// Takes an idle connection, opens one below the limit, or waits for one.
    fn take(&self) -> Result<Connection, StoreError> {
        let poisoned = |_| StoreError::Backend("connection pool poisoned".into());
        let mut pool = self.idle.lock().map_err(poisoned)?;
        loop {
            if let Some(client) = pool.clients.pop() {
                if !client.client.is_closed() {
                    return Ok(client);
                }
                pool.open -= 1;
                continue;
            }
            if pool.open < pool.max {
                pool.open += 1;
                drop(pool);
                return Connection::open(&self.config).inspect_err(|_| {
                    if let Ok(mut pool) = self.idle.lock() {
                        pool.open -= 1;
                    }
                });
            }
            pool = self.available.wait(pool).map_err(poisoned)?;
        }
    }

    /// Returns a connection (or `None` for one that broke) and wakes a waiter.
    fn give_back(&self, client: Option<Connection>) {
        if let Ok(mut pool) = self.idle.lock() {
            match client {
                Some(client) if !client.client.is_closed() => pool.clients.push(client),
                _ => pool.open -= 1,
            }
        }
        self.available.notify_one();
    }

    /// One read in a REPEATABLE READ, READ ONLY snapshot.
    fn attempt_read(connection: &mut Connection, job: &mut Job) -> Result<(), StoreError> {
        connection
            .client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .map_err(backend_error)?;
        let outcome = job(connection);
        let ended = connection
            .client
            .batch_execute("ROLLBACK")
            .map_err(backend_error);
        match outcome {
            Ok(()) | Err(JobAbort::Rollback) => ended,
            Err(JobAbort::Store(error)) => Err(error),
        }
    }
}

/// The writer's connection; replaced when it breaks.
struct WriterSession {
    connection: Connection,
    config: Config,
}

impl Session for WriterSession {
    fn control(&mut self, sql: &str) -> Result<(), StoreError> {
        self.connection
            .client
            .batch_execute(sql)
            .map_err(backend_error)
    }

    fn conn(&mut self) -> &mut dyn Conn {
        &mut self.connection
    }

    fn begin(&self) -> &'static str {
        "BEGIN ISOLATION LEVEL SERIALIZABLE"
    }

    fn reconnect(&mut self) -> Result<(), StoreError> {
        self.connection = Connection::open(&self.config)?;
        Ok(())
    }
}

/// The migrations as PostgreSQL runs them.
fn migrations() -> [Migration; 24] {
    schema::migrations(&DIALECT)
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    // One migrator at a time across processes.
    client
        .batch_execute("SELECT pg_advisory_lock(727274)")
        .map_err(backend_error)?;
    let outcome = schema::migrate(&mut PostgresMigrator(client), &migrations());
    client
        .batch_execute("SELECT pg_advisory_unlock(727274)")
        .map_err(backend_error)?;
    outcome
}

struct PostgresMigrator<'c>(&'c mut Client);

impl Migrator for PostgresMigrator<'_> {
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.0.batch_execute(sql).map_err(backend_error)
    }

    fn applied(&mut self, name: &str) -> Result<bool, StoreError> {
        let applied = self
            .0
            .query("SELECT 1 FROM schema_migrations WHERE name = $1", &[&name])
            .map_err(backend_error)?;
        Ok(!applied.is_empty())
    }

    fn apply(&mut self, name: &str, sql: &str) -> Result<(), StoreError> {
        let mut transaction = self.0.transaction().map_err(backend_error)?;
        transaction.batch_execute(sql).map_err(backend_error)?;
        transaction
            .execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, EXTRACT(EPOCH FROM now())::BIGINT)",
                &[&name],
            )
            .map_err(backend_error)?;
        transaction.commit().map_err(backend_error)
    }
}

fn bind(params: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|value| match value {
            Val::Int(n) => n as &(dyn ToSql + Sync),
            Val::Text(text) => text as &(dyn ToSql + Sync),
        })
        .collect()
}

impl Conn for Connection {
    fn text_arrays(&self) -> bool {
        true
    }

    fn full_text(&self) -> shebao_store::FullText {
        shebao_store::FullText::TsVector
    }

    fn refresh_statistics(&mut self, table: &'static str) -> Result<(), StoreError> {
        self.execute(&format!("ANALYZE {table}"), &[]).map(|_| ())
    }

    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let statement = self.statement(sql)?;
        self.client
            .execute(&statement, &bind(params))
            .map_err(backend_error)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let statement = self.statement(sql)?;
        let rows = self
            .client
            .query(&statement, &bind(params))
            .map_err(backend_error)?;
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
/// schema per test. Test-only: built when a test target enables the `testing` feature.
#[cfg(feature = "testing")]
pub mod testing;

#[cfg(test)]
mod tests {
    use super::migrations;

    #[test]
    fn every_migration_runs_the_text_it_ran_when_written() {
        assert_eq!(
            shebao_store::conformance::migrations_differ(&migrations(), "postgres"),
            Vec::<String>::new()
        );
    }
}
