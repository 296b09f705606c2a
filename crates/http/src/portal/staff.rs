//! Staff desks: the employer's declarations and arrears, the medical cashier's person query,
//! settlement and day reconciliation, the auditor's trail and chain check, and the bank
//! teller's cash withdrawal and PIN unlocks. Every page calls the same application functions
//! as the API; the application enforces scope, and the pages offer each role only its forms.

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::declarations::{DeclarationView, parse_yuan};
use shebao_app::insurance::ArrearsView;
use shebao_app::medical::{
    BillLineRequest, BillRequest, Identification, InsuredView, PresentedCard, ReconciliationView,
    SettlementView,
};
use shebao_app::money::CashRequest;
use shebao_app::views::{AuditRecordView, AuditVerification};
use shebao_domain::access::Role;
use shebao_store::AuditFilter;

use super::i18n::t;
use super::{
    Browser, Lang, blocking, csrf_ok, csrf_refused, error_status, esc, form_guard, notice, page,
    refused, tr, yuan,
};
use crate::Shared;

/// Bill line rows the cashier's form offers; longer bills go through the API.
const BILL_ROWS: usize = 5;
/// Audit records one trail page lists.
const TRAIL_LIMIT: i64 = 200;
/// A pasted declaration is URL-encoded (Chinese text triples in size), so the portal's
/// general 64 KiB limit would cut off ordinary files; bigger files go to the API.
const DECLARATION_FORM_LIMIT_BYTES: usize = 4 * 1024 * 1024;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/employer/declarations",
            post(employer_declare).layer(DefaultBodyLimit::max(DECLARATION_FORM_LIMIT_BYTES)),
        )
        .route(
            "/employer/declarations/{declaration}/errors.csv",
            get(employer_errors),
        )
        .route("/cashier/query", post(cashier_query))
        .route("/cashier/pre-settle", post(cashier_pre_settle))
        .route("/cashier/settle", post(cashier_settle))
        .route("/cashier/undo", post(cashier_undo))
        .route("/cashier/reconciliation", get(cashier_reconciliation))
        .route("/auditor/trail", get(auditor_trail))
        .route("/auditor/verify", post(auditor_verify))
        .route(
            "/desk/cards/{card}/withdrawal",
            get(teller_withdrawal_page).post(teller_withdraw),
        )
        .route(
            "/desk/cards/{card}/unlock",
            get(teller_unlock_page).post(teller_unlock),
        )
}

/// The desk of a staff role on the home page.
pub(super) async fn home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    match browser.actor.role {
        Role::Employer => employer_desk(s, lang, browser, String::new(), "").await,
        Role::Cashier => cashier_desk(lang, browser, &CashierView::default()),
        Role::Auditor => {
            auditor_desk(s, lang, browser, &TrailQuery::default(), String::new())
                .await
                .1
        }
        _ => notice("error", not_your_desk(lang)),
    }
}

fn not_your_desk(lang: Lang) -> &'static str {
    tr(
        lang,
        "此页面不属于您的岗位。",
        "This page is not for your role.",
    )
}

/// The 403 page a role gets for another role's desk.
fn forbidden(lang: Lang, browser: &Browser) -> Response {
    page(
        lang,
        StatusCode::FORBIDDEN,
        Some(browser),
        &notice("error", not_your_desk(lang)),
    )
}

/// The two checks every desk form post passes first, its CSRF token and then the desk's
/// role; the refusal page when one fails.
fn desk_post_refusal(lang: Lang, browser: &Browser, csrf: &str, role: Role) -> Option<Response> {
    if !csrf_ok(browser, csrf) {
        return Some(csrf_refused(lang, browser));
    }
    (browser.actor.role != role).then(|| forbidden(lang, browser))
}

/// An application refusal as the page shows it, with the status it maps to.
fn refusal(lang: Lang, error: &AppError) -> (StatusCode, String) {
    (error_status(error), refused(lang, error))
}

/// A form's own refusal (before the application is asked): 422 with the reason.
fn unprocessable(text: &str) -> (StatusCode, String) {
    (StatusCode::UNPROCESSABLE_ENTITY, notice("error", text))
}

/// A table with a caption, column headers and already-escaped cells.
fn table(caption: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut html = format!("<table><caption>{}</caption><thead><tr>", esc(caption));
    for header in headers {
        html.push_str(&format!("<th scope=\"col\">{}</th>", esc(header)));
    }
    html.push_str("</tr></thead><tbody>");
    for row in rows {
        html.push_str("<tr>");
        for cell in row {
            html.push_str(&format!("<td>{cell}</td>"));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

// ---------------------------------------------------------------------------------------
// Employer: arrears and declarations.

async fn employer_desk(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    outcome: String,
    csv: &str,
) -> String {
    let actor = browser.actor.clone();
    let Some(employer) = actor.employer_id.as_ref().map(ToString::to_string) else {
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
        employees = employees_table(lang, &employees),
        arrears_title = tr(lang, "欠缴月份", "Unpaid months"),
        arrears = arrears_table(lang, &arrears),
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

fn employees_table(lang: Lang, employees: &[shebao_app::insurance::EmployeeView]) -> String {
    if employees.is_empty() {
        return notice(
            "info",
            tr(lang, "尚无参保职工。", "No insured employees yet."),
        );
    }
    let rows: Vec<Vec<String>> = employees
        .iter()
        .map(|e| {
            vec![
                esc(&e.name),
                esc(&e.citizen_id),
                esc(&e.start_month),
                esc(e.end_month.as_deref().unwrap_or("-")),
            ]
        })
        .collect();
    table(
        tr(
            lang,
            "职工（身份证号已遮蔽）",
            "Employees (ID numbers masked)",
        ),
        &[
            tr(lang, "姓名", "Name"),
            tr(lang, "身份证号码", "ID number"),
            tr(lang, "参保起始月", "From"),
            tr(lang, "参保终止月", "Until"),
        ],
        &rows,
    )
}

fn arrears_table(lang: Lang, arrears: &[ArrearsView]) -> String {
    if arrears.is_empty() {
        return notice("info", tr(lang, "没有欠缴。", "Nothing is owed."));
    }
    let rows: Vec<Vec<String>> = arrears
        .iter()
        .map(|a| {
            vec![
                esc(&a.month),
                a.rows.to_string(),
                yuan(a.employer_fen),
                yuan(a.individual_fen),
            ]
        })
        .collect();
    table(
        tr(lang, "未缴费的申报", "Declared and not paid"),
        &[
            tr(lang, "月份", "Month"),
            tr(lang, "人数（行）", "Rows"),
            tr(lang, "单位缴费（元）", "Employer (yuan)"),
            tr(lang, "个人缴费（元）", "Individual (yuan)"),
        ],
        &rows,
    )
}

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
        "<dl class=\"card\"><dt>{total_label}</dt><dd>{total}</dd><dt>{accepted_label}</dt><dd>{accepted}</dd>\
         <dt>{unchanged_label}</dt><dd>{unchanged}</dd><dt>{rejected_label}</dt><dd>{rejected}</dd></dl>",
        total_label = tr(lang, "总行数", "Rows"),
        total = view.rows_total,
        accepted_label = tr(lang, "已接受", "Accepted"),
        accepted = view.rows_accepted,
        unchanged_label = tr(lang, "无变化", "Unchanged"),
        unchanged = view.rows_unchanged,
        rejected_label = tr(lang, "被拒绝", "Rejected"),
        rejected = view.rows_rejected,
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
struct DeclarationForm {
    csrf: String,
    csv: String,
}

async fn employer_declare(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(form): Form<DeclarationForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = desk_post_refusal(lang, &browser, &form.csrf, Role::Employer) {
        return refusal;
    }
    let actor = browser.actor.clone();
    let employer = actor
        .employer_id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let bytes = form.csv.clone().into_bytes();
    let outcome = blocking(&s, move |app| {
        app.import_declaration_file(&actor, &employer, &bytes, &mut |_, _| {})
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
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(declaration): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if browser.actor.role != Role::Employer {
        return forbidden(lang, &browser);
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

// ---------------------------------------------------------------------------------------
// Cashier: person query, pre-settlement, settlement, undo and the day's reconciliation.

/// One bill line as typed: the text is kept so the form can be shown again unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LineDraft {
    code: String,
    quantity: String,
    price: String,
}

/// How the patient was identified, as typed: the card's number and identification code, an
/// electronic-card token, or (the fallback) the ID number with a reason. The ID number is
/// never shown back in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct WhoDraft {
    card_number: String,
    identification_code: String,
    ecard_token: String,
    citizen_id: String,
    reason: String,
}

impl WhoDraft {
    fn read(fields: &[(String, String)]) -> WhoDraft {
        WhoDraft {
            card_number: field(fields, "card_number").trim().to_owned(),
            identification_code: field(fields, "identification_code").trim().to_owned(),
            ecard_token: field(fields, "ecard_token").trim().to_owned(),
            citizen_id: field(fields, "citizen_id").trim().to_owned(),
            reason: field(fields, "reason").trim().to_owned(),
        }
    }

    /// What is kept for the next form: everything but the ID number.
    fn shown_again(&self) -> WhoDraft {
        WhoDraft {
            citizen_id: String::new(),
            ..self.clone()
        }
    }
}

/// The bill form as typed, without the PIN (which is never shown back).
#[derive(Debug, Clone, PartialEq, Eq)]
struct BillDraft {
    who: WhoDraft,
    bill_number: String,
    visit: String,
    lines: Vec<LineDraft>,
    use_account: bool,
}

impl Default for BillDraft {
    fn default() -> Self {
        BillDraft {
            who: WhoDraft::default(),
            bill_number: String::new(),
            visit: "outpatient".into(),
            lines: vec![LineDraft::default(); BILL_ROWS],
            // The application's default: the personal account pays unless the holder says no.
            use_account: true,
        }
    }
}

/// The value of a form field, or "" when it was not sent.
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// Reads the bill form's fields (numbered line rows `code_N`, `quantity_N`, `price_N`).
fn bill_draft(fields: &[(String, String)]) -> BillDraft {
    BillDraft {
        who: WhoDraft::read(fields),
        bill_number: field(fields, "bill_number").trim().to_owned(),
        visit: field(fields, "visit").trim().to_owned(),
        lines: (0..BILL_ROWS)
            .map(|i| LineDraft {
                code: field(fields, &format!("code_{i}")).trim().to_owned(),
                quantity: field(fields, &format!("quantity_{i}")).trim().to_owned(),
                price: field(fields, &format!("price_{i}")).trim().to_owned(),
            })
            .collect(),
        // An unticked checkbox sends nothing at all.
        use_account: fields.iter().any(|(key, _)| key == "use_account"),
    }
}

/// The bill's lines: empty rows are skipped; a row filled in part is refused by its number.
fn bill_lines(lang: Lang, draft: &BillDraft) -> Result<Vec<BillLineRequest>, String> {
    let mut lines = Vec::new();
    for (i, line) in draft.lines.iter().enumerate() {
        if line.code.is_empty() && line.quantity.is_empty() && line.price.is_empty() {
            continue;
        }
        let row = i + 1;
        let quantity = line.quantity.parse::<u32>().ok().filter(|q| *q > 0);
        let price = parse_yuan(&line.price);
        match (line.code.is_empty(), quantity, price) {
            (false, Some(quantity), Some(unit_price_fen)) => lines.push(BillLineRequest {
                code: line.code.clone(),
                quantity,
                unit_price_fen,
            }),
            _ => {
                return Err(format!(
                    "{}{row}{}",
                    tr(lang, "第", "Line "),
                    tr(
                        lang,
                        "行：请填写项目编码、数量（正整数）和单价（元，最多两位小数）。",
                        ": give the item code, a whole quantity above 0 and a unit price in yuan (at most two decimals).",
                    )
                ));
            }
        }
    }
    if lines.is_empty() {
        return Err(tr(
            lang,
            "请至少填写一行费用。",
            "Fill in at least one bill line.",
        )
        .to_owned());
    }
    Ok(lines)
}

/// The identification the form names: exactly one of the card (number and identification
/// code), an electronic-card token, or the ID number with a reason.
fn identification(lang: Lang, who: &WhoDraft) -> Result<Identification, String> {
    let card = !who.card_number.is_empty() || !who.identification_code.is_empty();
    let token = !who.ecard_token.is_empty();
    let citizen = !who.citizen_id.is_empty() || !who.reason.is_empty();
    match (card, token, citizen) {
        (true, false, false) => Ok(Identification::Card(PresentedCard {
            card_number: who.card_number.clone(),
            identification_code: who.identification_code.clone(),
        })),
        (false, true, false) => Ok(Identification::ECardToken(who.ecard_token.clone())),
        (false, false, true) => Ok(Identification::CitizenId {
            citizen_id: who.citizen_id.clone(),
            reason: who.reason.clone(),
        }),
        _ => Err(tr(
            lang,
            "请只用一种方式识别参保人：读卡（卡号和卡识别码）、电子社保卡二维码，或身份证号码加原因。",
            "Identify the patient one way only: the card (card number and identification code), the electronic card's code, or the ID number with a reason.",
        )
        .to_owned()),
    }
}

fn bill_request(
    lang: Lang,
    draft: &BillDraft,
    social_pin: Option<String>,
) -> Result<BillRequest, String> {
    Ok(BillRequest {
        person: identification(lang, &draft.who)?,
        social_pin: social_pin.filter(|pin| !pin.is_empty()),
        bill_number: draft.bill_number.clone(),
        visit: draft.visit.clone(),
        lines: bill_lines(lang, draft)?,
        use_account: draft.use_account,
        // The desk's form has no diagnosis field; institutions' systems send it by the API.
        diagnosis: None,
    })
}

/// A visit type in plain words; an unknown code is shown as it is.
fn visit_name(lang: Lang, code: &str) -> &str {
    match code {
        "outpatient" => tr(lang, "门诊", "Outpatient"),
        "inpatient" => tr(lang, "住院", "Inpatient"),
        "pharmacy" => tr(lang, "药店购药", "Pharmacy"),
        other => other,
    }
}

/// A settlement's state in plain words; an unknown code is shown as it is.
fn settlement_status(lang: Lang, code: &str) -> &str {
    match code {
        "preview" => tr(lang, "预结算（未扣款）", "pre-settlement (nothing moved)"),
        "settled" => tr(lang, "已结算", "settled"),
        "undone" => tr(lang, "已撤销", "undone"),
        other => other,
    }
}

/// The split of a bill, every amount in yuan.
fn split_table(lang: Lang, view: &SettlementView) -> String {
    let status = settlement_status(lang, &view.status);
    let amounts = [
        (tr(lang, "费用总额", "Total"), view.total_fen),
        (tr(lang, "自费", "Self-paid"), view.self_paid_fen),
        (
            tr(lang, "超限价", "Over the limit price"),
            view.over_limit_fen,
        ),
        (
            tr(lang, "乙类先行自付", "Class B first share"),
            view.class_b_first_share_fen,
        ),
        (tr(lang, "政策范围内", "In scope"), view.in_scope_fen),
        (tr(lang, "起付线", "Deductible"), view.deductible_fen),
        (tr(lang, "统筹基金支付", "Pooled fund"), view.fund_fen),
        (
            tr(lang, "大额补充支付", "Supplementary fund"),
            view.supplementary_fen,
        ),
        (
            tr(lang, "个人账户支付", "Personal account"),
            view.account_fen,
        ),
        (tr(lang, "现金支付", "Cash"), view.cash_fen),
    ];
    let rows: Vec<Vec<String>> = amounts
        .iter()
        .map(|(label, fen)| vec![esc(label), yuan(*fen)])
        .collect();
    table(
        &format!(
            "{} {} · {}",
            tr(lang, "单据", "Bill"),
            view.bill_number,
            status
        ),
        &[tr(lang, "项目", "Part"), tr(lang, "金额（元）", "Yuan")],
        &rows,
    )
}

fn insured_details(lang: Lang, view: &InsuredView) -> String {
    let status = match view.status.as_str() {
        "retired" => tr(lang, "退休", "retired"),
        "working" => tr(lang, "在职", "working"),
        other => other,
    };
    // The year's figures carry the year in their label: the caps start again each January.
    let year = view.year;
    let used = |zh: &str, en: &str| match lang {
        Lang::Zh => format!("{year}年{zh}（元）"),
        Lang::En => format!("{year} {en} (yuan)"),
    };
    let (deductible_label, fund_label, supplementary_label) = (
        used("已付起付线", "deductible used"),
        used("统筹基金已支付", "pooled fund used"),
        used("大额补充已支付", "supplementary fund used"),
    );
    format!(
        "<section class=\"card\" aria-labelledby=\"insured\"><h2 id=\"insured\">{title}</h2><dl>\
         <dt>{id_label}</dt><dd>{id}</dd><dt>{card_label}</dt><dd>{card}</dd>\
         <dt>{region_label}</dt><dd>{region}</dd><dt>{status_label}</dt><dd>{status}</dd>\
         <dt>{deductible_label}</dt><dd>{deductible}</dd><dt>{fund_label}</dt><dd>{fund}</dd>\
         <dt>{supplementary_label}</dt><dd>{supplementary}</dd><dt>{balance_label}</dt><dd>{balance}</dd></dl></section>",
        title = tr(lang, "参保信息", "Insured person"),
        id_label = tr(lang, "身份证号码", "ID number"),
        id = esc(&view.citizen_id),
        card_label = tr(lang, "卡编号", "Card id"),
        card = esc(&view.card_id),
        region_label = tr(lang, "参保地", "Insured in"),
        region = esc(&view.insured_region),
        status_label = tr(lang, "人员类别", "Status"),
        status = esc(status),
        deductible = yuan(view.deductible_used_fen),
        fund = yuan(view.fund_used_fen),
        supplementary = yuan(view.supplementary_used_fen),
        balance_label = tr(
            lang,
            "个人账户余额（元）",
            "Personal account balance (yuan)"
        ),
        // Without the card at the counter the balance is not the cashier's to see.
        balance = view.personal_account_balance_fen.map_or_else(
            || esc(tr(lang, "未读卡，不显示", "not shown without the card")),
            yuan
        ),
    )
}

/// What the cashier's page shows besides its forms.
#[derive(Default)]
struct CashierView {
    message: String,
    insured: Option<InsuredView>,
    draft: BillDraft,
    split: Option<SettlementView>,
}

/// The ways to identify the patient, for the query and the bill forms (`prefix` keeps their
/// ids apart): the card as read, the electronic card's code, or the ID number with a reason.
fn who_fields(lang: Lang, prefix: &str, who: &WhoDraft) -> String {
    format!(
        "<fieldset><legend>{legend}</legend>\
         <label for=\"{prefix}_card_number\">{card_number}</label><input id=\"{prefix}_card_number\" name=\"card_number\" value=\"{card_number_value}\" maxlength=\"9\" autocomplete=\"off\">\
         <label for=\"{prefix}_identification_code\">{code}</label><input id=\"{prefix}_identification_code\" name=\"identification_code\" value=\"{code_value}\" maxlength=\"32\" autocomplete=\"off\">\
         <label for=\"{prefix}_ecard_token\">{token}</label><input id=\"{prefix}_ecard_token\" name=\"ecard_token\" value=\"{token_value}\" autocomplete=\"off\">\
         <label for=\"{prefix}_citizen_id\">{citizen}</label><input id=\"{prefix}_citizen_id\" name=\"citizen_id\" maxlength=\"18\" autocomplete=\"off\">\
         <label for=\"{prefix}_reason\">{reason}</label><input id=\"{prefix}_reason\" name=\"reason\" value=\"{reason_value}\" maxlength=\"200\" autocomplete=\"off\">\
         </fieldset>",
        legend = tr(
            lang,
            "识别参保人：读卡，或电子社保卡；无卡时填身份证号码和原因（仅查询、预结算，记入审计）",
            "Identify the patient: read the card, or the electronic card; without either, the ID number and why (query and pre-settlement only, audited)"
        ),
        card_number = tr(lang, "社会保障卡卡号", "Card number"),
        card_number_value = esc(&who.card_number),
        code = tr(lang, "卡识别码", "Card identification code"),
        code_value = esc(&who.identification_code),
        token = tr(lang, "电子社保卡二维码", "Electronic card code"),
        token_value = esc(&who.ecard_token),
        citizen = tr(lang, "身份证号码（无卡时）", "ID number (without the card)"),
        reason = tr(lang, "无卡原因", "Why without the card"),
        reason_value = esc(&who.reason),
    )
}

fn bill_form(lang: Lang, browser: &Browser, draft: &BillDraft) -> String {
    let options: String = ["outpatient", "inpatient", "pharmacy"]
        .iter()
        .map(|value| {
            format!(
                "<option value=\"{value}\"{}>{}</option>",
                if draft.visit == *value {
                    " selected"
                } else {
                    ""
                },
                esc(visit_name(lang, value))
            )
        })
        .collect();
    let mut rows = String::new();
    for (i, line) in draft.lines.iter().enumerate() {
        let row = i + 1;
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{row}</th>\
             <td><label for=\"code_{i}\">{code} {row}</label><input id=\"code_{i}\" name=\"code_{i}\" value=\"{code_value}\" autocomplete=\"off\"></td>\
             <td><label for=\"quantity_{i}\">{quantity} {row}</label><input id=\"quantity_{i}\" name=\"quantity_{i}\" value=\"{quantity_value}\" inputmode=\"numeric\" autocomplete=\"off\"></td>\
             <td><label for=\"price_{i}\">{price} {row}</label><input id=\"price_{i}\" name=\"price_{i}\" value=\"{price_value}\" inputmode=\"decimal\" autocomplete=\"off\"></td></tr>",
            code = tr(lang, "项目编码", "Item code"),
            code_value = esc(&line.code),
            quantity = tr(lang, "数量", "Quantity"),
            quantity_value = esc(&line.quantity),
            price = tr(lang, "单价（元）", "Unit price (yuan)"),
            price_value = esc(&line.price),
        ));
    }
    // One form, two buttons: the pre-settlement shows the split with nothing moved, and the
    // cashier settles the very same bill after the patient agrees.
    format!(
        "<section class=\"card\" aria-labelledby=\"bill\"><h2 id=\"bill\">{title}</h2>\
         <form method=\"post\" action=\"/cashier/pre-settle\" autocomplete=\"off\">{guard}\
         {who}\
         <label for=\"bill_number\">{number_label}</label><input id=\"bill_number\" name=\"bill_number\" value=\"{number}\" required maxlength=\"64\" autocomplete=\"off\">\
         <label for=\"visit\">{visit_label}</label><select id=\"visit\" name=\"visit\">{options}</select>\
         <table><caption>{lines_caption}</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">{code}</th><th scope=\"col\">{quantity}</th><th scope=\"col\">{price}</th></tr></thead><tbody>{rows}</tbody></table>\
         <label for=\"use_account\"><input type=\"checkbox\" id=\"use_account\" name=\"use_account\" value=\"yes\"{checked}> {account_label}</label>\
         <label for=\"social_pin\">{pin_label}</label><input id=\"social_pin\" name=\"social_pin\" type=\"password\" inputmode=\"numeric\" maxlength=\"6\" autocomplete=\"off\">\
         <button type=\"submit\" class=\"secondary\">{pre}</button> <button type=\"submit\" formaction=\"/cashier/settle\">{settle}</button></form></section>",
        title = tr(lang, "费用结算", "Settle a bill"),
        guard = form_guard(browser),
        who = who_fields(lang, "bill", &draft.who),
        number_label = tr(lang, "单据号", "Bill number"),
        number = esc(&draft.bill_number),
        visit_label = tr(lang, "就诊类型", "Visit"),
        lines_caption = tr(
            lang,
            "费用明细（空行不计）",
            "Bill lines (empty rows are ignored)"
        ),
        code = tr(lang, "项目编码", "Item code"),
        quantity = tr(lang, "数量", "Quantity"),
        price = tr(lang, "单价（元）", "Unit price (yuan)"),
        checked = if draft.use_account { " checked" } else { "" },
        account_label = tr(lang, "使用个人账户支付", "Let the personal account pay"),
        pin_label = tr(
            lang,
            "社保密码（参保地要求时填写）",
            "Social security PIN (where the region asks for it)"
        ),
        pre = tr(lang, "预结算", "Pre-settle"),
        settle = tr(lang, "结算", "Settle"),
    )
}

/// The cashier's desk as a whole page.
fn cashier_page(lang: Lang, status: StatusCode, browser: &Browser, view: &CashierView) -> Response {
    page(
        lang,
        status,
        Some(browser),
        &cashier_desk(lang, browser, view),
    )
}

fn cashier_desk(lang: Lang, browser: &Browser, view: &CashierView) -> String {
    let mut body = format!(
        "<h1>{title}</h1>{message}\
         <section class=\"card\" aria-labelledby=\"query\"><h2 id=\"query\">{query_title}</h2>\
         <form method=\"post\" action=\"/cashier/query\" autocomplete=\"off\">{guard}\
         {who}\
         <button type=\"submit\">{find}</button></form></section>",
        title = tr(lang, "医保结算窗口", "Medical settlement desk"),
        message = view.message,
        query_title = tr(lang, "参保人查询", "Find the insured person"),
        guard = form_guard(browser),
        who = who_fields(lang, "query", &WhoDraft::default()),
        find = tr(lang, "查询", "Find"),
    );
    if let Some(insured) = &view.insured {
        body.push_str(&insured_details(lang, insured));
    }
    if let Some(split) = &view.split {
        body.push_str(&format!(
            "<section class=\"card\">{}</section>",
            split_table(lang, split)
        ));
    }
    body.push_str(&bill_form(lang, browser, &view.draft));
    body.push_str(&format!(
        "<section class=\"card\" aria-labelledby=\"undo\"><h2 id=\"undo\">{title}</h2>\
         <form method=\"post\" action=\"/cashier/undo\" autocomplete=\"off\">{guard}\
         <label for=\"undo_bill\">{label}</label><input id=\"undo_bill\" name=\"bill_number\" required maxlength=\"64\" autocomplete=\"off\">\
         <button type=\"submit\" class=\"secondary\">{title}</button></form></section>\
         <p><a href=\"/cashier/reconciliation\">{reconcile}</a></p>",
        title = tr(lang, "撤销结算", "Undo a settlement"),
        guard = form_guard(browser),
        label = tr(lang, "单据号", "Bill number"),
        reconcile = tr(lang, "当日对账", "Today's reconciliation"),
    ));
    body
}

/// The person query is a POST so that ID numbers stay out of URLs and access logs.
async fn cashier_query(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = desk_post_refusal(lang, &browser, field(&fields, "csrf"), Role::Cashier)
    {
        return refusal;
    }
    let drafted = WhoDraft::read(&fields);
    let mut view = CashierView::default();
    let who = match identification(lang, &drafted) {
        Ok(who) => who,
        Err(reason) => {
            let (status, message) = unprocessable(&reason);
            view.message = message;
            return cashier_page(lang, status, &browser, &view);
        }
    };
    let actor = browser.actor.clone();
    let outcome = blocking(&s, move |app| app.query_insured(&actor, who)).await;
    let status = match outcome {
        Ok(insured) => {
            // The bill form starts with the identification just used (the ID number is
            // typed again: it is never shown back).
            view.draft.who = drafted.shown_again();
            view.insured = Some(insured);
            StatusCode::OK
        }
        Err(error) => {
            let (status, message) = refusal(lang, &error);
            view.message = message;
            status
        }
    };
    cashier_page(lang, status, &browser, &view)
}

/// Pre-settlement and settlement share the form; only the application call differs.
async fn cashier_bill(
    s: Shared,
    headers: HeaderMap,
    browser: Browser,
    fields: Vec<(String, String)>,
    settle: bool,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = desk_post_refusal(lang, &browser, field(&fields, "csrf"), Role::Cashier)
    {
        return refusal;
    }
    let draft = bill_draft(&fields);
    let pin = Some(field(&fields, "social_pin").to_owned());
    let mut view = CashierView {
        draft: BillDraft {
            who: draft.who.shown_again(),
            ..draft.clone()
        },
        ..CashierView::default()
    };
    let request = match bill_request(lang, &draft, pin) {
        Ok(request) => request,
        Err(reason) => {
            let (status, message) = unprocessable(&reason);
            view.message = message;
            return cashier_page(lang, status, &browser, &view);
        }
    };
    let (actor, key) = (browser.actor.clone(), field(&fields, "key").to_owned());
    let outcome = blocking(&s, move |app| {
        if settle {
            app.settle(&actor, &key, request)
        } else {
            app.pre_settle(&actor, request)
        }
    })
    .await;
    let status = match outcome {
        Ok(split) => {
            view.message = notice(
                "ok",
                if settle {
                    tr(lang, "已结算。", "Settled.")
                } else {
                    tr(
                        lang,
                        "预结算结果如下，尚未扣款。",
                        "The pre-settlement below moved no money.",
                    )
                },
            );
            // A settled bill is done: the next bill starts from an empty form.
            if settle {
                view.draft = BillDraft::default();
            }
            view.split = Some(split);
            StatusCode::OK
        }
        Err(error) => {
            let (status, message) = refusal(lang, &error);
            view.message = message;
            status
        }
    };
    cashier_page(lang, status, &browser, &view)
}

async fn cashier_pre_settle(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    cashier_bill(s, headers, browser, fields, false).await
}

async fn cashier_settle(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    cashier_bill(s, headers, browser, fields, true).await
}

#[derive(Deserialize)]
struct UndoForm {
    csrf: String,
    key: String,
    bill_number: String,
}

async fn cashier_undo(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(form): Form<UndoForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = desk_post_refusal(lang, &browser, &form.csrf, Role::Cashier) {
        return refusal;
    }
    let actor = browser.actor.clone();
    let outcome = blocking(&s, move |app| {
        app.undo_settlement(&actor, &form.key, &form.bill_number)
    })
    .await;
    let mut view = CashierView::default();
    let status = match outcome {
        Ok(undone) => {
            view.message = notice("ok", tr(lang, "已撤销结算。", "The settlement is undone."));
            view.split = Some(undone);
            StatusCode::OK
        }
        Err(error) => {
            let (status, message) = refusal(lang, &error);
            view.message = message;
            status
        }
    };
    cashier_page(lang, status, &browser, &view)
}

#[derive(Deserialize)]
struct DayQuery {
    date: Option<String>,
}

fn reconciliation_body(lang: Lang, view: &ReconciliationView) -> String {
    let summary = format!(
        "<dl class=\"card\"><dt>{settled_label}</dt><dd>{settled}</dd><dt>{undone_label}</dt><dd>{undone}</dd>\
         <dt>{total_label}</dt><dd>{total}</dd><dt>{fund_label}</dt><dd>{fund}</dd>\
         <dt>{account_label}</dt><dd>{account}</dd><dt>{cash_label}</dt><dd>{cash}</dd></dl>",
        settled_label = tr(lang, "已结算笔数", "Settled bills"),
        settled = view.settled,
        undone_label = tr(lang, "已撤销笔数", "Undone bills"),
        undone = view.undone,
        total_label = tr(lang, "费用总额（元）", "Total (yuan)"),
        total = yuan(view.total_fen),
        fund_label = tr(lang, "统筹基金（元）", "Pooled fund (yuan)"),
        fund = yuan(view.fund_fen),
        account_label = tr(lang, "个人账户（元）", "Personal accounts (yuan)"),
        account = yuan(view.account_fen),
        cash_label = tr(lang, "现金（元）", "Cash (yuan)"),
        cash = yuan(view.cash_fen),
    );
    if view.settlements.is_empty() {
        return summary
            + &notice(
                "info",
                tr(lang, "当日没有结算。", "No settlements that day."),
            );
    }
    let rows: Vec<Vec<String>> = view
        .settlements
        .iter()
        .map(|s| {
            vec![
                esc(&s.bill_number),
                esc(visit_name(lang, &s.visit)),
                esc(settlement_status(lang, &s.status)),
                yuan(s.total_fen),
                yuan(s.fund_fen),
                yuan(s.account_fen),
                yuan(s.cash_fen),
                esc(s.settled_at.as_deref().unwrap_or("-")),
            ]
        })
        .collect();
    summary
        + &table(
            tr(lang, "当日结算明细", "The day's settlements"),
            &[
                tr(lang, "单据号", "Bill"),
                tr(lang, "就诊类型", "Visit"),
                tr(lang, "状态", "Status"),
                tr(lang, "总额（元）", "Total (yuan)"),
                tr(lang, "统筹（元）", "Fund (yuan)"),
                tr(lang, "个人账户（元）", "Account (yuan)"),
                tr(lang, "现金（元）", "Cash (yuan)"),
                tr(lang, "结算时间", "Settled at"),
            ],
            &rows,
        )
}

async fn cashier_reconciliation(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Query(query): Query<DayQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if browser.actor.role != Role::Cashier {
        return forbidden(lang, &browser);
    }
    let actor = browser.actor.clone();
    let institution = actor.institution_id.clone().unwrap_or_default();
    // By default today in the institution's region, as the application dates settlements.
    let date = match query.date.map(|d| d.trim().to_owned()) {
        Some(d) if !d.is_empty() => d,
        _ => {
            let known = institution.clone();
            blocking(&s, move |app| app.institution_today(&known))
                .await
                .map_or_else(|_| String::new(), |today| today.to_string())
        }
    };
    let day = date.clone();
    let outcome = blocking(&s, move |app| {
        app.reconciliation(&actor, &institution, &day)
    })
    .await;
    let (status, found) = match outcome {
        Ok(view) => (StatusCode::OK, reconciliation_body(lang, &view)),
        Err(error) => refusal(lang, &error),
    };
    let body = format!(
        "<h1>{title}</h1><form method=\"get\" action=\"/cashier/reconciliation\" class=\"card\">\
         <label for=\"date\">{date_label}</label><input id=\"date\" name=\"date\" type=\"date\" value=\"{date}\" required>\
         <button type=\"submit\">{show}</button></form>{found}<p><a href=\"/home\">{back}</a></p>",
        title = tr(lang, "当日对账", "Day reconciliation"),
        date_label = tr(lang, "日期（UTC）", "Date (UTC)"),
        date = esc(&date),
        show = tr(lang, "查看", "Show"),
        back = tr(lang, "返回结算窗口", "Back to the desk"),
    );
    page(lang, status, Some(&browser), &body)
}

// ---------------------------------------------------------------------------------------
// Auditor: the trail with filters, and verification of every chain.

#[derive(Debug, Default, Deserialize)]
struct TrailQuery {
    actor: Option<String>,
    action: Option<String>,
    subject: Option<String>,
}

/// A filter field: an empty box means no filter.
fn filter_value(value: Option<&String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn audit_filter(query: &TrailQuery) -> AuditFilter {
    AuditFilter {
        actor: filter_value(query.actor.as_ref()),
        action: filter_value(query.action.as_ref()),
        subject: filter_value(query.subject.as_ref()),
        limit: TRAIL_LIMIT,
    }
}

fn trail_table(lang: Lang, records: &[AuditRecordView]) -> String {
    if records.is_empty() {
        return notice(
            "info",
            tr(lang, "没有符合条件的记录。", "No records match."),
        );
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            vec![
                esc(&r.at),
                esc(&r.actor),
                esc(&r.action),
                esc(&r.subject),
                esc(&r.outcome),
                format!("<code>{}</code>", esc(&r.detail)),
            ]
        })
        .collect();
    table(
        &format!(
            "{} ({} {})",
            tr(lang, "审计记录，最新在前", "Audit records, newest first"),
            records.len(),
            tr(lang, "条", "shown"),
        ),
        &[
            tr(lang, "时间", "Time"),
            tr(lang, "操作人", "Actor"),
            tr(lang, "操作", "Action"),
            tr(lang, "对象", "Subject"),
            tr(lang, "结果", "Outcome"),
            tr(lang, "详情", "Detail"),
        ],
        &rows,
    )
}

fn verification_result(lang: Lang, verification: &AuditVerification) -> String {
    let mut html = if verification.intact {
        notice(
            "ok",
            &format!(
                "{}{}",
                tr(
                    lang,
                    "所有审计链完整。记录数：",
                    "Every chain is intact. Records: "
                ),
                verification.records
            ),
        )
    } else {
        notice(
            "error",
            &format!(
                "{}{}",
                tr(
                    lang,
                    "审计链有断裂！记录数：",
                    "A chain is broken! Records: "
                ),
                verification.records
            ),
        )
    };
    if !verification.breaks.is_empty() {
        html.push_str("<ul class=\"breaks\">");
        for broken in &verification.breaks {
            html.push_str(&format!("<li><code>{}</code></li>", esc(broken)));
        }
        html.push_str("</ul>");
    }
    html
}

async fn auditor_desk(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    query: &TrailQuery,
    message: String,
) -> (StatusCode, String) {
    let (actor, filter) = (browser.actor.clone(), audit_filter(query));
    let (status, records) = match blocking(s, move |app| app.audit_records(&actor, filter)).await {
        Ok(records) => (StatusCode::OK, trail_table(lang, &records)),
        Err(error) => refusal(lang, &error),
    };
    let shown = |value: &Option<String>| esc(value.as_deref().unwrap_or(""));
    let body = format!(
        "<h1>{title}</h1>{message}\
         <form method=\"get\" action=\"/auditor/trail\" class=\"card\"><h2>{filter_title}</h2>\
         <label for=\"f_actor\">{actor_label}</label><input id=\"f_actor\" name=\"actor\" value=\"{actor}\" placeholder=\"bank_teller:alice\">\
         <label for=\"f_action\">{action_label}</label><input id=\"f_action\" name=\"action\" value=\"{action}\" placeholder=\"person.unmask\">\
         <label for=\"f_subject\">{subject_label}</label><input id=\"f_subject\" name=\"subject\" value=\"{subject}\" placeholder=\"card:…\">\
         <button type=\"submit\">{show}</button></form>\
         <p><a href=\"/auditor/trail?action=person.unmask\">{unmasked}</a> · <a href=\"/auditor/trail\">{all}</a></p>\
         <form method=\"post\" action=\"/auditor/verify\" class=\"card\">{guard}<h2>{verify_title}</h2><p>{verify_explain}</p>\
         <button type=\"submit\">{verify}</button></form>{records}",
        title = tr(lang, "审计", "Audit"),
        filter_title = tr(lang, "筛选（留空表示不限）", "Filters (empty means any)"),
        actor_label = tr(lang, "操作人", "Actor"),
        actor = shown(&query.actor),
        action_label = tr(lang, "操作", "Action"),
        action = shown(&query.action),
        subject_label = tr(lang, "对象", "Subject"),
        subject = shown(&query.subject),
        show = tr(lang, "查看", "Show"),
        unmasked = tr(lang, "谁查看了完整身份信息", "Who unmasked what"),
        all = tr(lang, "全部记录", "All records"),
        guard = form_guard(browser),
        verify_title = tr(lang, "校验审计链", "Verify the audit chains"),
        verify_explain = tr(
            lang,
            "逐条校验每条审计链的哈希、链接和连续性。",
            "Checks every record's hash, every link and that nothing is missing or cut off.",
        ),
        verify = tr(lang, "开始校验", "Verify"),
    );
    (status, body)
}

async fn auditor_trail(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Query(query): Query<TrailQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if browser.actor.role != Role::Auditor {
        return forbidden(lang, &browser);
    }
    let (status, body) = auditor_desk(&s, lang, &browser, &query, String::new()).await;
    page(lang, status, Some(&browser), &body)
}

#[derive(Deserialize)]
struct VerifyForm {
    csrf: String,
}

async fn auditor_verify(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(form): Form<VerifyForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = desk_post_refusal(lang, &browser, &form.csrf, Role::Auditor) {
        return refusal;
    }
    let actor = browser.actor.clone();
    let (status, message) = match blocking(&s, move |app| app.verify_audit(&actor)).await {
        Ok(verification) => (StatusCode::OK, verification_result(lang, &verification)),
        Err(error) => refusal(lang, &error),
    };
    let (listed, body) = auditor_desk(&s, lang, &browser, &TrailQuery::default(), message).await;
    let status = if status == StatusCode::OK {
        listed
    } else {
        status
    };
    page(lang, status, Some(&browser), &body)
}

// ---------------------------------------------------------------------------------------
// Bank teller: cash withdrawal with the PIN, and PIN unlocks.

fn teller_heading(lang: Lang, card: &str, title: &str) -> String {
    format!(
        "<h1>{title}</h1><p>{card_label} {card}</p><p><a href=\"/desk/card?card_id={query}\">{back}</a></p>",
        title = esc(title),
        card_label = tr(lang, "卡编号", "Card id"),
        card = esc(card),
        query = esc(&url_component(card)),
        back = tr(lang, "返回卡片", "Back to the card"),
    )
}

/// Percent-encodes a value for a URL query (card ids are plain, but nothing is assumed).
fn url_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn withdrawal_body(lang: Lang, browser: &Browser, card: &str, message: &str) -> String {
    let title = tr(lang, "现金取款", "Cash withdrawal");
    format!(
        "{heading}{message}<form method=\"post\" action=\"/desk/cards/{id}/withdrawal\" class=\"card\" autocomplete=\"off\">{guard}\
         <label for=\"amount\">{amount}</label><input id=\"amount\" name=\"amount_yuan\" inputmode=\"decimal\" required autocomplete=\"off\">\
         <label for=\"pin\">{pin}</label><input id=\"pin\" name=\"pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\">\
         <button type=\"submit\">{title}</button></form>",
        heading = teller_heading(lang, card, title),
        id = esc(&url_component(card)),
        guard = form_guard(browser),
        amount = t(lang, "amount_yuan"),
        pin = t(lang, "pin_pad"),
        title = esc(title),
    )
}

async fn teller_withdrawal_page(
    headers: HeaderMap,
    browser: Browser,
    Path(card): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if browser.actor.role != Role::BankTeller {
        return forbidden(lang, &browser);
    }
    let body = withdrawal_body(lang, &browser, &card, "");
    page(lang, StatusCode::OK, Some(&browser), &body)
}

#[derive(Deserialize)]
struct WithdrawalForm {
    csrf: String,
    key: String,
    amount_yuan: String,
    pin: String,
}

async fn teller_withdraw(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(card): Path<String>,
    Form(form): Form<WithdrawalForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = desk_post_refusal(lang, &browser, &form.csrf, Role::BankTeller) {
        return refusal;
    }
    let Some(amount_fen) = parse_yuan(&form.amount_yuan) else {
        let (status, message) = unprocessable(tr(
            lang,
            "金额无效：请以元为单位填写，最多两位小数。",
            "Invalid amount: give yuan with at most two decimals.",
        ));
        let body = withdrawal_body(lang, &browser, &card, &message);
        return page(lang, status, Some(&browser), &body);
    };
    let (actor, id) = (browser.actor.clone(), card.clone());
    let request = CashRequest {
        amount_fen,
        pin: Some(form.pin),
        memo: None,
    };
    let outcome = blocking(&s, move |app| app.withdraw(&actor, &form.key, &id, request)).await;
    let (status, message) = match outcome {
        Ok(transfer) => (
            StatusCode::OK,
            notice(
                "ok",
                &format!(
                    "{}{}{}{}",
                    tr(lang, "已支取（元）：", "Paid out (yuan): "),
                    yuan(transfer.amount_fen),
                    tr(lang, "；余额（元）：", "; balance (yuan): "),
                    yuan(transfer.balance_after_fen),
                ),
            ),
        ),
        Err(error) => refusal(lang, &error),
    };
    let body = withdrawal_body(lang, &browser, &card, &message);
    page(lang, status, Some(&browser), &body)
}

fn unlock_body(lang: Lang, browser: &Browser, card: &str, message: &str) -> String {
    let title = tr(lang, "密码解锁", "Unlock a PIN");
    format!(
        "{heading}{message}<form method=\"post\" action=\"/desk/cards/{id}/unlock\" class=\"card\">{guard}<p>{explain}</p>\
         <button type=\"submit\" name=\"which\" value=\"financial\">{financial}</button> \
         <button type=\"submit\" name=\"which\" value=\"social\" class=\"secondary\">{social}</button></form>",
        heading = teller_heading(lang, card, title),
        id = esc(&url_component(card)),
        guard = form_guard(browser),
        explain = tr(
            lang,
            "请核验持卡人本人及身份证原件后再解锁。",
            "Unlock only with the holder present and their original ID card checked.",
        ),
        financial = tr(
            lang,
            "解锁金融（银行）密码",
            "Unlock the financial (bank) PIN"
        ),
        social = tr(lang, "解锁社保密码", "Unlock the social security PIN"),
    )
}

async fn teller_unlock_page(
    headers: HeaderMap,
    browser: Browser,
    Path(card): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if browser.actor.role != Role::BankTeller {
        return forbidden(lang, &browser);
    }
    let body = unlock_body(lang, &browser, &card, "");
    page(lang, StatusCode::OK, Some(&browser), &body)
}

#[derive(Deserialize)]
struct UnlockForm {
    csrf: String,
    key: String,
    which: String,
}

async fn teller_unlock(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(card): Path<String>,
    Form(form): Form<UnlockForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refusal) = desk_post_refusal(lang, &browser, &form.csrf, Role::BankTeller) {
        return refusal;
    }
    let financial = match form.which.as_str() {
        "financial" => true,
        "social" => false,
        _ => {
            let (status, message) = unprocessable(tr(
                lang,
                "请选择要解锁的密码。",
                "Choose which PIN to unlock.",
            ));
            let body = unlock_body(lang, &browser, &card, &message);
            return page(lang, status, Some(&browser), &body);
        }
    };
    let (actor, id) = (browser.actor.clone(), card.clone());
    let outcome = blocking(&s, move |app| {
        if financial {
            app.unlock_financial_pin(&actor, &form.key, &id).map(|_| ())
        } else {
            app.unlock_social_pin(&actor, &form.key, &id).map(|_| ())
        }
    })
    .await;
    let (status, message) = match outcome {
        Ok(()) if financial => (
            StatusCode::OK,
            notice(
                "ok",
                tr(lang, "金融密码已解锁。", "The financial PIN is unlocked."),
            ),
        ),
        Ok(()) => (
            StatusCode::OK,
            notice(
                "ok",
                tr(
                    lang,
                    "社保密码已解锁。",
                    "The social security PIN is unlocked.",
                ),
            ),
        ),
        Err(error) => refusal(lang, &error),
    };
    let body = unlock_body(lang, &browser, &card, &message);
    page(lang, status, Some(&browser), &body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn bill_rows_skip_empty_lines_and_read_yuan() {
        let fields = pairs(&[
            ("citizen_id", " 110101199003074477 "),
            ("reason", "chip unreadable"),
            ("bill_number", "B-1"),
            ("visit", "inpatient"),
            ("code_0", "X01"),
            ("quantity_0", "2"),
            ("price_0", "12.5"),
            ("code_1", ""),
            ("quantity_1", ""),
            ("price_1", ""),
            ("code_3", "D02"),
            ("quantity_3", "1"),
            ("price_3", "100"),
        ]);
        let draft = bill_draft(&fields);
        assert!(!draft.use_account, "an unticked box sends nothing");
        assert_eq!(draft.lines.len(), BILL_ROWS);
        let lines = bill_lines(Lang::En, &draft).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (
                lines[0].code.as_str(),
                lines[0].quantity,
                lines[0].unit_price_fen
            ),
            ("X01", 2, 1250)
        );
        assert_eq!(lines[1].unit_price_fen, 10_000);
        let request = bill_request(Lang::En, &draft, Some(String::new())).unwrap();
        assert_eq!(
            request.person,
            Identification::CitizenId {
                citizen_id: "110101199003074477".into(),
                reason: "chip unreadable".into(),
            }
        );
        assert!(request.social_pin.is_none(), "an empty PIN is no PIN");
        assert_eq!(
            draft.who.shown_again().citizen_id,
            "",
            "the ID number is never shown back"
        );
    }

    #[test]
    fn a_half_filled_bill_row_is_refused_by_its_number() {
        let mut draft = BillDraft::default();
        draft.lines[2] = LineDraft {
            code: "X01".into(),
            quantity: "0".into(),
            price: "1.00".into(),
        };
        let refused = bill_lines(Lang::En, &draft).unwrap_err();
        assert!(refused.starts_with("Line 3"), "{refused}");
        draft.lines[2].quantity = "1".into();
        draft.lines[2].price = "1.234".into();
        assert!(bill_lines(Lang::En, &draft).is_err());
        let empty = BillDraft::default();
        assert!(bill_lines(Lang::En, &empty).is_err());
    }

    // Issue 13, finding 5: the desk identifies the patient exactly one way.
    #[test]
    fn the_desk_identifies_by_the_card_a_token_or_the_id_number_one_way_only() {
        let card = WhoDraft {
            card_number: "X00000019".into(),
            identification_code: "330100D156000005C38275EEFC9B9648".into(),
            ..WhoDraft::default()
        };
        assert_eq!(
            identification(Lang::En, &card),
            Ok(Identification::Card(PresentedCard {
                card_number: "X00000019".into(),
                identification_code: "330100D156000005C38275EEFC9B9648".into(),
            }))
        );
        let token = WhoDraft {
            ecard_token: "EC1.crd_1.1.x".into(),
            ..WhoDraft::default()
        };
        assert_eq!(
            identification(Lang::En, &token),
            Ok(Identification::ECardToken("EC1.crd_1.1.x".into()))
        );
        let both = WhoDraft {
            citizen_id: "11010119900307447X".into(),
            ..card.clone()
        };
        assert!(identification(Lang::En, &both).is_err());
        assert!(identification(Lang::En, &WhoDraft::default()).is_err());
    }

    #[test]
    fn the_split_table_shows_yuan_and_escapes_the_bill_number() {
        let view = SettlementView {
            id: "stl_1".into(),
            institution_id: "H1".into(),
            bill_number: "<b>".into(),
            person_id: "p".into(),
            insured_region: "110000".into(),
            treated_region: "110000".into(),
            visit: "outpatient".into(),
            status: "preview".into(),
            total_fen: 123_456,
            self_paid_fen: 0,
            over_limit_fen: 0,
            class_b_first_share_fen: 500,
            in_scope_fen: 122_956,
            deductible_fen: 20_000,
            fund_fen: 80_000,
            supplementary_fen: 0,
            account_fen: 10_000,
            cash_fen: 13_456,
            settled_at: None,
            undone_at: None,
            diagnosis: None,
        };
        let html = split_table(Lang::En, &view);
        assert!(html.contains("<td>Total</td><td>1234.56</td>"), "{html}");
        assert!(html.contains("<td>Cash</td><td>134.56</td>"));
        assert!(html.contains("&lt;b&gt;"));
        assert!(!html.contains("<b>"));
        assert!(html.contains("pre-settlement"));
    }

    #[test]
    fn empty_trail_filters_mean_none() {
        let query = TrailQuery {
            actor: Some("  ".into()),
            action: Some(" person.unmask ".into()),
            subject: None,
        };
        let filter = audit_filter(&query);
        assert_eq!(filter.actor, None);
        assert_eq!(filter.action.as_deref(), Some("person.unmask"));
        assert_eq!(filter.subject, None);
        assert_eq!(filter.limit, TRAIL_LIMIT);
        assert_eq!(url_component("card_1 /x"), "card_1%20%2Fx");
    }
}
