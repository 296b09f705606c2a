//! Races: many clients at once against one card. The store serialises what must be serial;
//! these tests check the outcome is exactly what one-at-a-time would give.

use shebao_app::AppError;
use shebao_app::money::PurchaseRequest;

use crate::harness::{FINANCIAL_PIN, HOLDER_ID, World};
use crate::requests::credit_request;

const CLIENTS: usize = 50;

fn funded_active_card(w: &World, balance_fen: i64) -> String {
    let (_, card) = w.collected_card(HOLDER_ID);
    let credit = credit_request("pension", balance_fen);
    w.app
        .credit_benefit(&w.clerk, &w.key(), &card.id, credit)
        .unwrap();
    w.activate_financial(&card.id, HOLDER_ID);
    card.id
}

/// Runs `CLIENTS` purchases at once, each with its own idempotency key.
fn purchases_at_once(
    w: &World,
    card: &str,
    amount_fen: i64,
    pin: &str,
) -> Vec<Result<i64, AppError>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|n| {
                let (app, bank, card, pin) = (
                    w.app.clone(),
                    w.bank_system.clone(),
                    card.to_owned(),
                    pin.to_owned(),
                );
                scope.spawn(move || {
                    let request = PurchaseRequest {
                        amount_fen,
                        pin,
                        merchant: "shop-1".into(),
                        memo: None,
                    };
                    app.purchase(&bank, &format!("race-purchase-{n:04}"), &card, request)
                        .map(|t| t.balance_after_fen)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn fifty_purchases_against_a_balance_for_ten_succeed_exactly_ten_times(w: World) {
    let card = funded_active_card(&w, 10_000);
    let outcomes = purchases_at_once(&w, &card, 1_000, FINANCIAL_PIN);
    let succeeded = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(succeeded, 10, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .filter_map(|o| o.as_ref().err())
            .all(|e| e.code() == "insufficient_funds")
    );
    let mut balances: Vec<i64> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok().copied())
        .collect();
    balances.sort_unstable();
    assert_eq!(
        balances,
        (0..10).map(|n| n * 1_000).collect::<Vec<_>>(),
        "each success saw its own balance"
    );
    assert_eq!(w.app.card_account(&w.clerk, &card).unwrap().balance_fen, 0);
    w.assert_ledger_balanced("at the end");
}

fn fifty_wrong_pins_at_once_lock_the_pin_without_ever_passing_the_limit(w: World) {
    let card = funded_active_card(&w, 10_000);
    let outcomes = purchases_at_once(&w, &card, 100, "111000");
    assert!(
        outcomes.iter().all(|o| o.is_err()),
        "no wrong PIN is accepted"
    );
    let codes: Vec<&str> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().err())
        .map(AppError::code)
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "pin_incorrect").count(),
        2,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == "pin_locked").count(),
        CLIENTS - 2,
        "{codes:?}"
    );
    let account = w.app.card_account(&w.clerk, &card).unwrap();
    assert!(account.pin_locked);
    let id = shebao_domain::ids::AccountId::new(&account.id);
    let stored = w
        .app
        .store()
        .read(move |tx| tx.account(&id))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.pin_counter.failures, 3,
        "the count never passes the region's limit"
    );
    assert_eq!(account.balance_fen, 10_000);
    // Locked: even the right PIN is refused until the bank unlocks it.
    let right = PurchaseRequest {
        amount_fen: 100,
        pin: FINANCIAL_PIN.into(),
        merchant: "shop-1".into(),
        memo: None,
    };
    assert_eq!(
        w.app
            .purchase(&w.bank_system, &w.key(), &card, right)
            .unwrap_err()
            .code(),
        "pin_locked"
    );
}

crate::on_both_backends!(
    fifty_purchases_against_a_balance_for_ten_succeed_exactly_ten_times,
    fifty_wrong_pins_at_once_lock_the_pin_without_ever_passing_the_limit,
);
