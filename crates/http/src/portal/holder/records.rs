//! The cardholder's records: contributions with totals, accounts and statement, medical
//! settlements.

use axum::http::StatusCode;
use axum::response::Response;
use shebao_app::insurance::{ContributionView, InsuranceSummaryView};
use shebao_app::medical::SettlementView;
use shebao_app::money::yuan;
use shebao_app::views::StatementView;

use crate::portal::holder::Holder;
use crate::portal::i18n::tr;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::html;
use crate::portal::page::page;
use crate::portal::page::refused;
use crate::portal::page::table::table_template;

pub(crate) async fn contributions(holder: Holder) -> Response {
    let (lang, browser) = (holder.0.lang, &holder.0.browser);
    let loaded = holder
        .load(move |app, actor, person| {
            Ok((
                app.insurance_summary(actor, person)?,
                app.contribution_history(actor, person, None)?,
            ))
        })
        .await;
    let body = match loaded {
        Ok((summary, history)) => totals_section(lang, &summary) + &history_section(lang, &history),
        Err(error) => refused(lang, &error),
    };
    page(lang, StatusCode::OK, Some(browser), &body)
}

/// The totals: paid per kind of insurance and the contribution time.
fn totals_section(lang: Lang, summary: &InsuranceSummaryView) -> String {
    let head = format!(
        "<h1>{title}</h1><section class=\"card\"><dl>\
         <dt>{pension}</dt><dd>{pension_total}</dd><dt>{medical}</dt><dd>{medical_total}</dd>\
         <dt>{time}</dt><dd>{years} {y} {months} {m}</dd></dl>",
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
    );
    let totals = html(&TotalsTable {
        words: lang.words(),
        rows: &summary.insurances,
    });
    head + &totals + "</section>"
}

table_template!(
    TotalsTable,
    "holder/contribution_totals.html",
    shebao_app::insurance::InsuranceTotalView,
);
table_template!(
    MonthsTable,
    "holder/contribution_months.html",
    ContributionView
);

/// The contributions month by month, newest first.
fn history_section(lang: Lang, history: &[ContributionView]) -> String {
    let newest_first: Vec<ContributionView> = history.iter().rev().cloned().collect();
    let table = html(&MonthsTable {
        words: lang.words(),
        rows: &newest_first,
    });
    format!("<section class=\"card\">{table}</section>")
}

table_template!(
    StatementTable,
    "holder/statement.html",
    shebao_app::views::EntryView,
    caption: &'a str,
    balance_fen: i64,
    clock: LocalClock,
);

fn statement_table(
    lang: Lang,
    clock: LocalClock,
    caption: &str,
    statement: &StatementView,
) -> String {
    let table = html(&StatementTable {
        words: lang.words(),
        rows: &statement.entries,
        caption,
        balance_fen: statement.balance_fen,
        clock,
    });
    format!("<section class=\"card\">{table}</section>")
}

pub(crate) async fn accounts(holder: Holder) -> Response {
    let (lang, browser) = (holder.0.lang, &holder.0.browser);
    let loaded = holder
        .load(move |app, actor, person| {
            let clock = LocalClock::read(app, actor);
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
            Ok((pension, medical, bank, clock))
        })
        .await;
    let body = match loaded {
        Ok((pension, medical, bank, clock)) => {
            let mut html = format!("<h1>{}</h1>", tr(lang, "我的账户", "My accounts"));
            html.push_str(&statement_table(
                lang,
                clock,
                tr(lang, "个人养老账户", "Personal pension account"),
                &pension,
            ));
            html.push_str(&statement_table(
                lang,
                clock,
                tr(lang, "个人医疗账户", "Personal medical account"),
                &medical,
            ));
            for (_, statement) in &bank {
                html.push_str(&statement_table(
                    lang,
                    clock,
                    tr(lang, "社保卡银行账户", "The card's bank account"),
                    statement,
                ));
            }
            html
        }
        Err(error) => refused(lang, &error),
    };
    page(lang, StatusCode::OK, Some(browser), &body)
}

pub(crate) async fn settlements(holder: Holder) -> Response {
    let (lang, browser) = (holder.0.lang, &holder.0.browser);
    let body = match holder
        .load(move |app, actor, person| {
            let clock = LocalClock::read(app, actor);
            let rows = app.person_settlements(actor, person)?;
            let mut ids: Vec<String> = rows.iter().map(|r| r.institution_id.clone()).collect();
            ids.sort();
            ids.dedup();
            let names = app.institution_names(actor, ids)?;
            Ok((rows, names, clock))
        })
        .await
    {
        Ok((rows, names, clock)) => settlements_table(lang, clock, &rows, &names),
        Err(error) => refused(lang, &error),
    };
    page(lang, StatusCode::OK, Some(browser), &body)
}

table_template!(
    SettlementsTable,
    "holder/settlements.html",
    SettlementView,
    clock: LocalClock,
    names: &'a std::collections::HashMap<String, String>,
);

/// An institution's name, or its id when it has none on record.
pub(crate) fn institution<'a>(
    names: &'a std::collections::HashMap<String, String>,
    id: &'a str,
) -> &'a str {
    names.get(id).map_or(id, String::as_str)
}

/// The holder's medical settlements, each split into what paid for it.
fn settlements_table(
    lang: Lang,
    clock: LocalClock,
    settlements: &[SettlementView],
    names: &std::collections::HashMap<String, String>,
) -> String {
    let words = lang.words();
    let table = html(&SettlementsTable {
        words,
        rows: settlements,
        clock,
        names,
    });
    format!(
        "<h1>{}</h1><section class=\"card\">{table}</section>",
        words.settlements_title()
    )
}

/// Whether a statement line shows its memo: a purchase's or a transfer's comes from outside
/// (the merchant, the payer) and is theirs to word; the others' the system wrote, and the
/// kind of entry says it in the page's language.
pub(crate) fn memo_shown(code: &str) -> bool {
    matches!(code, "purchase" | "transfer")
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
                Lang::Zh.words().insurance(code),
                Lang::En.words().insurance(code)
            );
        }
        assert_eq!(Lang::En.words().insurance("housing"), "-");
    }
}
