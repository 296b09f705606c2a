//! Issue 13, finding 9: no second approval on money-making actions. A clerk alone credited
//! 20 x 5,000,000 yuan in one batch and a teller reversed their own withdrawal. Now a credit
//! entered by a person above the region's limit or past their daily limit, and every
//! reversal, waits for a second person of the same role and organisation.

use serde_json::json;
use shebao_app::Actor;
use shebao_app::money::CreditRequest;
use shebao_app::money::batch::{BatchOperation, BatchRequest};
use shebao_app::views::{ApprovalView, MoneyOutcome};
use shebao_domain::ids::TransferId;
use shebao_domain::reference::region::RegionParameters;
use shebao_store::TransferRecord;

use crate::harness::{HOLDER_ID, World, awaiting, code, posted};
use crate::requests::{cash, cash_with_pin, credit_request, rejection, reversal};

/// The region's limits the tests below rely on (`RegionParameters::common`).
const SINGLE_LIMIT_FEN: i64 = 5_000_000;
const DAILY_LIMIT_FEN: i64 = 20_000_000;

/// Asserts that the `maker` of `request` is refused approving it, and then each actor of
/// `others`, in turn, with its code.
fn approvals_refused(w: &World, request: &str, maker: &Actor, others: &[(&Actor, &str)]) {
    let by_maker = (maker, "approval_by_maker");
    for (actor, refusal) in std::iter::once(&by_maker).chain(others) {
        let outcome = w.app.approve(actor, &w.key(), request);
        assert_eq!(code(outcome.unwrap_err()), *refusal, "{}", actor.username);
    }
}

fn credit(w: &World, actor: &shebao_app::Actor, card: &str, amount_fen: i64) -> MoneyOutcome {
    w.app
        .credit_benefit(
            actor,
            &w.key(),
            card,
            CreditRequest {
                kind: "benefit".into(),
                amount_fen,
                region: "330100".into(),
                memo: Some("manual adjustment".into()),
            },
        )
        .unwrap()
}

fn balance(w: &World, card: &str) -> i64 {
    w.app.card_account(&w.clerk, card).unwrap().balance_fen
}

fn actions(w: &World, action: &str) -> Vec<String> {
    w.audit_of(action, 1000)
        .iter()
        .map(|record| format!("{} {}", record.actor, record.outcome))
        .collect()
}

fn the_limits_are_the_common_ones() {
    let common = RegionParameters::common();
    assert_eq!(common.manual_credit_approval_above_fen, SINGLE_LIMIT_FEN);
    assert_eq!(common.manual_credit_daily_max_fen, DAILY_LIMIT_FEN);
}

fn a_clerks_credit_above_the_limit_moves_no_money_until_a_second_clerk_approves(w: World) {
    the_limits_are_the_common_ones();
    let (_, card) = w.collected_card(HOLDER_ID);
    let request = w
        .app
        .credit_benefit(
            &w.clerk,
            "big-credit-0001",
            &card.id,
            credit_request("benefit", SINGLE_LIMIT_FEN + 1),
        )
        .unwrap()
        .awaiting()
        .expect("a credit above the limit waits");
    assert_eq!(
        (request.status.as_str(), request.reason.as_str()),
        ("pending", "above_single_limit")
    );
    assert_eq!(balance(&w, &card.id), 0);
    assert_eq!(
        actions(&w, "approval.request"),
        vec!["bureau_clerk:clerk ok"]
    );
    assert!(actions(&w, "account.credit_benefit").is_empty());

    // The second clerk sees it; a teller, whose organisation is the bank, does not.
    let waiting = w.app.approvals(&w.second_clerk, None).unwrap();
    assert_eq!(
        waiting.iter().map(|r| &r.id).collect::<Vec<_>>(),
        [&request.id]
    );
    assert!(w.app.approvals(&w.teller, None).unwrap().is_empty());
    assert_eq!(
        code(w.app.approvals(&w.auditor, None).unwrap_err()),
        "forbidden"
    );

    // The maker cannot approve it; nor can the auditor or another organisation's staff.
    approvals_refused(
        &w,
        &request.id,
        &w.clerk,
        &[(&w.auditor, "forbidden"), (&w.teller, "not_found")],
    );
    assert_eq!(balance(&w, &card.id), 0);

    // The second clerk approves: the money moves, once, however often it is approved.
    let approved = w
        .app
        .approve(&w.second_clerk, "approve-key-0001", &request.id)
        .unwrap();
    assert_eq!(approved.status, "approved");
    assert_eq!(approved.decided_by.as_deref(), Some("bureau_clerk:clerk-2"));
    assert_eq!(balance(&w, &card.id), SINGLE_LIMIT_FEN + 1);
    let replayed = w
        .app
        .approve(&w.second_clerk, "approve-key-0001", &request.id)
        .unwrap();
    assert_eq!(replayed, approved);
    let again = w.app.approve(&w.second_clerk, &w.key(), &request.id);
    assert_eq!(code(again.unwrap_err()), "approval_not_pending");
    // The maker's retry of the original request answers the request, and moves nothing.
    let retried = w.app.credit_benefit(
        &w.clerk,
        "big-credit-0001",
        &card.id,
        credit_request("benefit", SINGLE_LIMIT_FEN + 1),
    );
    assert_eq!(awaiting(retried).id, request.id);
    assert_eq!(balance(&w, &card.id), SINGLE_LIMIT_FEN + 1);
    assert_eq!(
        actions(&w, "approval.approve"),
        vec![
            "bureau_clerk:clerk-2 refused:approval_not_pending",
            "bureau_clerk:clerk-2 ok",
            "bank_teller:teller refused:forbidden", // answered 404, recorded as what it is
            "bureau_clerk:clerk refused:approval_by_maker",
        ]
    );
    assert!(w.app.approvals(&w.second_clerk, None).unwrap().is_empty());
    w.assert_ledger_balanced("at the end");
}

fn a_rejected_request_moves_nothing(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let request = awaiting(Ok(credit(&w, &w.clerk, &card.id, 6_000_000)));
    let reject = |actor: &Actor, reason: &str| {
        w.app
            .reject(actor, &w.key(), &request.id, rejection(reason))
    };
    let short = reject(&w.second_clerk, "no");
    assert_eq!(code(short.unwrap_err()), "invalid_request");
    let by_maker = reject(&w.clerk, "changed my mind");
    assert_eq!(code(by_maker.unwrap_err()), "approval_by_maker");
    let rejected = reject(&w.second_clerk, "no decision of the fund behind it").unwrap();
    assert_eq!(rejected.status, "rejected");
    assert_eq!(
        rejected.note.as_deref(),
        Some("no decision of the fund behind it")
    );
    let approve = w.app.approve(&w.second_clerk, &w.key(), &request.id);
    assert_eq!(code(approve.unwrap_err()), "approval_not_pending");
    assert_eq!(balance(&w, &card.id), 0);
    assert_eq!(actions(&w, "approval.reject").len(), 2);
}

fn a_tellers_reversal_of_their_own_withdrawal_needs_another_tellers_approval(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    w.activate_financial(&card.id, HOLDER_ID);
    posted(w.app.deposit(&w.teller, &w.key(), &card.id, cash(10_000))).unwrap();
    let withdrawal = w
        .app
        .withdraw(&w.teller, &w.key(), &card.id, cash_with_pin(3_000))
        .unwrap();
    let reverse = || {
        w.app.reverse_transfer(
            &w.teller,
            &w.key(),
            &withdrawal.id,
            reversal("paid out twice"),
        )
    };
    let request = reverse().unwrap();
    assert_eq!(
        (request.status.as_str(), request.reason.as_str()),
        ("pending", "reversal")
    );
    assert_eq!(request.transfer_id.as_deref(), Some(withdrawal.id.as_str()));
    assert_eq!(balance(&w, &card.id), 7_000);
    // Review of issue 13: one reversal of a transfer waits at a time, so a flood of requests
    // cannot bury a peer's list.
    assert_eq!(code(reverse().unwrap_err()), "reversal_waiting");
    approvals_refused(
        &w,
        &request.id,
        &w.teller,
        &[(&w.other_teller, "not_found"), (&w.clerk, "not_found")],
    );
    assert!(w.app.approvals(&w.other_teller, None).unwrap().is_empty());
    assert_eq!(balance(&w, &card.id), 7_000);
    let approved = w
        .app
        .approve(&w.second_teller, &w.key(), &request.id)
        .unwrap();
    assert_eq!(approved.status, "approved");
    assert_eq!(balance(&w, &card.id), 10_000);
    assert_eq!(code(reverse().unwrap_err()), "already_reversed");
}

fn the_daily_limit_sends_further_credits_for_approval(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    // Four credits at the single limit fill the clerk's day on their own authority.
    for _ in 0..4 {
        posted(Ok(credit(&w, &w.clerk, &card.id, SINGLE_LIMIT_FEN))).unwrap();
    }
    assert_eq!(balance(&w, &card.id), DAILY_LIMIT_FEN);
    let beyond = awaiting(Ok(credit(&w, &w.clerk, &card.id, 1)));
    assert_eq!(beyond.reason, "above_daily_limit");
    assert_eq!(balance(&w, &card.id), DAILY_LIMIT_FEN);
    // The limit is the person's: another clerk still credits on their own authority.
    posted(Ok(credit(&w, &w.second_clerk, &card.id, 100))).unwrap();
    // An approved credit was checked by two people and does not free the maker's day.
    w.app
        .approve(&w.second_clerk, &w.key(), &beyond.id)
        .unwrap();
    assert_eq!(balance(&w, &card.id), DAILY_LIMIT_FEN + 101);
    awaiting(Ok(credit(&w, &w.clerk, &card.id, 1)));
    // A new day, a new limit.
    w.clock.advance_days(1);
    posted(Ok(credit(&w, &w.clerk, &card.id, 1))).unwrap();
}

fn a_request_lapses_undecided_after_the_regions_period(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let request = awaiting(Ok(credit(&w, &w.clerk, &card.id, 6_000_000)));
    assert_eq!(w.app.approvals(&w.second_clerk, None).unwrap().len(), 1);
    // Common parameters: 72 hours.
    w.clock.advance_days(3);
    assert!(w.app.approvals(&w.second_clerk, None).unwrap().is_empty());
    let late = w.app.approve(&w.second_clerk, &w.key(), &request.id);
    assert_eq!(code(late.unwrap_err()), "approval_expired");
    assert_eq!(balance(&w, &card.id), 0);
}

fn a_batch_of_large_credits_by_a_clerk_moves_nothing_without_approval(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    // The attack: 20 x 5,000,000 yuan (the single-operation maximum) in one batch.
    let credits = |name: &str, count: usize, amount_fen: i64| -> Vec<BatchOperation> {
        (0..count)
            .map(|i| BatchOperation {
                idempotency_key: format!("{name}-credit-{i:02}"),
                operation: "credit_benefit".into(),
                card: card.id.clone(),
                request: json!({ "kind": "benefit", "amount_fen": amount_fen, "region": "330100" }),
            })
            .collect()
    };
    let operations = credits("attack", 20, 500_000_000);
    let outcomes = w
        .app
        .run_batch(&w.clerk, &BatchRequest { operations })
        .unwrap();
    let requests: Vec<_> = outcomes.into_iter().map(awaiting).collect();
    assert_eq!(requests.len(), 20);
    assert_eq!(balance(&w, &card.id), 0);
    // A batch of small credits within the limits still posts at once.
    let small = credits("small", 3, 1_000);
    for outcome in w
        .app
        .run_batch(&w.clerk, &BatchRequest { operations: small })
        .unwrap()
    {
        posted(outcome).unwrap();
    }
    assert_eq!(balance(&w, &card.id), 3_000);
    w.app
        .approve(&w.second_clerk, &w.key(), &requests[0].id)
        .unwrap();
    assert_eq!(balance(&w, &card.id), 500_003_000);
}

fn a_tellers_large_deposit_waits_for_another_teller_of_the_bank(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let request = awaiting(
        w.app
            .deposit(&w.teller, &w.key(), &card.id, cash(8_000_000)),
    );
    assert_eq!(request.operation, "deposit");
    assert_eq!(balance(&w, &card.id), 0);
    assert!(w.app.approvals(&w.second_clerk, None).unwrap().is_empty());
    let seen = w.app.approvals(&w.second_teller, None).unwrap();
    assert_eq!(seen.len(), 1);
    let clerk = w.app.approve(&w.clerk, &w.key(), &request.id);
    assert_eq!(code(clerk.unwrap_err()), "not_found");
    w.app
        .approve(&w.second_teller, &w.key(), &request.id)
        .unwrap();
    assert_eq!(balance(&w, &card.id), 8_000_000);
}

/// The transfer approval of `request` posted, as the ledger holds it.
fn posted_transfer(w: &World, request: &ApprovalView) -> TransferRecord {
    let id = TransferId::new(
        request
            .result_transfer_id
            .clone()
            .expect("an approved request names its transfer"),
    );
    w.app
        .store()
        .read(move |tx| tx.transfer(&id))
        .unwrap()
        .expect("the posted transfer is in the ledger")
}

/// The transfer a request shows its checker: code, debit and credit accounts, memo.
fn shown(request: &ApprovalView) -> [&str; 4] {
    [
        &request.code,
        &request.debit_account,
        &request.credit_account,
        &request.memo,
    ]
}

/// `checker` approves `request`: the approved request shows what the request showed, and the
/// transfer it posts has the code, accounts and memo both showed.
fn approve_as_shown(
    w: &World,
    checker: &Actor,
    request: &ApprovalView,
) -> (ApprovalView, TransferRecord) {
    let approved = w.app.approve(checker, &w.key(), &request.id).unwrap();
    assert_eq!(shown(&approved), shown(request));
    let transfer = posted_transfer(w, &approved);
    assert_eq!(
        shown(&approved),
        [
            transfer.code.as_str(),
            &transfer.debit_account,
            &transfer.credit_account,
            &transfer.memo,
        ]
    );
    (approved, transfer)
}

// Review of issue 13, finding 1: the checker could not see what they approved; the request
// showed its amount and card but not the transfer's code, memo or ledger accounts.
fn a_checker_sees_the_code_memo_and_accounts_that_approval_posts(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let account = w.app.card_account(&w.clerk, &card.id).unwrap().id;
    let request = awaiting(Ok(credit(&w, &w.clerk, &card.id, 6_000_000)));
    let listed = w.app.approvals(&w.second_clerk, None).unwrap();
    assert_eq!(listed, vec![request.clone()]);
    assert_eq!(request.code, "benefit_credit");
    assert_eq!(request.memo, "manual adjustment");
    assert_eq!(request.credit_account, account);
    assert!(!request.debit_account.is_empty());
    assert_ne!(request.debit_account, account);
    let (approved, credit) = approve_as_shown(&w, &w.second_clerk, &request);
    assert_eq!(credit.amount_fen, approved.amount_fen);

    // A reversal shows the reversing transfer: accounts swapped, the maker's reason as memo.
    let deposit = posted(w.app.deposit(&w.teller, &w.key(), &card.id, cash(10_000))).unwrap();
    let reversal = w
        .app
        .reverse_transfer(
            &w.teller,
            &w.key(),
            &deposit.id,
            reversal("counted the cash twice"),
        )
        .unwrap();
    let listed = w.app.approvals(&w.second_teller, None).unwrap();
    assert_eq!(listed, vec![reversal.clone()]);
    assert_eq!(
        shown(&reversal),
        [
            "reversal",
            deposit.credit_account.as_str(),
            &deposit.debit_account,
            "counted the cash twice",
        ]
    );
    let (_, posted) = approve_as_shown(&w, &w.second_teller, &reversal);
    assert_eq!(
        posted.reverses.as_ref(),
        Some(&TransferId::new(&deposit.id))
    );
    assert_eq!(balance(&w, &card.id), 6_000_000);
}

crate::on_both_backends!(
    a_clerks_credit_above_the_limit_moves_no_money_until_a_second_clerk_approves,
    a_rejected_request_moves_nothing,
    a_tellers_reversal_of_their_own_withdrawal_needs_another_tellers_approval,
    the_daily_limit_sends_further_credits_for_approval,
    a_request_lapses_undecided_after_the_regions_period,
    a_batch_of_large_credits_by_a_clerk_moves_nothing_without_approval,
    a_tellers_large_deposit_waits_for_another_teller_of_the_bank,
    a_checker_sees_the_code_memo_and_accounts_that_approval_posts,
);
