//! The handlers: extract, call one application function, answer.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use shebao_app::person::{NewPerson, PersonCorrection};
use shebao_app::reference::{NewBank, NewBranch, NewParameters, NewRegion};
use shebao_app::views::MoneyOutcome;
use shebao_store::AuditFilter;

use crate::Shared;
use crate::api::Listed;
use crate::extract::{Body, Key, Params, Path, Signed, answer, run};
use crate::problem::Problem;
use crate::sign_in_limit::{self, Peer};

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Lookup {
    citizen_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reason {
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    subject: Option<String>,
    limit: Option<i64>,
}

/// A holder's own enrolment (issue 13, finding 6): public, and limited per client address
/// like sign-in, since each attempt guesses at card data; a successful one gives its slot
/// back.
async fn enrol_holder_login(
    State(s): State<Shared>,
    Peer(peer): Peer,
    Body(body): Body<shebao_app::access::holder_logins::SelfEnrolment>,
) -> Response {
    let ticket = match sign_in_limit::admit(&s, peer).await {
        Ok(ticket) => ticket,
        Err(retry_after_seconds) => return sign_in_limit::too_many_requests(retry_after_seconds),
    };
    match run(&s, move |app| app.enrol_holder_login(body)).await {
        Ok(user) => {
            s.sign_in_limiter.succeeded(ticket);
            Json(user).into_response()
        }
        Err(problem) => problem.into_response(),
    }
}

/// Declares a handler that takes the actor, the idempotency key, path segments and a body,
/// and calls one application method. A macro because forty handlers differ only in names.
macro_rules! change {
    ($name:ident, $method:ident, path($($segment:ident),*), body($body:ty)) => {
        async fn $name(
            State(s): State<Shared>,
            Signed(actor): Signed,
            Key(key): Key,
            Path(($($segment,)*)): Path<($(change!(@string $segment),)*)>,
            Body(body): Body<$body>,
        ) -> Result<impl IntoResponse, Problem> {
            answer(&s, move |app| app.$method(&actor, &key, $(&$segment,)* body)).await
        }
    };
    ($name:ident, $method:ident, path($($segment:ident),*)) => {
        async fn $name(
            State(s): State<Shared>,
            Signed(actor): Signed,
            Key(key): Key,
            Path(($($segment,)*)): Path<($(change!(@string $segment),)*)>,
        ) -> Result<impl IntoResponse, Problem> {
            answer(&s, move |app| app.$method(&actor, &key, $(&$segment,)*)).await
        }
    };
    (@string $segment:ident) => { String };
}

change!(
    create_user,
    create_user,
    path(),
    body(shebao_app::access::auth::NewUser)
);
change!(
    open_holder_login,
    open_holder_login,
    path(person),
    body(shebao_app::access::holder_logins::WindowEnrolment)
);
change!(
    reset_holder_login,
    reset_holder_login,
    path(person),
    body(shebao_app::access::holder_logins::LoginReset)
);
change!(create_region, create_region, path(), body(NewRegion));
change!(
    add_parameters,
    add_parameters,
    path(region),
    body(NewParameters)
);
change!(create_bank, create_bank, path(), body(NewBank));
change!(create_branch, create_branch, path(bank), body(NewBranch));
change!(register_person, register_person, path(), body(NewPerson));
change!(
    correct_person,
    correct_person,
    path(person),
    body(PersonCorrection)
);

/// A credit's answer: 200 with its transfer, or 202 with the request that waits for a second
/// person (issue 13, maker-checker).
#[allow(dead_code, reason = "issue 14: used until the last operation moves")]
fn money_answer(outcome: MoneyOutcome) -> Response {
    match outcome {
        MoneyOutcome::Posted(transfer) => Json(transfer).into_response(),
        MoneyOutcome::AwaitingApproval(request) => {
            (StatusCode::ACCEPTED, Json(request)).into_response()
        }
    }
}

async fn list_regions(
    State(s): State<Shared>,
    Signed(actor): Signed,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.regions(&actor)).await
}

async fn list_parameters(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(region): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.parameter_versions(&actor, &region)).await
}

async fn list_banks(
    State(s): State<Shared>,
    Signed(actor): Signed,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.banks(&actor)).await
}

async fn list_branches(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(bank): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.branches(&actor, &bank)).await
}

async fn find_person(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Body(body): Body<Lookup>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.find_person(&actor, &body.citizen_id)).await
}

async fn get_person(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(person): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.person(&actor, &person)).await
}

async fn unmask_person(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(person): Path<String>,
    Body(body): Body<Reason>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| {
        app.unmask_person(&actor, &person, &body.reason)
    })
    .await
}

async fn list_audit(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Params(query): Params<AuditQuery>,
) -> Result<impl IntoResponse, Problem> {
    let filter = AuditFilter {
        actor: query.actor,
        action: query.action,
        subject: query.subject,
        limit: query.limit.unwrap_or(100),
    };
    answer(&s, move |app| app.audit_records(&actor, filter)).await
}

async fn verify_audit(
    State(s): State<Shared>,
    Signed(actor): Signed,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.verify_audit(&actor)).await
}

change!(
    record_flexible_contribution,
    record_flexible_contribution,
    path(person),
    body(shebao_app::insurance::PaymentRequest)
);

change!(
    register_institution,
    register_institution,
    path(),
    body(shebao_app::medical::NewInstitution)
);
change!(
    add_catalogue_item,
    add_catalogue_item,
    path(region),
    body(shebao_app::medical::NewCatalogueItem)
);
change!(
    set_medical_policy,
    set_medical_policy,
    path(region),
    body(shebao_app::medical::NewMedicalPolicy)
);
change!(
    settle,
    settle,
    path(),
    body(shebao_app::medical::BillRequest)
);
change!(undo_settlement, undo_settlement, path(bill));

async fn query_insured(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Body(body): Body<shebao_app::medical::Identification>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.query_insured(&actor, body)).await
}

async fn pre_settle(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Body(body): Body<shebao_app::medical::BillRequest>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.pre_settle(&actor, body)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DateQuery {
    date: String,
}

async fn reconciliation(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(institution): Path<String>,
    Params(query): Params<DateQuery>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| {
        app.reconciliation(&actor, &institution, &query.date)
    })
    .await
}

async fn check_reconciliation(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(institution): Path<String>,
    Body(body): Body<shebao_app::medical::ReconciliationFile>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| {
        app.check_reconciliation(&actor, &institution, body)
    })
    .await
}

async fn person_settlements(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(person): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.person_settlements(&actor, &person)).await
}

async fn calc_settlement(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Body(body): Body<shebao_app::insurance::calc::SettlementQuestion>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.calculate_settlement(&actor, body)).await
}

/// A non-JSON answer with its media type.
#[allow(
    dead_code,
    reason = "issue 14: used until the last operation moves (its last users, insurance's, are typed now)"
)]
fn typed(media: &'static str, body: impl Into<axum::body::Body>) -> Response {
    ([(CONTENT_TYPE, media)], body.into()).into_response()
}

/// Declaration files may be larger than ordinary requests: up to 200,000 rows.
const DECLARATION_BODY_LIMIT_BYTES: usize = 16 * 1024 * 1024;

async fn not_found() -> Problem {
    Problem::new(404, "not_found", "no such resource")
}

/// The handler of each operation in the table.
pub(crate) fn handler_for(id: &str) -> Option<MethodRouter<Shared>> {
    Some(match id {
        "create_user" => post(create_user),
        "enrol_holder_login" => post(enrol_holder_login),
        "open_holder_login" => post(open_holder_login),
        "reset_holder_login" => post(reset_holder_login),
        "list_regions" => get(list_regions),
        "create_region" => post(create_region),
        "list_parameters" => get(list_parameters),
        "add_parameters" => post(add_parameters),
        "list_banks" => get(list_banks),
        "create_bank" => post(create_bank),
        "list_branches" => get(list_branches),
        "create_branch" => post(create_branch),
        "register_person" => post(register_person),
        "find_person" => post(find_person),
        "get_person" => get(get_person),
        "correct_person" => post(correct_person),
        "unmask_person" => post(unmask_person),
        "list_audit" => get(list_audit),
        "verify_audit" => get(verify_audit),
        "record_flexible_contribution" => post(record_flexible_contribution),
        "calc_settlement" => post(calc_settlement),
        "register_institution" => post(register_institution),
        "add_catalogue_item" => post(add_catalogue_item),
        "set_medical_policy" => post(set_medical_policy),
        "query_insured" => post(query_insured),
        "pre_settle" => post(pre_settle),
        "settle" => post(settle),
        "undo_settlement" => post(undo_settlement),
        "reconciliation" => get(reconciliation),
        "check_reconciliation" => {
            post(check_reconciliation).layer(DefaultBodyLimit::max(DECLARATION_BODY_LIMIT_BYTES))
        }
        "person_settlements" => get(person_settlements),
        _ => return None,
    })
}

/// Every operation of [`crate::api::all`], routed: a typed item by its standard handler, an
/// old table's row by its handler here. A row without a handler is left out here and fails
/// the `every_operation_has_a_handler` test.
pub(crate) fn routes() -> Router<Shared> {
    // The portal's pages and the docs pages' files sit beside the API.
    let mut router = crate::portal::routes().merge(crate::api::docs::routes());
    let mut paths: Vec<(&str, MethodRouter<Shared>)> = Vec::new();
    for operation in crate::api::all() {
        let handler = match operation {
            Listed::Typed(entry) => (entry.route)(),
            Listed::Table(row) => {
                let Some(handler) = handler_for(row.id) else {
                    continue;
                };
                handler
            }
        };
        match paths.iter_mut().find(|(path, _)| *path == operation.path()) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(handler),
            None => paths.push((operation.path(), handler)),
        }
    }
    for (path, handler) in paths {
        router = router.route(path, handler);
    }
    router
        .fallback(not_found)
        .layer(axum::middleware::from_fn(crate::headers::defaults))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::legacy::TABLE;
    use crate::openapi;

    #[test]
    fn every_operation_has_a_handler_and_a_unique_id() {
        let ids: Vec<&str> = crate::api::all().map(Listed::id).collect();
        for operation in TABLE {
            assert!(
                handler_for(operation.id).is_some(),
                "{} has no handler",
                operation.id
            );
        }
        for id in &ids {
            assert_eq!(ids.iter().filter(|other| *other == id).count(), 1, "{id}");
        }
    }

    #[test]
    fn the_openapi_document_lists_every_operation() {
        let document = openapi::document();
        for operation in crate::api::all() {
            let entry =
                &document["paths"][operation.path()][operation.method().to_ascii_lowercase()];
            assert_eq!(entry["operationId"], operation.id());
            if let Some(body) = operation.row().body {
                assert!(
                    document["components"]["schemas"][body].is_object(),
                    "schema {body}"
                );
            }
        }
        assert_eq!(document["openapi"], "3.1.0");
        let page = crate::api::docs::page();
        assert!(
            crate::api::all().all(|operation| page.contains(&format!("id=\"{}\"", operation.id())))
        );
    }
}
