//! The cardholder's records: contributions with totals, accounts and statement, medical
//! settlements.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use shebao_app::insurance::{ContributionView, InsuranceSummaryView};
use shebao_app::money::yuan;
use shebao_app::views::StatementView;

use crate::Shared;
use crate::portal::holder::Holder;
use crate::portal::i18n::Lang;
use crate::portal::i18n::tr;
use crate::portal::page::esc;
use crate::portal::page::notice;
use crate::portal::page::page;

pub(crate) async fn contributions(State(s): State<Shared>, holder: Holder) -> Response {
    let (lang, browser) = (holder.lang, &holder.browser);
    let loaded = holder
        .load(&s, move |app, actor, person| {
            Ok((
                app.insurance_summary(actor, person)?,
                app.contribution_history(actor, person, None)?,
            ))
        })
        .await;
    let body = match loaded {
        Ok((summary, history)) => totals_section(lang, &summary) + &history_section(lang, &history),
        Err(error) => notice("error", &error.to_string()),
    };
    page(lang, StatusCode::OK, Some(browser), &body)
}

/// The totals: paid per kind of insurance and the contribution time.
fn totals_section(lang: Lang, summary: &InsuranceSummaryView) -> String {
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
    html.push_str("</tbody></table></section>");
    html
}

/// The contributions month by month, newest first.
fn history_section(lang: Lang, history: &[ContributionView]) -> String {
    let mut html = format!(
        "<section class=\"card\"><table><caption>{caption}</caption><thead><tr>\
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
    );
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

pub(crate) async fn accounts(State(s): State<Shared>, holder: Holder) -> Response {
    let (lang, browser) = (holder.lang, &holder.browser);
    let loaded = holder
        .load(&s, move |app, actor, person| {
            let pension =
                app.personal_account_statement(actor, person, "pension", None, Some(50))?;
            let medical =
                app.personal_account_statement(actor, person, "medical", None, Some(50))?;
            let mut bank = Vec::new();
            for card in app.cards_of_person(actor, person)? {
                if let Some(account) = card.account_id.clone()
                    && !bank
                        .iter()
                        .any(|(id, _): &(String, StatementView)| *id == account)
                {
                    bank.push((
                        account.clone(),
                        app.statement(actor, &account, None, Some(50))?,
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
    page(lang, StatusCode::OK, Some(browser), &body)
}

pub(crate) async fn settlements(State(s): State<Shared>, holder: Holder) -> Response {
    let (lang, browser) = (holder.lang, &holder.browser);
    let body = match holder
        .load(&s, move |app, actor, person| {
            app.person_settlements(actor, person)
        })
        .await
    {
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
    page(lang, StatusCode::OK, Some(browser), &body)
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
