//! The store's own baseline every figure is compared with: a TPC-B-like loop on the same
//! SQLite library with the same durability, or `pgbench` on the same PostgreSQL server.

use std::time::Duration;

use super::common::fail;

/// The baseline of the store behind `db`: its name and transactions per second.
pub(crate) fn baseline(db: &str, seconds: f64) -> Result<(&'static str, f64), String> {
    let duration = Duration::from_secs_f64(seconds);
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        return pgbench(db, seconds).map(|tps| ("pgbench TPC-B-like, prepared, 8 clients", tps));
    }
    let dir = std::env::temp_dir().join(format!("shebao-baseline-{}", std::process::id()));
    let _stale = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let (done, elapsed) =
        shebao_store_sqlite::baseline::tpcb(&dir.join("tpcb.db"), duration).map_err(fail)?;
    let _removed = std::fs::remove_dir_all(&dir);
    Ok((
        "SQLite TPC-B-like loop, same durability, one per commit",
        done as f64 / elapsed.as_secs_f64().max(1e-9),
    ))
}

/// `pgbench` (scale 10, prepared, 8 clients, 2 threads) on a new database of the same server.
fn pgbench(db: &str, seconds: f64) -> Result<f64, String> {
    let base = db
        .split('?')
        .next()
        .and_then(|url| url.rsplit_once('/'))
        .map(|(server, _)| server.to_owned())
        .ok_or("the database URL must end in /database")?;
    let name = format!("shebao_pgbench_{}", std::process::id());
    let admin = format!("{base}/postgres");
    let run = |program: &str, args: &[&str]| -> Result<String, String> {
        let output = std::process::Command::new(program)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {program} (install postgresql-client): {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "{program} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    run(
        "psql",
        &[&admin, "-qc", &format!("DROP DATABASE IF EXISTS {name}")],
    )?;
    run("psql", &[&admin, "-qc", &format!("CREATE DATABASE {name}")])?;
    let target = format!("{base}/{name}");
    let measured = run("pgbench", &["-i", "-q", "-s", "10", &target]).and_then(|_| {
        let secs = format!("{}", seconds.ceil().max(1.0));
        run(
            "pgbench",
            &[
                "-M", "prepared", "-c", "8", "-j", "2", "-n", "-T", &secs, &target,
            ],
        )
    });
    run(
        "psql",
        &[&admin, "-qc", &format!("DROP DATABASE IF EXISTS {name}")],
    )?;
    let report = measured?;
    report
        .lines()
        .find_map(|line| line.trim().strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|tps| tps.parse().ok())
        .ok_or_else(|| format!("no tps in pgbench's report: {report}"))
}
