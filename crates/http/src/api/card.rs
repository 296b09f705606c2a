//! Cards: card life, PINs, bank activation, the e-card.

use shebao_app::card::ecard::ECardToken;
use shebao_app::card::{
    ActivateRequest, CancelRequest, CardApplication, CollectRequest, LossCancellation, LossReport,
    PinChange, PinRequest, ReadyRequest, RenewalRequest, TemporaryCardRequest,
};
use shebao_app::views::{AccountView, CardView, PinCheckView};

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Entry, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(ListPersonCards),
    entry(ApplyCard),
    entry(IssueTemporaryCard),
    entry(GetCard),
    entry(StartProduction),
    entry(MarkReady),
    entry(CollectCard),
    entry(ActivateFinancial),
    entry(VerifySocialPin),
    entry(ChangeSocialPin),
    entry(UnlockSocialPin),
    entry(UnlockFinancialPin),
    entry(ReportLoss),
    entry(CancelLoss),
    entry(RequestReplacement),
    entry(RequestRenewal),
    entry(ReturnTemporaryCard),
    entry(CancelCard),
    entry(IssueECardToken),
];

const TAG: &str = "cards";

/// The codes of an ID number that does not parse.
macro_rules! citizen_id_codes {
    ($($code:literal),* $(,)?) => {
        &[
            "too_many_lookups",
            "invalid_length",
            "invalid_character",
            "check_character_mismatch",
            "invalid_birth_date",
            "birth_date_in_future",
            "unknown_province",
            "manual_review_required",
            $($code,)*
        ]
    };
}

/// What a social PIN's use may be refused for: the card's state, then the PIN's.
macro_rules! social_pin_codes {
    ($($code:literal),* $(,)?) => {
        &[
            "card_expired",
            "card_not_collected",
            "card_replaced",
            "card_cancelled",
            "card_returned",
            "card_lost",
            "pin_not_set",
            "pin_incorrect",
            "pin_locked",
            "conflict",
            $($code,)*
        ]
    };
}

operations! {
    tag: TAG;

    /// A person's cards
    ListPersonCards: get "list_person_cards" "/api/v1/persons/{person}/cards" {
        access: Needs(ReadCard),
        types: (String,), NoQuery, NoBody => Json<Vec<CardView>>,
        call: Json(app.cards_of_person(person)),
    }

    /// Apply for a standard card at a bank
    ApplyCard: post "apply_card" "/api/v1/cards"
        .errors(&["card_already_exists", "invalid_card_state", "conflict"]) {
        access: Needs(ApplyCard),
        types: (), NoQuery, JsonBody<CardApplication> => Json<CardView>,
        call: Json(app.apply_card(key, body)),
    }

    /// Issue a temporary card on the spot (no financial function, region only)
    IssueTemporaryCard: post "issue_temporary_card" "/api/v1/temporary-cards"
        .errors(citizen_id_codes![
            "identity_mismatch",
            "pin_weak",
            "card_already_exists",
            "conflict",
        ]) {
        access: Needs(IssueTemporaryCard),
        types: (), NoQuery, JsonBody<TemporaryCardRequest> => Json<CardView>,
        call: Json(app.issue_temporary_card(key, body)),
    }

    /// A card and the state of each side
    GetCard: get "get_card" "/api/v1/cards/{card}" {
        access: Needs(ReadCard),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: Json(app.card(card)),
    }

    /// Record that production started
    StartProduction: post "start_production" "/api/v1/cards/{card}/production"
        .errors(&["invalid_card_state", "conflict"]) {
        access: Needs(RecordProduction),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: Json(app.start_production(key, card)),
    }

    /// Record that the card is ready at a distribution point
    MarkReady: post "mark_ready" "/api/v1/cards/{card}/ready"
        .errors(&["invalid_card_state", "conflict"]) {
        access: Needs(RecordProduction),
        types: (String,), NoQuery, JsonBody<ReadyRequest> => Json<CardView>,
        call: Json(app.mark_ready(key, card, body)),
    }

    /// Hand the card over after an identity check; the holder sets the social PIN
    CollectCard: post "collect_card" "/api/v1/cards/{card}/collection"
        .errors(citizen_id_codes![
            "invalid_card_state",
            "identity_mismatch",
            "pin_weak",
            "balance_remaining",
            "conflict",
        ]) {
        access: Needs(CollectCard),
        types: (String,), NoQuery, JsonBody<CollectRequest> => Json<CardView>,
        call: Json(app.collect_card(key, card, body)),
    }

    /// Activate the financial account at a branch of the card's bank
    ActivateFinancial: post "activate_financial" "/api/v1/cards/{card}/financial-activation"
        .errors(citizen_id_codes![
            "card_expired",
            "card_not_collected",
            "card_replaced",
            "card_cancelled",
            "card_returned",
            "card_lost",
            "temporary_card_no_financial_function",
            "wrong_bank",
            "identity_mismatch",
            "pin_weak",
            "already_activated",
            "account_closed",
            "conflict",
        ]) {
        access: Needs(ActivateFinancial),
        types: (String,), NoQuery, JsonBody<ActivateRequest> => Json<AccountView>,
        call: Json(app.activate_financial(key, card, body)),
    }

    /// Check the social-security PIN (wrong entries count toward the lock)
    VerifySocialPin: post "verify_social_pin" "/api/v1/cards/{card}/social-pin/verification"
        .errors(social_pin_codes!["outside_issuing_region"]) {
        access: Needs(VerifySocialPin),
        types: (String,), NoQuery, JsonBody<PinRequest> => Json<PinCheckView>,
        call: Json(app.verify_social_pin(key, card, body)),
    }

    /// Change the social-security PIN with the old one
    ChangeSocialPin: post "change_social_pin" "/api/v1/cards/{card}/social-pin/change"
        .errors(social_pin_codes!["pin_weak"]) {
        access: Needs(ChangeSocialPin),
        types: (String,), NoQuery, JsonBody<PinChange> => Json<CardView>,
        call: Json(app.change_social_pin(key, card, body)),
    }

    /// Unlock a locked social-security PIN (staff, holder present)
    UnlockSocialPin: post "unlock_social_pin" "/api/v1/cards/{card}/social-pin/unlock"
        .errors(&[
            "card_expired",
            "card_not_collected",
            "card_replaced",
            "card_cancelled",
            "card_returned",
            "pin_not_locked",
            "conflict",
        ]) {
        access: Needs(UnlockSocialPin),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: Json(app.unlock_social_pin(key, card)),
    }

    /// Unlock a locked financial PIN (the card's bank)
    UnlockFinancialPin: post "unlock_financial_pin" "/api/v1/cards/{card}/financial-pin/unlock"
        .errors(&["card_not_collected", "wrong_bank", "pin_not_locked", "conflict"]) {
        access: Needs(UnlockFinancialPin),
        types: (String,), NoQuery, NoBody => Json<AccountView>,
        call: Json(app.unlock_financial_pin(key, card)),
    }

    /// Report one side lost, temporarily or formally
    ReportLoss: post "report_loss" "/api/v1/cards/{card}/loss"
        .errors(&[
            "invalid_card_state",
            "temporary_card_no_financial_function",
            "card_lost",
            "conflict",
        ]) {
        // The permission depends on the kind asked for (a temporary or a formal report): the
        // use case checks it once it has read the kind.
        access: SignedIn,
        types: (String,), NoQuery, JsonBody<LossReport> => Json<CardView>,
        call: Json(app.report_loss(key, card, body)),
    }

    /// Withdraw a loss report (until a replacement is requested)
    CancelLoss: post "cancel_loss" "/api/v1/cards/{card}/loss/cancellation"
        .errors(&["card_replaced", "invalid_card_state", "not_lost", "conflict"]) {
        access: Needs(CancelLoss),
        types: (String,), NoQuery, JsonBody<LossCancellation> => Json<CardView>,
        call: Json(app.cancel_loss(key, card, body)),
    }

    /// Replace a formally lost card: the old card dies, the new one is applied for
    RequestReplacement: post "request_replacement" "/api/v1/cards/{card}/replacement"
        .errors(&[
            "invalid_card_state",
            "replacement_needs_formal_loss",
            "card_already_exists",
            "conflict",
        ]) {
        access: Needs(RequestReplacement),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: Json(app.request_replacement(key, card)),
    }

    /// Renew a card (expiry, damage, changed data, another bank)
    RequestRenewal: post "request_renewal" "/api/v1/cards/{card}/renewal"
        .errors(&["invalid_card_state", "card_already_exists", "conflict"]) {
        access: Needs(RequestRenewal),
        types: (String,), NoQuery, JsonBody<RenewalRequest> => Json<CardView>,
        call: Json(app.request_renewal(key, card, body)),
    }

    /// Take back a temporary card
    ReturnTemporaryCard: post "return_temporary_card" "/api/v1/cards/{card}/return"
        .errors(&["invalid_card_state", "conflict"]) {
        access: Needs(ReturnTemporaryCard),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: Json(app.return_temporary_card(key, card)),
    }

    /// Cancel a card (refused while money remains)
    CancelCard: post "cancel_card" "/api/v1/cards/{card}/cancellation"
        .errors(&[
            "card_cancelled",
            "card_replaced",
            "card_returned",
            "balance_remaining",
            "account_closed",
            "conflict",
        ]) {
        access: Needs(CancelCard),
        types: (String,), NoQuery, JsonBody<CancelRequest> => Json<CardView>,
        call: Json(app.cancel_card(key, card, body)),
    }
}

// Listed under `medical`, where it is shown; the use case is the card's
// (`shebao_app::card::ecard`).
operations! {
    tag: "medical";

    /// A holder's electronic-card token (valid 3 minutes) to show instead of the card
    IssueECardToken: post "issue_ecard_token" "/api/v1/cards/{card}/e-card-token"
        .not_changing()
        .errors(&[
            "card_expired",
            "card_not_collected",
            "card_replaced",
            "card_cancelled",
            "card_returned",
            "card_lost",
        ]) {
        access: Needs(ReadCard),
        types: (String,), NoQuery, NoBody => Json<ECardToken>,
        call: Json(app.issue_ecard_token(card)),
    }
}
