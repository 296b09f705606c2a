//! The benchmark command in its CI size (seconds): it builds a small data set, runs the
//! workloads and the store's baseline, prints the table with ratios and writes the JSON the
//! documentation's figures come from, on SQLite and on PostgreSQL. The real runs and their
//! figures: docs/benchmarks.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::process::Command;

use serde_json::Value;

fn bench_run(db: &str, tag: &str) {
    let json = std::env::temp_dir().join(format!("shebao-bench-{tag}-{}.json", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_shebao"))
        .args([
            "bench",
            "run",
            "--holders",
            "60",
            "--cards",
            "6",
            "--clients",
            "2",
            "--seconds",
            "0.5",
            "--db",
            db,
            "--json",
        ])
        .arg(&json)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{table}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        table.contains("card_purchase") && table.contains("ratio"),
        "{table}"
    );
    let results: Vec<Value> = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    // An embedded run also reports the SQLite TPC-B-like loop beside the workloads.
    let (loops, results): (Vec<Value>, Vec<Value>) = results
        .into_iter()
        .partition(|r| r["workload"] == "sqlite_tpcb_loop");
    assert_eq!(loops.len(), usize::from(tag == "sqlite"), "{loops:?}");
    for row in &loops {
        assert!(row["ops_per_s"].as_f64().unwrap() > 0.0, "{row}");
    }
    let workloads: Vec<&str> = results
        .iter()
        .map(|r| r["workload"].as_str().unwrap())
        .collect();
    assert_eq!(
        workloads,
        [
            "card_purchase",
            "card_purchase_at_80pct",
            "benefit_credit",
            "batch_credit_debit",
            "http_card_purchase",
            "http_trivial",
            "medical_settlement",
            "contribution_run",
            "history_query",
        ]
    );
    for result in &results {
        assert_eq!(result["store"], tag);
        assert_eq!(result["holders"], 60);
        for field in [
            "ops_per_s",
            "p50_ms",
            "p99_ms",
            "max_ms",
            "baseline_ops_per_s",
            "ratio",
        ] {
            assert!(result[field].as_f64().unwrap() > 0.0, "{field}: {result}");
        }
        // Purchases over HTTP are compared with the trivial endpoint of the same server;
        // everything else with pgbench, on both stores (issue 16).
        let baseline = result["baseline"].as_str().unwrap();
        if result["workload"] == "http_card_purchase" {
            assert!(baseline.contains("/healthz"), "{baseline}");
        } else {
            assert!(baseline.starts_with("pgbench"), "{baseline}");
        }
        let ratio =
            result["ops_per_s"].as_f64().unwrap() / result["baseline_ops_per_s"].as_f64().unwrap();
        assert!((ratio - result["ratio"].as_f64().unwrap()).abs() < 1e-9);
    }
}

#[test]
fn the_benchmark_runs_beside_its_baseline_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("shebao-bench-test-{}", std::process::id()));
    bench_run(
        &format!("sqlite:{}", dir.join("bench.db").display()),
        "sqlite",
    );
}

#[test]
fn the_benchmark_runs_beside_pgbench_on_postgres() {
    bench_run(
        &shebao_store_postgres::testing::throwaway_database(),
        "postgres",
    );
}

/// `bench production` in its CI size: a batch of 1,200 cards and its file of two parts, the
/// first opened as the vendor would, its digest in the signed manifest.
fn production_run(db: &str, tag: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_shebao"))
        .args(["bench", "production", "--cards", "1200", "--db", db])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(result["workload"], "personalisation_file");
    assert_eq!(result["store"], tag);
    assert_eq!(result["cards"], 1200);
    assert_eq!(result["parts"], 2);
    assert_eq!(result["first_part_cards_opened"], 1000);
    assert_eq!(result["first_part_digest_in_signed_manifest"], true);
    assert!(result["file_seconds"].as_f64().unwrap() > 0.0, "{result}");
}

#[test]
fn the_personalisation_file_benchmark_runs_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("shebao-bench-prod-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    production_run(
        &format!("sqlite:{}", dir.join("bench.db").display()),
        "sqlite",
    );
}

#[test]
fn the_personalisation_file_benchmark_runs_on_postgres() {
    production_run(
        &shebao_store_postgres::testing::throwaway_database(),
        "postgres",
    );
}
