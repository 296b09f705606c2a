//! The cardholder's contribution certificate: issued, then downloaded as a PDF.

use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::portal::holder::holder_post_refusal;
use crate::portal::holder::{Holder, person_of};
use crate::portal::i18n::tr;
use crate::portal::page::esc;
use crate::portal::page::form::GuardedForm;
use crate::portal::page::form::form_guard;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::refusal_page;
use crate::portal::page::refused;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

pub(crate) async fn certificate_page(Holder(Visit { browser, lang, .. }): Holder) -> Response {
    let body = format!(
        "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"/holder/certificate\">{}<button type=\"submit\">{}</button></form>",
        tr(lang, "参保缴费证明", "Contribution certificate"),
        tr(
            lang,
            "证明为中英文PDF，附验证码，新单位或房东可凭验证码核验真伪。",
            "A PDF in Chinese and English with a verification code a new employer or landlord can check."
        ),
        form_guard(&browser),
        tr(lang, "生成证明", "Issue the certificate"),
    );
    page(lang, StatusCode::OK, Some(&browser), &body)
}

pub(crate) async fn issue_certificate(visit: Visit, Form(form): Form<GuardedForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refused) = holder_post_refusal(lang, &browser, &form.csrf) {
        return refused;
    }
    let (actor, person) = (browser.actor.clone(), person_of(&browser));
    let body = match blocking(&s, move |app| {
        app.issue_certificate(&actor, &form.key, &person)
    })
    .await
    {
        Ok(certificate) => format!(
            "<h1>{}</h1>{}<p><a href=\"/holder/certificates/{code}.pdf\" download>{}</a></p><p>{}: <strong>{code}</strong></p>",
            tr(lang, "参保缴费证明", "Contribution certificate"),
            notice("ok", tr(lang, "证明已生成。", "The certificate is issued.")),
            tr(lang, "下载PDF", "Download the PDF"),
            tr(lang, "验证码", "Verification code"),
            code = esc(&certificate.summary.code),
        ),
        Err(error) => refused(lang, &error),
    };
    page(lang, StatusCode::OK, Some(&browser), &body)
}

pub(crate) async fn certificate_pdf(
    Visit { s, browser, lang }: Visit,
    Path(file): Path<String>,
) -> Response {
    let actor = browser.actor.clone();
    let code = file.trim_end_matches(".pdf").to_owned();
    match blocking(&s, move |app| app.certificate_pdf(&actor, &code)).await {
        Ok(pdf) => (
            [
                (CONTENT_TYPE, "application/pdf"),
                (
                    CONTENT_DISPOSITION,
                    "attachment; filename=\"certificate.pdf\"",
                ),
            ],
            pdf,
        )
            .into_response(),
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}
