//! What every workload of `shebao bench run` measures with: the options, the clients' loop
//! (flat out or paced), one measurement and its JSON row, the spread of clients over the data
//! set and the failure texts. Depends on nothing else of the benchmark.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shebao_app::AppError;

/// What to run.
pub struct Options {
    pub holders: usize,
    /// Holders that receive an activated card (the workloads' accounts).
    pub cards: usize,
    pub clients: usize,
    /// Terminals sending single card operations at once, in process (each waits for its
    /// answer before its next): a card system serves many counters and tills at a time.
    pub terminals: usize,
    pub seconds: f64,
    /// The PostgreSQL server pgbench runs on for an embedded run (`postgres://…`, no database).
    pub pgbench_server: String,
    /// Only the money workloads (in-process purchases, credits, batches): for profiling them.
    pub money_only: bool,
}

/// One measured workload.
pub(crate) struct Measured {
    pub(crate) ops: usize,
    pub(crate) elapsed: Duration,
    latencies: Vec<Duration>,
}

/// What every result row says besides its own measurement: where, on what data set, against
/// which baseline.
pub(crate) struct Context<'a> {
    pub(crate) store: &'a str,
    pub(crate) holders: usize,
    pub(crate) cards: usize,
    pub(crate) clients: usize,
    pub(crate) baseline: &'a str,
    pub(crate) baseline_ops_per_s: f64,
}

impl Measured {
    /// Successful operations' latencies (any order) over `elapsed`.
    pub(crate) fn new(mut latencies: Vec<Duration>, elapsed: Duration) -> Measured {
        latencies.sort_unstable();
        Measured {
            ops: latencies.len(),
            elapsed,
            latencies,
        }
    }

    /// The JSON row of this measurement: the common fields, then `extra`'s (which may
    /// override them, e.g. `ops` counted in operations rather than requests).
    pub(crate) fn row(&self, workload: &str, context: &Context<'_>, extra: Value) -> Value {
        let ops_per_s = extra["ops_per_s"]
            .as_f64()
            .unwrap_or_else(|| self.ops_per_s());
        let mut row = json!({
            "workload": workload,
            "store": context.store,
            "holders": context.holders,
            "cards": context.cards,
            "clients": context.clients,
            "seconds": self.elapsed.as_secs_f64(),
            "ops": self.ops,
            "ops_per_s": ops_per_s,
            "p50_ms": self.quantile_ms(0.50),
            "p99_ms": self.quantile_ms(0.99),
            "max_ms": self.quantile_ms(1.0),
            "peak_rss_mib": peak_rss_mib(),
            "baseline": context.baseline,
            "baseline_ops_per_s": context.baseline_ops_per_s,
            "ratio": ops_per_s / context.baseline_ops_per_s.max(1e-9),
        });
        if let (Some(row), Value::Object(extra)) = (row.as_object_mut(), extra) {
            row.extend(extra);
        }
        row
    }

    pub(crate) fn ops_per_s(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub(crate) fn quantile_ms(&self, q: f64) -> f64 {
        quantile_ms(&self.latencies, q)
    }
}

/// The `q` quantile of sorted durations, in milliseconds (0 for none).
pub(crate) fn quantile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1_000.0
}

/// Runs `work` from `clients` threads for `seconds`, each as fast as it can (a closed loop);
/// `work(client, n)` is the n-th operation of a client. Latencies are kept for every
/// operation that succeeded.
pub(crate) fn measure(
    clients: usize,
    seconds: f64,
    work: impl Fn(usize, usize) -> Result<(), AppError> + Send + Sync + 'static,
) -> Result<Measured, String> {
    run_clients(clients, seconds, None, work)
}

/// Runs `work` at a fixed offered rate (operations per second, spread over `clients`
/// threads): the n-th operation is due at a set time, and its latency counts from that time,
/// not from when a late client got round to sending it (no coordinated omission).
pub(crate) fn measure_paced(
    clients: usize,
    seconds: f64,
    rate: f64,
    work: impl Fn(usize, usize) -> Result<(), AppError> + Send + Sync + 'static,
) -> Result<Measured, String> {
    run_clients(clients, seconds, Some(rate), work)
}

fn run_clients(
    clients: usize,
    seconds: f64,
    rate: Option<f64>,
    work: impl Fn(usize, usize) -> Result<(), AppError> + Send + Sync + 'static,
) -> Result<Measured, String> {
    let work = Arc::new(work);
    let failures = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    // Client c's n-th operation is due at (n * clients + c) / rate after the start.
    let due = move |client: usize, n: usize| {
        rate.map(|rate| {
            started + Duration::from_secs_f64((n * clients + client) as f64 / rate.max(1e-9))
        })
    };
    let threads: Vec<_> = (0..clients)
        .map(|client| {
            let (work, failures) = (work.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut n = 0;
                loop {
                    let scheduled = due(client, n);
                    let began = scheduled.unwrap_or_else(Instant::now);
                    if began >= deadline {
                        break;
                    }
                    if let Some(wait) = began.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    match work(client, n) {
                        Ok(()) => latencies.push(began.elapsed()),
                        Err(error) => {
                            if let Ok(mut failures) = failures.lock() {
                                failures.push(error.to_string());
                            }
                        }
                    }
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for thread in threads {
        latencies.extend(thread.join().map_err(|_| "a client thread panicked")?);
    }
    let elapsed = started.elapsed();
    if let Ok(failures) = failures.lock()
        && let Some(first) = failures.first()
    {
        return Err(format!(
            "{} operations failed, first: {first}",
            failures.len()
        ));
    }
    Ok(Measured::new(latencies, elapsed))
}

/// Peak resident memory of this process, in MiB (Linux; 0 elsewhere).
pub(crate) fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// A well-spread pseudo-random index below `len` for the n-th operation of a client
/// (SplitMix64), so the workloads' clients spread over the holders without a generator each.
pub(crate) fn pick(client: usize, n: usize, len: usize) -> usize {
    let mut z = (((client as u64) << 40) ^ n as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    usize::try_from(z % len.max(1) as u64).unwrap_or_default()
}

pub(crate) fn fail(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// An application error as the benchmark's operator needs it: with the internal cause, which
/// answers to clients leave out (the benchmark runs on the server itself).
pub(crate) fn app_fail(error: shebao_app::AppError) -> String {
    match error.cause_chain() {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}
