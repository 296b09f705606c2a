//! Prometheus metrics through the `metrics` facade and its Prometheus exporter (its HTTP
//! listener and push gateway off: `/metrics` is an operation of ours, behind the operator's
//! scrape token). The recorder is installed once per process, whoever asks first; this
//! crate records requests and refusals, the store's writer records its queue, groups and
//! commits (`shebao_store::writer`), and [`Metrics::render`] writes them all.
//!
//! Every label has a bounded set of values: methods outside the standard ones count as
//! `OTHER`, routes are templates (`unmatched` for a path nothing serves), operation ids and
//! refusal codes are the API's own, the store label is the backend's kind.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests by method, route template and status (a counter).
pub const REQUESTS: &str = "shebao_http_requests_total";
/// Time to answer a request, by method, route template, status and operation id.
pub const REQUEST_SECONDS: &str = "shebao_http_request_duration_seconds";
/// Refused answers (`application/problem+json`) by their stable code.
pub const REFUSALS: &str = "shebao_refusals_total";

/// Upper bounds of the buckets of every histogram in seconds: half a millisecond to ten
/// seconds, about three to a decade.
const SECONDS_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Upper bounds of the writer's group sizes: powers of two up to SQLite's largest group.
const GROUP_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];
/// Upper bounds of the money engine's group sizes: powers of two up to its largest group.
const ENGINE_GROUP_BUCKETS: &[f64] = &[1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 2048.0, 4096.0, 8192.0];
/// How often recorded histogram samples are folded into their buckets when nobody scrapes
/// (until then each sample is held on its own).
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process's one recorder, installed on first use.
static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The handle of the process's recorder, installing it on the first call. Histograms get
/// fixed buckets (so a series is a fixed number of counters, however many samples), and a
/// thread folds samples into them every [`UPKEEP_EVERY`]. Should another recorder be set
/// already, this one records nothing and renders what it has: nothing.
fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(SECONDS_BUCKETS)
            .and_then(|builder| {
                builder.set_buckets_for_metric(
                    Matcher::Full(shebao_store::writer::GROUP_SIZE.to_owned()),
                    GROUP_BUCKETS,
                )
            })
            .and_then(|builder| {
                builder.set_buckets_for_metric(
                    Matcher::Full(shebao_app::money::ENGINE_GROUP_COMMANDS.to_owned()),
                    ENGINE_GROUP_BUCKETS,
                )
            })
            .unwrap_or_else(|error| {
                // Only an empty list of buckets is refused, and neither list is empty.
                tracing::error!(target: "shebao::http", %error, "histograms fall back to summaries");
                PrometheusBuilder::new()
            })
            .build_recorder();
        let handle = recorder.handle();
        match metrics::set_global_recorder(recorder) {
            Ok(()) => describe(),
            Err(error) => {
                tracing::warn!(target: "shebao::http", %error, "another metrics recorder is set: /metrics shows nothing");
            }
        }
        let upkeep = handle.clone();
        let started = std::thread::Builder::new()
            .name("metrics-upkeep".to_owned())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
        if let Err(error) = started {
            tracing::warn!(target: "shebao::http", %error, "no metrics upkeep thread: histogram samples are folded at each scrape only");
        }
        handle
    })
}

/// The `# HELP` lines.
fn describe() {
    metrics::describe_counter!(
        REQUESTS,
        "HTTP requests by method, route template and status."
    );
    metrics::describe_histogram!(
        REQUEST_SECONDS,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by method, route template, status and API operation id (empty for a page or a file)."
    );
    metrics::describe_counter!(
        REFUSALS,
        "Refused answers (application/problem+json) by stable code."
    );
    shebao_store::writer::describe_metrics();
    shebao_app::money::describe_engine_metrics();
}

/// What the operator scrapes: the process's recorder. Every `Metrics` is the same one.
#[derive(Clone)]
pub struct Metrics {
    handle: &'static PrometheusHandle,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::installed()
    }
}

impl Metrics {
    /// The process's recorder, installed now if nothing installed it yet (the server
    /// installs it before it opens its store, so the store's first writes are counted too).
    pub fn installed() -> Metrics {
        Metrics { handle: handle() }
    }

    /// Counts an answered request and records its time. `operation` is the API operation's
    /// id, empty for anything else (a portal page, a static file, a path nothing serves).
    pub fn record(
        &self,
        method: &str,
        route: &str,
        operation: &'static str,
        status: u16,
        elapsed: Duration,
    ) {
        let method = standard_method(method);
        let status = status.to_string();
        metrics::counter!(
            REQUESTS,
            "method" => method,
            "route" => route.to_owned(),
            "status" => status.clone(),
        )
        .increment(1);
        metrics::histogram!(
            REQUEST_SECONDS,
            "method" => method,
            "route" => route.to_owned(),
            "status" => status,
            "operation" => operation,
        )
        .record(elapsed.as_secs_f64());
    }

    /// Counts a refused answer by its code.
    pub fn refused(code: &str) {
        metrics::counter!(REFUSALS, "code" => code.to_owned()).increment(1);
    }

    /// The text exposition format, histogram samples folded into their buckets first.
    pub fn render(&self) -> String {
        self.handle.run_upkeep();
        self.handle.render()
    }
}

/// The method as a label: one of the standard ones, else `OTHER` (a client can send any
/// token as a method, and each would be a series of its own).
fn standard_method(method: &str) -> &'static str {
    const STANDARD: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
    ];
    STANDARD
        .into_iter()
        .find(|known| *known == method)
        .unwrap_or("OTHER")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn methods_outside_the_standard_ones_share_one_label() {
        assert_eq!(standard_method("GET"), "GET");
        assert_eq!(standard_method("DELETE"), "DELETE");
        assert_eq!(standard_method("BREW"), "OTHER");
        assert_eq!(standard_method("get"), "OTHER");
    }

    #[test]
    fn a_second_recorder_asked_for_is_the_first() {
        let (first, second) = (Metrics::installed(), Metrics::default());
        assert!(std::ptr::eq(first.handle, second.handle));
        first.record("GET", "/twice", "", 200, Duration::from_millis(3));
        let text = second.render();
        assert!(text.contains(
            "shebao_http_requests_total{method=\"GET\",route=\"/twice\",status=\"200\"} 1"
        ));
        assert!(text.contains(
            "shebao_http_request_duration_seconds_bucket{method=\"GET\",route=\"/twice\",status=\"200\",operation=\"\",le=\"0.005\"} 1"
        ));
    }
}
