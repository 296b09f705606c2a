//! The cardholder's records: contributions with totals, accounts and statement, medical
//! settlements.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::insurance::{ContributionView, InsuranceSummaryView};
use shebao_app::medical::SettlementView;
use shebao_app::money::{STATEMENT_PAGE_MAX, StatementWindow, yuan};
use shebao_app::views::StatementView;
use shebao_domain::time::{Date, Timestamp};

use crate::portal::auditor::EXPORT_MAX;
use crate::portal::chart::{StackedBar, line, stacked_bars};
use crate::portal::holder::Holder;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::table::table_template;
use crate::portal::page::{html, notice, page, refusal_page, refused, rendered};
use crate::portal::teller::url_component;

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
        title = lang.words().my_contributions(),
        pension = lang.words().pension_paid_total(),
        pension_total = yuan(summary.pension_total_fen),
        medical = lang.words().medical_paid_total(),
        medical_total = yuan(summary.medical_total_fen),
        time = lang.words().contribution_time(),
        years = summary.contribution_years,
        y = lang.words().years_unit(),
        months = summary.contribution_remaining_months,
        m = lang.words().months_unit(),
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

/// Months the contributions chart shows.
const CHART_MONTHS: usize = 24;

/// The contributions month by month, newest first, under a chart of what was paid in the
/// last [`CHART_MONTHS`] months with contributions.
fn history_section(lang: Lang, history: &[ContributionView]) -> String {
    let words = lang.words();
    let newest_first: Vec<ContributionView> = history.iter().rev().cloned().collect();
    let table = html(&MonthsTable {
        words,
        rows: &newest_first,
    });
    let mut months: Vec<StackedBar> = Vec::new();
    for row in history.iter().filter(|row| row.status == "paid") {
        match months.iter_mut().find(|bar| bar.label == row.month) {
            Some(bar) => {
                bar.solid_fen = bar.solid_fen.saturating_add(row.individual_fen);
                bar.hatched_fen = bar.hatched_fen.saturating_add(row.employer_fen);
            }
            None => months.push(StackedBar {
                label: row.month.clone(),
                solid_fen: row.individual_fen,
                hatched_fen: row.employer_fen,
            }),
        }
    }
    months.sort_by(|a, b| a.label.cmp(&b.label));
    let recent = &months[months.len().saturating_sub(CHART_MONTHS)..];
    let chart = if recent.is_empty() {
        String::new()
    } else {
        stacked_bars(
            "contributions-chart",
            words.chart_contributions(),
            words.chart_contributions_desc(),
            (words.part_individual(), words.part_employer()),
            recent,
        )
    };
    format!("<section class=\"card\">{chart}{table}</section>")
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
    html(&StatementTable {
        words: lang.words(),
        rows: &statement.entries,
        caption,
        balance_fen: statement.balance_fen,
        clock,
    })
}

/// A line of the balance after each entry of a statement page, oldest left (none for a page
/// without entries).
fn balance_chart(lang: Lang, clock: LocalClock, statement: &StatementView) -> String {
    if statement.entries.is_empty() {
        return String::new();
    }
    let points: Vec<(String, i64)> = statement
        .entries
        .iter()
        .rev()
        .map(|entry| (clock.date(&entry.created_at), entry.balance_after_fen))
        .collect();
    let words = lang.words();
    line(
        "balance-chart",
        words.chart_balance(),
        words.chart_balance_desc(),
        &points,
    )
}

/// Entries each account shows on the accounts page (the account's own page has them all).
const OVERVIEW_ENTRIES: i64 = 10;

/// Entries one page of an account's statement lists.
const STATEMENT_PAGE: i64 = 50;

/// The account a statement page shows: a personal account, or a card's bank account by
/// its id (the application refuses an account that is not the holder's).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Which {
    Pension,
    Medical,
    Bank(String),
}

impl Which {
    fn parse(text: &str) -> Which {
        match text {
            "pension" => Which::Pension,
            "medical" => Which::Medical,
            other => Which::Bank(other.to_owned()),
        }
    }

    fn path(&self) -> &str {
        match self {
            Which::Pension => "pension",
            Which::Medical => "medical",
            Which::Bank(id) => id,
        }
    }

    fn caption(&self, words: &dyn crate::portal::words::Words) -> &'static str {
        match self {
            Which::Pension => words.account_pension(),
            Which::Medical => words.account_medical(),
            Which::Bank(_) => words.account_bank(),
        }
    }

    fn read(
        &self,
        app: &shebao_app::App,
        actor: &shebao_app::Actor,
        person: &str,
        window: StatementWindow,
    ) -> Result<StatementView, shebao_app::AppError> {
        match self {
            Which::Pension => app.personal_account_statement(actor, person, "pension", window),
            Which::Medical => app.personal_account_statement(actor, person, "medical", window),
            Which::Bank(id) => app.statement_in(actor, id, window),
        }
    }
}

pub(crate) async fn accounts(holder: Holder) -> Response {
    let (lang, browser) = (holder.0.lang, &holder.0.browser);
    let loaded = holder
        .load(move |app, actor, person| {
            let clock = LocalClock::read(app, actor);
            let mut shown = vec![Which::Pension, Which::Medical];
            for card in app.cards_of_person(actor, person)? {
                if let Some(account) = card.account_id.clone().map(Which::Bank)
                    && !shown.contains(&account)
                {
                    shown.push(account);
                }
            }
            let window = StatementWindow::latest(OVERVIEW_ENTRIES);
            let statements = shown
                .into_iter()
                .map(|which| Ok((which.read(app, actor, person, window)?, which)))
                .collect::<Result<Vec<_>, shebao_app::AppError>>()?;
            Ok((statements, clock))
        })
        .await;
    let words = lang.words();
    let body = match loaded {
        Ok((statements, clock)) => {
            let mut html = format!("<h1>{}</h1>", words.my_accounts());
            for (statement, which) in &statements {
                html.push_str(&format!(
                    "<section class=\"card\">{}<p><a href=\"/holder/accounts/{}\">{}</a></p></section>",
                    statement_table(lang, clock, which.caption(words), statement),
                    url_component(which.path()),
                    words.all_entries(),
                ));
            }
            html
        }
        Err(error) => refused(lang, &error),
    };
    page(lang, StatusCode::OK, Some(browser), &body)
}

/// A statement page's filters: local dates (`YYYY-MM-DD`, `to` included) and the entry
/// the page starts before.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct StatementFilter {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: Option<i64>,
}

impl StatementFilter {
    /// The window of these dates in `clock`'s days; `Err` when a date is not one.
    fn window(&self, clock: LocalClock, limit: i64) -> Result<StatementWindow, ()> {
        let day = |text: &str| match text.trim() {
            "" => Ok(None),
            text => Date::parse_iso(text).map(Some).ok_or(()),
        };
        let start = |date: Date| Timestamp::start_of_local(date, clock.offset());
        Ok(StatementWindow {
            before: self.before,
            from: day(&self.from)?.map(start),
            until: day(&self.to)?.map(|to| start(to.add_days(1))),
            limit: Some(limit),
        })
    }

    /// The dates as a query string (`from=…&to=…`, empty ones left out).
    fn dates_query(&self) -> String {
        [("from", &self.from), ("to", &self.to)]
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| format!("{name}={}", url_component(value.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(askama::Template)]
#[template(path = "holder/statement_page.html")]
struct StatementPage<'a> {
    words: &'static dyn crate::portal::words::Words,
    title: &'static str,
    path: String,
    from: &'a str,
    to: &'a str,
    error: Option<&'static str>,
    table: String,
    csv_link: String,
    next_link: Option<String>,
}

/// One account's statement, a page at a time, filtered by local dates, with its export.
pub(crate) async fn account_statement(
    holder: Holder,
    Path(which): Path<String>,
    Query(filter): Query<StatementFilter>,
) -> Response {
    let (lang, browser) = (holder.0.lang, &holder.0.browser);
    let words = lang.words();
    let which = Which::parse(&which);
    let (reading, filter_in) = (which.clone(), filter.clone());
    let loaded = holder
        .load(move |app, actor, person| {
            let clock = LocalClock::read(app, actor);
            let Ok(window) = filter_in.window(clock, STATEMENT_PAGE) else {
                return Ok((clock, None));
            };
            Ok((clock, Some(reading.read(app, actor, person, window)?)))
        })
        .await;
    let (clock, statement) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return refusal_page(lang, Some(browser), &error),
    };
    let dates = filter.dates_query();
    let path = format!("/holder/accounts/{}", url_component(which.path()));
    let empty = StatementView {
        account_id: String::new(),
        balance_fen: 0,
        entries: Vec::new(),
        next_before: None,
    };
    let shown = statement.as_ref().unwrap_or(&empty);
    let joined = |first: &str| {
        if dates.is_empty() {
            String::new()
        } else {
            format!("{first}{dates}")
        }
    };
    rendered(
        lang,
        StatusCode::OK,
        Some(browser),
        &StatementPage {
            words,
            title: which.caption(words),
            from: &filter.from,
            to: &filter.to,
            error: statement.is_none().then(|| words.bad_date()),
            table: statement
                .as_ref()
                .map(|s| {
                    balance_chart(lang, clock, s)
                        + &statement_table(lang, clock, which.caption(words), s)
                })
                .unwrap_or_default(),
            csv_link: format!("{path}/statement.csv{}", joined("?")),
            next_link: shown
                .next_before
                .map(|before| format!("{path}?before={before}{}", joined("&"))),
            path,
        },
    )
}

/// One account's statement as CSV, newest first, in the page's dates (at most
/// [`EXPORT_MAX`] entries; a longer one ends with a line saying where it was cut).
pub(crate) async fn statement_export(
    holder: Holder,
    Path(which): Path<String>,
    Query(filter): Query<StatementFilter>,
) -> Response {
    let (lang, browser) = (holder.0.lang, &holder.0.browser);
    let words = lang.words();
    let which = Which::parse(&which);
    let loaded = holder
        .load(move |app, actor, person| {
            let clock = LocalClock::read(app, actor);
            let Ok(mut window) = filter.window(clock, STATEMENT_PAGE_MAX) else {
                return Ok(None);
            };
            window.before = None;
            let mut out = shebao_app::csv::line(&words.statement_columns());
            let mut written = 0;
            loop {
                let page = which.read(app, actor, person, window)?;
                for entry in &page.entries {
                    if written == EXPORT_MAX {
                        out.push_str(&shebao_app::csv::line(&[words.export_cut()]));
                        return Ok(Some(out));
                    }
                    let kind = if memo_shown(&entry.code) {
                        format!("{} {}", words.transfer(&entry.code), entry.memo)
                    } else {
                        words.transfer(&entry.code).to_owned()
                    };
                    out.push_str(&shebao_app::csv::line(&[
                        clock.time(&entry.created_at).as_str(),
                        kind.as_str(),
                        yuan(entry.amount_fen).as_str(),
                        yuan(entry.balance_after_fen).as_str(),
                    ]));
                    written += 1;
                }
                match page.next_before {
                    Some(before) => window.before = Some(before),
                    None => return Ok(Some(out)),
                }
            }
        })
        .await;
    match loaded {
        Ok(Some(csv)) => crate::portal::page::csv_download(csv, "statement.csv"),
        Ok(None) => page(
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(browser),
            &notice("error", words.bad_date()),
        ),
        Err(error) => refusal_page(lang, Some(browser), &error),
    }
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
