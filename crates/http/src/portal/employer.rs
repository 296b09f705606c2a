//! The employer's desk: its employees, arrears and declarations (pasted, checked, with the
//! errors as a CSV file).

use crate::portal::page::html;
use crate::portal::page::table::table_template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
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
        "<h1>{title} · {name}</h1><p>{code_label} {code}</p>{outcome}\
         <section class=\"card\" aria-labelledby=\"employees\"><h2 id=\"employees\">{employees_title}</h2>{employees}</section>\
         <section class=\"card\" aria-labelledby=\"arrears\"><h2 id=\"arrears\">{arrears_title}</h2>{arrears}</section>\
         <section class=\"card\" aria-labelledby=\"declare\"><h2 id=\"declare\">{declare_title}</h2><p>{explain}</p>\
         <form method=\"post\" action=\"/employer/declarations\" hx-post=\"/employer/declarations\" hx-select=\"main\" hx-target=\"main\" hx-swap=\"outerHTML\" hx-indicator=\"#import-progress\" hx-disabled-elt=\"find button\">{guard}\
         <label for=\"csv\">{csv_label}</label>\
         <textarea id=\"csv\" name=\"csv\" rows=\"12\" cols=\"60\" required spellcheck=\"false\" autocomplete=\"off\">{csv}</textarea>\
         <button type=\"submit\">{submit}</button>\
         <p class=\"htmx-indicator\" id=\"import-progress\" role=\"status\"><progress aria-label=\"{importing}\"></progress> {importing}</p></form>\
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
        api = tr(
            lang,
            "XLSX 或 CSV 文件可直接发送到接口",
            "XLSX or CSV files can be sent as they are to the API",
        ),
        id = esc(&unit.id),
    )
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

async fn employer_declare(Posted(visit, _, form): Posted<DeclarationForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let employer = browser
        .actor
        .scope
        .employer_id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let bytes = form.csv.clone().into_bytes();
    let outcome = browser
        .call(&s, move |app, actor| {
            app.import_declaration_file(actor, &employer, &bytes, &mut |_, _| {})
        })
        .await;
    // The pasted text stays in the box only when it has to be corrected and sent again.
    let (status, message, kept) = match outcome {
        Ok(view) => (StatusCode::OK, declaration_outcome(lang, &view), ""),
        Err(error) => {
            let (status, message) = refusal(lang, &error);
            (status, message, form.csv.as_str())
        }
    };
    let body = employer_desk(&s, lang, &browser, message, kept).await;
    page(lang, status, Some(&browser), &body)
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
        Ok(csv) => {
            let mut response = (StatusCode::OK, csv).into_response();
            let headers = response.headers_mut();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            headers.insert(
                CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"errors.csv\""),
            );
            // The file names (masked) ID numbers: keep it out of shared caches.
            headers.insert("cache-control", HeaderValue::from_static("no-store"));
            headers.insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        Err(error) => {
            let (status, message) = refusal(lang, &error);
            page(lang, status, Some(&browser), &message)
        }
    }
}
