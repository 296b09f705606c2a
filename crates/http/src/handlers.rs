//! The handlers: extract, call one application function, answer.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use shebao_app::card::{
    ActivateRequest, CancelRequest, CardApplication, CollectRequest, LossCancellation, LossReport,
    PinChange, PinRequest, ReadyRequest, RenewalRequest, TemporaryCardRequest,
};
use shebao_app::money::approvals::RejectionRequest;
use shebao_app::money::batch::BatchRequest;
use shebao_app::money::{
    CashRequest, CreditRequest, PurchaseRequest, ReversalRequest, TransferRequest,
};
use shebao_app::views::MoneyOutcome;

use crate::Shared;
use crate::api::Listed;
use crate::extract::{Body, Key, Params, Path, Signed, answer, run};
use crate::problem::Problem;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementQuery {
    before: Option<i64>,
    limit: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApprovalQuery {
    limit: Option<i64>,
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

change!(apply_card, apply_card, path(), body(CardApplication));
change!(
    issue_temporary_card,
    issue_temporary_card,
    path(),
    body(TemporaryCardRequest)
);
change!(start_production, start_production, path(card));
change!(mark_ready, mark_ready, path(card), body(ReadyRequest));
change!(collect_card, collect_card, path(card), body(CollectRequest));
change!(
    activate_financial,
    activate_financial,
    path(card),
    body(ActivateRequest)
);
change!(
    verify_social_pin,
    verify_social_pin,
    path(card),
    body(PinRequest)
);
change!(
    change_social_pin,
    change_social_pin,
    path(card),
    body(PinChange)
);
change!(unlock_social_pin, unlock_social_pin, path(card));
change!(unlock_financial_pin, unlock_financial_pin, path(card));
change!(report_loss, report_loss, path(card), body(LossReport));
change!(cancel_loss, cancel_loss, path(card), body(LossCancellation));
change!(request_replacement, request_replacement, path(card));
change!(
    request_renewal,
    request_renewal,
    path(card),
    body(RenewalRequest)
);
change!(return_temporary_card, return_temporary_card, path(card));
change!(cancel_card, cancel_card, path(card), body(CancelRequest));

/// A credit's answer: 200 with its transfer, or 202 with the request that waits for a second
/// person (issue 13, maker-checker).
fn money_answer(outcome: MoneyOutcome) -> Response {
    match outcome {
        MoneyOutcome::Posted(transfer) => Json(transfer).into_response(),
        MoneyOutcome::AwaitingApproval(request) => {
            (StatusCode::ACCEPTED, Json(request)).into_response()
        }
    }
}

async fn deposit(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Key(key): Key,
    Path(card): Path<String>,
    Body(body): Body<CashRequest>,
) -> Result<Response, Problem> {
    let outcome = run(&s, move |app| app.deposit(&actor, &key, &card, body)).await?;
    Ok(money_answer(outcome))
}
change!(withdraw, withdraw, path(card), body(CashRequest));
change!(purchase, purchase, path(card), body(PurchaseRequest));

/// A batch of 8,000 operations with memos fits well inside this.
const BATCH_BODY_LIMIT_BYTES: usize = 8 * 1024 * 1024;

async fn submit_batch(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Body(batch): Body<BatchRequest>,
) -> Result<Json<serde_json::Value>, Problem> {
    let keys: Vec<String> = batch
        .operations
        .iter()
        .map(|operation| operation.idempotency_key.clone())
        .collect();
    let outcomes = run(&s, move |app| app.run_batch(&actor, &batch)).await?;
    let results: Vec<serde_json::Value> = keys
        .into_iter()
        .zip(outcomes)
        .map(|(key, outcome)| match outcome {
            Ok(MoneyOutcome::Posted(transfer)) => serde_json::json!({
                "idempotency_key": key, "status": 200, "transfer": transfer, "approval": null,
                "problem": null
            }),
            Ok(MoneyOutcome::AwaitingApproval(request)) => serde_json::json!({
                "idempotency_key": key, "status": 202, "transfer": null, "approval": request,
                "problem": null
            }),
            Err(error) => {
                let problem = Problem::from(error);
                serde_json::json!({
                    "idempotency_key": key, "status": problem.status, "transfer": null,
                    "approval": null, "problem": problem.body()
                })
            }
        })
        .collect();
    Ok(Json(serde_json::json!({ "results": results })))
}
async fn credit_benefit(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Key(key): Key,
    Path(card): Path<String>,
    Body(body): Body<CreditRequest>,
) -> Result<Response, Problem> {
    let outcome = run(&s, move |app| app.credit_benefit(&actor, &key, &card, body)).await?;
    Ok(money_answer(outcome))
}
change!(transfer, transfer, path(card), body(TransferRequest));
/// Always a request for a second person: 202.
async fn reverse_transfer(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Key(key): Key,
    Path(transfer): Path<String>,
    Body(body): Body<ReversalRequest>,
) -> Result<Response, Problem> {
    let request = run(&s, move |app| {
        app.reverse_transfer(&actor, &key, &transfer, body)
    })
    .await?;
    Ok((StatusCode::ACCEPTED, Json(request)).into_response())
}

async fn list_approvals(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Params(query): Params<ApprovalQuery>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.approvals(&actor, query.limit)).await
}
change!(approve, approve, path(approval));
change!(reject, reject, path(approval), body(RejectionRequest));

async fn list_person_cards(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(person): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.cards_of_person(&actor, &person)).await
}

async fn get_card(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(card): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.card(&actor, &card)).await
}

async fn get_card_account(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(card): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.card_account(&actor, &card)).await
}

async fn get_statement(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(account): Path<String>,
    Params(query): Params<StatementQuery>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| {
        app.statement(&actor, &account, query.before, query.limit)
    })
    .await
}

change!(
    add_contribution_parameters,
    add_contribution_parameters,
    path(region),
    body(shebao_app::insurance::NewContributionParameters)
);
change!(
    register_employer,
    register_employer,
    path(),
    body(shebao_app::insurance::NewEmployer)
);
change!(
    record_contribution_payment,
    record_contribution_payment,
    path(employer),
    body(shebao_app::insurance::PaymentRequest)
);
change!(
    enrol,
    enrol,
    path(),
    body(shebao_app::insurance::NewEnrolment)
);
change!(
    end_enrolment,
    end_enrolment,
    path(enrolment),
    body(shebao_app::insurance::EnrolmentEnd)
);
change!(
    transfer_insured_place,
    transfer_insured_place,
    path(person),
    body(shebao_app::insurance::PlaceTransfer)
);
change!(
    award_pension,
    award_pension,
    path(person),
    body(shebao_app::insurance::pensions::AwardRequest)
);
change!(
    run_pension_payout,
    run_pension_payout,
    path(),
    body(shebao_app::insurance::pensions::PayoutRequest)
);
change!(
    credit_pension_interest,
    credit_pension_interest,
    path(),
    body(shebao_app::insurance::pensions::InterestRequest)
);
change!(issue_certificate, issue_certificate, path(person));

change!(
    record_flexible_contribution,
    record_flexible_contribution,
    path(person),
    body(shebao_app::insurance::PaymentRequest)
);

async fn issue_ecard_token(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(card): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.issue_ecard_token(&actor, &card)).await
}

/// A non-JSON answer with its media type.
fn typed(media: &'static str, body: impl Into<axum::body::Body>) -> Response {
    ([(CONTENT_TYPE, media)], body.into()).into_response()
}

async fn get_employer(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(employer): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.employer(&actor, &employer)).await
}

async fn list_arrears(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(employer): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.arrears(&actor, &employer)).await
}

async fn import_declaration(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(employer): Path<String>,
    body: axum::body::Bytes,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| {
        app.import_declaration_file(&actor, &employer, &body, &mut |_, _| {})
    })
    .await
}

async fn declare_rows(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(employer): Path<String>,
    Body(body): Body<shebao_app::insurance::declarations::DeclarationRows>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.declare_rows(&actor, &employer, body)).await
}

async fn declaration_errors(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(declaration): Path<String>,
) -> Result<Response, Problem> {
    let csv = run(&s, move |app| {
        app.declaration_errors(&actor, declaration.trim_end_matches(".csv"))
    })
    .await?;
    Ok(typed("text/csv; charset=utf-8", csv))
}

async fn list_enrolments(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(person): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.enrolments(&actor, &person)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryQuery {
    insurance: Option<String>,
}

async fn contribution_history(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(person): Path<String>,
    Params(query): Params<HistoryQuery>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| {
        app.contribution_history(&actor, &person, query.insurance.as_deref())
    })
    .await
}

async fn insurance_summary(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(person): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.insurance_summary(&actor, &person)).await
}

async fn personal_account_statement(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path((person, kind)): Path<(String, String)>,
    Params(query): Params<StatementQuery>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| {
        app.personal_account_statement(&actor, &person, &kind, query.before, query.limit)
    })
    .await
}

async fn get_pension_award(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(person): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    let award = run(&s, move |app| app.pension_award(&actor, &person)).await?;
    award
        .map(Json)
        .ok_or_else(|| Problem::new(404, "not_found", "no pension is awarded"))
}

async fn certificate_pdf(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Path(code): Path<String>,
) -> Result<Response, Problem> {
    let pdf = run(&s, move |app| app.certificate_pdf(&actor, &code)).await?;
    Ok(typed("application/pdf", pdf))
}

async fn verify_certificate(
    State(s): State<Shared>,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.verify_certificate(&code, None)).await
}

async fn verify_certificate_document(
    State(s): State<Shared>,
    Path(code): Path<String>,
    body: axum::body::Bytes,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.verify_certificate(&code, Some(&body))).await
}

async fn calc_retirement(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Body(body): Body<shebao_app::insurance::calc::RetirementQuestion>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.calculate_retirement(&actor, body)).await
}

async fn calc_pension(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Body(body): Body<shebao_app::insurance::calc::PensionQuestion>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.calculate_pension(&actor, body)).await
}

async fn calc_contribution(
    State(s): State<Shared>,
    Signed(actor): Signed,
    Body(body): Body<shebao_app::insurance::calc::ContributionQuestion>,
) -> Result<impl IntoResponse, Problem> {
    answer(&s, move |app| app.calculate_contribution(&actor, body)).await
}

/// Declaration files may be larger than ordinary requests: up to 200,000 rows.
const DECLARATION_BODY_LIMIT_BYTES: usize = 16 * 1024 * 1024;

async fn not_found() -> Problem {
    Problem::new(404, "not_found", "no such resource")
}

/// The handler of each operation in the table.
pub(crate) fn handler_for(id: &str) -> Option<MethodRouter<Shared>> {
    Some(match id {
        "list_person_cards" => get(list_person_cards),
        "apply_card" => post(apply_card),
        "issue_temporary_card" => post(issue_temporary_card),
        "get_card" => get(get_card),
        "start_production" => post(start_production),
        "mark_ready" => post(mark_ready),
        "collect_card" => post(collect_card),
        "activate_financial" => post(activate_financial),
        "verify_social_pin" => post(verify_social_pin),
        "change_social_pin" => post(change_social_pin),
        "unlock_social_pin" => post(unlock_social_pin),
        "unlock_financial_pin" => post(unlock_financial_pin),
        "report_loss" => post(report_loss),
        "cancel_loss" => post(cancel_loss),
        "request_replacement" => post(request_replacement),
        "request_renewal" => post(request_renewal),
        "return_temporary_card" => post(return_temporary_card),
        "cancel_card" => post(cancel_card),
        "get_card_account" => get(get_card_account),
        "deposit" => post(deposit),
        "withdraw" => post(withdraw),
        "purchase" => post(purchase),
        "credit_benefit" => post(credit_benefit),
        "transfer" => post(transfer),
        "submit_batch" => post(submit_batch).layer(DefaultBodyLimit::max(BATCH_BODY_LIMIT_BYTES)),
        "reverse_transfer" => post(reverse_transfer),
        "list_approvals" => get(list_approvals),
        "approve" => post(approve),
        "reject" => post(reject),
        "get_statement" => get(get_statement),
        "add_contribution_parameters" => post(add_contribution_parameters),
        "register_employer" => post(register_employer),
        "get_employer" => get(get_employer),
        "list_arrears" => get(list_arrears),
        "import_declaration" => {
            post(import_declaration).layer(DefaultBodyLimit::max(DECLARATION_BODY_LIMIT_BYTES))
        }
        "declare_rows" => {
            post(declare_rows).layer(DefaultBodyLimit::max(DECLARATION_BODY_LIMIT_BYTES))
        }
        "declaration_errors" => get(declaration_errors),
        "record_contribution_payment" => post(record_contribution_payment),
        "enrol" => post(enrol),
        "record_flexible_contribution" => post(record_flexible_contribution),
        "end_enrolment" => post(end_enrolment),
        "transfer_insured_place" => post(transfer_insured_place),
        "list_enrolments" => get(list_enrolments),
        "contribution_history" => get(contribution_history),
        "insurance_summary" => get(insurance_summary),
        "personal_account_statement" => get(personal_account_statement),
        "award_pension" => post(award_pension),
        "get_pension_award" => get(get_pension_award),
        "run_pension_payout" => post(run_pension_payout),
        "credit_pension_interest" => post(credit_pension_interest),
        "issue_certificate" => post(issue_certificate),
        "certificate_pdf" => get(certificate_pdf),
        "verify_certificate" => get(verify_certificate),
        "verify_certificate_document" => post(verify_certificate_document)
            .layer(DefaultBodyLimit::max(DECLARATION_BODY_LIMIT_BYTES)),
        "calc_retirement" => post(calc_retirement),
        "calc_pension" => post(calc_pension),
        "calc_contribution" => post(calc_contribution),
        "issue_ecard_token" => post(issue_ecard_token),

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
