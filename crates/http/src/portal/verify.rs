//! The public page that checks a contribution certificate, without signing in: whoever holds
//! its code (a landlord, a new employer; the QR code on the PDF opens the page) sees what was
//! certified, masked as the certificate itself is, and may upload the PDF to learn whether it
//! is exactly the one issued. Nothing changes and nothing personal is shown in clear.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use shebao_app::insurance::certificates::{CertificateSummary, VerificationView};
use shebao_app::money::yuan;
use shebao_domain::time::UtcOffset;

use crate::Shared;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::{redirect, refusal_page, rendered};
use crate::portal::session::blocking;
use crate::portal::words::Words;

/// Longest code looked up (the codes issued are 28 characters).
const CODE_MAX_CHARS: usize = 40;

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/verify", get(ask)).route(
        "/verify/{code}",
        get(show)
            .post(check)
            .layer(DefaultBodyLimit::max(crate::api::FILE_BODY_LIMIT_BYTES)),
    )
}

#[derive(askama::Template)]
#[template(path = "verify/certificate.html")]
struct Verification<'a> {
    words: &'static dyn Words,
    /// The code asked for, kept in its field.
    code: &'a str,
    /// Whether a code was asked for at all (the bare page asks for one).
    asked: bool,
    summary: Option<CertificateSummary>,
    /// When the certificate was issued, in local time (those issued before certificates
    /// carried their local time hold it in UTC).
    issued_at: String,
    pension: String,
    medical: String,
    /// Whether the PDF uploaded is the one issued.
    checked: Option<bool>,
    /// Why an upload could not be checked.
    problem: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct CodeQuery {
    #[serde(default)]
    code: String,
}

/// The page asking for a code; a code given goes to its own page (an address the QR code
/// shares).
async fn ask(headers: HeaderMap, Query(query): Query<CodeQuery>) -> Response {
    let code = query.code.trim();
    if !code.is_empty() && code.chars().count() <= CODE_MAX_CHARS {
        let safe: String = code
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        return redirect(&format!("/verify/{}", safe.to_ascii_uppercase()));
    }
    let lang = Lang::from_headers(&headers);
    // No certificate, no time to show: the clock is not read.
    let clock = LocalClock::new(UtcOffset::UTC);
    answer(lang, clock, StatusCode::OK, "", None, (None, None))
}

async fn show(State(s): State<Shared>, headers: HeaderMap, Path(code): Path<String>) -> Response {
    let lang = Lang::from_headers(&headers);
    verified(&s, lang, code, None).await
}

/// Checks an uploaded PDF against the one issued under the code.
async fn check(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(code): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let mut file = None;
    let mut too_large = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => match field.bytes().await {
                Ok(bytes) => {
                    file = Some(bytes);
                    break;
                }
                Err(error) => {
                    too_large = error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                    break;
                }
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(error) => {
                too_large = error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                break;
            }
        }
    }
    match file.filter(|bytes| !bytes.is_empty()) {
        Some(bytes) => verified(&s, lang, code, Some(bytes.to_vec())).await,
        None => {
            let (status, problem) = if too_large {
                (StatusCode::PAYLOAD_TOO_LARGE, lang.words().too_large())
            } else {
                (StatusCode::UNPROCESSABLE_ENTITY, lang.words().no_file())
            };
            let looked_up = look_up(&s, lang, code.clone(), None).await;
            match looked_up {
                Ok((view, clock)) => answer(
                    lang,
                    clock,
                    status,
                    &code,
                    view.summary,
                    (None, Some(problem.to_owned())),
                ),
                Err(page) => page,
            }
        }
    }
}

/// The certificate under `code` (and whether `document` is it), with the clock of the
/// regions' local time its issue time is shown in (UTC if it cannot be read).
async fn look_up(
    s: &Shared,
    lang: Lang,
    code: String,
    document: Option<Vec<u8>>,
) -> Result<(VerificationView, LocalClock), Response> {
    blocking(s, move |app| {
        let view = app.verify_certificate(&code, document.as_deref())?;
        let offset = app.public_display_offset().unwrap_or(UtcOffset::UTC);
        Ok((view, LocalClock::new(offset)))
    })
    .await
    .map_err(|error| refusal_page(lang, None, &error))
}

async fn verified(s: &Shared, lang: Lang, code: String, document: Option<Vec<u8>>) -> Response {
    match look_up(s, lang, code.clone(), document).await {
        Ok((view, clock)) => {
            let status = if view.issued {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            answer(
                lang,
                clock,
                status,
                &code,
                view.summary,
                (view.document_matches, None),
            )
        }
        Err(page) => page,
    }
}

fn answer(
    lang: Lang,
    clock: LocalClock,
    status: StatusCode,
    code: &str,
    summary: Option<CertificateSummary>,
    (checked, problem): (Option<bool>, Option<String>),
) -> Response {
    let (pension, medical, issued_at) = summary.as_ref().map_or_else(Default::default, |s| {
        (
            yuan(s.pension_total_fen),
            yuan(s.medical_total_fen),
            clock.time(&s.issued_at),
        )
    });
    let page = Verification {
        words: lang.words(),
        code: if code.chars().count() <= CODE_MAX_CHARS {
            code
        } else {
            ""
        },
        asked: !code.is_empty(),
        summary,
        issued_at,
        pension,
        medical,
        checked,
        problem,
    };
    rendered(lang, status, None, &page)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use askama::Template;

    #[test]
    fn the_issue_time_shows_in_local_time() {
        let china = LocalClock::new(UtcOffset::from_minutes(480).unwrap());
        for stored in ["2026-11-30T19:23:42Z", "2026-12-01 03:23:42+08:00"] {
            let summary = CertificateSummary {
                code: "C-1".into(),
                issued_at: stored.into(),
                holder: "张*".into(),
                citizen_id: "11**************1X".into(),
                months_paid: 12,
                pension_total_fen: 100,
                medical_total_fen: 50,
                kind: "contribution".into(),
                training: None,
            };
            let page = Verification {
                words: Lang::En.words(),
                code: "C-1",
                asked: true,
                issued_at: china.time(&summary.issued_at),
                summary: Some(summary),
                pension: yuan(100),
                medical: yuan(50),
                checked: None,
                problem: None,
            };
            let html = page.render().unwrap();
            assert!(
                html.contains("<dd translate=\"no\">2026-12-01 03:23</dd>"),
                "{stored}"
            );
        }
    }
}
