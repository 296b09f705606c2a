//! Batches of card credits and debits: each operation is its single use case, with its own
//! key, checks, audit record and result; the batch only shares commits.

use serde_json::json;
use shebao_app::App;
use shebao_app::money::batch::{BATCH_OPERATIONS_MAX, BatchLimits, BatchOperation, BatchRequest};
use shebao_app::views::CardView;

use crate::harness::{FINANCIAL_PIN, HOLDER_ID, OTHER_ID, World};

fn operation(key: &str, kind: &str, card: &str, request: serde_json::Value) -> BatchOperation {
    BatchOperation {
        idempotency_key: key.into(),
        operation: kind.into(),
        card: card.into(),
        request,
    }
}

fn credit(key: &str, card: &str, amount_fen: i64) -> BatchOperation {
    operation(
        key,
        "credit_benefit",
        card,
        json!({ "kind": "pension", "amount_fen": amount_fen, "region": "330100" }),
    )
}

fn buy(key: &str, card: &str, amount_fen: i64, pin: &str) -> BatchOperation {
    operation(
        key,
        "purchase",
        card,
        json!({ "amount_fen": amount_fen, "pin": pin, "merchant": "shop-1" }),
    )
}

/// The holder's collected card, and the world's application on a batch pool of `workers`
/// threads that admits `batches_max` batches at once.
fn small_pool(w: &World, workers: usize, batches_max: usize) -> (CardView, App) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let app = w.app.clone().with_batch_limits(BatchLimits {
        workers,
        batches_max,
    });
    (card, app)
}

fn balance(w: &World, card: &str) -> i64 {
    w.app.card_account(&w.clerk, card).unwrap().balance_fen
}

fn audit_records(w: &World) -> i64 {
    w.app.verify_audit_chains().unwrap().records
}

fn each_operation_has_its_own_result_in_order_and_one_audit_record(w: World) {
    let (_, first) = w.collected_card(HOLDER_ID);
    let (_, second) = w.collected_card(OTHER_ID);
    // 300 pension credits across two cards, one of them refused (unknown card), one with a
    // malformed request: the others are unaffected.
    let mut operations: Vec<BatchOperation> = (0..300)
        .map(|i| {
            let card = if i % 2 == 0 { &first.id } else { &second.id };
            credit(&format!("batch-credit-{i:04}"), card, 100 + i)
        })
        .collect();
    operations[7] = credit("batch-credit-0007", "crd_no_such_card", 100);
    operations[8] = operation(
        "batch-credit-0008",
        "credit_benefit",
        &first.id,
        json!({ "amount_fen": "ten" }),
    );
    let before = audit_records(&w);
    let batch = BatchRequest { operations };
    let outcomes = w.app.run_batch(&w.clerk, &batch).unwrap();
    assert_eq!(outcomes.len(), 300);
    let mut expected = [0_i64, 0];
    for (i, outcome) in outcomes.iter().enumerate() {
        match i {
            7 => assert_eq!(outcome.as_ref().unwrap_err().code(), "not_found"),
            8 => assert_eq!(outcome.as_ref().unwrap_err().code(), "invalid_request"),
            _ => {
                let transfer = outcome.clone().unwrap().posted().unwrap();
                assert_eq!(transfer.amount_fen, 100 + i as i64, "result {i} in order");
                expected[i % 2] += 100 + i as i64;
            }
        }
    }
    assert_eq!(balance(&w, &first.id), expected[0]);
    assert_eq!(balance(&w, &second.id), expected[1]);
    // One record per credit that took effect: the unknown card and the malformed request
    // changed nothing and refused no authorisation.
    assert_eq!(audit_records(&w) - before, 298);

    // The same batch again: every answer as before, no money moves, nothing more recorded.
    let again = w.app.run_batch(&w.clerk, &batch).unwrap();
    for (first_answer, second_answer) in outcomes.iter().zip(&again) {
        match (first_answer, second_answer) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.code(), b.code()),
            _ => panic!("a replayed operation answered differently"),
        }
    }
    assert_eq!(balance(&w, &first.id), expected[0]);
    assert_eq!(audit_records(&w) - before, 298);
    // A key of the batch sent alone with another body is a reuse, as for single requests.
    let reused = w
        .app
        .run_batch(
            &w.clerk,
            &BatchRequest {
                operations: vec![credit("batch-credit-0000", &first.id, 1)],
            },
        )
        .unwrap();
    assert_eq!(
        reused[0].as_ref().unwrap_err().code(),
        "idempotency_key_reused"
    );
}

fn debits_check_the_pin_and_the_balance_one_by_one(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    w.activate_financial(&card.id, HOLDER_ID);
    let funded = w.app.run_batch(
        &w.clerk,
        &BatchRequest {
            operations: vec![credit("batch-fund-1", &card.id, 1_000)],
        },
    );
    assert!(funded.unwrap()[0].is_ok());
    // 40 purchases of 100 against 1,000: exactly ten go through whatever order they run
    // in; one has a wrong PIN; the clerk may not buy (refused and audited).
    let mut operations: Vec<BatchOperation> = (0..40)
        .map(|i| buy(&format!("batch-buy-{i:03}"), &card.id, 100, FINANCIAL_PIN))
        .collect();
    operations[0] = buy("batch-buy-000", &card.id, 100, "000000");
    let outcomes = w
        .app
        .run_batch(&w.bank_system, &BatchRequest { operations })
        .unwrap();
    let done = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(done, 10);
    assert_eq!(outcomes[0].as_ref().unwrap_err().code(), "pin_incorrect");
    assert!(
        outcomes
            .iter()
            .skip(1)
            .filter_map(|o| o.as_ref().err())
            .all(|e| e.code() == "insufficient_funds"),
        "{outcomes:?}"
    );
    assert_eq!(balance(&w, &card.id), 0);
    let before = audit_records(&w);
    let refused = w
        .app
        .run_batch(
            &w.clerk,
            &BatchRequest {
                operations: vec![buy("batch-buy-clerk", &card.id, 1, FINANCIAL_PIN)],
            },
        )
        .unwrap();
    assert_eq!(refused[0].as_ref().unwrap_err().code(), "forbidden");
    assert_eq!(audit_records(&w) - before, 1);
}

fn a_batch_is_refused_whole_to_other_roles_and_beyond_its_size(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let one = BatchRequest {
        operations: vec![credit("batch-size-1", &card.id, 1)],
    };
    let before = audit_records(&w);
    let refused = w.app.run_batch(&w.auditor, &one).unwrap_err();
    assert_eq!(refused.code(), "forbidden");
    assert_eq!(audit_records(&w) - before, 1, "the refusal is audited");
    for size in [0, BATCH_OPERATIONS_MAX + 1] {
        let operations = (0..size)
            .map(|i| credit(&format!("batch-size-x{i}"), &card.id, 1))
            .collect();
        let error = w
            .app
            .run_batch(&w.clerk, &BatchRequest { operations })
            .unwrap_err();
        assert_eq!(error.code(), "invalid_request", "{size}");
    }
    assert_eq!(balance(&w, &card.id), 0);
}

// Issue 13, finding 2: batches run on one shared pool of a fixed number of workers, and a
// batch beyond the pool's admitted batches is refused `busy` (503, Retry-After) before any
// of its operations runs.
fn a_batch_beyond_the_admitted_batches_is_refused_busy_and_changes_nothing(w: World) {
    let (card, app) = small_pool(&w, 2, 1);
    let first = BatchRequest {
        operations: (0..400)
            .map(|i| credit(&format!("busy-first-{i:04}"), &card.id, 1))
            .collect(),
    };
    let before = audit_records(&w);
    let running = std::thread::scope(|scope| {
        let (app, clerk) = (&app, &w.clerk);
        let running = scope.spawn(move || app.run_batch(clerk, &first));
        while app.batches_in_progress() == 0 && !running.is_finished() {
            std::thread::yield_now();
        }
        let second = BatchRequest {
            operations: vec![credit("busy-second", &card.id, 1_000)],
        };
        let refused = app.run_batch(&w.clerk, &second).unwrap_err();
        assert_eq!(refused.code(), "busy");
        assert_eq!(refused.status(), 503);
        assert_eq!(refused.retry_after_seconds(), Some(1));
        running.join().unwrap().unwrap()
    });
    assert!(running.iter().all(Result::is_ok), "{running:?}");
    assert_eq!(
        balance(&w, &card.id),
        400,
        "the refused batch moved nothing"
    );
    assert_eq!(audit_records(&w) - before, 400, "nor wrote an audit record");
    assert_eq!(app.batches_in_progress(), 0);
    // Once the first is done, a batch is admitted again.
    let again = BatchRequest {
        operations: vec![credit("busy-second", &card.id, 1_000)],
    };
    assert!(app.run_batch(&w.clerk, &again).unwrap()[0].is_ok());
    assert_eq!(balance(&w, &card.id), 1_400);
}

// Issue 13, finding 2: many batches at once on a small pool: each is answered in full or
// refused `busy` as a whole, and the money is exactly the sum of the accepted ones.
fn concurrent_batches_on_a_small_pool_are_done_in_full_or_refused_whole(w: World) {
    let (card, app) = small_pool(&w, 4, 3);
    let accepted: Vec<i64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..12_i64)
            .map(|b| {
                let (app, clerk, card) = (&app, &w.clerk, &card.id);
                scope.spawn(move || {
                    let operations = (0..50)
                        .map(|i| credit(&format!("pool-{b}-{i}"), card, b + 1))
                        .collect();
                    match app.run_batch(clerk, &BatchRequest { operations }) {
                        Ok(outcomes) => {
                            assert_eq!(outcomes.len(), 50);
                            assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
                            Some(50 * (b + 1))
                        }
                        Err(error) => {
                            assert_eq!(error.code(), "busy");
                            None
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|handle| handle.join().unwrap())
            .collect()
    });
    assert!(!accepted.is_empty());
    assert_eq!(balance(&w, &card.id), accepted.iter().sum::<i64>());
    assert_eq!(app.batches_in_progress(), 0);
}

crate::on_both_backends!(
    a_batch_beyond_the_admitted_batches_is_refused_busy_and_changes_nothing,
    concurrent_batches_on_a_small_pool_are_done_in_full_or_refused_whole,
    each_operation_has_its_own_result_in_order_and_one_audit_record,
    debits_check_the_pin_and_the_balance_one_by_one,
    a_batch_is_refused_whole_to_other_roles_and_beyond_its_size,
);
