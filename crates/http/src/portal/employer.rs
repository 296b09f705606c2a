//! The employer's desk: its employees, arrears and declarations (pasted, checked, with the
//! errors as a CSV file).

use crate::portal::page::html;
use crate::portal::page::table::table_template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::insurance::ArrearsView;
use shebao_app::insurance::declarations::DeclarationView;
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::i18n::tr;
use crate::portal::page::definitions;
use crate::portal::page::desk_only;
use crate::portal::page::esc;
use crate::portal::page::form::Posted;
use crate::portal::page::form::form_guard;
use crate::portal::page::form::posted_form;
use crate::portal::page::not_your_desk;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::refusal;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

/// A pasted declaration is URL-encoded (Chinese text triples in size), so the portal's
/// general 64 KiB limit would cut off ordinary files; bigger files go to the API.
const DECLARATION_FORM_LIMIT_BYTES: usize = 4 * 1024 * 1024;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/employer/declarations",
            post(employer_declare).layer(DefaultBodyLimit::max(DECLARATION_FORM_LIMIT_BYTES)),
        )
        .route(
            "/employer/declarations/file",
            post(employer_upload).layer(DefaultBodyLimit::max(crate::api::FILE_BODY_LIMIT_BYTES)),
        )
        .route(
            "/employer/declarations/{declaration}/errors.csv",
            get(employer_errors),
        )
}

/// The employer's desk on the home page.
pub(crate) async fn home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    employer_desk(s, lang, browser, String::new(), "").await
}

async fn employer_desk(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    outcome: String,
    csv: &str,
) -> String {
    let actor = browser.actor.clone();
    let Some(employer) = actor.scope.employer_id.as_ref().map(ToString::to_string) else {
        return notice("error", not_your_desk(lang));
    };
    let loaded = blocking(s, move |app| {
        let unit = app.employer(&actor, &employer)?;
        let arrears = app.arrears(&actor, &employer)?;
        let employees = app.employees(&actor, &employer)?;
        Ok((unit, arrears, employees))
    })
    .await;
    let (unit, arrears, employees) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return refusal(lang, &error).1,
    };
    let words = lang.words();
    format!(
        "<h1>{title} · <span translate=\"no\">{name}</span></h1><p>{code_label} {code}</p>{outcome}\
         <section class=\"card\" aria-labelledby=\"employees\"><h2 id=\"employees\">{employees_title}</h2>{employees}</section>\
         <section class=\"card\" aria-labelledby=\"arrears\"><h2 id=\"arrears\">{arrears_title}</h2>{arrears}</section>\
         <section class=\"card\" aria-labelledby=\"declare\"><h2 id=\"declare\">{declare_title}</h2><p>{explain}</p>\
         <form method=\"post\" action=\"/employer/declarations\" hx-post=\"/employer/declarations\" hx-select=\"main\" hx-target=\"main\" hx-swap=\"outerHTML\" hx-indicator=\"#import-progress\" hx-disabled-elt=\"find button\">{guard}\
         <label for=\"csv\">{csv_label}</label>\
         <textarea id=\"csv\" name=\"csv\" rows=\"12\" cols=\"60\" required spellcheck=\"false\" autocomplete=\"off\" data-private>{csv}</textarea>\
         <button type=\"submit\">{submit}</button>\
         <p class=\"htmx-indicator\" id=\"import-progress\" role=\"status\"><progress aria-label=\"{importing}\"></progress> {importing}</p></form>\
         <form method=\"post\" action=\"/employer/declarations/file\" enctype=\"multipart/form-data\">{guard}\
         <label for=\"file\">{file_label}</label>\
         <input id=\"file\" name=\"file\" type=\"file\" required accept=\".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\">\
         <button type=\"submit\">{upload}</button></form>\
         <p>{api} <code>POST /api/v1/employers/{id}/declarations</code></p></section>",
        title = tr(lang, "参保单位", "Insured unit"),
        name = esc(&unit.name),
        code_label = tr(lang, "统一社会信用代码", "Unified social credit code"),
        code = esc(&unit.credit_code),
        employees_title = tr(lang, "参保职工", "Insured employees"),
        employees = html(&EmployeesTable {
            words,
            rows: &employees
        }),
        arrears_title = tr(lang, "欠缴月份", "Unpaid months"),
        arrears = html(&ArrearsTable {
            words,
            rows: &arrears
        }),
        declare_title = tr(lang, "缴费工资申报", "Wage declaration"),
        explain = tr(
            lang,
            "粘贴CSV文本：首行为表头 citizen_id,month,wage（month 为 YYYY-MM，wage 为工资，单位元）。",
            "Paste CSV text: a header line citizen_id,month,wage (month as YYYY-MM, wage in yuan).",
        ),
        guard = form_guard(browser),
        csv_label = tr(lang, "申报内容（CSV）", "Declaration (CSV)"),
        csv = esc(csv),
        submit = tr(lang, "提交申报", "Declare"),
        importing = tr(lang, "正在导入，请稍候…", "Importing, please wait…"),
        file_label = lang.words().declaration_file(),
        upload = lang.words().upload(),
        api = tr(
            lang,
            "XLSX 或 CSV 文件可直接发送到接口",
            "XLSX or CSV files can be sent as they are to the API",
        ),
        id = esc(&unit.id),
    )
}

/// The fields of one line of an error file (every field quoted, `""` inside a field), or
/// `None` for a line in another form (files written before every field was quoted).
fn quoted_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut rest = line.trim_end_matches(['\r', '\n']);
    loop {
        let body = rest.strip_prefix('"')?;
        let mut field = String::new();
        let mut chars = body.char_indices().peekable();
        let end = loop {
            let (at, c) = chars.next()?;
            if c != '"' {
                field.push(c);
            } else if chars.peek().map(|(_, c)| *c) == Some('"') {
                field.push('"');
                chars.next();
            } else {
                break at + 1;
            }
        };
        fields.push(field);
        rest = &body[end..];
        if rest.is_empty() {
            return Some(fields);
        }
        rest = rest.strip_prefix(',')?;
    }
}

/// The rejected rows' file in the page's language: its header, and each row's message said
/// from its code (a code the catalogue does not know keeps the file's own words).
fn localised_errors(lang: Lang, csv: &str) -> String {
    let words = lang.words();
    let mut out = String::with_capacity(csv.len());
    for (n, line) in csv.lines().enumerate() {
        let Some(mut fields) = quoted_fields(line).filter(|f| f.len() == 4) else {
            return csv.to_owned();
        };
        if n == 0 {
            fields = words.error_file_columns().map(str::to_owned).to_vec();
        } else if let Some(text) = words.declaration_reject(&fields[2]) {
            fields[3] = text;
        }
        let quoted: Vec<String> = fields
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    out
}

table_template!(
    EmployeesTable,
    "employer/employees.html",
    shebao_app::insurance::EmployeeView
);
table_template!(ArrearsTable, "employer/arrears.html", ArrearsView);

/// What an import did, with the error file's link when rows were rejected.
fn declaration_outcome(lang: Lang, view: &DeclarationView) -> String {
    let mut html = if view.rows_rejected > 0 {
        notice(
            "error",
            tr(
                lang,
                "申报已处理，但有行被拒绝：请下载错误清单，更正后重新提交这些行。",
                "The declaration was processed, but some rows were rejected: download them, correct them and send them again.",
            ),
        )
    } else {
        notice(
            "ok",
            tr(lang, "申报已处理。", "The declaration was processed."),
        )
    };
    if view.repeated {
        html.push_str(&notice(
            "info",
            tr(
                lang,
                "这份文件以前已提交过，没有任何变化。",
                "This exact file was declared before; nothing changed.",
            ),
        ));
    }
    html.push_str(&format!(
        "<dl class=\"card\">{}</dl>",
        definitions(&[
            (tr(lang, "总行数", "Rows"), view.rows_total.to_string()),
            (
                tr(lang, "已接受", "Accepted"),
                view.rows_accepted.to_string()
            ),
            (
                tr(lang, "无变化", "Unchanged"),
                view.rows_unchanged.to_string()
            ),
            (
                tr(lang, "被拒绝", "Rejected"),
                view.rows_rejected.to_string()
            ),
        ])
    ));
    if view.rows_rejected > 0 {
        html.push_str(&format!(
            "<p><a href=\"/employer/declarations/{}/errors.csv\" download>{}</a></p>",
            esc(&view.id),
            tr(
                lang,
                "下载错误清单（CSV）",
                "Download the rejected rows (CSV)"
            ),
        ));
    }
    html
}

#[derive(Deserialize)]
pub(crate) struct DeclarationForm {
    csrf: String,
    csv: String,
}

posted_form!(Some(Role::Employer) => DeclarationForm);

/// Imports a declaration file for the browser's own employer.
async fn import(
    s: &Shared,
    browser: &Browser,
    bytes: Vec<u8>,
) -> Result<DeclarationView, shebao_app::AppError> {
    let employer = browser
        .actor
        .scope
        .employer_id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    browser
        .call(s, move |app, actor| {
            app.import_declaration_file(actor, &employer, &bytes, &mut |_, _| {})
        })
        .await
}

async fn employer_declare(Posted(visit, _, form): Posted<DeclarationForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let outcome = import(&s, &browser, form.csv.clone().into_bytes()).await;
    // The pasted text stays in the box only when it has to be corrected and sent again.
    let (status, message, kept) = match outcome {
        Ok(view) => (StatusCode::OK, declaration_outcome(lang, &view), ""),
        Err(error) => {
            let (status, message) = file_refusal(lang, &error);
            (status, message, form.csv.as_str())
        }
    };
    let body = employer_desk(&s, lang, &browser, message, kept).await;
    page(lang, status, Some(&browser), &body)
}

/// A declaration file (XLSX or CSV) uploaded from the page: the form's CSRF token first,
/// then the file, read within the API's file limit.
async fn employer_upload(
    Visit { s, browser, lang }: Visit,
    mut multipart: axum::extract::Multipart,
) -> Response {
    if let Some(refusal) = desk_only(lang, &browser, Role::Employer) {
        return refusal;
    }
    let mut csrf = String::new();
    let mut file = None;
    let (mut file_before_token, mut too_large) = (false, false);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                // The token comes first in the form; a file before it is not read.
                Some("file") if !crate::portal::session::csrf_ok(&browser, &csrf) => {
                    file_before_token = true;
                    break;
                }
                Some("file") => match field.bytes().await {
                    Ok(bytes) => file = Some(bytes),
                    Err(error) => {
                        too_large = error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                        break;
                    }
                },
                _ => {}
            },
            Ok(None) => break,
            Err(error) => {
                too_large = error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                break;
            }
        }
    }
    if file_before_token || !crate::portal::session::csrf_ok(&browser, &csrf) {
        return crate::portal::page::csrf_refused(lang, &browser);
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let (status, text) = if too_large {
            (StatusCode::PAYLOAD_TOO_LARGE, lang.words().too_large())
        } else {
            (StatusCode::UNPROCESSABLE_ENTITY, lang.words().no_file())
        };
        let message = notice("error", text);
        let body = employer_desk(&s, lang, &browser, message, "").await;
        return page(lang, status, Some(&browser), &body);
    };
    let outcome = import(&s, &browser, bytes.to_vec()).await;
    let (status, message) = match outcome {
        Ok(view) => (StatusCode::OK, declaration_outcome(lang, &view)),
        Err(error) => file_refusal(lang, &error),
    };
    let body = employer_desk(&s, lang, &browser, message, "").await;
    page(lang, status, Some(&browser), &body)
}

/// A declaration refused as a whole, with what a file must look like when the file is what
/// was wrong.
fn file_refusal(lang: Lang, error: &shebao_app::AppError) -> (StatusCode, String) {
    let (status, mut message) = refusal(lang, error);
    if error.field() == Some("file") {
        message.push_str(&notice("info", lang.words().declaration_format()));
    }
    (status, message)
}

async fn employer_errors(
    Visit { s, browser, lang }: Visit,
    Path(declaration): Path<String>,
) -> Response {
    if let Some(refusal) = desk_only(lang, &browser, Role::Employer) {
        return refusal;
    }
    let actor = browser.actor.clone();
    match blocking(&s, move |app| app.declaration_errors(&actor, &declaration)).await {
        Ok(csv) => crate::portal::page::csv_download(localised_errors(lang, &csv), "errors.csv"),
        Err(error) => {
            let (status, message) = refusal(lang, &error);
            page(lang, status, Some(&browser), &message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_file_is_said_in_the_page_language() {
        let stored = "\"line\",\"citizen_id\",\"code\",\"message\"\n\
                      \"3\",\"11**************\",\"not_enrolled\",\"no person, \"\"quoted\"\"\"\n\
                      \"4\",\"'=1+1\",\"new_code\",\"kept as written\"\n";
        assert_eq!(
            quoted_fields("\"3\",\"a,b\",\"x\"\"y\",\"\""),
            Some(vec!["3".into(), "a,b".into(), "x\"y".into(), String::new()])
        );
        assert_eq!(quoted_fields("3,unquoted"), None);
        let zh = localised_errors(Lang::Zh, stored);
        let lines: Vec<&str> = zh.lines().collect();
        assert_eq!(
            lines[0],
            "\"行号\",\"身份证号码（已遮盖）\",\"错误代码\",\"说明\""
        );
        assert_eq!(
            lines[1],
            "\"3\",\"11**************\",\"not_enrolled\",\"该身份证号码在该月份未通过本单位参保。\""
        );
        assert_eq!(lines[2], "\"4\",\"'=1+1\",\"new_code\",\"kept as written\"");
        // English keeps the file as written; a file in an older form is returned as it is.
        assert_eq!(localised_errors(Lang::En, stored), stored);
        assert_eq!(
            localised_errors(Lang::Zh, "line,id\n1,2\n"),
            "line,id\n1,2\n"
        );
    }
}
