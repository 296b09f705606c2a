//! The money workloads of `shebao bench run`: **card purchases** (PIN-verified, idempotent,
//! audited, durable), flat out and then paced at 80% of that peak, **benefit credits**, and
//! batches of both, through the application layer on the benchmark's activated cards.

use std::sync::Arc;

use serde_json::{Value, json};
use shebao_app::money::batch::{BatchLimits, BatchOperation, BatchRequest};
use shebao_app::money::{CreditRequest, PurchaseRequest};
use shebao_app::{Actor, App, AppError};

use super::common::{Context, Options, measure, measure_paced};
use super::setup::PIN;

/// One operation of a workload: the application, a fresh idempotency key, the card.
type Operation = Box<dyn Fn(&App, &str, &str) -> Result<(), AppError> + Send + Sync>;

/// Runs the purchases (flat out, then paced at 80%), the credits and the batches; one row
/// each.
pub(crate) fn run(
    app: &App,
    (bank, clerk): (&Actor, &Actor),
    cards: &Arc<Vec<String>>,
    options: &Options,
    context: &Context<'_>,
) -> Result<Vec<Value>, String> {
    let mut results = Vec::new();
    for (name, operation) in workloads(bank, clerk) {
        let (app_in, cards_in, operation_in) = (app.clone(), cards.clone(), operation.clone());
        let measured = measure(options.terminals, options.seconds, move |client, n| {
            let card = card_for(&cards_in, client, n, 0);
            operation_in(&app_in, &format!("bench-{name}-{client}-{n}"), card)
        })?;
        results.push(measured.row(name, context, json!({ "clients": options.terminals })));
        if name == "card_purchase" {
            // The latency the target speaks of: at 80% of the peak rate just measured.
            let offered = measured.ops_per_s() * 0.8;
            results.push(paced(app, cards, &operation, offered, options, context)?);
        }
    }
    // Batches: each client sends batches of purchases (as the bank) and pension credits (as
    // the bureau), alternately; every operation has its own key and result.
    results.push(batches(app, (bank, clerk), cards, options, context)?);
    Ok(results)
}

/// The two single-operation workloads: a purchase by the bank's system and a pension credit
/// by the clerk, one fen each.
fn workloads(bank: &Actor, clerk: &Actor) -> [(&'static str, Arc<Operation>); 2] {
    let (bank, clerk) = (bank.clone(), clerk.clone());
    [
        (
            "card_purchase",
            Arc::new(Box::new(move |app: &App, key: &str, card: &str| {
                let request = PurchaseRequest {
                    amount_fen: 1,
                    pin: PIN.into(),
                    merchant: "bench-shop".into(),
                    memo: None,
                };
                app.purchase(&bank, key, card, request).map(|_| ())
            })),
        ),
        (
            "benefit_credit",
            Arc::new(Box::new(move |app: &App, key: &str, card: &str| {
                let request = CreditRequest {
                    kind: "pension".into(),
                    amount_fen: 1,
                    region: "330100".into(),
                    memo: None,
                };
                app.credit_benefit(&clerk, key, card, request).map(|_| ())
            })),
        ),
    ]
}

/// `operation` offered at `offered` per second, its latency counted from when each was due.
fn paced(
    app: &App,
    cards: &Arc<Vec<String>>,
    operation: &Arc<Operation>,
    offered: f64,
    options: &Options,
    context: &Context<'_>,
) -> Result<Value, String> {
    let (app_in, cards_in, operation_in) = (app.clone(), cards.clone(), operation.clone());
    let paced = measure_paced(
        options.terminals,
        options.seconds,
        offered,
        move |client, n| {
            let card = card_for(&cards_in, client, n, 0);
            operation_in(&app_in, &format!("bench-paced-{client}-{n}"), card)
        },
    )?;
    Ok(paced.row(
        "card_purchase_at_80pct",
        context,
        json!({
            "clients": options.terminals,
            "offered_per_s": offered,
            "latency_from": "the time each operation was due",
        }),
    ))
}

/// The card of a client's n-th operation (the i-th of a batch), spread over all the cards.
fn card_for(cards: &[String], client: usize, n: usize, i: usize) -> &String {
    &cards[(client * 7_919 + n * 104_729 + i * 31) % cards.len()]
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
                let card = card_for(&cards_in, client, n, i).clone();
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
