//! What a card's state allows at the window: the actions offered and their forms.

use shebao_app::views::CardView;

use crate::portal::clerk::loss_words;
use crate::portal::clerk::side_words;
use crate::portal::i18n::Lang;
use crate::portal::page::esc;
use crate::portal::page::form::CITIZEN_ATTRS;
use crate::portal::page::form::Field;
use crate::portal::page::form::PIN_ATTRS;
use crate::portal::page::form::form_guard;
use crate::portal::page::form::select;
use crate::portal::session::Browser;

/// The actions of the window on one card, each posted to `/clerk/cards/{card}/{path}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CardAction {
    Production,
    Ready,
    Collect,
    Loss,
    CancelLoss,
    Replacement,
    Cancel,
}

impl CardAction {
    const ALL: [CardAction; 7] = [
        CardAction::Production,
        CardAction::Ready,
        CardAction::Collect,
        CardAction::Loss,
        CardAction::CancelLoss,
        CardAction::Replacement,
        CardAction::Cancel,
    ];

    fn path(self) -> &'static str {
        match self {
            CardAction::Production => "production",
            CardAction::Ready => "ready",
            CardAction::Collect => "collect",
            CardAction::Loss => "loss",
            CardAction::CancelLoss => "cancel-loss",
            CardAction::Replacement => "replacement",
            CardAction::Cancel => "cancel",
        }
    }

    /// Whether the action cannot be undone at the window, and so asks the clerk to confirm
    /// (a formal loss can be withdrawn only until a replacement; a replacement and a
    /// cancellation never).
    pub(crate) fn asks_confirmation(self) -> bool {
        matches!(
            self,
            CardAction::Loss | CardAction::Replacement | CardAction::Cancel
        )
    }

    pub(crate) fn parse(input: &str) -> Option<CardAction> {
        CardAction::ALL.into_iter().find(|a| a.path() == input)
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            CardAction::Production => lang.words().card_action_production(),
            CardAction::Ready => lang.words().card_action_ready(),
            CardAction::Collect => lang.words().card_action_collect(),
            CardAction::Loss => lang.words().card_action_loss(),
            CardAction::CancelLoss => lang.words().card_action_cancel_loss(),
            CardAction::Replacement => lang.words().card_action_replacement(),
            CardAction::Cancel => lang.words().card_action_cancel(),
        }
    }

    pub(crate) fn done(self, lang: Lang) -> &'static str {
        match self {
            CardAction::Production => lang.words().card_done_production(),
            CardAction::Ready => lang.words().card_done_ready(),
            CardAction::Collect => lang.words().card_done_collect(),
            CardAction::Loss => lang.words().card_done_loss(),
            CardAction::CancelLoss => lang.words().card_done_cancel_loss(),
            CardAction::Replacement => lang.words().card_done_replacement(),
            CardAction::Cancel => lang.words().card_done_cancel(),
        }
    }
}

/// The sides that can still be reported lost: not already formally lost, and a temporary
/// card has no financial side.
fn loss_sides(card: &CardView) -> Vec<&'static str> {
    let mut sides = Vec::new();
    if card.social_loss.kind != "formal" {
        sides.push("social");
    }
    if card.kind != "temporary" && card.financial_loss.kind != "formal" {
        sides.push("financial");
    }
    sides
}

/// The sides with a loss reported now.
pub(crate) fn lost_sides(card: &CardView) -> Vec<&'static str> {
    let mut sides = Vec::new();
    if card.social_loss.kind != "none" {
        sides.push("social");
    }
    if card.financial_loss.kind != "none" {
        sides.push("financial");
    }
    sides
}

/// The actions the card's state offers at the window.
pub(crate) fn offered(card: &CardView) -> Vec<CardAction> {
    let collected = card.status == "collected";
    let formal_loss = card.social_loss.kind == "formal" || card.financial_loss.kind == "formal";
    CardAction::ALL
        .into_iter()
        .filter(|action| match action {
            CardAction::Production => card.status == "applied",
            CardAction::Ready => card.status == "in_production",
            CardAction::Collect => card.status == "ready_for_collection",
            CardAction::Loss => card.usable == "usable" && !loss_sides(card).is_empty(),
            CardAction::CancelLoss => collected && !lost_sides(card).is_empty(),
            CardAction::Replacement => collected && card.kind == "standard" && formal_loss,
            CardAction::Cancel => {
                !matches!(card.status.as_str(), "replaced" | "cancelled" | "returned")
            }
        })
        .collect()
}

fn side_options(lang: Lang, sides: &[&str]) -> Vec<(String, String)> {
    sides
        .iter()
        .map(|side| ((*side).to_owned(), side_words(lang, side).to_owned()))
        .collect()
}

/// The form of one action on one card.
pub(crate) fn action_form(
    lang: Lang,
    browser: &Browser,
    card: &CardView,
    action: CardAction,
) -> String {
    let mut fields = action_fields(lang, card, action);
    if action.asks_confirmation() {
        fields.push_str(&format!(
            "<p><input type=\"checkbox\" id=\"{path}-confirmed\" name=\"confirmed\" value=\"yes\" required>\
             <label for=\"{path}-confirmed\">{}</label></p>",
            lang.words().confirm_irreversible(),
            path = action.path(),
        ));
    }
    let warning = action_warning(lang, action);
    let class = if matches!(action, CardAction::Cancel | CardAction::Replacement) {
        " class=\"secondary\""
    } else {
        ""
    };
    format!(
        "<form method=\"post\" action=\"/clerk/cards/{card}/{path}\" autocomplete=\"off\" aria-labelledby=\"{path}-title\">\
         <h3 id=\"{path}-title\">{title}</h3>{guard}{warning}{fields}<button type=\"submit\"{class}>{title}</button></form>",
        card = esc(&card.id),
        path = action.path(),
        title = action.title(lang),
        guard = form_guard(browser),
    )
}

/// The inputs one action's form asks for, their ids prefixed with the action's path.
fn action_fields(lang: Lang, card: &CardView, action: CardAction) -> String {
    let prefix = action.path();
    let id = |name: &str| format!("{prefix}-{name}");
    match action {
        CardAction::Production | CardAction::Replacement => String::new(),
        CardAction::Ready => Field {
            id: &id("distribution_point"),
            name: "distribution_point",
            label: lang.words().distribution_point(),
            attrs: "required maxlength=\"100\"",
            ..Field::default()
        }
        .html(),
        CardAction::Collect => collect_fields(lang, prefix),
        CardAction::Loss => loss_fields(lang, card, prefix),
        CardAction::CancelLoss => select(
            &id("side"),
            "side",
            lang.words().cancel_loss_side(),
            &side_options(lang, &lost_sides(card)),
            "",
        ),
        CardAction::Cancel => Field {
            id: &id("reason"),
            name: "reason",
            label: lang.words().cancel_reason(),
            attrs: "required minlength=\"2\" maxlength=\"200\"",
            ..Field::default()
        }
        .html(),
    }
}

/// The collection form's inputs: the ID number from the original card and the new PIN.
fn collect_fields(lang: Lang, prefix: &str) -> String {
    let id = |name: &str| format!("{prefix}-{name}");
    let hint = lang.words().collect_hint();
    Field {
        id: &id("citizen_id"),
        name: "citizen_id",
        label: lang.words().citizen_id(),
        attrs: CITIZEN_ATTRS,
        hint: Some(hint),
        ..Field::default()
    }
    .html()
        + &Field {
            id: &id("social_pin"),
            name: "social_pin",
            label: lang.words().social_pin_six_digits(),
            attrs: PIN_ATTRS,
            ..Field::default()
        }
        .html()
}

/// The loss report's inputs: which side, and how.
fn loss_fields(lang: Lang, card: &CardView, prefix: &str) -> String {
    let id = |name: &str| format!("{prefix}-{name}");
    let kinds = [
        (
            "temporary".to_owned(),
            loss_words(lang, "temporary").to_owned(),
        ),
        ("formal".to_owned(), loss_words(lang, "formal").to_owned()),
    ];
    select(
        &id("side"),
        "side",
        lang.words().loss_side(),
        &side_options(lang, &loss_sides(card)),
        "",
    ) + &select(
        &id("kind"),
        "kind",
        lang.words().loss_kind(),
        &kinds,
        "formal",
    )
}

/// The warning above an action that cannot be undone.
fn action_warning(lang: Lang, action: CardAction) -> String {
    match action {
        CardAction::Replacement => format!("<p>{}</p>", lang.words().replacement_warning()),
        CardAction::Cancel => format!("<p>{}</p>", lang.words().cancel_warning()),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shebao_app::views::LossView;

    fn card(kind: &str, status: &str, usable: &str, social: &str, financial: &str) -> CardView {
        let loss = |kind: &str| LossView {
            kind: kind.into(),
            expires_at: None,
        };
        CardView {
            id: "crd_1".into(),
            person_id: "per_1".into(),
            kind: kind.into(),
            status: status.into(),
            usable: usable.into(),
            region: "110000".into(),
            bank_id: None,
            account_id: None,
            card_number: "A12345678".into(),
            identification_code: "x".into(),
            bank_card_number: None,
            social_pin_set: false,
            social_pin_locked: false,
            social_loss: loss(social),
            financial_loss: loss(financial),
            distribution_point: None,
            applied_at: "2024-01-01".into(),
            collected_at: None,
            expires_on: None,
            replaces: None,
            replaced_by: None,
            version: 0,
        }
    }

    #[test]
    fn each_state_offers_its_actions() {
        use CardAction::*;
        let applied = card("standard", "applied", "card_not_collected", "none", "none");
        assert_eq!(offered(&applied), vec![Production, Cancel]);
        let making = card(
            "standard",
            "in_production",
            "card_not_collected",
            "none",
            "none",
        );
        assert_eq!(offered(&making), vec![Ready, Cancel]);
        let ready = card(
            "standard",
            "ready_for_collection",
            "card_not_collected",
            "none",
            "none",
        );
        assert_eq!(offered(&ready), vec![Collect, Cancel]);
        let in_use = card("standard", "collected", "usable", "none", "none");
        assert_eq!(offered(&in_use), vec![Loss, Cancel]);
        let temporarily_lost = card("standard", "collected", "usable", "temporary", "none");
        assert_eq!(offered(&temporarily_lost), vec![Loss, CancelLoss, Cancel]);
        let formally_lost = card("standard", "collected", "usable", "formal", "formal");
        assert_eq!(
            offered(&formally_lost),
            vec![CancelLoss, Replacement, Cancel]
        );
        for dead in ["replaced", "cancelled", "returned"] {
            let usable = format!("card_{dead}");
            assert!(offered(&card("standard", dead, &usable, "none", "none")).is_empty());
        }
    }

    #[test]
    fn a_temporary_card_has_no_financial_side_to_report() {
        let temporary = card("temporary", "collected", "usable", "none", "none");
        assert_eq!(loss_sides(&temporary), vec!["social"]);
        let lost = card("temporary", "collected", "usable", "formal", "none");
        assert!(loss_sides(&lost).is_empty());
        assert_eq!(lost_sides(&lost), vec!["social"]);
        assert!(!offered(&lost).contains(&CardAction::Replacement));
        assert!(!offered(&lost).contains(&CardAction::Loss));
    }

    #[test]
    fn action_paths_round_trip() {
        for action in CardAction::ALL {
            assert_eq!(CardAction::parse(action.path()), Some(action));
        }
        assert_eq!(CardAction::parse("activate"), None);
    }
}
