//! Storage in the domain's words. One [`Store`] runs read and write transactions on a
//! [`Backend`] (SQLite or PostgreSQL); inside a transaction, [`Tx`] offers the operations the
//! application needs. Both backends run the same portable SQL ([`tx`], one module per mission
//! area) over a minimal [`Conn`], assemble their migrations from one shared list
//! ([`schema`]) and pass the same conformance suite (`conformance`, a test-only feature).
//!
//! Invariant: the store never sees a clear ID number, name, card number or PIN; the
//! application hands it ciphertexts, blind indexes and verification values.

mod codec;
#[cfg(feature = "conformance")]
pub mod conformance;
mod error;
pub mod records;
pub mod schema;
pub mod touched;
pub mod tx;
pub mod writer;

use std::any::Any;
use std::sync::{Arc, Mutex, Weak};

pub use error::{Cause, StoreError};
pub use records::*;
pub use touched::Touched;
pub use tx::{MoneyGroup, Tx};

/// A value bound to or read from SQL. Only 64-bit integers and text cross the boundary, which
/// keeps the SQL portable (money in fen, times in Unix seconds, dates as `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Int(Option<i64>),
    Text(Option<String>),
}

/// `impl From<$from> for Val`, each by the conversion given.
macro_rules! val_from {
    ($($from:ty => |$value:ident| $make:expr;)*) => {$(
        impl From<$from> for Val {
            fn from($value: $from) -> Self {
                $make
            }
        }
    )*};
}

val_from! {
    i64 => |value| Val::Int(Some(value));
    Option<i64> => |value| Val::Int(value);
    bool => |value| Val::Int(Some(i64::from(value)));
    &str => |value| Val::Text(Some(value.to_owned()));
    String => |value| Val::Text(Some(value));
    Option<String> => |value| Val::Text(value);
    Option<&str> => |value| Val::Text(value.map(str::to_owned));
}

/// One result row.
pub type Row = Vec<Val>;

/// What a backend offers inside one transaction: portable SQL with `$1`-style placeholders.
pub trait Conn {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError>;
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError>;
    /// Whether a text parameter cast to an array (`CAST(CAST($1 AS TEXT) AS BIGINT[])`,
    /// PostgreSQL) works here, so a bulk write can send a column of many rows as one value
    /// and `unnest` it. Only a few bulk writes use it, beside their portable form.
    fn text_arrays(&self) -> bool {
        false
    }
    /// How this backend finds rows by the search terms the domain cut their text into
    /// ([`FullText`]).
    fn full_text(&self) -> FullText {
        FullText::Fts5
    }
    /// Brings the planner's statistics of `table` up to date where the backend plans by
    /// statistics it gathers in the background (PostgreSQL's autovacuum lags a bulk write);
    /// nothing elsewhere (SQLite keeps none unless asked and plans from its indexes).
    fn refresh_statistics(&mut self, _table: &'static str) -> Result<(), StoreError> {
        Ok(())
    }
    /// The watched tables ([`Touched`]) written through this connection since the last call.
    /// Only the group writer's connection watches; any other answers [`Touched::ALL`].
    fn take_touched(&mut self) -> Touched {
        Touched::ALL
    }
    /// Whether another connection (another process) may have committed a write since this
    /// connection last asked. Only SQLite's writer can tell (`PRAGMA data_version`); any other
    /// answers yes.
    fn written_elsewhere(&mut self) -> Result<bool, StoreError> {
        Ok(true)
    }
}

/// A backend's full-text facility, over terms the domain already cut (words, Han characters
/// and their pairs; `shebao_domain::employment`), so both find the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullText {
    /// SQLite FTS5: a virtual table of the terms beside the row's id, matched by `MATCH`
    /// with every term a quoted phrase (all must be present).
    Fts5,
    /// PostgreSQL: a `tsvector` column of the terms as lexemes, matched by `@@` a `tsquery`
    /// of every term, quoted, joined by `&`.
    TsVector,
}

/// Whether a transaction only reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Read,
    Write,
}

/// Why a job asks its transaction to end without committing.
#[derive(Debug)]
pub enum JobAbort {
    /// The job refused; undo its writes and keep the others of its group.
    Rollback,
    /// A storage error; the backend may run the job again if it is [`StoreError::Retry`].
    Store(StoreError),
}

/// A unit of work. Backends may run it more than once (after a serialization failure), so it
/// must depend only on what it reads inside the transaction.
pub type Job = Box<dyn FnMut(&mut dyn Conn) -> Result<(), JobAbort> + Send>;

/// A database: runs jobs in transactions. Write jobs are durable when `run` returns `Ok`.
pub trait Backend: Send + Sync {
    fn run(&self, mode: Mode, job: Job) -> Result<(), StoreError>;
    /// `sqlite` or `postgres`.
    fn kind(&self) -> &'static str;
    /// Whether writes are failing for lack of room (see [`writer::GroupWriter::storage_full`]).
    fn storage_full(&self) -> bool;
}

/// The store the application holds: a backend behind one trait object.
#[derive(Clone)]
pub struct Store {
    backend: Arc<dyn Backend>,
    /// The one [`Store::single`] value of this store and its clones, while anyone holds it.
    single: Arc<Mutex<Option<Weak<dyn Any + Send + Sync>>>>,
}

impl Store {
    pub fn new(backend: Arc<dyn Backend>) -> Store {
        Store {
            backend,
            single: Arc::default(),
        }
    }

    /// The value every user of this store (and its clones) shares while any of them holds it,
    /// made by `make` when none does: the money engine, whose state in memory is right only
    /// if it is the store's one engine (two engines would each take for themselves the
    /// writer's record of what other jobs wrote). One type per store.
    pub fn single<T: Any + Send + Sync>(&self, make: impl FnOnce() -> Arc<T>) -> Arc<T> {
        let mut slot = self
            .single
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(shared) = slot
            .as_ref()
            .and_then(Weak::upgrade)
            .and_then(|any| any.downcast::<T>().ok())
        {
            return shared;
        }
        let made = make();
        let any: Arc<dyn Any + Send + Sync> = made.clone();
        *slot = Some(Arc::downgrade(&any));
        made
    }

    pub fn kind(&self) -> &'static str {
        self.backend.kind()
    }

    /// Whether writes are failing for lack of room: the latest write that ran out of room is
    /// newer than the latest that succeeded, and recent. `/readyz` reports not ready then.
    pub fn storage_full(&self) -> bool {
        self.backend.storage_full()
    }

    /// Runs `work` in a consistent read-only snapshot.
    pub fn read<T, E>(
        &self,
        work: impl FnMut(&mut Tx<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.run(Mode::Read, work)
    }

    /// Runs `work` in a write transaction: all of it commits durably, or none of it when it
    /// returns an error. `work` may run more than once.
    pub fn write<T, E>(
        &self,
        work: impl FnMut(&mut Tx<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.run(Mode::Write, work)
    }

    fn run<T, E>(
        &self,
        mode: Mode,
        mut work: impl FnMut(&mut Tx<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let slot: Arc<Mutex<Option<Result<T, E>>>> = Arc::new(Mutex::new(None));
        let job_slot = Arc::clone(&slot);
        let job: Job = Box::new(move |conn: &mut dyn Conn| {
            let mut tx = Tx::new(conn);
            let outcome = work(&mut tx);
            let abort = match (&outcome, tx.take_failure()) {
                (Ok(_), _) => None,
                (Err(_), Some(failure)) => Some(JobAbort::Store(failure)),
                (Err(_), None) => Some(JobAbort::Rollback),
            };
            if let Ok(mut guard) = job_slot.lock() {
                *guard = Some(outcome);
            }
            abort.map_or(Ok(()), Err)
        });
        let ran = self.backend.run(mode, job);
        let outcome = slot.lock().ok().and_then(|mut guard| guard.take());
        match (ran, outcome) {
            // A refusal rolled back: the job's own answer stands.
            (Ok(()), Some(outcome)) | (Err(_), Some(outcome @ Err(_))) => outcome,
            (Err(error), _) => Err(E::from(error)),
            (Ok(()), None) => Err(E::from(StoreError::Backend("job did not run".into()))),
        }
    }
}
