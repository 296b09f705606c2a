//! The cardholder's own pages beyond the home page: contributions month by month with the
//! totals, personal accounts and the card account's statement, medical settlements, the
//! contribution certificate, changing the social PIN, and help answered from the holder's
//! own data.

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use shebao_app::cards::PinChange;
use shebao_app::views::StatementView;
use shebao_domain::access::Role;

use super::i18n::cookie;
use super::{
    Browser, Lang, blocking, csrf_ok, csrf_refused, error_status, esc, form_guard, notice, page,
    refused, tr, yuan,
};
use crate::Shared;

/// Links from the holder's home page to these pages.
pub(super) fn links(lang: Lang) -> String {
    format!(
        "<nav class=\"card\" aria-label=\"{label}\"><ul>\
         <li><a href=\"/holder/contributions\">{contributions}</a></li>\
         <li><a href=\"/holder/accounts\">{accounts}</a></li>\
         <li><a href=\"/holder/settlements\">{settlements}</a></li>\
         <li><a href=\"/holder/certificate\">{certificate}</a></li>\
         <li><a href=\"/holder/pin\">{pin}</a></li>\
         <li><a href=\"/help\">{help}</a></li></ul></nav>",
        label = tr(lang, "我的社保", "My social insurance"),
        contributions = tr(lang, "缴费记录与合计", "Contributions and totals"),
        accounts = tr(
            lang,
            "个人账户与银行账户明细",
            "Personal accounts and bank statement"
        ),
        settlements = tr(lang, "医疗结算记录", "Medical settlements"),
        certificate = tr(
            lang,
            "下载参保缴费证明",
            "Download the contribution certificate"
        ),
        pin = tr(lang, "修改社保密码", "Change the social security PIN"),
        help = tr(lang, "常见问题", "Help"),
    )
}

fn holder_only(lang: Lang, browser: &Browser) -> Option<Response> {
    (browser.actor.role != Role::Cardholder || browser.actor.person_id.is_none()).then(|| {
        page(
            lang,
            StatusCode::FORBIDDEN,
            Some(browser),
            &notice(
                "error",
                tr(
                    lang,
                    "此页面仅供持卡人使用。",
                    "This page is for cardholders.",
                ),
            ),
        )
    })
}

fn person_of(browser: &Browser) -> String {
    browser
        .actor
        .person_id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

async fn contributions(State(s): State<Shared>, headers: HeaderMap, browser: Browser) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refused) = holder_only(lang, &browser) {
        return refused;
    }
    let (actor, person) = (browser.actor.clone(), person_of(&browser));
    let loaded = blocking(&s, move |app| {
        Ok((
            app.insurance_summary(&actor, &person)?,
            app.contribution_history(&actor, &person, None)?,
        ))
    })
    .await;
    let body = match loaded {
        Ok((summary, history)) => {
            let mut html = format!(
                "<h1>{title}</h1><section class=\"card\"><dl>\
                 <dt>{pension}</dt><dd>{pension_total}</dd><dt>{medical}</dt><dd>{medical_total}</dd>\
                 <dt>{time}</dt><dd>{years} {y} {months} {m}</dd></dl>\
                 <table><caption>{by_insurance}</caption><thead><tr><th scope=\"col\">{insurance}</th><th scope=\"col\">{paid_months}</th><th scope=\"col\">{paid}</th><th scope=\"col\">{owed}</th></tr></thead><tbody>",
                title = tr(lang, "我的缴费记录", "My contributions"),
                pension = tr(
                    lang,
                    "养老保险累计缴费（元）",
                    "Pension insurance paid in total (yuan)"
                ),
                pension_total = yuan(summary.pension_total_fen),
                medical = tr(
                    lang,
                    "医疗保险累计缴费（元）",
                    "Medical insurance paid in total (yuan)"
                ),
                medical_total = yuan(summary.medical_total_fen),
                time = tr(lang, "累计缴费年限", "Contribution time"),
                years = summary.contribution_years,
                y = tr(lang, "年", "years"),
                months = summary.contribution_remaining_months,
                m = tr(lang, "个月", "months"),
                by_insurance = tr(lang, "各险种合计", "Totals per insurance"),
                insurance = tr(lang, "险种", "Insurance"),
                paid_months = tr(lang, "已缴月数", "Months paid"),
                paid = tr(lang, "已缴（元）", "Paid (yuan)"),
                owed = tr(lang, "欠缴（元）", "Owed (yuan)"),
            );
            for total in &summary.insurances {
                html.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    insurance_name(lang, &total.insurance),
                    total.months_paid,
                    yuan(total.total_paid_fen),
                    yuan(total.owed_fen)
                ));
            }
            html.push_str(&format!(
                "</tbody></table></section><section class=\"card\"><table><caption>{caption}</caption><thead><tr>\
                 <th scope=\"col\">{month}</th><th scope=\"col\">{insurance}</th><th scope=\"col\">{base}</th><th scope=\"col\">{employer_share}</th>\
                 <th scope=\"col\">{individual}</th><th scope=\"col\">{status}</th><th scope=\"col\">{employer}</th></tr></thead><tbody>",
                caption = tr(lang, "按月明细", "Month by month"),
                month = tr(lang, "月份", "Month"),
                insurance = tr(lang, "险种", "Insurance"),
                base = tr(lang, "缴费基数", "Base"),
                employer_share = tr(lang, "单位缴纳", "Employer"),
                individual = tr(lang, "个人缴纳", "Individual"),
                status = tr(lang, "状态", "Status"),
                employer = tr(lang, "参保单位", "Insured unit"),
            ));
            for row in history.iter().rev() {
                html.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&row.month),
                    insurance_name(lang, &row.insurance),
                    yuan(row.base_fen),
                    yuan(row.employer_fen),
                    yuan(row.individual_fen),
                    if row.status == "paid" { tr(lang, "已缴", "paid") } else { tr(lang, "欠缴", "owed") },
                    esc(row.employer.as_deref().unwrap_or("-"))
                ));
            }
            html.push_str("</tbody></table></section>");
            html
        }
        Err(error) => notice("error", &error.to_string()),
    };
    page(lang, StatusCode::OK, Some(&browser), &body)
}

fn insurance_name(lang: Lang, insurance: &str) -> &'static str {
    match insurance {
        "pension" => tr(lang, "养老保险", "Pension"),
        "medical" => tr(lang, "医疗保险", "Medical"),
        "unemployment" => tr(lang, "失业保险", "Unemployment"),
        "work_injury" => tr(lang, "工伤保险", "Work injury"),
        "maternity" => tr(lang, "生育保险", "Maternity"),
        _ => "-",
    }
}

fn statement_table(lang: Lang, caption: &str, statement: &StatementView) -> String {
    let mut html = format!(
        "<section class=\"card\"><table><caption>{} — {} {}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(caption),
        tr(lang, "余额（元）", "balance (yuan)"),
        yuan(statement.balance_fen),
        tr(lang, "时间", "Time"),
        tr(lang, "摘要", "What"),
        tr(lang, "金额（元）", "Amount (yuan)"),
        tr(lang, "余额（元）", "Balance (yuan)"),
    );
    for entry in &statement.entries {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td></tr>",
            esc(&entry.created_at),
            esc(&entry.code),
            esc(&entry.memo),
            yuan(entry.amount_fen),
            yuan(entry.balance_after_fen)
        ));
    }
    if statement.entries.is_empty() {
        html.push_str(&format!(
            "<tr><td colspan=\"4\">{}</td></tr>",
            tr(lang, "暂无记录", "No entries yet")
        ));
    }
    html.push_str("</tbody></table></section>");
    html
}

async fn accounts(State(s): State<Shared>, headers: HeaderMap, browser: Browser) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refused) = holder_only(lang, &browser) {
        return refused;
    }
    let (actor, person) = (browser.actor.clone(), person_of(&browser));
    let loaded = blocking(&s, move |app| {
        let pension = app.personal_account_statement(&actor, &person, "pension", None, Some(50))?;
        let medical = app.personal_account_statement(&actor, &person, "medical", None, Some(50))?;
        let mut bank = Vec::new();
        for card in app.cards_of_person(&actor, &person)? {
            if let Some(account) = card.account_id.clone()
                && !bank
                    .iter()
                    .any(|(id, _): &(String, StatementView)| *id == account)
            {
                bank.push((
                    account.clone(),
                    app.statement(&actor, &account, None, Some(50))?,
                ));
            }
        }
        Ok((pension, medical, bank))
    })
    .await;
    let body = match loaded {
        Ok((pension, medical, bank)) => {
            let mut html = format!("<h1>{}</h1>", tr(lang, "我的账户", "My accounts"));
            html.push_str(&statement_table(
                lang,
                tr(lang, "个人养老账户", "Personal pension account"),
                &pension,
            ));
            html.push_str(&statement_table(
                lang,
                tr(lang, "个人医疗账户", "Personal medical account"),
                &medical,
            ));
            for (_, statement) in &bank {
                html.push_str(&statement_table(
                    lang,
                    tr(lang, "社保卡银行账户", "The card's bank account"),
                    statement,
                ));
            }
            html
        }
        Err(error) => notice("error", &error.to_string()),
    };
    page(lang, StatusCode::OK, Some(&browser), &body)
}

async fn settlements(State(s): State<Shared>, headers: HeaderMap, browser: Browser) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refused) = holder_only(lang, &browser) {
        return refused;
    }
    let (actor, person) = (browser.actor.clone(), person_of(&browser));
    let body = match blocking(&s, move |app| app.person_settlements(&actor, &person)).await {
        Ok(rows) => {
            let mut html = format!(
                "<h1>{}</h1><section class=\"card\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
                 <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                tr(lang, "医疗结算记录", "Medical settlements"),
                tr(lang, "时间", "Time"),
                tr(lang, "机构与单据", "Institution and bill"),
                tr(lang, "总额", "Total"),
                tr(lang, "统筹基金", "Fund"),
                tr(lang, "个人账户", "Account"),
                tr(lang, "现金", "Cash"),
                tr(lang, "状态", "Status"),
            );
            for row in &rows {
                html.push_str(&format!(
                    "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(row.settled_at.as_deref().unwrap_or("")),
                    esc(&row.institution_id),
                    esc(&row.bill_number),
                    yuan(row.total_fen),
                    yuan(row.fund_fen + row.supplementary_fen),
                    yuan(row.account_fen),
                    yuan(row.cash_fen),
                    if row.status == "undone" { tr(lang, "已撤销", "undone") } else { tr(lang, "已结算", "settled") }
                ));
            }
            if rows.is_empty() {
                html.push_str(&format!(
                    "<tr><td colspan=\"7\">{}</td></tr>",
                    tr(lang, "暂无记录", "No settlements yet")
                ));
            }
            html.push_str("</tbody></table></section>");
            html
        }
        Err(error) => notice("error", &error.to_string()),
    };
    page(lang, StatusCode::OK, Some(&browser), &body)
}

async fn certificate_page(headers: HeaderMap, browser: Browser) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refused) = holder_only(lang, &browser) {
        return refused;
    }
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

#[derive(Deserialize)]
struct Guarded {
    csrf: String,
    key: String,
}

async fn issue_certificate(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(form): Form<Guarded>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refused) = holder_only(lang, &browser) {
        return refused;
    }
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
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
        Err(error) => notice("error", &error.to_string()),
    };
    page(lang, StatusCode::OK, Some(&browser), &body)
}

async fn certificate_pdf(
    State(s): State<Shared>,
    browser: Browser,
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
        Err(error) => (
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::NOT_FOUND),
            error.to_string(),
        )
            .into_response(),
    }
}

fn pin_form(lang: Lang, browser: &Browser, message: &str) -> String {
    format!(
        "<h1>{title}</h1>{message}<form method=\"post\" action=\"/holder/pin\" autocomplete=\"off\" class=\"card\">{guard}\
         <label for=\"card_id\">{card}</label><input id=\"card_id\" name=\"card_id\" required>\
         <label for=\"old_pin\">{old}</label><input id=\"old_pin\" name=\"old_pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\">\
         <label for=\"new_pin\">{new}</label><input id=\"new_pin\" name=\"new_pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\" aria-describedby=\"pin-rule\">\
         <p id=\"pin-rule\">{rule}</p><button type=\"submit\">{title}</button></form>",
        title = tr(lang, "修改社保密码", "Change the social security PIN"),
        guard = form_guard(browser),
        card = tr(lang, "卡编号", "Card id"),
        old = tr(lang, "原密码", "Current PIN"),
        new = tr(lang, "新密码（六位数字）", "New PIN (six digits)"),
        rule = tr(
            lang,
            "不能使用123456等默认密码、相同或连续数字、出生日期或身份证号后六位。",
            "Not a default such as 123456, not all the same or a run of digits, not your birth date or the last six characters of your ID number."
        ),
    )
}

async fn pin_page(headers: HeaderMap, browser: Browser) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refused) = holder_only(lang, &browser) {
        return refused;
    }
    page(
        lang,
        StatusCode::OK,
        Some(&browser),
        &pin_form(lang, &browser, ""),
    )
}

#[derive(Deserialize)]
struct PinForm {
    csrf: String,
    key: String,
    card_id: String,
    old_pin: String,
    new_pin: String,
}

async fn change_pin(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Form(form): Form<PinForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Some(refused) = holder_only(lang, &browser) {
        return refused;
    }
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let actor = browser.actor.clone();
    let change = PinChange {
        old_pin: form.old_pin,
        new_pin: form.new_pin,
    };
    let card = form.card_id.trim().to_owned();
    let (status, message) = match blocking(&s, move |app| {
        app.change_social_pin(&actor, &form.key, &card, change)
    })
    .await
    {
        Ok(_) => (
            StatusCode::OK,
            notice("ok", tr(lang, "密码已修改。", "The PIN is changed.")),
        ),
        Err(error) => (error_status(&error), refused(lang, &error)),
    };
    page(
        lang,
        status,
        Some(&browser),
        &pin_form(lang, &browser, &message),
    )
}

/// What the holder's own card says about the common questions (None when not signed in).
async fn own_answers(s: &Shared, headers: &HeaderMap, lang: Lang) -> Option<String> {
    let token = cookie(headers, "shebao_session")?;
    let rows = crate::extract::blocking(&s.app, &s.calls, move |app| {
        let actor = app.authenticate(&token).ok()?;
        let person = actor.person_id.clone()?;
        let cards = app.cards_of_person(&actor, person.as_str()).ok()?;
        let mut rows = Vec::new();
        for card in cards {
            let account = card
                .account_id
                .as_ref()
                .and_then(|_| app.card_account(&actor, &card.id).ok());
            rows.push((card, account));
        }
        Some(rows)
    })
    .await
    .ok()??;
    let mut html = String::new();
    for (card, account) in rows
        .iter()
        .filter(|(c, _)| c.usable != "card_replaced" && c.usable != "card_cancelled")
    {
        let activation = match account.as_ref().map(|a| a.status.as_str()) {
            Some("deposit_only") => tr(
                lang,
                "您的卡尚未激活金融功能，目前只能存入、不能支取。",
                "Your card's bank account is not activated yet: money can come in, nothing can go out.",
            ),
            Some("active") => tr(
                lang,
                "您的卡金融功能已激活，无需再到银行办理。",
                "Your card's bank account is already active; no visit to the bank is needed.",
            ),
            _ => tr(
                lang,
                "这张卡没有金融功能。",
                "This card has no financial function.",
            ),
        };
        let locked = if card.social_pin_locked {
            tr(
                lang,
                "您的社保密码已锁定，请携带身份证到窗口解锁。",
                "Your social security PIN is locked: bring your ID card to a window to unlock it.",
            )
        } else {
            tr(
                lang,
                "您的社保密码未锁定。",
                "Your social security PIN is not locked.",
            )
        };
        html.push_str(&format!(
            "<section class=\"card\"><h2>{} {}</h2><p>{}</p><p>{}</p></section>",
            tr(lang, "您的卡", "Your card"),
            esc(&card.card_number),
            activation,
            locked
        ));
    }
    Some(html)
}

async fn help(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let own = own_answers(&s, &headers, lang).await.unwrap_or_default();
    let questions = [
        (
            tr(
                lang,
                "社保卡需要到银行激活吗？",
                "Does my social security card need to be activated at the bank?",
            ),
            tr(
                lang,
                "社保功能领卡即可使用；金融（银行）功能需本人携带社保卡和身份证原件到发卡银行任一网点激活并设置密码，激活前只能存入、不能支取。",
                "The social security side works once you collect the card. The bank side must be activated in person at any branch of the card's bank with the card and your original ID card, where you set a PIN; until then money can come in but nothing can go out.",
            ),
        ),
        (
            tr(lang, "卡丢了怎么办？", "What if I lose my card?"),
            tr(
                lang,
                "可在网上或拨打12333临时挂失，临时挂失到期自动解除；到窗口书面正式挂失后可申请补卡，旧卡永久失效，账户资金不受影响。",
                "Report a temporary loss online or by calling 12333; it lapses by itself. A formal loss in writing at a window lets you apply for a replacement: the old card stops working for ever and your money stays safe.",
            ),
        ),
        (
            tr(lang, "有几个密码？", "How many PINs are there?"),
            tr(
                lang,
                "两个：社保密码（多次输错会锁定，需到窗口解锁）和金融密码（激活时在银行设置，输错三次锁定，需到发卡银行柜台解锁）。",
                "Two: the social security PIN (locks after repeated wrong entries; unlocked at a window) and the financial PIN (set at the bank on activation; locks after three wrong entries in a day; unlocked at the card bank's counter).",
            ),
        ),
        (
            tr(lang, "社保卡能做什么？", "What can the card do?"),
            tr(
                lang,
                "查询养老、医疗、失业、工伤、生育保险缴费；在医院和药店实时结算医保；领取养老金等待遇；激活后可作为银行卡使用。",
                "Look up your pension, medical, unemployment, work-injury and maternity contributions; settle medical bills at hospitals and pharmacies on the spot; receive your pension and benefits; after activation, use it as a bank card.",
            ),
        ),
    ];
    let mut body = format!("<h1>{}</h1>{own}", tr(lang, "常见问题", "Help"));
    for (question, answer) in questions {
        body.push_str(&format!(
            "<section class=\"card\"><h2>{question}</h2><p>{answer}</p></section>"
        ));
    }
    page(lang, StatusCode::OK, None, &body)
}

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/holder/contributions", get(contributions))
        .route("/holder/accounts", get(accounts))
        .route("/holder/settlements", get(settlements))
        .route(
            "/holder/certificate",
            get(certificate_page).post(issue_certificate),
        )
        .route("/holder/certificates/{file}", get(certificate_pdf))
        .route("/holder/pin", get(pin_page).post(change_pin))
        .route("/help", get(help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insurances_have_names_in_both_languages() {
        for code in [
            "pension",
            "medical",
            "unemployment",
            "work_injury",
            "maternity",
        ] {
            assert_ne!(
                insurance_name(Lang::Zh, code),
                insurance_name(Lang::En, code)
            );
        }
        assert_eq!(insurance_name(Lang::En, "housing"), "-");
    }
}
