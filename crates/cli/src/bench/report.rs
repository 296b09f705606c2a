//! The table `shebao bench run` prints: one line per workload, beside its baseline.

use serde_json::Value;

/// The results as a table, one line per workload.
pub fn table(results: &[Value]) -> String {
    let mut out = format!(
        "{:<24} {:<8} {:>9} {:>10} {:>8} {:>8} {:>8} {:>12} {:>7}\n",
        "workload",
        "store",
        "holders",
        "ops/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "baseline/s",
        "ratio"
    );
    for r in results {
        out.push_str(&format!(
            "{:<24} {:<8} {:>9} {:>10.0} {:>8.2} {:>8.2} {:>8.1} {:>12.0} {:>7.2}\n",
            r["workload"].as_str().unwrap_or_default(),
            r["store"].as_str().unwrap_or_default(),
            r["holders"],
            r["ops_per_s"].as_f64().unwrap_or_default(),
            r["p50_ms"].as_f64().unwrap_or_default(),
            r["p99_ms"].as_f64().unwrap_or_default(),
            r["max_ms"].as_f64().unwrap_or_default(),
            r["baseline_ops_per_s"].as_f64().unwrap_or_default(),
            r["ratio"].as_f64().unwrap_or_default(),
        ));
    }
    out
}
