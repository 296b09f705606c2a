//! Every card transition, allowed and refused.

use super::*;
use crate::ids::BranchId;
use crate::money::account::{Account, AccountStatus};
use crate::money::ledger::Amount;

fn t(day: i64) -> Timestamp {
    // 2026-01-01T00:00:00Z plus whole days.
    Timestamp::from_unix_seconds(1_767_225_600 + day * 86_400)
}

fn params() -> RegionParameters {
    RegionParameters::common()
}

/// The offset of `params()`' region, UTC+8.
fn cst() -> UtcOffset {
    params().utc_offset()
}

fn new_card(id: &str) -> NewCard {
    NewCard {
        id: CardId::new(id),
        person_id: PersonId::new("p1"),
        kind: CardKind::Standard,
        region: RegionCode::new("330100"),
        bank_id: Some(BankId::new("icbc")),
        card_number: CardNumber::compose('A', 1).unwrap(),
        identification_code: CardIdentificationCode::compose("330100", 1).unwrap(),
    }
}

fn pin(tag: &str) -> PinVerificationValue {
    PinVerificationValue::new(tag)
}

/// Whether `card` may be used on day `day`.
fn usable_on(card: &Card, day: i64) -> Result<(), Refusal> {
    card.ensure_usable(t(day), cst())
}

/// Whether the `side` of `card` may be used on day `day`.
fn side_usable_on(card: &Card, side: Side, day: i64) -> Result<(), Refusal> {
    card.ensure_side_usable(side, t(day), cst())
}

/// Card "c1", applied for at `applied_at` and made ready at `branch` at `ready_at`.
fn ready(branch: &str, applied_at: Timestamp, ready_at: Timestamp) -> Card {
    Card::apply(new_card("c1"), &[], applied_at, cst())
        .unwrap()
        .start_production()
        .unwrap()
        .mark_ready(branch, &params(), ready_at)
        .unwrap()
}

fn collected() -> Card {
    ready("branch-1", t(0), t(5))
        .collect(true, pin("s1"), AccountId::new("a1"), t(7))
        .unwrap()
}

/// The holder's account at the card's bank (icbc), opened on day 7, not yet activated.
fn opened_account() -> Account {
    Account::open(
        AccountId::new("a1"),
        PersonId::new("p1"),
        BankId::new("icbc"),
        t(7),
    )
}

/// `account` activated for `card` at `bank`'s `branch` with the financial PIN `pin_tag`, on
/// day `day`.
fn activate(
    account: &Account,
    card: &Card,
    bank: &str,
    branch: &str,
    identity_matches: bool,
    pin_tag: &str,
    day: i64,
) -> Result<Account, Refusal> {
    account.activate(
        card,
        &BankId::new(bank),
        BranchId::new(branch),
        identity_matches,
        pin(pin_tag),
        t(day),
        cst(),
    )
}

fn active_account(card: &Card) -> Account {
    activate(&opened_account(), card, "icbc", "b1", true, "f1", 8).unwrap()
}

/// A debit of 100 fen (of a 1 000 fen limit) from `account` holding `balance_fen`, paid with
/// `card` at `at`: the account as it is after, and the answer.
fn debit(
    account: &Account,
    card: &Card,
    pin_matches: bool,
    balance_fen: i64,
    at: Timestamp,
) -> (Account, Result<(), Refusal>) {
    let amount = Amount::new(100, 1_000).unwrap();
    account.authorise_debit(card, pin_matches, amount, balance_fen, &params(), at)
}

#[test]
fn a_card_goes_from_application_to_collection() {
    let card = collected();
    assert_eq!(card.status, CardStatus::Collected);
    assert_eq!(card.expires_on, Date::new(2036, 1, 6));
    assert_eq!(card.account_id, Some(AccountId::new("a1")));
    assert_eq!(side_usable_on(&card, Side::Social, 8), Ok(()));
}

#[test]
fn steps_out_of_order_are_refused_with_the_state() {
    let applied = Card::apply(new_card("c1"), &[], t(0), cst()).unwrap();
    assert_eq!(
        applied.mark_ready("x", &params(), t(1)),
        Err(Refusal::InvalidCardState {
            action: "marked ready for collection",
            state: "applied"
        })
    );
    assert_eq!(
        applied
            .collect(true, pin("s"), AccountId::new("a"), t(1))
            .map(|c| c.status),
        Err(Refusal::InvalidCardState {
            action: "collected",
            state: "applied"
        })
    );
    let card = collected();
    assert_eq!(
        card.start_production().map(|c| c.status),
        Err(Refusal::InvalidCardState {
            action: "put into production",
            state: "collected"
        })
    );
    assert_eq!(usable_on(&applied, 1), Err(Refusal::CardNotCollected));
}

#[test]
fn collection_needs_the_holders_identity() {
    let ready = ready("b", t(0), t(1));
    assert_eq!(
        ready.collect(false, pin("s"), AccountId::new("a"), t(2)),
        Err(Refusal::IdentityMismatch)
    );
}

#[test]
fn a_second_live_card_is_refused_but_a_dead_one_does_not_count() {
    let card = collected();
    assert_eq!(
        Card::apply(new_card("c2"), std::slice::from_ref(&card), t(9), cst()),
        Err(Refusal::CardAlreadyExists)
    );
    let cancelled = card.cancel("emigration", 0).unwrap();
    assert!(Card::apply(new_card("c2"), &[cancelled], t(9), cst()).is_ok());
    let expired_later = t(20 * 365);
    assert!(Card::apply(new_card("c3"), &[collected()], expired_later, cst()).is_ok());
}

#[test]
fn social_pin_locks_after_the_region_limit_and_staff_unlock_it() {
    let mut card = collected();
    for attempt in 1..=5 {
        let (next, outcome) = card.verify_social_pin(false, &params(), t(9));
        assert_eq!(
            outcome,
            Err(Refusal::PinIncorrect {
                retries_left: 6 - attempt
            })
        );
        card = next;
    }
    let (locked, outcome) = card.verify_social_pin(false, &params(), t(9));
    assert_eq!(outcome, Err(Refusal::PinLocked { side: "social" }));
    let (still, outcome) = locked.verify_social_pin(true, &params(), t(9));
    assert_eq!(outcome, Err(Refusal::PinLocked { side: "social" }));
    let unlocked = still.unlock_social_pin(t(10), cst()).unwrap();
    assert_eq!(unlocked.verify_social_pin(true, &params(), t(10)).1, Ok(()));
    assert_eq!(
        unlocked.unlock_social_pin(t(10), cst()),
        Err(Refusal::PinNotLocked)
    );
}

#[test]
fn the_social_pin_changes_only_with_the_old_one() {
    let card = collected();
    let (same, outcome) = card.change_social_pin(false, pin("s2"), &params(), t(9));
    assert_eq!(outcome, Err(Refusal::PinIncorrect { retries_left: 5 }));
    assert_eq!(same.social_pin, Some(pin("s1")));
    let (changed, outcome) = card.change_social_pin(true, pin("s2"), &params(), t(9));
    assert_eq!(outcome, Ok(()));
    assert_eq!(changed.social_pin, Some(pin("s2")));
}

#[test]
fn a_temporary_loss_lapses_by_itself() {
    let card = collected()
        .report_loss(Side::Social, LossKind::Temporary, &params(), t(10))
        .unwrap();
    assert_eq!(
        side_usable_on(&card, Side::Social, 11),
        Err(Refusal::CardLost { side: "social" })
    );
    assert_eq!(side_usable_on(&card, Side::Financial, 11), Ok(()));
    assert_eq!(side_usable_on(&card, Side::Social, 25), Ok(()));
    assert_eq!(
        card.cancel_loss(Side::Social, t(25)),
        Err(Refusal::NotLost { side: "social" })
    );
}

#[test]
fn a_formal_loss_stands_until_unreported() {
    let card = collected()
        .report_loss(Side::Financial, LossKind::Temporary, &params(), t(10))
        .unwrap()
        .report_loss(Side::Financial, LossKind::Formal, &params(), t(11))
        .unwrap();
    assert_eq!(card.financial_loss, Loss::Formal);
    assert_eq!(
        side_usable_on(&card, Side::Financial, 400),
        Err(Refusal::CardLost { side: "financial" })
    );
    assert_eq!(
        card.report_loss(Side::Financial, LossKind::Temporary, &params(), t(12)),
        Err(Refusal::CardLost { side: "financial" })
    );
    let found = card.cancel_loss(Side::Financial, t(12)).unwrap();
    assert_eq!(side_usable_on(&found, Side::Financial, 12), Ok(()));
}

#[test]
fn replacement_needs_formal_loss_and_kills_the_old_card() {
    let card = collected();
    assert_eq!(
        card.request_replacement(new_card("c2"), t(10)).map(|_| ()),
        Err(Refusal::ReplacementNeedsFormalLoss)
    );
    let lost = card
        .report_loss(Side::Social, LossKind::Formal, &params(), t(10))
        .unwrap();
    let (old, new) = lost.request_replacement(new_card("c2"), t(11)).unwrap();
    assert_eq!(old.status, CardStatus::Replaced);
    assert_eq!(usable_on(&old, 11), Err(Refusal::CardReplaced));
    assert_eq!(
        old.cancel_loss(Side::Social, t(11)),
        Err(Refusal::CardReplaced)
    );
    assert_eq!(new.status, CardStatus::Applied);
    assert_eq!(new.account_id, Some(AccountId::new("a1")));
    assert_eq!(new.replaces, Some(CardId::new("c1")));
}

#[test]
fn renewal_keeps_the_old_card_until_the_new_one_is_collected() {
    let card = collected();
    let (old, new) = card.request_renewal(new_card("c2"), t(10)).unwrap();
    assert_eq!(usable_on(&old, 10), Ok(()));
    assert_eq!(
        old.request_renewal(new_card("c3"), t(10)).map(|_| ()),
        Err(Refusal::CardAlreadyExists)
    );
    assert_eq!(new.account_id, card.account_id);
    assert_eq!(old.supersede().status, CardStatus::Replaced);
    let other_bank = NewCard {
        bank_id: Some(BankId::new("abc")),
        ..new_card("c4")
    };
    let (_, moved) = card.request_renewal(other_bank, t(10)).unwrap();
    assert_eq!(moved.account_id, None);
}

#[test]
fn a_temporary_card_has_no_financial_function_works_only_in_its_region_and_expires() {
    let temporary = Card::issue_temporary(
        NewCard {
            kind: CardKind::Temporary,
            ..new_card("t1")
        },
        &[],
        pin("s"),
        &params(),
        t(0),
    )
    .unwrap();
    assert_eq!(temporary.bank_id, None);
    assert_eq!(
        temporary.ensure_usable_in(&RegionCode::new("330100"), t(1), cst()),
        Ok(())
    );
    assert_eq!(
        temporary.ensure_usable_in(&RegionCode::new("110000"), t(1), cst()),
        Err(Refusal::OutsideIssuingRegion)
    );
    assert_eq!(
        side_usable_on(&temporary, Side::Financial, 1),
        Err(Refusal::TemporaryCardNoFinancialFunction)
    );
    assert_eq!(
        temporary.report_loss(Side::Financial, LossKind::Temporary, &params(), t(1)),
        Err(Refusal::TemporaryCardNoFinancialFunction)
    );
    assert_eq!(usable_on(&temporary, 61), Err(Refusal::CardExpired));
    assert_eq!(
        temporary
            .return_temporary()
            .unwrap()
            .ensure_usable(t(2), cst()),
        Err(Refusal::CardReturned)
    );
    assert_eq!(
        Card::issue_temporary(
            new_card("t2"),
            std::slice::from_ref(&temporary),
            pin("s"),
            &params(),
            t(2)
        )
        .map(|_| ()),
        Err(Refusal::CardAlreadyExists)
    );
}

#[test]
fn cancellation_is_refused_while_money_remains() {
    let card = collected();
    assert_eq!(
        card.cancel("death", 1),
        Err(Refusal::BalanceRemaining { balance_fen: 1 })
    );
    let cancelled = card.cancel("death", 0).unwrap();
    assert_eq!(usable_on(&cancelled, 9), Err(Refusal::CardCancelled));
    assert_eq!(cancelled.cancel("death", 0), Err(Refusal::CardCancelled));
}

#[test]
fn a_card_expires_after_its_validity() {
    let card = collected();
    assert_eq!(usable_on(&card, 3650), Ok(()));
    assert_eq!(usable_on(&card, 3660), Err(Refusal::CardExpired));
}

#[test]
fn a_deposit_only_account_takes_credits_and_refuses_debits() {
    let card = collected();
    let account = opened_account();
    assert_eq!(account.accept_credit(&params()), Ok(()));
    let strict = RegionParameters {
        deposit_only_accepts_credits: false,
        ..params()
    };
    assert_eq!(
        account.accept_credit(&strict),
        Err(Refusal::CreditsRefusedWhileDepositOnly)
    );
    assert_eq!(
        debit(&account, &card, true, 5_000, t(8)).1,
        Err(Refusal::DepositOnly)
    );
}

#[test]
fn activation_happens_only_at_the_cards_own_bank_with_the_holders_identity() {
    let card = collected();
    let account = opened_account();
    assert_eq!(
        activate(&account, &card, "abc", "x", true, "f", 8),
        Err(Refusal::WrongBank)
    );
    assert_eq!(
        activate(&account, &card, "icbc", "b", false, "f", 8),
        Err(Refusal::IdentityMismatch)
    );
    let active = active_account(&card);
    assert_eq!(active.status, AccountStatus::Active);
    assert_eq!(
        activate(&active, &card, "icbc", "b", true, "f", 9),
        Err(Refusal::AlreadyActivated)
    );
    let lost = card
        .report_loss(Side::Financial, LossKind::Formal, &params(), t(8))
        .unwrap();
    assert_eq!(
        activate(&account, &lost, "icbc", "b", true, "f", 8),
        Err(Refusal::CardLost { side: "financial" })
    );
}

#[test]
fn an_active_account_debits_with_the_pin_and_enough_money() {
    let card = collected();
    let account = active_account(&card);
    assert_eq!(debit(&account, &card, true, 100, t(9)).1, Ok(()));
    assert_eq!(
        debit(&account, &card, true, 99, t(9)).1,
        Err(Refusal::InsufficientFunds)
    );
    let lost = card
        .report_loss(Side::Financial, LossKind::Temporary, &params(), t(9))
        .unwrap();
    assert_eq!(
        debit(&account, &lost, true, 100, t(9)).1,
        Err(Refusal::CardLost { side: "financial" })
    );
}

#[test]
fn the_financial_pin_locks_after_three_wrong_entries_in_one_day() {
    let card = collected();
    let mut account = active_account(&card);
    for _ in 0..2 {
        account = debit(&account, &card, false, 500, t(9)).0;
    }
    // A new day forgives the two wrong entries.
    let (next_day, outcome) = debit(&account, &card, false, 500, t(10));
    assert_eq!(outcome, Err(Refusal::PinIncorrect { retries_left: 2 }));
    let mut locked = next_day;
    for _ in 0..2 {
        locked = debit(&locked, &card, false, 500, t(10)).0;
    }
    assert!(locked.pin_counter.locked);
    assert_eq!(
        debit(&locked, &card, true, 500, t(30)).1,
        Err(Refusal::PinLocked { side: "financial" })
    );
    assert_eq!(
        locked.unlock_pin(&BankId::new("abc")),
        Err(Refusal::WrongBank)
    );
    let unlocked = locked.unlock_pin(&BankId::new("icbc")).unwrap();
    assert_eq!(debit(&unlocked, &card, true, 500, t(30)).1, Ok(()));
}

#[test]
fn an_account_closes_only_when_empty() {
    let card = collected();
    let account = active_account(&card);
    assert_eq!(
        account.close(5),
        Err(Refusal::BalanceRemaining { balance_fen: 5 })
    );
    let closed = account.close(0).unwrap();
    assert_eq!(closed.accept_credit(&params()), Err(Refusal::AccountClosed));
}

/// `t(day)` plus hours and minutes of UTC.
fn at(day: i64, hour: i64, minute: i64) -> Timestamp {
    t(day).add_seconds(hour * 3_600 + minute * 60)
}

// Issue 13, finding "the day is the region's day, not UTC's": the per-day financial PIN
// count turns at the card's region's midnight (16:00 UTC for UTC+8), not at UTC's.
#[test]
fn issue_13_the_financial_pin_count_is_per_local_day() {
    let card = collected();
    let mut account = active_account(&card);
    // Two wrong entries at 23:59 local on day 9 (15:59 UTC).
    for _ in 0..2 {
        account = debit(&account, &card, false, 500, at(9, 15, 59)).0;
    }
    // 00:01 local on day 10 (16:01 UTC, still day 9 in UTC) is a new day.
    let (_, outcome) = debit(&account, &card, false, 500, at(9, 16, 1));
    assert_eq!(outcome, Err(Refusal::PinIncorrect { retries_left: 2 }));
    // 07:59 and 08:01 local (23:59 and 00:01 UTC) are the same local day: the third wrong
    // entry of that day locks, though UTC's date turned in between.
    let mut same_day = account.clone();
    same_day = debit(&same_day, &card, false, 500, at(9, 23, 59)).0;
    same_day = debit(&same_day, &card, false, 500, at(10, 0, 1)).0;
    let (locked, outcome) = debit(&same_day, &card, false, 500, at(10, 0, 2));
    assert_eq!(outcome, Err(Refusal::PinLocked { side: "financial" }));
    assert!(locked.pin_counter.locked);
}

// Issue 13, finding "the day is the region's day, not UTC's": a card valid through a day is
// valid until its region's midnight, and its validity starts on the region's day.
#[test]
fn issue_13_a_card_expires_at_its_regions_midnight() {
    // Made ready at 00:30 local on 1 January 2026 (16:30 UTC on 31 December).
    let ready = ready("branch-1", t(-2), at(-1, 16, 30));
    let last = Date::new(2036, 1, 1).unwrap();
    assert_eq!(ready.expires_on, Some(last));
    let card = ready
        .collect(true, pin("s1"), AccountId::new("a1"), t(7))
        .unwrap();
    let local = |hour: i64, minute: i64| {
        Timestamp::start_of_local(last, cst()).add_seconds(hour * 3_600 + minute * 60)
    };
    // 23:59 local on the last day: valid; 00:01 local the next day: expired, though UTC is
    // still on the last day (16:01 UTC).
    assert_eq!(card.ensure_usable(local(23, 59), cst()), Ok(()));
    assert_eq!(
        card.ensure_usable(local(24, 1), cst()),
        Err(Refusal::CardExpired)
    );
    assert!(card.is_expired(local(24, 1), cst()));
    assert!(!card.is_live(local(24, 1), cst()));
    // 07:59 and 08:01 local on the last day straddle UTC's midnight: both valid.
    assert_eq!(card.ensure_usable(local(7, 59), cst()), Ok(()));
    assert_eq!(card.ensure_usable(local(8, 1), cst()), Ok(()));
    // A temporary card issued at 00:01 local counts its days from the local day.
    let temporary =
        Card::issue_temporary(new_card("t1"), &[], pin("s"), &params(), at(-1, 16, 1)).unwrap();
    assert_eq!(
        temporary.expires_on,
        Date::new(2026, 1, 1).unwrap().add_days(60).into()
    );
}

// Issue 18, distribution: a card counted at its pick-up point takes the last valid day its
// personalisation file printed on it; one left uncollected is recalled and cancelled.
#[test]
fn a_card_arrives_with_its_files_expiry_and_an_uncollected_one_is_recalled() {
    let applied = Card::apply(new_card("c1"), &[], t(0), cst()).unwrap();
    let last = Date::new(2036, 1, 5).unwrap();
    assert!(applied.arrived("pkp_1", last).is_err(), "not in production");
    let made = applied.start_production().unwrap();
    let arrived = made.arrived("pkp_1", last).unwrap();
    assert_eq!(arrived.status, CardStatus::ReadyForCollection);
    assert_eq!(arrived.distribution_point.as_deref(), Some("pkp_1"));
    assert_eq!(arrived.expires_on, Some(last));
    assert!(made.recall_uncollected().is_err(), "not at a point");
    let recalled = arrived.recall_uncollected().unwrap();
    assert_eq!(recalled.status, CardStatus::Cancelled);
    assert_eq!(recalled.closed_reason.as_deref(), Some("uncollected"));
    assert!(recalled.recall_uncollected().is_err(), "recalled once");
}
