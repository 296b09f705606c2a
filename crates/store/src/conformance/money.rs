//! Money: the double-entry ledger, atomic and concurrent writes, maker-checker approvals.

use shebao_domain::access::Role;
use shebao_domain::ids::{AccountId, BankId, CardId, PersonId, RegionCode, TransferId, UserId};
use shebao_domain::money::account::Account;
use shebao_domain::money::ledger::TransferCode;
use shebao_domain::time::Timestamp;

use crate::records::*;
use crate::{Store, StoreError};

use super::{
    NOW, Outcome, check, conflict, equal, refused_by_schema, second_write, seed_reference,
    store_err, write_concurrently,
};

pub(super) fn transfer(
    id: &str,
    code: TransferCode,
    debit: &str,
    credit: &str,
    amount_fen: i64,
) -> TransferRecord {
    TransferRecord {
        id: TransferId::new(id),
        code,
        debit_account: debit.into(),
        credit_account: credit.into(),
        amount_fen,
        reverses: None,
        memo: format!("memo {id}"),
        actor: "user:test".into(),
        created_at: NOW,
    }
}

fn open_account(store: &Store, id: &str) -> Outcome {
    let account = Account::open(
        AccountId::new(id),
        PersonId::new("p1"),
        BankId::new("icbc"),
        NOW,
    );
    store
        .write(move |tx| {
            tx.insert_account(&account, NOW)?;
            tx.ensure_ledger_account("sys:cash:icbc:00", true, NOW)
        })
        .map_err(store_err)
}

/// Double entry: balances move together, equal the sum of entries, and holders never go
/// negative; statements page backwards.
pub fn the_ledger_balances(store: &Store) -> Outcome {
    seed_reference(store)?;
    open_account(store, "a1")?;
    for n in 1..=5 {
        // Deposit n is made n days after NOW (the statement's date window reads it).
        let t = TransferRecord {
            created_at: Timestamp::from_unix_seconds(NOW.unix_seconds() + n * 86_400),
            ..transfer(
                &format!("t{n}"),
                TransferCode::CashDeposit,
                "sys:cash:icbc:00",
                "a1",
                1_000 * n,
            )
        };
        store
            .write(move |tx| tx.post_transfer(&t))
            .map_err(store_err)?;
    }
    let overdraft = transfer(
        "t6",
        TransferCode::CashWithdrawal,
        "a1",
        "sys:cash:icbc:00",
        15_001,
    );
    let refused = store.write(move |tx| tx.post_transfer(&overdraft));
    check(refused.is_err(), "a holder account cannot go below zero")?;
    balances_equal_entries_and_statements_page_back(store)
}

/// After five deposits of 1,000 … 5,000 fen into a1.
fn balances_equal_entries_and_statements_page_back(store: &Store) -> Outcome {
    let (balance, total, mismatches, page1) = store
        .read(|tx| {
            Ok::<_, StoreError>((
                tx.ledger_balance("a1")?,
                tx.ledger_total()?,
                tx.ledger_mismatches()?,
                tx.statement("a1", None, 2)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        balance.map(|b| (b.balance_fen, b.entries)),
        Some((15_000, 5)),
        "holder balance",
    )?;
    equal(total, 0, "the ledger sums to zero")?;
    equal(
        mismatches,
        Vec::<String>::new(),
        "balances equal their entries",
    )?;
    equal(
        page1.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![5, 4],
        "first page",
    )?;
    equal(
        page1.first().map(|e| (e.amount_fen, e.balance_after_fen)),
        Some((5_000, 15_000)),
        "newest entry",
    )?;
    equal(
        page1.first().map(|e| e.counterparty.as_str()),
        Some("sys:cash:icbc:00"),
        "counterparty",
    )?;
    let page2 = store
        .read(|tx| tx.statement("a1", Some(4), 10))
        .map_err(store_err)?;
    equal(
        page2.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![3, 2, 1],
        "second page",
    )?;
    let day = |n: i64| Some(NOW.unix_seconds() + n * 86_400);
    let window = store
        .read(move |tx| {
            Ok::<_, StoreError>((
                tx.statement_between("a1", None, day(2), day(4), 10)?,
                tx.statement_between("a1", Some(3), day(2), None, 10)?,
                tx.statement_between("a1", None, day(6), None, 10)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        (
            window.0.iter().map(|e| e.seq).collect::<Vec<_>>(),
            window.1.iter().map(|e| e.seq).collect::<Vec<_>>(),
            window.2.len(),
        ),
        (vec![3, 2], vec![2], 0),
        "entries from a day, before a day, before an entry",
    )?;
    a_transfer_is_reversed_once(store)
}

/// Reverses t1 once; a second reversal of it is a conflict.
fn a_transfer_is_reversed_once(store: &Store) -> Outcome {
    let mut reversal = transfer(
        "r1",
        TransferCode::Reversal,
        "a1",
        "sys:cash:icbc:00",
        1_000,
    );
    reversal.reverses = Some(TransferId::new("t1"));
    let second = TransferRecord {
        id: TransferId::new("r2"),
        ..reversal.clone()
    };
    let again = second_write(store, [reversal, second], |tx, t| tx.post_transfer(t))?;
    conflict(again, "a transfer is reversed once")?;
    let reversed_by = store
        .read(|tx| tx.reversal_of(&TransferId::new("t1")))
        .map_err(store_err)?;
    equal(reversed_by, Some(TransferId::new("r1")), "reversal link")
}

/// A write that fails leaves nothing behind, and concurrent writers all land exactly once.
pub fn writes_are_atomic_and_concurrent_writers_all_land(store: &Store) -> Outcome {
    seed_reference(store)?;
    open_account(store, "a1")?;
    let failed: Result<(), StoreError> = store.write(|tx| {
        tx.post_transfer(&transfer(
            "lost",
            TransferCode::CashDeposit,
            "sys:cash:icbc:00",
            "a1",
            500,
        ))?;
        Err(StoreError::Conflict {
            what: "refused after writing".into(),
        })
    });
    check(failed.is_err(), "the failing write reports its error")?;
    write_concurrently(
        store,
        (8, 25),
        |tx, worker, n| {
            tx.post_transfer(&transfer(
                &format!("w{worker}-{n}"),
                TransferCode::CashDeposit,
                "sys:cash:icbc:00",
                "a1",
                1,
            ))
        },
        "writer thread panicked",
    )?;
    let (balance, lost, mismatches) = store
        .read(|tx| {
            Ok::<_, StoreError>((
                tx.ledger_balance("a1")?,
                tx.transfer(&TransferId::new("lost"))?,
                tx.ledger_mismatches()?,
            ))
        })
        .map_err(store_err)?;
    equal(
        balance.map(|b| b.balance_fen),
        Some(200),
        "every concurrent deposit landed once",
    )?;
    equal(lost, None, "the failed write left nothing")?;
    equal(
        mismatches,
        Vec::<String>::new(),
        "balances equal their entries",
    )
}

fn waiting_request(id: &str) -> ApprovalRecord {
    use shebao_domain::money::approval::{ApprovalReason, ApprovalStatus};
    ApprovalRecord {
        id: id.into(),
        operation: "credit_benefit".into(),
        reason: ApprovalReason::AboveSingleLimit,
        maker_user_id: UserId::new("usr_maker"),
        maker: "bureau_clerk:maker".into(),
        maker_role: Role::BureauClerk,
        organisation: "bureau".into(),
        region: RegionCode::new("330100"),
        card_id: Some(CardId::new("crd_1")),
        transfer_id: None,
        amount_fen: 6_000_000,
        body: "{}".into(),
        status: ApprovalStatus::Pending,
        created_at: NOW,
        expires_at: NOW.add_days(3),
        version: 1,
        decision: ApprovalDecision::default(),
    }
}

/// Issue 13, finding 9: an approval request waits, is decided once (version-guarded), never
/// by its maker, and is final once decided; none is ever deleted. The schema holds these
/// rules on its own. A person's manual credits of a day sum over the stripes.
pub fn approval_requests_are_decided_once_and_never_by_their_maker(store: &Store) -> Outcome {
    seed_reference(store)?;
    let request = waiting_request("apr_1");
    let stored = request.clone();
    store
        .write(move |tx| tx.insert_approval(&stored))
        .map_err(store_err)?;
    let (read, waiting, lapsed, elsewhere) = store
        .read(|tx| {
            Ok::<_, StoreError>((
                tx.approval("apr_1")?,
                tx.waiting_approvals("bureau", Role::BureauClerk, NOW, 10)?,
                tx.waiting_approvals("bureau", Role::BureauClerk, NOW.add_days(3), 10)?,
                tx.waiting_approvals("bank:icbc", Role::BankTeller, NOW, 10)?,
            ))
        })
        .map_err(store_err)?;
    equal(read.as_ref(), Some(&request), "a request round-trips")?;
    equal(waiting.len(), 1, "a request waits")?;
    equal(lapsed.len(), 0, "a lapsed request no longer waits")?;
    equal(elsewhere.len(), 0, "another organisation's list is its own")?;
    refused_by_schema(
        store,
        "UPDATE approval_requests SET amount_fen = 600000000",
        "changing what a waiting request asks for",
    )?;
    a_request_is_decided_once_never_by_its_maker(store, request)?;
    manual_credits_sum_per_day(store)
}

/// The waiting request `apr_1` is decided: never by its maker, never over a stale version,
/// and once only; the schema keeps it final and undeleted.
fn a_request_is_decided_once_never_by_its_maker(store: &Store, request: ApprovalRecord) -> Outcome {
    use shebao_domain::money::approval::ApprovalStatus;
    let by_maker = ApprovalRecord {
        status: ApprovalStatus::Approved,
        decision: ApprovalDecision {
            decided_by_user_id: Some(UserId::new("usr_maker")),
            decided_by: Some("bureau_clerk:maker".into()),
            decided_at: Some(NOW),
            note: None,
            result_transfer_id: Some(TransferId::new("trf_1")),
        },
        ..request
    };
    let attempt = by_maker.clone();
    check(
        store.write(move |tx| tx.decide_approval(&attempt)).is_err(),
        "a decision by the maker must be refused by the schema",
    )?;
    let decided = ApprovalRecord {
        decision: ApprovalDecision {
            decided_by_user_id: Some(UserId::new("usr_checker")),
            decided_by: Some("bureau_clerk:checker".into()),
            ..by_maker.decision.clone()
        },
        ..by_maker
    };
    let stale = ApprovalRecord {
        version: 7,
        ..decided.clone()
    };
    let outcome = store.write(move |tx| tx.decide_approval(&stale));
    conflict(outcome, "a stale decision is a conflict")?;
    let first = decided.clone();
    store
        .write(move |tx| tx.decide_approval(&first))
        .map_err(store_err)?;
    let again = ApprovalRecord {
        status: ApprovalStatus::Rejected,
        version: 2,
        ..decided
    };
    check(
        store.write(move |tx| tx.decide_approval(&again)).is_err(),
        "a decided request is final",
    )?;
    refused_by_schema(
        store,
        "UPDATE approval_requests SET status = 'pending'",
        "reopening a decided request",
    )?;
    refused_by_schema(store, "DELETE FROM approval_requests", "deleting a request")?;
    let status = store
        .read(|tx| tx.approval("apr_1"))
        .map_err(store_err)?
        .map(|r| (r.status, r.decision.result_transfer_id));
    equal(
        status,
        Some((ApprovalStatus::Approved, Some(TransferId::new("trf_1")))),
        "decided once",
    )
}

/// A person's manual credits of a day sum over the stripes.
fn manual_credits_sum_per_day(store: &Store) -> Outcome {
    let actor = UserId::new("usr_maker");
    let day = NOW.utc_date();
    let totals = store
        .write(move |tx| {
            tx.add_manual_credit(&actor, day, 0, 1_000)?;
            tx.add_manual_credit(&actor, day, 5, 2_000)?;
            tx.add_manual_credit(&actor, day, 0, 300)?;
            tx.add_manual_credit(&actor, day.add_days(1), 0, 7)?;
            Ok::<_, StoreError>((
                tx.manual_credit_total(&actor, day)?,
                tx.manual_credit_total(&actor, day.add_days(1))?,
                tx.manual_credit_total(&UserId::new("usr_other"), day)?,
            ))
        })
        .map_err(store_err)?;
    equal(totals, (3_300, 7, 0), "a person's manual credits per day")
}
