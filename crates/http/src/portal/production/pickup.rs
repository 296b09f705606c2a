//! The pick-up desk (issue 18, item 5): a region's pick-up points and, at one of them, its
//! shipments — each on its way counted once by the point's own staff (the cards found and
//! the identification codes of those missing) — and the cards left past the region's
//! period, which its staff recall; at the region's default point, the cards to post (the
//! address for the label), each recorded posted and then delivered or brought back by its
//! clerks. The bureau's clerks serve service centres, a bank's
//! tellers their own branch's point; the production desk and the auditor read. The
//! production desk's own section of a region's points, with the form registering one, is
//! here too.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::production::{
    Destruction, MailCardView, MailPosting, MailReport, NewPickupPoint, PointQuery, PointView,
    RecalledCardView, RecalledView, ShipmentReceipt, ShipmentView, UncollectedView,
    WaitingCardView, serves,
};
use shebao_app::{Actor, App, AppError};
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{done_or_refused, forbidden, html, refused};
use crate::portal::session::{Browser, Visit, blocking};
use crate::portal::words::Words;

table_template!(PointsTable, "pickup/points.html", PointView);
table_template!(
    ShipmentsTable,
    "pickup/shipments.html",
    ShipmentView,
    csrf: &'a str,
    serving: bool,
    point: &'a str,
    region: &'a str,
    clock: LocalClock,
);
table_template!(UncollectedTable, "pickup/uncollected.html", WaitingCardView);
table_template!(RecalledTable, "pickup/recalled.html", RecalledCardView);
table_template!(
    MailTable,
    "pickup/mail.html",
    MailCardView,
    csrf: &'a str,
    point: &'a str,
    region: &'a str,
);

#[derive(askama::Template)]
#[template(path = "pickup/desk.html")]
struct DeskPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    region: &'a str,
    points: String,
    point: String,
}

#[derive(askama::Template)]
#[template(path = "pickup/point.html")]
struct PointPart<'a> {
    words: &'static dyn Words,
    csrf: &'a str,
    point: &'a PointView,
    serving: bool,
    shipments: String,
    no_period: bool,
    uncollected: String,
    waiting_late: usize,
    /// The cards to post, at the default point for its own clerks.
    mail: Option<String>,
    recalled: String,
    /// The recalled cards' ids, comma-separated, for the destruction form.
    recalled_ids: String,
}

/// The region shown, and the point opened in it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PickupQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    point: String,
}

/// Who uses the pick-up desk: the staff who serve points, the production desk and the
/// auditor, who read.
const PICKUP_ROLES: [Role; 4] = [
    Role::BureauClerk,
    Role::BankTeller,
    Role::ProductionOfficer,
    Role::Auditor,
];

/// A region's points as a table (the production desk's section shows it too).
pub(super) fn points_table(words: &'static dyn Words, points: &[PointView]) -> String {
    html(&PointsTable {
        words,
        rows: points,
    })
}

/// A region's points: the region asked for, or else the first region of the reference data.
pub(super) fn region_points(
    app: &App,
    actor: &Actor,
    region: &str,
) -> Result<(String, Vec<PointView>), AppError> {
    let region = match region.trim() {
        "" => app
            .regions(actor)?
            .into_iter()
            .next()
            .map(|r| r.code)
            .unwrap_or_default(),
        asked => asked.to_owned(),
    };
    if region.is_empty() {
        return Ok((region, Vec::new()));
    }
    let points = app.pickup_points(
        actor,
        PointQuery {
            region: region.clone(),
        },
    )?;
    Ok((region, points))
}

/// What the desk shows, read at once.
struct Loaded {
    region: String,
    points: Vec<PointView>,
    point: Option<AtPoint>,
    clock: LocalClock,
}

/// One point opened: its shipments, its late cards and, at the default point for its own
/// clerks, its cards to post.
struct AtPoint {
    point: PointView,
    shipments: Vec<ShipmentView>,
    late: UncollectedView,
    mail: Option<Vec<MailCardView>>,
    recalled: RecalledView,
}

fn load(app: &App, actor: &Actor, query: &PickupQuery) -> Result<Loaded, AppError> {
    let (region, points) = region_points(app, actor, &query.region)?;
    let point = match query.point.trim() {
        "" => None,
        id => {
            let shipped = app.point_shipments(actor, id)?;
            let late = app.uncollected_cards(actor, id)?;
            let point = shipped.point;
            // Cards are posted from the default point; its list names addresses (a look-up,
            // audited), so only its own staff read it.
            let posts = point.default && serves(actor, &point.kind, point.branch.as_deref());
            let mail = if posts {
                Some(app.mail_queue(actor, id)?.cards)
            } else {
                None
            };
            Some(AtPoint {
                point,
                shipments: shipped.shipments,
                late,
                mail,
                recalled: app.recalled_cards(actor, id)?,
            })
        }
    };
    Ok(Loaded {
        region,
        points,
        point,
        clock: LocalClock::read(app, actor),
    })
}

async fn desk_html(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    query: PickupQuery,
    outcome: String,
) -> String {
    let actor = browser.actor.clone();
    let asked = query.clone();
    let loaded = match blocking(s, move |app| load(app, &actor, &asked)).await {
        Ok(loaded) => loaded,
        Err(error) => return format!("{outcome}{}", refused(lang, &error)),
    };
    let words = lang.words();
    let point = match &loaded.point {
        None => String::new(),
        Some(AtPoint {
            point,
            shipments,
            late,
            mail,
            recalled,
        }) => {
            let serving = serves(&browser.actor, &point.kind, point.branch.as_deref());
            html(&PointPart {
                words,
                csrf: &browser.csrf,
                point,
                serving,
                shipments: html(&ShipmentsTable {
                    words,
                    rows: shipments,
                    csrf: &browser.csrf,
                    serving,
                    point: &point.id,
                    region: &point.region,
                    clock: loaded.clock,
                }),
                no_period: late.period_days.is_none(),
                uncollected: html(&UncollectedTable {
                    words,
                    rows: &late.cards,
                }),
                waiting_late: late.cards.len(),
                recalled: html(&RecalledTable {
                    words,
                    rows: &recalled.cards,
                }),
                recalled_ids: recalled
                    .cards
                    .iter()
                    .map(|c| c.card_id.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                mail: mail.as_ref().map(|rows| {
                    html(&MailTable {
                        words,
                        rows,
                        csrf: &browser.csrf,
                        point: &point.id,
                        region: &point.region,
                    })
                }),
            })
        }
    };
    html(&DeskPage {
        words,
        outcome,
        region: &loaded.region,
        points: points_table(words, &loaded.points),
        point,
    })
}

async fn desk_page(
    visit: &Visit,
    query: PickupQuery,
    (status, outcome): (StatusCode, String),
) -> Response {
    let Visit { s, browser, lang } = visit;
    let body = desk_html(s, *lang, browser, query, outcome).await;
    crate::portal::page::page(*lang, status, Some(browser), &body)
}

pub(super) async fn pickup_desk(visit: Visit, Query(query): Query<PickupQuery>) -> Response {
    if !PICKUP_ROLES.contains(&visit.browser.actor.role) {
        return forbidden(visit.lang, &visit.browser);
    }
    desk_page(&visit, query, (StatusCode::OK, String::new())).await
}

#[derive(Deserialize)]
pub(crate) struct ReceiptForm {
    csrf: String,
    key: String,
    shipment: String,
    point: String,
    region: String,
    counted: String,
    #[serde(default)]
    missing: String,
}

#[derive(Deserialize)]
pub(crate) struct RecallForm {
    csrf: String,
    key: String,
    point: String,
    region: String,
}

#[derive(Deserialize)]
pub(crate) struct PointForm {
    csrf: String,
    key: String,
    region: String,
    kind: String,
    #[serde(default)]
    branch: String,
    name: String,
    address: String,
    opening_hours: String,
    capacity: String,
    #[serde(default)]
    default: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct MailPostForm {
    csrf: String,
    key: String,
    card: String,
    point: String,
    region: String,
    carrier: String,
    tracking_number: String,
}

#[derive(Deserialize)]
pub(crate) struct MailReportForm {
    csrf: String,
    key: String,
    card: String,
    point: String,
    region: String,
    outcome: String,
    #[serde(default)]
    citizen_id: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub(crate) struct DestroyForm {
    csrf: String,
    key: String,
    point: String,
    region: String,
    /// The recalled cards shown, comma-separated.
    cards: String,
    method: String,
    witness: String,
    /// Ticked: every card listed is at the point and was destroyed before the witness.
    #[serde(default)]
    confirmed: String,
}

// The application decides who counts, recalls, posts and destroys at which point; the
// desk's points are the production desk's own.
posted_form!(None => ReceiptForm, RecallForm, MailPostForm, MailReportForm, DestroyForm);
posted_form!(Some(Role::ProductionOfficer) => PointForm);

pub(super) async fn receive(Posted(visit, _, form): Posted<ReceiptForm>) -> Response {
    let received = match form.counted.trim().parse::<i64>() {
        Ok(counted) => {
            let receipt = ShipmentReceipt {
                counted,
                missing: form
                    .missing
                    .lines()
                    .map(str::trim)
                    .filter(|code| !code.is_empty())
                    .map(str::to_owned)
                    .collect(),
            };
            let (key, shipment) = (form.key, form.shipment);
            visit
                .browser
                .call(&visit.s, move |app, actor| {
                    app.receive_shipment(actor, &key, &shipment, receipt)
                })
                .await
        }
        Err(_) => Err(AppError::invalid("counted", "a whole number of cards")),
    };
    let shown = done_or_refused(visit.lang, &received, visit.lang.words().receipt_done());
    let query = PickupQuery {
        region: form.region,
        point: form.point,
    };
    desk_page(&visit, query, shown).await
}

pub(super) async fn recall(Posted(visit, _, form): Posted<RecallForm>) -> Response {
    let (key, point) = (form.key, form.point.clone());
    let recalled = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.recall_uncollected(actor, &key, &point)
        })
        .await;
    let shown = done_or_refused(visit.lang, &recalled, visit.lang.words().recall_done());
    let query = PickupQuery {
        region: form.region,
        point: form.point,
    };
    desk_page(&visit, query, shown).await
}

/// The point's staff record the recalled cards shown destroyed.
pub(super) async fn destroy(Posted(visit, _, form): Posted<DestroyForm>) -> Response {
    if form.confirmed != "yes" {
        let shown = (
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::portal::page::notice("error", visit.lang.words().confirm_first()),
        );
        let query = PickupQuery {
            region: form.region,
            point: form.point,
        };
        return desk_page(&visit, query, shown).await;
    }
    let request = Destruction {
        cards: form
            .cards
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        method: form.method.trim().to_owned(),
        witness: form.witness.trim().to_owned(),
    };
    let (key, point) = (form.key, form.point.clone());
    let destroyed = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.destroy_cards(actor, &key, &point, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &destroyed, visit.lang.words().destroy_done());
    let query = PickupQuery {
        region: form.region,
        point: form.point,
    };
    desk_page(&visit, query, shown).await
}

/// The point's clerk records a card posted.
pub(super) async fn post_card(Posted(visit, _, form): Posted<MailPostForm>) -> Response {
    let posting = MailPosting {
        carrier: form.carrier.trim().to_owned(),
        tracking_number: form.tracking_number.trim().to_owned(),
    };
    let (key, card) = (form.key, form.card);
    let posted = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.post_card(actor, &key, &card, posting)
        })
        .await;
    let shown = done_or_refused(visit.lang, &posted, visit.lang.words().mail_posted_done());
    let query = PickupQuery {
        region: form.region,
        point: form.point,
    };
    desk_page(&visit, query, shown).await
}

/// The point's clerk records the carrier's report: delivered or brought back.
pub(super) async fn report_mail(Posted(visit, _, form): Posted<MailReportForm>) -> Response {
    let given = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    let report = MailReport {
        outcome: form.outcome.trim().to_owned(),
        citizen_id: given(&form.citizen_id),
        reason: given(&form.reason),
    };
    let (key, card) = (form.key, form.card);
    let reported = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.report_mail_delivery(actor, &key, &card, report)
        })
        .await;
    let shown = done_or_refused(
        visit.lang,
        &reported,
        visit.lang.words().mail_reported_done(),
    );
    let query = PickupQuery {
        region: form.region,
        point: form.point,
    };
    desk_page(&visit, query, shown).await
}

/// The production desk registers a region's pick-up point.
pub(super) async fn register_point(Posted(visit, _, form): Posted<PointForm>) -> Response {
    let registered = match form.capacity.trim().parse::<i64>() {
        Ok(capacity) => {
            let branch = form.branch.trim();
            let request = NewPickupPoint {
                region: form.region.trim().to_owned(),
                kind: form.kind.trim().to_owned(),
                branch: (!branch.is_empty()).then(|| branch.to_owned()),
                name: form.name.trim().to_owned(),
                address: form.address.trim().to_owned(),
                opening_hours: form.opening_hours.trim().to_owned(),
                capacity,
                default: form.default.as_deref() == Some("yes"),
            };
            let key = form.key;
            visit
                .browser
                .call(&visit.s, move |app, actor| {
                    app.register_pickup_point(actor, &key, request)
                })
                .await
        }
        Err(_) => Err(AppError::invalid("capacity", "a whole number of cards")),
    };
    let shown = done_or_refused(
        visit.lang,
        &registered,
        visit.lang.words().point_registered_done(),
    );
    let query = super::DeskQuery {
        key_region: form.region.trim().to_owned(),
        ..super::DeskQuery::default()
    };
    super::desk_page(&visit, query, shown).await
}
