//! Cards: card life, PINs, bank activation, the e-card.

use shebao_app::card::ecard::ECardToken;
use shebao_app::card::{
    ActivateRequest, CancelRequest, CardApplication, CollectRequest, LossCancellation, LossReport,
    PinChange, PinRequest, ReadyRequest, RenewalRequest, TemporaryCardRequest,
};
use shebao_app::views::{AccountView, CardView, PinCheckView};
use shebao_domain::access::Operation as Permission;

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Access, Entry, In, Spec, entry, operation};

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

operation! {
    /// A person's cards.
    ListPersonCards {
        spec: Spec::get(
            "list_person_cards",
            "/api/v1/persons/{person}/cards",
            TAG,
            "A person's cards",
        ),
        access: Access::Needs(Permission::ReadCard),
        types: (String,), NoQuery, NoBody => Json<Vec<CardView>>,
        call: |app, actor, In { path: (person,), .. }| Json(app.cards_of_person(actor, &person)?),
    }
}

operation! {
    /// Apply for a standard card at a bank.
    ApplyCard {
        spec: Spec::post("apply_card", "/api/v1/cards", TAG, "Apply for a standard card at a bank")
            .errors(&["card_already_exists", "invalid_card_state", "conflict"]),
        access: Access::Needs(Permission::ApplyCard),
        types: (), NoQuery, JsonBody<CardApplication> => Json<CardView>,
        call: |app, actor, In { key, body, .. }| Json(app.apply_card(actor, &key, body)?),
    }
}

operation! {
    /// Issue a temporary card on the spot.
    IssueTemporaryCard {
        spec: Spec::post(
            "issue_temporary_card",
            "/api/v1/temporary-cards",
            TAG,
            "Issue a temporary card on the spot (no financial function, region only)",
        )
        .errors(citizen_id_codes![
            "identity_mismatch",
            "pin_weak",
            "card_already_exists",
            "conflict",
        ]),
        access: Access::Needs(Permission::IssueTemporaryCard),
        types: (), NoQuery, JsonBody<TemporaryCardRequest> => Json<CardView>,
        call: |app, actor, In { key, body, .. }| Json(app.issue_temporary_card(actor, &key, body)?),
    }
}

operation! {
    /// A card and the state of each side.
    GetCard {
        spec: Spec::get(
            "get_card",
            "/api/v1/cards/{card}",
            TAG,
            "A card and the state of each side",
        ),
        access: Access::Needs(Permission::ReadCard),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: |app, actor, In { path: (card,), .. }| Json(app.card(actor, &card)?),
    }
}

operation! {
    /// Record that production started.
    StartProduction {
        spec: Spec::post(
            "start_production",
            "/api/v1/cards/{card}/production",
            TAG,
            "Record that production started",
        )
        .errors(&["invalid_card_state", "conflict"]),
        access: Access::Needs(Permission::RecordProduction),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: |app, actor, In { key, path: (card,), .. }| {
            Json(app.start_production(actor, &key, &card)?)
        },
    }
}

operation! {
    /// Record that the card is ready at a distribution point.
    MarkReady {
        spec: Spec::post(
            "mark_ready",
            "/api/v1/cards/{card}/ready",
            TAG,
            "Record that the card is ready at a distribution point",
        )
        .errors(&["invalid_card_state", "conflict"]),
        access: Access::Needs(Permission::RecordProduction),
        types: (String,), NoQuery, JsonBody<ReadyRequest> => Json<CardView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.mark_ready(actor, &key, &card, body)?)
        },
    }
}

operation! {
    /// Hand the card over after an identity check.
    CollectCard {
        spec: Spec::post(
            "collect_card",
            "/api/v1/cards/{card}/collection",
            TAG,
            "Hand the card over after an identity check; the holder sets the social PIN",
        )
        .errors(citizen_id_codes![
            "invalid_card_state",
            "identity_mismatch",
            "pin_weak",
            "balance_remaining",
            "conflict",
        ]),
        access: Access::Needs(Permission::CollectCard),
        types: (String,), NoQuery, JsonBody<CollectRequest> => Json<CardView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.collect_card(actor, &key, &card, body)?)
        },
    }
}

operation! {
    /// Activate the financial account at a branch of the card's bank.
    ActivateFinancial {
        spec: Spec::post(
            "activate_financial",
            "/api/v1/cards/{card}/financial-activation",
            TAG,
            "Activate the financial account at a branch of the card's bank",
        )
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
        ]),
        access: Access::Needs(Permission::ActivateFinancial),
        types: (String,), NoQuery, JsonBody<ActivateRequest> => Json<AccountView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.activate_financial(actor, &key, &card, body)?)
        },
    }
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

operation! {
    /// Check the social-security PIN.
    VerifySocialPin {
        spec: Spec::post(
            "verify_social_pin",
            "/api/v1/cards/{card}/social-pin/verification",
            TAG,
            "Check the social-security PIN (wrong entries count toward the lock)",
        )
        .errors(social_pin_codes!["outside_issuing_region"]),
        access: Access::Needs(Permission::VerifySocialPin),
        types: (String,), NoQuery, JsonBody<PinRequest> => Json<PinCheckView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.verify_social_pin(actor, &key, &card, body)?)
        },
    }
}

operation! {
    /// Change the social-security PIN with the old one.
    ChangeSocialPin {
        spec: Spec::post(
            "change_social_pin",
            "/api/v1/cards/{card}/social-pin/change",
            TAG,
            "Change the social-security PIN with the old one",
        )
        .errors(social_pin_codes!["pin_weak"]),
        access: Access::Needs(Permission::ChangeSocialPin),
        types: (String,), NoQuery, JsonBody<PinChange> => Json<CardView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.change_social_pin(actor, &key, &card, body)?)
        },
    }
}

operation! {
    /// Unlock a locked social-security PIN.
    UnlockSocialPin {
        spec: Spec::post(
            "unlock_social_pin",
            "/api/v1/cards/{card}/social-pin/unlock",
            TAG,
            "Unlock a locked social-security PIN (staff, holder present)",
        )
        .errors(&[
            "card_expired",
            "card_not_collected",
            "card_replaced",
            "card_cancelled",
            "card_returned",
            "pin_not_locked",
            "conflict",
        ]),
        access: Access::Needs(Permission::UnlockSocialPin),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: |app, actor, In { key, path: (card,), .. }| {
            Json(app.unlock_social_pin(actor, &key, &card)?)
        },
    }
}

operation! {
    /// Unlock a locked financial PIN.
    UnlockFinancialPin {
        spec: Spec::post(
            "unlock_financial_pin",
            "/api/v1/cards/{card}/financial-pin/unlock",
            TAG,
            "Unlock a locked financial PIN (the card's bank)",
        )
        .errors(&["card_not_collected", "wrong_bank", "pin_not_locked", "conflict"]),
        access: Access::Needs(Permission::UnlockFinancialPin),
        types: (String,), NoQuery, NoBody => Json<AccountView>,
        call: |app, actor, In { key, path: (card,), .. }| {
            Json(app.unlock_financial_pin(actor, &key, &card)?)
        },
    }
}

operation! {
    /// Report one side lost. The permission depends on the kind asked for (a temporary or a
    /// formal report): the use case checks it once it has read the kind.
    ReportLoss {
        spec: Spec::post(
            "report_loss",
            "/api/v1/cards/{card}/loss",
            TAG,
            "Report one side lost, temporarily or formally",
        )
        .errors(&[
            "invalid_card_state",
            "temporary_card_no_financial_function",
            "card_lost",
            "conflict",
        ]),
        access: Access::SignedIn,
        types: (String,), NoQuery, JsonBody<LossReport> => Json<CardView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.report_loss(actor, &key, &card, body)?)
        },
    }
}

operation! {
    /// Withdraw a loss report.
    CancelLoss {
        spec: Spec::post(
            "cancel_loss",
            "/api/v1/cards/{card}/loss/cancellation",
            TAG,
            "Withdraw a loss report (until a replacement is requested)",
        )
        .errors(&["card_replaced", "invalid_card_state", "not_lost", "conflict"]),
        access: Access::Needs(Permission::CancelLoss),
        types: (String,), NoQuery, JsonBody<LossCancellation> => Json<CardView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.cancel_loss(actor, &key, &card, body)?)
        },
    }
}

operation! {
    /// Replace a formally lost card.
    RequestReplacement {
        spec: Spec::post(
            "request_replacement",
            "/api/v1/cards/{card}/replacement",
            TAG,
            "Replace a formally lost card: the old card dies, the new one is applied for",
        )
        .errors(&[
            "invalid_card_state",
            "replacement_needs_formal_loss",
            "card_already_exists",
            "conflict",
        ]),
        access: Access::Needs(Permission::RequestReplacement),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: |app, actor, In { key, path: (card,), .. }| {
            Json(app.request_replacement(actor, &key, &card)?)
        },
    }
}

operation! {
    /// Renew a card.
    RequestRenewal {
        spec: Spec::post(
            "request_renewal",
            "/api/v1/cards/{card}/renewal",
            TAG,
            "Renew a card (expiry, damage, changed data, another bank)",
        )
        .errors(&["invalid_card_state", "card_already_exists", "conflict"]),
        access: Access::Needs(Permission::RequestRenewal),
        types: (String,), NoQuery, JsonBody<RenewalRequest> => Json<CardView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.request_renewal(actor, &key, &card, body)?)
        },
    }
}

operation! {
    /// Take back a temporary card.
    ReturnTemporaryCard {
        spec: Spec::post(
            "return_temporary_card",
            "/api/v1/cards/{card}/return",
            TAG,
            "Take back a temporary card",
        )
        .errors(&["invalid_card_state", "conflict"]),
        access: Access::Needs(Permission::ReturnTemporaryCard),
        types: (String,), NoQuery, NoBody => Json<CardView>,
        call: |app, actor, In { key, path: (card,), .. }| {
            Json(app.return_temporary_card(actor, &key, &card)?)
        },
    }
}

operation! {
    /// Cancel a card.
    CancelCard {
        spec: Spec::post(
            "cancel_card",
            "/api/v1/cards/{card}/cancellation",
            TAG,
            "Cancel a card (refused while money remains)",
        )
        .errors(&[
            "card_cancelled",
            "card_replaced",
            "card_returned",
            "balance_remaining",
            "account_closed",
            "conflict",
        ]),
        access: Access::Needs(Permission::CancelCard),
        types: (String,), NoQuery, JsonBody<CancelRequest> => Json<CardView>,
        call: |app, actor, In { key, path: (card,), body, .. }| {
            Json(app.cancel_card(actor, &key, &card, body)?)
        },
    }
}

operation! {
    /// A holder's electronic-card token. Listed under `medical`, where it is shown; the use
    /// case is the card's (`shebao_app::card::ecard`).
    IssueECardToken {
        spec: Spec::post(
            "issue_ecard_token",
            "/api/v1/cards/{card}/e-card-token",
            "medical",
            "A holder's electronic-card token (valid 3 minutes) to show instead of the card",
        )
        .not_changing()
        .errors(&[
            "card_expired",
            "card_not_collected",
            "card_replaced",
            "card_cancelled",
            "card_returned",
            "card_lost",
        ]),
        access: Access::Needs(Permission::ReadCard),
        types: (String,), NoQuery, NoBody => Json<ECardToken>,
        call: |app, actor, In { path: (card,), .. }| Json(app.issue_ecard_token(actor, &card)?),
    }
}
