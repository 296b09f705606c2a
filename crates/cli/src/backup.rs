//! `shebao backup`: an online copy of the running service's store. SQLite copies one
//! consistent snapshot with `VACUUM INTO`; PostgreSQL is dumped by `pg_dump`, whose dump is
//! one consistent snapshot too, in its custom format (restore with `pg_restore`).

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

pub fn backup(db: Option<&str>, out: &Path) -> Result<Value, String> {
    let url = db.unwrap_or("sqlite:shebao.db");
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        // Created empty and private first (never overwriting); pg_dump writes into it and
        // the mode stays 0600.
        shebao_store_sqlite::files::create_private(out).map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{} exists; a backup never overwrites", out.display())
            }
            _ => format!("{}: {error}", out.display()),
        })?;
        let status = Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(out)
            .arg(url)
            .status()
            .map_err(|e| {
                let _removed = std::fs::remove_file(out);
                format!("cannot run pg_dump (install postgresql-client): {e}")
            })?;
        if !status.success() {
            let _removed = std::fs::remove_file(out);
            return Err(format!("pg_dump failed: {status}"));
        }
        let bytes = std::fs::metadata(out).map_err(|e| e.to_string())?.len();
        return Ok(
            json!({ "store": "postgres", "out": out.display().to_string(), "bytes": bytes, "restore": "pg_restore --no-owner -d <new database> <file>" }),
        );
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let bytes = shebao_store_sqlite::backup(Path::new(path), out).map_err(|e| e.to_string())?;
    Ok(
        json!({ "store": "sqlite", "out": out.display().to_string(), "bytes": bytes, "restore": "serve with --db sqlite:<file>" }),
    )
}
