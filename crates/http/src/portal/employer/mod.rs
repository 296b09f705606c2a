//! The employer's desk: its employees (and the report of one who left), arrears (each paid
//! from the page) and declarations (pasted or uploaded, checked, with the errors as a CSV
//! file); its vacancies and their applicants in `vacancies`; work-injury applications and
//! the unit's cases in `injury`.

mod injury;
mod vacancies;

use crate::portal::page::html;
use crate::portal::page::table::table_template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::insurance::declarations::DeclarationView;
use shebao_app::insurance::{ArrearsView, PaymentOrderRequest};
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::desk_only;
use crate::portal::page::form::Posted;
use crate::portal::page::form::posted_form;
use crate::portal::page::not_your_desk;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::refusal;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;
use crate::portal::words::Words;

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
        .route("/employer/arrears/pay", post(employer_pay))
        .route("/employer/leavers", post(report_leaver))
        .route("/employer/maternity", post(claim_maternity))
        .route("/employer/injury", get(injury::injury).post(injury::apply))
        .route(
            "/employer/vacancies",
            get(vacancies::vacancies).post(vacancies::post),
        )
        .route("/employer/vacancies/{vacancy}", get(vacancies::applicants))
        .route(
            "/employer/vacancies/{vacancy}/close",
            post(vacancies::close),
        )
        .route(
            "/employer/applications/outcome",
            post(vacancies::record_outcome),
        )
}

/// The employer's desk on the home page.
pub(crate) async fn home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    employer_desk(s, lang, browser, String::new(), "").await
}

#[derive(askama::Template)]
#[template(path = "employer/desk.html")]
struct Desk<'a> {
    words: &'static dyn Words,
    name: &'a str,
    credit_code: &'a str,
    id: &'a str,
    outcome: String,
    employees: String,
    /// The employees insured through the unit now, whom a leaver's report may name.
    insured: Vec<shebao_app::insurance::EmployeeView>,
    today: String,
    /// The maternity claim's field ids' prefix.
    prefix: &'a str,
    arrears: String,
    csrf: &'a str,
    csv: &'a str,
}

/// The employer's desk: `outcome` (what was just done, already HTML) above its employees,
/// arrears (each payable) and the declaration forms, `csv` kept in the box.
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
        let clock = LocalClock::read(app, &actor);
        let today = clock.today(app);
        Ok((unit, arrears, employees, clock, today))
    })
    .await;
    let (unit, arrears, employees, clock, today) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return refusal(lang, &error).1,
    };
    let words = lang.words();
    html(&Desk {
        words,
        name: &unit.name,
        credit_code: &unit.credit_code,
        id: &unit.id,
        outcome,
        employees: html(&EmployeesTable {
            words,
            rows: &employees,
        }),
        insured: employees
            .iter()
            .filter(|e| e.end_month.is_none())
            .cloned()
            .collect(),
        today: today.to_string(),
        prefix: "maternity-",
        arrears: html(&ArrearsTable {
            words,
            rows: &arrears,
            csrf: &browser.csrf,
            clock,
        }),
        csrf: &browser.csrf,
        csv,
    })
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
table_template!(
    ArrearsTable,
    "employer/arrears.html",
    ArrearsView,
    csrf: &'a str,
    clock: LocalClock,
);

#[derive(askama::Template)]
#[template(path = "employer/declared.html")]
struct Declared<'a> {
    words: &'static dyn Words,
    view: &'a DeclarationView,
}

/// What an import did, with the error file's link when rows were rejected.
fn declaration_outcome(lang: Lang, view: &DeclarationView) -> String {
    html(&Declared {
        words: lang.words(),
        view,
    })
}

#[derive(Deserialize)]
pub(crate) struct PaymentForm {
    csrf: String,
    key: String,
    month: String,
    /// The month's total as the page showed it, in fen.
    total_fen: i64,
    #[serde(default)]
    confirmed: String,
}

posted_form!(Some(Role::Employer) => PaymentForm, LeaverForm, MaternityForm);

#[derive(Deserialize)]
pub(crate) struct MaternityForm {
    csrf: String,
    key: String,
    person: String,
    #[serde(flatten)]
    fields: crate::portal::holder::maternity::ClaimFields,
}

/// Claims an employee's maternity allowance (issue 17): the employee chosen from those
/// insured through the unit, and the event.
async fn claim_maternity(Posted(visit, _, form): Posted<MaternityForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let (key, person) = (form.key, form.person);
    let claimed = match form.fields.claim() {
        Ok(request) => {
            browser
                .call(&s, move |app, actor| {
                    app.claim_maternity_allowance(actor, &key, &person, request)
                })
                .await
        }
        Err(error) => Err(error),
    };
    let (status, message) =
        crate::portal::page::done_or_refused(lang, &claimed, lang.words().maternity_claimed());
    let body = employer_desk(&s, lang, &browser, message, "").await;
    page(lang, status, Some(&browser), &body)
}

#[derive(Deserialize)]
pub(crate) struct LeaverForm {
    csrf: String,
    key: String,
    person: String,
    left_on: String,
    leaving: String,
}

/// Reports an employee's leaving (issue 17): the employee chosen from those insured through
/// the unit, the last day, and how the job ended.
async fn report_leaver(Posted(visit, _, form): Posted<LeaverForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let request = shebao_app::employment::unemployment::NewLeaverReport {
        person_id: form.person,
        left_on: form.left_on.trim().to_owned(),
        leaving: form.leaving,
    };
    let (key, employer) = (form.key, own_employer(&browser));
    let reported = browser
        .call(&s, move |app, actor| {
            app.report_leaver(actor, &key, &employer, request)
        })
        .await;
    let (status, message) =
        crate::portal::page::done_or_refused(lang, &reported, lang.words().leaver_reported());
    let body = employer_desk(&s, lang, &browser, message, "").await;
    page(lang, status, Some(&browser), &body)
}

/// Orders one owed month paid from the desk (issue 15, item 5), once its confirmation is
/// ticked (the box is `required`; the server checks it again), with the total the page
/// showed: the month posts when the bureau records the money arrived.
async fn employer_pay(Posted(visit, _, form): Posted<PaymentForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let words = lang.words();
    let (status, message) = if form.confirmed.is_empty() {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            notice("error", words.arrears_confirm_first()),
        )
    } else {
        let employer = own_employer(&browser);
        let request = PaymentOrderRequest {
            month: form.month.trim().to_owned(),
            total_fen: form.total_fen,
        };
        let key = form.key;
        let ordered = browser
            .call(&s, move |app, actor| {
                app.order_contribution_payment(actor, &key, &employer, request)
            })
            .await;
        match ordered {
            Ok(view) => {
                let total = shebao_app::money::yuan(view.total_fen);
                (
                    StatusCode::OK,
                    notice("ok", &words.arrears_ordered(&view.month, &total)),
                )
            }
            Err(error) => refusal(lang, &error),
        }
    };
    let body = employer_desk(&s, lang, &browser, message, "").await;
    page(lang, status, Some(&browser), &body)
}

#[derive(Deserialize)]
pub(crate) struct DeclarationForm {
    csrf: String,
    csv: String,
}

posted_form!(Some(Role::Employer) => DeclarationForm);

/// The browser's own employer ("" for a login bound to none, which the application refuses).
fn own_employer(browser: &Browser) -> String {
    browser
        .actor
        .scope
        .employer_id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Imports a declaration file for the browser's own employer.
async fn import(
    s: &Shared,
    browser: &Browser,
    bytes: Vec<u8>,
) -> Result<DeclarationView, shebao_app::AppError> {
    let employer = own_employer(browser);
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
