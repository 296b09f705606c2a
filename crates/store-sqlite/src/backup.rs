//! Online backup of a running SQLite store: `VACUUM INTO` copies one consistent snapshot
//! (a read transaction under WAL) into a new file while the writer goes on committing.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use shebao_store::{Cause, StoreError};

use crate::{backend_error, query_first};

/// Copies the database at `path` into the new file `out` (never overwritten) and checks the
/// copy's integrity. Returns the copy's size in bytes.
pub fn backup(path: &Path, out: &Path) -> Result<u64, StoreError> {
    // Created empty and private first: `VACUUM INTO` fills an empty file and keeps its mode.
    crate::files::create_private(out).map_err(|error| match error.kind() {
        std::io::ErrorKind::AlreadyExists => StoreError::Conflict {
            what: format!("{} exists; a backup never overwrites", out.display()),
        },
        _ => StoreError::Unavailable(Cause::context(format!("{}: {error}", out.display()), error)),
    })?;
    copy_into(path, out).inspect_err(|_| {
        // A copy that failed is no backup: leave nothing that looks like one.
        let _removed = std::fs::remove_file(out);
    })?;
    std::fs::metadata(out)
        .map(|m| m.len())
        .map_err(|e| StoreError::Unavailable(Cause::new(e)))
}

fn copy_into(path: &Path, out: &Path) -> Result<(), StoreError> {
    let source = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(backend_error)?;
    source
        .busy_timeout(std::time::Duration::from_secs(30))
        .map_err(backend_error)?;
    let target = out
        .to_str()
        .ok_or_else(|| StoreError::Unavailable(format!("{} is not UTF-8", out.display()).into()))?;
    source
        .execute("VACUUM INTO ?1", [target])
        .map_err(backend_error)?;
    let copy = Connection::open_with_flags(out, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(backend_error)?;
    let verdict: String = query_first(&copy, "PRAGMA integrity_check", [])?;
    if verdict != "ok" {
        return Err(StoreError::Backend(
            format!("the copy fails its integrity check: {verdict}").into(),
        ));
    }
    Ok(())
}
