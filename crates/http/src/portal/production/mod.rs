//! Card production's desks (issue 18): here the bureau's production desk — the vendors with
//! their standing, one vendor's credentials and products, a product's gate in a region with
//! the approval, audit, change and batch forms, the batches, the region's master keys by id
//! — and what both desks show (the gate, the products, the batches); `vendor` is a card
//! vendor's desk: its standing, its products and a product's gate with the form to record a
//! test card, its batches and their shipment; `pickup` is the pick-up desk (a region's
//! points, a point's shipments counted and its uncollected cards recalled) and the
//! production desk's section of points.

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::production::{
    ApprovalView, BatchView, CredentialView, GateQuery, GateView, KeyQuery, MasterKeyView,
    NewBatch, NewCardProduct, NewCardVendor, NewCredential, NewGateApproval, NewMasterKey,
    NewTestCardAudit, PointView, ProductChangeRequest, ProductView, TestCardView,
    UniversalityCheck, VendorView,
};
use shebao_app::{Actor, App, AppError};
use shebao_domain::access::Role;
use shebao_domain::production::UNIVERSALITY_CHECKS;

use crate::Shared;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{desk_only, done_or_refused, html, refused};
use crate::portal::session::{Browser, Visit, blocking};
use crate::portal::words::Words;

mod pickup;
mod vendor;

pub(crate) use vendor::vendor_home;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/production", get(desk))
        .route("/production/vendors", post(register_vendor))
        .route("/production/credentials", post(record_credential))
        .route("/production/products", post(register_product))
        .route("/production/changes", post(change_product))
        .route("/production/approvals", post(record_approval))
        .route("/production/audits", post(record_audit))
        .route("/production/keys", post(create_key))
        .route("/production/batches", post(create_batch))
        .route("/vendor", get(vendor::vendor_desk))
        .route("/vendor/test-cards", post(vendor::submit_test_card))
        .route("/vendor/ship", post(vendor::ship_batch))
        .route("/vendor/sealing-key", post(vendor::register_sealing_key))
        .route("/vendor/file", get(vendor::download_part))
        .route("/production/file", post(generate_file))
        .route("/production/points", post(pickup::register_point))
        .route("/pickup", get(pickup::pickup_desk))
        .route("/pickup/receive", post(pickup::receive))
        .route("/pickup/recall", post(pickup::recall))
        .route("/pickup/destroy", post(pickup::destroy))
        .route("/pickup/mail/post", post(pickup::post_card))
        .route("/pickup/mail/report", post(pickup::report_mail))
}

table_template!(VendorsTable, "production/vendors.html", VendorView);
table_template!(
    CredentialsTable,
    "production/credentials.html",
    CredentialView
);
table_template!(
    ProductsTable, "production/products.html", ProductView, desk: &'a str, region: &'a str);
table_template!(ApprovalsTable, "production/approvals.html", ApprovalView);
table_template!(
    TestCardsTable,
    "production/test_cards.html",
    TestCardView,
    desk: &'a str,
    csrf: &'a str,
    product: &'a str,
    region: &'a str,
    today: &'a str,
    checks: &'a [&'a str],
);
table_template!(KeysTable, "production/keys.html", MasterKeyView);
table_template!(
    BatchesTable,
    "production/batches.html",
    BatchView,
    desk: &'a str,
    csrf: &'a str,
    clock: LocalClock,
);

#[derive(askama::Template)]
#[template(path = "production/desk.html")]
struct DeskPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    csrf: &'a str,
    vendors: String,
    vendor: String,
    selected_vendor: &'a str,
    selected_product: &'a str,
    key_region: &'a str,
    keys: String,
    points: String,
    batches: String,
}

#[derive(askama::Template)]
#[template(path = "production/vendor.html")]
struct VendorPart<'a> {
    words: &'static dyn Words,
    csrf: &'a str,
    today: &'a str,
    vendor: &'a VendorView,
    credentials: String,
    products: String,
}

#[derive(askama::Template)]
#[template(path = "production/gate.html")]
struct GatePart<'a> {
    words: &'static dyn Words,
    csrf: &'a str,
    today: &'a str,
    desk: &'a str,
    product: &'a ProductView,
    gate: &'a GateView,
    approvals: String,
    test_cards: String,
}

/// What the desks show: a vendor, a product's gate in a region, a region's keys.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct DeskQuery {
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    key_region: String,
}

impl DeskQuery {
    fn of_product(product: &str, region: &str) -> DeskQuery {
        DeskQuery {
            product: product.to_owned(),
            region: region.to_owned(),
            ..DeskQuery::default()
        }
    }
}

/// A product and its gate in `region` (the vendor's own region when none is asked for).
fn product_and_gate(
    app: &App,
    actor: &Actor,
    product: &str,
    region: &str,
    vendor_region: &str,
) -> Result<(ProductView, GateView), AppError> {
    let product = app.card_product(actor, product)?;
    let region = if region.trim().is_empty() {
        vendor_region
    } else {
        region.trim()
    };
    let gate = app.production_gate(
        actor,
        &product.id,
        GateQuery {
            region: region.to_owned(),
        },
    )?;
    Ok((product, gate))
}

/// The gate as HTML, with the forms `desk` may use.
fn gate_html(
    words: &'static dyn Words,
    browser: &Browser,
    (desk, today): (&str, &str),
    (product, gate): (&ProductView, &GateView),
) -> String {
    html(&GatePart {
        words,
        csrf: &browser.csrf,
        today,
        desk,
        product,
        gate,
        approvals: html(&ApprovalsTable {
            words,
            rows: &gate.approvals,
        }),
        test_cards: html(&TestCardsTable {
            words,
            rows: &gate.test_cards,
            desk,
            csrf: &browser.csrf,
            product: &product.id,
            region: &gate.region,
            today,
            checks: &UNIVERSALITY_CHECKS,
        }),
    })
}

/// Everything the production desk shows, read at once.
struct Desk {
    vendors: Vec<VendorView>,
    vendor: Option<(VendorView, Vec<ProductView>)>,
    gate: Option<Result<(ProductView, GateView), AppError>>,
    key_region: String,
    keys: Vec<MasterKeyView>,
    points: Vec<PointView>,
    batches: Vec<BatchView>,
    clock: LocalClock,
    today: String,
}

fn load_desk(app: &App, actor: &Actor, query: &DeskQuery) -> Result<Desk, AppError> {
    let vendors = app.card_vendors(actor)?;
    let product = (!query.product.trim().is_empty())
        .then(|| app.card_product(actor, query.product.trim()))
        .transpose()?;
    let vendor_id = product
        .as_ref()
        .map_or_else(|| query.vendor.trim().to_owned(), |p| p.vendor_id.clone());
    let vendor = if vendor_id.is_empty() {
        None
    } else {
        let view = app.card_vendor(actor, &vendor_id)?;
        let products = app.card_products(actor, &vendor_id)?;
        Some((view, products))
    };
    let gate = match (&product, &vendor) {
        (Some(product), Some((view, _))) => Some(product_and_gate(
            app,
            actor,
            &product.id,
            &query.region,
            &view.region,
        )),
        _ => None,
    };
    let key_region = [
        query.key_region.trim(),
        vendor.as_ref().map_or("", |(v, _)| v.region.as_str()),
        vendors.first().map_or("", |v| v.region.as_str()),
    ]
    .into_iter()
    .find(|r| !r.is_empty())
    .unwrap_or_default()
    .to_owned();
    let keys = if key_region.is_empty() {
        Vec::new()
    } else {
        app.card_master_keys(
            actor,
            KeyQuery {
                region: key_region.clone(),
            },
        )?
    };
    // No region yet (no vendor, none asked for): no points shown, none registered.
    let points = if key_region.is_empty() {
        Vec::new()
    } else {
        pickup::region_points(app, actor, &key_region)?.1
    };
    let clock = LocalClock::read(app, actor);
    Ok(Desk {
        vendors,
        vendor,
        gate,
        key_region,
        keys,
        points,
        batches: app.production_batches(actor)?,
        today: clock.today(app).to_string(),
        clock,
    })
}

/// The production desk as HTML: `outcome` above it.
async fn desk_html(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    query: DeskQuery,
    outcome: String,
) -> String {
    let actor = browser.actor.clone();
    let asked = query.clone();
    let loaded = blocking(s, move |app| load_desk(app, &actor, &asked)).await;
    let desk = match loaded {
        Ok(desk) => desk,
        Err(error) => return format!("{outcome}{}", refused(lang, &error)),
    };
    let words = lang.words();
    let vendor = match &desk.vendor {
        None => String::new(),
        Some((view, products)) => {
            let part = html(&VendorPart {
                words,
                csrf: &browser.csrf,
                today: &desk.today,
                vendor: view,
                credentials: html(&CredentialsTable {
                    words,
                    rows: &view.credentials,
                }),
                products: html(&ProductsTable {
                    words,
                    rows: products,
                    desk: "production",
                    region: query.region.trim(),
                }),
            });
            let gate = match &desk.gate {
                None => String::new(),
                Some(Ok((product, gate))) => {
                    gate_html(words, browser, ("production", &desk.today), (product, gate))
                }
                Some(Err(error)) => refused(lang, error),
            };
            part + &gate
        }
    };
    html(&DeskPage {
        words,
        outcome,
        csrf: &browser.csrf,
        vendors: html(&VendorsTable {
            words,
            rows: &desk.vendors,
        }),
        vendor,
        selected_vendor: query.vendor.trim(),
        selected_product: query.product.trim(),
        key_region: &desk.key_region,
        keys: html(&KeysTable {
            words,
            rows: &desk.keys,
        }),
        points: pickup::points_table(words, &desk.points),
        batches: html(&BatchesTable {
            words,
            rows: &desk.batches,
            desk: "production",
            csrf: &browser.csrf,
            clock: desk.clock,
        }),
    })
}

/// The production desk on the home page.
pub(crate) async fn home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    desk_html(s, lang, browser, DeskQuery::default(), String::new()).await
}

async fn desk_page(
    visit: &Visit,
    query: DeskQuery,
    (status, outcome): (StatusCode, String),
) -> Response {
    let Visit { s, browser, lang } = visit;
    let body = desk_html(s, *lang, browser, query, outcome).await;
    crate::portal::page::page(*lang, status, Some(browser), &body)
}

async fn desk(visit: Visit, Query(query): Query<DeskQuery>) -> Response {
    if let Some(refusal) = desk_only(visit.lang, &visit.browser, Role::ProductionOfficer) {
        return refusal;
    }
    desk_page(&visit, query, (StatusCode::OK, String::new())).await
}

#[derive(Deserialize)]
pub(crate) struct VendorForm {
    csrf: String,
    key: String,
    credit_code: String,
    name: String,
    region: String,
    contact: String,
}

#[derive(Deserialize)]
pub(crate) struct CredentialForm {
    csrf: String,
    key: String,
    vendor: String,
    kind: String,
    number: String,
    issued_on: String,
    valid_until: String,
}

#[derive(Deserialize)]
pub(crate) struct ProductForm {
    csrf: String,
    key: String,
    vendor: String,
    name: String,
    generation: String,
    chip: String,
    operating_system: String,
    face_design: String,
    face_version: String,
    file_structure_version: String,
}

#[derive(Deserialize)]
pub(crate) struct ChangeForm {
    csrf: String,
    key: String,
    product: String,
    region: String,
    what: String,
    value: String,
    note: String,
}

#[derive(Deserialize)]
pub(crate) struct ApprovalForm {
    csrf: String,
    key: String,
    product: String,
    region: String,
    step: String,
    reference: String,
    approved_on: String,
}

/// An audit's form: the universality checks are checkboxes, present when ticked.
#[derive(Deserialize)]
pub(crate) struct AuditForm {
    csrf: String,
    key: String,
    test_card: String,
    product: String,
    region: String,
    audit: String,
    passed: String,
    audited_on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    application_files: Option<String>,
    #[serde(default)]
    national_keys: Option<String>,
    #[serde(default)]
    external_authentication: Option<String>,
    #[serde(default)]
    read: Option<String>,
    #[serde(default)]
    update: Option<String>,
    #[serde(default)]
    internal_authentication: Option<String>,
    #[serde(default)]
    medical_consumption: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct KeyForm {
    csrf: String,
    key: String,
    region: String,
    purpose: String,
}

#[derive(Deserialize)]
pub(crate) struct BatchForm {
    csrf: String,
    key: String,
    product: String,
    region: String,
    cards: String,
}

#[derive(Deserialize)]
pub(crate) struct FileForm {
    csrf: String,
    key: String,
    batch: String,
}

posted_form!(Some(Role::ProductionOfficer) =>
    VendorForm, CredentialForm, ProductForm, ChangeForm, ApprovalForm, AuditForm, KeyForm,
    BatchForm, FileForm);

async fn register_vendor(Posted(visit, _, form): Posted<VendorForm>) -> Response {
    let request = NewCardVendor {
        credit_code: form.credit_code.trim().to_owned(),
        name: form.name.trim().to_owned(),
        region: form.region.trim().to_owned(),
        contact: form.contact.trim().to_owned(),
    };
    let key = form.key;
    let registered = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.register_card_vendor(actor, &key, request)
        })
        .await;
    let query = DeskQuery {
        vendor: registered
            .as_ref()
            .map(|v| v.id.clone())
            .unwrap_or_default(),
        ..DeskQuery::default()
    };
    let shown = done_or_refused(
        visit.lang,
        &registered,
        visit.lang.words().vendor_registered_done(),
    );
    desk_page(&visit, query, shown).await
}

async fn record_credential(Posted(visit, _, form): Posted<CredentialForm>) -> Response {
    let request = NewCredential {
        kind: form.kind.trim().to_owned(),
        number: form.number.trim().to_owned(),
        issued_on: form.issued_on.trim().to_owned(),
        valid_until: form.valid_until.trim().to_owned(),
    };
    let (key, vendor) = (form.key, form.vendor.clone());
    let recorded = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.record_vendor_credential(actor, &key, &vendor, request)
        })
        .await;
    let query = DeskQuery {
        vendor: form.vendor,
        ..DeskQuery::default()
    };
    let shown = done_or_refused(visit.lang, &recorded, visit.lang.words().credential_done());
    desk_page(&visit, query, shown).await
}

async fn register_product(Posted(visit, _, form): Posted<ProductForm>) -> Response {
    let request = NewCardProduct {
        name: form.name.trim().to_owned(),
        generation: form.generation.trim().to_owned(),
        chip: form.chip.trim().to_owned(),
        operating_system: form.operating_system.trim().to_owned(),
        face_design: form.face_design.trim().to_owned(),
        face_version: form.face_version.trim().to_owned(),
        file_structure_version: form.file_structure_version.trim().to_owned(),
    };
    let (key, vendor) = (form.key, form.vendor.clone());
    let registered = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.register_card_product(actor, &key, &vendor, request)
        })
        .await;
    let query = DeskQuery {
        vendor: form.vendor,
        product: registered
            .as_ref()
            .map(|p| p.id.clone())
            .unwrap_or_default(),
        ..DeskQuery::default()
    };
    let shown = done_or_refused(visit.lang, &registered, visit.lang.words().product_done());
    desk_page(&visit, query, shown).await
}

async fn change_product(Posted(visit, _, form): Posted<ChangeForm>) -> Response {
    let request = ProductChangeRequest {
        what: form.what.trim().to_owned(),
        value: form.value.trim().to_owned(),
        note: form.note.trim().to_owned(),
    };
    let (key, product) = (form.key, form.product.clone());
    let changed = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.change_card_product(actor, &key, &product, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &changed, visit.lang.words().change_done());
    desk_page(
        &visit,
        DeskQuery::of_product(&form.product, &form.region),
        shown,
    )
    .await
}

async fn record_approval(Posted(visit, _, form): Posted<ApprovalForm>) -> Response {
    let request = NewGateApproval {
        region: form.region.trim().to_owned(),
        step: form.step.trim().to_owned(),
        reference: form.reference.trim().to_owned(),
        approved_on: form.approved_on.trim().to_owned(),
    };
    let (key, product) = (form.key, form.product.clone());
    let recorded = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.record_gate_approval(actor, &key, &product, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &recorded, visit.lang.words().approval_done());
    desk_page(
        &visit,
        DeskQuery::of_product(&form.product, &form.region),
        shown,
    )
    .await
}

impl AuditForm {
    /// The audit as the application takes it: the universality test's seven checks, each
    /// passed when ticked; no checks for the other audits.
    fn audit(&self) -> NewTestCardAudit {
        let ticked = [
            &self.application_files,
            &self.national_keys,
            &self.external_authentication,
            &self.read,
            &self.update,
            &self.internal_authentication,
            &self.medical_consumption,
        ];
        let checks = if self.audit.trim() == "universality" {
            UNIVERSALITY_CHECKS
                .iter()
                .zip(ticked)
                .map(|(check, value)| UniversalityCheck {
                    check: (*check).to_owned(),
                    passed: value.as_deref() == Some("yes"),
                })
                .collect()
        } else {
            Vec::new()
        };
        let note = self.note.trim();
        NewTestCardAudit {
            audit: self.audit.trim().to_owned(),
            passed: self.passed == "yes",
            checks,
            note: (!note.is_empty()).then(|| note.to_owned()),
            audited_on: self.audited_on.trim().to_owned(),
        }
    }
}

async fn record_audit(Posted(visit, _, form): Posted<AuditForm>) -> Response {
    let request = form.audit();
    let (key, card) = (form.key.clone(), form.test_card.clone());
    let recorded = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.record_test_card_audit(actor, &key, &card, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &recorded, visit.lang.words().audit_done());
    desk_page(
        &visit,
        DeskQuery::of_product(&form.product, &form.region),
        shown,
    )
    .await
}

async fn create_key(Posted(visit, _, form): Posted<KeyForm>) -> Response {
    let request = NewMasterKey {
        region: form.region.trim().to_owned(),
        purpose: form.purpose.trim().to_owned(),
    };
    let key = form.key;
    let created = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.create_card_master_key(actor, &key, request)
        })
        .await;
    let query = DeskQuery {
        key_region: form.region.trim().to_owned(),
        ..DeskQuery::default()
    };
    let shown = done_or_refused(visit.lang, &created, visit.lang.words().key_done());
    desk_page(&visit, query, shown).await
}

async fn create_batch(Posted(visit, _, form): Posted<BatchForm>) -> Response {
    let made = match form.cards.trim().parse::<u32>() {
        Ok(cards) => {
            let request = NewBatch {
                product: form.product.clone(),
                region: form.region.trim().to_owned(),
                cards,
            };
            let key = form.key;
            visit
                .browser
                .call(&visit.s, move |app, actor| {
                    app.create_production_batch(actor, &key, request)
                })
                .await
        }
        Err(_) => Err(AppError::invalid("cards", "a whole number of cards")),
    };
    let shown = done_or_refused(visit.lang, &made, visit.lang.words().batch_created_done());
    desk_page(
        &visit,
        DeskQuery::of_product(&form.product, &form.region),
        shown,
    )
    .await
}

/// The desk generates an open batch's personalisation file (at most 100,000 cards: seconds;
/// `shebao production file` shows the progress of a large one).
async fn generate_file(Posted(visit, _, form): Posted<FileForm>) -> Response {
    let (key, batch) = (form.key, form.batch);
    let made = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.generate_personalisation_file(actor, &key, &batch, &mut |_, _| {})
        })
        .await;
    let shown = done_or_refused(visit.lang, &made, visit.lang.words().file_generated_done());
    desk_page(&visit, DeskQuery::default(), shown).await
}
