//! A card vendor's desk: its standing, its products, a product's gate in a region with the
//! form to record a test card, its sealing key with the form to register a new one, and its
//! batches with their personalisation files' parts to download and the shipment of those
//! fully reported.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::production::{NewSealingKey, NewTestCard, SealingKeyView, VendorView};
use shebao_domain::access::Role;

use super::{
    BatchesTable, CredentialsTable, DeskQuery, ProductsTable, gate_html, product_and_gate,
};
use crate::Shared;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::{desk_only, done_or_refused, html, refusal_page, refused};
use crate::portal::session::{Browser, Visit, blocking};
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "production/vendor_desk.html")]
struct VendorDeskPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    vendor: &'a VendorView,
    csrf: &'a str,
    sealing: Option<SealingKeyView>,
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

#[derive(Deserialize)]
pub(crate) struct SealingKeyForm {
    csrf: String,
    key: String,
    public_key: String,
}

/// Which part of which batch's file to download.
#[derive(Deserialize)]
pub(crate) struct PartQuery {
    #[serde(default)]
    batch: String,
    #[serde(default)]
    part: String,
}

posted_form!(Some(Role::CardVendor) => TestCardForm, ShipForm, SealingKeyForm);

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
        let sealing = match app.sealing_key(&actor, &vendor) {
            Ok(key) => Some(key),
            Err(AppError::NotFound(_)) => None,
            Err(error) => return Err(error),
        };
        let loaded = (view, products, gate, (today, clock), batches, query.region);
        Ok::<_, AppError>((loaded, sealing))
    })
    .await;
    let ((view, products, gate, (today, clock), batches, region), sealing) = match loaded {
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
        csrf: &browser.csrf,
        sealing,
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

pub(super) async fn register_sealing_key(
    Posted(visit, _, form): Posted<SealingKeyForm>,
) -> Response {
    let request = NewSealingKey {
        public_key: form.public_key.trim().to_owned(),
    };
    let key = form.key;
    let registered = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.register_sealing_key(actor, &key, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &registered, visit.lang.words().sealing_done());
    vendor_page(&visit, DeskQuery::default(), shown).await
}

/// One sealed part of the vendor's own batch's file, as the API answers it, to save (the
/// vendor's tool opens it: `shebao production open-part`).
pub(super) async fn download_part(visit: Visit, Query(query): Query<PartQuery>) -> Response {
    if let Some(refusal) = desk_only(visit.lang, &visit.browser, Role::CardVendor) {
        return refusal;
    }
    let (batch, part) = (query.batch.clone(), query.part.clone());
    let found = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.personalisation_part(actor, &batch, &part)
        })
        .await;
    match found.and_then(|part| {
        serde_json::to_vec(&part)
            .map(|body| (part, body))
            .map_err(|e| AppError::Internal(e.to_string()))
    }) {
        Ok((part, body)) => {
            let name = format!("{}-part-{:03}.json", part.batch_id, part.part);
            let disposition = format!("attachment; filename=\"{name}\"");
            (
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        "application/json".to_owned(),
                    ),
                    (axum::http::header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response()
        }
        Err(error) => refusal_page(visit.lang, Some(&visit.browser), &error),
    }
}
