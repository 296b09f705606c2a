//! The card's life through the use cases.

use shebao_app::card::{
    ActivateRequest, CancelRequest, CardSearch, CardSearchBy, CollectRequest, LossCancellation,
    PinChange, RenewalRequest,
};
use shebao_app::person::PersonCorrection;
use shebao_app::{Actor, AppError};
use shebao_domain::Refusal;
use shebao_domain::person::identity::check_character;

use crate::harness::{HOLDER_ID, OTHER_ID, SOCIAL_PIN, World, code};
use crate::requests::{
    activation, cash, cash_with_pin, loss, pin, pin_in, ready_at, temporary_card,
};

fn a_card_goes_from_application_to_collection_with_a_deposit_only_account(w: World) {
    let person = w.register(HOLDER_ID);
    let card = w.apply(&person).unwrap();
    assert_eq!(card.status, "applied");
    assert_eq!(card.usable, "card_not_collected");
    assert!(card.bank_card_number.as_deref().unwrap().contains("******"));
    assert_eq!(code(w.apply(&person).unwrap_err()), "card_already_exists");
    assert_eq!(
        code(w.collect(&card, HOLDER_ID).unwrap_err()),
        "invalid_card_state"
    );
    w.make_ready(&card);
    assert_eq!(
        code(w.collect(&card, OTHER_ID).unwrap_err()),
        "identity_mismatch"
    );
    let collected = w.collect(&card, HOLDER_ID).unwrap();
    assert_eq!(
        (collected.status.as_str(), collected.usable.as_str()),
        ("collected", "usable")
    );
    let account = w.app.card_account(&w.clerk, &card.id).unwrap();
    assert_eq!(
        (account.status.as_str(), account.balance_fen),
        ("deposit_only", 0)
    );
}

fn a_weak_social_pin_is_refused_at_collection(w: World) {
    let person = w.register(HOLDER_ID);
    let card = w.apply(&person).unwrap();
    w.make_ready(&card);
    for weak in ["123456", "111111", "900307", "071236"] {
        let refused = w.app.collect_card(
            &w.clerk,
            &w.key(),
            &card.id,
            CollectRequest {
                citizen_id: HOLDER_ID.into(),
                social_pin: weak.into(),
            },
        );
        assert_eq!(code(refused.unwrap_err()), "pin_weak", "{weak}");
    }
}

fn only_a_teller_of_the_cards_bank_activates_the_financial_account(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let request = activation(HOLDER_ID);
    let activate = |actor: &Actor, request: ActivateRequest| {
        w.app.activate_financial(actor, &w.key(), &card.id, request)
    };
    let other = activate(&w.other_teller, request.clone());
    assert_eq!(code(other.unwrap_err()), "not_found"); // Issue 13, finding 12: hidden, not "wrong_bank".
    let clerk = activate(&w.clerk, request.clone());
    assert_eq!(code(clerk.unwrap_err()), "forbidden");
    let wrong_person = ActivateRequest {
        citizen_id: OTHER_ID.into(),
        ..request.clone()
    };
    let refused = activate(&w.teller, wrong_person);
    assert_eq!(code(refused.unwrap_err()), "identity_mismatch");
    let weak = ActivateRequest {
        pin: "123456".into(),
        ..request.clone()
    };
    assert_eq!(code(activate(&w.teller, weak).unwrap_err()), "pin_weak");
    let active = activate(&w.teller, request.clone()).unwrap();
    assert_eq!(active.status, "active");
    assert_eq!(
        code(
            w.app
                .activate_financial(&w.teller, &w.key(), &card.id, request)
                .unwrap_err()
        ),
        "already_activated"
    );
}

fn the_social_pin_locks_after_the_region_limit_and_the_lock_survives_a_restart(mut w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let wrong = pin("999000");
    for attempt in 1..=5 {
        let refused = w
            .app
            .verify_social_pin(&w.clerk, &w.key(), &card.id, wrong.clone())
            .unwrap_err();
        assert_eq!(refused.code(), "pin_incorrect", "attempt {attempt}");
    }
    w.restart();
    let locked = w
        .app
        .verify_social_pin(&w.clerk, &w.key(), &card.id, wrong.clone())
        .unwrap_err();
    assert_eq!(locked.code(), "pin_locked");
    w.restart();
    let right = pin(SOCIAL_PIN);
    assert_eq!(social_pin_refusal(&w, &card.id), "pin_locked");
    assert!(w.app.card(&w.clerk, &card.id).unwrap().social_pin_locked);
    w.app
        .unlock_social_pin(&w.clerk, &w.key(), &card.id)
        .unwrap();
    assert!(
        w.app
            .verify_social_pin(&w.clerk, &w.key(), &card.id, right)
            .unwrap()
            .verified
    );
}

fn the_holder_changes_the_social_pin_with_the_old_one(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let holder = w.holder_login("holder", &person.id);
    let change = |old: &str, new: &str| {
        w.app.change_social_pin(
            &holder,
            &w.key(),
            &card.id,
            PinChange {
                old_pin: old.into(),
                new_pin: new.into(),
            },
        )
    };
    assert_eq!(
        code(change("000111", "482915").unwrap_err()),
        "pin_incorrect"
    );
    assert_eq!(code(change(SOCIAL_PIN, "654321").unwrap_err()), "pin_weak");
    change(SOCIAL_PIN, "482915").unwrap();
    let check = |given: &str| {
        w.app
            .verify_social_pin(&w.clerk, &w.key(), &card.id, pin(given))
    };
    assert!(check("482915").unwrap().verified);
    assert_eq!(code(check(SOCIAL_PIN).unwrap_err()), "pin_incorrect");
    let (_, other_card) = w.collected_card(OTHER_ID);
    let foreign = w.app.change_social_pin(
        &holder,
        &w.key(),
        &other_card.id,
        PinChange {
            old_pin: SOCIAL_PIN.into(),
            new_pin: "482915".into(),
        },
    );
    assert_eq!(code(foreign.unwrap_err()), "not_found"); // Issue 13, finding 12: hidden, not "forbidden".
}

fn a_temporary_loss_lapses_by_itself_and_a_formal_loss_stands(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let holder = w.holder_login("holder", &person.id);
    let temporary = loss("social", "temporary");
    let lost = w
        .app
        .report_loss(&holder, &w.key(), &card.id, temporary)
        .unwrap();
    assert_eq!(lost.social_loss.kind, "temporary");
    let check = pin(SOCIAL_PIN);
    assert_eq!(social_pin_refusal(&w, &card.id), "card_lost");
    let formal_by_holder = w
        .app
        .report_loss(&holder, &w.key(), &card.id, loss("social", "formal"));
    assert_eq!(code(formal_by_holder.unwrap_err()), "forbidden");
    w.clock.advance_days(16);
    assert!(
        w.app
            .verify_social_pin(&w.clerk, &w.key(), &card.id, check.clone())
            .unwrap()
            .verified
    );
    assert_eq!(
        w.app.card(&w.clerk, &card.id).unwrap().social_loss.kind,
        "none"
    );
    w.app
        .report_loss(&w.clerk, &w.key(), &card.id, loss("financial", "formal"))
        .unwrap();
    // The holder withdraws a temporary loss online, never a formal one (made in person).
    let side = |side: &str| LossCancellation { side: side.into() };
    w.app
        .report_loss(&holder, &w.key(), &card.id, loss("social", "temporary"))
        .unwrap();
    let withdrawn = w
        .app
        .cancel_loss(&holder, &w.key(), &card.id, side("social"))
        .unwrap();
    assert_eq!(withdrawn.social_loss.kind, "none");
    let formal_withdrawn_by_holder =
        w.app
            .cancel_loss(&holder, &w.key(), &card.id, side("financial"));
    assert_eq!(code(formal_withdrawn_by_holder.unwrap_err()), "forbidden");
    w.clock.advance_days(400);
    assert_eq!(
        w.app.card(&w.clerk, &card.id).unwrap().financial_loss.kind,
        "formal"
    );
    w.app
        .cancel_loss(
            &w.clerk,
            &w.key(),
            &card.id,
            LossCancellation {
                side: "financial".into(),
            },
        )
        .unwrap();
    let again = w.app.cancel_loss(
        &w.clerk,
        &w.key(),
        &card.id,
        LossCancellation {
            side: "financial".into(),
        },
    );
    assert_eq!(code(again.unwrap_err()), "not_lost");
}

fn replacement_kills_the_old_card_and_keeps_the_money(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    w.app
        .deposit(&w.teller, &w.key(), &card.id, cash(12_345))
        .unwrap();
    let early = w.app.request_replacement(&w.clerk, &w.key(), &card.id);
    assert_eq!(code(early.unwrap_err()), "replacement_needs_formal_loss");
    w.app
        .report_loss(&w.clerk, &w.key(), &card.id, loss("social", "formal"))
        .unwrap();
    let new = w
        .app
        .request_replacement(&w.clerk, &w.key(), &card.id)
        .unwrap();
    assert_eq!(new.replaces.as_deref(), Some(card.id.as_str()));
    assert_eq!(new.account_id, card.account_id);
    let old = w.app.card(&w.clerk, &card.id).unwrap();
    assert_eq!(
        (old.status.as_str(), old.usable.as_str()),
        ("replaced", "card_replaced")
    );
    let unreport = w.app.cancel_loss(
        &w.clerk,
        &w.key(),
        &card.id,
        LossCancellation {
            side: "social".into(),
        },
    );
    assert_eq!(code(unreport.unwrap_err()), "card_replaced");
    w.make_ready(&new);
    let collected = w.collect(&new, HOLDER_ID).unwrap();
    assert_eq!(collected.usable, "usable");
    let account = w.app.card_account(&w.clerk, &new.id).unwrap();
    assert_eq!(
        (account.balance_fen, account.status.as_str()),
        (12_345, "deposit_only")
    );
}

fn renewal_keeps_the_old_card_until_the_new_one_is_collected(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let new = w
        .app
        .request_renewal(
            &w.clerk,
            &w.key(),
            &card.id,
            RenewalRequest {
                reason: "damaged".into(),
                bank_id: None,
            },
        )
        .unwrap();
    assert_eq!(w.app.card(&w.clerk, &card.id).unwrap().usable, "usable");
    w.make_ready(&new);
    w.collect(&new, HOLDER_ID).unwrap();
    assert_eq!(
        w.app.card(&w.clerk, &card.id).unwrap().usable,
        "card_replaced"
    );
}

fn a_temporary_card_works_only_for_social_security_in_its_region(w: World) {
    let person = w.register(HOLDER_ID);
    let request = temporary_card(&person.id);
    let temporary = w
        .app
        .issue_temporary_card(&w.clerk, &w.key(), request.clone())
        .unwrap();
    assert_eq!(
        (temporary.kind.as_str(), temporary.bank_id.clone()),
        ("temporary", None)
    );
    assert_eq!(temporary.expires_on.as_deref(), Some("2026-04-30"));
    let elsewhere = pin_in(SOCIAL_PIN, "440300");
    assert_eq!(
        code(
            w.app
                .verify_social_pin(&w.clerk, &w.key(), &temporary.id, elsewhere)
                .unwrap_err()
        ),
        "outside_issuing_region"
    );
    let here = pin_in(SOCIAL_PIN, "330100");
    assert!(
        w.app
            .verify_social_pin(&w.clerk, &w.key(), &temporary.id, here.clone())
            .unwrap()
            .verified
    );
    let deposit = w.app.deposit(&w.clerk, &w.key(), &temporary.id, cash(1));
    assert_eq!(code(deposit.unwrap_err()), "forbidden");
    assert_eq!(
        code(
            w.app
                .issue_temporary_card(&w.clerk, &w.key(), request)
                .unwrap_err()
        ),
        "card_already_exists"
    );
    // Collecting the real card hands the temporary one back.
    let card = w.apply(&person).unwrap();
    w.make_ready(&card);
    w.collect(&card, HOLDER_ID).unwrap();
    assert_eq!(
        w.app.card(&w.clerk, &temporary.id).unwrap().status,
        "returned"
    );
    w.clock.advance_days(61);
    assert_eq!(
        w.app.card(&w.clerk, &temporary.id).unwrap().usable,
        "card_returned"
    );
}

/// The code with which the clerk's check of the right social PIN on `card` is refused.
fn social_pin_refusal(w: &World, card: &str) -> String {
    let check = w
        .app
        .verify_social_pin(&w.clerk, &w.key(), card, pin(SOCIAL_PIN));
    code(check.unwrap_err())
}

fn a_temporary_card_expires(w: World) {
    let person = w.register(HOLDER_ID);
    let temporary = w
        .app
        .issue_temporary_card(&w.clerk, &w.key(), temporary_card(&person.id))
        .unwrap();
    w.clock.advance_days(61);
    assert_eq!(social_pin_refusal(&w, &temporary.id), "card_expired");
}

fn cancellation_is_refused_while_money_remains(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    w.app
        .deposit(&w.teller, &w.key(), &card.id, cash(500))
        .unwrap();
    let emigration = || CancelRequest {
        reason: "emigration".into(),
    };
    let refused = w
        .app
        .cancel_card(&w.clerk, &w.key(), &card.id, emigration());
    assert_eq!(code(refused.unwrap_err()), "balance_remaining");
    w.activate_financial(&card.id, HOLDER_ID);
    w.app
        .withdraw(&w.teller, &w.key(), &card.id, cash_with_pin(500))
        .unwrap();
    let cancelled = w
        .app
        .cancel_card(&w.clerk, &w.key(), &card.id, emigration())
        .unwrap();
    assert_eq!(cancelled.usable, "card_cancelled");
    assert_eq!(
        w.app.card_account(&w.clerk, &card.id).unwrap().status,
        "closed"
    );
}

fn a_card_expires_after_ten_years(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    assert_eq!(card.expires_on.as_deref(), Some("2036-03-01"));
    w.clock.advance_days(3_700);
    assert_eq!(
        w.app.card(&w.clerk, &card.id).unwrap().usable,
        "card_expired"
    );
    assert_eq!(social_pin_refusal(&w, &card.id), "card_expired");
}

fn steps_out_of_order_are_refused_with_a_stable_code(w: World) {
    let person = w.register(HOLDER_ID);
    let card = w.apply(&person).unwrap();
    let ready = w
        .app
        .mark_ready(&w.clerk, &w.key(), &card.id, ready_at("x"));
    assert_eq!(code(ready.unwrap_err()), "invalid_card_state");
    let loss = w
        .app
        .report_loss(&w.clerk, &w.key(), &card.id, loss("social", "temporary"));
    assert_eq!(code(loss.unwrap_err()), "invalid_card_state");
    let Err(AppError::Replayed { .. } | AppError::Refused(Refusal::InvalidCardState { .. })) =
        w.app.unlock_social_pin(&w.clerk, &w.key(), &card.id)
    else {
        panic!("unlock of a card never collected must be refused");
    };
}

fn a_renewal_at_another_bank_waits_for_the_old_account_to_be_empty(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    w.app
        .deposit(&w.teller, &w.key(), &card.id, cash(700))
        .unwrap();
    let renewal = RenewalRequest {
        reason: "moved to ABC".into(),
        bank_id: Some("abc".into()),
    };
    let new = w
        .app
        .request_renewal(&w.clerk, &w.key(), &card.id, renewal)
        .unwrap();
    w.make_ready(&new);
    assert_eq!(
        code(w.collect(&new, HOLDER_ID).unwrap_err()),
        "balance_remaining"
    );
    w.activate_financial(&card.id, HOLDER_ID);
    w.app
        .withdraw(&w.teller, &w.key(), &card.id, cash_with_pin(700))
        .unwrap();
    let collected = w.collect(&new, HOLDER_ID).unwrap();
    assert_ne!(collected.account_id, card.account_id);
    assert_eq!(
        w.app.card_account(&w.clerk, &card.id).unwrap().status,
        "closed"
    );
    // Another bank's teller learns nothing about a card's state.
    let person = w.register(OTHER_ID);
    let applied = w.apply(&person).unwrap();
    let refused =
        w.app
            .activate_financial(&w.other_teller, &w.key(), &applied.id, activation(OTHER_ID));
    assert_eq!(code(refused.unwrap_err()), "not_found"); // Issue 13, finding 12: hidden, not "wrong_bank".
}

/// Issue 15, item 3: staff find a card by what the person shows, each search audited once.
fn staff_find_a_card_by_its_number_the_id_number_or_the_bank_card_number(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let bank_card = w.bank_card_number(&card.id);
    let search = |by: CardSearchBy, number: &str| CardSearch {
        by,
        number: number.into(),
    };
    let lookups = || w.audit_of("card.lookup", 100).len() + w.audit_of("person.lookup", 100).len();
    let before = lookups();
    // The bank card number as printed, in groups of four.
    let grouped: String = bank_card
        .chars()
        .enumerate()
        .flat_map(|(i, c)| (i > 0 && i % 4 == 0).then_some(' ').into_iter().chain([c]))
        .collect();
    for (actor, by, number) in [
        (
            &w.clerk,
            CardSearchBy::CardNumber,
            card.card_number.as_str(),
        ),
        (&w.clerk, CardSearchBy::CitizenId, HOLDER_ID),
        (&w.clerk, CardSearchBy::BankCardNumber, grouped.as_str()),
        (
            &w.teller,
            CardSearchBy::CardNumber,
            card.card_number.as_str(),
        ),
        (&w.teller, CardSearchBy::BankCardNumber, bank_card.as_str()),
    ] {
        let found = w.app.find_cards(actor, search(by, number)).unwrap();
        assert_eq!(
            found.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            [card.id.as_str()],
            "{by:?} {number}"
        );
    }
    assert_eq!(lookups() - before, 5, "one audit record a search");
    // Another bank's teller finds nothing, audited as denied; a miss is audited too.
    let other = w.app.find_cards(
        &w.other_teller,
        search(CardSearchBy::CardNumber, &card.card_number),
    );
    assert_eq!(code(other.unwrap_err()), "not_found");
    let denied = w.audit_of("card.lookup", 100);
    assert!(
        denied
            .iter()
            .any(|r| r.outcome == "denied" && r.subject == format!("card:{}", card.id))
    );
    let missing = w
        .app
        .find_cards(&w.clerk, search(CardSearchBy::CardNumber, "A00000001"));
    assert_eq!(code(missing.unwrap_err()), "not_found");
    assert_eq!(lookups() - before, 7);
    // A number that does not parse is a field error, audited; none shows a number in clear.
    let mut wrong_check = bank_card.clone();
    let last = wrong_check.pop().and_then(|c| c.to_digit(10)).unwrap();
    wrong_check.push(char::from_digit((last + 1) % 10, 10).unwrap());
    let bad = w
        .app
        .find_cards(&w.clerk, search(CardSearchBy::BankCardNumber, &wrong_check));
    assert_eq!(code(bad.unwrap_err()), "luhn_check_failed");
    assert_eq!(lookups() - before, 8);
    let long = w
        .app
        .find_cards(&w.clerk, search(CardSearchBy::CardNumber, &"9".repeat(41)));
    assert_eq!(code(long.unwrap_err()), "invalid_request");
    assert_eq!(lookups() - before, 9, "an over-long number is audited too");
    for record in w.audit_of("card.lookup", 100) {
        assert!(!record.detail.contains(&bank_card) && !record.detail.contains(&card.card_number));
    }
    // A holder finds their own card only.
    let holder = w.holder_login("finder", &card.person_id);
    let own = w
        .app
        .find_cards(&holder, search(CardSearchBy::CardNumber, &card.card_number))
        .unwrap();
    assert_eq!(own.len(), 1);
    let (_, other_card) = w.collected_card(OTHER_ID);
    let others = w.app.find_cards(
        &holder,
        search(CardSearchBy::CardNumber, &other_card.card_number),
    );
    assert_eq!(code(others.unwrap_err()), "not_found");
}

/// Issue 15, item 3: a bureau clerk finds the cards of every person of a name, through the
/// name's blind index kept at registration and correction; one audit record a person, the
/// name masked in it.
fn a_clerk_finds_the_cards_of_every_person_of_a_name(w: World) {
    let (holder, card) = w.collected_card(HOLDER_ID);
    let (other, other_card) = w.collected_card(OTHER_ID);
    let by_name = |actor: &Actor, name: &str| {
        w.app.find_cards(
            actor,
            CardSearch {
                by: CardSearchBy::Name,
                number: name.into(),
            },
        )
    };
    let ids = |cards: Vec<shebao_app::views::CardView>| {
        let mut ids: Vec<String> = cards.into_iter().map(|c| c.id).collect();
        ids.sort();
        ids
    };
    let mut both = vec![card.id.clone(), other_card.id.clone()];
    both.sort();
    let before = w.audit_of("card.lookup", 100).len();
    assert_eq!(ids(by_name(&w.clerk, " 李明 ").unwrap()), both, "namesakes");
    let records = w.audit_of("card.lookup", 100);
    assert_eq!(records.len() - before, 2, "one record a person found");
    for person in [&holder.id, &other.id] {
        assert!(
            records
                .iter()
                .any(|r| r.subject == format!("person:{person}") && r.outcome == "ok")
        );
    }
    assert!(records.iter().all(|r| !r.detail.contains("李明")), "masked");
    // A corrected name moves the person to it.
    let correction = PersonCorrection {
        reason: "name misspelt".into(),
        citizen_id: None,
        name: Some("王芳".into()),
        nationality: None,
        household_region: None,
        household_kind: None,
        phone: None,
    };
    w.app
        .correct_person(&w.clerk, &w.key(), &other.id, correction)
        .unwrap();
    assert_eq!(ids(by_name(&w.clerk, "王芳").unwrap()), vec![other_card.id]);
    assert_eq!(ids(by_name(&w.clerk, "李明").unwrap()), vec![card.id]);
    // A miss, a name that does not parse and a teller are refused, each audited once.
    let before = w.audit_of("card.lookup", 100).len();
    assert_eq!(code(by_name(&w.clerk, "赵无名").unwrap_err()), "not_found");
    assert_eq!(code(by_name(&w.clerk, "").unwrap_err()), "invalid_request");
    assert_eq!(code(by_name(&w.teller, "李明").unwrap_err()), "forbidden");
    assert_eq!(w.audit_of("card.lookup", 100).len() - before, 3);
    // Everyone registered through the application is indexed already; a person stored
    // before the index existed gets theirs, and one whose name cannot be read is skipped.
    let none = w.app.index_person_names("", 100).unwrap();
    assert_eq!((none.indexed, none.skipped.len(), none.last), (0, 0, None));
    let vault = shebao_app::Vault::parse(&w.keys).unwrap();
    let holder_id = shebao_domain::ids::PersonId::new(holder.id.as_str());
    let mut old = w
        .app
        .store()
        .read(move |tx| tx.person(&holder_id))
        .unwrap()
        .unwrap();
    old.id = shebao_domain::ids::PersonId::new("per_before_the_index");
    old.citizen_index = "index-of-an-older-person".into();
    old.name_cipher = vault.seal("person.name", "王旧").unwrap();
    let mut unreadable = old.clone();
    unreadable.id = shebao_domain::ids::PersonId::new("per_unreadable");
    unreadable.citizen_index = "index-of-an-unreadable-person".into();
    unreadable.name_cipher = "k1:not-a-sealed-name".into();
    w.app
        .store()
        .write(move |tx| {
            tx.insert_person(&old)?;
            tx.insert_person(&unreadable)
        })
        .unwrap();
    let walked = w.app.index_person_names("", 100).unwrap();
    assert_eq!(
        (walked.indexed, walked.skipped, walked.last.as_deref()),
        (1, vec!["per_unreadable".to_owned()], Some("per_unreadable"))
    );
    let rest = w.app.index_person_names("per_unreadable", 100).unwrap();
    assert_eq!((rest.indexed, rest.last), (0, None));
    let index = vault.blind_index("name", "王旧");
    let found = w
        .app
        .store()
        .read(move |tx| tx.persons_by_name_index(&index, 5))
        .unwrap();
    assert_eq!(found.len(), 1);
    // More namesakes than a page lists: refused, and the refusal audited once.
    for n in 0..shebao_app::card::NAME_SEARCH_MAX {
        let first17 = format!("11010119900101{:03}", 100 + n);
        w.register(&format!("{first17}{}", check_character(&first17).unwrap()));
    }
    let before = w.audit_of("card.lookup", 100).len();
    assert_eq!(
        code(by_name(&w.clerk, "李明").unwrap_err()),
        "too_many_namesakes"
    );
    let records = w.audit_of("card.lookup", 100);
    assert_eq!(records.len() - before, 1);
    assert!(
        records
            .iter()
            .any(|r| r.outcome == "refused:too_many_namesakes")
    );
}

/// Each namesake a search by name shows takes a look-up slot: three namesakes do not fit in
/// a limit of two, and the refusal is audited.
fn namesakes_count_against_the_look_up_limit(mut w: World) {
    for id in [HOLDER_ID, OTHER_ID, "11010519491231002X"] {
        w.register(id);
    }
    w.app = w
        .app
        .clone()
        .with_lookup_rate("2/3600".parse::<shebao_app::LookupRate>().unwrap());
    let search = CardSearch {
        by: CardSearchBy::Name,
        number: "李明".into(),
    };
    let limited = w.app.find_cards(&w.clerk, search);
    assert_eq!(code(limited.unwrap_err()), "too_many_lookups");
    assert!(
        w.audit_of("card.lookup", 10)
            .iter()
            .any(|r| r.outcome == "refused:too_many_lookups")
    );
}

fn a_cards_history_tells_its_milestones_and_a_successor_starts_from_the_request(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    w.app
        .deposit(&w.teller, &w.key(), &card.id, cash(100))
        .unwrap();
    w.app
        .report_loss(&w.clerk, &w.key(), &card.id, loss("social", "formal"))
        .unwrap();
    let new = w
        .app
        .request_replacement(&w.clerk, &w.key(), &card.id)
        .unwrap();
    let holder = w.holder_login("history", &person.id);
    let actions = |card: &str| -> Vec<String> {
        w.app
            .card_history(&holder, card)
            .unwrap()
            .into_iter()
            .map(|event| event.action)
            .collect()
    };
    // A deposit or a look-up is no milestone; a refused step is none either.
    assert_eq!(
        actions(&card.id),
        [
            "card.apply",
            "card.start_production",
            "card.mark_ready",
            "card.collect",
            "card.report_loss",
            "card.request_replacement",
        ]
    );
    assert_eq!(actions(&new.id), ["card.request_replacement"]);
    let history = w.app.card_history(&w.clerk, &card.id).unwrap();
    assert!(history.windows(2).all(|pair| pair[0].at <= pair[1].at));
    // Another holder's card is not found, and the attempt is audited.
    let (other, _) = w.collected_card(OTHER_ID);
    let stranger = w.holder_login("stranger", &other.id);
    assert_eq!(
        code(w.app.card_history(&stranger, &card.id).unwrap_err()),
        "not_found"
    );
}

crate::on_both_backends!(
    a_clerk_finds_the_cards_of_every_person_of_a_name,
    namesakes_count_against_the_look_up_limit,
    a_cards_history_tells_its_milestones_and_a_successor_starts_from_the_request,
    staff_find_a_card_by_its_number_the_id_number_or_the_bank_card_number,
    a_renewal_at_another_bank_waits_for_the_old_account_to_be_empty,
    a_card_goes_from_application_to_collection_with_a_deposit_only_account,
    a_weak_social_pin_is_refused_at_collection,
    only_a_teller_of_the_cards_bank_activates_the_financial_account,
    the_social_pin_locks_after_the_region_limit_and_the_lock_survives_a_restart,
    the_holder_changes_the_social_pin_with_the_old_one,
    a_temporary_loss_lapses_by_itself_and_a_formal_loss_stands,
    replacement_kills_the_old_card_and_keeps_the_money,
    renewal_keeps_the_old_card_until_the_new_one_is_collected,
    a_temporary_card_works_only_for_social_security_in_its_region,
    a_temporary_card_expires,
    cancellation_is_refused_while_money_remains,
    a_card_expires_after_ten_years,
    steps_out_of_order_are_refused_with_a_stable_code,
);
