//! Cards: card life, PINs, bank activation, the e-card.

use shebao_app::card::{
    ActivateRequest, AwaitingNumberView, BankCardAssignment, CancelRequest, CardApplication,
    CardSearch, CollectRequest, LossCancellation, LossReport, MailedCollect, PinChange, PinRequest,
    ReadyRequest, RenewalRequest, TemporaryCardRequest,
};
use shebao_app::views::{AccountView, CardEventView, CardView, PinCheckView};

use super::kinds::Json;
use super::{Entry, codes, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(ListPersonCards),
    entry(ApplyCard),
    entry(IssueTemporaryCard),
    entry(GetCard),
    entry(GetCardHistory),
    entry(FindCards),
    entry(StartProduction),
    entry(MarkReady),
    entry(CollectCard),
    entry(CollectMailedCard),
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
    entry(CardsAwaitingBankNumber),
    entry(AssignBankCardNumber),
];

const TAG: &str = "cards";

operations! {
    tag: TAG;

    /// A person's cards
    ListPersonCards: get "list_person_cards" "/api/v1/persons/{person}/cards" {
        Needs(ReadCard): cards_of_person(person) -> Json<Vec<CardView>>
    }

    /// Apply for a standard card at a bank
    ApplyCard: post "apply_card" "/api/v1/cards"
        .errors(&["card_already_exists", "invalid_card_state", "conflict"]) {
        Needs(ApplyCard): apply_card(key, body: CardApplication) -> Json<CardView>
    }

    /// Issue a temporary card on the spot (no financial function, region only)
    IssueTemporaryCard: post "issue_temporary_card" "/api/v1/temporary-cards"
        .errors(codes![
            "too_many_lookups",
            citizen_id,
            "identity_mismatch",
            "pin_weak",
            "card_already_exists",
            "conflict",
        ]) {
        Needs(IssueTemporaryCard): issue_temporary_card(key, body: TemporaryCardRequest)
            -> Json<CardView>
    }

    /// A card and the state of each side
    GetCard: get "get_card" "/api/v1/cards/{card}" {
        Needs(ReadCard): card(card) -> Json<CardView>
    }

    /// A card's milestones, oldest first: applied, produced, collected, activated, lost, replaced
    GetCardHistory: get "card_history" "/api/v1/cards/{card}/history" {
        Needs(ReadCard): card_history(card) -> Json<Vec<CardEventView>>
    }

    /// Find cards by the card number, the holder's ID number or the bank card number (kept out
    /// of URLs and logs); audited hit or miss, limited per actor (429 too_many_lookups)
    FindCards: post "find_cards" "/api/v1/cards/search"
        .not_changing()
        .looks_up_citizen_ids()
        .errors(codes!["too_many_lookups", "too_many_namesakes", identity]) {
        Needs(ReadCard): find_cards(body: CardSearch) -> Json<Vec<CardView>>
    }

    /// Record that production started
    StartProduction: post "start_production" "/api/v1/cards/{card}/production"
        .errors(&["invalid_card_state", "wrong_state", "conflict"]) {
        Needs(RecordProduction): start_production(key, card) -> Json<CardView>
    }

    /// Record that the card is ready at a distribution point
    MarkReady: post "mark_ready" "/api/v1/cards/{card}/ready"
        .errors(&["invalid_card_state", "wrong_state", "conflict"]) {
        Needs(RecordProduction): mark_ready(key, card, body: ReadyRequest) -> Json<CardView>
    }

    /// Hand the card over after an identity check; the holder sets the social PIN
    CollectCard: post "collect_card" "/api/v1/cards/{card}/collection"
        .errors(codes![
            "too_many_lookups",
            citizen_id,
            "invalid_card_state",
            "identity_mismatch",
            "pin_weak",
            "balance_remaining",
            "wrong_state",
            "conflict",
        ]) {
        Needs(CollectCard): collect_card(key, card, body: CollectRequest) -> Json<CardView>
    }

    /// Collect one's own card the carrier delivered into one's hands (the carrier checked
    /// the ID card): the holder sets the social PIN; the financial account opens
    /// deposit-only
    CollectMailedCard: post "collect_mailed_card" "/api/v1/cards/{card}/mailed-collection"
        .errors(&[
            "invalid_card_state", "wrong_state", "pin_weak", "balance_remaining", "conflict",
        ]) {
        Needs(CollectMailedCard):
            collect_mailed_card(key, card, body: MailedCollect) -> Json<CardView>
    }

    /// Activate the financial account at a branch of the card's bank
    ActivateFinancial: post "activate_financial" "/api/v1/cards/{card}/financial-activation"
        .errors(codes![
            "too_many_lookups",
            citizen_id,
            card_state,
            "temporary_card_no_financial_function",
            "wrong_bank",
            "identity_mismatch",
            "pin_weak",
            "already_activated",
            "account_closed",
            "conflict",
        ]) {
        Needs(ActivateFinancial): activate_financial(key, card, body: ActivateRequest)
            -> Json<AccountView>
    }

    /// Check the social-security PIN (wrong entries count toward the lock)
    VerifySocialPin: post "verify_social_pin" "/api/v1/cards/{card}/social-pin/verification"
        .errors(codes![social_pin, "outside_issuing_region"]) {
        Needs(VerifySocialPin): verify_social_pin(key, card, body: PinRequest) -> Json<PinCheckView>
    }

    /// Change the social-security PIN with the old one
    ChangeSocialPin: post "change_social_pin" "/api/v1/cards/{card}/social-pin/change"
        .errors(codes![social_pin, "pin_weak"]) {
        Needs(ChangeSocialPin): change_social_pin(key, card, body: PinChange) -> Json<CardView>
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
        Needs(UnlockSocialPin): unlock_social_pin(key, card) -> Json<CardView>
    }

    /// Unlock a locked financial PIN (the card's bank)
    UnlockFinancialPin: post "unlock_financial_pin" "/api/v1/cards/{card}/financial-pin/unlock"
        .errors(&["card_not_collected", "wrong_bank", "pin_not_locked", "conflict"]) {
        Needs(UnlockFinancialPin): unlock_financial_pin(key, card) -> Json<AccountView>
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
        SignedIn: report_loss(key, card, body: LossReport) -> Json<CardView>
    }

    /// Withdraw a loss report (until a replacement is requested)
    CancelLoss: post "cancel_loss" "/api/v1/cards/{card}/loss/cancellation"
        .errors(&["card_replaced", "invalid_card_state", "not_lost", "conflict"]) {
        Needs(CancelLoss): cancel_loss(key, card, body: LossCancellation) -> Json<CardView>
    }

    /// Replace a formally lost card: the old card dies, the new one is applied for
    RequestReplacement: post "request_replacement" "/api/v1/cards/{card}/replacement"
        .errors(&[
            "invalid_card_state",
            "replacement_needs_formal_loss",
            "card_already_exists",
            "conflict",
        ]) {
        Needs(RequestReplacement): request_replacement(key, card) -> Json<CardView>
    }

    /// Renew a card (expiry, damage, changed data, another bank)
    RequestRenewal: post "request_renewal" "/api/v1/cards/{card}/renewal"
        .errors(&["invalid_card_state", "card_already_exists", "conflict"]) {
        Needs(RequestRenewal): request_renewal(key, card, body: RenewalRequest) -> Json<CardView>
    }

    /// Take back a temporary card
    ReturnTemporaryCard: post "return_temporary_card" "/api/v1/cards/{card}/return"
        .errors(&["invalid_card_state", "conflict"]) {
        Needs(ReturnTemporaryCard): return_temporary_card(key, card) -> Json<CardView>
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
        Needs(CancelCard): cancel_card(key, card, body: CancelRequest) -> Json<CardView>
    }
}

// Listed under `medical`, where the bank's system is one of the parties.
operations! {
    tag: "medical";

    /// One's own bank's applied cards waiting for the bank card number its card system
    /// assigns (at most 1,000, the oldest application first): numbers only, no holder
    CardsAwaitingBankNumber: get "cards_awaiting_bank_number"
        "/api/v1/banks/{bank}/cards-awaiting-number" {
        Needs(AssignBankCardNumber): cards_awaiting_bank_number(bank) -> Json<AwaitingNumberView>
    }

    /// Give an applied card of one's own bank the bank card number the bank's card system
    /// assigned, once: Luhn-valid, no other card's; a production batch takes the card only
    /// then
    AssignBankCardNumber: post "assign_bank_card_number"
        "/api/v1/cards/{card}/bank-card-number" .errors(&["wrong_state", "conflict"]) {
        Needs(AssignBankCardNumber): assign_bank_card_number(key, card, body: BankCardAssignment)
            -> Json<CardView>
    }
}
