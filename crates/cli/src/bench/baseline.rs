//! The baseline every figure is compared with: `pgbench` on the same PostgreSQL server, or on
//! the local one beside an embedded run; and, for an embedded run, a TPC-B-like loop on the
//! same SQLite library with the same durability, reported beside it.

use std::time::Duration;

use super::common::fail;

/// The baseline every figure is compared with, on both stores (issue 16): `pgbench`'s TPS on
/// a new database of the PostgreSQL server `db` is on, or for an embedded run on
/// `pgbench_server` (the local PostgreSQL beside it).
pub(crate) fn baseline(
    db: &str,
    pgbench_server: &str,
    seconds: f64,
) -> Result<(&'static str, f64), String> {
    let on = if is_postgres(db) {
        db.to_owned()
    } else {
        format!("{}/postgres", pgbench_server.trim_end_matches('/'))
    };
    pgbench(&on, seconds).map(|tps| ("pgbench TPC-B-like, prepared, 8 clients", tps))
}

fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// For an embedded run, the TPC-B-like loop on the same SQLite library with the same
/// durability, one transaction per commit: reported beside the workloads, for what one
/// durable commit costs on this disk.
pub(crate) fn sqlite_loop(db: &str, seconds: f64) -> Result<Option<f64>, String> {
    if is_postgres(db) {
        return Ok(None);
    }
    let duration = Duration::from_secs_f64(seconds);
    let dir = std::env::temp_dir().join(format!("shebao-baseline-{}", std::process::id()));
    let _stale = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let (done, elapsed) =
        shebao_store_sqlite::baseline::tpcb(&dir.join("tpcb.db"), duration).map_err(fail)?;
    let _removed = std::fs::remove_dir_all(&dir);
    Ok(Some(done as f64 / elapsed.as_secs_f64().max(1e-9)))
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
