//! Prometheus metrics: requests and their total time by route and status.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Method, route template and status.
type Labels = (String, String, u16);
/// Request count and total seconds.
type Totals = (u64, f64);

#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<BTreeMap<Labels, Totals>>>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut map) = self.inner.lock() {
            let entry = map
                .entry((method.to_owned(), route.to_owned(), status))
                .or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += elapsed.as_secs_f64();
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# HELP shebao_http_requests_total HTTP requests by route and status.\n# TYPE shebao_http_requests_total counter\n",
        );
        let snapshot = self.inner.lock().map(|map| map.clone()).unwrap_or_default();
        for ((method, route, status), (count, _)) in &snapshot {
            let _ = writeln!(
                out,
                "shebao_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str("# HELP shebao_http_request_seconds_total Time spent serving requests.\n# TYPE shebao_http_request_seconds_total counter\n");
        for ((method, route, status), (_, seconds)) in &snapshot {
            let _ = writeln!(
                out,
                "shebao_http_request_seconds_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {seconds:.6}"
            );
        }
        out
    }
}
