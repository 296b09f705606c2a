//! Property: any sequence of settlements and undos leaves the personal account and the
//! year's accumulators exactly as the settlements still standing say.

use proptest::prelude::*;

use super::*;
use crate::harness::Backend;

#[derive(Debug, Clone)]
enum Step {
    Settle {
        class_a_fen: i64,
        class_b_fen: i64,
        self_paid_fen: i64,
    },
    UndoOne {
        pick: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0i64..5_000_000, 0i64..3_000_000, 0i64..500_000)
            .prop_map(|(class_a_fen, class_b_fen, self_paid_fen)| Step::Settle { class_a_fen, class_b_fen, self_paid_fen }),
        1 => (0usize..100).prop_map(|pick| Step::UndoOne { pick }),
    ]
}

fn run(steps: &[Step], backend: Backend) {
    let w = World::new(backend);
    let (hospital, _) = set_up(&w);
    let (person, card) = insured(&w, HOLDER_ID, 2_000_000);
    let mut standing: Vec<shebao_app::medical::SettlementView> = Vec::new();
    for (n, step) in steps.iter().enumerate() {
        match step {
            Step::Settle {
                class_a_fen,
                class_b_fen,
                self_paid_fen,
            } => {
                let lines: Vec<BillLineRequest> = [
                    ("A001", *class_a_fen),
                    ("B001", *class_b_fen),
                    ("C001", *self_paid_fen),
                ]
                .into_iter()
                .filter(|(_, amount)| *amount > 0)
                .map(|(code, amount)| BillLineRequest {
                    code: code.into(),
                    quantity: 1,
                    unit_price_fen: amount,
                })
                .collect();
                if lines.is_empty() {
                    continue;
                }
                let settled = w
                    .app
                    .settle(
                        &hospital,
                        &w.key(),
                        BillRequest {
                            lines,
                            ..bill(&card, &format!("M-{n}"))
                        },
                    )
                    .unwrap();
                assert_eq!(
                    settled.fund_fen
                        + settled.supplementary_fen
                        + settled.account_fen
                        + settled.cash_fen,
                    settled.total_fen
                );
                standing.push(settled);
            }
            Step::UndoOne { pick } => {
                if standing.is_empty() {
                    continue;
                }
                let undone = standing.remove(pick % standing.len());
                w.app
                    .undo_settlement(
                        &hospital,
                        &w.key(),
                        &undone.bill_number,
                        crate::requests::undo_reason(),
                    )
                    .unwrap();
            }
        }
        let year = w.app.query_insured(&hospital, card.clone()).unwrap();
        let sum = |f: fn(&shebao_app::medical::SettlementView) -> i64| {
            standing.iter().map(f).sum::<i64>()
        };
        assert_eq!(
            year.deductible_used_fen,
            sum(|s| s.deductible_fen),
            "after {step:?}"
        );
        assert_eq!(year.fund_used_fen, sum(|s| s.fund_fen), "after {step:?}");
        assert_eq!(
            year.supplementary_used_fen,
            sum(|s| s.supplementary_fen),
            "after {step:?}"
        );
        assert_eq!(
            balance(&w, &person),
            2_000_000 - sum(|s| s.account_fen),
            "after {step:?}"
        );
        ledger_is_balanced(&w);
    }
}

crate::model_on_both_backends!(
    undo_restores_every_balance_and_accumulator,
    steps: step(), 1..16,
    cases: 10, 4
);
