//! A card vendor's desk: its standing, its products, a product's gate in a region with the
//! form to record a test card, and its batches with the shipment of those fully reported.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::production::{NewTestCard, VendorView};
use shebao_domain::access::Role;

use super::{
    BatchesTable, CredentialsTable, DeskQuery, ProductsTable, gate_html, product_and_gate,
};
use crate::Shared;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::{desk_only, done_or_refused, html, refused};
use crate::portal::session::{Browser, Visit, blocking};
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "production/vendor_desk.html")]
struct VendorDeskPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    vendor: &'a VendorView,
    credentials: String,
    products: String,
    gate: String,
    batches: String,
}

#[derive(Deserialize)]
pub(crate) struct TestCardForm {
    csrf: String,
    key: String,
    product: String,
    region: String,
    serial: String,
    made_on: String,
}

#[derive(Deserialize)]
pub(crate) struct ShipForm {
    csrf: String,
    key: String,
    batch: String,
}

posted_form!(Some(Role::CardVendor) => TestCardForm, ShipForm);

/// The vendor's desk as HTML: `outcome` above it.
async fn vendor_html(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    query: DeskQuery,
    outcome: String,
) -> String {
    let actor = browser.actor.clone();
    let vendor = actor.scope.vendor_id.clone().unwrap_or_default();
    let loaded = blocking(s, move |app| {
        let view = app.card_vendor(&actor, &vendor)?;
        let products = app.card_products(&actor, &vendor)?;
        let gate = (!query.product.trim().is_empty()).then(|| {
            product_and_gate(
                app,
                &actor,
                query.product.trim(),
                &query.region,
                &view.region,
            )
        });
        let clock = LocalClock::read(app, &actor);
        let batches = app.production_batches(&actor)?;
        let today = clock.today(app).to_string();
        Ok::<_, AppError>((view, products, gate, (today, clock), batches, query.region))
    })
    .await;
    let (view, products, gate, (today, clock), batches, region) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return format!("{outcome}{}", refused(lang, &error)),
    };
    let words = lang.words();
    let gate = match &gate {
        None => String::new(),
        Some(Ok((product, gate))) => gate_html(words, browser, ("vendor", &today), (product, gate)),
        Some(Err(error)) => refused(lang, error),
    };
    html(&VendorDeskPage {
        words,
        outcome,
        vendor: &view,
        credentials: html(&CredentialsTable {
            words,
            rows: &view.credentials,
        }),
        products: html(&ProductsTable {
            words,
            rows: &products,
            desk: "vendor",
            region: region.trim(),
        }),
        gate,
        batches: html(&BatchesTable {
            words,
            rows: &batches,
            desk: "vendor",
            csrf: &browser.csrf,
            clock,
        }),
    })
}

/// The vendor's desk on the home page.
pub(crate) async fn vendor_home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    vendor_html(s, lang, browser, DeskQuery::default(), String::new()).await
}

/// The vendor's desk as a whole page: `outcome` above it, with its status.
async fn vendor_page(
    visit: &Visit,
    query: DeskQuery,
    (status, outcome): (StatusCode, String),
) -> Response {
    let Visit { s, browser, lang } = visit;
    let body = vendor_html(s, *lang, browser, query, outcome).await;
    crate::portal::page::page(*lang, status, Some(browser), &body)
}

pub(super) async fn vendor_desk(visit: Visit, Query(query): Query<DeskQuery>) -> Response {
    if let Some(refusal) = desk_only(visit.lang, &visit.browser, Role::CardVendor) {
        return refusal;
    }
    vendor_page(&visit, query, (StatusCode::OK, String::new())).await
}

pub(super) async fn submit_test_card(Posted(visit, _, form): Posted<TestCardForm>) -> Response {
    let request = NewTestCard {
        region: form.region.trim().to_owned(),
        serial: form.serial.trim().to_owned(),
        made_on: form.made_on.trim().to_owned(),
    };
    let (key, product) = (form.key, form.product.clone());
    let recorded = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.submit_test_card(actor, &key, &product, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &recorded, visit.lang.words().test_card_done());
    let query = DeskQuery::of_product(&form.product, &form.region);
    vendor_page(&visit, query, shown).await
}

pub(super) async fn ship_batch(Posted(visit, _, form): Posted<ShipForm>) -> Response {
    let (key, batch) = (form.key, form.batch);
    let shipped = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.ship_production_batch(actor, &key, &batch)
        })
        .await;
    let shown = done_or_refused(
        visit.lang,
        &shipped,
        visit.lang.words().batch_shipped_done(),
    );
    vendor_page(&visit, DeskQuery::default(), shown).await
}
