//! The holder's electronic card (issue 19, item 5): for each collected card, the form that
//! takes its electronic card (the card's social PIN), or its code — the identity code, or
//! the payment code once the financial account is active — as a QR code (server-drawn SVG)
//! with its expiry, and the form that revokes it. The page refreshes by itself (a `Refresh`
//! header, no script) before the code shown stops working.

use axum::Form;
use axum::extract::Query;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::ecard::{CodeRequest, ECardRequest, ECardRevocation};
use shebao_domain::card::code::CodePurpose;

use crate::portal::holder::{Holder, holder_post_refusal, person_of};
use crate::portal::i18n::LocalClock;
use crate::portal::page::{Notice, error_status, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

/// The least a page waits before it refreshes, in seconds.
const REFRESH_MIN_SECONDS: u32 = 30;

/// A code as shown: the QR code (SVG made here from the code), the text and its expiry.
struct ShownCode {
    svg: String,
    text: String,
    expires: String,
}

/// One collected card and its electronic card, as the page shows them.
struct ECardSection {
    card_id: String,
    card_number: String,
    /// The active electronic card's id, when there is one.
    ecard_id: Option<String>,
    code: Option<ShownCode>,
    /// Why no code is shown (a refusal in words).
    unavailable: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "holder/ecard.html")]
struct ECardPage<'a> {
    words: &'static dyn Words,
    notice: Option<Notice>,
    csrf: &'a str,
    key: String,
    purpose: &'static str,
    sections: Vec<ECardSection>,
}

/// The QR code of `text` as an inline SVG element (EC level M, as a phone's screen is read).
pub(crate) fn qr_svg(text: &str) -> Option<String> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(264, 264)
        .quiet_zone(true)
        .build();
    // The renderer writes an XML prolog, which has no place inside HTML.
    let start = svg.find("<svg")?;
    Some(svg[start..].to_owned())
}

#[derive(Deserialize, Default)]
pub(crate) struct ECardQuery {
    #[serde(default)]
    purpose: Option<String>,
}

fn purpose_of(query: Option<&str>) -> CodePurpose {
    query
        .and_then(CodePurpose::parse)
        .unwrap_or(CodePurpose::Identity)
}

/// The page with `notice` above the sections and codes of `purpose`.
async fn ecard_page_with(
    visit: &Visit,
    status: StatusCode,
    notice: Option<Notice>,
    purpose: CodePurpose,
) -> Response {
    let (lang, browser) = (visit.lang, &visit.browser);
    let person = person_of(browser);
    let loaded = browser
        .call(&visit.s, move |app, actor| {
            let clock = LocalClock::read(app, actor);
            let cards = app.cards_of_person(actor, &person)?;
            let ecards = app.my_ecards(actor)?.ecards;
            let mut sections = Vec::new();
            let mut lifetime = None;
            for card in cards.into_iter().filter(|c| c.status == "collected") {
                let ecard = ecards
                    .iter()
                    .find(|e| e.card_id == card.id && e.status == "active");
                let mut section = ECardSection {
                    card_id: card.id.clone(),
                    card_number: card.card_number.clone(),
                    ecard_id: ecard.map(|e| e.id.clone()),
                    code: None,
                    unavailable: None,
                };
                if let Some(ecard) = ecard {
                    let asked = CodeRequest {
                        purpose: purpose.as_str().to_owned(),
                    };
                    match app.ecard_code(actor, &ecard.id, asked) {
                        Ok(code) => {
                            // The page refreshes for the code that stops working first.
                            lifetime = Some(lifetime.map_or(code.lifetime_seconds, |l: u32| {
                                l.min(code.lifetime_seconds)
                            }));
                            section.code = Some(ShownCode {
                                svg: qr_svg(&code.code).unwrap_or_default(),
                                expires: clock.time(&code.expires_at),
                                text: code.code,
                            });
                        }
                        Err(error) => section.unavailable = Some(lang.words().app_error(&error)),
                    }
                }
                sections.push(section);
            }
            Ok((sections, lifetime))
        })
        .await;
    let (status, notice, sections, lifetime) = match (loaded, notice) {
        (Ok((sections, lifetime)), notice) => (status, notice, sections, lifetime),
        (Err(_), Some(notice)) => (status, Some(notice), Vec::new(), None),
        (Err(error), None) => (
            error_status(&error),
            Some(Notice::refused(lang, &error)),
            Vec::new(),
            None,
        ),
    };
    let body = ECardPage {
        words: lang.words(),
        notice,
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        purpose: purpose.as_str(),
        sections,
    };
    let mut response = rendered(lang, status, Some(browser), &body);
    if let Some(lifetime) = lifetime {
        // Refreshed before the code stops working: a third of its life left.
        let wait = (lifetime - lifetime / 3).max(REFRESH_MIN_SECONDS);
        if let Ok(value) = HeaderValue::from_str(&format!(
            "{wait}; url=/holder/ecard?purpose={}",
            purpose.as_str()
        )) {
            response.headers_mut().insert("refresh", value);
        }
    }
    response
}

/// The page after a form's post: `done` above it when the change was made, else the
/// refusal in words.
async fn answered<T>(
    visit: &Visit,
    outcome: Result<T, shebao_app::AppError>,
    done: &str,
) -> Response {
    let (status, notice) = match outcome {
        Ok(_) => (StatusCode::OK, Notice::ok(done)),
        Err(error) => (error_status(&error), Notice::refused(visit.lang, &error)),
    };
    ecard_page_with(visit, status, Some(notice), CodePurpose::Identity).await
}

pub(crate) async fn ecard(Holder(visit): Holder, Query(query): Query<ECardQuery>) -> Response {
    let purpose = purpose_of(query.purpose.as_deref());
    ecard_page_with(&visit, StatusCode::OK, None, purpose).await
}

#[derive(Deserialize)]
pub(crate) struct TakeForm {
    csrf: String,
    key: String,
    card_id: String,
    social_pin: String,
}

pub(crate) async fn take(visit: Visit, Form(form): Form<TakeForm>) -> Response {
    let lang = visit.lang;
    if let Some(refused) = holder_post_refusal(lang, &visit.browser, &form.csrf) {
        return refused;
    }
    let request = ECardRequest {
        social_pin: form.social_pin,
    };
    let card = form.card_id.trim().to_owned();
    let outcome = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.issue_ecard(actor, &form.key, &card, request)
        })
        .await;
    answered(&visit, outcome, lang.words().ecard_taken_done()).await
}

#[derive(Deserialize)]
pub(crate) struct RevokeForm {
    csrf: String,
    key: String,
    ecard_id: String,
    reason: String,
}

pub(crate) async fn revoke(visit: Visit, Form(form): Form<RevokeForm>) -> Response {
    let lang = visit.lang;
    if let Some(refused) = holder_post_refusal(lang, &visit.browser, &form.csrf) {
        return refused;
    }
    let request = ECardRevocation {
        reason: form.reason,
    };
    let ecard = form.ecard_id.trim().to_owned();
    let outcome = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.revoke_ecard(actor, &form.key, &ecard, request)
        })
        .await;
    answered(&visit, outcome, lang.words().ecard_revoked_done()).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_element_without_a_prolog() {
        let svg = qr_svg("SBE1.330100-ecard-v1.AAAA").unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(!svg.contains("<?xml"));
    }

    #[test]
    fn an_unknown_purpose_shows_the_identity_code() {
        assert_eq!(purpose_of(Some("payment")), CodePurpose::Payment);
        assert_eq!(purpose_of(Some("x")), CodePurpose::Identity);
        assert_eq!(purpose_of(None), CodePurpose::Identity);
    }
}
