//! The cardholder's unemployment insurance: registering as unemployed (which claims the
//! benefit), the registrations with their decisions and months, the benefit paid to the
//! card, the bureau's referrals and what is owed back. The record's tables are the clerk's
//! too (`record_html`), where the referrals carry their outcome forms.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::employment::referrals::{ReferralView, UnemploymentRecordView};
use shebao_app::employment::unemployment::{BenefitPaymentView, ReceivableView, SpellView};
use shebao_domain::access::Role;

use crate::portal::holder::{Holder, person_of};
use crate::portal::i18n::LocalClock;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{done_or_refused, html, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

table_template!(SpellsTable, "unemployment/spells.html", SpellView);
table_template!(
    PaymentsTable,
    "unemployment/payments.html",
    BenefitPaymentView
);
table_template!(
    ReferralsTable,
    "unemployment/referrals.html",
    ReferralView,
    csrf: &'a str,
    clock: LocalClock,
);
table_template!(
    TrainingReferralsTable,
    "unemployment/training_referrals.html",
    shebao_app::employment::referrals::TrainingReferralView,
    csrf: &'a str,
    clock: LocalClock,
);
table_template!(
    ReceivablesTable,
    "unemployment/receivables.html",
    ReceivableView
);

#[derive(askama::Template)]
#[template(path = "unemployment/record.html")]
struct RecordSections {
    words: &'static dyn Words,
    spells: String,
    payments: String,
    referrals: String,
    training_referrals: String,
    receivables: String,
}

/// A person's record as sections: spells and every payment, referrals to vacancies and to
/// courses (each with its outcome form when `csrf` is given: the clerk's), receivables.
pub(crate) fn record_html(
    words: &'static dyn Words,
    record: &UnemploymentRecordView,
    csrf: &str,
    clock: LocalClock,
) -> String {
    let payments: Vec<BenefitPaymentView> = record
        .spells
        .iter()
        .flat_map(|s| s.payments.iter().cloned())
        .collect();
    html(&RecordSections {
        words,
        spells: html(&SpellsTable {
            words,
            rows: &record.spells,
        }),
        payments: html(&PaymentsTable {
            words,
            rows: &payments,
        }),
        referrals: html(&ReferralsTable {
            words,
            rows: &record.referrals,
            csrf,
            clock,
        }),
        training_referrals: html(&TrainingReferralsTable {
            words,
            rows: &record.training_referrals,
            csrf,
            clock,
        }),
        receivables: html(&ReceivablesTable {
            words,
            rows: &record.receivables,
        }),
    })
}

/// Whether the person may register now: no registration of theirs is still open.
pub(crate) fn may_register(record: &UnemploymentRecordView) -> bool {
    !record
        .spells
        .iter()
        .any(|s| s.status == "registered" || s.status == "approved")
}

#[derive(askama::Template)]
#[template(path = "unemployment/holder.html")]
struct HolderPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    can_register: bool,
    csrf: &'a str,
    key: String,
    record: String,
}

async fn unemployment_page(visit: &Visit, (outcome, status): (String, StatusCode)) -> Response {
    let Visit { s, browser, lang } = visit;
    let person = person_of(browser);
    let loaded = browser
        .call(s, move |app, actor| {
            let record = app.unemployment_record(actor, &person)?;
            Ok::<_, AppError>((record, LocalClock::read(app, actor)))
        })
        .await;
    let (record, clock) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refusal_page(*lang, Some(browser), &error),
    };
    let words = lang.words();
    let body = HolderPage {
        words,
        outcome,
        can_register: may_register(&record),
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        record: record_html(words, &record, "", clock),
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn unemployment(holder: Holder) -> Response {
    unemployment_page(&holder.0, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct RegisterForm {
    csrf: String,
    key: String,
}

posted_form!(Some(Role::Cardholder) => RegisterForm);

pub(crate) async fn register(Posted(visit, _, form): Posted<RegisterForm>) -> Response {
    let (key, person) = (form.key, person_of(&visit.browser));
    let registered = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.register_unemployed(actor, &key, &person)
        })
        .await;
    let words = visit.lang.words();
    let (status, message) = done_or_refused(
        visit.lang,
        &registered,
        words.unemployment_registered_done(),
    );
    unemployment_page(&visit, (message, status)).await
}
