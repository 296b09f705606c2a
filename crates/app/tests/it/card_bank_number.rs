//! The bank card number from the card's bank (issue 18, item 6): a bank whose own card
//! system assigns its numbers leaves its applied cards without one; its system lists them
//! and gives each its number (Luhn-checked, unique, once); a production batch takes a card
//! only once it has its number.

use shebao_app::card::{BankCardAssignment, CardApplication};
use shebao_app::reference::NewBank;
use shebao_domain::access::Role;

use crate::harness::{HOLDER_ID, OTHER_ID, World, code};
use crate::production::{batch, desk};
use crate::production_file::passed_gate;

fn the_banks_own_system_gives_its_cards_their_numbers(w: World) {
    w.app
        .create_bank(
            &w.admin,
            &w.key(),
            NewBank {
                id: "ccb".into(),
                name: "中国建设银行".into(),
                bin: "621700".into(),
                numbers_from_bank: true,
            },
        )
        .unwrap();
    let system = w.user("ccb-system", Role::BankSystem, None, Some("ccb"), None);
    let apply = |citizen: &str| {
        w.app
            .apply_card(
                &w.clerk,
                &w.key(),
                CardApplication {
                    person_id: w.register(citizen).id,
                    bank_id: "ccb".into(),
                    region: "330100".into(),
                },
            )
            .unwrap()
    };
    let card = apply(HOLDER_ID);
    let second = apply(OTHER_ID);
    assert_eq!(card.bank_card_number, None, "the bureau drew no number");
    // The bank's system sees its cards waiting; another bank's system sees nothing of them.
    let awaiting = w.app.cards_awaiting_bank_number(&system, "ccb").unwrap();
    // (Applied at the same instant on the test's clock: oldest first, then by id.)
    let mut listed: Vec<&str> = awaiting.cards.iter().map(|c| c.card_id.as_str()).collect();
    listed.sort_unstable();
    let mut expected = vec![card.id.as_str(), second.id.as_str()];
    expected.sort_unstable();
    assert_eq!(listed, expected);
    let foreign = w.app.cards_awaiting_bank_number(&w.bank_system, "ccb");
    assert_eq!(code(foreign.unwrap_err()), "not_found");
    // Nor does the window's single-card production: the card waits for its number.
    assert_eq!(
        code(
            w.app
                .start_production(&w.clerk, &w.key(), &second.id)
                .unwrap_err()
        ),
        "wrong_state"
    );
    // No batch takes a card without its number.
    let desk = desk(&w);
    let (product, _staff) = passed_gate(&w, &desk);
    assert_eq!(
        code(batch(&w, &desk, &product, 10).unwrap_err()),
        "wrong_state"
    );
    let assign = |actor: &shebao_app::Actor, card: &str, number: &str| {
        w.app.assign_bank_card_number(
            actor,
            &w.key(),
            card,
            BankCardAssignment {
                bank_card_number: number.into(),
            },
        )
    };
    assert_eq!(
        code(assign(&system, &card.id, "6230661635021663332").unwrap_err()),
        "invalid_request",
        "a wrong check digit"
    );
    assert_eq!(
        code(assign(&w.bank_system, &card.id, "4111111111111111").unwrap_err()),
        "not_found",
        "another bank's system"
    );
    let numbered = assign(&system, &card.id, "6217 0016 3502 1663 337").unwrap();
    assert_eq!(
        numbered
            .bank_card_number
            .as_deref()
            .map(|n| n.ends_with("3337")),
        Some(true)
    );
    assert_eq!(
        code(assign(&system, &card.id, "4111111111111111").unwrap_err()),
        "wrong_state",
        "given once"
    );
    assert_eq!(
        code(assign(&system, &second.id, "6217001635021663337").unwrap_err()),
        "bank_card_number_taken",
        "another card's number"
    );
    assert_eq!(
        code(assign(&system, &second.id, "4111111111111111").unwrap_err()),
        "invalid_request",
        "a number of another BIN"
    );
    // A bank whose numbers the bureau draws gives none.
    let icbc = w.apply(&w.register("110101200001010010")).unwrap();
    assert_eq!(
        code(assign(&w.bank_system, &icbc.id, "4111111111111111").unwrap_err()),
        "wrong_state"
    );
    // The numbered card and the bureau-drawn one go into production; the other waits.
    assert_eq!(batch(&w, &desk, &product, 10).unwrap().cards, 2);
    let left = w.app.cards_awaiting_bank_number(&system, "ccb").unwrap();
    assert_eq!(left.cards.len(), 1);
    assert_eq!(left.cards[0].card_id, second.id);
}

crate::on_both_backends!(the_banks_own_system_gives_its_cards_their_numbers,);
