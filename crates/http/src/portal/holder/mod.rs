//! The cardholder's pages: the home page with the cards and their next step, contributions
//! month by month with the totals, personal accounts and the card account's statement,
//! medical settlements, the contribution certificate, job seeking, unemployment insurance,
//! the maternity allowance, work injury, vocational training, changing the social PIN, and help answered from the holder's own
//! data.

pub(crate) mod certificate;
pub(crate) mod collection;
pub(crate) mod ecard;
pub(crate) mod help;
pub(crate) mod home;
pub(crate) mod injury;
pub(crate) mod jobs;
pub(crate) mod maternity;
pub(crate) mod pin;
pub(crate) mod records;
pub(crate) mod training;
pub(crate) mod unemployment;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::page::csrf_refused;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::csrf_ok;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use shebao_app::{Actor, App, AppError};

/// Links from the holder's home page to these pages.
pub(crate) fn links(lang: Lang) -> String {
    let items: String = [
        (
            "/holder/contributions",
            lang.words().holder_nav_contributions(),
        ),
        ("/holder/accounts", lang.words().holder_nav_accounts()),
        ("/holder/settlements", lang.words().holder_nav_settlements()),
        ("/holder/certificate", lang.words().holder_nav_certificate()),
        ("/holder/ecard", lang.words().ecard_nav()),
        ("/holder/jobs", lang.words().jobs_nav()),
        ("/holder/unemployment", lang.words().unemployment_nav()),
        ("/holder/maternity", lang.words().maternity_nav()),
        ("/holder/injury", lang.words().injury_nav()),
        ("/holder/training", lang.words().training_nav()),
        ("/holder/pin", lang.words().change_pin()),
        ("/help", lang.words().help_title()),
    ]
    .iter()
    .map(|(href, text)| format!("<li><a href=\"{href}\">{text}</a></li>"))
    .collect();
    format!(
        "<nav class=\"card\" aria-label=\"{}\"><ul>{items}</ul></nav>",
        lang.words().holder_nav(),
    )
}

pub(crate) fn holder_only(lang: Lang, browser: &Browser) -> Option<Response> {
    (browser.actor.role != Role::Cardholder || browser.actor.scope.person_id.is_none()).then(|| {
        page(
            lang,
            StatusCode::FORBIDDEN,
            Some(browser),
            &notice("error", lang.words().holder_only()),
        )
    })
}

pub(crate) fn person_of(browser: &Browser) -> String {
    browser
        .actor
        .scope
        .person_id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// The two checks every holder form post passes first, the role and then its CSRF token;
/// the refusal page when one fails.
pub(crate) fn holder_post_refusal(lang: Lang, browser: &Browser, csrf: &str) -> Option<Response> {
    if let Some(refused) = holder_only(lang, browser) {
        return Some(refused);
    }
    (!csrf_ok(browser, csrf)).then(|| csrf_refused(lang, browser))
}

/// A signed-in cardholder's visit to one of their pages; anyone else is answered the 403
/// page. For pages without a form body (one with a body checks with [`holder_only`] after
/// reading it, as before).
pub(crate) struct Holder(pub(crate) Visit);

impl Holder {
    /// Runs application code for the holder's own records, with the actor and the person.
    pub(crate) async fn load<T: Send + 'static>(
        &self,
        work: impl FnOnce(&App, &Actor, &str) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let Visit { s, browser, .. } = &self.0;
        let person = person_of(browser);
        browser
            .call(s, move |app, actor| work(app, actor, &person))
            .await
    }
}

impl FromRequestParts<Shared> for Holder {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, shared: &Shared) -> Result<Self, Response> {
        let visit = Visit::from_request_parts(parts, shared).await?;
        if let Some(refused) = holder_only(visit.lang, &visit.browser) {
            return Err(refused);
        }
        Ok(Holder(visit))
    }
}

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/home/cards/{card}/loss",
            get(self::home::confirm_loss).post(self::home::report_loss),
        )
        .route(
            "/home/cards/{card}/loss/cancel",
            post(self::home::cancel_loss),
        )
        .route(
            "/home/cards/{card}/collection-point",
            post(self::collection::choose_point),
        )
        .route(
            "/home/cards/{card}/mail",
            post(self::collection::choose_mail),
        )
        .route(
            "/home/cards/{card}/mailed-collection",
            post(self::collection::collect_mailed),
        )
        .route("/holder/contributions", get(self::records::contributions))
        .route("/holder/accounts", get(self::records::accounts))
        .route(
            "/holder/accounts/{account}",
            get(self::records::account_statement),
        )
        .route(
            "/holder/accounts/{account}/statement.csv",
            get(self::records::statement_export),
        )
        .route("/holder/settlements", get(self::records::settlements))
        .route(
            "/holder/certificate",
            get(self::certificate::certificate_page).post(self::certificate::issue_certificate),
        )
        .route(
            "/holder/certificates/{file}",
            get(self::certificate::certificate_pdf),
        )
        .route(
            "/holder/pin",
            get(self::pin::pin_page).post(self::pin::change_pin),
        )
        .route("/holder/training", get(self::training::training))
        .route("/holder/training/enrol", post(self::training::enrol))
        .route("/holder/training/withdraw", post(self::training::withdraw))
        .route("/holder/jobs", get(self::jobs::jobs))
        .route("/holder/jobs/apply", post(self::jobs::apply))
        .route(
            "/holder/jobs/applications",
            post(self::jobs::change_application),
        )
        .route("/holder/jobs/profile", post(self::jobs::keep_profile))
        .route(
            "/holder/unemployment",
            get(self::unemployment::unemployment),
        )
        .route(
            "/holder/unemployment/register",
            post(self::unemployment::register),
        )
        .route(
            "/holder/maternity",
            get(self::maternity::maternity).post(self::maternity::claim),
        )
        .route(
            "/holder/injury",
            get(self::injury::injury).post(self::injury::apply),
        )
        .route(
            "/holder/ecard",
            get(self::ecard::ecard).post(self::ecard::take),
        )
        .route("/holder/ecard/revoke", post(self::ecard::revoke))
        .route("/help", get(self::help::help))
}
