//! The cashier's reconciliation of one day's settlements.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::medical::ReconciliationView;
use shebao_app::money::yuan;
use shebao_domain::access::Role;

use crate::portal::cashier::view::settlement_status;
use crate::portal::cashier::view::visit_name;
use crate::portal::i18n::Lang;
use crate::portal::i18n::LocalClock;
use crate::portal::page::definitions;
use crate::portal::page::esc;
use crate::portal::page::forbidden;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::refusal;
use crate::portal::page::table::table;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

#[derive(Deserialize)]
pub(crate) struct DayQuery {
    date: Option<String>,
}

fn reconciliation_body(lang: Lang, clock: LocalClock, view: &ReconciliationView) -> String {
    let summary = format!(
        "<dl class=\"card\">{}</dl>",
        definitions(&[
            (lang.words().settled_bills(), view.settled.to_string()),
            (lang.words().undone_bills(), view.undone.to_string()),
            (lang.words().total_yuan(), yuan(view.total_fen)),
            (lang.words().pooled_fund_yuan(), yuan(view.fund_fen)),
            (
                lang.words().personal_accounts_yuan(),
                yuan(view.account_fen)
            ),
            (lang.words().cash_yuan(), yuan(view.cash_fen)),
        ])
    );
    if view.settlements.is_empty() {
        return summary + &notice("info", lang.words().no_settlements_that_day());
    }
    let rows: Vec<Vec<String>> = view
        .settlements
        .iter()
        .map(|s| {
            vec![
                crate::portal::page::as_data(&s.bill_number),
                esc(visit_name(lang, &s.visit)),
                esc(settlement_status(lang, &s.status)),
                yuan(s.total_fen),
                yuan(s.fund_fen),
                yuan(s.account_fen),
                yuan(s.cash_fen),
                esc(&s
                    .settled_at
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), |at| clock.time(at))),
            ]
        })
        .collect();
    summary
        + &table(
            lang.words().days_settlements(),
            &lang.words().reconciliation_columns(),
            &rows,
        )
}

pub(crate) async fn cashier_reconciliation(
    visit: Visit,
    Query(query): Query<DayQuery>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    if browser.actor.role != Role::Cashier {
        return forbidden(lang, &browser);
    }
    let actor = browser.actor.clone();
    let institution = actor.scope.institution_id.clone().unwrap_or_default();
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
        let view = app.reconciliation(&actor, &institution, &day)?;
        Ok((view, LocalClock::read(app, &actor)))
    })
    .await;
    let (status, found) = match outcome {
        Ok((view, clock)) => (StatusCode::OK, reconciliation_body(lang, clock, &view)),
        Err(error) => refusal(lang, &error),
    };
    let body = format!(
        "<h1>{title}</h1><form method=\"get\" action=\"/cashier/reconciliation\" class=\"card\">\
         <label for=\"date\">{date_label}</label><input id=\"date\" name=\"date\" type=\"date\" value=\"{date}\" required>\
         <button type=\"submit\">{show}</button></form>{found}<p><a href=\"/home\">{back}</a></p>",
        title = lang.words().day_reconciliation(),
        date_label = lang.words().reconciliation_date(),
        date = esc(&date),
        show = lang.words().show(),
        back = lang.words().back_to_cashier_desk(),
    );
    page(lang, status, Some(&browser), &body)
}
