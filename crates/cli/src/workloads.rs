//! `shebao bench run`: the money workloads beside their baselines (issue 7, first part).
//! N holders are registered in bulk straight through the store (the data set); a fixed
//! number of them receive a card through the real use cases (apply, production, ready,
//! collection, activation at the bank, an opening deposit). Then, for a fixed time each,
//! concurrent clients run **card purchases** (PIN-verified, idempotent, audited, durable) and
//! **benefit credits** through the application layer, and the baseline of the same store runs
//! for the same time: a TPC-B-like loop on the same SQLite library with the same durability,
//! or `pgbench -M prepared -c 8` on the same PostgreSQL server. Each figure is printed with
//! its ratio to the baseline; `--json FILE` writes them as a JSON array.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shebao_app::cards::{ActivateRequest, CardApplication, CollectRequest, ReadyRequest};
use shebao_app::money::{CashRequest, CreditRequest, PurchaseRequest};
use shebao_app::reference::{NewBank, NewBranch};
use shebao_app::{App, AppError};

use crate::bench::{bench_app, citizen_id, fail, register_holders, staff, staff_user};

const PIN: &str = "913752";
const OPENING_DEPOSIT_FEN: i64 = 10_000_000;

/// One operation of a workload: the application, a fresh idempotency key, the card.
type Operation = Box<dyn Fn(&App, &str, &str) -> Result<(), AppError> + Send + Sync>;

/// What to run.
pub struct Options {
    pub holders: usize,
    /// Holders that receive an activated card (the workloads' accounts).
    pub cards: usize,
    pub clients: usize,
    pub seconds: f64,
}

/// One measured workload.
struct Measured {
    ops: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Measured {
    fn ops_per_s(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let rank = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        self.latencies[rank.min(self.latencies.len() - 1)].as_secs_f64() * 1_000.0
    }
}

/// Runs `work` from `clients` threads for `seconds`; `work(client, n)` is the n-th operation
/// of a client. Latencies are kept for every operation that succeeded.
fn measure(
    clients: usize,
    seconds: f64,
    work: impl Fn(usize, usize) -> Result<(), AppError> + Send + Sync + 'static,
) -> Result<Measured, String> {
    let work = Arc::new(work);
    let failures = Arc::new(Mutex::new(Vec::new()));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|client| {
            let (work, failures) = (work.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut n = 0;
                while Instant::now() < deadline {
                    let began = Instant::now();
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
    latencies.sort_unstable();
    Ok(Measured {
        ops: latencies.len(),
        elapsed,
        latencies,
    })
}

/// The baseline of the store behind `db`: its name and transactions per second.
fn baseline(db: &str, seconds: f64) -> Result<(&'static str, f64), String> {
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

/// Peak resident memory of this process, in MiB (Linux; 0 elsewhere).
fn peak_rss_mib() -> f64 {
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

/// Builds the data set on `db` (a fresh store) and runs the workloads and the baseline.
pub fn run(db: &str, store: shebao_store::Store, options: &Options) -> Result<Vec<Value>, String> {
    let (app, admin, clerk) = bench_app(store)?;
    let kind = app.store().kind().to_owned();
    app.create_bank(
        &admin,
        "bench-bank",
        NewBank {
            id: "icbc".into(),
            name: "ICBC".into(),
            bin: "621226".into(),
        },
    )
    .map_err(fail)?;
    app.create_branch(
        &admin,
        "bench-branch",
        "icbc",
        NewBranch {
            id: "icbc-1".into(),
            name: "ICBC Hangzhou".into(),
            region: "330100".into(),
        },
    )
    .map_err(fail)?;
    let teller = staff_user(
        &app,
        &admin,
        "bench-teller",
        staff("bank_teller", "bench-teller", None, Some("icbc-1")),
    )?;
    let bank = staff_user(
        &app,
        &admin,
        "bench-bank-system",
        staff("bank_system", "bench-bank-system", Some("icbc"), None),
    )?;
    let persons = register_holders(&app, options.holders, None)?;
    let cards_wanted = options.cards.min(options.holders).max(1);
    let mut cards = Vec::with_capacity(cards_wanted);
    for (i, person) in persons.iter().take(cards_wanted).enumerate() {
        let number = citizen_id(i).ok_or("cannot generate an ID number")?;
        let key = |step: &str| format!("bench-card-{i}-{step}");
        let card = app
            .apply_card(
                &clerk,
                &key("apply"),
                CardApplication {
                    person_id: person.to_string(),
                    bank_id: "icbc".into(),
                    region: "330100".into(),
                },
            )
            .map_err(fail)?
            .id;
        app.start_production(&clerk, &key("production"), &card)
            .map_err(fail)?;
        app.mark_ready(
            &clerk,
            &key("ready"),
            &card,
            ReadyRequest {
                distribution_point: "icbc-1".into(),
            },
        )
        .map_err(fail)?;
        app.collect_card(
            &clerk,
            &key("collect"),
            &card,
            CollectRequest {
                citizen_id: number.clone(),
                social_pin: "582037".into(),
            },
        )
        .map_err(fail)?;
        app.activate_financial(
            &teller,
            &key("activate"),
            &card,
            ActivateRequest {
                citizen_id: number,
                pin: PIN.into(),
            },
        )
        .map_err(fail)?;
        app.deposit(
            &teller,
            &key("deposit"),
            &card,
            CashRequest {
                amount_fen: OPENING_DEPOSIT_FEN,
                pin: None,
                memo: None,
            },
        )
        .map_err(fail)?;
        cards.push(card);
    }
    let cards = Arc::new(cards);

    let mut results = Vec::new();
    let (baseline_name, baseline_tps) = baseline(db, options.seconds)?;
    let workloads: [(&str, Operation); 2] = [
        (
            "card_purchase",
            Box::new({
                let bank = bank.clone();
                move |app: &App, key: &str, card: &str| {
                    let request = PurchaseRequest {
                        amount_fen: 1,
                        pin: PIN.into(),
                        merchant: "bench-shop".into(),
                        memo: None,
                    };
                    app.purchase(&bank, key, card, request).map(|_| ())
                }
            }),
        ),
        (
            "benefit_credit",
            Box::new({
                let clerk = clerk.clone();
                move |app: &App, key: &str, card: &str| {
                    let request = CreditRequest {
                        kind: "pension".into(),
                        amount_fen: 1,
                        region: "330100".into(),
                        memo: None,
                    };
                    app.credit_benefit(&clerk, key, card, request).map(|_| ())
                }
            }),
        ),
    ];
    for (name, operation) in workloads {
        let (app, cards) = (app.clone(), cards.clone());
        let measured = measure(options.clients, options.seconds, move |client, n| {
            let card = &cards[(client * 7_919 + n * 104_729) % cards.len()];
            operation(&app, &format!("bench-{name}-{client}-{n}"), card)
        })?;
        let ops_per_s = measured.ops_per_s();
        results.push(json!({
            "workload": name,
            "store": kind,
            "holders": options.holders,
            "cards": cards_wanted,
            "clients": options.clients,
            "seconds": measured.elapsed.as_secs_f64(),
            "ops": measured.ops,
            "ops_per_s": ops_per_s,
            "p50_ms": measured.quantile_ms(0.50),
            "p99_ms": measured.quantile_ms(0.99),
            "max_ms": measured.quantile_ms(1.0),
            "peak_rss_mib": peak_rss_mib(),
            "baseline": baseline_name,
            "baseline_ops_per_s": baseline_tps,
            "ratio": ops_per_s / baseline_tps.max(1e-9),
        }));
    }
    Ok(results)
}

/// The results as a table, one line per workload.
pub fn table(results: &[Value]) -> String {
    let mut out = format!(
        "{:<16} {:<8} {:>9} {:>10} {:>8} {:>8} {:>8} {:>12} {:>7}\n",
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
            "{:<16} {:<8} {:>9} {:>10.0} {:>8.2} {:>8.2} {:>8.1} {:>12.0} {:>7.2}\n",
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
