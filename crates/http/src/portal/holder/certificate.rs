//! The cardholder's contribution certificate: issued and downloaded in one step (the
//! certificate in two clicks: this page from the menu, then its button), with the latest ones
//! listed to download again or to see as a verifier does.

use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use shebao_app::insurance::certificates::CertificateSummary;

use crate::portal::holder::holder_post_refusal;
use crate::portal::holder::{Holder, person_of};
use crate::portal::i18n::LocalClock;
use crate::portal::page::form::GuardedForm;
use crate::portal::page::table::table_template;
use crate::portal::page::{html, redirect, refusal_page, refused, rendered};
use crate::portal::session::Visit;
use crate::portal::session::blocking;
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "holder/certificate.html")]
struct CertificatePage<'a> {
    words: &'static dyn Words,
    csrf: &'a str,
    key: String,
    /// The certificates issued, or why they cannot be listed.
    issued: String,
}

table_template!(
    IssuedTable,
    "holder/certificates.html",
    CertificateSummary,
    clock: LocalClock,
);

pub(crate) async fn certificate_page(holder: Holder) -> Response {
    let (lang, browser) = (holder.0.lang, &holder.0.browser);
    let loaded = holder
        .load(|app, actor, person| {
            Ok((
                app.certificates(actor, person)?,
                LocalClock::read(app, actor),
            ))
        })
        .await;
    let issued = match loaded {
        Ok((rows, clock)) => html(&IssuedTable {
            words: lang.words(),
            rows: &rows,
            clock,
        }),
        Err(error) => refused(lang, &error),
    };
    let page = CertificatePage {
        words: lang.words(),
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        issued,
    };
    rendered(lang, StatusCode::OK, Some(browser), &page)
}

/// Issues a certificate and answers with its PDF's address (303), which the browser
/// downloads while the page stays.
pub(crate) async fn issue_certificate(visit: Visit, Form(form): Form<GuardedForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refused) = holder_post_refusal(lang, &browser, &form.csrf) {
        return refused;
    }
    let (actor, person) = (browser.actor.clone(), person_of(&browser));
    match blocking(&s, move |app| {
        app.issue_certificate(&actor, &form.key, &person)
    })
    .await
    {
        Ok(certificate) => redirect(&format!(
            "/holder/certificates/{}.pdf",
            certificate.summary.code
        )),
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}

pub(crate) async fn certificate_pdf(
    Visit { s, browser, lang }: Visit,
    Path(file): Path<String>,
) -> Response {
    let actor = browser.actor.clone();
    let code = file.trim_end_matches(".pdf").to_owned();
    let name = format!("attachment; filename=\"certificate-{code}.pdf\"");
    match blocking(&s, move |app| app.certificate_pdf(&actor, &code)).await {
        Ok(pdf) => match axum::http::HeaderValue::from_str(&name) {
            Ok(disposition) => (
                [
                    (
                        CONTENT_TYPE,
                        axum::http::HeaderValue::from_static("application/pdf"),
                    ),
                    (CONTENT_DISPOSITION, disposition),
                ],
                pdf,
            )
                .into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        },
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}
