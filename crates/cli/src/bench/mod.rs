//! `shebao bench`: the benchmarks of the binary, on a fresh store.
//!
//! `bench run`: the workloads beside their baselines (issue 7). N holders are registered in
//! bulk straight through the store (the data set); a fixed number of them receive a card
//! through the real use cases (apply, production, ready, collection, activation at the bank,
//! an opening deposit). Then, for a fixed time each, concurrent clients run **card
//! purchases** (PIN-verified, idempotent, audited, durable) and **benefit credits** through
//! the application layer, and the baseline of the same store runs for the same time: a
//! TPC-B-like loop on the same SQLite library with the same durability, or `pgbench -M
//! prepared -c 8` on the same PostgreSQL server. Each figure is printed with its ratio to the
//! baseline; `--json FILE` writes them as a JSON array. `bench declaration` times the import
//! of one large declaration file; `bench jobs` the job board's search (`jobs`); `bench
//! production` a batch of N cards and its personalisation file (`production`); `bench ecard`
//! signs N electronic-card codes and verifies them offline on one thread (`ecard`).
//!
//! Imports go one way: this module runs the workloads (`money`, `http_load`, `medical`,
//! `insurance`) and `declaration`; they build on `setup` (the data set) and `baseline`, and
//! everything on `common` (options, measurement, rows), which depends on none of them.

mod baseline;
mod common;
mod declaration;
mod ecard;
mod http_load;
mod insurance;
mod jobs;
mod medical;
mod money;
mod production;
mod report;
mod setup;

use std::sync::Arc;

use serde_json::Value;
use shebao_store::Store;

use common::Context;
pub use common::Options;
pub use declaration::declaration;
pub use ecard::ecard;
pub use jobs::jobs;
pub use production::production;
pub use report::table;

/// Builds the data set on `db` (a fresh store) and runs the workloads and the baseline.
pub fn run(db: &str, store: Store, options: &Options) -> Result<Vec<Value>, String> {
    let (app, admin, clerk) = setup::bench_app(store)?;
    let kind = app.store().kind().to_owned();
    let cards_wanted = options.cards.min(options.holders).max(1);
    let (tellers, bank) = setup::bank_and_staff(&app, &admin, cards_wanted)?;
    let holders = setup::register_holders(&app, options.holders, None)?;
    let cards = setup::issue_cards(
        &app,
        (&clerk, &tellers),
        &holders.first(cards_wanted),
        options.clients,
    )?;
    let cards = Arc::new(cards);

    let (baseline_name, baseline_tps) =
        baseline::baseline(db, &options.pgbench_server, options.seconds)?;
    let sqlite_loop = if options.money_only {
        None
    } else {
        baseline::sqlite_loop(db, options.seconds)?
    };
    let context = Context {
        store: &kind,
        holders: options.holders,
        cards: cards_wanted,
        clients: options.clients,
        baseline: baseline_name,
        baseline_ops_per_s: baseline_tps,
    };
    let mut results = money::run(&app, (&bank, &clerk), &cards, options, &context)?;
    if options.money_only {
        return Ok(results);
    }
    // Over HTTP: purchases through the real server beside its trivial endpoint.
    results.extend(http_load::run(
        &app,
        &cards,
        &http_load::Setting {
            context: &context,
            seconds: options.seconds,
            pin: setup::PIN,
            bank_login: "bench-bank-system",
        },
    )?);
    results.extend(medical::run(
        &app,
        &admin,
        &clerk,
        &holders.first(cards.len()),
        &cards,
        options,
        &context,
    )?);
    // After the medical workload, which insures the card holders through its own employer.
    results.extend(insurance::run(
        &app,
        &clerk,
        holders,
        options,
        (baseline_name, baseline_tps),
        insurance::MONTHS,
    )?);
    if let Some(ops_per_s) = sqlite_loop {
        // What one durable commit costs on this disk, beside the workloads.
        results.push(serde_json::json!({
            "workload": "sqlite_tpcb_loop",
            "store": kind,
            "holders": options.holders,
            "cards": cards_wanted,
            "clients": 1,
            "ops_per_s": ops_per_s,
            "baseline": baseline_name,
            "baseline_ops_per_s": baseline_tps,
            "ratio": ops_per_s / baseline_tps.max(1e-9),
        }));
    }
    Ok(results)
}
