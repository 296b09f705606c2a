//! The cashier's desk as HTML: the identification fields, the bill form, the insured
//! person's details and the split of a settlement.

use axum::http::StatusCode;
use axum::response::Response;
use shebao_app::medical::{InsuredView, SettlementView};
use shebao_app::money::yuan;

use crate::portal::cashier::bill::BillDraft;
use crate::portal::cashier::bill::WhoDraft;
use crate::portal::i18n::Lang;
use crate::portal::page::as_data;
use crate::portal::page::definitions;
use crate::portal::page::esc;
use crate::portal::page::form::form_guard;
use crate::portal::page::html;
use crate::portal::page::page;
use crate::portal::page::receipt::receipt;
use crate::portal::page::refusal;
use crate::portal::page::table::table_with;
use crate::portal::session::Browser;
use crate::portal::words::Words;
use shebao_app::AppError;

/// A visit type in plain words; an unknown code is shown as it is.
pub(crate) fn visit_name(lang: Lang, code: &str) -> &str {
    match code {
        "outpatient" => lang.words().visit_outpatient(),
        "inpatient" => lang.words().visit_inpatient(),
        "pharmacy" => lang.words().visit_pharmacy(),
        other => other,
    }
}

/// A settlement's state in plain words; an unknown code is shown as it is.
pub(crate) fn settlement_status(lang: Lang, code: &str) -> &str {
    match code {
        "preview" => lang.words().settlement_preview(),
        "settled" => lang.words().settled(),
        "undone" => lang.words().undone(),
        other => other,
    }
}

/// The split of a bill, every amount in yuan.
fn split_table(lang: Lang, view: &SettlementView) -> String {
    let status = settlement_status(lang, &view.status);
    // In the order of the catalogue's `split_parts`.
    let amounts = [
        view.total_fen,
        view.self_paid_fen,
        view.over_limit_fen,
        view.class_b_first_share_fen,
        view.in_scope_fen,
        view.deductible_fen,
        view.fund_fen,
        view.supplementary_fen,
        view.account_fen,
        view.cash_fen,
    ];
    let rows: Vec<Vec<String>> = (lang.words().split_parts().iter())
        .zip(amounts)
        .map(|(label, fen)| vec![esc(label), yuan(fen)])
        .collect();
    // A birth's bill says that maternity insurance pays it.
    let paid_by = if view.insurance_type == shebao_app::medical::MATERNITY {
        format!(" · {}", esc(lang.words().insurance_maternity()))
    } else {
        String::new()
    };
    table_with(
        &format!(
            "{} {} · {}{paid_by}",
            esc(lang.words().bill()),
            as_data(&view.bill_number),
            esc(status)
        ),
        &[lang.words().split_part(), lang.words().split_yuan()],
        &rows,
    )
}

fn insured_details(lang: Lang, view: &InsuredView) -> String {
    let status = match view.status.as_str() {
        "retired" => lang.words().insured_retired(),
        "working" => lang.words().insured_working(),
        other => other,
    };
    // The year's figures carry the year in their label: the caps start again each January.
    let [deductible_label, fund_label, supplementary_label] = lang.words().year_used(view.year);
    // Without the card at the counter the balance is not the cashier's to see.
    let balance = view
        .personal_account_balance_fen
        .map_or_else(|| esc(lang.words().balance_needs_card()), yuan);
    let details = definitions(&[
        (lang.words().citizen_id_plain(), esc(&view.citizen_id)),
        (lang.words().card_number(), esc(&view.card_number)),
        (lang.words().insured_region(), as_data(&view.insured_region)),
        (lang.words().insured_status(), esc(status)),
        (&deductible_label, yuan(view.deductible_used_fen)),
        (&fund_label, yuan(view.fund_used_fen)),
        (&supplementary_label, yuan(view.supplementary_used_fen)),
        (lang.words().personal_account_balance(), balance),
    ]);
    format!(
        "<section class=\"card\" aria-labelledby=\"insured\"><h2 id=\"insured\">{title}</h2><dl>{details}</dl></section>",
        title = lang.words().insured_person(),
    )
}

/// What the cashier's page shows besides its forms.
#[derive(Default)]
pub(crate) struct CashierView {
    pub(crate) message: String,
    pub(crate) insured: Option<InsuredView>,
    pub(crate) draft: BillDraft,
    pub(crate) split: Option<SettlementView>,
    /// The bill number and the reason typed in the undo form, kept when the form comes back.
    pub(crate) undo_bill: String,
    pub(crate) undo_reason: String,
    /// The catalogue search typed, and what it found (`None` before a search).
    pub(crate) catalogue_query: String,
    pub(crate) catalogue: Option<Vec<shebao_app::medical::CatalogueItemView>>,
    /// The clock a settled or undone bill's receipt tells the time by.
    pub(crate) clock: Option<crate::portal::i18n::LocalClock>,
}

impl CashierView {
    /// Shows an application refusal above the desk; the status it maps to.
    pub(crate) fn refused(&mut self, lang: Lang, error: &AppError) -> StatusCode {
        let (status, message) = refusal(lang, error);
        self.message = message;
        status
    }
}

#[derive(askama::Template)]
#[template(path = "cashier/bill.html")]
struct BillForm<'a> {
    words: &'static dyn Words,
    csrf: &'a str,
    key: String,
    /// The patient's fields, built as HTML.
    who: String,
    /// The kinds of visit: code and name.
    visits: Vec<(&'static str, &'static str)>,
    /// The insurances that pay: code and name.
    insurances: Vec<(&'static str, &'static str)>,
    draft: &'a BillDraft,
}

fn bill_form(lang: Lang, browser: &Browser, draft: &BillDraft) -> String {
    html(&BillForm {
        words: lang.words(),
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        who: draft.who.fields(lang, "bill"),
        visits: ["outpatient", "inpatient", "pharmacy"]
            .map(|visit| (visit, visit_name(lang, visit)))
            .to_vec(),
        insurances: vec![
            (
                shebao_app::medical::EMPLOYEES_MEDICAL,
                lang.words().insurance_medical(),
            ),
            (
                shebao_app::medical::MATERNITY,
                lang.words().insurance_maternity(),
            ),
        ],
        draft,
    })
}

/// The cashier's desk as a whole page.
pub(crate) fn cashier_page(
    lang: Lang,
    status: StatusCode,
    browser: &Browser,
    view: &CashierView,
) -> Response {
    page(
        lang,
        status,
        Some(browser),
        &cashier_desk(lang, browser, view),
    )
}

#[derive(askama::Template)]
#[template(path = "cashier/catalogue.html")]
struct CatalogueSearch<'a> {
    words: &'static dyn Words,
    q: &'a str,
    items: Option<&'a [shebao_app::medical::CatalogueItemView]>,
}

#[derive(askama::Template)]
#[template(path = "cashier/undo.html")]
struct UndoForm<'a> {
    words: &'static dyn Words,
    csrf: &'a str,
    key: String,
    bill: &'a str,
    reason: &'a str,
}

/// A catalogue item's price limit in yuan, or that it has none.
pub(crate) fn limit_price(
    words: &dyn Words,
    item: &shebao_app::medical::CatalogueItemView,
) -> String {
    item.limit_price_fen
        .map_or_else(|| words.no_limit().to_owned(), yuan)
}

/// Parts per million as a percentage, to a hundredth (`100000` is `10%`).
pub(crate) fn percent(ppm: i64) -> String {
    let hundredths = ppm / 100;
    match hundredths % 100 {
        0 => format!("{}%", hundredths / 100),
        rest => format!("{}.{rest:02}%", hundredths / 100),
    }
}

/// The receipt of a settled bill, or of its undoing: the bill, its state, when, who served,
/// and the split.
fn settlement_receipt(
    lang: Lang,
    browser: &Browser,
    clock: crate::portal::i18n::LocalClock,
    split: &SettlementView,
    reason: &str,
) -> String {
    let words = lang.words();
    let [bill, status, time, by] = words.settlement_receipt_columns();
    let (title, at) = if split.status == "undone" {
        (words.receipt_undo(), split.undone_at.as_deref())
    } else {
        (words.receipt_settlement(), split.settled_at.as_deref())
    };
    let mut lines = vec![
        (bill, split.bill_number.clone()),
        (status, settlement_status(lang, &split.status).to_owned()),
        (time, at.map_or_else(|| "-".to_owned(), |at| clock.time(at))),
        (by, browser.actor.username.clone()),
    ];
    if split.status == "undone" && !reason.is_empty() {
        lines.push((words.undo_reason(), reason.to_owned()));
    }
    receipt(lang, title, &lines, &split_table(lang, split))
}

pub(crate) fn cashier_desk(lang: Lang, browser: &Browser, view: &CashierView) -> String {
    let mut body = format!(
        "<h1>{title}</h1>{message}<p><a href=\"/ecard/check\">{check}</a></p>\
         <section class=\"card\" aria-labelledby=\"query\"><h2 id=\"query\">{query_title}</h2>\
         <form method=\"post\" action=\"/cashier/query\" autocomplete=\"off\">{guard}\
         {who}\
         <button type=\"submit\">{find}</button></form></section>",
        title = lang.words().cashier_desk(),
        message = view.message,
        check = lang.words().check_nav(),
        query_title = lang.words().find_insured(),
        guard = form_guard(browser),
        who = WhoDraft::default().fields(lang, "query"),
        find = lang.words().find(),
    );
    if let Some(insured) = &view.insured {
        body.push_str(&insured_details(lang, insured));
    }
    if let Some(split) = &view.split {
        body.push_str(&match (split.status.as_str(), view.clock) {
            ("settled" | "undone", Some(clock)) => {
                settlement_receipt(lang, browser, clock, split, &view.undo_reason)
            }
            _ => format!(
                "<section class=\"card\">{}</section>",
                split_table(lang, split)
            ),
        });
    }
    body.push_str(&bill_form(lang, browser, &view.draft));
    body.push_str(&html(&CatalogueSearch {
        words: lang.words(),
        q: &view.catalogue_query,
        items: view.catalogue.as_deref(),
    }));
    body.push_str(&html(&UndoForm {
        words: lang.words(),
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        bill: &view.undo_bill,
        reason: &view.undo_reason,
    }));
    body
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

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
            insurance_type: "310".into(),
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
}
