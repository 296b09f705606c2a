//! Property test: random sequences of money operations against a simple model. After every
//! step each balance equals the model's, every balance equals the sum of its entries, and
//! the whole ledger sums to zero.

use proptest::prelude::*;
use shebao_app::cards::ActivateRequest;
use shebao_app::money::{CashRequest, CreditRequest, PurchaseRequest, ReversalRequest};
use shebao_store::StoreError;

use crate::harness::{Backend, FINANCIAL_PIN, HOLDER_ID, OTHER_ID, World};

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
    ]
}

/// What the model expects of one card's account.
#[derive(Debug, Default, Clone)]
struct Expected {
    balance_fen: i64,
    wrong_pins: u32,
    locked: bool,
}

/// Whether a bank counter may reverse the transfer.
const COUNTER: bool = true;

fn run(steps: &[Step]) {
    let w = World::new(Backend::Sqlite);
    let cards: Vec<_> = [HOLDER_ID, OTHER_ID]
        .iter()
        .map(|id| {
            let (_, card) = w.collected_card(id);
            w.app
                .activate_financial(
                    &w.teller,
                    &w.key(),
                    &card.id,
                    ActivateRequest {
                        citizen_id: (*id).into(),
                        pin: FINANCIAL_PIN.into(),
                    },
                )
                .unwrap();
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
                let done = w
                    .app
                    .deposit(
                        &w.teller,
                        &w.key(),
                        &cards[card].id,
                        CashRequest {
                            amount_fen,
                            pin: None,
                            memo: None,
                        },
                    )
                    .unwrap();
                model[card].balance_fen += amount_fen;
                reversible.push((done.id, card, amount_fen, COUNTER));
            }
            Step::Credit { card, amount_fen } => {
                let request = CreditRequest {
                    kind: "benefit".into(),
                    amount_fen,
                    region: "330100".into(),
                    memo: None,
                };
                let done = w
                    .app
                    .credit_benefit(&w.clerk, &w.key(), &cards[card].id, request)
                    .unwrap();
                model[card].balance_fen += amount_fen;
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
                            amount_fen,
                            pin: Some(pin),
                            memo: None,
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
                let expected_code = if expected.locked {
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
                let outcome = w.app.reverse_transfer(
                    &w.teller,
                    &w.key(),
                    &id,
                    ReversalRequest {
                        reason: "model reversal".into(),
                    },
                );
                if !at_counter {
                    assert_eq!(outcome.unwrap_err().code(), "not_reversible_here");
                } else if model[card].balance_fen - effect < 0 {
                    assert_eq!(outcome.unwrap_err().code(), "insufficient_funds");
                } else {
                    outcome.unwrap();
                    model[card].balance_fen -= effect;
                }
            }
        }
        for (card, expected) in cards.iter().zip(&model) {
            assert_eq!(
                w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen,
                expected.balance_fen,
                "after {step:?}"
            );
        }
        let (total, mismatches) = w
            .app
            .store()
            .read(|tx| Ok::<_, StoreError>((tx.ledger_total()?, tx.ledger_mismatches()?)))
            .unwrap();
        assert_eq!(
            (total, mismatches),
            (0, Vec::<String>::new()),
            "after {step:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn money_operations_match_the_model_and_the_ledger_balances(steps in prop::collection::vec(step(), 1..25)) {
        run(&steps);
    }
}
