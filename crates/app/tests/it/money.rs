//! Money on the card: deposit-only, debits with the PIN, idempotency, reversals, statements.

use shebao_app::money::{CreditRequest, PurchaseRequest, TransferRequest};
use shebao_app::{Actor, AppError};

use crate::harness::{FINANCIAL_PIN, HOLDER_ID, OTHER_ID, World, amounts, code, posted};
use crate::requests::{cash, cash_with_pin, credit_request, loss, reversal};

fn pension(
    w: &World,
    card: &str,
    amount_fen: i64,
) -> Result<shebao_app::views::TransferView, AppError> {
    posted(w.app.credit_benefit(
        &w.clerk,
        &w.key(),
        card,
        credit_request("pension", amount_fen),
    ))
}

fn purchase(
    w: &World,
    card: &str,
    amount_fen: i64,
    pin: &str,
) -> Result<shebao_app::views::TransferView, AppError> {
    w.app.purchase(
        &w.bank_system,
        &w.key(),
        card,
        PurchaseRequest {
            amount_fen,
            pin: pin.into(),
            merchant: "shop-1".into(),
            memo: None,
        },
    )
}

fn activate(w: &World, card: &str) {
    w.activate_financial(card, HOLDER_ID);
}

fn a_deposit_only_account_takes_credits_and_refuses_every_debit_until_activation(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let (_, other) = w.collected_card(OTHER_ID);
    let credit = pension(&w, &card.id, 300_000).unwrap();
    assert_eq!(credit.balance_after_fen, 300_000);
    w.app
        .deposit(&w.teller, &w.key(), &card.id, cash(1_000))
        .unwrap();
    assert_eq!(
        code(purchase(&w, &card.id, 100, FINANCIAL_PIN).unwrap_err()),
        "deposit_only"
    );
    let withdrawal = w
        .app
        .withdraw(&w.teller, &w.key(), &card.id, cash_with_pin(100));
    assert_eq!(code(withdrawal.unwrap_err()), "deposit_only");
    let transfer = w.app.transfer(
        &w.bank_system,
        &w.key(),
        &card.id,
        TransferRequest {
            to_account: other.account_id.clone().unwrap(),
            amount_fen: 100,
            pin: FINANCIAL_PIN.into(),
            memo: None,
        },
    );
    assert_eq!(code(transfer.unwrap_err()), "deposit_only");
    activate(&w, &card.id);
    let bought = purchase(&w, &card.id, 2_350, FINANCIAL_PIN).unwrap();
    assert_eq!(bought.balance_after_fen, 298_650);
    let statement = w
        .app
        .statement(&w.clerk, card.account_id.as_deref().unwrap(), None, Some(2))
        .unwrap();
    assert_eq!(amounts(&statement), vec![-2_350, 1_000]);
    assert_eq!(statement.next_before, Some(2));
    let rest = w
        .app
        .statement(
            &w.clerk,
            card.account_id.as_deref().unwrap(),
            statement.next_before,
            Some(10),
        )
        .unwrap();
    assert_eq!(
        rest.entries
            .iter()
            .map(|e| e.code.as_str())
            .collect::<Vec<_>>(),
        vec!["pension_credit"]
    );
    assert_eq!(rest.next_before, None);
}

fn a_region_may_refuse_credits_to_deposit_only_accounts(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let strict = shebao_domain::reference::region::RegionParameters {
        deposit_only_accepts_credits: false,
        ..shebao_domain::reference::region::RegionParameters::common()
    };
    w.app
        .add_parameters(
            &w.admin,
            &w.key(),
            "330100",
            shebao_app::reference::NewParameters {
                effective_from: "2026-02-01".into(),
                parameters: shebao_app::views::ParametersBody::from_domain(&strict),
            },
        )
        .unwrap();
    assert_eq!(
        code(pension(&w, &card.id, 100).unwrap_err()),
        "credits_refused_while_deposit_only"
    );
    assert_eq!(
        w.app.parameter_versions(&w.clerk, "330100").unwrap().len(),
        2
    );
}

fn the_financial_pin_locks_after_three_wrong_entries_and_the_bank_unlocks_it(mut w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    pension(&w, &card.id, 10_000).unwrap();
    activate(&w, &card.id);
    assert_eq!(
        code(purchase(&w, &card.id, 100, "111000").unwrap_err()),
        "pin_incorrect"
    );
    assert_eq!(
        code(purchase(&w, &card.id, 100, "111000").unwrap_err()),
        "pin_incorrect"
    );
    w.restart();
    assert_eq!(
        code(purchase(&w, &card.id, 100, "111000").unwrap_err()),
        "pin_locked"
    );
    assert_eq!(
        code(purchase(&w, &card.id, 100, FINANCIAL_PIN).unwrap_err()),
        "pin_locked"
    );
    assert_eq!(
        code(
            w.app
                .unlock_financial_pin(&w.other_teller, &w.key(), &card.id)
                .unwrap_err()
        ),
        "not_found" // Issue 13, finding 12: hidden, not "wrong_bank".
    );
    w.app
        .unlock_financial_pin(&w.teller, &w.key(), &card.id)
        .unwrap();
    assert_eq!(
        purchase(&w, &card.id, 100, FINANCIAL_PIN)
            .unwrap()
            .balance_after_fen,
        9_900
    );
}

fn a_debit_is_refused_when_lost_or_short_of_money(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    pension(&w, &card.id, 1_000).unwrap();
    activate(&w, &card.id);
    assert_eq!(
        code(purchase(&w, &card.id, 1_001, FINANCIAL_PIN).unwrap_err()),
        "insufficient_funds"
    );
    assert_eq!(
        code(purchase(&w, &card.id, 0, FINANCIAL_PIN).unwrap_err()),
        "invalid_amount"
    );
    w.app
        .report_loss(&w.clerk, &w.key(), &card.id, loss("financial", "temporary"))
        .unwrap();
    assert_eq!(
        code(purchase(&w, &card.id, 100, FINANCIAL_PIN).unwrap_err()),
        "card_lost"
    );
    assert_eq!(
        w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen,
        1_000
    );
}

fn a_retry_with_the_same_key_returns_the_first_answer_and_moves_money_once(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let request = credit_request("pension", 5_000);
    let credit = |request: CreditRequest| {
        w.app
            .credit_benefit(&w.clerk, "pension-2026-03-x1", &card.id, request)
    };
    let first = credit(request.clone()).unwrap();
    let again = credit(request.clone()).unwrap();
    assert_eq!(first, again);
    assert_eq!(
        w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen,
        5_000
    );
    let changed = CreditRequest {
        amount_fen: 6_000,
        ..request
    };
    assert_eq!(code(credit(changed).unwrap_err()), "idempotency_key_reused");
    assert_eq!(
        code(
            w.app
                .credit_benefit(
                    &w.clerk,
                    "bad key!",
                    &card.id,
                    CreditRequest {
                        kind: "pension".into(),
                        amount_fen: 1,
                        region: "330100".into(),
                        memo: None
                    }
                )
                .unwrap_err()
        ),
        "invalid_request"
    );
    // A refused debit is answered the same way on retry, without counting the PIN twice.
    activate(&w, &card.id);
    let wrong = PurchaseRequest {
        amount_fen: 10,
        pin: "111000".into(),
        merchant: "shop-1".into(),
        memo: None,
    };
    let purchase = || {
        w.app
            .purchase(&w.bank_system, "purchase-retry-1", &card.id, wrong.clone())
    };
    let refused = purchase().unwrap_err();
    let replayed = purchase().unwrap_err();
    assert_eq!(
        (refused.code(), replayed.code()),
        ("pin_incorrect", "pin_incorrect")
    );
    assert_eq!(refused.to_string(), replayed.to_string());
    assert!(replayed.to_string().contains("2 tries left"));
}

fn concurrent_retries_of_one_key_take_effect_once(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let request = credit_request("benefit", 777);
    let answers: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    w.app
                        .credit_benefit(&w.clerk, "concurrent-key-1", &card.id, request.clone())
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(answers.iter().all(|a| *a == answers[0]));
    assert_eq!(
        w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen,
        777
    );
}

fn a_reversal_corrects_a_transfer_once(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let deposit = posted(w.app.deposit(&w.teller, &w.key(), &card.id, cash(900))).unwrap();
    let reason = reversal("keyed twice");
    let reverse = |actor: &Actor, transfer: &str| {
        w.app
            .reverse_transfer(actor, &w.key(), transfer, reason.clone())
    };
    let other_bank = reverse(&w.other_teller, &deposit.id);
    assert_eq!(code(other_bank.unwrap_err()), "not_found"); // Issue 13, finding 12: hidden, not "forbidden".
    // Issue 13, finding 9: the reversal waits for a second teller of the bank.
    let request = reverse(&w.teller, &deposit.id).unwrap();
    let approved = w
        .app
        .approve(&w.second_teller, &w.key(), &request.id)
        .unwrap();
    let reversal_id = approved.result_transfer_id.unwrap();
    let reversal = w
        .app
        .store()
        .read({
            let id = shebao_domain::ids::TransferId::new(&reversal_id);
            move |tx| tx.transfer(&id)
        })
        .unwrap()
        .unwrap();
    assert_eq!(
        reversal.reverses.as_ref().map(ToString::to_string),
        Some(deposit.id.clone())
    );
    assert_eq!(
        w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen,
        0
    );
    assert_eq!(
        code(reverse(&w.teller, &deposit.id).unwrap_err()),
        "already_reversed"
    );
    assert_eq!(
        code(reverse(&w.teller, &reversal_id).unwrap_err()),
        "cannot_reverse_reversal"
    );
    w.assert_ledger_balanced("at the end");
}

fn staff_act_only_within_their_role_and_bank(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let other_deposit = w.app.deposit(&w.other_teller, &w.key(), &card.id, cash(1));
    assert_eq!(code(other_deposit.unwrap_err()), "not_found"); // Issue 13, finding 12: hidden, not "forbidden".
    let admin_read = w.app.person(&w.admin, &person.id);
    assert_eq!(code(admin_read.unwrap_err()), "forbidden");
    let stranger = w.holder_login("stranger", &w.register(OTHER_ID).id);
    assert_eq!(
        code(w.app.card(&stranger, &card.id).unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code(
            w.app
                .statement(&stranger, card.account_id.as_deref().unwrap(), None, None)
                .unwrap_err()
        ),
        "not_found"
    );
    let denied = w.audit_trail();
    assert!(
        denied
            .iter()
            .any(|r| r.outcome == "denied" && r.actor == "administrator:admin")
    );
    assert!(
        denied
            .iter()
            .any(|r| r.outcome == "refused:forbidden" && r.actor == "bank_teller:teller-abc")
    );
    let verification = w.app.verify_audit(&w.auditor).unwrap();
    assert!(verification.intact, "{:?}", verification.breaks);
    assert_eq!(code(w.app.verify_audit(&w.clerk).unwrap_err()), "forbidden");
}

fn one_key_cannot_replay_against_another_card(w: World) {
    let (_, first) = w.collected_card(HOLDER_ID);
    let (_, second) = w.collected_card(OTHER_ID);
    let cash = cash(10_000);
    w.app
        .deposit(&w.teller, "counter-key-0001", &first.id, cash.clone())
        .unwrap();
    let other_card = w
        .app
        .deposit(&w.teller, "counter-key-0001", &second.id, cash);
    assert_eq!(code(other_card.unwrap_err()), "idempotency_key_reused");
    assert_eq!(
        w.app
            .card_account(&w.clerk, &second.id)
            .unwrap()
            .balance_fen,
        0
    );
    // A pension credit cannot be undone at a bank counter (the month stays paid otherwise).
    let pension = pension(&w, &first.id, 500).unwrap();
    let reversal = w
        .app
        .reverse_transfer(&w.teller, &w.key(), &pension.id, reversal("mistake"));
    assert_eq!(code(reversal.unwrap_err()), "not_reversible_here");
}

// Issue 13, finding 12 (and the review after it): another bank's card answers as a missing
// card does, and stores nothing under the idempotency key, so sending the same key again on
// a card that does not exist cannot tell the two apart.
fn another_banks_card_leaves_nothing_under_the_key(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let key = w.key();
    let deposit = |card: &str| {
        w.app
            .deposit(&w.other_teller, &key, card, cash(1_000))
            .unwrap_err()
    };
    assert_eq!(code(deposit(&card.id)), "not_found");
    assert_eq!(code(deposit("crd_does_not_exist")), "not_found");
    assert_eq!(code(deposit(&card.id)), "not_found");
}

crate::on_both_backends!(
    another_banks_card_leaves_nothing_under_the_key,
    one_key_cannot_replay_against_another_card,
    a_deposit_only_account_takes_credits_and_refuses_every_debit_until_activation,
    a_region_may_refuse_credits_to_deposit_only_accounts,
    the_financial_pin_locks_after_three_wrong_entries_and_the_bank_unlocks_it,
    a_debit_is_refused_when_lost_or_short_of_money,
    a_retry_with_the_same_key_returns_the_first_answer_and_moves_money_once,
    concurrent_retries_of_one_key_take_effect_once,
    a_reversal_corrects_a_transfer_once,
    staff_act_only_within_their_role_and_bank,
);
