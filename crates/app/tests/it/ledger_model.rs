//! Property test: random sequences of money and card operations (deposits, credits,
//! withdrawals and purchases with right and wrong PINs, reversals, temporary loss and its
//! cancellation, PIN unlock at the counter) against a simple model. After every step each
//! balance, PIN state, card state and statement length equals the model's, every balance
//! equals the sum of its entries, and the whole ledger sums to zero.

use proptest::prelude::*;
use shebao_app::card::LossCancellation;
use shebao_app::money::{CashRequest, PurchaseRequest};

use crate::harness::{Backend, FINANCIAL_PIN, HOLDER_ID, OTHER_ID, World, posted};
use crate::requests::{cash, credit_request, loss, reversal};

#[derive(Debug, Clone)]
enum Step {
    Deposit {
        card: usize,
        amount_fen: i64,
    },
    Credit {
        card: usize,
        amount_fen: i64,
    },
    Withdraw {
        card: usize,
        amount_fen: i64,
        right_pin: bool,
    },
    Purchase {
        card: usize,
        amount_fen: i64,
        right_pin: bool,
    },
    ReverseLast,
    /// The financial side reported temporarily lost (by the clerk).
    ReportLoss {
        card: usize,
    },
    CancelLoss {
        card: usize,
    },
    /// The card bank's teller unlocks a locked financial PIN.
    UnlockPin {
        card: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let card = 0..2usize;
    let amount = 1..50_000i64;
    prop_oneof![
        (card.clone(), amount.clone())
            .prop_map(|(card, amount_fen)| Step::Deposit { card, amount_fen }),
        (card.clone(), amount.clone())
            .prop_map(|(card, amount_fen)| Step::Credit { card, amount_fen }),
        (card.clone(), amount.clone(), prop::bool::weighted(0.85)).prop_map(
            |(card, amount_fen, right_pin)| Step::Withdraw {
                card,
                amount_fen,
                right_pin
            }
        ),
        (card, amount, prop::bool::weighted(0.85)).prop_map(|(card, amount_fen, right_pin)| {
            Step::Purchase {
                card,
                amount_fen,
                right_pin,
            }
        }),
        Just(Step::ReverseLast),
        (0..2usize).prop_map(|card| Step::ReportLoss { card }),
        (0..2usize).prop_map(|card| Step::CancelLoss { card }),
        (0..2usize).prop_map(|card| Step::UnlockPin { card }),
    ]
}

/// What the model expects of one card's account.
#[derive(Debug, Default, Clone)]
struct Expected {
    balance_fen: i64,
    wrong_pins: u32,
    locked: bool,
    /// The financial side is reported temporarily lost.
    lost: bool,
    /// Entries on the account's statement.
    entries: usize,
}

/// Whether a bank counter may reverse the transfer.
const COUNTER: bool = true;

fn run(steps: &[Step], backend: Backend) {
    let w = World::new(backend);
    let cards: Vec<_> = [HOLDER_ID, OTHER_ID]
        .iter()
        .map(|id| {
            let (_, card) = w.collected_card(id);
            w.activate_financial(&card.id, id);
            card
        })
        .collect();
    let mut model = vec![Expected::default(); cards.len()];
    // Transfers that may still be reversed: (transfer id, card, signed effect on the holder).
    // Transfers a reversal may target: (transfer id, card, signed effect on the holder,
    // whether a bank counter may reverse it — benefit credits are not).
    let mut reversible: Vec<(String, usize, i64, bool)> = Vec::new();
    for step in steps {
        match step.clone() {
            Step::Deposit { card, amount_fen } => {
                let done =
                    posted(
                        w.app
                            .deposit(&w.teller, &w.key(), &cards[card].id, cash(amount_fen)),
                    )
                    .unwrap();
                model[card].balance_fen += amount_fen;
                model[card].entries += 1;
                reversible.push((done.id, card, amount_fen, COUNTER));
            }
            Step::Credit { card, amount_fen } => {
                let request = credit_request("benefit", amount_fen);
                let done =
                    posted(
                        w.app
                            .credit_benefit(&w.clerk, &w.key(), &cards[card].id, request),
                    )
                    .unwrap();
                model[card].balance_fen += amount_fen;
                model[card].entries += 1;
                reversible.push((done.id, card, amount_fen, !COUNTER));
            }
            Step::Withdraw {
                card,
                amount_fen,
                right_pin,
            }
            | Step::Purchase {
                card,
                amount_fen,
                right_pin,
            } => {
                let pin = if right_pin { FINANCIAL_PIN } else { "111000" }.to_owned();
                let outcome = if matches!(step, Step::Withdraw { .. }) {
                    w.app.withdraw(
                        &w.teller,
                        &w.key(),
                        &cards[card].id,
                        CashRequest {
                            pin: Some(pin),
                            ..cash(amount_fen)
                        },
                    )
                } else {
                    let request = PurchaseRequest {
                        amount_fen,
                        pin,
                        merchant: "shop-1".into(),
                        memo: None,
                    };
                    w.app
                        .purchase(&w.bank_system, &w.key(), &cards[card].id, request)
                };
                let expected = &mut model[card];
                let expected_code = if expected.lost {
                    // A lost card pays nothing, and its PIN is not even tried.
                    Some("card_lost")
                } else if expected.locked {
                    Some("pin_locked")
                } else if !right_pin {
                    expected.wrong_pins += 1;
                    expected.locked = expected.wrong_pins >= 3;
                    Some(if expected.locked {
                        "pin_locked"
                    } else {
                        "pin_incorrect"
                    })
                } else {
                    expected.wrong_pins = 0;
                    (expected.balance_fen < amount_fen).then_some("insufficient_funds")
                };
                match (outcome, expected_code) {
                    (Ok(done), None) => {
                        expected.balance_fen -= amount_fen;
                        expected.entries += 1;
                        reversible.push((done.id, card, -amount_fen, COUNTER));
                    }
                    (Err(error), Some(code)) => assert_eq!(error.code(), code, "{step:?}"),
                    (outcome, code) => panic!("{step:?}: got {outcome:?}, model expected {code:?}"),
                }
            }
            Step::ReverseLast => {
                let Some((id, card, effect, at_counter)) = reversible.pop() else {
                    continue;
                };
                let outcome =
                    w.app
                        .reverse_transfer(&w.teller, &w.key(), &id, reversal("model reversal"));
                if !at_counter {
                    assert_eq!(outcome.unwrap_err().code(), "not_reversible_here");
                    continue;
                }
                // Issue 13, finding 9: the reversal is posted when a second teller approves.
                let request = outcome.unwrap();
                let approved = w.app.approve(&w.second_teller, &w.key(), &request.id);
                if model[card].balance_fen - effect < 0 {
                    assert_eq!(approved.unwrap_err().code(), "insufficient_funds");
                } else {
                    approved.unwrap();
                    model[card].balance_fen -= effect;
                    model[card].entries += 1;
                }
            }
            Step::ReportLoss { card } => {
                let report = loss("financial", "temporary");
                let outcome = w
                    .app
                    .report_loss(&w.clerk, &w.key(), &cards[card].id, report);
                // Reporting a side already lost again is accepted: the period restarts.
                outcome.unwrap();
                model[card].lost = true;
            }
            Step::CancelLoss { card } => {
                let cancel = LossCancellation {
                    side: "financial".into(),
                };
                let outcome = w
                    .app
                    .cancel_loss(&w.clerk, &w.key(), &cards[card].id, cancel);
                if model[card].lost {
                    outcome.unwrap();
                    model[card].lost = false;
                } else {
                    assert_eq!(outcome.unwrap_err().code(), "not_lost", "{step:?}");
                }
            }
            Step::UnlockPin { card } => {
                let outcome = w
                    .app
                    .unlock_financial_pin(&w.teller, &w.key(), &cards[card].id);
                if model[card].locked {
                    outcome.unwrap();
                    model[card].locked = false;
                    model[card].wrong_pins = 0;
                } else {
                    assert_eq!(outcome.unwrap_err().code(), "pin_not_locked", "{step:?}");
                }
            }
        }
        for (card, expected) in cards.iter().zip(&model) {
            let account = w.app.card_account(&w.clerk, &card.id).unwrap();
            assert_eq!(account.balance_fen, expected.balance_fen, "after {step:?}");
            assert_eq!(account.pin_locked, expected.locked, "after {step:?}");
            let statement = w
                .app
                .statement(&w.clerk, &account.id, None, Some(100))
                .unwrap();
            assert_eq!(
                statement.balance_fen, expected.balance_fen,
                "after {step:?}"
            );
            assert_eq!(
                statement.entries.len(),
                expected.entries.min(100),
                "after {step:?}"
            );
            let shown = w.app.card(&w.clerk, &card.id).unwrap();
            let lost = if expected.lost { "temporary" } else { "none" };
            assert_eq!(shown.financial_loss.kind, lost, "after {step:?}");
        }
        w.assert_ledger_balanced(&format!("after {step:?}"));
    }
}

crate::model_on_both_backends!(
    money_operations_match_the_model_and_the_ledger_balances,
    steps: step(), 1..25,
    cases: 12, 4
);
