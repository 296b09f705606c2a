//! The English catalogue.

use super::{Words, texts};

pub(crate) struct En;

impl Words for En {
    texts! {
        title: "Social Security Card Services",
        sign_in: "Sign in",
        sign_out: "Sign out",
        username: "Username or ID number",
        password: "Password",
        sign_in_failed: "The username or password is not correct.",
        sign_in_locked: "Too many failed sign-ins from here; try again later.",
        sign_in_throttled: "Too many sign-in attempts from your network address; try again in a minute.",
        switch: "中文",
        home: "Home",
        my_cards: "My social security cards",
        card_number: "Card number",
        bank_card: "Bank card number",
        status: "Status",
        social_side: "Social security side",
        financial_side: "Financial (bank) side",
        balance: "Balance (yuan)",
        next_step: "Next step",
        no_card: "You have no card yet. Apply at a social security bureau window.",
        report_loss: "Report a temporary loss",
        desk_teller: "Bank counter",
        desk_clerk: "Bureau window",
        find_card: "Find a card",
        card_id: "Card id",
        find: "Find",
        activate: "Activate the financial side",
        citizen_id: "ID number (from the original ID card)",
        pin_pad: "The holder enters a six-digit PIN on the PIN pad",
        activated: "The financial side is active.",
        deposit: "Cash deposit",
        amount_yuan: "Amount (yuan)",
        deposited: "Deposited.",
        awaiting_approval: "Above your limit: sent for approval. It is credited when another teller approves it.",
        find_person: "Find a person by ID number",
        person: "Person",
        not_found: "Not found.",
        api_desk: "Your desk works through the API:",
        refused: "Not done: ",
        nul_refused: "The input holds a character that is not allowed (NUL).",
        too_large: "What was sent is too large.",
        csrf: "The form has expired; reload the page and try again.",
    }
}
