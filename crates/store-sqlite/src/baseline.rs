//! The embedded store's baseline for benchmarks: a plain TPC-B-like debit/credit loop (the
//! pgbench transaction) on the same SQLite library with the same durability as the store
//! (WAL, `synchronous=FULL`), one transaction per commit, on a fresh file.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};
use shebao_store::StoreError;

use crate::{backend_error, query_first};

/// Accounts, tellers and branches of the pgbench schema at scale 1.
const ACCOUNTS: i64 = 100_000;
const TELLERS: i64 = 10;
const BRANCHES: i64 = 1;

/// A new database at `path` with the pgbench schema at scale 1, every balance zero.
fn create_accounts(path: &Path) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path).map_err(backend_error)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE branches (bid INTEGER PRIMARY KEY, bbalance INTEGER NOT NULL);
         CREATE TABLE tellers (tid INTEGER PRIMARY KEY, bid INTEGER NOT NULL, tbalance INTEGER NOT NULL);
         CREATE TABLE accounts (aid INTEGER PRIMARY KEY, bid INTEGER NOT NULL, abalance INTEGER NOT NULL);
         CREATE TABLE history (tid INTEGER, bid INTEGER, aid INTEGER, delta INTEGER, mtime INTEGER);",
    )
    .map_err(backend_error)?;
    let tx = conn.transaction().map_err(backend_error)?;
    for bid in 1..=BRANCHES {
        tx.execute("INSERT INTO branches VALUES (?1, 0)", [bid])
            .map_err(backend_error)?;
    }
    for tid in 1..=TELLERS {
        tx.execute("INSERT INTO tellers VALUES (?1, 1, 0)", [tid])
            .map_err(backend_error)?;
    }
    for aid in 1..=ACCOUNTS {
        tx.execute("INSERT INTO accounts VALUES (?1, 1, 0)", [aid])
            .map_err(backend_error)?;
    }
    tx.commit().map_err(backend_error)?;
    Ok(conn)
}

/// Runs TPC-B-like transactions for `duration` on a new database at `path`; returns the
/// number committed and the time taken.
pub fn tpcb(path: &Path, duration: Duration) -> Result<(u64, Duration), StoreError> {
    if path.exists() {
        return Err(StoreError::Conflict {
            what: format!("{} exists", path.display()),
        });
    }
    let mut conn = create_accounts(path)?;
    // A small deterministic generator: the baseline needs spread, not quality.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: i64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        i64::try_from(state % u64::try_from(n).unwrap_or(1)).unwrap_or(0) + 1
    };
    let started = Instant::now();
    let mut done = 0u64;
    while started.elapsed() < duration {
        let (aid, tid, delta) = (next(ACCOUNTS), next(TELLERS), next(10_000) - 5_000);
        let tx = conn.transaction().map_err(backend_error)?;
        tx.execute(
            "UPDATE accounts SET abalance = abalance + ?1 WHERE aid = ?2",
            params![delta, aid],
        )
        .map_err(backend_error)?;
        let _balance: i64 =
            query_first(&tx, "SELECT abalance FROM accounts WHERE aid = ?1", [aid])?;
        tx.execute(
            "UPDATE tellers SET tbalance = tbalance + ?1 WHERE tid = ?2",
            params![delta, tid],
        )
        .map_err(backend_error)?;
        tx.execute(
            "UPDATE branches SET bbalance = bbalance + ?1 WHERE bid = 1",
            params![delta],
        )
        .map_err(backend_error)?;
        tx.execute(
            "INSERT INTO history VALUES (?1, 1, ?2, ?3, unixepoch())",
            params![tid, aid, delta],
        )
        .map_err(backend_error)?;
        tx.commit().map_err(backend_error)?;
        done += 1;
    }
    Ok((done, started.elapsed()))
}
