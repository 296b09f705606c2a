//! The bureau clerk's window: find a person by ID number (posted, never put in a URL),
//! register a person, show one in clear for a stated reason, apply for a card or issue a
//! temporary one, and move a card through production, collection, loss, replacement and
//! cancellation. Each action calls one application function; the page then shows the
//! outcome and the forms the card's new state allows. PINs and full ID numbers are never
//! rendered back (a full ID number appears only on the page that answers an unmask).

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::cards::{
    CancelRequest, CardApplication, CollectRequest, LossCancellation, LossReport, ReadyRequest,
    TemporaryCardRequest,
};
use shebao_app::persons::NewPerson;
use shebao_app::views::{CardView, PersonView, RegionView};
use shebao_domain::access::Role;

use super::i18n::{card_status, t};
use super::{
    Browser, Lang, blocking, csrf_ok, csrf_refused, error_status, esc, form_guard, notice, page,
    refused, tr,
};
use crate::Shared;

/// Attributes of every PIN input: typed on the pad, never remembered, never shown.
const PIN_ATTRS: &str = "type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" required autocomplete=\"off\"";
/// Attributes of every ID-number input.
const CITIZEN_ATTRS: &str = "required autocomplete=\"off\" maxlength=\"18\" spellcheck=\"false\" autocapitalize=\"characters\"";

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/clerk/persons/find", post(find_person))
        .route("/clerk/persons/new", get(new_person_page))
        .route("/clerk/persons", post(register_person))
        .route("/clerk/persons/{person}", get(person_page))
        .route("/clerk/persons/{person}/unmask", post(unmask_person))
        .route("/clerk/persons/{person}/cards", post(apply_card))
        .route(
            "/clerk/persons/{person}/temporary-card",
            post(issue_temporary),
        )
        .route("/clerk/cards/{card}", get(card_page))
        .route("/clerk/cards/{card}/{action}", post(card_action))
}

/// The desk's landing content.
pub(super) async fn home(_s: &Shared, lang: Lang, browser: &Browser) -> String {
    desk(lang, browser, "")
}

fn desk(lang: Lang, browser: &Browser, message: &str) -> String {
    format!(
        "<h1>{title}</h1>{message}\
         <section class=\"card\" aria-labelledby=\"find-person-title\"><h2 id=\"find-person-title\">{find_person}</h2>\
         <form method=\"post\" action=\"/clerk/persons/find\" autocomplete=\"off\">{guard}{citizen}\
         <button type=\"submit\">{find}</button></form>\
         <p><a href=\"/clerk/persons/new\">{register}</a></p></section>\
         <section class=\"card\" aria-labelledby=\"find-card-title\"><h2 id=\"find-card-title\">{find_card}</h2>\
         <form method=\"get\" action=\"/desk/card\"><label for=\"card_id\">{card_id}</label>\
         <input id=\"card_id\" name=\"card_id\" required><button type=\"submit\">{find}</button></form></section>",
        title = t(lang, "desk_clerk"),
        find_person = t(lang, "find_person"),
        guard = form_guard(browser),
        citizen = Field {
            id: "find-citizen_id",
            name: "citizen_id",
            label: tr(lang, "身份证号码", "ID number"),
            attrs: CITIZEN_ATTRS,
            ..Field::default()
        }
        .html(),
        find = t(lang, "find"),
        register = tr(lang, "登记参保人", "Register a person"),
        find_card = t(lang, "find_card"),
        card_id = t(lang, "card_id"),
    )
}

// ----- small pure helpers -------------------------------------------------------------

/// One labelled input, with an optional hint and an optional error right under it.
#[derive(Default)]
struct Field<'a> {
    id: &'a str,
    name: &'a str,
    label: &'a str,
    value: &'a str,
    attrs: &'a str,
    hint: Option<&'a str>,
    error: Option<&'a str>,
}

impl Field<'_> {
    fn html(&self) -> String {
        let id = esc(self.id);
        let mut described = Vec::new();
        let mut after = String::new();
        if let Some(hint) = self.hint {
            described.push(format!("{id}-hint"));
            after.push_str(&format!("<p id=\"{id}-hint\">{}</p>", esc(hint)));
        }
        if let Some(error) = self.error {
            described.push(format!("{id}-error"));
            after.push_str(&format!(
                "<p id=\"{id}-error\" class=\"notice error\">{}</p>",
                esc(error)
            ));
        }
        let mut attrs = String::new();
        if !self.value.is_empty() {
            attrs.push_str(&format!(" value=\"{}\"", esc(self.value)));
        }
        if !self.attrs.is_empty() {
            attrs.push(' ');
            attrs.push_str(self.attrs);
        }
        if !described.is_empty() {
            attrs.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        if self.error.is_some() {
            attrs.push_str(" aria-invalid=\"true\"");
        }
        format!(
            "<label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{name}\"{attrs}>{after}",
            label = esc(self.label),
            name = esc(self.name),
        )
    }
}

/// One labelled select of `(value, text)` options.
fn select(
    id: &str,
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
) -> String {
    let options: String = options
        .iter()
        .map(|(value, text)| {
            format!(
                "<option value=\"{}\"{}>{}</option>",
                esc(value),
                if value == selected { " selected" } else { "" },
                esc(text)
            )
        })
        .collect();
    format!(
        "<label for=\"{id}\">{label}</label><select id=\"{id}\" name=\"{name}\" required>{options}</select>",
        id = esc(id),
        name = esc(name),
        label = esc(label),
    )
}

/// The field a validation error is about, and its message without the field's name.
fn field_message(error: &AppError) -> Option<(&'static str, String)> {
    let field = error.field()?;
    let text = error.to_string();
    let message = text
        .strip_prefix(&format!("{field}: "))
        .map_or_else(|| text.clone(), str::to_owned);
    Some((field, message))
}

/// Pages of the window are for bureau clerks; the application still checks every action.
fn clerk_only(lang: Lang, browser: &Browser) -> Option<Response> {
    (browser.actor.role != Role::BureauClerk).then(|| {
        page(
            lang,
            StatusCode::FORBIDDEN,
            Some(browser),
            &refused(lang, &AppError::Forbidden),
        )
    })
}

fn region_options(regions: &[RegionView]) -> Vec<(String, String)> {
    regions
        .iter()
        .map(|r| (r.code.clone(), format!("{} ({})", r.name, r.code)))
        .collect()
}

fn kind_words(lang: Lang, kind: &str) -> &'static str {
    if kind == "temporary" {
        tr(lang, "临时卡", "temporary card")
    } else {
        tr(lang, "社会保障卡", "standard card")
    }
}

fn side_words(lang: Lang, side: &str) -> &'static str {
    if side == "financial" {
        t(lang, "financial_side")
    } else {
        t(lang, "social_side")
    }
}

fn loss_words(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "temporary" => tr(lang, "临时挂失", "temporarily reported lost"),
        "formal" => tr(lang, "正式挂失", "formally reported lost"),
        _ => tr(lang, "未挂失", "not reported lost"),
    }
}

fn gender_words(lang: Lang, gender: &str) -> &'static str {
    match gender {
        "male" => tr(lang, "男", "male"),
        "female" => tr(lang, "女", "female"),
        _ => "-",
    }
}

fn household_words(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "urban" => tr(lang, "城镇", "urban"),
        "rural" => tr(lang, "农村", "rural"),
        _ => "-",
    }
}

// ----- what a card's state allows ------------------------------------------------------

/// The actions of the window on one card, each posted to `/clerk/cards/{card}/{path}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CardAction {
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

    fn parse(input: &str) -> Option<CardAction> {
        CardAction::ALL.into_iter().find(|a| a.path() == input)
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            CardAction::Production => tr(lang, "开始制卡", "Start production"),
            CardAction::Ready => tr(lang, "已送达发放网点", "Ready at a distribution point"),
            CardAction::Collect => tr(lang, "发放（领卡）", "Hand over the card"),
            CardAction::Loss => tr(lang, "挂失", "Report a loss"),
            CardAction::CancelLoss => tr(lang, "解除挂失", "Withdraw a loss report"),
            CardAction::Replacement => tr(lang, "补卡", "Replace the card"),
            CardAction::Cancel => tr(lang, "注销", "Cancel the card"),
        }
    }

    fn done(self, lang: Lang) -> &'static str {
        match self {
            CardAction::Production => tr(lang, "已开始制卡。", "Production has started."),
            CardAction::Ready => tr(
                lang,
                "卡已送达发放网点，可通知持卡人领取。",
                "The card is at the distribution point; the holder can collect it.",
            ),
            CardAction::Collect => tr(
                lang,
                "卡已发放，社保功能已启用；银行账户为只收不付，需到本卡银行激活金融功能。",
                "The card is handed over and its social security side works; the bank account is deposit-only until activated at the card's bank.",
            ),
            CardAction::Loss => tr(lang, "已挂失。", "The loss is reported."),
            CardAction::CancelLoss => tr(lang, "已解除挂失。", "The loss report is withdrawn."),
            CardAction::Replacement => tr(
                lang,
                "已受理补卡，旧卡已失效。新卡：",
                "Replacement applied for; the old card no longer works. New card: ",
            ),
            CardAction::Cancel => tr(lang, "卡已注销。", "The card is cancelled."),
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
fn lost_sides(card: &CardView) -> Vec<&'static str> {
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
fn offered(card: &CardView) -> Vec<CardAction> {
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
fn action_form(lang: Lang, browser: &Browser, card: &CardView, action: CardAction) -> String {
    let prefix = action.path();
    let id = |name: &str| format!("{prefix}-{name}");
    let fields = match action {
        CardAction::Production | CardAction::Replacement => String::new(),
        CardAction::Ready => Field {
            id: &id("distribution_point"),
            name: "distribution_point",
            label: tr(lang, "发放网点", "Distribution point"),
            attrs: "required maxlength=\"100\"",
            ..Field::default()
        }
        .html(),
        CardAction::Collect => {
            let hint = tr(
                lang,
                "核验身份证原件后录入号码；持卡人在密码键盘上设置六位社保密码。",
                "Type the number from the original ID card; the holder sets a six-digit social PIN on the PIN pad.",
            );
            Field {
                id: &id("citizen_id"),
                name: "citizen_id",
                label: t(lang, "citizen_id"),
                attrs: CITIZEN_ATTRS,
                hint: Some(hint),
                ..Field::default()
            }
            .html()
                + &Field {
                    id: &id("social_pin"),
                    name: "social_pin",
                    label: tr(lang, "社保密码（六位数字）", "Social PIN (six digits)"),
                    attrs: PIN_ATTRS,
                    ..Field::default()
                }
                .html()
        }
        CardAction::Loss => {
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
                tr(lang, "挂失功能", "Side"),
                &side_options(lang, &loss_sides(card)),
                "",
            ) + &select(
                &id("kind"),
                "kind",
                tr(lang, "挂失方式", "Kind of report"),
                &kinds,
                "formal",
            )
        }
        CardAction::CancelLoss => select(
            &id("side"),
            "side",
            tr(lang, "解除挂失的功能", "Side"),
            &side_options(lang, &lost_sides(card)),
            "",
        ),
        CardAction::Cancel => Field {
            id: &id("reason"),
            name: "reason",
            label: tr(lang, "注销原因", "Reason for cancelling"),
            attrs: "required minlength=\"2\" maxlength=\"200\"",
            ..Field::default()
        }
        .html(),
    };
    let warning = match action {
        CardAction::Replacement => format!(
            "<p>{}</p>",
            tr(
                lang,
                "补卡后旧卡立即永久失效，新卡沿用原银行账户。",
                "The old card stops working at once and for good; the new card keeps the same bank account."
            )
        ),
        CardAction::Cancel => format!(
            "<p>{}</p>",
            tr(
                lang,
                "账户仍有余额时不能注销。",
                "A card whose account still holds money cannot be cancelled."
            )
        ),
        _ => String::new(),
    };
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

// ----- persons --------------------------------------------------------------------------

/// What a person's page shows.
struct PersonPage {
    person: PersonView,
    cards: Vec<CardView>,
    banks: Vec<(String, String)>,
    regions: Vec<RegionView>,
}

fn card_line(lang: Lang, card: &CardView) -> String {
    let mut losses = String::new();
    for side in lost_sides(card) {
        let kind = if side == "social" {
            &card.social_loss.kind
        } else {
            &card.financial_loss.kind
        };
        losses.push_str(&format!(
            "; {}: {}",
            side_words(lang, side),
            loss_words(lang, kind)
        ));
    }
    format!(
        "<li><a href=\"/desk/card?card_id={id}\">{number}</a> ({kind}): {status}{losses} · \
         <a href=\"/clerk/cards/{id}\">{handle}</a></li>",
        id = esc(&card.id),
        number = esc(&card.card_number),
        kind = kind_words(lang, &card.kind),
        status = card_status(lang, &card.usable, &card.status),
        losses = esc(&losses),
        handle = tr(lang, "窗口办理", "Handle at the window"),
    )
}

fn person_html(lang: Lang, browser: &Browser, data: &PersonPage, message: &str) -> String {
    let p = &data.person;
    let id = esc(&p.id);
    let region_name = data
        .regions
        .iter()
        .find(|r| r.code == p.household_region)
        .map(|r| format!(" {}", r.name))
        .unwrap_or_default();
    let clear = if p.unmasked {
        notice(
            "info",
            tr(
                lang,
                "按所填事由显示完整信息，仅在本页显示一次，已记入审计。",
                "Shown in clear for the reason given, on this page only; the view is recorded in the audit trail.",
            ),
        )
    } else {
        String::new()
    };
    let mut body = format!(
        "<h1>{title}</h1>{message}{clear}<section class=\"card\" aria-labelledby=\"person-title\">\
         <h2 id=\"person-title\">{name}</h2><dl>\
         <dt>{name_label}</dt><dd>{name}</dd><dt>{citizen_label}</dt><dd>{citizen}</dd>\
         <dt>{gender_label}</dt><dd>{gender}</dd><dt>{birth_label}</dt><dd>{birth}</dd>\
         <dt>{nationality_label}</dt><dd>{nationality}</dd>\
         <dt>{region_label}</dt><dd>{region}{region_name}</dd>\
         <dt>{household_label}</dt><dd>{household}</dd>\
         <dt>{phone_label}</dt><dd>{phone}</dd><dt>{registered_label}</dt><dd>{registered}</dd></dl>",
        title = t(lang, "person"),
        name = esc(&p.name),
        name_label = tr(lang, "姓名", "Name"),
        citizen_label = tr(lang, "身份证号码", "ID number"),
        citizen = esc(&p.citizen_id),
        gender_label = tr(lang, "性别", "Gender"),
        gender = gender_words(lang, &p.gender),
        birth_label = tr(lang, "出生日期", "Date of birth"),
        birth = esc(&p.birth_date),
        nationality_label = tr(lang, "国籍", "Nationality"),
        nationality = esc(&p.nationality),
        region_label = tr(lang, "户籍地区", "Household region"),
        region = esc(&p.household_region),
        region_name = esc(&region_name),
        household_label = tr(lang, "户口性质", "Household kind"),
        household = household_words(lang, &p.household_kind),
        phone_label = tr(lang, "手机号码", "Phone"),
        phone = esc(p.phone.as_deref().unwrap_or("-")),
        registered_label = tr(lang, "登记时间", "Registered"),
        registered = esc(&p.registered_at),
    );
    if !p.unmasked {
        body.push_str(&format!(
            "<form method=\"post\" action=\"/clerk/persons/{id}/unmask\" aria-labelledby=\"unmask-title\">\
             <h3 id=\"unmask-title\">{title}</h3>{guard}{reason}<button type=\"submit\" class=\"secondary\">{title}</button></form>",
            title = tr(lang, "查看完整信息", "Show in clear"),
            guard = form_guard(browser),
            reason = Field {
                id: "unmask-reason",
                name: "reason",
                label: tr(lang, "查看事由", "Reason"),
                attrs: "required minlength=\"4\" maxlength=\"200\"",
                hint: Some(tr(
                    lang,
                    "事由将记入审计，完整信息只显示一次。",
                    "The reason is recorded in the audit trail; the clear view is shown once.",
                )),
                ..Field::default()
            }
            .html(),
        ));
    }
    body.push_str("</section>");

    body.push_str(&format!(
        "<section class=\"card\" aria-labelledby=\"cards-title\"><h2 id=\"cards-title\">{}</h2>",
        tr(lang, "社会保障卡", "Cards")
    ));
    if data.cards.is_empty() {
        body.push_str(&notice(
            "info",
            tr(lang, "尚无社会保障卡。", "No card yet."),
        ));
    } else {
        body.push_str("<ul>");
        for card in data.cards.iter().rev() {
            body.push_str(&card_line(lang, card));
        }
        body.push_str("</ul>");
    }
    body.push_str("</section>");

    let regions = region_options(&data.regions);
    if data.banks.is_empty() || regions.is_empty() {
        body.push_str(&notice(
            "info",
            tr(
                lang,
                "尚未配置合作银行或地区，暂不能申领。",
                "No service bank or region is set up yet, so no card can be applied for.",
            ),
        ));
        return body;
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"/clerk/persons/{id}/cards\" class=\"card\" aria-labelledby=\"apply-title\">\
         <h2 id=\"apply-title\">{title}</h2>{guard}{bank}{region}<button type=\"submit\">{title}</button></form>",
        title = tr(lang, "申领社会保障卡", "Apply for a card"),
        guard = form_guard(browser),
        bank = select(
            "apply-bank_id",
            "bank_id",
            tr(lang, "服务银行（持卡人选择）", "Service bank (the holder's choice)"),
            &data.banks,
            "",
        ),
        region = select(
            "apply-region",
            "region",
            tr(lang, "申领地区", "Region"),
            &regions,
            &p.household_region,
        ),
    ));
    body.push_str(&format!(
        "<form method=\"post\" action=\"/clerk/persons/{id}/temporary-card\" class=\"card\" autocomplete=\"off\" aria-labelledby=\"temporary-title\">\
         <h2 id=\"temporary-title\">{title}</h2><p>{about}</p>{guard}{region}{citizen}{pin}<button type=\"submit\">{title}</button></form>",
        title = tr(lang, "发放临时卡", "Issue a temporary card"),
        about = tr(
            lang,
            "临时卡当场发放，只有社保功能，只能在发卡地区使用。",
            "Issued on the spot: social security side only, usable only in its region."
        ),
        guard = form_guard(browser),
        region = select(
            "temporary-region",
            "region",
            tr(lang, "发卡地区", "Region"),
            &regions,
            &p.household_region,
        ),
        citizen = Field {
            id: "temporary-citizen_id",
            name: "citizen_id",
            label: t(lang, "citizen_id"),
            attrs: CITIZEN_ATTRS,
            ..Field::default()
        }
        .html(),
        pin = Field {
            id: "temporary-social_pin",
            name: "social_pin",
            label: tr(
                lang,
                "社保密码（持卡人在密码键盘上输入六位数字）",
                "Social PIN (the holder enters six digits on the PIN pad)"
            ),
            attrs: PIN_ATTRS,
            ..Field::default()
        }
        .html(),
    ));
    body
}

/// Loads and renders a person's page; `shown` is the view an action already returned.
async fn person_response(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    person: String,
    shown: Option<PersonView>,
    message: String,
    status: StatusCode,
) -> Response {
    let actor = browser.actor.clone();
    let loaded = blocking(s, move |app| {
        let person = match shown {
            Some(view) => view,
            None => app.person(&actor, &person)?,
        };
        let cards = app.cards_of_person(&actor, &person.id)?;
        let banks = app
            .banks(&actor)?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        let regions = app.regions(&actor)?;
        Ok(PersonPage {
            person,
            cards,
            banks,
            regions,
        })
    })
    .await;
    match loaded {
        Ok(data) => page(
            lang,
            status,
            Some(browser),
            &person_html(lang, browser, &data, &message),
        ),
        Err(error) => {
            let status = if status.is_success() {
                error_status(&error)
            } else {
                status
            };
            let message = message + &refused(lang, &error);
            page(lang, status, Some(browser), &desk(lang, browser, &message))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FindForm {
    csrf: String,
    citizen_id: String,
}

async fn find_person(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(form): Form<FindForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let actor = browser.actor.clone();
    let citizen = form.citizen_id.trim().to_owned();
    let outcome = blocking(&s, move |app| app.find_person(&actor, &citizen)).await;
    match outcome {
        Ok(view) => {
            let id = view.id.clone();
            person_response(
                &s,
                lang,
                &browser,
                id,
                Some(view),
                String::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(error) => {
            let response = page(
                lang,
                error_status(&error),
                Some(&browser),
                &desk(lang, &browser, &refused(lang, &error)),
            );
            // Too many look-ups by ID number: say when the actor may look up again.
            match error
                .retry_after_seconds()
                .and_then(|s| u64::try_from(s).ok())
            {
                Some(seconds) => crate::sign_in_limit::with_retry_after(response, seconds),
                None => response,
            }
        }
    }
}

async fn person_page(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(person): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = clerk_only(lang, &browser) {
        return refusal;
    }
    person_response(
        &s,
        lang,
        &browser,
        person,
        None,
        String::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UnmaskForm {
    csrf: String,
    reason: String,
}

async fn unmask_person(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(person): Path<String>,
    Form(form): Form<UnmaskForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let (actor, id) = (browser.actor.clone(), person.clone());
    let outcome = blocking(&s, move |app| app.unmask_person(&actor, &id, &form.reason)).await;
    let (shown, message, status) = match outcome {
        Ok(view) => (Some(view), String::new(), StatusCode::OK),
        Err(error) => (None, refused(lang, &error), error_status(&error)),
    };
    person_response(&s, lang, &browser, person, shown, message, status).await
}

/// The notice of a new card, with a link to its page.
fn new_card_message(lang: Lang, text: &str, card: &CardView) -> String {
    format!(
        "{}<p><a href=\"/clerk/cards/{}\">{}</a></p>",
        notice("ok", &format!("{text}{}", card.card_number)),
        esc(&card.id),
        tr(lang, "打开新卡", "Open the new card"),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApplyForm {
    csrf: String,
    key: String,
    bank_id: String,
    region: String,
}

async fn apply_card(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(person): Path<String>,
    Form(form): Form<ApplyForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let actor = browser.actor.clone();
    let request = CardApplication {
        person_id: person.clone(),
        bank_id: form.bank_id,
        region: form.region,
    };
    let outcome = blocking(&s, move |app| app.apply_card(&actor, &form.key, request)).await;
    let (message, status) = match outcome {
        Ok(card) => (
            new_card_message(
                lang,
                tr(
                    lang,
                    "已受理申领，卡号：",
                    "Application recorded. Card number: ",
                ),
                &card,
            ),
            StatusCode::OK,
        ),
        Err(error) => (refused(lang, &error), error_status(&error)),
    };
    person_response(&s, lang, &browser, person, None, message, status).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TemporaryForm {
    csrf: String,
    key: String,
    region: String,
    citizen_id: String,
    social_pin: String,
}

async fn issue_temporary(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(person): Path<String>,
    Form(form): Form<TemporaryForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let actor = browser.actor.clone();
    let request = TemporaryCardRequest {
        person_id: person.clone(),
        region: form.region,
        citizen_id: form.citizen_id.trim().to_owned(),
        social_pin: form.social_pin,
    };
    let outcome = blocking(&s, move |app| {
        app.issue_temporary_card(&actor, &form.key, request)
    })
    .await;
    let (message, status) = match outcome {
        Ok(card) => (
            new_card_message(
                lang,
                tr(
                    lang,
                    "临时卡已发放（仅限本地区、无金融功能），卡号：",
                    "Temporary card issued (its region only, no financial side). Card number: ",
                ),
                &card,
            ),
            StatusCode::OK,
        ),
        Err(error) => (refused(lang, &error), error_status(&error)),
    };
    person_response(&s, lang, &browser, person, None, message, status).await
}

// ----- registration ---------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct RegisterForm {
    csrf: String,
    key: String,
    citizen_id: String,
    name: String,
    nationality: String,
    household_region: String,
    household_kind: String,
    phone: String,
}

/// The registration form. The ID number is never written back into it: after a refusal the
/// clerk types it again.
fn register_html(
    lang: Lang,
    browser: &Browser,
    regions: &[RegionView],
    values: &RegisterForm,
    error: Option<&AppError>,
) -> String {
    let field_error = error.and_then(field_message);
    let error_for = |name: &str| {
        field_error
            .as_ref()
            .filter(|(field, _)| *field == name)
            .map(|(_, message)| message.as_str())
    };
    const FIELDS: [&str; 6] = [
        "citizen_id",
        "name",
        "nationality",
        "household_region",
        "household_kind",
        "phone",
    ];
    let message = match (error, &field_error) {
        (Some(_), Some((field, _))) if FIELDS.contains(field) => notice(
            "error",
            tr(
                lang,
                "未能办理：请更正下面标出的项目。",
                "Not done: correct the field marked below.",
            ),
        ),
        (Some(error), _) => refused(lang, error),
        (None, _) => String::new(),
    };
    let nationality = if values.nationality.is_empty() {
        "CHN"
    } else {
        values.nationality.as_str()
    };
    let kinds = [
        (
            "urban".to_owned(),
            household_words(lang, "urban").to_owned(),
        ),
        (
            "rural".to_owned(),
            household_words(lang, "rural").to_owned(),
        ),
    ];
    let kind_error = error_for("household_kind")
        .map(|m| {
            format!(
                "<p id=\"register-household_kind-error\" class=\"notice error\">{}</p>",
                esc(m)
            )
        })
        .unwrap_or_default();
    let mut kind_select = select(
        "register-household_kind",
        "household_kind",
        tr(lang, "户口性质", "Household kind"),
        &kinds,
        &values.household_kind,
    );
    if !kind_error.is_empty() {
        kind_select = kind_select.replacen(
            "<select ",
            "<select aria-describedby=\"register-household_kind-error\" aria-invalid=\"true\" ",
            1,
        );
    }
    let datalist: String = regions
        .iter()
        .map(|r| {
            format!(
                "<option value=\"{}\">{}</option>",
                esc(&r.code),
                esc(&r.name)
            )
        })
        .collect();
    let citizen_hint = if error.is_some() {
        tr(
            lang,
            "为保护个人信息，身份证号码不会回显，请重新录入（核验原件）。",
            "For privacy the ID number is not shown again: type it again from the original ID card.",
        )
    } else {
        tr(
            lang,
            "核验身份证原件后录入。",
            "Type it from the original ID card.",
        )
    };
    format!(
        "<h1>{title}</h1>{message}<form method=\"post\" action=\"/clerk/persons\" class=\"card\" autocomplete=\"off\">{guard}\
         {citizen}{name}{nationality}{region}<datalist id=\"region-list\">{datalist}</datalist>{kind_select}{kind_error}{phone}\
         <button type=\"submit\">{submit}</button></form><p><a href=\"/home\">{back}</a></p>",
        title = tr(lang, "登记参保人", "Register a person"),
        guard = form_guard(browser),
        citizen = Field {
            id: "register-citizen_id",
            name: "citizen_id",
            label: tr(lang, "身份证号码", "ID number"),
            attrs: CITIZEN_ATTRS,
            hint: Some(citizen_hint),
            error: error_for("citizen_id"),
            ..Field::default()
        }
        .html(),
        name = Field {
            id: "register-name",
            name: "name",
            label: tr(lang, "姓名", "Name"),
            value: &values.name,
            attrs: "required maxlength=\"50\"",
            error: error_for("name"),
            ..Field::default()
        }
        .html(),
        nationality = Field {
            id: "register-nationality",
            name: "nationality",
            label: tr(
                lang,
                "国籍（三位字母代码）",
                "Nationality (three-letter code)"
            ),
            value: nationality,
            attrs: "required maxlength=\"3\" autocapitalize=\"characters\"",
            error: error_for("nationality"),
            ..Field::default()
        }
        .html(),
        region = Field {
            id: "register-household_region",
            name: "household_region",
            label: tr(
                lang,
                "户籍地区（六位行政区划代码）",
                "Household region (six-digit code)"
            ),
            value: &values.household_region,
            attrs: "required inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" list=\"region-list\"",
            error: error_for("household_region"),
            ..Field::default()
        }
        .html(),
        phone = Field {
            id: "register-phone",
            name: "phone",
            label: tr(lang, "手机号码（可不填）", "Phone (optional)"),
            value: &values.phone,
            attrs: "type=\"tel\" inputmode=\"tel\" maxlength=\"20\"",
            error: error_for("phone"),
            ..Field::default()
        }
        .html(),
        submit = tr(lang, "登记", "Register"),
        back = tr(lang, "返回窗口首页", "Back to the window"),
    )
}

async fn regions_for(s: &Shared, browser: &Browser) -> Vec<RegionView> {
    let actor = browser.actor.clone();
    blocking(s, move |app| app.regions(&actor))
        .await
        .unwrap_or_default()
}

async fn new_person_page(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = clerk_only(lang, &browser) {
        return refusal;
    }
    let regions = regions_for(&s, &browser).await;
    let body = register_html(lang, &browser, &regions, &RegisterForm::default(), None);
    page(lang, StatusCode::OK, Some(&browser), &body)
}

async fn register_person(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(form): Form<RegisterForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let phone = form.phone.trim();
    let request = NewPerson {
        citizen_id: form.citizen_id.trim().to_owned(),
        name: form.name.trim().to_owned(),
        nationality: form.nationality.trim().to_owned(),
        household_region: form.household_region.trim().to_owned(),
        household_kind: form.household_kind.clone(),
        phone: (!phone.is_empty()).then(|| phone.to_owned()),
    };
    let (actor, key) = (browser.actor.clone(), form.key.clone());
    let outcome = blocking(&s, move |app| app.register_person(&actor, &key, request)).await;
    match outcome {
        Ok(view) => {
            let id = view.id.clone();
            let message = notice("ok", tr(lang, "登记成功。", "Registered."));
            person_response(&s, lang, &browser, id, Some(view), message, StatusCode::OK).await
        }
        Err(error) => {
            let regions = regions_for(&s, &browser).await;
            let body = register_html(lang, &browser, &regions, &form, Some(&error));
            page(lang, error_status(&error), Some(&browser), &body)
        }
    }
}

// ----- cards ----------------------------------------------------------------------------

/// What a card's page shows.
struct CardPage {
    card: CardView,
    holder: PersonView,
    bank: Option<String>,
}

fn card_html(lang: Lang, browser: &Browser, data: &CardPage, message: &str) -> String {
    let card = &data.card;
    let link = |id: &Option<String>| {
        id.as_ref().map_or_else(
            || "-".to_owned(),
            |id| format!("<a href=\"/clerk/cards/{0}\">{0}</a>", esc(id)),
        )
    };
    let loss = |loss: &shebao_app::views::LossView| match &loss.expires_at {
        Some(until) => format!(
            "{} ({} {})",
            loss_words(lang, &loss.kind),
            tr(lang, "至", "until"),
            esc(until)
        ),
        None => loss_words(lang, &loss.kind).to_owned(),
    };
    let mut body = format!(
        "<h1>{title} {number}</h1>{message}<p>{holder_label}: <a href=\"/clerk/persons/{person}\">{holder}</a> ({citizen}) · \
         <a href=\"/desk/card?card_id={id}\">{view}</a></p>\
         <section class=\"card\" aria-labelledby=\"state-title\"><h2 id=\"state-title\">{state_title}</h2><dl>\
         <dt>{kind_label}</dt><dd>{kind}</dd><dt>{status_label}</dt><dd class=\"state\" data-status=\"{status_code}\">{status}</dd>\
         <dt>{social_label}</dt><dd>{social_loss}</dd><dt>{financial_label}</dt><dd>{financial_loss}</dd>\
         <dt>{bank_label}</dt><dd>{bank}</dd><dt>{bank_card_label}</dt><dd>{bank_card}</dd>\
         <dt>{region_label}</dt><dd>{region}</dd><dt>{point_label}</dt><dd>{point}</dd>\
         <dt>{applied_label}</dt><dd>{applied}</dd><dt>{collected_label}</dt><dd>{collected}</dd>\
         <dt>{expires_label}</dt><dd>{expires}</dd><dt>{replaces_label}</dt><dd>{replaces}</dd>\
         <dt>{replaced_label}</dt><dd>{replaced}</dd></dl></section>",
        title = t(lang, "card_number"),
        number = esc(&card.card_number),
        holder_label = tr(lang, "持卡人", "Holder"),
        person = esc(&data.holder.id),
        holder = esc(&data.holder.name),
        citizen = esc(&data.holder.citizen_id),
        id = esc(&card.id),
        view = tr(lang, "账户与余额", "Account and balance"),
        state_title = t(lang, "status"),
        kind_label = tr(lang, "卡类型", "Kind"),
        kind = kind_words(lang, &card.kind),
        status_label = t(lang, "status"),
        status_code = esc(&card.status),
        status = card_status(lang, &card.usable, &card.status),
        social_label = t(lang, "social_side"),
        social_loss = loss(&card.social_loss),
        financial_label = t(lang, "financial_side"),
        financial_loss = if card.kind == "temporary" {
            tr(lang, "无（临时卡）", "none (temporary card)").to_owned()
        } else {
            loss(&card.financial_loss)
        },
        bank_label = tr(lang, "服务银行", "Service bank"),
        bank = esc(data.bank.as_deref().unwrap_or("-")),
        bank_card_label = t(lang, "bank_card"),
        bank_card = esc(card.bank_card_number.as_deref().unwrap_or("-")),
        region_label = tr(lang, "地区", "Region"),
        region = esc(&card.region),
        point_label = tr(lang, "发放网点", "Distribution point"),
        point = esc(card.distribution_point.as_deref().unwrap_or("-")),
        applied_label = tr(lang, "申领时间", "Applied"),
        applied = esc(&card.applied_at),
        collected_label = tr(lang, "领卡时间", "Collected"),
        collected = esc(card.collected_at.as_deref().unwrap_or("-")),
        expires_label = tr(lang, "有效期至", "Valid until"),
        expires = esc(card.expires_on.as_deref().unwrap_or("-")),
        replaces_label = tr(lang, "补换自", "Replaces"),
        replaces = link(&card.replaces),
        replaced_label = tr(lang, "已补换为", "Replaced by"),
        replaced = link(&card.replaced_by),
    );
    let actions = offered(card);
    if actions.is_empty() {
        body.push_str(&notice(
            "info",
            tr(
                lang,
                "此卡已不能办理业务。",
                "Nothing more can be done with this card.",
            ),
        ));
    } else {
        body.push_str(&format!(
            "<section class=\"card\" aria-labelledby=\"actions-title\"><h2 id=\"actions-title\">{}</h2>",
            tr(lang, "可办理业务", "What can be done")
        ));
        for action in actions {
            body.push_str(&action_form(lang, browser, card, action));
        }
        body.push_str("</section>");
    }
    body
}

/// Loads and renders a card's page for the clerk.
async fn card_response(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    card: String,
    message: String,
    status: StatusCode,
) -> Response {
    let actor = browser.actor.clone();
    let loaded = blocking(s, move |app| {
        let card = app.card(&actor, &card)?;
        let holder = app.person(&actor, &card.person_id)?;
        let bank = match &card.bank_id {
            Some(bank) => app
                .banks(&actor)?
                .into_iter()
                .find(|b| &b.id == bank)
                .map(|b| b.name),
            None => None,
        };
        Ok(CardPage { card, holder, bank })
    })
    .await;
    match loaded {
        Ok(data) => page(
            lang,
            status,
            Some(browser),
            &card_html(lang, browser, &data, &message),
        ),
        Err(error) => {
            let status = if status.is_success() {
                error_status(&error)
            } else {
                status
            };
            let message = message + &refused(lang, &error);
            page(lang, status, Some(browser), &desk(lang, browser, &message))
        }
    }
}

async fn card_page(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(card): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = clerk_only(lang, &browser) {
        return refusal;
    }
    card_response(&s, lang, &browser, card, String::new(), StatusCode::OK).await
}

/// Every field an action form may carry; each action reads its own.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ActionForm {
    csrf: String,
    key: String,
    distribution_point: String,
    citizen_id: String,
    social_pin: String,
    side: String,
    kind: String,
    reason: String,
}

async fn card_action(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path((card, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let Some(action) = CardAction::parse(&action) else {
        return page(
            lang,
            StatusCode::NOT_FOUND,
            Some(&browser),
            &notice("error", t(lang, "not_found")),
        );
    };
    let (actor, id) = (browser.actor.clone(), card.clone());
    let outcome = blocking(&s, move |app| {
        let key = form.key.as_str();
        match action {
            CardAction::Production => app.start_production(&actor, key, &id),
            CardAction::Ready => app.mark_ready(
                &actor,
                key,
                &id,
                ReadyRequest {
                    distribution_point: form.distribution_point,
                },
            ),
            CardAction::Collect => app.collect_card(
                &actor,
                key,
                &id,
                CollectRequest {
                    citizen_id: form.citizen_id.trim().to_owned(),
                    social_pin: form.social_pin,
                },
            ),
            CardAction::Loss => app.report_loss(
                &actor,
                key,
                &id,
                LossReport {
                    side: form.side,
                    kind: form.kind,
                },
            ),
            CardAction::CancelLoss => {
                app.cancel_loss(&actor, key, &id, LossCancellation { side: form.side })
            }
            CardAction::Replacement => app.request_replacement(&actor, key, &id),
            CardAction::Cancel => app.cancel_card(
                &actor,
                key,
                &id,
                CancelRequest {
                    reason: form.reason,
                },
            ),
        }
    })
    .await;
    let (message, status) = match outcome {
        Ok(new) if action == CardAction::Replacement => (
            new_card_message(lang, action.done(lang), &new),
            StatusCode::OK,
        ),
        Ok(_) => (notice("ok", action.done(lang)), StatusCode::OK),
        Err(error) => (refused(lang, &error), error_status(&error)),
    };
    card_response(&s, lang, &browser, card, message, status).await
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

    #[test]
    fn a_field_error_sits_under_its_input() {
        let html = Field {
            id: "register-name",
            name: "name",
            label: "Name",
            value: "<b>",
            error: Some("1 to 50 characters"),
            ..Field::default()
        }
        .html();
        assert!(html.contains("<label for=\"register-name\">"));
        assert!(html.contains("value=\"&lt;b&gt;\""));
        assert!(html.contains("aria-describedby=\"register-name-error\""));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains(
            "<p id=\"register-name-error\" class=\"notice error\">1 to 50 characters</p>"
        ));

        let error = AppError::Invalid {
            field: "phone",
            message: "11 digits".into(),
        };
        assert_eq!(
            field_message(&error),
            Some(("phone", "11 digits".to_owned()))
        );
        assert_eq!(field_message(&AppError::Forbidden), None);
    }

    #[test]
    fn a_pin_input_never_carries_a_value() {
        let html = Field {
            id: "collect-social_pin",
            name: "social_pin",
            label: "PIN",
            attrs: PIN_ATTRS,
            ..Field::default()
        }
        .html();
        assert!(!html.contains("value="));
        assert!(html.contains("type=\"password\""));
        assert!(html.contains("inputmode=\"numeric\""));
        assert!(html.contains("autocomplete=\"off\""));
    }
}
