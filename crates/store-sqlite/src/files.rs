//! The database's files are the owner's alone: the database, its WAL and shared-memory files
//! and every backup are created mode 0600 (the directories SQLite's files are put in, 0700),
//! whatever the process's umask. The rows are encrypted where they hold personal data, but
//! the files still hold the trail, the ledger and blind indexes.

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Owner read and write, nothing for anyone else.
pub const FILE_MODE: u32 = 0o600;
const DIRECTORY_MODE: u32 = 0o700;

/// Makes the database file (and the directories it needs) before SQLite opens it, so SQLite
/// gives its WAL and shared-memory files the same mode; tightens files left by an older
/// version.
pub fn prepare_database(path: &Path) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        DirBuilder::new()
            .recursive(true)
            .mode(DIRECTORY_MODE)
            .create(parent)?;
    }
    match create_private(path) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    for file in [
        path.to_owned(),
        sibling(path, "-wal"),
        sibling(path, "-shm"),
    ] {
        if file.exists() {
            std::fs::set_permissions(&file, Permissions::from_mode(FILE_MODE))?;
        }
    }
    Ok(())
}

/// Creates `path` empty with mode 0600; fails if it exists.
pub fn create_private(path: &Path) -> io::Result<()> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
        .map(drop)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
