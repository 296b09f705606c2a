//! The medical cashier's desk: person query, pre-settlement, settlement, undo and the day's
//! reconciliation. Drafts of the bill form live in `bill`, the desk's HTML in `view`.

pub(crate) mod bill;
pub(crate) mod reconciliation;
pub(crate) mod view;

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::medical::UndoRequest;
use shebao_domain::access::Role;

use self::bill::BILL_ROWS;
use self::bill::BillDraft;
use self::bill::WhoDraft;
use self::bill::bill_draft;
use self::bill::bill_request;
use self::bill::field;
use self::bill::identification;
use self::view::CashierView;
use self::view::cashier_page;
use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::i18n::LocalClock;
use crate::portal::page::desk_only;
use crate::portal::page::form::Posted;
use crate::portal::page::form::posted_form;
use crate::portal::page::notice;
use crate::portal::page::unprocessable;
use crate::portal::session::Browser;
use crate::portal::session::Visit;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/cashier/query", post(cashier_query))
        .route("/cashier/pre-settle", post(cashier_pre_settle))
        .route("/cashier/settle", post(cashier_settle))
        .route("/cashier/undo", post(cashier_undo))
        .route("/cashier/rows", post(cashier_rows))
        .route("/cashier/catalogue", get(cashier_catalogue))
        .route(
            "/cashier/reconciliation",
            get(self::reconciliation::cashier_reconciliation),
        )
}

/// The cashier's desk on the home page.
pub(crate) fn home(lang: Lang, browser: &Browser) -> String {
    self::view::cashier_desk(lang, browser, &self::view::CashierView::default())
}

/// The person query is a POST so that ID numbers stay out of URLs and access logs.
async fn cashier_query(Posted(visit, _, fields): Posted<Vec<(String, String)>>) -> Response {
    let Visit { s, browser, lang } = visit;
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
    let outcome = browser
        .call(&s, move |app, actor| app.query_insured(actor, who))
        .await;
    let status = match outcome {
        Ok(insured) => {
            // The bill form starts with the identification just used (the ID number is
            // typed again: it is never shown back).
            view.draft.who = drafted.shown_again();
            view.insured = Some(insured);
            StatusCode::OK
        }
        Err(error) => view.refused(lang, &error),
    };
    cashier_page(lang, status, &browser, &view)
}

/// Pre-settlement and settlement share the form; only the application call differs.
async fn cashier_bill(
    Posted(visit, _, fields): Posted<Vec<(String, String)>>,
    settle: bool,
) -> Response {
    let Visit { s, browser, lang } = visit;
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
    let key = field(&fields, "key").to_owned();
    let codes: Vec<String> = request.lines.iter().map(|l| l.code.clone()).collect();
    let outcome = browser
        .call(&s, move |app, actor| {
            let clock = LocalClock::read(app, actor);
            let split = if settle {
                app.settle(actor, &key, request)?
            } else {
                app.pre_settle(actor, request)?
            };
            // Codes outside the catalogue are self-paid: the pre-settlement says which.
            let outside = if settle {
                Vec::new()
            } else {
                app.codes_outside_catalogue(actor, codes)?
            };
            Ok((split, outside, clock))
        })
        .await;
    let status = match outcome {
        Ok((split, outside, clock)) => {
            view.message = notice(
                "ok",
                if settle {
                    lang.words().settled_done()
                } else {
                    lang.words().pre_settled_done()
                },
            );
            if !outside.is_empty() {
                view.message.push_str(&format!(
                    "<p class=\"notice error\" role=\"alert\" data-outside-catalogue>{} <span translate=\"no\">{}</span></p>",
                    lang.words().outside_catalogue(),
                    crate::portal::page::esc(&outside.join(", "))
                ));
            }
            // A settled bill is done: the next bill starts from an empty form.
            if settle {
                view.draft = BillDraft::default();
            }
            view.split = Some(split);
            view.clock = Some(clock);
            StatusCode::OK
        }
        Err(error) => view.refused(lang, &error),
    };
    cashier_page(lang, status, &browser, &view)
}

/// Five more line rows on the bill form, everything typed kept (nothing is asked of the
/// application).
async fn cashier_rows(Posted(visit, _, mut fields): Posted<Vec<(String, String)>>) -> Response {
    let Visit { browser, lang, .. } = visit;
    let rows = bill_draft(&fields).lines.len() + BILL_ROWS;
    fields.retain(|(key, _)| key != "rows");
    fields.push(("rows".into(), rows.to_string()));
    let draft = bill_draft(&fields);
    let view = CashierView {
        draft: BillDraft {
            who: draft.who.shown_again(),
            ..draft
        },
        ..CashierView::default()
    };
    cashier_page(lang, StatusCode::OK, &browser, &view)
}

async fn cashier_pre_settle(posted: Posted<Vec<(String, String)>>) -> Response {
    cashier_bill(posted, false).await
}

async fn cashier_settle(posted: Posted<Vec<(String, String)>>) -> Response {
    cashier_bill(posted, true).await
}

#[derive(Deserialize)]
pub(crate) struct UndoForm {
    csrf: String,
    key: String,
    bill_number: String,
    #[serde(default)]
    reason: String,
    /// The ticked confirmation (`yes`); empty when it was not ticked.
    #[serde(default)]
    confirmed: String,
}

posted_form!(Some(Role::Cashier) => UndoForm);

async fn cashier_undo(Posted(visit, _, form): Posted<UndoForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    // What was typed comes back with any answer but a done undo.
    let mut view = CashierView {
        undo_bill: form.bill_number.clone(),
        undo_reason: form.reason.clone(),
        ..CashierView::default()
    };
    if form.confirmed.is_empty() {
        // Checked in the form, and again here: nothing is undone unconfirmed.
        view.message = notice("error", lang.words().undo_confirm_first());
        return cashier_page(lang, StatusCode::UNPROCESSABLE_ENTITY, &browser, &view);
    }
    let request = UndoRequest {
        reason: form.reason.clone(),
    };
    let outcome = browser
        .call(&s, move |app, actor| {
            let undone = app.undo_settlement(actor, &form.key, &form.bill_number, request)?;
            Ok((undone, LocalClock::read(app, actor)))
        })
        .await;
    let status = match outcome {
        Ok((undone, clock)) => {
            view.message = notice("ok", lang.words().settlement_undone_done());
            view.split = Some(undone);
            view.clock = Some(clock);
            view.undo_bill.clear();
            StatusCode::OK
        }
        Err(error) => view.refused(lang, &error),
    };
    cashier_page(lang, status, &browser, &view)
}

#[derive(Deserialize)]
pub(crate) struct CatalogueQuery {
    #[serde(default)]
    q: String,
}

/// The catalogue searched from the desk: the desk with what was found (htmx takes only the
/// results' box of it).
async fn cashier_catalogue(
    Visit { s, browser, lang }: Visit,
    Query(query): Query<CatalogueQuery>,
) -> Response {
    if let Some(refusal) = desk_only(lang, &browser, Role::Cashier) {
        return refusal;
    }
    let q = query.q.trim().to_owned();
    let text = q.clone();
    let found = browser
        .call(&s, move |app, actor| app.search_catalogue(actor, &text))
        .await;
    let mut view = CashierView {
        catalogue_query: q,
        ..CashierView::default()
    };
    let status = match found {
        Ok(items) => {
            view.catalogue = Some(items);
            StatusCode::OK
        }
        Err(error) => view.refused(lang, &error),
    };
    cashier_page(lang, status, &browser, &view)
}
