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
use shebao_app::batch::{BatchLimits, BatchOperation, BatchRequest};
use shebao_app::cards::{ActivateRequest, CardApplication, CollectRequest, ReadyRequest};
use shebao_app::money::{CashRequest, CreditRequest, PurchaseRequest};
use shebao_app::reference::{NewBank, NewBranch};
use shebao_app::{Actor, App, AppError};
use shebao_domain::ids::PersonId;

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
    let holders = register_holders(&app, options.holders, None)?;
    let cards_wanted = options.cards.min(options.holders).max(1);
    let cards = issue_cards(
        &app,
        (&clerk, &teller),
        &holders.first(cards_wanted),
        options.clients,
    )?;
    let cards = Arc::new(cards);

    let mut results = Vec::new();
    let (baseline_name, baseline_tps) = baseline(db, options.seconds)?;
    let context = Context {
        store: &kind,
        holders: options.holders,
        cards: cards_wanted,
        clients: options.clients,
        baseline: baseline_name,
        baseline_ops_per_s: baseline_tps,
    };
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
    let workloads: Vec<(&str, Arc<Operation>)> = workloads
        .into_iter()
        .map(|(name, operation)| (name, Arc::new(operation)))
        .collect();
    for (name, operation) in &workloads {
        let (app_in, cards_in, operation_in, name) =
            (app.clone(), cards.clone(), operation.clone(), *name);
        let measured = measure(options.clients, options.seconds, move |client, n| {
            let card = &cards_in[(client * 7_919 + n * 104_729) % cards_in.len()];
            operation_in(&app_in, &format!("bench-{name}-{client}-{n}"), card)
        })?;
        results.push(measured.row(name, &context, json!({})));
        if name == "card_purchase" {
            // The latency the target speaks of: at 80% of the peak rate just measured.
            let (app_in, cards_in, operation_in) = (app.clone(), cards.clone(), operation.clone());
            let offered = measured.ops_per_s() * 0.8;
            let paced = measure_paced(
                options.clients,
                options.seconds,
                offered,
                move |client, n| {
                    let card = &cards_in[(client * 7_919 + n * 104_729) % cards_in.len()];
                    operation_in(&app_in, &format!("bench-paced-{client}-{n}"), card)
                },
            )?;
            results.push(paced.row(
                "card_purchase_at_80pct",
                &context,
                json!({ "offered_per_s": offered, "latency_from": "the time each operation was due" }),
            ));
        }
    }
    // Batches: each client sends batches of purchases (as the bank) and pension credits (as
    // the bureau), alternately; every operation has its own key and result.
    results.push(batches(&app, (&bank, &clerk), &cards, options, &context)?);
    // Over HTTP: purchases through the real server beside its trivial endpoint.
    results.extend(crate::http_load::run(
        &app,
        &cards,
        &crate::http_load::Setting {
            context: &context,
            seconds: options.seconds,
            pin: PIN,
            bank_login: "bench-bank-system",
        },
    )?);
    results.extend(crate::workloads_medical::run(
        &app,
        &admin,
        &clerk,
        &holders.first(cards.len()),
        &cards,
        options,
        &context,
    )?);
    // After the medical workload, which insures the card holders through its own employer.
    results.extend(crate::workloads_insurance::run(
        &app,
        &clerk,
        holders,
        options,
        (baseline_name, baseline_tps),
        crate::workloads_insurance::MONTHS,
    )?);
    Ok(results)
}

/// Operations per batch in the batch workload.
const BATCH_SIZE: usize = 1_000;

/// The batch workload: ops/s counts operations, latencies are whole batches.
fn batches(
    app: &App,
    (bank, clerk): (&Actor, &Actor),
    cards: &Arc<Vec<String>>,
    options: &Options,
    context: &Context<'_>,
) -> Result<Value, String> {
    // The server's batch pool, admitting every client's batch at once.
    let limits = app.batch_limits();
    let app_in = app.clone().with_batch_limits(BatchLimits {
        batches_max: limits.batches_max.max(options.clients),
        ..limits
    });
    let cards_in = cards.clone();
    let (bank, clerk) = (bank.clone(), clerk.clone());
    let measured = measure(options.clients, options.seconds, move |client, n| {
        let purchases = (client + n) % 2 == 0;
        let operations = (0..BATCH_SIZE)
            .map(|i| {
                let card =
                    cards_in[(client * 7_919 + n * 104_729 + i * 31) % cards_in.len()].clone();
                let idempotency_key = format!("bench-batch-{client}-{n}-{i}");
                if purchases {
                    BatchOperation {
                        idempotency_key,
                        operation: "purchase".into(),
                        card,
                        request: json!({ "amount_fen": 1, "pin": PIN, "merchant": "bench-shop" }),
                    }
                } else {
                    BatchOperation {
                        idempotency_key,
                        operation: "credit_benefit".into(),
                        card,
                        request: json!({ "kind": "pension", "amount_fen": 1, "region": "330100" }),
                    }
                }
            })
            .collect();
        let actor = if purchases { &bank } else { &clerk };
        let outcomes = app_in.run_batch(actor, &BatchRequest { operations })?;
        match outcomes.into_iter().find_map(Result::err) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    })?;
    let ops_per_s = measured.ops_per_s() * BATCH_SIZE as f64;
    Ok(measured.row(
        "batch_credit_debit",
        context,
        json!({
            "batch_size": BATCH_SIZE,
            "ops": measured.ops * BATCH_SIZE,
            "ops_per_s": ops_per_s,
            "latency_of": "one batch",
        }),
    ))
}

/// Gives the first holders an activated card with money on it, through the real use cases
/// (application, production, distribution, collection, activation at the bank, a deposit),
/// from `workers` threads so the store commits many steps together.
fn issue_cards(
    app: &App,
    (clerk, teller): (&Actor, &Actor),
    persons: &[PersonId],
    workers: usize,
) -> Result<Vec<String>, String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let issued: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::with_capacity(persons.len()));
    let issue = |i: usize, person: &PersonId| -> Result<String, String> {
        let number = citizen_id(i).ok_or("cannot generate an ID number")?;
        let key = |step: &str| format!("bench-card-{i}-{step}");
        let card = app
            .apply_card(
                clerk,
                &key("apply"),
                CardApplication {
                    person_id: person.to_string(),
                    bank_id: "icbc".into(),
                    region: "330100".into(),
                },
            )
            .map_err(fail)?
            .id;
        app.start_production(clerk, &key("production"), &card)
            .map_err(fail)?;
        app.mark_ready(
            clerk,
            &key("ready"),
            &card,
            ReadyRequest {
                distribution_point: "icbc-1".into(),
            },
        )
        .map_err(fail)?;
        app.collect_card(
            clerk,
            &key("collect"),
            &card,
            CollectRequest {
                citizen_id: number.clone(),
                social_pin: "582037".into(),
            },
        )
        .map_err(fail)?;
        app.activate_financial(
            teller,
            &key("activate"),
            &card,
            ActivateRequest {
                citizen_id: number,
                pin: PIN.into(),
            },
        )
        .map_err(fail)?;
        app.deposit(
            teller,
            &key("deposit"),
            &card,
            CashRequest {
                amount_fen: OPENING_DEPOSIT_FEN,
                pin: None,
                memo: None,
            },
        )
        .map_err(fail)?
        .posted()
        .ok_or("the opening deposit waits for a second teller's approval")?;
        Ok(card)
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.clamp(1, 64))
            .map(|_| {
                scope.spawn(|| -> Result<(), String> {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(person) = persons.get(i) else {
                            return Ok(());
                        };
                        let card = issue(i, person)?;
                        issued.lock().map_err(fail)?.push((i, card));
                    }
                })
            })
            .collect();
        for handle in handles {
            handle
                .join()
                .map_err(|_| "a card setup thread panicked")??;
        }
        Ok::<_, String>(())
    })?;
    let mut issued = issued.into_inner().map_err(fail)?;
    issued.sort_unstable();
    Ok(issued.into_iter().map(|(_, card)| card).collect())
}

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
