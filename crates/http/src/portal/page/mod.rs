//! What every portal page shares: the layout around a page's body, notices, HTML escaping,
//! redirects, and the refusal pages (CSRF, another role's desk, an application refusal).

pub(crate) mod form;
pub(crate) mod receipt;
pub(crate) mod table;

use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shebao_app::AppError;
use shebao_domain::access::Role;

use crate::portal::i18n::Lang;
use crate::portal::session::Browser;
use crate::portal::words::Words;

pub(crate) fn not_your_desk(lang: Lang) -> &'static str {
    lang.words().not_your_desk()
}

/// The 403 page a role gets for another role's desk.
pub(crate) fn forbidden(lang: Lang, browser: &Browser) -> Response {
    page(
        lang,
        StatusCode::FORBIDDEN,
        Some(browser),
        &refusal_body(lang, &notice("error", not_your_desk(lang))),
    )
}

/// A refusal as a whole page's body: its heading, the refusal (already HTML) and the way
/// home.
pub(crate) fn refusal_body(lang: Lang, refusal_html: &str) -> String {
    let words = lang.words();
    format!(
        "<h1>{}</h1>{refusal_html}<p><a href=\"/home\">{}</a></p>",
        esc(words.refused_title()),
        esc(words.go_home())
    )
}

/// The 403 page when the browser's role is not the desk's.
pub(crate) fn desk_only(lang: Lang, browser: &Browser, role: Role) -> Option<Response> {
    (browser.actor.role != role).then(|| forbidden(lang, browser))
}

/// An application refusal as the page shows it, with the status it maps to.
pub(crate) fn refusal(lang: Lang, error: &AppError) -> (StatusCode, String) {
    (error_status(error), refused(lang, error))
}

/// What an application call came to as the page shows it: `done` with 200, or the refusal.
pub(crate) fn done_or_refused<T>(
    lang: Lang,
    outcome: &Result<T, AppError>,
    done: &str,
) -> (StatusCode, String) {
    match outcome {
        Ok(_) => (StatusCode::OK, notice("ok", done)),
        Err(error) => refusal(lang, error),
    }
}

/// A form's own refusal (before the application is asked): 422 with the reason.
pub(crate) fn unprocessable(text: &str) -> (StatusCode, String) {
    (StatusCode::UNPROCESSABLE_ENTITY, notice("error", text))
}

/// An application refusal as a page shows it: "Not done: " and the reason.
pub(crate) fn refused(lang: Lang, error: &AppError) -> String {
    notice("error", &Notice::refused(lang, error).text)
}

/// A whole page saying an application refusal, with the status it maps to.
pub(crate) fn refusal_page(lang: Lang, browser: Option<&Browser>, error: &AppError) -> Response {
    page(
        lang,
        error_status(error),
        browser,
        &refusal_body(lang, &refused(lang, error)),
    )
}

/// The HTTP status an application refusal maps to.
pub(crate) fn error_status(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::CONFLICT)
}

/// The 403 page for a form whose CSRF token is not the session's.
pub(crate) fn csrf_refused(lang: Lang, browser: &Browser) -> Response {
    page(
        lang,
        StatusCode::FORBIDDEN,
        Some(browser),
        &notice("error", lang.words().csrf()),
    )
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A record's value in a page (a name, a code): escaped, and marked as data that is not in
/// the page's language and is not to be translated.
pub(crate) fn as_data(text: &str) -> String {
    format!("<span translate=\"no\">{}</span>", esc(text))
}

pub(crate) fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// A CSV file to download as `filename`: never cached (exports and error files name people,
/// masked), never sniffed as anything else.
pub(crate) fn csv_download(body: String, filename: &'static str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(axum::http::header::CONTENT_DISPOSITION, value);
    }
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The layout every page shares, around a body already rendered.
#[derive(askama::Template)]
#[template(path = "layout.html")]
struct Layout<'a> {
    lang: Lang,
    words: &'static dyn Words,
    /// The language the switch offers.
    other: &'static str,
    browser: Option<&'a Browser>,
    body: &'a str,
}

/// A whole page: the layout around `body`, with the security headers every page sends.
pub(crate) fn page(
    lang: Lang,
    status: StatusCode,
    browser: Option<&Browser>,
    body: &str,
) -> Response {
    let layout = Layout {
        lang,
        words: lang.words(),
        other: if lang == Lang::Zh { "en" } else { "zh" },
        browser,
        body,
    };
    let Ok(html) = askama::Template::render(&layout) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(crate::headers::PAGE_POLICY),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    response
}

/// A page whose body is a template: the layout around it, or a 500 page if it does not
/// render.
pub(crate) fn rendered(
    lang: Lang,
    status: StatusCode,
    browser: Option<&Browser>,
    body: &impl askama::Template,
) -> Response {
    match body.render() {
        Ok(html) => page(lang, status, browser, &html),
        Err(_) => page(
            lang,
            StatusCode::INTERNAL_SERVER_ERROR,
            browser,
            &notice("error", "500"),
        ),
    }
}

/// A template's HTML, to place in a page still built as a string (or a notice that it could
/// not be shown).
pub(crate) fn html(template: &impl askama::Template) -> String {
    template.render().unwrap_or_else(|_| notice("error", "500"))
}

/// A notice above a template's form: `ok` or `error`, and its text.
pub(crate) struct Notice {
    pub(crate) kind: &'static str,
    pub(crate) text: String,
}

impl Notice {
    pub(crate) fn ok(text: &str) -> Notice {
        Notice {
            kind: "ok",
            text: text.to_owned(),
        }
    }

    /// An application refusal: "Not done: " and the reason.
    pub(crate) fn refused(lang: Lang, error: &AppError) -> Notice {
        Notice {
            kind: "error",
            text: format!(
                "{}{}",
                lang.words().refused(),
                lang.words().app_error(error)
            ),
        }
    }
}

/// The terms and already-escaped descriptions of a definition list, without the `<dl>`.
pub(crate) fn definitions(items: &[(&str, String)]) -> String {
    items
        .iter()
        .map(|(term, description)| format!("<dt>{}</dt><dd>{description}</dd>", esc(term)))
        .collect()
}

pub(crate) fn notice(kind: &str, text: &str) -> String {
    format!(
        "<p class=\"notice {kind}\" role=\"status\">{}</p>",
        esc(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use shebao_app::money::yuan;

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(yuan(123_456), "1234.56");
        assert_eq!(yuan(-5), "-0.05");
    }
}
